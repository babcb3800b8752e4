"""Excel round-trip with real files, and every kind of bad upload (nothing written)."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.errors import InvalidInput
from dxboard.reporting import excel
from dxboard.reporting.models import FormPeriod, PeriodState, Submission
from dxboard.reporting.services import workflow

from .factories import GOOD, OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
P = OPEN_PERIOD


@pytest.fixture
def form(world):
    return make_form(world.province)


def _rows(sheet) -> dict[str, int]:
    return {
        sheet.cell(row=r, column=2).value: r
        for r in range(7, sheet.max_row + 1)
        if sheet.cell(row=r, column=2).value
    }


def _template(user, form, unit=None):
    return load_workbook(io.BytesIO(excel.build_workbook(user, form.code, P, unit)))


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _filled(world, form, values=GOOD):
    workbook = _template(world.officer_a, form, "99001")
    sheet = workbook["99001"]
    rows = _rows(sheet)
    for code, value in values.items():
        sheet.cell(row=rows[code], column=6, value=value)
    return workbook, sheet, rows


def test_the_template_is_protected_validated_and_explained(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "2"})
    workbook = _template(world.officer_a, form, "99001")
    assert workbook.sheetnames == ["Hướng dẫn", "99001", "_dxboard"]
    assert workbook["_dxboard"].sheet_state == "veryHidden"
    assert "HƯỚNG DẪN" in workbook["Hướng dẫn"]["A1"].value
    sheet = workbook["99001"]
    assert sheet.protection.sheet
    rows = _rows(sheet)
    assert sheet.cell(row=rows["CUOC"], column=6).value == 2  # pre-filled
    assert sheet.cell(row=rows["CUOC"], column=3).protection.locked
    assert not sheet.cell(row=rows["CUOC"], column=6).protection.locked
    kinds = {dv.type for dv in sheet.data_validations.dataValidation}
    assert {"whole", "decimal"} <= kinds
    percent = [dv for dv in sheet.data_validations.dataValidation if dv.formula2 == "100"]
    assert percent and f"F{rows['TYLE']}" in str(percent[0].sqref)


def test_a_province_officer_gets_one_sheet_per_unit(world, form):
    workbook = _template(world.province_officer, form)
    # Sheets follow the units in Vietnamese alphabetical order of their names.
    assert workbook.sheetnames == ["Hướng dẫn", "99002", "99001", "_dxboard"]


def test_an_excel_round_trip_saves_every_figure_through_the_write_path(world, form):
    workbook, sheet, rows = _filled(
        world, form, {"HS-TU": 1234, "HS-MAU": 2000, "TYLE": 97.5, "CUOC": "3"}
    )
    sheet.cell(row=rows["CUOC"], column=7, value="Họp cả quý")
    result = excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    assert result.units == [("99001", 4)]
    values = dict(
        DataValue.objects.filter(unit=world.commune_a).values_list("data_element__code", "value")
    )
    assert values == {"HS-TU": 1234, "HS-MAU": 2000, "TYLE": Decimal("97.5"), "CUOC": 3}
    assert DataValue.objects.get(data_element__code="CUOC").comment == "Họp cả quý"
    assert set(DataValueAudit.objects.values_list("source", flat=True)) == {"excel"}
    assert Submission.objects.get().status == "draft"


def test_the_upload_page_accepts_a_file(client_for, world, form):
    workbook = _filled(world, form)[0]
    client = client_for("officer_a")
    upload = io.BytesIO(_save(workbook))
    upload.name = "BM-T.xlsx"
    response = client.post(reverse("reporting:excel_upload", args=[form.code, P]), {"file": upload})
    assert response.status_code == 302
    assert DataValue.objects.filter(unit=world.commune_a).count() == 5


def _refused(world, form, data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.officer_a, form.code, P, data)
    assert not DataValue.objects.exists()
    return error.value


def test_a_workbook_that_is_not_ours_is_refused(world, form):
    foreign = Workbook()
    foreign.active["A1"] = "Bảng tính khác"
    error = _refused(world, form, _save(foreign))
    assert "không phải biểu mẫu tải từ DXBoard" in error.message


def test_a_tampered_identity_is_refused(world, form):
    workbook = _filled(world, form)[0]
    meta = workbook["_dxboard"]
    payload = json.loads(meta["A1"].value)
    payload["sheets"][0]["unit"] = "99002"
    meta["A1"] = json.dumps(payload, ensure_ascii=False, sort_keys=True)
    error = _refused(world, form, _save(workbook))
    assert "bị sửa phần nhận dạng" in error.message


def test_a_moved_row_is_detected(world, form):
    workbook, sheet, rows = _filled(world, form)
    sheet.cell(row=rows["HS-TU"], column=2, value="CUOC")
    error = _refused(world, form, _save(workbook))
    assert any(
        "không khớp" in d.message and f"dòng {rows['HS-TU']}" in d.path for d in error.details
    )


def test_a_file_for_another_period_is_refused(world, form):
    FormPeriod.objects.create(form=form, period="2024Q2", state=PeriodState.OPEN)
    workbook = _filled(world, form)[0]
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.officer_a, form.code, "2024Q2", _save(workbook))
    assert "kỳ 2024Q1" in error.value.message


def test_an_old_xls_renamed_xlsx_is_refused(world, form):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert ".xls" in _refused(world, form, data).message


def test_a_csv_renamed_xlsx_is_refused(world, form):
    data = b"dataelement,period,orgunit,value\nCUOC,2024Q1,99001,3\n"
    assert "không phải tệp Excel .xlsx" in _refused(world, form, data).message


def test_a_zip_that_is_not_a_spreadsheet_is_refused(world, form):
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    assert "Content_Types" in _refused(world, form, buffer.getvalue()).message


def test_a_50_mb_file_is_refused_before_parsing(client_for, world, form):
    big = io.BytesIO(b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024))
    with pytest.raises(InvalidInput) as error:
        excel.read_upload(big, 50 * 1024 * 1024)
    assert "10 MB" in error.value.message
    big.seek(0)
    with pytest.raises(InvalidInput):  # size unknown: reading stops after the limit
        excel.read_upload(big)
    big.seek(0)
    big.name = "lon.xlsx"
    response = client_for("officer_a").post(
        reverse("reporting:excel_upload", args=[form.code, P]), {"file": big}
    )
    assert response.status_code == 400
    assert "10 MB" in response.content.decode()
    assert not DataValue.objects.exists()


def test_a_formula_in_a_cell_is_refused_with_its_address(world, form):
    workbook, sheet, rows = _filled(world, form)
    sheet.cell(row=rows["CUOC"], column=6, value="=1+2")
    error = _refused(world, form, _save(workbook))
    assert f"Ô F{rows['CUOC']} chứa công thức" in error.details[0].message
    assert "Trang “99001”" in error.details[0].path


def test_text_in_a_number_field_names_sheet_row_and_field(world, form):
    workbook, _sheet, rows = _filled(world, form, {**GOOD, "CUOC": "ba cuộc"})
    error = _refused(world, form, _save(workbook))
    detail = error.details[0]
    assert f"dòng {rows['CUOC']}" in detail.path and "Số cuộc họp" in detail.path
    assert "không phải là số" in detail.message


def test_a_period_outside_the_open_window_is_refused(world, form):
    workbook = _filled(world, form)[0]
    FormPeriod.objects.filter(form=form, period=P).update(state=PeriodState.CLOSED)
    assert "đã đóng" in _refused(world, form, _save(workbook)).message


def test_one_bad_sheet_means_nothing_is_written_for_any_unit(world, form):
    workbook = _template(world.province_officer, form)
    for title in ("99001", "99002"):
        sheet = workbook[title]
        rows = _rows(sheet)
        for code, value in GOOD.items():
            sheet.cell(row=rows[code], column=6, value=value)
    rows = _rows(workbook["99002"])
    workbook["99002"].cell(row=rows["HS-TU"], column=6, value=5000)  # above its denominator
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.province_officer, form.code, P, _save(workbook))
    assert "Trang “99002”" in error.value.details[0].path
    assert not DataValue.objects.exists() and not Submission.objects.exists()


def test_a_reporter_cannot_upload_a_sheet_for_another_commune(world, form):
    workbook = _template(world.province_officer, form)
    # An unchanged sheet is skipped (nothing to write); a changed one is refused.
    workbook["99002"].cell(row=_rows(workbook["99002"])["CUOC"], column=6, value=4)
    error = _refused(world, form, _save(workbook))
    assert any("99002" in d.path for d in error.details)


# --- stale uploads (issue 18): the template carries the version of every figure it holds ---


def test_an_unchanged_cell_of_a_stale_upload_keeps_the_newer_web_edit(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "2", "HS-MAU": "10"})
    workbook = _template(world.officer_a, form, "99001")  # officer 1 downloads
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "7"})  # officer 2
    sheet = workbook["99001"]
    rows = _rows(sheet)
    sheet.cell(row=rows["HS-MAU"], column=6, value=20)  # officer 1 changes another cell
    result = excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    assert result.units == [("99001", 1)]
    values = dict(
        DataValue.objects.filter(unit=world.commune_a).values_list("data_element__code", "value")
    )
    assert values == {"CUOC": 7, "HS-MAU": 20}


def test_a_blank_cell_left_blank_does_not_delete_a_figure_entered_since(world, form):
    workbook = _template(world.officer_a, form, "99001")
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "7"})
    sheet = workbook["99001"]
    sheet.cell(row=_rows(sheet)["HS-MAU"], column=6, value=20)
    excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    assert DataValue.objects.get(data_element__code="CUOC").value == 7


def test_a_changed_cell_whose_figure_changed_since_the_download_is_a_conflict(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "2"})
    workbook = _template(world.officer_a, form, "99001")
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "7"})
    sheet = workbook["99001"]
    rows = _rows(sheet)
    sheet.cell(row=rows["CUOC"], column=6, value=3)
    sheet.cell(row=rows["HS-MAU"], column=6, value=20)
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    [detail] = error.value.details
    assert "Trang “99001”" in detail.path and f"ô F{rows['CUOC']}" in detail.path
    assert "đã được sửa trên DXBoard sau khi tải tệp" in detail.message
    assert "7" in detail.message
    values = dict(
        DataValue.objects.filter(unit=world.commune_a).values_list("data_element__code", "value")
    )
    assert values == {"CUOC": 7}  # nothing written


def test_a_changed_comment_counts_as_a_change(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "2"})
    workbook = _template(world.officer_a, form, "99001")
    sheet = workbook["99001"]
    sheet.cell(row=_rows(sheet)["CUOC"], column=7, value="Họp bổ sung")
    result = excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    assert result.changed == 1
    assert DataValue.objects.get(data_element__code="CUOC").comment == "Họp bổ sung"


def test_a_decimal_figure_round_trips_as_unchanged(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"TYLE": "97,5", "KP": "1234,56"})
    workbook = _template(world.officer_a, form, "99001")
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"TYLE": "12,5", "KP": "1,5"})
    result = excel.import_workbook(world.officer_a, form.code, P, _save(workbook))
    assert result.changed == 0
    values = dict(
        DataValue.objects.filter(unit=world.commune_a).values_list("data_element__code", "value")
    )
    assert values == {"TYLE": Decimal("12.5"), "KP": Decimal("1.5")}


# --- province-wide uploads (issue 20 pt 3) ---


def _submitted(world, form, unit="99002", officer="officer_b"):
    user = getattr(world, officer)
    workflow.save_draft(user, form.code, unit, P, GOOD)
    workflow.submit(user, form.code, unit, P)


def test_unchanged_sheets_of_submitted_reports_are_skipped_and_named(world, form):
    _submitted(world, form)
    workbook = _template(world.province_officer, form)
    sheet = workbook["99001"]
    sheet.cell(row=_rows(sheet)["CUOC"], column=6, value=3)
    result = excel.import_workbook(world.province_officer, form.code, P, _save(workbook))
    assert result.units == [("99001", 1)] and result.unchanged == ["99002"]
    assert Submission.objects.get(unit=world.commune_b).status == "submitted"


def test_missing_sheets_are_skipped_and_named(world, form):
    workbook = _template(world.province_officer, form)
    del workbook["99002"]
    sheet = workbook["99001"]
    sheet.cell(row=_rows(sheet)["CUOC"], column=6, value=3)
    result = excel.import_workbook(world.province_officer, form.code, P, _save(workbook))
    assert result.units == [("99001", 1)] and result.missing == ["99002"]
    assert not DataValue.objects.filter(unit=world.commune_b).exists()


def test_a_real_change_to_a_submitted_report_is_refused_naming_the_sheet(world, form):
    _submitted(world, form)
    workbook = _template(world.province_officer, form)
    for title in ("99001", "99002"):
        sheet = workbook[title]
        sheet.cell(row=_rows(sheet)["CUOC"], column=6, value=9)
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(world.province_officer, form.code, P, _save(workbook))
    [detail] = error.value.details
    assert detail.path == "Trang “99002”" and "Đã nộp" in detail.message
    assert not DataValue.objects.filter(unit=world.commune_a).exists()


def test_the_upload_page_says_which_sheets_were_skipped(client_for, world, form):
    _submitted(world, form)
    workbook = _template(world.province_officer, form)
    del workbook["99001"]
    upload = io.BytesIO(_save(workbook))
    upload.name = "BM-T.xlsx"
    client = client_for("province_officer")
    response = client.post(
        reverse("reporting:excel_upload", args=[form.code, P]), {"file": upload}, follow=True
    )
    text = response.content.decode()
    assert "không thay đổi: 99002" in text and "không có trong tệp: 99001" in text


def test_the_template_checks_an_elements_own_range_while_typing(world, form):
    from dxboard.indicators.models import DataElement

    DataElement.objects.filter(code="KP").update(min_value=-1000, max_value=5000)
    sheet = _template(world.officer_a, form, "99001")["99001"]
    cell = f"F{_rows(sheet)['KP']}"
    [own] = [dv for dv in sheet.data_validations.dataValidation if cell in str(dv.sqref)]
    assert (own.operator, own.formula1, own.formula2) == ("between", "-1000", "5000")
    assert "-1.000" in own.error


def test_a_stale_cell_of_another_communes_sheet_does_not_show_its_figure(world, form):
    workbook = _template(world.province_officer, form)
    workflow.save_draft(world.officer_b, form.code, "99002", P, {"CUOC": "41"})
    sheet = workbook["99002"]
    sheet.cell(row=_rows(sheet)["CUOC"], column=6, value=4)
    error = _refused_for(world.officer_a, form, _save(workbook))
    assert not any("41" in d.message for d in error.details)
    assert any("99002" in d.path for d in error.details)


def _refused_for(user, form, data: bytes) -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        excel.import_workbook(user, form.code, P, data)
    return error.value

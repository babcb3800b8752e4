"""Excel round trip with real files, bad rows, computed indicator values and the demo."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from dxboard.community import excel, indicators, services
from dxboard.community.models import Member, Team, TeamStatus
from dxboard.community.tests.factories import make_team
from dxboard.errors import InvalidInput, NotFound
from dxboard.testing import make_unit
from dxboard.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db

ROWS = [
    [
        1,
        "Xã An Bình",
        "Ấp Một",
        "Nguyễn Văn Bảy",
        "Tổ trưởng",
        "Nam",
        1975,
        "0912 345 678",
        "Trưởng ấp",
    ],
    [
        2,
        "Xã An Bình",
        "Ấp Một",
        "Lê Thị Hồng",
        "Tổ phó",
        "Nữ",
        "Dưới 30",
        "0987654321",
        "Đoàn Thanh niên",
    ],
    [
        3,
        "Phường Đông Hòa",
        "Khu phố Hai",
        "Trần Văn Út",
        "Thành viên",
        "Nam",
        1990,
        912000111,
        "Công an xã",
    ],
    [4, "Phường Đông Hòa", "", "Đỗ Thị Mai", "Thành viên", "Nữ", "46-60", "", "Giáo viên"],
]


def _xlsx(rows, title=True) -> io.BytesIO:
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append([excel.TITLE])
        sheet.append([])
    sheet.append(excel.HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    return buffer


def _data_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return [list(r) for r in rows[3:]]


def test_excel_round_trip_writes_imports_and_exports_the_same_list(world):
    result = excel.import_members(world.province_officer, world.province, _xlsx(ROWS))
    assert (result.rows, result.created, result.updated, result.teams_created) == (4, 4, 0, 3)
    exported = _data_rows(excel.export_members(world.province_officer, world.province))
    by_name = {r[3]: r for r in exported}
    assert set(by_name) == {r[3] for r in ROWS}
    assert by_name["Nguyễn Văn Bảy"][1:] == [
        "Xã An Bình",
        "Ấp Một",
        "Nguyễn Văn Bảy",
        "Tổ trưởng",
        "Nam",
        1975,
        "0912345678",
        "Trưởng ấp",
    ]
    assert by_name["Lê Thị Hồng"][6] == "Dưới 30 tuổi"
    assert by_name["Trần Văn Út"][7] == "0912000111"
    assert by_name["Đỗ Thị Mai"][1:3] == ["Phường Đông Hòa", None]
    # Importing the export again changes nothing: every row is an update.
    again = excel.import_members(
        world.province_officer,
        world.province,
        io.BytesIO(excel.export_members(world.province_officer, world.province)),
    )
    assert (again.created, again.updated, again.teams_created) == (0, 4, 0)
    assert Member.objects.count() == 4


def test_bad_rows_get_one_message_each_and_nothing_is_saved(world):
    rows = [
        *ROWS,
        [
            5,
            "Xã An Bình",
            "Ấp Không Có",
            "Phan Văn Sáu",
            "Thành viên",
            "Nam",
            1980,
            "0911111111",
            "",
        ],
        [6, "Xã An Bình", "Ấp Một", "Nguyễn Văn Bảy", "Thành viên", "Nam", 1975, "0912345678", ""],
        [7, "Xã Lạ", "", "Hồ Văn Bé", "Thành viên", "", "", "0911111112", ""],
        [8, "Xã An Bình", "Ấp Một", "Võ Thị Năm", "Trưởng nhóm", "Nữ", 1985, "12345", ""],
    ]
    with pytest.raises(InvalidInput) as error:
        excel.import_members(world.province_officer, world.province, _xlsx(rows))
    messages = {d.path: d.message for d in error.value.details}
    assert "không có thôn, ấp “Ấp Không Có”" in messages["Dòng 8, cột “Thôn/Ấp”"]
    assert "ghi hai lần (trùng với dòng 4)" in messages["Dòng 9"]
    assert "không có xã, phường “Xã Lạ”" in messages["Dòng 10, cột “Xã/Phường”"]
    assert "Tổ trưởng" in messages["Dòng 11, cột “Chức danh trong tổ”"]
    assert "không hợp lệ" in messages["Dòng 11, cột “Điện thoại”"]
    assert Team.objects.count() == 0 and Member.objects.count() == 0


def test_a_commune_officer_cannot_import_into_another_commune(world):
    with pytest.raises(NotFound):
        excel.import_members(world.officer_b, world.commune_a, _xlsx(ROWS[:2]))
    with pytest.raises(InvalidInput) as error:
        excel.import_members(world.officer_b, world.commune_b, _xlsx(ROWS[:1]))
    assert "Xã An Bình" in error.value.details[0].message


def test_a_file_without_header_is_refused(world):
    with pytest.raises(InvalidInput):
        excel.import_members(world.admin, world.province, _xlsx([["a", "b"]], title=False))


def test_import_and_export_pages(world, client_for):
    client = client_for("officer_a")
    response = client.post(
        reverse("community:import"), {"unit": "99001", "file": _named(_xlsx(ROWS[:2]))}
    )
    assert response.status_code == 302
    response = client.post(
        reverse("community:import"), {"unit": "99001", "file": _named(_xlsx(ROWS[2:]))}
    )
    assert response.status_code == 200 and "Dòng 4, cột “Xã/Phường”" in response.text
    response = client.get(reverse("community:export", args=["99001"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert len(_data_rows(response.content)) == 2


def _named(buffer: io.BytesIO):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("ds.xlsx", buffer.getvalue())


def test_indicator_rows_cover_every_commune_and_nothing_above(world):
    world.commune_a.population = 400
    world.commune_a.save()
    make_team(world.hamlet_a, members=4)
    rows = indicators.indicator_rows("2025", world.province)
    values = {(r["orgUnit"], r["dataElement"]): r["value"] for r in rows}
    assert values[("99001", "NL-02-THANHVIEN")] == 4
    assert values[("99001", "NL-02-DANSO")] == 400
    assert values[("99001", "XH-08-COTO")] == 1
    assert values[("99001", "XH-08-TONG")] == 1
    assert values[("99002", "XH-08-COTO")] == 0
    assert ("99002", "NL-02-DANSO") not in values
    # The province's figure is the sum of its communes: a row of its own would count twice.
    assert {r["orgUnit"] for r in rows} == {"99001", "99002"}
    assert {r["period"] for r in rows} == {"2025"}


def test_indicator_rows_read_the_register_as_it_stood_at_the_end_of_the_period(world):
    from datetime import date

    team = make_team(world.hamlet_a, members=2)  # founded 2023-05-01, joined dates unknown
    services.add_member(
        world.admin, team, full_name="Người mới", phone="0933333333", joined_on=date(2025, 2, 1)
    )
    later = make_team(world.hamlet_b, members=1)
    later.founded_on = date(2025, 3, 1)
    later.save()

    def figures(period: str) -> dict:
        rows = indicators.indicator_rows(period, world.province, today=date(2025, 12, 31))
        return {(r["orgUnit"], r["dataElement"]): r["value"] for r in rows}

    q4_2024, q1_2025 = figures("2024Q4"), figures("2025Q1")
    assert q4_2024[("99001", "NL-02-THANHVIEN")] == 2
    assert q4_2024[("99002", "XH-08-COTO")] == 0
    assert q1_2025[("99001", "NL-02-THANHVIEN")] == 3
    assert q1_2025[("99002", "XH-08-COTO")] == 1
    assert q1_2025[("99002", "NL-02-THANHVIEN")] == 1


def test_a_dissolved_team_still_counts_in_the_periods_before_its_dissolution(world):
    """Regression: dissolving a team used to erase it from every past period's figures."""
    from datetime import date

    team = make_team(world.hamlet_a, members=2)  # founded 2023-05-01
    services.update_team(
        world.admin, team, status=TeamStatus.DISSOLVED, dissolved_on=date(2025, 2, 15)
    )

    def figures(period: str) -> dict:
        rows = indicators.indicator_rows(period, world.province, today=date(2025, 12, 31))
        return {(r["orgUnit"], r["dataElement"]): r["value"] for r in rows}

    assert figures("2024Q4")[("99001", "NL-02-THANHVIEN")] == 2
    assert figures("2024Q4")[("99001", "XH-08-COTO")] == 1
    assert figures("2025Q1")[("99001", "NL-02-THANHVIEN")] == 0
    assert figures("2025Q1")[("99001", "XH-08-COTO")] == 0
    assert services.totals_for(world.province).teams == 0  # today: not at work


def _catalogue_elements() -> None:
    from dxboard.indicators.models import DataElement

    for code in indicators.DATA_ELEMENTS:
        DataElement.objects.get_or_create(code=code, defaults={"name": code})


def test_published_values_add_up_to_the_province_totals(world):
    from django.db.models import Sum

    from dxboard.collection.models import DataValue

    _catalogue_elements()
    for unit, population in ((world.commune_a, 1_000), (world.commune_b, 3_000)):
        unit.population = population
        unit.save()
    make_team(world.hamlet_a, members=3)
    make_team(world.hamlet_b, members=5)
    result = indicators.publish_indicator_values("2025", world.province)
    assert result.ok and result.imported == 8
    value = DataValue.objects.get(data_element__code="NL-02-THANHVIEN", unit=world.commune_a)
    assert value.value == Decimal(3) and value.source == "computed"
    # What the evaluation engine adds up over the province's subtree ("sum" over units)
    # is what the summary shows: 8 members, 2 of 2 hamlets, 4,000 inhabitants.
    stored = dict(
        DataValue.objects.filter(unit__path__startswith=world.province.path, period="2025")
        .values_list("data_element__code")
        .annotate(total=Sum("value"))
    )
    totals = services.totals_for(world.province)
    assert stored == {
        "NL-02-THANHVIEN": totals.members,
        "NL-02-DANSO": 4_000,
        "XH-08-COTO": totals.units_with_team,
        "XH-08-TONG": totals.units_total,
    }
    assert not DataValue.objects.filter(unit=world.province).exists()
    from django.core.management import call_command

    out = io.StringIO()
    call_command("compute_community_indicators", period="2025", unit="99", stdout=out)
    assert "0 số liệu mới, 0 cập nhật, 8 không đổi" in out.getvalue()


def _demo_province() -> Unit:
    province = make_unit("Tỉnh An Giang", code="91", kind=UnitKind.PROVINCE, population=3_000)
    for n in range(1, 5):
        commune = make_unit(f"Xã Demo {n}", code=f"9100{n}", parent=province)
        if n <= 2:
            for h in range(1, 4):
                make_unit(f"Ấp {h}", code=f"9100{n}-{h}", kind=UnitKind.HAMLET, parent=commune)
    return province


def test_the_demo_is_deterministic_and_idempotent():
    province = _demo_province()
    from dxboard.community import demo

    demo.load_demo(province, stdout=io.StringIO())
    first = (Team.objects.count(), Member.objects.count(), services.totals_for(province))
    demo.load_demo(province, stdout=io.StringIO())
    assert (Team.objects.count(), Member.objects.count(), services.totals_for(province)) == first
    assert first[0] >= 6 and first[2].units_total == 8


def test_the_demo_publishes_the_indicators_for_every_quarter_since_the_first_team():
    from dxboard.collection.models import DataValue
    from dxboard.community import demo

    _catalogue_elements()
    province = _demo_province()
    demo.load_demo(province, stdout=io.StringIO())
    periods = set(DataValue.objects.values_list("period", flat=True))
    assert {"2022Q2", "2023Q4", "2025Q4"} <= periods
    assert all(len(p) == 6 and p[4] == "Q" for p in periods)
    latest = max(periods, key=lambda p: (p[:4], p[5]))
    members = DataValue.objects.filter(data_element__code="NL-02-THANHVIEN", period=latest)
    assert sum(v.value for v in members) == Member.objects.count()
    count = DataValue.objects.count()
    out = io.StringIO()
    demo.load_demo(province, stdout=out)
    assert DataValue.objects.count() == count and "0 giá trị" in out.getvalue()

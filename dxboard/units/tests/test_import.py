"""Importing hamlets and agencies: good files go in whole, bad files change nothing."""

import pytest

from dxboard.errors import InvalidInput
from dxboard.units.import_templates import template_csv, template_xlsx
from dxboard.units.imports import check_units_file, import_units
from dxboard.units.models import Unit

from .factories import HEADER, csv_bytes, xlsx_bytes

GOOD_ROWS = [
    ["99001-AP2", "Ấp Mỹ Thạnh", "ấp", "99001", "1.850", "Nguyễn Văn Nam", "0296 3852 111", ""],
    ["99002-KP3", "Khu phố Ba", "khu phố", "99002", "", "", "", "kp3@example.vn"],
    ["SO-YT", "Sở Y tế", "so", "99", "", "", "", ""],
    ["SO-YT-VP", "Văn phòng Sở Y tế", "department", "SO-YT", "", "", "", ""],
]


def _count() -> int:
    return Unit.objects.count()


def _refused(user, filename: str, content: bytes) -> list[tuple[str, str]]:
    before = _count()
    with pytest.raises(InvalidInput) as error:
        import_units(user, filename, content)
    assert _count() == before, "a refused file must not write anything"
    return [(d.path, d.message) for d in error.value.details]


def test_a_good_csv_creates_every_unit_with_paths(world):
    before = _count()
    result = import_units(world.province_officer, "don-vi.csv", csv_bytes(GOOD_ROWS, bom=True))
    assert len(result.rows) == 4
    assert _count() == before + 4
    hamlet = Unit.objects.get(code="99001-AP2")
    assert (hamlet.kind, hamlet.division_type, hamlet.population) == ("hamlet", "ấp", 1850)
    assert hamlet.path == f"{world.commune_a.path}{hamlet.pk}/" and hamlet.depth == 2
    office = Unit.objects.get(code="SO-YT-VP")
    assert office.parent.code == "SO-YT"
    assert office.path.startswith(Unit.objects.get(code="SO-YT").path)
    assert Unit.objects.get(code="SO-YT").kind == "department"
    assert office.search_name == "van phong so y te so-yt-vp"


def test_a_csv_without_bom_and_with_vietnamese_headers_is_read(world):
    header = ["Mã", "Tên", "Loại", "Mã cấp trên", "Dân số"]
    content = csv_bytes([["AP-X", "Ấp Xoài", "Thôn", "99001", "900"]], header=header)
    import_units(world.province_officer, "a.csv", content)
    assert Unit.objects.get(code="AP-X").division_type == "thôn"


def test_a_semicolon_csv_is_read(world):
    content = "ma;ten;loai;ma_cap_tren\nAP-Y;Ấp Yên;ap;99001\n".encode()
    import_units(world.province_officer, "a.csv", content)
    assert Unit.objects.filter(code="AP-Y").exists()


def test_a_good_xlsx_creates_the_units(world):
    rows = [["AP-Z", "Ấp Zin", "to_dan_pho", 99001, 1200.0, None, None, None]]
    import_units(world.province_officer, "don-vi.xlsx", xlsx_bytes(rows))
    unit = Unit.objects.get(code="AP-Z")
    assert (unit.parent, unit.population, unit.division_type) == (
        world.commune_a,
        1200,
        "tổ dân phố",
    )


def test_a_dry_run_writes_nothing(world):
    before = _count()
    result = import_units(world.province_officer, "a.csv", csv_bytes(GOOD_ROWS), dry_run=True)
    assert len(result.rows) == 4 and _count() == before


def test_an_unknown_parent_is_refused_with_row_and_column(world):
    rows = [GOOD_ROWS[0], ["AP-9", "Ấp Chín", "ấp", "88888", "", "", "", ""]]
    errors = _refused(world.province_officer, "a.csv", csv_bytes(rows))
    assert errors == [("Dòng 3, cột “Mã cấp trên”", "Không tìm thấy đơn vị cấp trên mã “88888”.")]


def test_a_parent_outside_the_users_scope_is_unknown(world):
    from dxboard.accounts.models import Role
    from dxboard.testing import make_user

    admin_b = make_user("admin_b", unit=world.commune_b, role=Role.ADMIN)
    rows = [["AP-9", "Ấp Chín", "ấp", "99001", "", "", "", ""]]
    errors = _refused(admin_b, "a.csv", csv_bytes(rows))
    assert "Không tìm thấy" in errors[0][1]


def test_duplicate_codes_in_the_file_and_in_the_database_are_refused(world):
    rows = [
        ["AP-D", "Ấp Đ", "ấp", "99001", "", "", "", ""],
        ["AP-D", "Ấp Đ hai", "ấp", "99001", "", "", "", ""],
        ["99001-AP1", "Ấp Một lại", "ấp", "99001", "", "", "", ""],
    ]
    errors = _refused(world.province_officer, "a.csv", csv_bytes(rows))
    assert errors == [
        ("Dòng 3, cột “Mã”", "Mã “AP-D” trùng với dòng 2 của tệp."),
        ("Dòng 4, cột “Mã”", "Mã “99001-AP1” đã có đơn vị đang hiệu lực sử dụng."),
    ]


def test_an_empty_name_and_an_invalid_kind_are_refused(world):
    rows = [
        ["AP-1", "", "ấp", "99001", "", "", "", ""],
        ["AP-2", "Ấp Hai", "làng chài", "99001", "", "", "", ""],
        ["AP-3", "Xã Ba", "xã", "99", "", "", "", ""],
        ["AP-4", "Ấp Bốn", "ấp", "99001", "nhiều", "", "abc", "khong-phai-email"],
    ]
    errors = _refused(world.province_officer, "a.csv", csv_bytes(rows))
    paths = [path for path, _message in errors]
    assert paths == [
        "Dòng 2, cột “Tên”",
        "Dòng 3, cột “Loại”",
        "Dòng 4, cột “Loại”",
        "Dòng 5, cột “Dân số”",
        "Dòng 5, cột “Điện thoại”",
        "Dòng 5, cột “Email”",
    ]
    assert "làng chài" in errors[1][1]
    assert "danh mục nhà nước" in errors[2][1]


def test_one_bad_row_keeps_the_good_rows_out_too(world):
    rows = [*GOOD_ROWS, ["bad code", "Ấp", "ấp", "99001", "", "", "", ""]]
    errors = _refused(world.province_officer, "a.csv", csv_bytes(rows))
    assert errors[0][0] == "Dòng 6, cột “Mã”"
    assert not Unit.objects.filter(code="99001-AP2").exists()


def test_a_windows_1258_csv_is_refused_as_not_utf8(world):
    text = "ma,ten,loai,ma_cap_tren\nAP-1,Thôn Tây,thôn,99001\n"
    for encoding in ("cp1258", "cp1252"):
        content = text.encode(encoding)
        errors = _refused(world.province_officer, "a.csv", content)
        assert errors[0][0] == "Dòng 2"
        assert errors[0][1].startswith("Tệp không phải UTF-8")


def test_an_xls_renamed_xlsx_is_refused(world):
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    errors = _refused(world.province_officer, "a.xlsx", content)
    assert "Excel 97–2003 (.xls)" in errors[0][1]


def test_a_csv_renamed_xlsx_is_refused(world):
    errors = _refused(world.province_officer, "a.xlsx", csv_bytes(GOOD_ROWS))
    assert "nội dung là văn bản (CSV)" in errors[0][1]


def test_an_xlsx_renamed_csv_is_refused(world):
    errors = _refused(world.province_officer, "a.csv", xlsx_bytes([]))
    assert "đổi đuôi thành .xlsx" in errors[0][1]


def test_binary_junk_is_refused(world):
    junk = bytes(range(256)) * 20
    assert "dữ liệu nhị phân" in _refused(world.province_officer, "a.csv", junk)[0][1]
    assert "không phải bảng tính" in _refused(world.province_officer, "a.xlsx", junk)[0][1]
    zip_junk = b"PK\x03\x04" + junk
    assert "Không đọc được tệp Excel" in _refused(world.province_officer, "a.xlsx", zip_junk)[0][1]


def test_other_file_types_and_empty_files_are_refused(world):
    assert "Chỉ nhận tệp" in _refused(world.province_officer, "a.pdf", b"%PDF-1.4")[0][1]
    assert _refused(world.province_officer, "a.csv", b"")[0][1] == "Tệp rỗng."


def test_a_missing_column_is_named(world):
    content = csv_bytes([["AP-1", "Ấp"]], header=["ma", "ten"])
    errors = _refused(world.province_officer, "a.csv", content)
    assert errors[0] == ("Dòng 1", "Thiếu cột “loai” (Loại).")
    assert len(errors) == 2


def test_rows_that_are_each_others_parent_are_refused(world):
    rows = [
        ["AG-1", "Ban Một", "ban", "AG-2", "", "", "", ""],
        ["AG-2", "Ban Hai", "ban", "AG-1", "", "", "", ""],
    ]
    errors = _refused(world.province_officer, "a.csv", csv_bytes(rows))
    assert any("vòng lặp" in message for _path, message in errors)


def test_a_reporter_cannot_import(world):
    with pytest.raises(InvalidInput):
        import_units(world.officer_a, "a.csv", csv_bytes(GOOD_ROWS))


def test_the_templates_are_valid_import_files(world):
    for name, content in (("mau.csv", template_csv()), ("mau.xlsx", template_xlsx())):
        check = check_units_file(world.province_officer, name, content)
        assert len(check.rows) == 3
        # The example parents (30313, 91) are An Giang's, absent from the test world.
        assert {d.path for d in check.errors} == {
            "Dòng 2, cột “Mã cấp trên”",
            "Dòng 3, cột “Mã cấp trên”",
            "Dòng 4, cột “Mã cấp trên”",
        }
    assert template_csv().startswith(b"\xef\xbb\xbf" + ",".join(HEADER).encode())

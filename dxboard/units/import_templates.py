"""The import template users download: the columns, three example rows and a guide sheet."""

from __future__ import annotations

import csv
import io

from .imports import _UTF8_BOM, COLUMNS

TEMPLATE_ROWS = [
    ["AG-30313-AP01", "Ấp Mỹ Thạnh", "ấp", "30313", "1850", "Nguyễn Văn Nam", "0296 3852 111", ""],
    ["AG-30313-AP02", "Ấp Mỹ Phú", "ấp", "30313", "2140", "", "", ""],
    [
        "AG-BQLKKT",
        "Ban Quản lý Khu kinh tế tỉnh",
        "ban",
        "91",
        "",
        "Trần Thị Lan",
        "",
        "bqlkkt@angiang.gov.vn",
    ],
]


def template_csv() -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([c.key for c in COLUMNS])
    writer.writerows(TEMPLATE_ROWS)
    return _UTF8_BOM + out.getvalue().encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Don vi"
    sheet.append([c.key for c in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in TEMPLATE_ROWS:
        sheet.append(row)
    for letter, width in zip("ABCDEFGH", (18, 34, 14, 14, 10, 22, 16, 26), strict=True):
        sheet.column_dimensions[letter].width = width
    guide = workbook.create_sheet("Huong dan")
    guide.append(["Cột", "Ý nghĩa", "Bắt buộc"])
    meanings = {
        "ma": "Mã đơn vị: chữ cái không dấu, chữ số, _ và -; không trùng đơn vị đang hiệu lực",
        "ten": "Tên đầy đủ, ví dụ “Ấp Mỹ Thạnh”, “Sở Y tế”",
        "loai": "thôn, ấp, tổ dân phố, khóm, khu phố; sở, ban, ngành; ban chỉ đạo; khác",
        "ma_cap_tren": "Mã xã (5 chữ số), mã tỉnh (2 chữ số) hoặc mã một dòng khác trong tệp",
        "dan_so": "Số nguyên, ví dụ 1850",
        "nguoi_lien_he": "Họ tên người liên hệ",
        "dien_thoai": "Số điện thoại",
        "email": "Thư điện tử",
    }
    for column in COLUMNS:
        guide.append([column.key, meanings[column.key], "có" if column.required else "không"])
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 80
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

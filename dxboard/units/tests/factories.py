"""Factories for unit tests; they go through the services like the product does."""

from __future__ import annotations

import io
import itertools

from openpyxl import Workbook

from dxboard.units import services
from dxboard.units.models import Unit, UnitGroup

_counter = itertools.count(1)


def make_group(user, owner: Unit, members: list[Unit] = (), code: str | None = None) -> UnitGroup:
    group = services.create_group(
        user,
        code=code or f"NHOM-{next(_counter)}",
        name="Nhóm xã thí điểm",
        owner_unit=owner,
    )
    if members:
        services.add_group_members(user, group, members)
    return group


HEADER = ["ma", "ten", "loai", "ma_cap_tren", "dan_so", "nguoi_lien_he", "dien_thoai", "email"]


def csv_bytes(rows: list[list[str]], *, header=HEADER, bom: bool = False) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    data = ("\r\n".join(lines) + "\r\n").encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list], *, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()

"""Factories for field-report tests; they go through the services."""

from __future__ import annotations

import base64
import struct
import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from dxboard.accounts.models import Role
from dxboard.testing import World, make_user

from .. import services
from ..models import Category, FieldReport, Routing, Severity, Status

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A 16×12 red JPEG made by Pillow with EXIF: camera "DXBoardCam" and a GPS position.
JPEG_WITH_EXIF = base64.b64decode(
    "/9j/4AAQSkZJRgABAQAAAQABAAD/4QCgRXhpZgAATU0AKgAAAAgAAgEPAAIAAAALAAAAJoglAAQAAAABAAAAMgAAAABEWEJvYXJkQ2FtAAAABAABAAIAAAACTgAAAAACAAUAAAADAAAAaAADAAIAAAACRQAAAAAEAAUAAAADAAAAgAAAAAAAAAAKAAAAAQAAABYAAAABAAAABQAAAAEAAABpAAAAAQAAABoAAAABAAAAAQAAAAH/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDgKKKK+eP2E//Z"
)
REPORTER = {
    "reporter_name": "Nguyễn Văn Bí Mật",
    "reporter_phone": "0912345678",
    "reporter_email": "bimat@example.vn",
}


def png_bytes(width: int = 4, height: int = 3, text: bytes = b"") -> bytes:
    """A valid grey PNG; `text` adds a tEXt chunk (metadata that must be stripped)."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    data = b"\x89PNG\r\n\x1a\n" + chunk(
        b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    )
    if text:
        data += chunk(b"tEXt", b"Comment\x00" + text)
    return data + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=VN)


def make_category(code: str = "GT", *, agency=None, **fields) -> Category:
    defaults = {
        "name": fields.pop("name", "Giao thông"),
        "routing": Routing.AGENCY if agency else Routing.COMMUNE,
        "agency": agency,
        "default_severity": Severity.NORMAL,
        "urgent_hours": 4,
        "normal_hours": 16,
        "complex_hours": 40,
    }
    defaults.update(fields)
    return Category.objects.create(code=code, **defaults)


def ioc_handler(world: World):
    """A feedback handler at the province: the supervisor of every agency and commune."""
    if "ioc" not in world.extra:
        world.extra["ioc"] = make_user("ioc", unit=world.province, role=Role.FEEDBACK_HANDLER)
    return world.extra["ioc"]


def make_report(
    world: World,
    *,
    category: Category | None = None,
    unit=None,
    photos=(),
    now=None,
    **fields,
) -> FieldReport:
    """A report in commune A, routed to the agency (SKHCN) unless a category says otherwise."""
    if category is None:
        category = Category.objects.filter(code="GT").first() or make_category(agency=world.agency)
    data = services.Submission(
        category=category.code,
        description=fields.pop("description", "Ổ gà lớn trên đường Trần Hưng Đạo."),
        unit=(unit or world.commune_a).code,
        address=fields.pop("address", "Số 12 đường Trần Hưng Đạo"),
        lat=fields.pop("lat", "10.371"),
        long=fields.pop("long", "105.432"),
        consent=True,
        **{**REPORTER, **fields},
    )
    return services.submit_report(data, list(photos), now=now)


def walk_to(report: FieldReport, status: str, user, *, now=None) -> FieldReport:
    """Take a report through the steps up to `status`."""
    order = [Status.ACCEPTED, Status.ASSIGNED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED]
    for step in order[: order.index(status) + 1]:
        if step == Status.ACCEPTED:
            report = services.accept(user, report, now=now)
        elif step == Status.ASSIGNED:
            report = services.assign(user, report, now=now)
        elif step == Status.IN_PROGRESS:
            report = services.start(user, report, now=now)
        elif step == Status.RESOLVED:
            report = services.resolve(user, report, public_answer="Đã vá xong ổ gà.", now=now)
        else:
            report = services.close(user, report, now=now)
    return report

"""Intake of a report: check every field and photo, route it, number it, save it.

Used by the public form and Open311 (`services.submit_report` is the same function).
Nothing is saved when anything is wrong.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput
from dxboard.units.models import Unit, UnitKind

from .images import CleanImage, clean_photo
from .models import Category, FieldReport, ReportEvent, ReportPhoto, Routing, Status

MAX_PHOTOS = 5
MAX_DESCRIPTION = 4000
# Vietnam's mainland and islands, a little padded.
LAT_RANGE = (Decimal("8.0"), Decimal("24.0"))
LONG_RANGE = (Decimal("102.0"), Decimal("118.0"))
HTML_TAG = re.compile(r"<\s*/?\s*[a-zA-Z!][^>]*>")
PHONE = re.compile(r"^\+?[0-9 .()-]{8,20}$")
SUFFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def communes():
    """The units a citizen may pick as the place: communes in force."""
    return Unit.objects.in_force().filter(kind=UnitKind.COMMUNE)


# --- intake --------------------------------------------------------------------------------


@dataclass
class Submission:
    """What a citizen (web form) or an integration (Open311) sends."""

    category: str  # category code
    description: str
    unit: str  # commune code
    address: str = ""
    lat: str | Decimal | None = None
    long: str | Decimal | None = None
    reporter_name: str = ""
    reporter_phone: str = ""
    reporter_email: str = ""
    consent: bool = False
    media_url: str = ""
    located_by_position: bool = False


def _decimal(value, field: str, label: str, bounds, errors: list[ErrorDetail]) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        errors.append(ErrorDetail(field, _("%(label)s phải là một số.") % {"label": label}))
        return None
    if not number.is_finite() or not bounds[0] <= number <= bounds[1]:
        errors.append(
            ErrorDetail(
                field,
                _("%(label)s phải từ %(low)s đến %(high)s (trong lãnh thổ Việt Nam).")
                % {"label": label, "low": bounds[0], "high": bounds[1]},
            )
        )
        return None
    return number.quantize(Decimal("0.000001"))


def validate_submission(data: Submission) -> tuple[Category, Unit, dict, list[ErrorDetail]]:
    """Check every field and return the category, unit, clean fields and all problems."""
    errors: list[ErrorDetail] = []
    category = (
        Category.objects.select_related("agency")
        .filter(code=(data.category or "").strip(), active=True)
        .first()
    )
    if category is None:
        errors.append(ErrorDetail("category", _("Lĩnh vực không tồn tại hoặc đã ngừng dùng.")))
    unit = communes().filter(code=(data.unit or "").strip()).first()
    if unit is None:
        errors.append(ErrorDetail("unit", _("Hãy chọn một xã, phường đang có hiệu lực.")))
    description = (data.description or "").strip()
    if not description:
        errors.append(ErrorDetail("description", _("Hãy mô tả sự việc.")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(
            ErrorDetail(
                "description",
                _("Nội dung dài %(n)s ký tự, tối đa 4.000 ký tự.") % {"n": len(description)},
            )
        )
    elif HTML_TAG.search(description):
        errors.append(ErrorDetail("description", _("Nội dung không được chứa thẻ HTML.")))
    address = (data.address or "").strip()
    if len(address) > 300:
        errors.append(ErrorDetail("address", _("Địa chỉ dài tối đa 300 ký tự.")))
    lat = _decimal(data.lat, "lat", _("Vĩ độ"), LAT_RANGE, errors)
    long = _decimal(data.long, "long", _("Kinh độ"), LONG_RANGE, errors)
    if (lat is None) != (long is None) and not any(e.path in ("lat", "long") for e in errors):
        errors.append(ErrorDetail("lat", _("Cần cả vĩ độ và kinh độ, hoặc bỏ trống cả hai.")))
    name = (data.reporter_name or "").strip()[:150]
    phone = (data.reporter_phone or "").strip()
    email = (data.reporter_email or "").strip()
    if category is not None:
        if category.requires_name and not name:
            errors.append(ErrorDetail("reporter_name", _("Lĩnh vực này cần họ tên người gửi.")))
        if category.requires_phone and not phone:
            errors.append(ErrorDetail("reporter_phone", _("Lĩnh vực này cần số điện thoại.")))
        if category.requires_email and not email:
            errors.append(ErrorDetail("reporter_email", _("Lĩnh vực này cần thư điện tử.")))
    if phone and not PHONE.match(phone):
        errors.append(ErrorDetail("reporter_phone", _("Số điện thoại không hợp lệ.")))
    if email:
        try:
            validate_email(email)
        except Exception:
            errors.append(ErrorDetail("reporter_email", _("Thư điện tử không hợp lệ.")))
    media_url = (data.media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            errors.append(
                ErrorDetail(
                    "media_url", _("Liên kết ảnh phải là địa chỉ http(s) hợp lệ, tối đa 500 ký tự.")
                )
            )
    if not data.consent:
        errors.append(
            ErrorDetail("consent", _("Cần đồng ý cho phép xử lý dữ liệu cá nhân để gửi phản ánh."))
        )
    fields = {
        "description": description,
        "address": address,
        "lat": lat,
        "long": long,
        "reporter_name": name,
        "reporter_phone": phone,
        "reporter_email": email,
        "media_url": media_url,
        "located_by_position": data.located_by_position,
    }
    return category, unit, fields, errors


def _route(category: Category, unit: Unit) -> Unit:
    if category.routing == Routing.AGENCY and category.agency_id:
        return category.agency
    return unit


def _new_numbers(year: int) -> tuple[int, str, str]:
    number = (FieldReport.objects.filter(year=year).aggregate(n=Max("number"))["n"] or 0) + 1
    public_id = f"PA-{year}-{number:06d}"
    suffix = "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(6))
    return number, public_id, f"{public_id}-{suffix}"


def submit_report(
    data: Submission,
    photos: list[tuple[str, bytes]] = (),
    *,
    source: str = FieldReport.Source.WEB,
    submitted_by=None,
    now=None,
) -> FieldReport:
    """Check everything, then save the report and its cleaned photos in one transaction.

    `photos` are (file name, content) pairs. Nothing is saved when anything is wrong.
    """
    category, unit, fields, errors = validate_submission(data)
    if len(photos) > MAX_PHOTOS:
        errors.append(ErrorDetail("photos", _("Tối đa 5 ảnh cho một phản ánh.")))
    cleaned: list[CleanImage] = []
    for index, (_name, content) in enumerate(list(photos)[:MAX_PHOTOS], start=1):
        try:
            cleaned.append(clean_photo(content, label=_("Ảnh %(n)s") % {"n": index}))
        except InvalidInput as error:
            errors.extend(error.details)
    if errors:
        raise InvalidInput(_("Phản ánh chưa gửi được, hãy sửa các mục dưới đây."), errors)
    now = now or timezone.now()
    year = timezone.localtime(now).year
    for attempt in range(5):
        try:
            with transaction.atomic():
                number, public_id, code = _new_numbers(year)
                report = FieldReport.objects.create(
                    year=year,
                    number=number,
                    public_id=public_id,
                    tracking_code=code,
                    category=category,
                    unit=unit,
                    agency=_route(category, unit),
                    severity=category.default_severity,
                    consent_at=now,
                    created_at=now,
                    source=source,
                    submitted_by=submitted_by,
                    **fields,
                )
                for index, image in enumerate(cleaned, start=1):
                    photo = ReportPhoto(
                        report=report,
                        content_type=image.content_type,
                        size=len(image.content),
                        width=image.width,
                        height=image.height,
                    )
                    photo.image.save(
                        f"{index}.{image.extension}", ContentFile(image.content), save=False
                    )
                    photo.save()
                ReportEvent.objects.create(
                    report=report,
                    actor=submitted_by,
                    at=now,
                    action=ReportEvent.Action.SUBMITTED,
                    to_status=Status.RECEIVED,
                    agency=report.agency,
                )
            return report
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")

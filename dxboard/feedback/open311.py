"""Open311 GeoReport v2 under /open311/v2/, in JSON and XML (chosen by the URL suffix).

- service_code is the category code; group is the parent category's name.
- Each service has the attribute `commune` (a list of commune codes), because DXBoard
  routes a report by the commune where it happened; without it, a position (lat, long)
  inside the province picks the nearest commune centre (`geolocate`), and the report is
  marked as located by position. What DXBoard requires beyond the specification (a
  description; first_name, phone, email where the category asks for them) is declared
  as required attributes too.
- media_url is kept as a link on the report; errors start with the Open311 field name.
- service_request_id is the report's public number ("PA-2025-000123"); the reporter's
  secret tracking code is the token, returned by POST in `token` (tokens/{token}
  answers the public number).
- status is "open" for every state before the end and "closed" for resolved, closed and
  rejected reports; status_notes carries the detailed state.
- POST requests needs `api_key`: a DXBoard API token (dxb_...). The integration that
  holds it collects the citizen's consent to personal-data processing in its own app.
- GET answers never contain the reporter's name, phone or e-mail.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from xml.etree import ElementTree

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dxboard.errors import InvalidInput

from . import services
from .geolocate import nearest_commune
from .models import FINAL_STATUSES, Category, FieldReport, Status

MAX_RANGE = timedelta(days=90)
MAX_RESULTS = 1000
# The last page one may ask for: its offset (a billion) stays within a database bigint.
MAX_PAGE = 1_000_000
# The element name of each item of a list, for the XML format.
XML_ITEMS = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "endpoints": "endpoint",
    "formats": "format",
    "attributes": "attribute",
    "values": "value",
}
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


# --- rendering -----------------------------------------------------------------------------


def _xml_value(parent: ElementTree.Element, name: str, value) -> None:
    element = ElementTree.SubElement(parent, name)
    if isinstance(value, list):
        for item in value:
            _xml_value(element, XML_ITEMS.get(name, "item"), item)
    elif isinstance(value, dict):
        for key, inner in value.items():
            _xml_value(element, key, inner)
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)


def render(fmt: str, root: str, data, status: int = 200) -> HttpResponse:
    """JSON as the spec shows it; XML with `root` as the document element."""
    if fmt == "json":
        return JsonResponse(
            data, status=status, safe=False, json_dumps_params={"ensure_ascii": False}
        )
    element = ElementTree.Element(root)
    if isinstance(data, list):
        for item in data:
            _xml_value(element, XML_ITEMS.get(root, "item"), item)
    else:
        for key, value in data.items():
            _xml_value(element, key, value)
    body = b'<?xml version="1.0" encoding="utf-8"?>\n' + ElementTree.tostring(
        element, encoding="utf-8", xml_declaration=False
    )
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES["xml"])


def errors(fmt: str, status: int, messages: Iterable[str]) -> HttpResponse:
    data = [{"code": status, "description": str(message)} for message in messages]
    return render(fmt, "errors", data, status=status)


def _iso(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --- discovery and services ----------------------------------------------------------------


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = request.build_absolute_uri(reverse("open311:discovery", kwargs={"fmt": fmt}))
    base = base.rsplit("/", 1)[0] + "/"
    changeset = Category.objects.order_by("-pk").values_list("pk", flat=True).first()
    data = {
        "changeset": _iso(timezone.now()) if changeset is None else f"categories-{changeset}",
        "contact": _("Trung tâm Giám sát, điều hành thông minh (IOC) của tỉnh"),
        "key_service": request.build_absolute_uri(reverse("accounts:tokens")),
        "endpoints": [
            {
                "specification": "http://wiki.open311.org/GeoReport_v2",
                "url": base,
                "changeset": _iso(timezone.now()),
                "type": "production",
                "formats": ["application/json", "text/xml"],
            }
        ],
    }
    return render(fmt, "discovery", data)


def _service(category: Category) -> dict:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": "",
        "group": category.parent.name if category.parent else "",
    }


@require_GET
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    categories = Category.objects.filter(active=True).select_related("parent")
    leaves = categories.exclude(pk__in=categories.exclude(parent=None).values("parent"))
    return render(fmt, "services", [_service(c) for c in leaves])


@require_GET
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    category = Category.objects.filter(code=service_code, active=True).first()
    if category is None:
        return errors(fmt, 404, [_("Không có dịch vụ mã “%(c)s”.") % {"c": service_code}])
    communes = services.communes().order_by("sort_key").values_list("code", "name")
    attributes = [
        {
            "variable": True,
            "code": "commune",
            "datatype": "singlevaluelist",
            # A position (lat, long) inside the province stands in for it.
            "required": False,
            "datatype_description": _(
                "Mã xã, phường nơi xảy ra sự việc; bắt buộc khi không gửi lat và long "
                "(khi đó xã được xác định theo vị trí)."
            ),
            "order": 1,
            "description": _("Xã, phường nơi xảy ra"),
            "values": [{"key": code, "name": name} for code, name in communes],
        },
        {
            # Optional in Open311, required here: a report is routed and answered on it.
            "variable": True,
            "code": "description",
            "datatype": "text",
            "required": True,
            "datatype_description": _(
                "Gửi trong trường description của Open311 (hoặc attribute[description]); "
                "tối đa 4.000 ký tự, không có thẻ HTML."
            ),
            "order": 2,
            "description": _("Nội dung phản ánh"),
        },
    ]
    # What this category requires of the sender, as attributes so a client can know it;
    # they may be sent as the standard fields (first_name, phone, email) or as attributes.
    for needed, field, label in (
        (category.requires_name, "first_name", _("Họ tên người gửi")),
        (category.requires_phone, "phone", _("Số điện thoại người gửi")),
        (category.requires_email, "email", _("Thư điện tử người gửi")),
    ):
        if needed:
            attributes.append(
                {
                    "variable": True,
                    "code": field,
                    "datatype": "string",
                    "required": True,
                    "datatype_description": _(
                        "Gửi trong trường %(field)s của Open311 (hoặc attribute[%(field)s])."
                    )
                    % {"field": field},
                    "order": len(attributes) + 1,
                    "description": label,
                }
            )
    data = {"service_code": category.code, "attributes": attributes}
    return render(fmt, "service_definition", data)


# --- requests ------------------------------------------------------------------------------


def _status_notes(report: FieldReport) -> str:
    notes = report.get_status_display()
    if report.status == Status.REJECTED and report.reject_reason:
        notes += f": {report.reject_reason}"
    return notes


def request_data(report: FieldReport, request: HttpRequest) -> dict:
    """One request as Open311 shows it; no personal data, no internal notes."""
    photo = report.photos.all()[0] if report.photos.all() else None
    return {
        "service_request_id": report.public_id,
        "status": "closed" if report.status in FINAL_STATUSES else "open",
        "status_notes": _status_notes(report),
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description,
        "agency_responsible": report.agency.name,
        "service_notice": report.public_answer,
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(report.closed_at or report.resolved_at or report.updated_at),
        "expected_datetime": _iso(report.due_at),
        "address": report.address or report.unit.name,
        "address_id": report.unit.code,
        "zipcode": "",
        "lat": float(report.lat) if report.lat is not None else None,
        "long": float(report.long) if report.long is not None else None,
        "media_url": request.build_absolute_uri(
            reverse("feedback:photo", args=[report.public_id, photo.pk])
        )
        if photo
        else report.media_url,
    }


def _requests_queryset() -> QuerySet[FieldReport]:
    return FieldReport.objects.select_related("category", "unit", "agency").prefetch_related(
        "photos"
    )


def _parse_moment(text: str, name: str) -> datetime:
    moment = parse_datetime(text.strip().replace(" ", "+"))
    if moment is None:
        raise InvalidInput(
            _("%(n)s phải là thời điểm ISO 8601, ví dụ 2025-07-01T00:00:00+07:00.") % {"n": name}
        )
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def _filtered(params) -> QuerySet[FieldReport]:
    reports = _requests_queryset()
    ids = [
        i.strip().upper() for i in (params.get("service_request_id") or "").split(",") if i.strip()
    ]
    if ids:
        return reports.filter(public_id__in=ids)
    codes = [c.strip() for c in (params.get("service_code") or "").split(",") if c.strip()]
    if codes:
        reports = reports.filter(category__code__in=codes)
    end = _parse_moment(params["end_date"], "end_date") if params.get("end_date") else None
    begin = _parse_moment(params["start_date"], "start_date") if params.get("start_date") else None
    if begin is None and end is None:
        end = timezone.now()
    if begin is None:
        begin = end - MAX_RANGE
    if end is None:
        end = begin + MAX_RANGE
    if end < begin:
        raise InvalidInput(_("end_date phải sau start_date."))
    if end - begin > MAX_RANGE:
        raise InvalidInput(_("Khoảng start_date – end_date tối đa 90 ngày."))
    reports = reports.filter(created_at__gte=begin, created_at__lte=end)
    statuses = {s.strip() for s in (params.get("status") or "").split(",") if s.strip()}
    if statuses - {"open", "closed"}:
        raise InvalidInput(_("status chỉ nhận open, closed."))
    if statuses == {"open"}:
        reports = reports.exclude(status__in=FINAL_STATUSES)
    elif statuses == {"closed"}:
        reports = reports.filter(status__in=FINAL_STATUSES)
    return reports


def _form_value(data, name: str) -> str:
    return (data.get(name) or "").strip()


# Intake's field names as Open311 names them, for error messages.
OPEN311_FIELDS = {
    "category": "service_code",
    "unit": "attribute[commune]",
    "address": "address_string",
    "reporter_name": "first_name",
    "reporter_phone": "phone",
    "reporter_email": "email",
}


def _position_commune(lat: str, long: str) -> tuple[str, list[str]]:
    """(commune code, errors) for a position sent without a commune."""
    try:
        point = (Decimal(lat), Decimal(long))
    except InvalidOperation:
        return "", []  # intake names lat/long as not numbers
    if not all(n.is_finite() for n in point):
        return "", []
    commune = nearest_commune(*point)
    if commune is None:
        return "", [
            "lat, long: "
            + _("Vị trí (%(lat)s, %(long)s) nằm ngoài các xã, phường của tỉnh.")
            % {"lat": lat, "long": long}
        ]
    return commune.code, []


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    from dxboard.accounts.services import user_for_token

    data = request.POST
    key = _form_value(data, "api_key")
    user = user_for_token(key) if key else None
    if user is None:
        return errors(fmt, 403, [_("api_key: thiếu hoặc không hợp lệ.")])
    code = _form_value(data, "service_code")
    if not code:
        return errors(fmt, 400, [_("service_code: bắt buộc.")])
    if not Category.objects.filter(code=code, active=True).exists():
        return errors(fmt, 404, [_("service_code: không có dịch vụ mã “%(c)s”.") % {"c": code}])
    lat, long = _form_value(data, "lat"), _form_value(data, "long")
    address = _form_value(data, "address_string")
    commune = _form_value(data, "attribute[commune]") or _form_value(data, "address_id")
    if not ((lat and long) or address or commune):
        return errors(fmt, 400, [_("lat, long: cần vị trí (lat và long), hoặc address_string.")])
    located = False
    if not commune and lat and long:
        commune, outside = _position_commune(lat, long)
        if outside:
            return errors(fmt, 400, outside)
        located = bool(commune)

    def either(name: str) -> str:
        # A standard field, or the attribute of the same name the service definition lists.
        return _form_value(data, name) or _form_value(data, f"attribute[{name}]")

    name = " ".join(p for p in (either("first_name"), _form_value(data, "last_name")) if p)
    submission = services.Submission(
        category=code,
        description=either("description"),
        unit=commune,
        address=address,
        lat=lat or None,
        long=long or None,
        reporter_name=name,
        reporter_phone=either("phone"),
        reporter_email=either("email"),
        # The integration collects consent in its own app; the API key vouches for it.
        consent=True,
        media_url=_form_value(data, "media_url"),
        located_by_position=located,
    )
    try:
        report = services.submit_report(
            submission, source=FieldReport.Source.OPEN311, submitted_by=user
        )
    except InvalidInput as error:
        named = {d.path for d in error.details}
        details = [d for d in error.details if not (d.path == "unit" and named & {"lat", "long"})]
        return errors(
            fmt,
            400,
            [f"{OPEN311_FIELDS.get(d.path, d.path)}: {d.message}" for d in details]
            or [error.message],
        )
    notice = _(
        "Đã nhận phản ánh. Mã tra cứu dành cho người gửi: %(code)s. Thời hạn xử lý tính theo giờ làm việc từ khi tiếp nhận."
    ) % {"code": report.tracking_code}
    # The specification returns the token beside (or instead of) the request id; it is the
    # sender's tracking code, which tokens/{token} turns back into the request id.
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": report.public_id,
                "token": report.tracking_code,
                "service_notice": notice,
                "account_id": _form_value(data, "account_id") or None,
            }
        ],
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _create(request, fmt)
    try:
        reports = _filtered(request.GET)
        page, size = _page(request.GET)
    except InvalidInput as error:
        return errors(fmt, 400, [error.message])
    # Stable order (newest first, then by number) so that pages neither skip nor repeat.
    reports = reports.order_by("-created_at", "-pk")[(page - 1) * size : page * size]
    return render(fmt, "service_requests", [request_data(r, request) for r in reports])


def _page(params) -> tuple[int, int]:
    """`page` (from 1) and `page_size` (at most 1,000, the default): the list past its
    first 1,000 requests, as Open311 servers commonly extend the specification."""
    values = []
    for name, default, high in (("page", 1, MAX_PAGE), ("page_size", MAX_RESULTS, MAX_RESULTS)):
        raw = (params.get(name) or "").strip()
        if not raw:
            values.append(default)
            continue
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or not 1 <= int(raw) <= high:
            limit = f"1–{high}"
            raise InvalidInput(
                _("%(name)s phải là số nguyên %(limit)s.") % {"name": name, "limit": limit}
            )
        values.append(int(raw))
    return values[0], values[1]


@require_GET
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    report = _requests_queryset().filter(public_id=service_request_id.upper()).first()
    if report is None:
        return errors(fmt, 404, [_("Không có yêu cầu “%(id)s”.") % {"id": service_request_id}])
    return render(fmt, "service_requests", [request_data(report, request)])


@require_GET
def token(request: HttpRequest, token_id: str, fmt: str) -> HttpResponse:
    report = FieldReport.objects.filter(tracking_code=token_id.strip().upper()).only("public_id")
    report = report.first()
    if report is None:
        return errors(fmt, 404, [_("Không có token “%(id)s”.") % {"id": token_id}])
    return render(
        fmt,
        "service_requests",
        [{"service_request_id": report.public_id, "token": token_id.strip().upper()}],
    )

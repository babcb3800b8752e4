"""Public pages: no login. They never show a reporter's name, phone or e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dxboard.errors import InvalidInput, NotFound

from .. import services
from ..models import Category, FieldReport, ReportPhoto, Status

DEFAULT_RATE_LIMIT = (5, 600)  # submissions, seconds
RATE_LIMIT_CACHE = "shared"
SESSION_KEY = "feedback_last_code"


def _client_address(request: HttpRequest) -> str:
    # Only the socket address: a forwarded header is written by the client and can lie.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_cache() -> BaseCache:
    # The database cache (settings.CACHES): every worker process counts in the same table.
    # Process memory let each worker accept its own 5 (issue 18: 9 of 12 got in).
    return caches[RATE_LIMIT_CACHE]


def _rate_slots(request: HttpRequest) -> tuple[list[str], int]:
    """One cache key per submission allowed in the window, and the window's length.

    A submission claims the first free slot with `add`, which the database cache does
    with one INSERT on the key (its primary key): two workers cannot claim the same slot,
    whereas a counter read and written back (`incr`) would lose one of two at once.
    Each slot expires on its own, so the limit is "N in any window of that length".
    """
    limit, window = getattr(settings, "DXBOARD_FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    base = f"feedback:submit:{_client_address(request)}"
    return [f"{base}:{n}" for n in range(limit)], window


def _claim_slot(request: HttpRequest) -> str | None:
    """The slot this submission takes, or None when the address used them all."""
    keys, window = _rate_slots(request)
    cache = _rate_cache()
    taken = cache.get_many(keys)
    for key in (k for k in keys if k not in taken):
        if cache.add(key, 1, window):
            return key
    return None


def _release_slot(key: str) -> None:
    """A submission refused for its content does not count against the sender."""
    _rate_cache().delete(key)


def _categories() -> list[tuple[str, list[Category]]]:
    """Active leaf categories grouped by their parent's name, for the picker."""
    categories = Category.objects.filter(active=True).select_related("parent")
    parents = set(categories.exclude(parent=None).values_list("parent_id", flat=True))
    groups: dict[str, list[Category]] = {}
    for category in categories:
        if category.pk in parents:
            continue
        groups.setdefault(category.parent.name if category.parent else "", []).append(category)
    return list(groups.items())


@require_http_methods(["GET", "POST"])
def submit(request: HttpRequest) -> HttpResponse:
    values: dict = {}
    errors: dict[str, list[str]] = {}
    message = ""
    status = 200
    if request.method == "POST":
        values = request.POST.dict()
        # Claimed before the work, so that simultaneous requests cannot all slip in.
        slot = _claim_slot(request)
        if slot is None:
            message = _("Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Hãy thử lại sau ít phút.")
            status = 429
        elif values.get("website"):
            # The honeypot: a field people do not see. Bots fill it; nothing is saved, and
            # the slot stays taken.
            message = _("Không gửi được phản ánh.")
            status = 400
        else:
            data = services.Submission(
                category=values.get("category", ""),
                description=values.get("description", ""),
                unit=values.get("unit", ""),
                address=values.get("address", ""),
                lat=values.get("lat") or None,
                long=values.get("long") or None,
                reporter_name=values.get("reporter_name", ""),
                reporter_phone=values.get("reporter_phone", ""),
                reporter_email=values.get("reporter_email", ""),
                consent=values.get("consent") == "on",
            )
            photos = [(f.name, f.read()) for f in request.FILES.getlist("photos")]
            try:
                report = services.submit_report(data, photos)
            except InvalidInput as error:
                _release_slot(slot)
                message = error.message
                for detail in error.details:
                    key = "photos" if detail.path.startswith(_("Ảnh")) else detail.path
                    text = (
                        f"{detail.path}: {detail.message}" if key != detail.path else detail.message
                    )
                    errors.setdefault(key, []).append(text)
                status = 400
            else:
                request.session[SESSION_KEY] = report.tracking_code
                return redirect("feedback:submitted")
    return render(
        request,
        "feedback/submit.html",
        {
            "groups": _categories(),
            "communes": services.communes().order_by("sort_key").only("code", "name"),
            "values": values,
            "errors": errors,
            "message": message,
            "max_photos": services.MAX_PHOTOS,
        },
        status=status,
    )


def submitted(request: HttpRequest) -> HttpResponse:
    code = request.session.get(SESSION_KEY)
    if not code:
        return redirect("feedback:submit")
    report = (
        FieldReport.objects.select_related("category", "unit", "agency")
        .filter(tracking_code=code)
        .first()
    )
    if report is None:
        return redirect("feedback:submit")
    return render(request, "feedback/submitted.html", {"report": report})


@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    code = (request.POST.get("code") or request.GET.get("code") or "").strip().upper()
    report = None
    error = ""
    status = 200
    if code:
        try:
            report = services.get_by_tracking_code(code)
        except NotFound as exc:
            error, status = exc.message, 404
    if report is not None and request.method == "POST":
        try:
            services.rate(code, request.POST.get("rating", ""), request.POST.get("comment", ""))
        except InvalidInput as exc:
            error, status = exc.message, 400
        else:
            return redirect(f"{request.path}?code={code}")
    events = []
    if report is not None:
        # Only status changes, with no actor and no internal note.
        events = report.events.exclude(to_status="").only("at", "to_status")
    return render(
        request,
        "feedback/track.html",
        {"code": code, "report": report, "error": error, "events": events, "stars": range(1, 6)},
        status=status,
    )


def public_list(request: HttpRequest) -> HttpResponse:
    reports = FieldReport.objects.public().select_related("category", "unit", "agency")
    unit_code = request.GET.get("unit", "")
    category_code = request.GET.get("category", "")
    status = request.GET.get("status", "")
    if unit_code:
        reports = reports.filter(unit__code=unit_code)
    if category_code:
        reports = reports.filter(
            Q(category__code=category_code) | Q(category__parent__code=category_code)
        )
    if status == "open":
        reports = reports.exclude(status__in=[Status.RESOLVED, Status.CLOSED])
    elif status == "closed":
        reports = reports.filter(status__in=[Status.RESOLVED, Status.CLOSED])
    page = Paginator(reports, 20).get_page(request.GET.get("page"))
    labels = dict(Status.choices)
    located = reports.exclude(lat=None).exclude(long=None).order_by("-created_at")
    points = [
        {"name": public_id, "value": [float(long), float(lat)], "status": str(labels[status])}
        for public_id, lat, long, status in located.values_list(
            "public_id", "lat", "long", "status"
        )[:2000]
    ]
    by_commune = (
        reports.order_by()
        .values("unit__name", "unit__code")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status__in=[Status.RESOLVED, Status.CLOSED])),
        )
        .order_by("-total", "unit__name")[:30]
    )
    return render(
        request,
        "feedback/public_list.html",
        {
            "page": page,
            "points": points,
            "by_commune": by_commune,
            "communes": services.communes().order_by("sort_key").only("code", "name"),
            "categories": Category.objects.filter(active=True),
            "filters": {"unit": unit_code, "category": category_code, "status": status},
        },
    )


def photo(request: HttpRequest, public_id: str, photo_id: int) -> FileResponse:
    item = (
        ReportPhoto.objects.select_related("report")
        .filter(pk=photo_id, report__public_id=public_id)
        .first()
    )
    if item is None:
        raise Http404(_("Không tìm thấy ảnh."))
    if item.report.status == Status.REJECTED and not (
        request.user.is_authenticated
        and services.handled_reports(request.user).filter(pk=item.report_id).exists()
    ):
        raise Http404(_("Không tìm thấy ảnh."))
    response = FileResponse(item.image.open("rb"), content_type=item.content_type)
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response

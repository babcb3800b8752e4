"""Public pages: no login. They never show a reporter's name, phone or e-mail."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
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
SESSION_KEY = "feedback_last_code"


def _client_address(request: HttpRequest) -> str:
    # Only the socket address: a forwarded header is written by the client and can lie.
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _rate_key(request: HttpRequest) -> str:
    return f"feedback:submit:{_client_address(request)}"


def _rate_limited(request: HttpRequest) -> bool:
    limit, _window = getattr(settings, "DXBOARD_FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    return (cache.get(_rate_key(request)) or 0) >= limit


def _count_submission(request: HttpRequest) -> None:
    _limit, window = getattr(settings, "DXBOARD_FEEDBACK_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    key = _rate_key(request)
    if cache.add(key, 1, window):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window)


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
        if _rate_limited(request):
            message = _("Bạn đã gửi nhiều phản ánh trong thời gian ngắn. Hãy thử lại sau ít phút.")
            status = 429
        elif values.get("website"):
            # The honeypot: a field people do not see. Bots fill it; nothing is saved.
            _count_submission(request)
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
                message = error.message
                for detail in error.details:
                    key = "photos" if detail.path.startswith(_("Ảnh")) else detail.path
                    text = (
                        f"{detail.path}: {detail.message}" if key != detail.path else detail.message
                    )
                    errors.setdefault(key, []).append(text)
                status = 400
            else:
                _count_submission(request)
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

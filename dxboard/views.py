"""Project-wide pages that belong to no single domain: the home page and a health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dxboard.units.models import Unit
from dxboard.work.services import my_work


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """The start page: what the user has to do ("Việc của tôi"), their own units."""
    units = Unit.objects.visible_to(request.user).in_force()
    own_units = [m.unit for m in request.user.memberships.select_related("unit")]
    return render(
        request,
        "home.html",
        {
            "own_units": own_units,
            "visible_count": units.count(),
            "work": my_work(request.user),
        },
    )


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers: answers 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal as the styled Vietnamese 403 page (it was a bare English one):
    most often a form left open past its session, or cookies blocked."""
    message = _(
        "Trang này đã cũ hoặc phiên làm việc đã hết hạn, nên yêu cầu chưa được thực hiện. "
        "Hãy tải lại trang rồi thử lại; nếu vẫn lỗi, hãy cho phép trình duyệt lưu cookie."
    )
    return render(request, "403.html", {"message": message}, status=403)

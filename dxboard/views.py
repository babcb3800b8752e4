"""Project-wide pages that belong to no single domain: the home page and a health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

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

"""One view for every action: parameters from the query string (GET) or a JSON object
(POST), CKAN's envelope around the answer, CKAN's error types and statuses.

Every action here only reads public data, so the view needs no login and no CSRF token
(CKAN clients such as `ckanapi` POST without one).
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from dxboard.errors import ServiceError
from dxboard.opendata.catalog import Site
from dxboard.opendata.ckan.actions import ACTIONS
from dxboard.opendata.ckan.errors import CkanError, bad_request, validation

MAX_BODY = 100_000
# Parameters that CKAN clients send as repeated query parameters or JSON lists.
LIST_PARAMETERS = {"facet.field", "fq_list", "fields"}


def _parameters(request: HttpRequest) -> dict[str, Any]:
    if request.method == "POST" and request.body:
        if len(request.body) > MAX_BODY:
            raise bad_request(_("Nội dung yêu cầu quá lớn."))
        try:
            body = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            raise bad_request(_("Nội dung yêu cầu không phải JSON.")) from None
        if not isinstance(body, dict):
            raise bad_request(_("Nội dung yêu cầu phải là một đối tượng JSON."))
        return body
    result: dict[str, Any] = {}
    for key in request.GET:
        values = request.GET.getlist(key)
        result[key] = values if key in LIST_PARAMETERS and len(values) > 1 else values[-1]
    return result


def _envelope(request: HttpRequest, name: str, data: dict[str, Any], status: int) -> JsonResponse:
    help_url = request.build_absolute_uri(f"/api/3/action/help_show?name={name}")
    response = JsonResponse(
        {"help": help_url, **data}, status=status, json_dumps_params={"ensure_ascii": False}
    )
    response["Access-Control-Allow-Origin"] = "*"  # CKAN allows other sites' pages to read
    return response


@csrf_exempt
@require_http_methods(["GET", "POST"])
def action(request: HttpRequest, name: str) -> JsonResponse:
    function = ACTIONS.get(name)
    try:
        if function is None:
            raise bad_request(_("Không có thao tác “%(name)s”.") % {"name": name[:100]})
        site = Site(request.build_absolute_uri("/").rstrip("/"))
        result = function(_parameters(request), site)
    except CkanError as error:
        return _envelope(request, name, {"success": False, "error": error.as_dict()}, error.status)
    except ServiceError as error:  # e.g. a dataset whose periods no longer parse
        failure = validation(error.details[0].path if error.details else "id", str(error.message))
        return _envelope(
            request, name, {"success": False, "error": failure.as_dict()}, failure.status
        )
    return _envelope(request, name, {"success": True, "result": result}, 200)

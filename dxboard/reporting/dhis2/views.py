"""The DHIS2 endpoints: thin views over the collection services, DHIS2's shapes out.

Every view takes `version` (from `/api/<version>/`, any DHIS2 API version; the shapes are
those of 2.36 and later) and `suffix` (".json", ".csv" or none).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from dxboard import __version__
from dxboard.errors import ErrorDetail, InvalidInput, ServiceError
from dxboard.reporting.services.api_import import import_data_value_set

from . import export
from .auth import machine_user
from .options import ImportOptions, parse_import_options
from .summary import error_summary, plain_message, web_message
from .tasks import JOB_TYPE, job_notifications, job_summary, start_import
from .xml import XML_TYPES, xml_to_json

# The DHIS2 version whose Web API shapes DXBoard answers in; clients check it.
DHIS2_VERSION = "2.40.0"
CSV_TYPES = ("text/csv", "application/csv")
JSON_TYPES = ("application/json", "")

if TYPE_CHECKING:
    from dxboard.accounts.models import User

View = Callable[..., HttpResponse]


def _user(request: HttpRequest) -> User:
    """The user `dhis2_endpoint` authenticated (never anonymous here)."""
    return cast("User", request.user)


def _json(body: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def dhis2_endpoint(view: View) -> View:
    """Authenticate by header (401 otherwise) and answer service errors as WebMessages."""

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = machine_user(request)
        if user is None:
            response = _json(
                plain_message(401, _("Cần xác thực: Basic, hoặc Authorization: ApiToken <mã>.")),
                401,
            )
            response["WWW-Authenticate"] = 'ApiToken realm="DXBoard"'
            return response
        request.user = user
        try:
            return view(request, *args, **kwargs)
        except ServiceError as error:
            body = plain_message(error.status, error.message)
            body["errorReports"] = [
                {"property": d.path, "message": d.message} for d in error.details
            ]
            return _json(body, error.status)

    return wrapper


@dhis2_endpoint
@require_GET
def system_info(request: HttpRequest, version: str | None = None, suffix: str | None = None):
    """A subset of DHIS2's `/api/system/info`: what clients read to recognise a server."""
    now = timezone.now()
    return _json(
        {
            "version": DHIS2_VERSION,
            "revision": f"dxboard-{__version__}",
            "buildTime": now.isoformat(),
            "serverDate": now.isoformat(),
            "serverTimeZoneId": timezone.get_current_timezone_name(),
            "contextPath": request.build_absolute_uri("/").rstrip("/"),
            "systemName": "DXBoard",
            "systemId": "dxboard",
            "dxboardVersion": __version__,
        }
    )


@dhis2_endpoint
@require_http_methods(["GET", "POST"])
def data_value_sets(request: HttpRequest, version: str | None = None, suffix: str | None = None):
    if request.method == "GET":
        return _export(request, suffix)
    return _import(request, suffix)


def _export(request: HttpRequest, suffix: str | None) -> HttpResponse:
    query = export.read_export_query(request.GET)
    values = export.export_values(_user(request), query)
    wants_csv = suffix == ".csv" or (
        suffix is None and "text/csv" in request.headers.get("Accept", "")
    )
    if wants_csv:
        return HttpResponse(export.as_csv(values), content_type="text/csv; charset=utf-8")
    return _json(export.as_json(values, query))


def _import(request: HttpRequest, suffix: str | None) -> HttpResponse:
    content_type = (request.content_type or "").lower()
    options = ImportOptions()
    try:
        options = parse_import_options(request.GET)
        body = request.body
        if suffix == ".csv" or content_type in CSV_TYPES:
            csv_format = True
        elif content_type in JSON_TYPES or content_type.endswith("+json"):
            csv_format = False
        elif content_type in XML_TYPES:
            body, csv_format = xml_to_json(body), False
        else:
            message = _(
                "Không nhận định dạng %(type)s: gửi JSON (application/json), CSV (text/csv) "
                "hoặc XML (application/xml)."
            ) % {"type": content_type}
            raise InvalidInput(message, [ErrorDetail("Content-Type", message)])
        if options.run_async:
            job = start_import(_user(request), body, csv_format=csv_format, options=options)
            return _json(_job_started(request, job))
        summary = import_data_value_set(
            _user(request),
            body,
            csv_format=csv_format,
            dry_run=options.dry_run,
            atomic=options.atomic,
            strategy=options.strategy,
            first_row_is_header=options.first_row_is_header,
        )
    except ServiceError as error:
        # Any refusal (bad input, a concurrent write's Conflict) in the shape DHIS2
        # clients read an import's outcome: an ImportSummary, never a bare error.
        summary = error_summary(error, options)
    status, message = web_message(summary, options)
    return _json(message, status)


def _job_started(request: HttpRequest, job_id: uuid.UUID) -> dict[str, Any]:
    endpoint = f"/api/system/tasks/{JOB_TYPE}/{job_id}"
    return {
        "httpStatus": "OK",
        "httpStatusCode": 200,
        "status": "OK",
        "message": _("Đã bắt đầu nhập %(type)s.") % {"type": JOB_TYPE},
        "response": {
            "name": JOB_TYPE,
            "id": str(job_id),
            "created": timezone.now().isoformat(),
            "jobType": JOB_TYPE,
            "relativeNotifierEndpoint": endpoint,
        },
    }


@dhis2_endpoint
@require_GET
def task(request: HttpRequest, job_id: str, version: str | None = None, suffix: str | None = None):
    """DHIS2's task notifications: a list, newest first; `completed` once it is done."""
    return _json(job_notifications(_user(request), job_id))


@dhis2_endpoint
@require_GET
def task_summary(
    request: HttpRequest, job_id: str, version: str | None = None, suffix: str | None = None
):
    """The import summary of a finished background import (DHIS2's taskSummaries)."""
    return _json(job_summary(_user(request), job_id))

"""Refuse unreadable requests at the door, before any view or query sees them.

PostgreSQL refuses a NUL character in text, so a NUL byte in a path, a query parameter,
a form field or a JSON body used to reach a query and end as a 500 (issue 18). Bytes that
are not UTF-8 in a JSON or text body did the same in the decoders. One check here
answers 400 instead: the API's error shape under /api/ and /open311/, a page otherwise.

A body over `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413, and an unexpected error under the
machine prefixes is answered in the API's JSON shape (not the HTML 500 page), so that
API clients can always read the answer.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail
from dxboard.middleware import MACHINE_PREFIXES

logger = logging.getLogger("dxboard.requests")

NUL = "\x00"
# Bodies read whole and decoded as text by the views (JSON, DHIS2 CSV, GeoReport forms).
TEXT_TYPES = ("application/json", "text/", "application/csv")


class BadRequest(Exception):
    def __init__(self, status: int, message: str, detail: ErrorDetail) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.detail = detail


def _has_nul(values: Iterable[str]) -> bool:
    return any(NUL in value for value in values)


def check_request(request: HttpRequest) -> None:
    """Raise BadRequest when the request cannot be handled safely."""
    if NUL in request.path:
        message = _("Địa chỉ có ký tự không hợp lệ (NUL).")
        raise BadRequest(400, message, ErrorDetail("path", message))
    for key, values in request.GET.lists():
        if NUL in key or _has_nul(values):
            message = _("Tham số “%(name)s” có ký tự không hợp lệ (NUL).") % {
                "name": key.replace(NUL, "")
            }
            raise BadRequest(400, message, ErrorDetail(key.replace(NUL, ""), message))
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.content_type or ""
    try:
        if content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            # Files may hold NUL bytes (xlsx is a zip); their readers check them. Fields not.
            for key, values in request.POST.lists():
                if NUL in key or _has_nul(values):
                    name = key.replace(NUL, "")
                    message = _("Trường “%(name)s” có ký tự không hợp lệ (NUL).") % {"name": name}
                    raise BadRequest(400, message, ErrorDetail(name, message))
        elif content_type.startswith(TEXT_TYPES):
            _check_text_body(request.body, content_type)
    except RequestDataTooBig:
        limit = _megabytes()
        message = _("Nội dung gửi lên quá lớn (tối đa %(size)s MB).") % {"size": limit}
        raise BadRequest(413, message, ErrorDetail("body", message)) from None
    except TooManyFieldsSent:
        message = _("Biểu mẫu có quá nhiều trường.")
        raise BadRequest(400, message, ErrorDetail("body", message)) from None


def _check_text_body(body: bytes, content_type: str) -> None:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        message = _(
            "Nội dung không phải văn bản UTF-8 (byte thứ %(position)s); "
            "hãy lưu tệp với mã hóa UTF-8."
        ) % {"position": error.start + 1}
        raise BadRequest(400, message, ErrorDetail("body", message)) from None
    # JSON may also write NUL as the escape \u0000.
    if NUL in text or (content_type == "application/json" and "\\u0000" in text.lower()):
        message = _("Nội dung có ký tự không hợp lệ (NUL).")
        raise BadRequest(400, message, ErrorDetail("body", message))


def _megabytes() -> str:
    from django.conf import settings
    from django.utils.formats import number_format

    return number_format(settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024), 1)


def error_body(code: str, message: str, details: list[ErrorDetail]) -> dict[str, object]:
    """The API's one error shape (`dxboard.api.error_response`), without ninja."""
    return {
        "error": {"code": code, "message": str(message), "details": [d.as_dict() for d in details]}
    }


CODES = {400: "invalid", 413: "too_large", 500: "server_error"}


class InputGuardMiddleware:
    """Must come after AuthenticationMiddleware (the 400 page shows the menu) and before
    any middleware that reads the body in `__call__`."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            check_request(request)
        except BadRequest as refusal:
            return self.refuse(request, refusal)
        return self.get_response(request)

    def refuse(self, request: HttpRequest, refusal: BadRequest) -> HttpResponse:
        if request.path.startswith(MACHINE_PREFIXES):
            body = error_body(CODES[refusal.status], refusal.message, [refusal.detail])
            return JsonResponse(
                body, status=refusal.status, json_dumps_params={"ensure_ascii": False}
            )
        # The page must not echo a NUL back nor look the user up with one.
        response = TemplateResponse(
            request,
            "400.html",
            {"message": refusal.message, "status": refusal.status},
            status=refusal.status,
        )
        return response.render()

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not request.path.startswith(MACHINE_PREFIXES):
            return None
        # Django's own 400s (SuspiciousOperation) and 404s keep their handling.
        from django.core.exceptions import SuspiciousOperation
        from django.http import Http404

        if isinstance(exception, SuspiciousOperation | Http404):
            return None
        logger.exception("Lỗi máy chủ ở %s", request.path, exc_info=exception)
        message = _("Lỗi máy chủ; thao tác chưa được thực hiện. Xin thử lại sau.")
        body = error_body("server_error", message, [])
        return HttpResponse(
            json.dumps(body, ensure_ascii=False),
            status=500,
            content_type="application/json; charset=utf-8",
        )

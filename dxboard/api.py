"""The JSON API under /api/v1/: one NinjaAPI, one router per domain app, one error shape.

Every error answers `{"error": {"code", "message", "details": [{"path", "message"}]}}`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import SessionAuth as NinjaSessionAuth

from dxboard import __version__
from dxboard.api_auth import BearerToken
from dxboard.api_errors import document_errors
from dxboard.api_input import validation_message
from dxboard.errors import ErrorDetail, ServiceError


class SessionAuth(NinjaSessionAuth):
    """The browser's session. The CSRF check is for logged-in users only: an anonymous
    write has no session to protect and gets the documented 401, not "CSRF check Failed"."""

    def __call__(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)


django_auth = SessionAuth()


class DXBoardAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return document_errors(schema)


api = DXBoardAPI(
    title="DXBoard API",
    version="1",
    description=(
        "API của DXBoard: đơn vị, chỉ tiêu, số liệu, đánh giá. "
        "Xác thực bằng `Authorization: Bearer <mã truy cập>` (tạo ở trang Mã truy cập API)."
    ),
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
)


def error_response(
    request: HttpRequest,
    status: int,
    code: str,
    message: str,
    details: list[ErrorDetail] | None = None,
) -> HttpResponse:
    body = {
        "error": {
            "code": code,
            "message": str(message),
            "details": [d.as_dict() for d in details or []],
        }
    }
    return api.create_response(request, body, status=status)


def _loc_to_path(loc) -> str:
    # Ninja locations start with the parameter source ("body", "query"); drop it.
    parts = [p for p in loc if p not in ("body", "query", "path", "payload", "form")]
    path = ""
    for part in parts:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path or "."


@api.exception_handler(ServiceError)
def on_service_error(request, exc: ServiceError):
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(NinjaValidationError)
def on_validation_error(request, exc: NinjaValidationError):
    details = [
        ErrorDetail(_loc_to_path(err.get("loc", ())), validation_message(err)) for err in exc.errors
    ]
    return error_response(request, 400, "invalid", _("Dữ liệu gửi lên không hợp lệ."), details)


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 401, "unauthorized", _("Cần đăng nhập hoặc mã truy cập API."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, "not_found", _("Không tìm thấy."))


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return error_response(
        request, 403, "forbidden", _("Bạn không có quyền thực hiện thao tác này.")
    )


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    return error_response(request, exc.status_code, "error", str(exc))


@api.get("/status", auth=None, tags=["platform"], summary="Tình trạng hệ thống")
def status(request):
    """A trivial endpoint: version and server time. Used by monitors and benchmarks."""
    return {"status": "ok", "version": __version__, "time": timezone.now().isoformat()}


def _register_routers() -> None:
    from dxboard.accounts.api import router as accounts_router
    from dxboard.collection.api import router as collection_router
    from dxboard.committee_reports.api import router as committee_reports_router
    from dxboard.community.api import router as community_router
    from dxboard.evaluation.api import router as evaluation_router
    from dxboard.feedback.api import router as feedback_router
    from dxboard.indicators.api import router as indicators_router
    from dxboard.opendata.api import router as opendata_router
    from dxboard.projects.api import router as projects_router
    from dxboard.reporting.api import router as reporting_router
    from dxboard.scorecards.api import router as scorecards_router
    from dxboard.units.api import router as units_router
    from dxboard.work.api import router as work_router

    # Each app's router carries its own path prefixes ("/units", "/programmes", ...),
    # because some resources (dataValueSets, metadata) keep DHIS2's top-level names.
    for router in (
        units_router,
        accounts_router,
        indicators_router,
        collection_router,
        reporting_router,
        evaluation_router,
        feedback_router,
        community_router,
        projects_router,
        scorecards_router,
        committee_reports_router,
        opendata_router,
        work_router,
    ):
        api.add_router("", router)


_register_routers()

__all__ = ["api", "error_response"]

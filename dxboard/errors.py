"""Errors raised by the service layer.

Services raise these; the JSON API turns them into its one error shape and the web
views into messages on the page. Messages are short Vietnamese sentences (translated
to English through i18n) that name the row or field at fault.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ErrorDetail:
    """One problem in the input: where it is (a JSON path, "Dòng 12, cột Mã") and what."""

    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"path": self.path, "message": self.message}


@dataclass
class ServiceError(Exception):
    message: str
    details: list[ErrorDetail] = field(default_factory=list)
    status = 400
    code = "invalid"

    def __str__(self) -> str:
        lines = [str(self.message)] + [f"{d.path}: {d.message}" for d in self.details]
        return "\n".join(lines)


class InvalidInput(ServiceError):
    status = 400
    code = "invalid"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Forbidden(ServiceError):
    """Raised only where the object is visible but the action is not allowed.

    An object the user may not see at all is `NotFound`, so its existence is not leaked.
    """

    status = 403
    code = "forbidden"


class Conflict(ServiceError):
    status = 409
    code = "conflict"

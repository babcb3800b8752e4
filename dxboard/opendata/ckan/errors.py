"""CKAN's error types, with the HTTP status CKAN answers for each."""

from __future__ import annotations

from typing import Any


class CkanError(Exception):
    """An error answered in CKAN's envelope: `{"success": false, "error": {"__type", ...}}`."""

    def __init__(
        self, type_: str, message: str, status: int, fields: dict[str, list[str]] | None = None
    ) -> None:
        super().__init__(message)
        self.type = type_
        self.message = message
        self.status = status
        self.fields = fields or {}

    def as_dict(self) -> dict[str, Any]:
        error: dict[str, Any] = {"__type": self.type, "message": self.message}
        error.update(self.fields)
        return error


def not_found(message: str) -> CkanError:
    return CkanError("Not Found Error", f"Not found: {message}", 404)


def validation(field: str, message: str) -> CkanError:
    """A bad parameter: 409, and the field named with its message, as CKAN does."""
    return CkanError("Validation Error", message, 409, {field: [message]})


def search_query(message: str) -> CkanError:
    """A `q` or `fq` that does not parse: 400, as CKAN answers Solr's refusal."""
    return CkanError("Search Query Error", f"Search Query is invalid: {message}", 400)


def bad_request(message: str) -> CkanError:
    return CkanError("Bad request", f"Bad request - {message}", 400)

"""How API callers prove who they are; beside the API object (`dxboard/api.py`).

Every operation takes a session or a bearer token (`BearerToken`, the API's default);
operations open to anonymous readers (catalogue, public evaluations) use `public_auth`.
Apps import these from here, never from another app's `api.py`.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer


class BearerToken(HttpBearer):
    """`Authorization: Bearer dxb_...` with a personal token from the tokens page."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        from dxboard.accounts.services import user_for_token

        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


def public_auth(request: HttpRequest) -> Any:
    """Anonymous readers allowed; a bearer token, when sent, must be valid (else 401)."""
    from dxboard.accounts.services import user_for_token

    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = user_for_token(header[7:].strip())
        if user is None:
            return None
        request.user = user
        return user
    return request.user

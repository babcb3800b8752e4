"""Who calls a DHIS2 endpoint: Basic, `ApiToken` or `Bearer` headers, never the session.

DHIS2 clients send Basic credentials with every request (`dhis2.py` does) or a personal
access token as `Authorization: ApiToken <token>`; DXBoard's tokens (`dxb_...`) are taken
under either scheme, and `Bearer` as on `/api/v1/`. Basic goes through Django's
`authenticate` with the request, so django-axes counts failures and locks the username
out exactly as on the login page (its middleware answers the locked-out request). No
session is opened and a browser's session cookie is ignored: these endpoints take no
CSRF token, so they must not act on a cookie.
"""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING

from django.contrib.auth import authenticate

from dxboard.accounts.services import user_for_token

if TYPE_CHECKING:
    from django.http import HttpRequest

    from dxboard.accounts.models import User


def machine_user(request: HttpRequest) -> User | None:
    """The active user the request's Authorization header names, or None."""
    scheme, _space, credentials = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    scheme, credentials = scheme.lower(), credentials.strip()
    if scheme in ("apitoken", "bearer"):
        return user_for_token(credentials)
    if scheme != "basic":
        return None
    try:
        decoded = base64.b64decode(credentials, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, colon, password = decoded.partition(":")
    if not colon or not username:
        return None
    user = authenticate(request, username=username, password=password)
    if user is None or not user.is_active:
        return None
    return user  # type: ignore[return-value]

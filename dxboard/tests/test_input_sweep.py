"""Bad values in every URL pattern and every API parameter: never a 5xx (issue 18).

The URLs come from the permission cases (every named URL has one, see
test_url_permissions.py), the API's query parameters from its OpenAPI schema. Each is
sent NUL bytes, bytes that are not UTF-8, an over-long value and values of the wrong
type, in the path, in the query and in a posted form or JSON body, by a province officer
(who sees the most) and by an anonymous visitor.
"""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import reverse

from dxboard.testing import UrlCase, World, url_kwargs
from dxboard.tests.test_url_permissions import CASES

# Sends bad input to every URL and API parameter: minutes, so it runs in one CI job.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Already percent-encoded: sent as they are in a path or query.
BAD_VALUES = {
    "nul": "%00",
    "not-utf8": "%FF%FE%C3",
    "over-long": "x" * 3000,
    "wrong-type": "-1e999",
    "huge-integer": "9" * 40,
}
# Raw values for form fields and JSON bodies.
BAD_FIELD_VALUES: list[Any] = ["a\x00b", "x" * 3000, "-1e999", 9 * 10**40, {"a": 1}]
# Query parameters the web pages read (filters, search, paging), sent to every page.
PAGE_PARAMETERS = ("q", "code", "unit", "period", "page", "status", "programme", "year", "kind")


@cache
def _api_query_parameters() -> list[tuple[re.Pattern[str], str, tuple[str, ...]]]:
    from dxboard.api import api

    schema = api.get_openapi_schema()
    found = []
    for template, operations in schema["paths"].items():
        pattern = re.compile("^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$")
        for method, operation in operations.items():
            names = tuple(p["name"] for p in operation.get("parameters", []) if p["in"] == "query")
            found.append((pattern, method, names))
    return found


def _query_parameters(case: UrlCase, path: str) -> tuple[str, ...]:
    if not case.name.startswith("api:"):
        return PAGE_PARAMETERS
    for pattern, method, names in _api_query_parameters():
        if method == case.method and pattern.match(path):
            return names
    return ()


def _send(client, case: UrlCase, url: str, body: dict[str, Any] | None = None):
    method = getattr(client, case.method)
    if case.method == "get":
        return client.get(url)
    if case.name.startswith("api:"):
        return method(url, data=json.dumps(body or {}), content_type="application/json")
    return method(url, data=body or {})


def _bad_urls(case: UrlCase, world: World) -> list[str]:
    kwargs = url_kwargs(case, world)
    url = reverse(case.name, kwargs=kwargs)
    urls = []
    # In the path: each string argument replaced (int arguments are refused by routing).
    for good in kwargs.values():
        if not isinstance(good, str) or not good:
            continue
        encoded = quote(good)
        for bad in BAD_VALUES.values():
            urls.append(url.replace(encoded, bad, 1))
    # In the query: every parameter the operation or page reads.
    for name in _query_parameters(case, url):
        for bad in BAD_VALUES.values():
            urls.append(f"{url}?{name}={bad}")
    return urls


def _bad_bodies(case: UrlCase, world: World) -> list[dict[str, Any]]:
    good = case.body(world) if case.body else {}
    keys = list(good) or ["description", "name", "code"]
    bodies = []
    for key in keys:
        for bad in BAD_FIELD_VALUES:
            if not case.name.startswith("api:") and not isinstance(bad, str | int):
                continue
            bodies.append({**good, key: bad})
    return bodies


def _assert_no_server_error(response, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} → {response.status_code}: {response.content[:500]!r}"
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.name}")
@pytest.mark.parametrize("persona", ["province_officer", "anonymous"])
def test_no_bad_value_in_a_url_or_body_gives_a_server_error(case, persona, client, world):
    if persona != "anonymous":
        client.force_login(getattr(world, persona))
    for url in _bad_urls(case, world):
        _assert_no_server_error(_send(client, case, url), f"{case.method.upper()} {url[:200]}")
    if case.method != "get":
        url = reverse(case.name, kwargs=url_kwargs(case, world))
        for body in _bad_bodies(case, world):
            response = _send(client, case, url, body)
            _assert_no_server_error(response, f"{case.method.upper()} {url} {str(body)[:200]}")

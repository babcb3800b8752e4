"""Every named URL has a permission case, and every case holds.

A new URL without a case in its app's `tests/url_cases.py` fails
`test_every_url_has_a_permission_case`, so no page or endpoint ships untested.
"""

from __future__ import annotations

import importlib
import io
import json
from urllib.parse import urlencode

import openpyxl
import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dxboard.testing import UrlCase, url_kwargs

# Django's own pages, tested by Django.
EXEMPT_PREFIXES = ("admin:",)
EXEMPT = {"set_language"}


def _named_urls(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}{pattern.namespace}:"
            names |= _named_urls(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def all_cases() -> list[UrlCase]:
    cases: list[UrlCase] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("dxboard."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.url_cases")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.tests.url_cases":
                raise
            continue
        cases.extend(module.CASES)
    from dxboard.tests.url_cases import CASES as project_cases

    return cases + list(project_cases)


CASES = all_cases()


def test_every_url_has_a_permission_case():
    covered = {case.name for case in CASES}
    names = {
        name
        for name in _named_urls(get_resolver())
        if name not in EXEMPT and not name.startswith(EXEMPT_PREFIXES)
    }
    missing = sorted(names - covered)
    assert not missing, f"URLs without a permission case in tests/url_cases.py: {missing}"


def _request(client, case: UrlCase, world):
    url = reverse(case.name, kwargs=url_kwargs(case, world))
    if case.query:
        url += "?" + urlencode(case.query(world))
    body = case.body(world) if case.body else {}
    if case.method == "get":
        return client.get(url)
    if case.name.startswith("api:"):
        return getattr(client, case.method)(
            url, data=json.dumps(body), content_type="application/json"
        )
    return getattr(client, case.method)(url, data=body)


def _text(response) -> str:
    """What a person reads in the answer: a workbook's cells, or the page or JSON."""
    if response.get("Content-Type", "").startswith("application/vnd.openxmlformats"):
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def _check(response, expectation: str) -> None:
    status = response.status_code
    if expectation == "login":
        assert status == 302 and "/accounts/login/" in response["Location"], status
    elif expectation == "ok":
        assert status < 400, status
    else:
        assert status == int(expectation), status


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"{c.method} {c.name}")
def test_anonymous_gets_the_expected_answer(case, client, world):
    _check(_request(client, case, world), case.anonymous)


def test_every_case_names_its_outsider_or_says_why_it_has_none():
    silent = sorted(f"{c.method} {c.name}" for c in CASES if not (c.outsider or c.no_outsider))
    assert not silent, f"URL cases with neither an outsider nor a reason (no_outsider=): {silent}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.outsider], ids=lambda c: f"{c.method} {c.name}"
)
def test_outsider_cannot_reach_another_units_object(case, client, world):
    marker = case.hidden(world) if case.hidden else None
    client.force_login(getattr(world, case.outsider))
    response = _request(client, case, world)
    _check(response, case.outsider_expects)
    if marker is not None:
        assert marker not in _text(response), f"{case.outsider} sees {marker!r}"


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.hidden], ids=lambda c: f"{c.method} {c.name}"
)
def test_the_insider_sees_what_the_outsider_must_not(case, client, world):
    # Without this the outsider check above would pass on a page that shows nobody anything.
    marker = case.hidden(world)
    client.force_login(getattr(world, case.insider))
    response = _request(client, case, world)
    if response.status_code == 302:  # a list of one goes straight to it
        response = client.get(response["Location"])
    assert response.status_code == 200, response.status_code
    assert marker in _text(response), f"{case.insider} does not see {marker!r}"

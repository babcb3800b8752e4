"""Every named URL has a permission case, and every case holds.

A new URL without a case in its app's `tests/url_cases.py` fails
`test_every_url_has_a_permission_case`, so no page or endpoint ships untested.
"""

from __future__ import annotations

import importlib
import json

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
    body = case.body(world) if case.body else {}
    if case.method == "get":
        return client.get(url)
    if case.name.startswith("api:"):
        return getattr(client, case.method)(
            url, data=json.dumps(body), content_type="application/json"
        )
    return getattr(client, case.method)(url, data=body)


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


@pytest.mark.parametrize(
    "case", [c for c in CASES if c.outsider], ids=lambda c: f"{c.method} {c.name}"
)
def test_outsider_cannot_reach_another_units_object(case, client, world):
    client.force_login(getattr(world, case.outsider))
    _check(_request(client, case, world), case.outsider_expects)

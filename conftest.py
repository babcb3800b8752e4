"""Fixtures for every app: personas, logged-in clients, and a Playwright browser.

Browser tests drive Debian's /usr/bin/chromium. Where it is missing they are skipped,
unless DXBOARD_REQUIRE_BROWSER=1 (set by CI), which turns a missing browser into a failure.
Every browser context they open is watched for Content-Security-Policy violations: a test
during which Chromium refused a script, a style or any other resource fails at teardown.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache

from dxboard.testing import PASSWORD, World, make_world

# Playwright's sync API keeps an event loop in the test thread; Django's ORM calls made by
# the test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DXBOARD_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("DXBOARD_TEST_ARTIFACTS", "test-artifacts")).resolve()
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.AXES_ENABLED = False
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.WHITENOISE_AUTOREFRESH = True
    # The revision that keys cached evaluations goes up on commit, and a test's writes are
    # never committed: tests evaluate afresh, except those of the cache itself.
    settings.DXBOARD_EVALUATION_CACHE_SECONDS = 0
    cache.clear()


@pytest.fixture(scope="session", autouse=True)
def _duckdb_detached_at_the_end(django_db_setup, django_db_blocker):
    """The evaluation engine's DuckDB keeps connections to the test database it attached
    (tests with `transaction=True`, live servers); PostgreSQL drops a database only once
    they are closed."""
    yield
    from dxboard.evaluation import engine

    engine.detach()


@pytest.fixture
def world(db) -> World:
    return make_world()


@pytest.fixture
def client_for(client, world):
    """`client_for("officer_a")` returns the test client logged in as that persona."""

    def login(persona: str):
        if persona == "anonymous":
            client.logout()
        else:
            client.force_login(getattr(world, persona))
        return client

    return login


# --- browser -----------------------------------------------------------------------------


# What Chromium writes to the console when the Content-Security-Policy refuses something.
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Refused to")
# Reported from inside the page too: the securitypolicyviolation event names the directive
# and the blocked resource, also for violations the console does not show.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.__dxboardCspViolation(
    `${e.effectiveDirective} refused ${e.blockedURI || "inline"} `
    + `(${e.sourceFile || document.location.href}:${e.lineNumber}) ${e.sample || ""}`.trim()
  );
});
"""
_csp_violations: list[str] = []


def _watch_csp(context: Any) -> None:
    """Record every CSP violation of the pages opened in `context` (see _no_csp_violation)."""

    def on_console(message: Any) -> None:
        if any(marker in message.text for marker in CSP_CONSOLE_MARKERS):
            _csp_violations.append(f"console: {message.text}")

    context.on("console", on_console)
    context.expose_binding(
        "__dxboardCspViolation", lambda source, text: _csp_violations.append(f"page: {text}")
    )
    context.add_init_script(CSP_LISTENER)


class _CspWatchedBrowser:
    """The Playwright browser, whose every new context is watched for CSP violations; tests
    that open their own context (no JavaScript, another viewport) are watched as well."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser

    def new_context(self, **options: Any) -> Any:
        context = self._browser.new_context(**options)
        _watch_csp(context)
        return context

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violation():
    """A test during which a page broke the Content-Security-Policy fails at teardown."""
    _csp_violations.clear()
    yield
    violations = list(dict.fromkeys(_csp_violations))
    _csp_violations.clear()
    assert not violations, "Content-Security-Policy violations:\n" + "\n".join(violations)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("DXBOARD_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield _CspWatchedBrowser(browser)
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A page on the live server. Any request that leaves 127.0.0.1 fails the test, and so
    does any Content-Security-Policy violation (see _no_csp_violation)."""
    context = browser.new_context(
        base_url=live_server.url, locale="vi-VN", viewport={"width": 1280, "height": 900}
    )
    outside: list[str] = []

    def guard(route):
        host = urlsplit(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    # One round trip to the page, so the violations it reported last have arrived (a page
    # that is navigating or crashed has nothing more to say).
    from playwright.sync_api import Error as PlaywrightError

    if not page.is_closed():
        with contextlib.suppress(PlaywrightError):
            page.evaluate("0")
    context.close()
    assert not outside, f"the page asked for resources outside 127.0.0.1: {outside}"


@pytest.fixture
def screenshot(page):
    """`screenshot("units-tree")` saves test-artifacts/units-tree.png and returns its path."""

    def take(name: str, full_page: bool = True) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        return path

    return take


@pytest.fixture
def login_page(page):
    """`login_page(user)` logs the browser in through the login form."""

    def login(user) -> None:
        page.goto("/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return login

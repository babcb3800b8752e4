"""The README's production section, run as written, on PostgreSQL.

A fresh database and data directory; `DXBOARD_ENV=production`; migrate, collectstatic,
load-units, createadmin, `check --deploy`; then the real server (`dxboard serve`, granian)
in a subprocess. The login page, the dashboard and the API docs must answer 200 and every
static file they link must resolve (a missing manifest entry is a 500 on every page).

It needs PostgreSQL (DATABASE_URL), so the SQLite run of CI skips it and the PostgreSQL
run executes it. It takes about a minute: it is marked `slow`.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from http.cookies import SimpleCookie
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

HOST = "dxboard.example.vn"
ADMIN_PASSWORD = "Smoke-" + secrets.token_urlsafe(16)
STATIC_LINK = re.compile(r"""(?:href|src)=["'](/static/[^"']+)["']""")


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("the production smoke test runs on PostgreSQL (set DATABASE_URL)")
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def production_database() -> Iterator[str]:
    """A new, empty database next to the one DATABASE_URL names; dropped afterwards."""
    import psycopg

    base = urllib.parse.urlsplit(_postgres_url())
    name = f"{base.path.lstrip('/') or 'dxboard'}_smoke_{os.getpid()}"
    admin_url = base._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base._replace(path=f"/{name}").geturl()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Browser:
    """Plain HTTP through the TLS-terminating proxy the README asks for.

    The proxy is played by the `X-Forwarded-Proto: https` header; cookies are kept by hand
    because production cookies are `Secure` and urllib would not send them over http.
    """

    def __init__(self, base: str) -> None:
        self.base = base
        self.cookies: dict[str, str] = {}
        self.headers = Message()  # of the last answer; case-insensitive names

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Host": HOST, "X-Forwarded-Proto": "https"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"https://{HOST}{path}"
        request = urllib.request.Request(self.base + path, data=body, headers=headers)
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:
            response = error
        self.headers = response.headers
        for header in response.headers.get_all("Set-Cookie") or []:
            for key, morsel in SimpleCookie(header).items():
                self.cookies[key] = morsel.value
        return response.status, response.read().decode("utf-8", "replace")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _run(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "dxboard", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
        timeout=300,
    )
    assert result.returncode == 0, f"dxboard {' '.join(args)}:\n{result.stdout}{result.stderr}"
    return result.stdout + result.stderr


def _wait_for(browser: Browser, server: subprocess.Popen[bytes], log: Path) -> None:
    # Starting a worker imports Django and every app; on a busy CI machine that takes a while.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        assert server.poll() is None, f"the server stopped:\n{log.read_text()}"
        try:
            browser.request("/healthz")
            return
        except OSError:
            time.sleep(1)
    pytest.fail(f"the server did not answer:\n{log.read_text()}")


def _assert_static_files_resolve(browser: Browser, html: str, page: str) -> None:
    # The page itself carries the Content-Security-Policy (issue 18), scripts from 'self' only.
    policy = browser.headers.get("Content-Security-Policy", "")
    assert "script-src 'self'" in policy, f"{page}: Content-Security-Policy {policy!r}"
    assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0], page
    links = sorted(set(STATIC_LINK.findall(html)))
    assert links, f"{page} links no static file"
    for link in links:
        status, _ = browser.request(link)
        assert status == 200, f"{page}: {link} answered {status}"


def test_the_readme_production_setup_serves_pages_and_their_static_files(
    production_database: str, tmp_path: Path
) -> None:
    env = {
        **os.environ,
        "DXBOARD_ENV": "production",
        "DXBOARD_SECRET_KEY": secrets.token_urlsafe(64),
        "DXBOARD_ALLOWED_HOSTS": HOST,
        "DXBOARD_CSRF_TRUSTED_ORIGINS": f"https://{HOST}",
        "DATABASE_URL": production_database,
        "DXBOARD_DATA_DIR": str(tmp_path / "data"),
        "DXBOARD_ADMIN_PASSWORD": ADMIN_PASSWORD,
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for browser tests only
    env.pop("DJANGO_SETTINGS_MODULE", None)
    _run(env, "migrate", "--noinput")
    _run(env, "collectstatic", "--noinput")
    _run(env, "load-units", "--province", "91")
    _run(env, "createadmin", "--username", "admin")
    deploy = _run(env, "check", "--deploy", "--fail-level", "WARNING")
    assert "no issues" in deploy

    port = _free_port()
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "dxboard", "serve", f"127.0.0.1:{port}", "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        browser = Browser(f"http://127.0.0.1:{port}")
        _wait_for(browser, server, log)

        status, login = browser.request("/accounts/login/")
        assert status == 200, login
        _assert_static_files_resolve(browser, login, "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login)
        assert token, "the login page has no CSRF token"
        status, _ = browser.request(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": token.group(1),
                "username": "admin",
                "password": ADMIN_PASSWORD,
            },
        )
        assert status == 302, "the administrator could not log in"

        status, dashboard = browser.request("/dashboard/")
        assert status == 200, dashboard
        _assert_static_files_resolve(browser, dashboard, "/dashboard/")

        status, docs = browser.request("/api/v1/docs")
        assert status == 200, docs
        _assert_static_files_resolve(browser, docs, "/api/v1/docs")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

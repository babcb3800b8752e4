"""Project-wide behaviour: the CLI, settings, formats, the deploy check and the demo logins."""

import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import translation

from dxboard.accounts.models import User
from dxboard.cli import main


def test_vietnamese_number_and_date_formats():
    template = Template(
        "{% load l10n humanize %}{{ n|floatformat:1 }} {{ big|intcomma }} {{ d|date:'SHORT_DATE_FORMAT' }}"
    )
    with translation.override("vi"):
        text = template.render(
            Context({"n": Decimal("1234.5"), "big": 6517, "d": date(2026, 11, 22)})
        )
    assert text == "1.234,5 6.517 22/11/2026"


def test_english_is_available():
    with translation.override("en"):
        assert translation.get_language() == "en"


def test_the_cli_accepts_hyphenated_command_names(capsys):
    with pytest.raises(SystemExit):
        main(["dxboard", "remove-stale-contenttypes", "--help"])
    assert "usage: dxboard remove_stale_contenttypes" in capsys.readouterr().out


def test_the_deploy_check_is_silent_in_production(tmp_path):
    env = {
        **os.environ,
        "DXBOARD_ENV": "production",
        "DXBOARD_SECRET_KEY": "k" * 20 + "x9Yz!Q" * 8,
        "DXBOARD_ALLOWED_HOSTS": "dxboard.example.vn",
        "DXBOARD_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by conftest for browser tests only
    result = subprocess.run(
        [sys.executable, "-m", "dxboard", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**os.environ, "DXBOARD_ENV": "production", "DXBOARD_DATA_DIR": str(tmp_path)}
    env.pop("DXBOARD_SECRET_KEY", None)
    result = subprocess.run(
        [sys.executable, "-m", "dxboard", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "DXBOARD_SECRET_KEY" in result.stderr


def test_createadmin_creates_a_superuser(db):
    call_command("createadmin", username="quantri", password="Mot-mat-khau-dai-2026")
    user = User.objects.get(username="quantri")
    assert user.is_superuser and user.check_password("Mot-mat-khau-dai-2026")


def test_the_health_check_answers(client, db):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_the_status_endpoint_is_public(client, db):
    assert client.get("/api/v1/status").json()["status"] == "ok"


def test_pages_open_in_vietnamese_even_for_an_english_browser(client, db):
    response = client.get("/accounts/login/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert "Đăng nhập" in response.content.decode()


def test_english_is_used_once_chosen(client, db):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/").content.decode()
    assert "Log in" in page
    assert "Đăng nhập DXBoard" not in page


def test_the_english_catalogue_labels_periods():
    from dxboard.periods import parse_period

    with translation.override("en"):
        assert parse_period("2024Q1").label == "QI 2024"
    with translation.override("vi"):
        assert parse_period("2024Q1").label == "Quý I/2024"


def test_serve_turns_debug_pages_off_unless_asked(monkeypatch):
    calls: list[list[str]] = []
    monkeypatch.delenv("DXBOARD_DEBUG", raising=False)
    monkeypatch.setattr("os.execv", lambda path, argv: calls.append(argv))
    call_command("serve", "127.0.0.1:8123")
    assert calls and calls[0][0].endswith("granian")
    assert os.environ["DXBOARD_DEBUG"] == "0"
    # An operator who sets it explicitly keeps it.
    monkeypatch.setenv("DXBOARD_DEBUG", "1")
    call_command("serve", "127.0.0.1:8123")
    assert os.environ["DXBOARD_DEBUG"] == "1"


@pytest.mark.django_db
def test_an_unknown_page_is_a_styled_vietnamese_404_without_the_url_list(client, settings):
    settings.DEBUG = False
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    text = response.content.decode()
    assert "Không tìm thấy trang" in text and "Về trang tổng quan" in text
    assert "URLconf" not in text and "urlpatterns" not in text


@pytest.mark.django_db
def test_a_forbidden_page_is_a_styled_vietnamese_403(client_for, settings):
    settings.DEBUG = False
    response = client_for("officer_a").get("/feedback/holidays/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Bạn không có quyền thực hiện thao tác này" in text
    assert "403 Forbidden" not in text


def test_a_form_refused_by_the_csrf_check_gets_the_styled_vietnamese_403(db):
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(
        "/accounts/login/", {"username": "x", "password": "y"}
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "phiên làm việc đã hết hạn" in page and "Forbidden (403)" not in page

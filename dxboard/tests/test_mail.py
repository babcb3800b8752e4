"""E-mail without SMTP in production (issue 18): a password-reset link never reaches the log.

Django's console backend prints every message to the server's standard output, which is
its log in production: anyone who reads the log could take over an account.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _backend(**env: str) -> str:
    """EMAIL_BACKEND as settings.py decides it in a fresh process with that environment."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DXBOARD_EMAIL")}
    clean.pop("DXBOARD_ENV", None)
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "dxboard.settings", **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return result.stdout.strip()


def test_production_without_smtp_does_not_print_mail():
    production = {"DXBOARD_ENV": "production", "DXBOARD_SECRET_KEY": "k" * 50}
    assert _backend(**production) == "dxboard.mail.NoSmtpBackend"
    assert (
        _backend(**production, DXBOARD_EMAIL_HOST="smtp.example.vn")
        == "django.core.mail.backends.smtp.EmailBackend"
    )
    assert _backend() == "django.core.mail.backends.console.EmailBackend"  # development


def test_a_reset_request_without_smtp_leaves_no_link_in_the_log(
    client, world, settings, caplog, capfd
):
    settings.EMAIL_BACKEND = "dxboard.mail.NoSmtpBackend"
    world.officer_a.email = "a@example.vn"
    world.officer_a.save()
    with caplog.at_level(logging.DEBUG):
        response = client.post(reverse("accounts:password_reset"), {"email": "a@example.vn"})
    assert response.status_code == 200  # the form again, saying no mail can be sent
    out, err = capfd.readouterr()
    logged = caplog.text + out + err
    assert "/accounts/password/reset/" not in logged and "token" not in logged.lower()
    assert "DXBOARD_EMAIL_HOST" in caplog.text and "a@example.vn" in caplog.text
    from django.core import mail

    assert not mail.outbox  # not sent anywhere


def test_the_console_backend_would_have_printed_the_link(client, world, settings, capfd):
    """The check above sees the link when it is there: the development backend prints it."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    world.officer_a.email = "a@example.vn"
    world.officer_a.save()
    client.post(reverse("accounts:password_reset"), {"email": "a@example.vn"})
    assert "/accounts/password/reset/" in capfd.readouterr().out

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from dxboard.accounts.models import ApiToken, Role
from dxboard.accounts.services import create_token, revoke_token, user_for_token
from dxboard.errors import InvalidInput, NotFound
from dxboard.testing import PASSWORD, make_user
from dxboard.units.models import Unit


def test_a_token_is_stored_only_as_a_hash(world):
    token, key = create_token(world.officer_a, "IOC")
    assert key.startswith("dxb_")
    assert key not in token.key_hash
    assert token.key_hash == ApiToken.hash_key(key)
    assert user_for_token(key) == world.officer_a


def test_a_revoked_or_expired_token_no_longer_authenticates(world):
    token, key = create_token(world.officer_a, "IOC")
    revoke_token(world.officer_a, token.pk)
    assert user_for_token(key) is None
    expired, expired_key = create_token(world.officer_a, "cũ", expires_in_days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(hours=1))
    assert user_for_token(expired_key) is None


def test_a_user_cannot_revoke_another_users_token(world):
    token, _key = create_token(world.officer_a, "IOC")
    with pytest.raises(NotFound):
        revoke_token(world.officer_b, token.pk)


def test_it_rejects_a_token_without_a_name(world):
    with pytest.raises(InvalidInput):
        create_token(world.officer_a, "  ")


def test_the_api_accepts_a_bearer_token(client, world):
    _token, key = create_token(world.officer_a, "IOC")
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "officer_a"
    assert body["memberships"] == [
        {"unit": "99001", "unitName": "Xã An Bình", "role": Role.REPORTER}
    ]


def test_the_api_answers_401_in_its_error_shape(client, world):
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer dxb_wrong"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"


def test_the_tokens_page_shows_a_new_key_once(client_for, world):
    client = client_for("officer_a")
    response = client.post(reverse("accounts:tokens"), {"name": "Đồng bộ IOC"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key and key in response.content.decode()
    again = client.get(reverse("accounts:tokens"))
    assert key not in again.content.decode()
    assert "Đồng bộ IOC" in again.content.decode()


def test_revoking_from_the_page(client_for, world):
    token, _key = create_token(world.officer_a, "IOC")
    client = client_for("officer_a")
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_login_and_logout_through_the_pages(client, world):
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("accounts:logout"))
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failed_logins_are_throttled(client, settings, world):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("accounts:login"), {"username": "officer_a", "password": "sai"})
    response = client.post(
        reverse("accounts:login"), {"username": "officer_a", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Tạm khóa đăng nhập" in response.content.decode()


def test_password_reset_sends_a_vietnamese_email(client, world):
    world.officer_a.email = "a@example.vn"
    world.officer_a.save()
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.vn"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Đặt lại mật khẩu" in mail.outbox[0].subject
    assert "/accounts/password/reset/" in mail.outbox[0].body


def test_password_change(client_for, world):
    client = client_for("officer_a")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mot-mat-khau-moi-2027",
            "new_password2": "Mot-mat-khau-moi-2027",
        },
    )
    assert response.status_code == 302
    world.officer_a.refresh_from_db()
    assert world.officer_a.check_password("Mot-mat-khau-moi-2027")


def test_passwords_are_hashed_with_argon2_outside_tests(db):
    from django.conf import settings as django_settings
    from django.test import override_settings

    from dxboard import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=project_settings.PASSWORD_HASHERS):
        user = make_user("argon")
        assert user.password.startswith("argon2")
    assert django_settings.PASSWORD_HASHERS  # the test setting is restored


def test_a_role_on_a_unit_covers_its_subtree(world):
    assert world.officer_a.has_role(Role.REPORTER, world.hamlet_a)
    assert not world.officer_a.has_role(Role.REPORTER, world.hamlet_b)
    assert not world.officer_a.has_role(Role.APPROVER, world.commune_a)
    visible = set(Unit.objects.visible_to(world.officer_a).values_list("code", flat=True))
    assert visible == {"99001", "99001-AP1"}
    assert Unit.objects.visible_to(world.citizen).count() == 0


def test_without_a_mail_server_the_reset_page_says_so_and_never_says_sent(client, world, settings):
    # In production without SMTP nothing can be sent; the page said "sent" all the same.
    settings.EMAIL_BACKEND = "dxboard.mail.NoSmtpBackend"
    world.officer_a.email = "a@example.vn"
    world.officer_a.save()
    page = client.get(reverse("accounts:password_reset")).content.decode()
    assert "chưa được cấu hình gửi thư" in page
    response = client.post(reverse("accounts:password_reset"), {"email": "a@example.vn"})
    assert response.status_code == 200
    assert "chưa được cấu hình gửi thư" in response.content.decode()
    assert len(mail.outbox) == 0

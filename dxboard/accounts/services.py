"""Account services: API tokens and role assignment. Views and API both call these."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import InvalidInput, NotFound
from dxboard.units.models import Unit, forget_membership_paths

from .models import ApiToken, Membership, Role, User

# Writing last_used_at on every request would turn each API read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def create_token(user: User, name: str, expires_in_days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for `user` and return it with its secret key, shown only once."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Hãy đặt tên cho mã truy cập."))
    if len(name) > 100:
        raise InvalidInput(_("Tên mã truy cập dài tối đa 100 ký tự."))
    if expires_in_days is not None and not 1 <= expires_in_days <= 3650:
        raise InvalidInput(_("Thời hạn phải từ 1 đến 3650 ngày."))
    key = ApiToken.generate_key()
    token = ApiToken.objects.create(
        user=user,
        name=name,
        key_prefix=key[:12],
        key_hash=ApiToken.hash_key(key),
        expires_at=timezone.now() + timedelta(days=expires_in_days) if expires_in_days else None,
    )
    return token, key


def revoke_token(user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; another user's token is not found."""
    token = ApiToken.objects.filter(user=user, pk=token_id, revoked_at__isnull=True).first()
    if token is None:
        raise NotFound(_("Không tìm thấy mã truy cập."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    return token


def user_for_token(key: str) -> User | None:
    """The active user a bearer key belongs to, or None."""
    if not key.startswith(ApiToken.PREFIX):
        return None
    # Looked up by its unique hash alone and checked here rather than in SQL: every API
    # request runs this, and the shorter query costs half as much to build.
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash_key(key)).first()
    now = timezone.now()
    if token is None or not token.is_active_at(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def grant_role(user: User, unit: Unit, role: str) -> Membership:
    if role not in Role.values:
        raise InvalidInput(_("Vai trò không hợp lệ: %(role)s") % {"role": role})
    membership, _created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    forget_membership_paths(user)
    return membership


def create_user(
    username: str,
    password: str | None,
    *,
    full_name: str = "",
    email: str = "",
    memberships: list[tuple[Unit, str]] = (),
    is_superuser: bool = False,
) -> User:
    """Create a user with roles; the one way demo, admin command and tests make users."""
    with transaction.atomic():
        user = User(username=username, full_name=full_name, email=email)
        user.is_superuser = user.is_staff = is_superuser
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save()
        for unit, role in memberships:
            grant_role(user, unit, role)
    return user

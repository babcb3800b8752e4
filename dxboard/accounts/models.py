"""Users, their unit memberships and roles, and personal API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxboard.units.models import Unit, UnitScopedQuerySet


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị đơn vị")
    PROVINCE_OFFICER = "province_officer", _("Chuyên viên Sở (quản lý chương trình)")
    REPORTER = "reporter", _("Cán bộ báo cáo")
    APPROVER = "approver", _("Lãnh đạo phê duyệt")
    VIEWER = "viewer", _("Lãnh đạo, người xem")
    FEEDBACK_HANDLER = "feedback_handler", _("Cán bộ xử lý phản ánh")


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def has_role(self, role: str, unit: Unit | None = None) -> bool:
        """Whether the user holds `role` on `unit` (or on any unit when none is given).

        A role held on a unit covers its whole subtree; administrators hold every role.
        """
        if self.is_superuser:
            return True
        units = Unit.objects.visible_to(self, roles=[role])
        if unit is None:
            return units.exists()
        return units.filter(pk=unit.pk).exists()


class MembershipQuerySet(UnitScopedQuerySet):
    pass


class Membership(models.Model):
    """A user acts in a role on a unit and everything below it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("đơn vị")
    )
    role = models.CharField(_("vai trò"), max_length=30, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("phân quyền")
        verbose_name_plural = _("phân quyền")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "unit", "role"],
                name="membership_unique",
                violation_error_message=_("Người dùng đã có vai trò này tại đơn vị này."),
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="membership_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.unit}"


class ApiToken(models.Model):
    """A personal token for the API: `Authorization: Bearer dxb_...`.

    Only a SHA-256 hash is stored; the token itself is shown once, when it is created.
    """

    PREFIX = "dxb_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("tên"), max_length=100)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def is_active_at(self, now) -> bool:
        """Neither revoked nor expired at `now`."""
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    @staticmethod
    def hash_key(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def generate_key(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

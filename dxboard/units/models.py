"""Administrative and organisational units, their history and groups.

A unit's place in the tree is kept as a materialised path of primary keys
("/1/25/300/"), so a subtree is one indexed prefix query on both databases.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Length, Substr
from django.utils.translation import gettext_lazy as _

from dxboard.text import fold, sort_key

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

CODE_VALIDATOR = RegexValidator(
    r"^[A-Za-z0-9_-]+$",
    _("Mã chỉ gồm chữ cái không dấu, chữ số, dấu gạch dưới (_) và gạch ngang (-)."),
)


class UnitKind(models.TextChoices):
    NATION = "nation", _("Quốc gia")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện (trước 01/7/2025)")
    COMMUNE = "commune", _("Xã, phường, đặc khu")
    HAMLET = "hamlet", _("Thôn, ấp, tổ dân phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMITTEE = "committee", _("Ban chỉ đạo")
    OTHER = "other", _("Đơn vị khác")


ADMINISTRATIVE_KINDS = (
    UnitKind.NATION,
    UnitKind.PROVINCE,
    UnitKind.DISTRICT,
    UnitKind.COMMUNE,
    UnitKind.HAMLET,
)
AGENCY_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMITTEE, UnitKind.OTHER)


def membership_paths(user: User, roles: Iterable[str] | None = None) -> tuple[str, ...]:
    """The paths of the units the user holds a role on (with `roles`, one of those).

    Read once per user object and kept on it: a request's user is loaded for that request,
    and one request asks several times (the programme, the unit, the access check).
    `accounts` forgets them when it grants or removes a role through that object.
    """
    key = None if roles is None else frozenset(roles)
    # getattr/setattr rather than __dict__: request.user is a lazy wrapper, and only
    # attribute access reaches the User inside it (where `forget` finds it too).
    known: dict | None = getattr(user, "_membership_paths", None)
    if known is None:
        known = {}
        user._membership_paths = known
    if key not in known:
        memberships = user.memberships.all()
        if key is not None:
            memberships = memberships.filter(role__in=key)
        # The same query brings the direct predecessors of each unit (a LEFT JOIN, so a
        # user without any costs nothing more): the officer of a unit that succeeded
        # others works on their history too (issue 17), not on a neighbour's.
        rows = memberships.values_list("unit__path", "unit__successions_in__predecessor__path")
        paths = {path for path, _former in rows}
        former = {path for _path, path in rows if path}
        known[key] = tuple(sorted(paths)) + tuple(sorted(older_paths(former) - paths))
    return known[key]


def older_paths(paths: set[str]) -> set[str]:
    """`paths` and the paths of their predecessors, through every earlier reorganisation
    (one query per generation; none when there is no predecessor)."""
    found = set(paths)
    frontier = paths
    while frontier:
        earlier = set(
            UnitSuccession.objects.filter(successor__path__in=frontier).values_list(
                "predecessor__path", flat=True
            )
        )
        frontier = earlier - found
        found |= frontier
    return found


def forget_membership_paths(user: User) -> None:
    if getattr(user, "_membership_paths", None) is not None:
        user._membership_paths = None


def in_line_with_memberships(user: User, unit_field: str) -> Q:
    """Rows whose unit (`unit_field`) is at, below or above one of the user's units: a
    commune officer follows the province's programmes and forms for their commune."""
    paths = membership_paths(user)
    if not paths:
        return Q(pk__in=[])  # matches nothing
    condition = Q()
    ancestor_ids: set[int] = set()
    for path in paths:
        condition |= Q(**{f"{unit_field}__path__startswith": path})
        ancestor_ids.update(int(part) for part in path.strip("/").split("/") if part)
    return condition | Q(**{f"{unit_field}_id__in": ancestor_ids})


class UnitQuerySet(models.QuerySet["Unit"]):
    def in_force(self, on=None) -> UnitQuerySet:
        """Units valid on a date (today's units when no date is given)."""
        if on is None:
            return self.filter(valid_to__isnull=True)
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )

    def subtree_of(self, units: Iterable[Unit]) -> UnitQuerySet:
        """The given units and everything below them."""
        condition = Q()
        for unit in units:
            condition |= Q(path__startswith=unit.path)
        return self.filter(condition) if condition else self.none()

    def visible_to(self, user: User | AnonymousUser, roles: Iterable[str] | None = None):
        """The units a user may see (or, with `roles`, act on in one of those roles).

        This is the one place where row-level access is decided; every other model
        scopes itself through its unit with `UnitScopedQuerySet.visible_to`.
        Administrators see everything. Other users see the subtrees of the units they
        are members of.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        paths = membership_paths(user, roles)
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition) if paths else self.none()

    def search(self, text: str) -> UnitQuerySet:
        """Match code or name, ignoring case and diacritics ("an giang" = "AN GIANG")."""
        folded = fold(text)
        if not folded:
            return self
        return self.filter(Q(search_name__contains=folded) | Q(code__iexact=text.strip()))


class UnitScopedQuerySet(models.QuerySet):
    """Base queryset for any model that belongs to a unit.

    Subclasses set `unit_field` when the unit is reached through a relation
    ("submission__unit").
    """

    unit_field = "unit"

    def visible_to(self, user, roles: Iterable[str] | None = None):
        units = Unit.objects.visible_to(user, roles)
        return self.filter(**{f"{self.unit_field}__in": units})


class Unit(models.Model):
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=200, blank=True)
    kind = models.CharField(_("loại"), max_length=20, choices=UnitKind.choices)
    division_type = models.CharField(
        _("loại đơn vị hành chính"),
        max_length=30,
        blank=True,
        help_text=_("Ví dụ: tỉnh, thành phố, xã, phường, đặc khu, thôn, ấp."),
    )
    official = models.BooleanField(
        _("mã chính thức"),
        default=False,
        help_text=_("Mã theo danh mục đơn vị hành chính của Nhà nước."),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    population = models.PositiveIntegerField(_("dân số"), null=True, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    contact_name = models.CharField(_("người liên hệ"), max_length=150, blank=True)
    contact_phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    contact_email = models.EmailField(_("thư điện tử"), blank=True)
    search_name = models.CharField(max_length=300, editable=False, default="")
    sort_key = models.CharField(max_length=600, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="unit_code_unique_in_force",
                violation_error_message=_("Đã có đơn vị đang hiệu lực mang mã này."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="unit_kind_valid",
                violation_error_message=_("Loại đơn vị không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="unit_code_not_empty",
                violation_error_message=_("Mã đơn vị không được để trống."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.search_name = fold(f"{self.name} {self.code}")
        self.sort_key = sort_key(self.name)
        super().save(*args, **kwargs)
        self._refresh_path()

    def get_absolute_url(self) -> str:
        """The unit's page; a former unit's carries `?asOf=` its last day, because its code
        may name another unit today (80 was Long An, is now Tây Ninh)."""
        from django.urls import reverse

        url = reverse("units:detail", args=[self.code])
        return url if self.valid_to is None else f"{url}?asOf={self.valid_to.isoformat()}"

    def _refresh_path(self) -> None:
        """Recompute this unit's path and, if it moved, its descendants' paths in one UPDATE."""
        parent_path = self.parent.path if self.parent_id else "/"
        new_path = f"{parent_path}{self.pk}/"
        old_path = self.path
        if new_path == old_path:
            return
        new_depth = new_path.count("/") - 2
        if old_path:
            descendants = Unit.objects.filter(path__startswith=old_path).exclude(pk=self.pk)
            descendants.update(
                path=Concat(Value(new_path), Substr("path", Length(Value(old_path)) + 1)),
                depth=F("depth") + (new_depth - self.depth),
            )
        Unit.objects.filter(pk=self.pk).update(path=new_path, depth=new_depth)
        self.path, self.depth = new_path, new_depth

    @property
    def in_force(self) -> bool:
        return self.valid_to is None

    def is_visible_to(self, user: User | AnonymousUser, roles: Iterable[str] | None = None) -> bool:
        """`Unit.objects.visible_to(user, roles)` contains this unit (no query once the
        user's memberships are known)."""
        if not user.is_authenticated or not user.is_active:
            return False
        if user.is_superuser:
            return True
        return any(self.path.startswith(path) for path in membership_paths(user, roles))

    def ancestors(self) -> UnitQuerySet:
        ids = [int(part) for part in self.path.strip("/").split("/") if part]
        return Unit.objects.filter(pk__in=ids[:-1]).order_by("depth")

    def descendants(self, include_self: bool = True) -> UnitQuerySet:
        qs = Unit.objects.filter(path__startswith=self.path)
        return qs if include_self else qs.exclude(pk=self.pk)


class SuccessionKind(models.TextChoices):
    MERGE = "merge", _("Sáp nhập")
    SPLIT = "split", _("Chia tách")
    RENAME = "rename", _("Đổi tên, đổi mã")
    TRANSFER = "transfer", _("Điều chỉnh địa giới")


class UnitSuccession(models.Model):
    """A predecessor unit that became (part of) a successor on a date.

    "A and B merged into C on 1/7/2025" is two rows: A -> C and B -> C.
    """

    predecessor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions_out", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="successions_in", verbose_name=_("đơn vị mới")
    )
    kind = models.CharField(_("hình thức"), max_length=20, choices=SuccessionKind.choices)
    effective_on = models.DateField(_("ngày có hiệu lực"))
    legal_reference = models.CharField(_("văn bản"), max_length=200, blank=True)
    share = models.DecimalField(
        _("tỷ lệ chuyển sang"),
        max_digits=7,
        decimal_places=6,
        default=Decimal(1),
        help_text=_(
            "Phần của đơn vị cũ chuyển sang đơn vị mới (1 khi sáp nhập cả đơn vị). Khi chia "
            "tách, các tỷ lệ của một đơn vị cũ cộng lại bằng 1; mặc định theo diện tích, "
            "có thể sửa, ví dụ theo dân số."
        ),
    )

    class Meta:
        verbose_name = _("kế thừa đơn vị")
        verbose_name_plural = _("kế thừa đơn vị")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="unit_succession_unique",
                violation_error_message=_("Quan hệ kế thừa này đã được ghi nhận."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("Một đơn vị không thể kế thừa chính nó."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=SuccessionKind.values),
                name="unit_succession_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=1),
                name="unit_succession_share_in_range",
                violation_error_message=_("Tỷ lệ chuyển sang phải lớn hơn 0 và không quá 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"

    @property
    def share_percent(self) -> Decimal:
        return self.share * 100


class UnitGroupQuerySet(UnitScopedQuerySet):
    unit_field = "owner_unit"


class UnitGroup(models.Model):
    """A named set of units, e.g. "15 xã thí điểm chuyển đổi số năm 2021"."""

    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    owner_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="owned_groups",
        verbose_name=_("đơn vị quản lý"),
        help_text=_("Người dùng thấy nhóm nếu thấy đơn vị quản lý."),
    )
    units = models.ManyToManyField(Unit, related_name="unit_groups", verbose_name=_("đơn vị"))

    objects = UnitGroupQuerySet.as_manager()

    class Meta:
        verbose_name = _("nhóm đơn vị")
        verbose_name_plural = _("nhóm đơn vị")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

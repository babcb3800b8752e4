"""Community digital technology teams (Tổ công nghệ số cộng đồng): teams, members, activities.

A team belongs to one hamlet (thôn, ấp, tổ dân phố) or, where a commune has no hamlets
recorded, to the commune. Only one team per unit may be active at a time.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dxboard.units.models import Unit, UnitScopedQuerySet


class TeamStatus(models.TextChoices):
    ACTIVE = "active", _("Đang hoạt động")
    DISSOLVED = "dissolved", _("Đã giải thể")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Tổ trưởng")
    DEPUTY = "deputy", _("Tổ phó")
    MEMBER = "member", _("Thành viên")


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class AgeGroup(models.TextChoices):
    UNDER_30 = "under_30", _("Dưới 30 tuổi")
    FROM_30_TO_45 = "30_45", _("Từ 30 đến 45 tuổi")
    FROM_46_TO_60 = "46_60", _("Từ 46 đến 60 tuổi")
    OVER_60 = "over_60", _("Trên 60 tuổi")


class ActivityKind(models.TextChoices):
    VNEID = "vneid", _("Cài đặt, kích hoạt VNeID")
    PUBLIC_SERVICES = "public_services", _("Dịch vụ công trực tuyến")
    CASHLESS = "cashless", _("Thanh toán không dùng tiền mặt")
    ECOMMERCE = "ecommerce", _("Thương mại điện tử")
    DIGITAL_SKILLS = "digital_skills", _("Kỹ năng số")
    SECURITY = "security", _("An toàn thông tin")
    OTHER = "other", _("Khác")


class TeamQuerySet(UnitScopedQuerySet):
    unit_field = "unit"

    def active(self) -> TeamQuerySet:
        return self.filter(status=TeamStatus.ACTIVE)


class Team(models.Model):
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        related_name="community_teams",
        verbose_name=_("thôn, ấp hoặc xã"),
    )
    name = models.CharField(_("tên tổ"), max_length=200)
    founded_on = models.DateField(_("ngày thành lập"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định"), max_length=50, blank=True)
    decision_date = models.DateField(_("ngày quyết định"), null=True, blank=True)
    decision_signer = models.CharField(_("người ký"), max_length=150, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=TeamStatus.choices, default=TeamStatus.ACTIVE
    )
    # The team counts in the figures of every period that ends before this day.
    dissolved_on = models.DateField(_("ngày giải thể"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = TeamQuerySet.as_manager()

    class Meta:
        verbose_name = _("tổ công nghệ số cộng đồng")
        verbose_name_plural = _("tổ công nghệ số cộng đồng")
        ordering = ["unit__sort_key", "pk"]
        constraints = [
            # One active team per hamlet or commune (Công văn 793/BTTTT-THH).
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status="active"),
                name="community_one_active_team_per_unit",
                violation_error_message=_("Đơn vị này đã có một tổ công nghệ số đang hoạt động."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=TeamStatus.values), name="community_team_status_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="community_team_name_not_empty"),
            models.CheckConstraint(
                condition=Q(status="active", dissolved_on__isnull=True)
                | Q(status="dissolved", dissolved_on__isnull=False),
                name="community_team_dissolved_on_with_status",
                violation_error_message=_(
                    "Tổ đã giải thể phải có ngày giải thể, tổ đang hoạt động thì không."
                ),
            ),
            models.CheckConstraint(
                condition=Q(founded_on__isnull=True)
                | Q(dissolved_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="community_team_dissolved_after_founded",
                violation_error_message=_("Ngày giải thể không được trước ngày thành lập."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MemberQuerySet(UnitScopedQuerySet):
    unit_field = "team__unit"

    def current(self) -> MemberQuerySet:
        """Members who have not left their team (a leaving date is never in the future)."""
        return self.filter(left_on__isnull=True)


class Member(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="members", verbose_name=_("tổ")
    )
    full_name = models.CharField(_("họ và tên"), max_length=150)
    role = models.CharField(
        _("chức danh trong tổ"),
        max_length=10,
        choices=MemberRole.choices,
        default=MemberRole.MEMBER,
    )
    phone = models.CharField(_("điện thoại"), max_length=15, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("năm sinh"), null=True, blank=True)
    age_group = models.CharField(
        _("nhóm tuổi"), max_length=10, choices=AgeGroup.choices, blank=True
    )
    organisation = models.CharField(
        _("đơn vị công tác"),
        max_length=150,
        blank=True,
        help_text=_("Ví dụ: Đoàn Thanh niên, Hội Phụ nữ, Công an xã, giáo viên."),
    )
    trained = models.BooleanField(_("đã tập huấn"), default=False)
    joined_on = models.DateField(_("ngày tham gia"), null=True, blank=True)
    # The member counts in the figures of every period that ends before this day; the
    # row stays, so past periods keep them.
    left_on = models.DateField(_("ngày thôi tham gia"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên tổ")
        verbose_name_plural = _("thành viên tổ")
        ordering = ["team", "role", "full_name"]
        constraints = [
            # Among current members only: someone who left may join again (a new row).
            models.UniqueConstraint(
                fields=["team", "full_name", "phone"],
                condition=Q(left_on__isnull=True),
                name="community_member_once_per_team",
                violation_error_message=_(
                    "Thành viên này (cùng họ tên và số điện thoại) đã có trong tổ."
                ),
            ),
            models.CheckConstraint(
                condition=Q(role__in=MemberRole.values), name="community_member_role_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender="") | Q(gender__in=Gender.values),
                name="community_member_gender_valid",
            ),
            models.CheckConstraint(
                condition=Q(age_group="") | Q(age_group__in=AgeGroup.values),
                name="community_member_age_group_valid",
            ),
            models.CheckConstraint(
                condition=~Q(full_name=""), name="community_member_name_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True)
                | Q(left_on__isnull=True)
                | Q(left_on__gte=F("joined_on")),
                name="community_member_left_after_joined",
                violation_error_message=_("Ngày thôi tham gia không được trước ngày tham gia."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class ActivityQuerySet(UnitScopedQuerySet):
    unit_field = "team__unit"


class Activity(models.Model):
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="activities", verbose_name=_("tổ")
    )
    date = models.DateField(_("ngày"))
    kind = models.CharField(_("nội dung"), max_length=20, choices=ActivityKind.choices)
    people_helped = models.PositiveIntegerField(_("số người được hỗ trợ"), default=0)
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        verbose_name = _("hoạt động của tổ")
        verbose_name_plural = _("hoạt động của tổ")
        ordering = ["-date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ActivityKind.values), name="community_activity_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(people_helped__gte=0), name="community_activity_people_non_negative"
            ),
        ]
        indexes = [
            # Activities of one team in date order: WHERE team_id = ? ORDER BY date DESC.
            models.Index(fields=["team", "date"], name="community_activity_team_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date:%d/%m/%Y}"

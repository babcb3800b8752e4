"""Scorecard sets (bộ chỉ số), their annual campaign, the units' scores and their audit.

A set is versioned by year and by the kind of unit it assesses; it is also that year's
campaign (đợt đánh giá): its status moves open → review → confirmed → published. The
tree has two levels, groups (chỉ số chính) and criteria (chỉ số thành phần), each with
its maximum points; `services.check_maxima` makes the children add up to their parent.

A unit's score on a criterion keeps the unit's own figure or points, the automatic
figure when the criterion is bound to the data DXBoard holds, and the reviewer's
adjustment with its reason; every change writes a `ScoreChange` row.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dxboard.indicators.models import DataElement, Indicator, Pillar, Programme
from dxboard.units.models import CODE_VALIDATOR, Unit, UnitKind, UnitScopedQuerySet

ASSESSED_KINDS = (UnitKind.DEPARTMENT, UnitKind.COMMUNE, UnitKind.PROVINCE, UnitKind.DISTRICT)


class Status(models.TextChoices):
    OPEN = "open", _("Đang tự đánh giá")
    REVIEW = "review", _("Đang thẩm định")
    CONFIRMED = "confirmed", _("Hội đồng đã xác nhận")
    PUBLISHED = "published", _("Đã công bố")


class RuleType(models.TextChoices):
    RATIO = "ratio", _("Tỷ lệ a/b × điểm tối đa")
    STEPS = "steps", _("Theo ngưỡng")
    TIERS = "tiers", _("Theo mức")
    YESNO = "yesno", _("Có/không")
    BEST = "best", _("So với đơn vị cao nhất")
    MANUAL = "manual", _("Chấm điểm trực tiếp")


class Scorecard(models.Model):
    code = models.CharField(_("mã"), max_length=50, unique=True, validators=[CODE_VALIDATOR])
    name = models.CharField(_("tên"), max_length=300)
    year = models.PositiveSmallIntegerField(_("năm đánh giá"))
    unit_kind = models.CharField(_("loại đơn vị được đánh giá"), max_length=20)
    max_points = models.DecimalField(_("tổng điểm tối đa"), max_digits=9, decimal_places=2)
    owner_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="scorecards", verbose_name=_("đơn vị ban hành")
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scorecards",
        verbose_name=_("chương trình cung cấp số liệu"),
    )
    legal_reference = models.CharField(_("văn bản ban hành"), max_length=300, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    opens_on = models.DateField(_("ngày mở tự đánh giá"))
    closes_on = models.DateField(_("hạn nộp tự đánh giá"))
    decision = models.CharField(_("quyết định công nhận kết quả"), max_length=200, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("bộ chỉ số")
        verbose_name_plural = _("bộ chỉ số")
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="scorecard_max_points_not_negative",
                violation_error_message=_("Tổng điểm tối đa không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="scorecard_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(unit_kind__in=[k.value for k in ASSESSED_KINDS]),
                name="scorecard_unit_kind_valid",
                violation_error_message=_("Loại đơn vị được đánh giá không hợp lệ."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")),
                name="scorecard_dates_ordered",
                violation_error_message=_("Hạn nộp không được trước ngày mở."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class Group(models.Model):
    """A main index (chỉ số chính), e.g. "Nhận thức số", 100 points."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="groups")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    stt = models.CharField(_("STT"), max_length=20)
    name = models.CharField(_("tên"), max_length=300)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=2)
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, blank=True)
    ranked = models.BooleanField(_("xếp hạng"), default=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "code"],
                name="scorecard_group_code_unique",
                violation_error_message=_("Mã nhóm chỉ số bị trùng trong bộ chỉ số."),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="scorecard_group_max_not_negative",
                violation_error_message=_("Điểm tối đa không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stt}. {self.name}"


class Criterion(models.Model):
    """A component index (chỉ số thành phần) and how it is scored."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(_("mã"), max_length=50, validators=[CODE_VALIDATOR])
    stt = models.CharField(_("STT"), max_length=20)
    name = models.CharField(_("tên"), max_length=500)
    max_points = models.DecimalField(_("điểm tối đa"), max_digits=9, decimal_places=2)
    rule_type = models.CharField(_("cách tính điểm"), max_length=20, choices=RuleType.choices)
    # The rule's parameters (steps, tiers, direction): their shape depends on the rule
    # type and is checked by `rules.parse_rule`, the one reader of this field.
    rule = models.JSONField(_("tham số cách tính"), default=dict, blank=True)
    method = models.TextField(_("cách xác định và tính điểm"), blank=True)
    evidence = models.TextField(_("tài liệu kiểm chứng"), blank=True)
    source = models.CharField(_("nguồn thu thập dữ liệu"), max_length=300, blank=True)
    verifier = models.CharField(_("đơn vị xác minh"), max_length=300, blank=True)
    ranked = models.BooleanField(_("xếp hạng"), default=True)
    indicator = models.ForeignKey(
        Indicator, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    numerator = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    denominator = models.ForeignKey(
        DataElement, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "code"],
                name="scorecard_criterion_code_unique",
                violation_error_message=_("Mã chỉ số thành phần bị trùng."),
            ),
            models.CheckConstraint(
                condition=Q(max_points__gte=0),
                name="scorecard_criterion_max_not_negative",
                violation_error_message=_("Điểm tối đa không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(rule_type__in=RuleType.values), name="scorecard_rule_type_valid"
            ),
            models.CheckConstraint(
                condition=Q(indicator__isnull=True) | Q(numerator__isnull=True),
                name="scorecard_criterion_one_binding",
                violation_error_message=_("Chỉ gắn với một chỉ tiêu hoặc với phần tử số liệu."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.stt}. {self.name}"

    @property
    def is_automatic(self) -> bool:
        return self.indicator_id is not None or self.numerator_id is not None


class RankTier(models.Model):
    """A grouped rank ("Nhóm 1" from an index of 0.8) defined by the set."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="tiers")
    name = models.CharField(_("tên nhóm"), max_length=100)
    min_index = models.DecimalField(_("chỉ số từ"), max_digits=5, decimal_places=4)

    class Meta:
        ordering = ["-min_index"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_index__gte=0) & Q(min_index__lte=1),
                name="scorecard_tier_index_range",
                violation_error_message=_("Ngưỡng nhóm phải từ 0 đến 1."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ParticipantQuerySet(UnitScopedQuerySet):
    pass


class Participant(models.Model):
    """A unit assessed in a campaign: its submission and whether it is ranked."""

    scorecard = models.ForeignKey(Scorecard, on_delete=models.CASCADE, related_name="participants")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    ranked = models.BooleanField(_("xếp hạng"), default=True)
    exclusion_reason = models.CharField(_("lý do không xếp hạng"), max_length=300, blank=True)

    objects = ParticipantQuerySet.as_manager()

    class Meta:
        ordering = ["unit__sort_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "unit"],
                name="scorecard_participant_unique",
                violation_error_message=_("Đơn vị đã có trong đợt đánh giá."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.scorecard.code} – {self.unit.code}"


class Score(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    # The figure the rule reads: a count, a share in %, 1/0 for yes/no; a/b for a ratio.
    value = models.DecimalField(
        _("giá trị"), null=True, blank=True, max_digits=20, decimal_places=6
    )
    numerator = models.DecimalField(
        _("tử số"), null=True, blank=True, max_digits=20, decimal_places=6
    )
    denominator = models.DecimalField(
        _("mẫu số"), null=True, blank=True, max_digits=20, decimal_places=6
    )
    choice = models.CharField(_("mức"), max_length=50, blank=True)
    self_points = models.DecimalField(
        _("điểm tự chấm"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    automatic = models.BooleanField(_("tự động"), default=False)
    explanation = models.TextField(_("giải trình"), blank=True)
    reviewed_points = models.DecimalField(
        _("điểm thẩm định"), null=True, blank=True, max_digits=9, decimal_places=2
    )
    review_reason = models.TextField(_("lý do điều chỉnh"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "criterion"],
                name="scorecard_score_unique",
                violation_error_message=_("Chỉ số đã có điểm của đơn vị này."),
            ),
            models.CheckConstraint(
                condition=Q(self_points__isnull=True) | Q(self_points__gte=0),
                name="scorecard_self_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(reviewed_points__isnull=True) | Q(reviewed_points__gte=0),
                name="scorecard_reviewed_points_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} {self.criterion.code}"


class ScoreChange(models.Model):
    """The audit of a score: who changed what, when, from what to what, and why."""

    class Stage(models.TextChoices):
        SELF = "self", _("Tự đánh giá")
        AUTOMATIC = "automatic", _("Tự động")
        REVIEW = "review", _("Thẩm định")

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField()
    user = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    stage = models.CharField(max_length=20, choices=Stage.choices)
    old = models.CharField(_("trước"), max_length=100, blank=True)
    new = models.CharField(_("sau"), max_length=100, blank=True)
    reason = models.TextField(_("lý do"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stage__in=["self", "automatic", "review"]),
                name="scorecard_change_stage_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.score} {self.old} → {self.new}"


def evidence_path(instance: Evidence, filename: str) -> str:
    score = instance.score
    return (
        f"scorecards/{score.participant.scorecard.code}/{score.participant.unit.code}/"
        f"{score.criterion.code}/{filename}"
    )


class Evidence(models.Model):
    """A document proving a self-assessed score (tài liệu kiểm chứng)."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="evidence_files")
    file = models.FileField(upload_to=evidence_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name

"""The annual cycle: self-assessment, submission, review, council confirmation, publication.

    save_scores(user, scorecard, entries) -> int          # self-assessment or review
    submit(user, scorecard, unit) -> Participant          # the unit's head submits
    start_review(user, scorecard)                         # submissions close
    confirm(user, scorecard, decision)                    # the council's decision
    publish(user, scorecard)
    set_ranked(user, scorecard, unit, ranked, reason)
    add_evidence(user, scorecard, unit, criterion_code, name, content) -> Evidence
    get_participant(user, scorecard, unit_code) -> Participant   # NotFound when hidden

While the campaign is open, a unit's officers score its criteria with an explanation and
evidence until the deadline; the head submits. Then the province officer reviews and may
set any score with a reason; the council's decision confirms; results are published.
Every change of a score writes a `ScoreChange` (who, when, old, new, why).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import Conflict, ErrorDetail, InvalidInput, NotFound
from dxboard.feedback.images import clean_photo
from dxboard.text import one_line

from .automatic import Figure, automatic_figures
from .models import (
    Criterion,
    Evidence,
    Participant,
    RuleType,
    Score,
    Scorecard,
    ScoreChange,
    Status,
)
from .rules import Rule, RuleError, parse_figure, parse_rule
from .sets import can_see_scorecard

MAX_EXPLANATION = 2000
MAX_ENTRIES = 5000
DEFAULT_MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MAX_EVIDENCE_PER_SCORE = 10
# Office documents: what their first bytes must be, by extension.
_ZIP, _OLE2, _PDF = b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF-"
EVIDENCE_TYPES = {
    "pdf": ("application/pdf", _PDF),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", _ZIP),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", _ZIP),
    "pptx": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", _ZIP),
    "doc": ("application/msword", _OLE2),
    "xls": ("application/vnd.ms-excel", _OLE2),
    "odt": ("application/vnd.oasis.opendocument.text", _ZIP),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", _ZIP),
}
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png"}


def rule_of(criterion: Criterion) -> Rule:
    return parse_rule(criterion.rule_type, criterion.rule, criterion.max_points)


def _date(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


# --- access ------------------------------------------------------------------------------


def get_participant(user: Any, scorecard: Scorecard, unit_code: str) -> Participant:
    """The unit's place in the campaign, if the user may see its scores.

    Until the results are published a unit's scores are seen by the unit (and whoever
    holds a role above it, e.g. the province's officers) only: anyone else gets 404.
    """
    participant: Participant | None = (
        Participant.objects.select_related("unit", "scorecard", "submitted_by")
        .filter(scorecard=scorecard, unit__code=unit_code)
        .first()
    )
    if participant is None or not can_see_participant(user, participant):
        raise NotFound(_("Không tìm thấy đơn vị “%(c)s” trong đợt đánh giá.") % {"c": unit_code})
    return participant


def can_see_participant(user: Any, participant: Participant) -> bool:
    scorecard = participant.scorecard
    if not can_see_scorecard(user, scorecard):
        return False
    if user is None or scorecard.is_published:
        return True
    return bool(participant.unit.is_visible_to(user))


def is_late(scorecard: Scorecard, participant: Participant) -> bool:
    """Not submitted and the deadline has passed (or submissions are closed)."""
    if participant.submitted_at is not None:
        return False
    return scorecard.status != Status.OPEN or timezone.localdate() > scorecard.closes_on


# --- scores ------------------------------------------------------------------------------


@dataclass
class _Entry:
    participant: Participant
    criterion: Criterion
    fields: dict[str, Any]
    reason: str


def _describe(score: Score | None, criterion: Criterion | None = None) -> str:
    """A score in the audit: its figure and the points given, as the officers read them
    (a tier by its name, "Phó Chủ tịch", when the criterion is given)."""
    if score is None:
        return ""
    parts = []
    if score.choice:
        tiers = {t.code: t.name for t in rule_of(criterion).tiers} if criterion else {}
        parts.append(tiers.get(score.choice, score.choice))
    elif score.numerator is not None or score.denominator is not None:
        parts.append(f"{_plain(score.numerator)}/{_plain(score.denominator)}")
    elif score.value is not None:
        parts.append(_plain(score.value))
    if score.reviewed_points is not None:
        parts.append(_("%(p)s điểm (thẩm định)") % {"p": _plain(score.reviewed_points)})
    elif score.self_points is not None:
        parts.append(_("%(p)s điểm") % {"p": _plain(score.self_points)})
    return "; ".join(parts)[:100]


def _plain(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value.normalize():f}".replace(".", ",")


def save_scores(user: Any, scorecard: Scorecard, entries: Sequence[Mapping[str, Any]]) -> int:
    """Save a batch of scores, all or nothing; the number of scores changed.

    While the campaign is open an entry is the unit's self-assessment: `value` (a figure,
    a share in % for a ratio, 1/0 for yes/no, the tier's code for tiers), or `numerator`
    and `denominator` for a ratio, or `points` for a manual criterion, and an
    `explanation`. During the review an entry is the reviewer's adjustment: `points`
    and a `reason`.
    """
    if not isinstance(entries, Sequence) or isinstance(entries, str) or not entries:
        raise InvalidInput(
            _("Cần ít nhất một điểm."), [ErrorDetail("scores", _("Danh sách trống."))]
        )
    if len(entries) > MAX_ENTRIES:
        raise InvalidInput(_("Tối đa %(n)s điểm mỗi lần gửi.") % {"n": MAX_ENTRIES})
    if scorecard.status not in (Status.OPEN, Status.REVIEW):
        raise Conflict(_("Kết quả đã được xác nhận; không sửa điểm được nữa."))
    reviewing = scorecard.status == Status.REVIEW
    if reviewing:
        permissions.require(user, "scorecards.manage", scorecard.owner_unit)
    criteria = {
        c.code: c
        for c in Criterion.objects.filter(group__scorecard=scorecard).select_related("group")
    }
    unit_codes = {str(e.get("unit", "")) for e in entries if isinstance(e, Mapping)}
    participants = {
        p.unit.code: p
        for p in Participant.objects.filter(
            scorecard=scorecard, unit__code__in=unit_codes
        ).select_related("unit")
    }
    errors: list[ErrorDetail] = []
    parsed: list[_Entry] = []
    checked_units: set[str] = set()
    for index, raw in enumerate(entries):
        path = f"scores[{index}]"
        if not isinstance(raw, Mapping):
            errors.append(ErrorDetail(path, _("Phải là một đối tượng JSON {…}.")))
            continue
        participant = participants.get(str(raw.get("unit", "")))
        if participant is None or not participant.unit.is_visible_to(user):
            raise NotFound(
                _("Không tìm thấy đơn vị “%(c)s” trong đợt đánh giá.") % {"c": raw.get("unit", "")}
            )
        if not reviewing and participant.unit.code not in checked_units:
            _check_open(user, scorecard, participant)
            checked_units.add(participant.unit.code)
        criterion = criteria.get(str(raw.get("criterion", "")))
        if criterion is None:
            errors.append(
                ErrorDetail(
                    f"{path}.criterion",
                    _("Không có chỉ số “%(c)s” trong bộ chỉ số.") % {"c": raw.get("criterion", "")},
                )
            )
            continue
        try:
            fields = _review_fields(raw, criterion) if reviewing else _self_fields(raw, criterion)
        except _FieldError as error:
            errors.append(
                ErrorDetail(f"{path}.{error.field}", f"{_('Chỉ số')} {criterion.stt}: {error}")
            )
            continue
        reason = one_line(str(raw.get("reason") or ""))
        if reviewing and not reason:
            errors.append(
                ErrorDetail(
                    f"{path}.reason",
                    _("Chỉ số %(stt)s: cần ghi lý do điều chỉnh.") % {"stt": criterion.stt},
                )
            )
            continue
        parsed.append(_Entry(participant, criterion, fields, reason))
    if errors:
        raise InvalidInput(
            _("Có %(n)s điểm không hợp lệ; chưa có điểm nào được lưu.") % {"n": len(errors)}, errors
        )
    return _write(user, parsed, ScoreChange.Stage.REVIEW if reviewing else ScoreChange.Stage.SELF)


def _check_open(user: Any, scorecard: Scorecard, participant: Participant) -> None:
    permissions.require(user, "scorecards.self_assess", participant.unit)
    if timezone.localdate() < scorecard.opens_on:
        raise Conflict(_("Đợt đánh giá mở từ ngày %(d)s.") % {"d": _date(scorecard.opens_on)})
    if timezone.localdate() > scorecard.closes_on:
        raise Conflict(
            _("Đợt đánh giá đã hết hạn nộp ngày %(d)s; không nhận thêm điểm.")
            % {"d": _date(scorecard.closes_on)}
        )
    if participant.submitted_at is not None:
        raise Conflict(
            _("%(u)s đã nộp kết quả tự đánh giá; không sửa được nữa.")
            % {"u": participant.unit.name}
        )


class _FieldError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def _figure(raw: Mapping[str, Any], key: str) -> Decimal | None:
    value = raw.get(key)
    if isinstance(value, bool):
        raise _FieldError(key, _("“%(v)s” không phải là số.") % {"v": value})
    try:
        figure = parse_figure(value, key)
    except RuleError:
        raise _FieldError(key, _("“%(v)s” không phải là số.") % {"v": value}) from None
    if figure is not None and (figure < 0 or abs(figure) >= Decimal(10) ** 14):
        raise _FieldError(key, _("Giá trị phải từ 0 đến 100.000.000.000.000."))
    return figure


def _points(raw: Mapping[str, Any], criterion: Criterion) -> Decimal:
    points = _figure(raw, "points")
    if points is None:
        raise _FieldError("points", _("Thiếu điểm."))
    if points > criterion.max_points:
        raise _FieldError(
            "points",
            _("%(p)s điểm vượt điểm tối đa %(max)s.")
            % {"p": _plain(points), "max": _plain(criterion.max_points)},
        )
    if points != points.quantize(Decimal("0.01")):
        raise _FieldError("points", _("Điểm có nhiều nhất 2 chữ số thập phân."))
    return points


def _self_fields(raw: Mapping[str, Any], criterion: Criterion) -> dict[str, Any]:
    if criterion.is_automatic:
        raise _FieldError(
            "value", _("Chỉ số tự động lấy từ số liệu của hệ thống; đơn vị không tự chấm.")
        )
    explanation = str(raw.get("explanation") or "").strip()
    if len(explanation) > MAX_EXPLANATION:
        raise _FieldError(
            "explanation", _("Giải trình dài quá %(n)s ký tự.") % {"n": MAX_EXPLANATION}
        )
    rule = rule_of(criterion)
    fields: dict[str, Any] = {
        "value": None,
        "numerator": None,
        "denominator": None,
        "choice": "",
        "self_points": None,
        "explanation": explanation,
    }
    if rule.takes_points:
        fields["self_points"] = _points(raw, criterion)
        return fields
    if raw.get("points") not in (None, ""):
        raise _FieldError(
            "points", _("Điểm được tính từ giá trị; hãy nhập giá trị, không nhập điểm.")
        )
    if rule.type == RuleType.TIERS:
        choice = str(raw.get("value") or "").strip()
        codes = [t.code for t in rule.tiers]
        if choice not in codes:
            raise _FieldError(
                "value", _("Chỉ nhận một trong các mức: %(c)s.") % {"c": ", ".join(codes)}
            )
        fields["choice"] = choice
    elif rule.type == RuleType.RATIO and (
        raw.get("numerator") is not None or raw.get("denominator") is not None
    ):
        a, b = _figure(raw, "numerator"), _figure(raw, "denominator")
        if a is None or b is None:
            raise _FieldError(
                "denominator" if a is not None else "numerator", _("Cần cả tử số a và mẫu số b.")
            )
        if a > b:
            raise _FieldError(
                "numerator",
                _("Tử số a (%(a)s) lớn hơn mẫu số b (%(b)s).") % {"a": _plain(a), "b": _plain(b)},
            )
        fields["numerator"], fields["denominator"] = a, b
    else:
        value = _figure(raw, "value")
        if value is None:
            raise _FieldError("value", _("Thiếu giá trị."))
        if rule.type == RuleType.RATIO and value > 100:
            raise _FieldError("value", _("Tỷ lệ %(v)s%% vượt 100%%.") % {"v": _plain(value)})
        if rule.type == RuleType.YESNO and value not in (0, 1):
            raise _FieldError("value", _("Chỉ nhận 1 (có) hoặc 0 (không)."))
        fields["value"] = value
    if not rule.needs_peers:
        fields["self_points"] = rule.points(
            value=fields["value"],
            numerator=fields["numerator"],
            denominator=fields["denominator"],
            choice=fields["choice"],
        )
    return fields


def _review_fields(raw: Mapping[str, Any], criterion: Criterion) -> dict[str, Any]:
    return {
        "reviewed_points": _points(raw, criterion),
        "review_reason": one_line(str(raw.get("reason") or "")),
    }


def _write(user: Any, entries: Iterable[_Entry], stage: str) -> int:
    """Save the entries' scores and one audit row per change: new scores in one
    statement, changed ones row by row (a unit's form changes a few at a time)."""
    entries = list(entries)
    now = timezone.now()
    existing = {
        (s.participant_id, s.criterion_id): s
        for s in Score.objects.filter(
            participant__in={e.participant.pk for e in entries},
            criterion__in={e.criterion.pk for e in entries},
        )
    }
    actor = user if getattr(user, "is_authenticated", False) else None
    created: list[tuple[Score, str, str]] = []
    changes: list[ScoreChange] = []
    with transaction.atomic():
        for entry in entries:
            score = existing.get((entry.participant.pk, entry.criterion.pk))
            old = _describe(score, entry.criterion)
            fresh = score is None
            if score is None:
                score = Score(participant=entry.participant, criterion=entry.criterion)
            for name, value in entry.fields.items():
                setattr(score, name, value)
            new = _describe(score, entry.criterion)
            audited = old != new or stage == ScoreChange.Stage.REVIEW
            if fresh:
                created.append((score, new, entry.reason))
                continue
            if not audited and stage != ScoreChange.Stage.SELF:
                continue
            score.save()
            if audited:
                changes.append(
                    ScoreChange(
                        score=score,
                        at=now,
                        user=actor,
                        stage=stage,
                        old=old,
                        new=new,
                        reason=entry.reason,
                    )
                )
        Score.objects.bulk_create([score for score, _new, _reason in created])
        changes += [
            ScoreChange(
                score=score, at=now, user=actor, stage=stage, old="", new=new, reason=reason
            )
            for score, new, reason in created
        ]
        ScoreChange.objects.bulk_create(changes)
    return len(changes)


def refresh_automatic(
    scorecard: Scorecard, participants: Sequence[Participant], user: Any = None
) -> int:
    """Store the automatic criteria's figures for these units (on submission and when the
    review starts), so the confirmed results do not move when later data arrives."""
    criteria = [
        c
        for c in Criterion.objects.filter(group__scorecard=scorecard).select_related(
            "indicator", "numerator", "denominator"
        )
        if c.is_automatic
    ]
    if not criteria or not participants:
        return 0
    figures = automatic_figures(scorecard, criteria, [p.unit for p in participants])
    entries = []
    for participant in participants:
        for criterion in criteria:
            figure = figures.get((participant.unit.pk, criterion.pk)) or Figure(
                None, None, None, ""
            )
            entries.append(_Entry(participant, criterion, automatic_fields(criterion, figure), ""))
    return _write(user, entries, ScoreChange.Stage.AUTOMATIC)


def automatic_fields(criterion: Criterion, figure: Figure) -> dict[str, Any]:
    rule = rule_of(criterion)
    points = None
    if not rule.needs_peers:
        points = rule.points(
            value=figure.value, numerator=figure.numerator, denominator=figure.denominator
        )
    return {
        "value": figure.value,
        "numerator": figure.numerator,
        "denominator": figure.denominator,
        "self_points": points,
        "automatic": True,
        "explanation": figure.label,
    }


# --- transitions -------------------------------------------------------------------------


def submit(
    user: Any, scorecard: Scorecard, unit_code: str, *, store_figures: bool = True
) -> Participant:
    """The unit's head submits: every self-assessed criterion must have a score.

    The automatic figures are stored for the unit now (what it submitted against);
    `store_figures=False` leaves that to `start_review`, which stores every submitted
    unit's figures in one evaluation (the demo submits hundreds of units at once)."""
    participant = get_participant(user, scorecard, unit_code)
    if scorecard.status != Status.OPEN:
        raise Conflict(_("Đợt đánh giá đã đóng; không nhận bài nộp."))
    permissions.require(
        user, "scorecards.submit", participant.unit, _("Chỉ thủ trưởng đơn vị được nộp kết quả.")
    )
    _check_open(user, scorecard, participant)
    # A score row may hold only evidence so far: it counts once it has a figure or points.
    scored = set(
        Score.objects.filter(participant=participant)
        .filter(Q(self_points__isnull=False) | Q(value__isnull=False))
        .values_list("criterion_id", flat=True)
    )
    missing = [
        c
        for c in Criterion.objects.filter(group__scorecard=scorecard).order_by(
            "group__order", "order"
        )
        if not c.is_automatic and c.pk not in scored
    ]
    if missing:
        raise InvalidInput(
            _("Còn %(n)s chỉ số chưa chấm điểm.") % {"n": len(missing)},
            [
                ErrorDetail(f"STT {c.stt}", _("Chưa chấm điểm “%(n)s”.") % {"n": c.name})
                for c in missing[:50]
            ],
        )
    with transaction.atomic():
        if store_figures:
            refresh_automatic(scorecard, [participant], user)
        participant.submitted_at = timezone.now()
        participant.submitted_by = user
        participant.save(update_fields=["submitted_at", "submitted_by"])
    return participant


def _transition(user: Any, scorecard: Scorecard, expected: str, message: str) -> None:
    permissions.require(user, "scorecards.manage", scorecard.owner_unit)
    if scorecard.status != expected:
        raise Conflict(message % {"status": Status(scorecard.status).label})


def start_review(user: Any, scorecard: Scorecard) -> Scorecard:
    """Submissions close; units that have not submitted score 0 ("không nộp")."""
    _transition(
        user,
        scorecard,
        Status.OPEN,
        _("Chỉ thẩm định được đợt đang tự đánh giá (hiện: %(status)s)."),
    )
    participants = list(Participant.objects.filter(scorecard=scorecard).select_related("unit"))
    with transaction.atomic():
        refresh_automatic(scorecard, [p for p in participants if p.submitted_at is not None], user)
        scorecard.status = Status.REVIEW
        scorecard.save(update_fields=["status"])
    return scorecard


def confirm(user: Any, scorecard: Scorecard, decision: str) -> Scorecard:
    _transition(
        user,
        scorecard,
        Status.REVIEW,
        _("Chỉ xác nhận được đợt đang thẩm định (hiện: %(status)s)."),
    )
    decision = one_line(decision or "")
    if not decision:
        raise InvalidInput(
            _("Cần số quyết định của Hội đồng."),
            [ErrorDetail("decision", _("Thiếu trường bắt buộc."))],
        )
    scorecard.status = Status.CONFIRMED
    scorecard.decision = decision[:200]
    scorecard.confirmed_at = timezone.now()
    scorecard.save(update_fields=["status", "decision", "confirmed_at"])
    return scorecard


def publish(user: Any, scorecard: Scorecard) -> Scorecard:
    _transition(
        user,
        scorecard,
        Status.CONFIRMED,
        _("Chỉ công bố được kết quả đã được Hội đồng xác nhận (hiện: %(status)s)."),
    )
    scorecard.status = Status.PUBLISHED
    scorecard.published_at = timezone.now()
    scorecard.save(update_fields=["status", "published_at"])
    return scorecard


def set_ranked(
    user: Any, scorecard: Scorecard, unit_code: str, ranked: bool, reason: str = ""
) -> Participant:
    """Exclude a unit from the ranking (or put it back), with the reason shown."""
    permissions.require(user, "scorecards.manage", scorecard.owner_unit)
    participant = get_participant(user, scorecard, unit_code)
    reason = one_line(reason)
    if not ranked and not reason:
        raise InvalidInput(
            _("Cần lý do không xếp hạng."), [ErrorDetail("reason", _("Thiếu trường bắt buộc."))]
        )
    if scorecard.status == Status.PUBLISHED:
        raise Conflict(_("Kết quả đã công bố."))
    participant.ranked = ranked
    participant.exclusion_reason = "" if ranked else reason[:300]
    participant.save(update_fields=["ranked", "exclusion_reason"])
    return participant


# --- evidence ----------------------------------------------------------------------------


def _size(count: int) -> str:
    """1536 → "1,5 KB", 10485760 → "10 MB" (the way the officers' file managers say it)."""
    if count >= 1024 * 1024:
        number, unit = count / (1024 * 1024), "MB"
    else:
        number, unit = count / 1024, "KB"
    return f"{number:.1f}".rstrip("0").rstrip(".").replace(".", ",") + " " + unit


def max_evidence_bytes() -> int:
    return int(
        getattr(settings, "DXBOARD_SCORECARDS_MAX_EVIDENCE_BYTES", DEFAULT_MAX_EVIDENCE_BYTES)
    )


def add_evidence(
    user: Any, scorecard: Scorecard, unit_code: str, criterion_code: str, name: str, content: bytes
) -> Evidence:
    """Attach a document (PDF, JPEG/PNG, office file) to a self-assessed score."""
    participant = get_participant(user, scorecard, unit_code)
    if scorecard.status != Status.OPEN:
        raise Conflict(_("Đợt đánh giá đã đóng; không nhận thêm tài liệu."))
    _check_open(user, scorecard, participant)
    criterion = Criterion.objects.filter(group__scorecard=scorecard, code=criterion_code).first()
    if criterion is None:
        raise NotFound(_("Không có chỉ số “%(c)s” trong bộ chỉ số.") % {"c": criterion_code})
    label = _("Chỉ số %(stt)s, tài liệu “%(n)s”") % {"stt": criterion.stt, "n": name}
    name = one_line(name)[-150:] or "tai-lieu"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    limit = max_evidence_bytes()
    if len(content) > limit:
        raise InvalidInput(
            _("Tệp quá lớn."),
            [
                ErrorDetail(
                    label,
                    _("Tệp %(size)s, vượt mức tối đa %(limit)s.")
                    % {"size": _size(len(content)), "limit": _size(limit)},
                )
            ],
        )
    if extension in IMAGE_EXTENSIONS:
        image = clean_photo(content, label=label)
        content, content_type = image.content, image.content_type
        extension = image.extension
    elif extension in EVIDENCE_TYPES and content.startswith(EVIDENCE_TYPES[extension][1]):
        content_type = EVIDENCE_TYPES[extension][0]
    else:
        raise InvalidInput(
            _("Loại tệp không được nhận."),
            [
                ErrorDetail(
                    label,
                    _(
                        "Chỉ nhận PDF, ảnh JPEG/PNG, Word, Excel, PowerPoint (.docx, .xlsx, .pptx, .doc, .xls, .odt, .ods)."
                    ),
                )
            ],
        )
    with transaction.atomic():
        score, _created = Score.objects.get_or_create(participant=participant, criterion=criterion)
        if score.evidence_files.count() >= MAX_EVIDENCE_PER_SCORE:
            raise InvalidInput(
                _("Tối đa %(n)s tài liệu cho một chỉ số.") % {"n": MAX_EVIDENCE_PER_SCORE}
            )
        evidence = Evidence(
            score=score, name=name, content_type=content_type, size=len(content), uploaded_by=user
        )
        stored = f"{score.evidence_files.count() + 1}-{timezone.now():%Y%m%d%H%M%S}.{extension}"
        evidence.file.save(stored, ContentFile(content), save=False)
        evidence.save()
    return evidence


def get_evidence(user: Any, evidence_id: int) -> Evidence:
    evidence = (
        Evidence.objects.select_related(
            "score__participant__unit",
            "score__participant__scorecard__owner_unit",
            "score__criterion",
        )
        .filter(pk=evidence_id)
        .first()
    )
    if evidence is None or not can_see_participant(user, evidence.score.participant):
        raise NotFound(_("Không tìm thấy tài liệu."))
    return evidence

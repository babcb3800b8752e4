"""The reporting workflow: save a draft, submit, approve or return, reopen.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲                  │                      │
      └──── returned ◀───┘ return (reason)      │ reopen (province officer, reason)
               ▲────────────────────────────────┘

Values are written only through `save_values`. A submitted or approved report is locked:
its values cannot change until an approver returns it or the province reopens it.
Every step leaves a `SubmissionEvent`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.collection.values import ImportSummary, ValueRow, save_values
from dxboard.errors import Conflict, ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.numbers import format_vn
from dxboard.periods import Period
from dxboard.units.models import Unit
from dxboard.units.resolve import CodeResolver, day_of

from ..models import (
    REPORTED_STATUSES,
    FormField,
    FormPeriod,
    PeriodState,
    ReportForm,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from .calendar import PeriodInfo, parse_form_period, period_info, require_open
from .forms import (
    APPROVER_ROLES,
    REOPEN_ROLES,
    FieldInfo,
    SectionInfo,
    all_fields,
    expected_units,
    form_structure,
    get_visible_form,
    writable_units,
)
from .validation import CheckResult, check_values, previous_values

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User


def concurrent_message() -> str:
    return _(
        "Số liệu đã được người khác thay đổi trong lúc bạn nhập. "
        "Trang đang hiện số liệu mới nhất; hãy kiểm tra và nhập lại phần của bạn."
    )


@dataclass
class EntryContext:
    """Everything about one unit's report of one form and period."""

    user: Any
    form: ReportForm
    unit: Unit
    period: Period
    info: PeriodInfo
    submission: Submission | None
    structure: list[SectionInfo]
    stored: dict[str, DataValue] = field(default_factory=dict)
    previous: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def fields(self) -> list[FieldInfo]:
        return all_fields(self.structure)

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else SubmissionStatus.DRAFT

    @property
    def version(self) -> int:
        return self.submission.version if self.submission else 0

    @property
    def locked(self) -> bool:
        return bool(self.submission and self.submission.is_locked)

    @cached_property
    def can_enter(self) -> bool:
        return _has(self.user, self.unit, None)

    @cached_property
    def can_approve(self) -> bool:
        return _has(self.user, self.unit, APPROVER_ROLES)

    @cached_property
    def can_reopen(self) -> bool:
        return _has(self.user, self.unit, REOPEN_ROLES)

    @property
    def editable(self) -> bool:
        return self.can_enter and not self.locked and self.info.is_open

    def raw_values(self) -> dict[str, str]:
        return {code: _raw(value) for code, value in self.stored.items()}

    def comments(self) -> dict[str, str]:
        return {code: value.comment for code, value in self.stored.items()}

    def check(self, *, require: bool = True) -> CheckResult:
        return check_values(
            self.form, self.fields, self.raw_values(), previous=self.previous, require=require
        )


def _raw(value: DataValue) -> str:
    return value.text_value if value.value is None else format_vn(value.value)


def _has(user, unit: Unit, roles: Iterable[str] | None) -> bool:
    if roles is None:
        return writable_units(user).filter(pk=unit.pk).exists()
    return Unit.objects.visible_to(user, roles=roles).filter(pk=unit.pk).exists()


def load_entry(
    user: User | AnonymousUser,
    form_code: str,
    unit_code: str,
    period_code: str,
    *,
    for_update: bool = False,
) -> EntryContext:
    """Read a unit's report; NotFound if the user may not see the form or the unit, or if
    the unit does not report this form."""
    form = get_visible_form(user, form_code)
    period = parse_form_period(form, period_code)
    # The code names the unit in force in that period (issue 17): a 2024 figure is
    # entered for the former commune, by the officer of the commune that succeeded it.
    unit = CodeResolver([unit_code], among=Unit.objects.visible_to(user)).at(
        unit_code, day_of(period)
    )
    if isinstance(unit, str) or not expected_units(form, period).filter(pk=unit.pk).exists():
        raise NotFound(
            _("Không tìm thấy đơn vị “%(code)s” trong danh sách báo cáo biểu mẫu này.")
            % {"code": unit_code}
        )
    submissions = Submission.objects.filter(form=form, unit=unit, period=period.code)
    if for_update:
        submissions = submissions.select_for_update()
    submission = submissions.first()
    structure = form_structure(form)
    ctx = EntryContext(user, form, unit, period, period_info(form, period), submission, structure)
    ctx.stored = {
        v.data_element.code: v
        for v in DataValue.objects.filter(
            unit=unit, period=period.code, data_element__form_fields__form=form
        ).select_related("data_element", "updated_by")
    }
    ctx.previous = previous_values(ctx.fields, unit, period)
    return ctx


def _event(submission: Submission, user, old: str, new: str, note: str = "", source="web"):
    SubmissionEvent.objects.create(
        submission=submission,
        user=user if user is not None and user.is_authenticated else None,
        from_status=old,
        to_status=new,
        note=note,
        source=source,
    )


def _bump(submission: Submission, **changes: Any) -> None:
    changes["version"] = F("version") + 1
    changes["updated_at"] = timezone.now()
    Submission.objects.filter(pk=submission.pk).update(**changes)
    submission.refresh_from_db()


@dataclass
class SaveResult:
    submission: Submission
    summary: ImportSummary
    changed: int


def _version(raw: object) -> int:
    """A version number posted by the form; anything else means a page not ours (stale)."""
    try:
        return int(str(raw))
    except ValueError:
        return -1


@transaction.atomic
def save_draft(
    user: User | AnonymousUser,
    form_code: str,
    unit_code: str,
    period_code: str,
    values: Mapping[str, Any],
    comments: Mapping[str, str] | None = None,
    *,
    version: int | None = None,
    value_versions: Mapping[str, int | None] | None = None,
    source: str = "web",
) -> SaveResult:
    """Save typed figures as a draft of the unit's report.

    `values` maps data element codes to what was typed ("1.234,5"); a code left out keeps
    its stored value, an empty text deletes it. `version` is the report's version the
    form was opened with and `value_versions` the versions of each figure (0 for a figure
    that did not exist): if anything changed since, Conflict and nothing is written.
    """
    ctx = load_entry(user, form_code, unit_code, period_code, for_update=True)
    _require_enter(ctx)
    fields = {f.code: f for f in ctx.fields}
    unknown = [code for code in values if code not in fields]
    if unknown:
        raise InvalidInput(
            _("Biểu mẫu không có trường “%(code)s”.") % {"code": unknown[0]},
            [ErrorDetail(code, _("Không có trong biểu mẫu.")) for code in unknown],
        )
    if version is not None and _version(version) != ctx.version:
        raise Conflict(concurrent_message())
    if value_versions is not None:
        for code in values:
            expected = value_versions.get(code)
            if expected is None:
                continue
            stored = ctx.stored.get(code)
            if _version(expected) != (stored.version if stored else 0):
                raise Conflict(concurrent_message(), [ErrorDetail(code, concurrent_message())])
    comments = comments or {}
    rows = []
    for code, raw in values.items():
        stored = ctx.stored.get(code)
        comment = comments.get(code, stored.comment if stored else "")
        rows.append(
            ValueRow(
                code,
                ctx.period.code,
                ctx.unit.code,
                raw,
                comment=(comment or "").strip(),
                path=code,
                version=stored.version if stored else None,
            )
        )
    summary = save_values(user, rows, source)
    if not summary.ok:
        details = [ErrorDetail(c.path, c.message) for c in summary.conflicts]
        raise InvalidInput(_("Có %(n)s ô chưa đúng; chưa lưu gì.") % {"n": len(details)}, details)
    submission = ctx.submission
    if submission is None:
        submission = Submission.objects.create(form=ctx.form, unit=ctx.unit, period=ctx.period.code)
        _event(submission, user, "", SubmissionStatus.DRAFT, _("Tạo báo cáo"), source)
    changed = summary.imported + summary.updated + summary.deleted
    if changed:
        _bump(submission)
        _event(
            submission,
            user,
            submission.status,
            submission.status,
            _("Lưu số liệu: %(a)s thêm, %(b)s sửa, %(c)s xóa")
            % {"a": summary.imported, "b": summary.updated, "c": summary.deleted},
            source,
        )
    return SaveResult(submission, summary, changed)


def _require_enter(ctx: EntryContext) -> None:
    if not ctx.can_enter:
        raise Forbidden(_("Bạn không có quyền nhập số liệu cho đơn vị này."))
    if ctx.locked:
        raise Conflict(
            _("Báo cáo đang ở trạng thái “%(status)s”; không sửa được số liệu.")
            % {"status": ctx.submission.get_status_display()}
        )
    require_open(ctx.info)


def submit(
    user: User | AnonymousUser,
    form_code: str,
    unit_code: str,
    period_code: str,
    *,
    note: str = "",
    source: str = "web",
) -> Submission:
    """Submit the stored figures. Refused while a check finds an error, or a warning has
    no comment on one of its fields."""
    with transaction.atomic():
        ctx = load_entry(user, form_code, unit_code, period_code, for_update=True)
        _require_enter(ctx)
        result = ctx.check(require=True)
        if result.errors:
            raise InvalidInput(
                _("Chưa nộp được: còn %(n)s lỗi cần sửa.") % {"n": len(result.errors)},
                [ErrorDetail(f.code or "form", f.message) for f in result.errors],
            )
        pending = result.unexplained_warnings(ctx.comments())
        if pending:
            raise InvalidInput(
                _("Chưa nộp được: %(n)s cảnh báo cần ghi chú giải trình.") % {"n": len(pending)},
                [ErrorDetail(f.code or "form", f.message) for f in pending],
            )
        submission = ctx.submission
        if submission is None:
            submission = Submission.objects.create(
                form=ctx.form, unit=ctx.unit, period=ctx.period.code
            )
        now = timezone.now()
        old = submission.status
        _bump(
            submission,
            status=SubmissionStatus.SUBMITTED,
            submitted_at=now,
            submitted_by=user if user.is_authenticated else None,
            first_submitted_at=submission.first_submitted_at or now,
            returned_reason="",
        )
        _event(submission, user, old, SubmissionStatus.SUBMITTED, note, source)
        return submission


def _reviewable(user, form_code, unit_code, period_code, roles, message) -> EntryContext:
    ctx = load_entry(user, form_code, unit_code, period_code, for_update=True)
    if not _has(user, ctx.unit, roles):
        raise Forbidden(message)
    if ctx.submission is None:
        raise Conflict(_("Đơn vị chưa nộp báo cáo này."))
    return ctx


@transaction.atomic
def approve(
    user: User | AnonymousUser, form_code: str, unit_code: str, period_code: str, note: str = ""
) -> Submission:
    """Approve a submitted report: the approver holds the approver role on the unit or a
    unit above it."""
    ctx = _reviewable(
        user,
        form_code,
        unit_code,
        period_code,
        APPROVER_ROLES,
        _("Chỉ lãnh đạo phê duyệt của đơn vị hoặc cấp trên mới duyệt được."),
    )
    submission = ctx.submission
    if submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict(_("Chỉ duyệt được báo cáo đã nộp."))
    _bump(
        submission,
        status=SubmissionStatus.APPROVED,
        approved_at=timezone.now(),
        approved_by=user,
    )
    _event(submission, user, SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, note)
    return submission


@transaction.atomic
def return_submission(
    user: User | AnonymousUser, form_code: str, unit_code: str, period_code: str, reason: str
) -> Submission:
    """Send a submitted report back to the unit with a reason."""
    ctx = _reviewable(
        user,
        form_code,
        unit_code,
        period_code,
        APPROVER_ROLES,
        _("Chỉ lãnh đạo phê duyệt của đơn vị hoặc cấp trên mới trả lại được."),
    )
    reason = _required_reason(reason, _("Cần ghi lý do trả lại."))
    if ctx.submission.status != SubmissionStatus.SUBMITTED:
        raise Conflict(_("Chỉ trả lại được báo cáo đã nộp, chưa duyệt."))
    return _send_back(ctx.submission, user, reason, note=reason)


@transaction.atomic
def reopen(
    user: User | AnonymousUser, form_code: str, unit_code: str, period_code: str, reason: str
) -> Submission:
    """The province reopens a submitted or approved report so the unit can correct it."""
    ctx = _reviewable(
        user,
        form_code,
        unit_code,
        period_code,
        REOPEN_ROLES,
        _("Chỉ chuyên viên Sở mới mở lại được báo cáo."),
    )
    reason = _required_reason(reason, _("Cần ghi lý do mở lại."))
    if ctx.submission.status not in REPORTED_STATUSES:
        raise Conflict(_("Báo cáo chưa nộp; không cần mở lại."))
    return _send_back(ctx.submission, user, reason, note=_("Mở lại: %(r)s") % {"r": reason})


def _required_reason(reason: str | None, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(message, [ErrorDetail("reason", message)])
    return reason


def _send_back(submission: Submission, user, reason: str, *, note: str) -> Submission:
    """Returned to the unit: it can edit and submit again; the reason is shown to it."""
    old = submission.status
    _bump(submission, status=SubmissionStatus.RETURNED, returned_reason=reason)
    _event(submission, user, old, SubmissionStatus.RETURNED, note)
    return submission


def complete_from_api(
    user: User | AnonymousUser,
    form_code: str,
    unit_code: str,
    period_code: str,
    complete_date: str | None = None,
) -> Submission:
    """Mark a unit's report submitted after an API import (DHIS2's `completeDate`).

    Timeliness uses the server's clock, not `complete_date`, which is kept in the note.
    """
    note = _("Nộp qua API") + (f" (completeDate {complete_date})" if complete_date else "")
    return submit(user, form_code, unit_code, period_code, note=note, source="api")


@transaction.atomic
def set_period_state(
    user: User | AnonymousUser,
    form_code: str,
    period_code: str,
    state: str | None,
    deadline=None,
) -> FormPeriod | None:
    """Open, close or lock one period of a form, or (state None) go back to the dates."""
    form = get_visible_form(user, form_code)
    if not _has(user, form.owner_unit, REOPEN_ROLES):
        raise Forbidden(_("Chỉ chuyên viên Sở mới đổi được trạng thái kỳ báo cáo."))
    period = parse_form_period(form, period_code)
    if state is None:
        FormPeriod.objects.filter(form=form, period=period.code).delete()
        return None
    if state not in PeriodState.values:
        raise InvalidInput(_("Trạng thái kỳ không hợp lệ."))
    row, _created = FormPeriod.objects.update_or_create(
        form=form,
        period=period.code,
        defaults={
            "state": state,
            "deadline": deadline,
            "changed_by": user,
            "changed_at": timezone.now(),
        },
    )
    return row


def locked_value_errors(rows: Iterable[ValueRow], user: Any = None) -> list[ErrorDetail]:
    """Rows that would change a figure of a submitted or approved report (one query).

    For other write paths (the dataValueSets API, file imports): call before
    `save_values` and refuse the rows listed. With `user`, only reports of units the user
    may see count: the status of another commune's report must not leak (issue 18); its
    rows are then refused by `save_values` like any unit the user cannot see.
    """
    rows = list(rows)
    if not rows:
        return []
    # One filter() call: the conditions must hold for the same submission row.
    scope: dict[str, Any] = {}
    if user is not None:
        scope["form__submissions__unit__in"] = Unit.objects.visible_to(user)
    locked = set(
        FormField.objects.filter(
            **scope,
            data_element__code__in={r.data_element for r in rows},
            form__submissions__unit__code__in={r.org_unit for r in rows},
            form__submissions__period__in={r.period for r in rows},
            form__submissions__status__in=REPORTED_STATUSES,
        ).values_list(
            "data_element__code", "form__submissions__unit__code", "form__submissions__period"
        )
    )
    return [
        ErrorDetail(
            row.path or row.data_element,
            _("Báo cáo của đơn vị %(unit)s kỳ %(period)s đã nộp hoặc đã duyệt; không sửa được.")
            % {"unit": row.org_unit, "period": row.period},
        )
        for row in rows
        if (row.data_element, row.org_unit, row.period) in locked
    ]

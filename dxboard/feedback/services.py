"""Field-report services: intake, the status machine, extensions, notes, rating, retention.

Web views, the JSON API and Open311 all call these functions; they check permissions
and record an audit event (`ReportEvent`) for every step.

Who may do what:
- anyone (no login): submit a report; rate it once by its tracking code after resolution;
- a handler of the report (FEEDBACK_HANDLER or ADMIN role on its agency or a unit
  above, or a superuser): accept, reject, assign/reassign, start, resolve, add notes,
  request an extension;
- a supervisor (such a role on a unit strictly above the agency, e.g. the province IOC,
  or a superuser): also close a resolved report and decide extensions.
A report the user does not handle is not found (404), never forbidden.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.units.models import Unit, UnitKind, membership_paths

from .deadlines import add_working_hours
from .intake import (
    HTML_TAG,
    MAX_DESCRIPTION,
    MAX_PHOTOS,
    Submission,
    communes,
    submit_report,
    validate_submission,
)
from .models import (
    COMMUNE_OFFICER_ROLES,
    DONE_STATUSES,
    HANDLER_ROLES,
    RUNNING_STATUSES,
    FieldReport,
    ReportEvent,
    ReportExtension,
    ReportNote,
    Severity,
    Status,
)

Action = ReportEvent.Action
__all__ = [
    "MAX_PHOTOS",
    "Submission",
    "communes",
    "submit_report",
    "validate_submission",
]

# The status machine. Reassignment is assigned -> assigned (or in_progress -> assigned).
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.RECEIVED: (Status.ACCEPTED, Status.REJECTED),
    Status.ACCEPTED: (Status.ASSIGNED,),
    Status.ASSIGNED: (Status.ASSIGNED, Status.IN_PROGRESS),
    Status.IN_PROGRESS: (Status.ASSIGNED, Status.RESOLVED),
    Status.RESOLVED: (Status.CLOSED,),
    Status.REJECTED: (),
    Status.CLOSED: (),
}


# --- reading -------------------------------------------------------------------------------


def handled_reports(user):
    return FieldReport.objects.handled_by(user)


def get_handled_report(user, report_id: int | str) -> FieldReport:
    """The report with this id or public number, if the user handles it; else NotFound."""
    reports = handled_reports(user).select_related("category", "unit", "agency")
    text = str(report_id).strip()
    report = (
        reports.filter(pk=int(text)).first()
        if text.isdigit()
        else reports.filter(public_id=text.upper()).first()
    )
    if report is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return report


def get_by_tracking_code(code: str) -> FieldReport:
    report = (
        FieldReport.objects.select_related("category", "unit", "agency")
        .filter(tracking_code=code.strip().upper())
        .first()
    )
    if report is None:
        raise NotFound(_("Không tìm thấy phản ánh với mã tra cứu này."))
    return report


def is_handler(user) -> bool:
    """May open the handling inbox: a handler role somewhere, an officer of a commune
    (who handles what is routed to it), or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser or membership_paths(user, HANDLER_ROLES):
        return True
    paths = membership_paths(user, COMMUNE_OFFICER_ROLES)
    if not paths:
        return False
    # Is one of those units a commune? One small query, kept on the user object like its
    # memberships (the menu asks on every page).
    # Keyed by the paths, so a role granted or removed (which resets them) is seen.
    known = getattr(user, "_commune_officer", None)
    if known is None or known[0] != paths:
        known = (paths, Unit.objects.filter(path__in=paths, kind=UnitKind.COMMUNE).exists())
        user._commune_officer = known
    return known[1]


def is_supervisor(user, report: FieldReport) -> bool:
    """A handler on a unit strictly above the report's agency, or a superuser."""
    if user.is_superuser:
        return True
    agency_path = report.agency.path
    return any(
        agency_path.startswith(path) and agency_path != path
        for path in membership_paths(user, HANDLER_ROLES)
    )


def can_see_personal_data(user, report: FieldReport) -> bool:
    return handled_reports(user).filter(pk=report.pk).exists()


def handling_units():
    """Units a report may be assigned to: agencies and communes in force."""
    return Unit.objects.in_force().filter(
        kind__in=[UnitKind.COMMUNE, UnitKind.DEPARTMENT, UnitKind.COMMITTEE, UnitKind.OTHER]
    )


# --- the status machine --------------------------------------------------------------------


def _check_transition(report: FieldReport, target: str) -> None:
    if target not in Status.values:
        raise InvalidInput(
            _("Trạng thái không hợp lệ: %(s)s.") % {"s": target},
            [ErrorDetail("status", _("Chọn một trong: %(v)s.") % {"v": ", ".join(Status.values)})],
        )
    allowed = TRANSITIONS[report.status]
    if target in allowed:
        return
    if allowed:
        next_steps = ", ".join(f"“{Status(s).label}”" for s in dict.fromkeys(allowed))
        message = _(
            "Không thể chuyển phản ánh từ “%(from)s” sang “%(to)s”: bước tiếp theo chỉ có thể là %(next)s."
        ) % {"from": report.get_status_display(), "to": Status(target).label, "next": next_steps}
    else:
        message = _("Phản ánh đã ở trạng thái “%(from)s”, không thể chuyển tiếp.") % {
            "from": report.get_status_display()
        }
    raise InvalidInput(message, [ErrorDetail("status", message)])


def _lock(user, report: FieldReport) -> FieldReport:
    """Re-read the report inside the transaction, locked, still checking access."""
    locked = (
        handled_reports(user)
        .select_for_update()
        .select_related("category", "agency", "unit")
        .filter(pk=report.pk)
        .first()
    )
    if locked is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return locked


def _event(report, user, action, *, from_status="", note="", agency=None, at=None) -> None:
    ReportEvent.objects.create(
        report=report,
        actor=user if getattr(user, "is_authenticated", False) else None,
        at=at or timezone.now(),
        action=action,
        from_status=from_status,
        to_status=report.status if from_status else "",
        agency=agency,
        note=note,
    )


@transaction.atomic
def accept(user, report, *, severity: str = "", note: str = "", now=None) -> FieldReport:
    """Received -> accepted: the deadline starts, in working hours for the severity."""
    report = _lock(user, report)
    _check_transition(report, Status.ACCEPTED)
    if severity and severity not in Severity.values:
        raise InvalidInput(_("Mức độ không hợp lệ."), [ErrorDetail("severity", severity)])
    now = now or timezone.now()
    before = report.status
    report.severity = severity or report.severity
    report.status = Status.ACCEPTED
    report.accepted_at = now
    report.initial_due_at = report.due_at = add_working_hours(
        now, report.category.hours_for(report.severity)
    )
    report.save()
    _event(report, user, Action.ACCEPTED, from_status=before, note=note, at=now)
    return report


@transaction.atomic
def reject(user, report, *, reason: str, now=None) -> FieldReport:
    """Received -> rejected, with a reason that is shown to the public."""
    report = _lock(user, report)
    _check_transition(report, Status.REJECTED)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Hãy nêu lý do từ chối."), [ErrorDetail("note", _("Hãy nêu lý do từ chối."))]
        )
    before = report.status
    report.status = Status.REJECTED
    report.reject_reason = reason
    report.closed_at = now or timezone.now()
    report.save()
    _event(report, user, Action.REJECTED, from_status=before, note=reason, at=report.closed_at)
    return report


@transaction.atomic
def assign(user, report, *, agency: Unit | str | None = None, note: str = "", now=None):
    """Accepted -> assigned, or reassign an assigned / in-progress report to another unit."""
    report = _lock(user, report)
    _check_transition(report, Status.ASSIGNED)
    if isinstance(agency, str):
        code = agency.strip()
        agency = handling_units().filter(code=code).first() if code else None
        if agency is None:
            raise InvalidInput(
                _("Đơn vị xử lý không tồn tại."),
                [
                    ErrorDetail(
                        "agency", _("Mã “%(c)s” không phải đơn vị đang hiệu lực.") % {"c": code}
                    )
                ],
            )
    agency = agency or report.agency
    before = report.status
    report.agency = agency
    report.status = Status.ASSIGNED
    report.save()
    _event(report, user, Action.ASSIGNED, from_status=before, note=note, agency=agency, at=now)
    return report


@transaction.atomic
def start(user, report, *, note: str = "", now=None) -> FieldReport:
    report = _lock(user, report)
    _check_transition(report, Status.IN_PROGRESS)
    before = report.status
    report.status = Status.IN_PROGRESS
    report.save()
    _event(report, user, Action.STARTED, from_status=before, note=note, at=now)
    return report


@transaction.atomic
def resolve(user, report, *, public_answer: str, note: str = "", now=None) -> FieldReport:
    """In progress -> resolved, with the answer published to the citizen and the public."""
    report = _lock(user, report)
    _check_transition(report, Status.RESOLVED)
    public_answer = (public_answer or "").strip()
    if not public_answer:
        message = _("Hãy nhập kết quả trả lời công khai.")
        raise InvalidInput(message, [ErrorDetail("publicAnswer", message)])
    if len(public_answer) > MAX_DESCRIPTION or HTML_TAG.search(public_answer):
        message = _("Kết quả trả lời tối đa 4.000 ký tự, không chứa thẻ HTML.")
        raise InvalidInput(message, [ErrorDetail("publicAnswer", message)])
    before = report.status
    report.status = Status.RESOLVED
    report.public_answer = public_answer
    report.resolved_at = now or timezone.now()
    report.save()
    _event(report, user, Action.RESOLVED, from_status=before, note=note, at=report.resolved_at)
    return report


@transaction.atomic
def close(user, report, *, note: str = "", now=None) -> FieldReport:
    """Resolved -> closed; only a supervisor (the unit above the agency) closes."""
    report = _lock(user, report)
    _check_transition(report, Status.CLOSED)
    if not is_supervisor(user, report):
        raise Forbidden(_("Chỉ đơn vị cấp trên của đơn vị xử lý mới được đóng phản ánh."))
    before = report.status
    report.status = Status.CLOSED
    report.closed_at = now or timezone.now()
    report.save()
    _event(report, user, Action.CLOSED, from_status=before, note=note, at=report.closed_at)
    return report


def change_status(
    user,
    report: FieldReport,
    status: str,
    *,
    note: str = "",
    public_answer: str = "",
    agency: str | None = None,
    severity: str = "",
) -> FieldReport:
    """One entry point for the API: move the report to `status` by the matching step."""
    report = _lock_readonly(user, report)
    _check_transition(report, status)
    if status == Status.ACCEPTED:
        return accept(user, report, severity=severity, note=note)
    if status == Status.REJECTED:
        return reject(user, report, reason=note)
    if status == Status.ASSIGNED:
        return assign(user, report, agency=agency, note=note)
    if status == Status.IN_PROGRESS:
        return start(user, report, note=note)
    if status == Status.RESOLVED:
        return resolve(user, report, public_answer=public_answer, note=note)
    return close(user, report, note=note)


def _lock_readonly(user, report: FieldReport) -> FieldReport:
    fresh = handled_reports(user).select_related("agency", "category").filter(pk=report.pk).first()
    if fresh is None:
        raise NotFound(_("Không tìm thấy phản ánh."))
    return fresh


# --- notes and extensions ------------------------------------------------------------------


@transaction.atomic
def add_note(user, report, text: str) -> ReportNote:
    report = _lock(user, report)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(_("Ghi chú trống."), [ErrorDetail("note", _("Hãy nhập ghi chú."))])
    note = ReportNote.objects.create(report=report, author=user, text=text[:4000])
    _event(report, user, Action.NOTE, note=text[:4000])
    return note


@transaction.atomic
def request_extension(user, report, *, hours: int, reason: str, now=None) -> ReportExtension:
    report = _lock(user, report)
    if report.status not in RUNNING_STATUSES:
        raise InvalidInput(_("Chỉ xin gia hạn khi phản ánh đang trong thời hạn xử lý."))
    errors = []
    try:
        hours = int(hours)
    except (TypeError, ValueError):
        hours = 0
    if not 1 <= hours <= 400:
        errors.append(ErrorDetail("hours", _("Số giờ gia hạn từ 1 đến 400 giờ làm việc.")))
    if not (reason or "").strip():
        errors.append(ErrorDetail("reason", _("Hãy nêu lý do xin gia hạn.")))
    if errors:
        raise InvalidInput(_("Yêu cầu gia hạn chưa hợp lệ."), errors)
    if report.extensions.filter(status=ReportExtension.State.PENDING).exists():
        raise InvalidInput(_("Phản ánh này đã có một yêu cầu gia hạn chờ duyệt."))
    now = now or timezone.now()
    extension = ReportExtension.objects.create(
        report=report, hours=int(hours), reason=reason.strip(), requested_by=user, requested_at=now
    )
    _event(
        report,
        user,
        Action.EXTENSION_REQUESTED,
        note=_("%(h)s giờ: %(r)s") % {"h": hours, "r": reason.strip()},
        at=now,
    )
    return extension


@transaction.atomic
def decide_extension(user, extension_id: int, *, approve: bool, now=None) -> ReportExtension:
    """A supervisor approves (the deadline moves by the hours asked) or refuses an extension."""
    extension = (
        ReportExtension.objects.select_related("report")
        .filter(pk=extension_id, report__in=handled_reports(user))
        .first()
    )
    if extension is None:
        raise NotFound(_("Không tìm thấy yêu cầu gia hạn."))
    report = _lock(user, extension.report)
    if not is_supervisor(user, report):
        raise Forbidden(_("Chỉ đơn vị cấp trên của đơn vị xử lý mới được duyệt gia hạn."))
    if extension.status != ReportExtension.State.PENDING:
        raise InvalidInput(_("Yêu cầu gia hạn này đã được quyết định."))
    now = now or timezone.now()
    extension.status = ReportExtension.State.APPROVED if approve else ReportExtension.State.REFUSED
    extension.decided_by = user
    extension.decided_at = now
    extension.save()
    if approve and report.due_at:
        report.due_at = add_working_hours(report.due_at, extension.hours)
        report.save(update_fields=["due_at", "updated_at"])
    _event(
        report,
        user,
        Action.EXTENSION_APPROVED if approve else Action.EXTENSION_REFUSED,
        note=_("%(h)s giờ làm việc") % {"h": extension.hours},
        at=now,
    )
    return extension


# --- the citizen's side after resolution ---------------------------------------------------


@transaction.atomic
def rate(tracking_code: str, rating: int | str, comment: str = "", now=None) -> FieldReport:
    """The reporter rates the resolution once, by the tracking code."""
    report = get_by_tracking_code(tracking_code)
    report = FieldReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in DONE_STATUSES:
        raise InvalidInput(_("Chỉ đánh giá được sau khi phản ánh đã được xử lý xong."))
    if report.rating is not None:
        raise InvalidInput(_("Phản ánh này đã được đánh giá."))
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        message = _("Hãy chọn từ 1 đến 5 sao.")
        raise InvalidInput(message, [ErrorDetail("rating", message)])
    comment = (comment or "").strip()
    if len(comment) > 1000 or HTML_TAG.search(comment):
        message = _("Nhận xét tối đa 1.000 ký tự, không chứa thẻ HTML.")
        raise InvalidInput(message, [ErrorDetail("comment", message)])
    report.rating = value
    report.rating_comment = comment
    report.rated_at = now or timezone.now()
    report.save(update_fields=["rating", "rating_comment", "rated_at", "updated_at"])
    _event(report, None, Action.RATED, note=f"{value}/5", at=report.rated_at)
    return report


# --- retention -----------------------------------------------------------------------------


def purge_personal_data(months: int | None = None, now=None) -> int:
    """Blank the reporter's name, phone and e-mail of reports older than the retention.

    Returns how many reports were purged. One UPDATE, one bulk insert of audit events.
    """
    months = settings.DXBOARD_FEEDBACK_RETENTION_MONTHS if months is None else months
    now = now or timezone.now()
    cutoff = now - timedelta(days=round(months * 30.4375))
    with transaction.atomic():
        targets = FieldReport.objects.filter(created_at__lt=cutoff).filter(
            ~Q(reporter_name="") | ~Q(reporter_phone="") | ~Q(reporter_email="")
        )
        ids = list(targets.values_list("pk", flat=True))
        if not ids:
            return 0
        FieldReport.objects.filter(pk__in=ids).update(
            reporter_name="", reporter_phone="", reporter_email="", personal_data_purged_at=now
        )
        ReportEvent.objects.bulk_create(
            ReportEvent(
                report_id=pk,
                at=now,
                action=Action.PURGED,
                note=_("Hết thời hạn lưu %(m)s tháng.") % {"m": months},
            )
            for pk in ids
        )
    return len(ids)

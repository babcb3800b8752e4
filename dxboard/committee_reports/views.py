"""Pages of the committee's reports: the list, a draft with its figures and narrative,
background generation with its progress (`job_partial.html`, polled by htmx), issuing and
downloads. Views parse input and call `services`; NotFound and Forbidden propagate to
`dxboard.middleware.ServiceErrorMiddleware`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from dxboard import permissions
from dxboard.errors import Conflict, InvalidInput, NotFound
from dxboard.indicators.services import list_programmes

from . import services
from .forms import CreateForm, DraftForm
from .models import CommitteeReport, FileFormat

CONTENT_TYPES = {
    FileFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileFormat.PDF: "application/pdf",
}


def _create_form(request: HttpRequest, data=None) -> CreateForm:
    units = (
        permissions.units_for(request.user, services.EDIT)
        .in_force()
        .exclude(kind="hamlet")
        .order_by("depth", "sort_key")[:500]
    )
    return CreateForm(data, programmes=list_programmes(request.user), units=list(units))


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    reports = list(services.list_reports(request.user)[:200])
    can_create = permissions.can(request.user, services.EDIT)
    return render(
        request,
        "committee_reports/index.html",
        {
            "reports": reports,
            "issued": [r for r in reports if r.is_issued],
            "drafts": [r for r in reports if not r.is_issued],
            "form": _create_form(request) if can_create else None,
        },
    )


@login_required
@require_POST
def create(request: HttpRequest) -> HttpResponse:
    form = _create_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            report = services.create_report(
                request.user,
                data["programme"],
                data["unit"],
                data["period"],
                from_previous=data["from_previous"],
            )
        except (InvalidInput, Conflict) as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lập dự thảo báo cáo."))
            return redirect("committee_reports:detail", pk=report.pk)
    reports = list(services.list_reports(request.user)[:200])
    return render(
        request,
        "committee_reports/index.html",
        {
            "reports": reports,
            "issued": [r for r in reports if r.is_issued],
            "drafts": [r for r in reports if not r.is_issued],
            "form": form,
        },
        status=400,
    )


def _draft_form(report: CommitteeReport, data=None) -> DraftForm:
    initial = {
        name: getattr(report, name)
        for name in (
            "subject",
            "shortcomings",
            "directions",
            "signer_authority",
            "signer_title",
            "signer_name",
            "recipients",
        )
    }
    return DraftForm(data, initial=initial)


def _detail(
    request: HttpRequest, report: CommitteeReport, form: DraftForm | None = None, status: int = 200
) -> HttpResponse:
    user = request.user
    document = services.build_document(user, report)
    job = None
    job_id = request.GET.get("job", "")
    if job_id.isdigit():
        job = report.jobs.defer("content").filter(pk=int(job_id)).first()
    return render(
        request,
        "committee_reports/detail.html",
        {
            "report": report,
            "document": document,
            "form": form or _draft_form(report),
            "can_edit": services.can_edit(user, report),
            "can_issue": services.can_issue(user, report),
            "versions": list(report.versions.select_related("author")[:20]),
            "job": job,
            "formats": FileFormat.choices,
        },
        status=status,
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, services.get_report(request.user, pk))


@login_required
@require_POST
def save(request: HttpRequest, pk: int) -> HttpResponse:
    report = services.get_report(request.user, pk)
    form = _draft_form(report, request.POST)
    if form.is_valid():
        try:
            services.save_draft(request.user, report, **form.cleaned_data)
        except (InvalidInput, Conflict) as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("committee_reports:detail", pk=report.pk)
    return _detail(request, report, form, status=400)


@login_required
@require_POST
def restore(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    report = services.get_report(request.user, pk)
    services.restore_version(request.user, report, number)
    messages.success(request, _("Đã khôi phục phiên bản %(n)s.") % {"n": number})
    return redirect("committee_reports:detail", pk=report.pk)


@login_required
@require_POST
def issue(request: HttpRequest, pk: int) -> HttpResponse:
    report = services.get_report(request.user, pk)
    try:
        report = services.issue(request.user, report)
    except InvalidInput as error:
        for detail in error.details or []:
            messages.error(request, detail.message)
        if not error.details:
            messages.error(request, error.message)
        return redirect("committee_reports:detail", pk=report.pk)
    except Conflict as error:
        messages.error(request, error.message)
        return redirect("committee_reports:detail", pk=report.pk)
    messages.success(
        request, _("Đã ban hành báo cáo số %(number)s.") % {"number": report.number_text}
    )
    return redirect("committee_reports:detail", pk=report.pk)


@login_required
@require_POST
def generate(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    report = services.get_report(request.user, pk)
    try:
        job = services.request_document(request.user, report, fmt)
    except InvalidInput as error:
        messages.error(request, error.message)
        return redirect(report.get_absolute_url())
    if request.htmx:
        return render(request, "committee_reports/job_partial.html", {"report": report, "job": job})
    return redirect(f"{report.get_absolute_url()}?job={job.pk}#job")


@login_required
@require_GET
def job_state(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    report = services.get_report(request.user, pk)
    job = services.get_job(request.user, report, job_id)
    # The partial replaces itself and polls again only while the job runs.
    return render(request, "committee_reports/job_partial.html", {"report": report, "job": job})


def _file(content: bytes, report: CommitteeReport, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[FileFormat(fmt)])
    response["Content-Disposition"] = f'attachment; filename="{services.filename(report, fmt)}"'
    return response


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int, job_id: int) -> HttpResponse:
    report = services.get_report(request.user, pk)
    job = services.get_job(request.user, report, job_id)
    return _file(services.job_content(request.user, report, job.pk), report, job.format)


@login_required
@require_GET
def download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """An issued report's stored file (a draft's file is generated in the background)."""
    report = services.get_report(request.user, pk)
    if fmt not in FileFormat.values:
        raise NotFound(_("Không có định dạng này."))
    if not report.is_issued:
        raise NotFound(_("Báo cáo chưa ban hành; hãy tạo tệp dự thảo."))
    return _file(services.document(request.user, report, fmt), report, fmt)

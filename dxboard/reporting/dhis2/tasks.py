"""`async=true`: a dataValueSets import run by django-tasks, polled as DHIS2 tasks.

POST /api/dataValueSets?async=true  -> {"response": {"id", "relativeNotifierEndpoint"}}
GET  /api/system/tasks/DATAVALUE_IMPORT/<id>         -> [{"completed": true, ...}]
GET  /api/system/taskSummaries/DATAVALUE_IMPORT/<id> -> the import summary
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from dxboard.collection.models import ImportJob, ImportJobStatus
from dxboard.errors import ErrorDetail, InvalidInput, NotFound, ServiceError

from .options import ImportOptions
from .summary import error_summary, import_summary

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

JOB_TYPE = "DATAVALUE_IMPORT"


def start_import(
    user: User, content: bytes, *, csv_format: bool, options: ImportOptions
) -> uuid.UUID:
    """Keep the document and queue its import; the job's id is the client's handle."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        message = _("Nội dung không phải văn bản UTF-8.")
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None
    job = ImportJob.objects.create(
        id=uuid.uuid4(),
        user=user,
        csv_format=csv_format,
        options=options.as_json(),
        content=text,
    )
    # Queued once the job row is committed, so a worker always finds it.
    transaction.on_commit(lambda: import_job_task.enqueue(str(job.id)))
    return job.id


@task()
def import_job_task(job_id: str) -> str:
    """Run one queued import and keep its summary (DHIS2's shape)."""
    from dxboard.reporting.services.api_import import import_data_value_set

    job = ImportJob.objects.select_related("user").get(pk=job_id)
    if job.status == ImportJobStatus.DONE:
        return job.status
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJobStatus.RUNNING)
    options = ImportOptions.from_json(job.options)
    failure: Exception | None = None
    try:
        summary = import_data_value_set(
            job.user,
            job.content.encode("utf-8"),
            csv_format=job.csv_format,
            dry_run=options.dry_run,
            atomic=options.atomic,
            strategy=options.strategy,
            first_row_is_header=options.first_row_is_header,
        )
    except ServiceError as error:
        summary = error_summary(error, options)
    except Exception as error:
        # The client polls until the job is completed: an unexpected failure must end it
        # too (with an error summary), and still reach the task backend's log.
        failure = error
        summary = error_summary(ServiceError(_("Lượt nhập bị lỗi máy chủ; chưa lưu gì.")))
    async_options = ImportOptions(
        strategy=options.strategy,
        dry_run=options.dry_run,
        run_async=True,
        atomic=options.atomic,
        first_row_is_header=options.first_row_is_header,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJobStatus.DONE,
        finished_at=timezone.now(),
        summary=import_summary(summary, async_options),
        content="",
    )
    if failure is not None:
        raise failure
    return ImportJobStatus.DONE


def _job(user: User | AnonymousUser, job_id: str) -> ImportJob:
    """A job of the user's own (any job for a superuser); others are not found."""
    jobs = ImportJob.objects.filter(pk=job_id)
    if not user.is_superuser:
        jobs = jobs.filter(user_id=user.pk)
    job = jobs.first()
    if job is None:
        raise NotFound(_("Không tìm thấy lượt nhập “%(id)s”.") % {"id": job_id})
    return job


def job_notifications(user: User | AnonymousUser, job_id: str) -> list[dict[str, Any]]:
    job = _job(user, job_id)
    done = job.status == ImportJobStatus.DONE
    notes = [
        {
            "uid": f"{job.id}-queued",
            "level": "INFO",
            "category": JOB_TYPE,
            "time": job.created_at.isoformat(),
            "message": _("Đã nhận tài liệu, đang chờ nhập."),
            "completed": False,
        }
    ]
    if done and job.finished_at is not None:
        notes.insert(
            0,
            {
                "uid": f"{job.id}-done",
                "level": "INFO" if (job.summary or {}).get("status") != "ERROR" else "ERROR",
                "category": JOB_TYPE,
                "time": job.finished_at.isoformat(),
                "message": _("Nhập xong."),
                "completed": True,
            },
        )
    return notes


def job_summary(user: User | AnonymousUser, job_id: str) -> dict[str, Any]:
    job = _job(user, job_id)
    if job.status != ImportJobStatus.DONE or job.summary is None:
        raise NotFound(_("Lượt nhập “%(id)s” chưa xong.") % {"id": job_id})
    return job.summary

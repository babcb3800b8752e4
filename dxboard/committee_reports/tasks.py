"""Background generation of a report's files (django-tasks; the database backend in
production, so a province's report with 100+ communes does not hold a web worker)."""

from __future__ import annotations

from django_tasks import task


@task()
def generate_document(job_id: int) -> None:
    from .services import run_job

    run_job(job_id)

"""Background tasks of periodic reporting (django-tasks)."""

from __future__ import annotations

import datetime as dt

from django_tasks import task


@task()
def send_reminders_task(today: str | None = None) -> int:
    """Send the reminder e-mails due on `today` (ISO date; default: today)."""
    from .services.reminders import send_reminders

    return send_reminders(dt.date.fromisoformat(today) if today else None)

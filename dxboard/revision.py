"""A data revision number that readers use to know whether a cached result is still true.

Writers call `changed()` (or save through the ORM, which the receivers in `apps.py` turn
into `changed()`); the number goes up once each time a transaction that changed something
commits. It is bumped *after* the commit and in its own statement, so concurrent writers
never wait on it and a reader never keys a result on a number whose data it cannot see:

- a reader that took the old number and computed before the commit stored the old
  result under the old number, which nobody asks for after the bump;
- a reader that took the old number after the commit but before the bump stored the
  new result under the old number, which is harmless.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import F

from dxboard.models import Revision


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Bump the revision when the current transaction commits (at once in autocommit)."""
    connection = connections[using]
    if connection.in_atomic_block and any(
        func is _bump for _sids, func, _robust in connection.run_on_commit
    ):
        return  # once per transaction is enough, however many rows it writes
    transaction.on_commit(_bump, using=using)


def _bump() -> None:
    if not Revision.objects.filter(pk=1).update(number=F("number") + 1):
        Revision.objects.get_or_create(pk=1, defaults={"number": 1})


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    """The committed revision number (one primary-key read)."""
    # Every cached read asks for it; written in SQL because building the ORM query costs
    # three times as much as running it.
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT number FROM {Revision._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else 0

"""The data revision number: bumped once per committed change, never by a rollback."""

import pytest
from django.db import transaction

from dxboard import revision
from dxboard.indicators.services import load_catalogue
from dxboard.testing import make_unit

pytestmark = pytest.mark.django_db


def test_a_saved_unit_bumps_the_revision_when_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        make_unit("Xã Một", code="90001")
        make_unit("Xã Hai", code="90002")
        assert revision.current() == before  # not before the commit
    assert len(callbacks) == 1  # once per transaction, however many rows
    assert revision.current() == before + 1


def test_a_rolled_back_change_leaves_the_revision_alone(django_capture_on_commit_callbacks):
    before = revision.current()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        make_unit("Xã Ba", code="90003")
        raise RuntimeError("rollback")
    assert callbacks == []
    assert revision.current() == before


def test_bulk_writes_of_the_metadata_importer_bump_it(django_capture_on_commit_callbacks):
    before = revision.current()
    with django_capture_on_commit_callbacks(execute=True):
        load_catalogue()
    assert revision.current() > before

"""`dxboard backup` and `dxboard restore` (issue 18): every table's rows and every stored file.

Run on the database the suite runs on (SQLite, or PostgreSQL with DATABASE_URL): the
native way (pg_dump or SQLite's own copy) and Django's dumpdata, which is the fallback.
"""

from __future__ import annotations

import tarfile

import pytest
from django.core.management import CommandError, call_command

from dxboard import backup
from dxboard.collection.models import DataValue
from dxboard.collection.values import ValueRow, save_values
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata
from dxboard.testing import make_world
from dxboard.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8  # any bytes: only their copy matters


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    root = settings.MEDIA_ROOT
    (root / "feedback" / "2026" / "12").mkdir(parents=True)
    (root / "feedback" / "2026" / "12" / "anh-1.jpg").write_bytes(PHOTO)
    (root / "scorecards" / "evidence").mkdir(parents=True)
    (root / "scorecards" / "evidence" / "minh-chứng.pdf").write_bytes(b"%PDF-1.4 xin chao")
    return root


@pytest.fixture
def data(media):
    world = make_world()
    import_metadata(None, ratio("CQ-03"))
    rows = [ValueRow("CQ-03-MAU", f"2024Q{q}", "99001", str(100 * q)) for q in range(1, 5)]
    assert save_values(world.officer_a, rows, "web").ok
    return world


def _sample() -> dict:
    return {
        "values": sorted(
            DataValue.objects.values_list("data_element__code", "unit__code", "period", "value")
        ),
        "units": sorted(Unit.objects.values_list("code", "name", "path")),
    }


def _spoil(world, media) -> None:
    """What happens after the backup and must be undone by the restore."""
    DataValue.objects.filter(period="2024Q1").delete()
    DataValue.objects.filter(period="2024Q2").update(value=1)
    world.officer_b.delete()
    (media / "feedback" / "2026" / "12" / "anh-1.jpg").unlink()
    (media / "feedback" / "2026" / "12" / "anh-2.jpg").write_bytes(b"new")
    (media / "scorecards" / "evidence" / "minh-chứng.pdf").write_bytes(b"changed")


@pytest.mark.parametrize("method", ["native", "dumpdata"])
def test_a_restore_reproduces_every_table_and_every_stored_file(data, media, tmp_path, method):
    counts, sample, files = backup.table_counts(), _sample(), backup.stored_files()
    assert counts["collection_datavalue"] == 4 and len(files) == 2
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), method=method)
    with tarfile.open(archive) as opened:
        names = set(opened.getnames())
    assert "manifest.json" in names and "media/feedback/2026/12/anh-1.jpg" in names
    _spoil(data, media)
    assert backup.table_counts() != counts
    call_command("restore", str(archive), interactive=False)
    assert backup.table_counts() == counts
    assert _sample() == sample
    assert backup.stored_files() == files
    assert not (media / "feedback" / "2026" / "12" / "anh-2.jpg").exists()
    # The restored database works: a login's user is back, a new figure can be saved.
    from dxboard.accounts.models import User

    officer = User.objects.get(username="officer_a")
    assert save_values(officer, [ValueRow("CQ-03-MAU", "2025Q1", "99001", "5")], "web").ok


def test_a_file_that_is_not_a_backup_changes_nothing(data, media, tmp_path):
    counts = backup.table_counts()
    bogus = tmp_path / "khac.tar.gz"
    with tarfile.open(bogus, "w:gz") as archive:
        archive.add(media / "scorecards" / "evidence" / "minh-chứng.pdf", arcname="x.pdf")
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(bogus), interactive=False)
    (tmp_path / "hong.tar.gz").write_bytes(b"not a tar")
    with pytest.raises(CommandError, match="Không mở được"):
        call_command("restore", str(tmp_path / "hong.tar.gz"), interactive=False)
    assert backup.table_counts() == counts


def test_an_archive_reaching_outside_the_data_directory_is_refused(data, media, tmp_path):
    archive_path = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive_path), method="dumpdata")
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(archive_path) as good, tarfile.open(evil, "w:gz") as bad:
        for member in good.getmembers():
            bad.addfile(member, good.extractfile(member))
        extra = tarfile.TarInfo("media/../../outside.txt")
        extra.size = 0
        bad.addfile(extra)
    with pytest.raises(CommandError, match="mục lạ"):
        call_command("restore", str(evil), interactive=False)
    assert not (tmp_path / "outside.txt").exists()
    assert (media / "feedback" / "2026" / "12" / "anh-1.jpg").exists()

"""Evidence files: PDF, images and office files, size-limited, stored under the data
directory; a wrong type or a file too large is refused naming the criterion."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dxboard.errors import Conflict, InvalidInput, NotFound
from dxboard.scorecards import services
from dxboard.scorecards.models import Evidence
from dxboard.scorecards.tests.factories import make_scorecard
from dxboard.testing import World

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\0" * 100


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_a_unit_attaches_a_pdf_and_an_office_file_to_a_criterion(world: World, media: Path) -> None:
    scorecard = make_scorecard(world)
    pdf = services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "bien-ban.pdf", PDF)
    docx = services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "ke-hoach.docx", DOCX)
    assert pdf.content_type == "application/pdf"
    assert docx.size == len(DOCX)
    assert (media / str(pdf.file.name)).read_bytes() == PDF
    assert str(pdf.file.name).startswith("scorecards/XA-2025/99001/NT-1/")


@pytest.mark.django_db
def test_it_refuses_a_file_of_the_wrong_type_naming_the_criterion(
    world: World, media: Path
) -> None:
    scorecard = make_scorecard(world)
    with pytest.raises(InvalidInput) as error:
        services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "virus.exe", b"MZ\x90")
    assert "1.1" in error.value.details[0].path
    # A PDF name on something else is refused too: the content decides.
    with pytest.raises(InvalidInput):
        services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "gia.pdf", b"<html>")
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_file_over_the_size_limit(world: World, media: Path, settings: Any) -> None:
    settings.DXBOARD_SCORECARDS_MAX_EVIDENCE_BYTES = 1024
    scorecard = make_scorecard(world)
    with pytest.raises(InvalidInput) as error:
        services.add_evidence(
            world.officer_a, scorecard, "99001", "NT-2", "lon.pdf", PDF + b"0" * 2000
        )
    assert "1.2" in error.value.details[0].path
    assert "vượt mức tối đa 1 KB" in error.value.details[0].message
    assert not Evidence.objects.exists()


@pytest.mark.django_db
def test_another_commune_cannot_attach_or_read_evidence(world: World, media: Path) -> None:
    scorecard = make_scorecard(world)
    evidence = services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "a.pdf", PDF)
    with pytest.raises(NotFound):
        services.add_evidence(world.officer_b, scorecard, "99001", "NT-1", "b.pdf", PDF)
    with pytest.raises(NotFound):
        services.get_evidence(world.officer_b, evidence.pk)
    assert services.get_evidence(world.province_officer, evidence.pk) == evidence


@pytest.mark.django_db
def test_no_evidence_is_taken_after_submissions_close(world: World, media: Path) -> None:
    scorecard = make_scorecard(world)
    services.start_review(world.province_officer, scorecard)
    scorecard.refresh_from_db()
    with pytest.raises(Conflict):
        services.add_evidence(world.officer_a, scorecard, "99001", "NT-1", "a.pdf", PDF)

"""The pages through the test client: content, permissions, and query counts."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from dxboard.scorecards import services
from dxboard.scorecards.excel import export_scorecard
from dxboard.scorecards.models import Scorecard
from dxboard.scorecards.tests.factories import ENTRIES_A, make_scorecard, self_assess
from dxboard.testing import World, make_unit


@pytest.mark.django_db
def test_the_list_shows_the_self_assessment_link_to_the_units_officer_only(
    client: Client, world: World
) -> None:
    make_scorecard(world)
    client.force_login(world.officer_a)
    assert "/scorecards/XA-2025/units/99001/" in client.get("/scorecards/").content.decode()
    client.force_login(world.province_officer)
    page = client.get("/scorecards/").content.decode()
    assert "/scorecards/XA-2025/units/" not in page
    assert "Nhập bộ chỉ số" in page


@pytest.mark.django_db
def test_the_review_page_lists_late_units(client: Client, world: World) -> None:
    closed = (timezone.localdate() - timedelta(days=1)).isoformat()
    make_scorecard(world, closesOn=closed)
    client.force_login(world.province_officer)
    page = client.get("/scorecards/XA-2025/review/").content.decode()
    assert "Đơn vị chưa nộp quá hạn (2)" in page
    assert "Xã An Bình" in page and "không nộp" in page


@pytest.mark.django_db
def test_the_ranking_page_takes_a_fixed_number_of_queries(
    client: Client, world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(3, 13):
        make_unit(f"Xã Thử {n}", code=f"990{n:02d}", parent=world.province)
    scorecard = make_scorecard(world)
    for participant in scorecard.participants.select_related("unit"):
        services.save_scores(
            world.admin, scorecard, [{"unit": participant.unit.code, **e} for e in ENTRIES_A]
        )
    client.force_login(world.province_officer)
    with django_assert_max_num_queries(20):
        response = client.get("/scorecards/XA-2025/ranking/?sort=group:NT")
    assert response.status_code == 200
    assert response.content.decode().count("/card/") == 12


@pytest.mark.django_db
def test_the_form_saves_and_a_commune_b_officer_gets_404(client: Client, world: World) -> None:
    make_scorecard(world)
    client.force_login(world.officer_a)
    response = client.post(
        "/scorecards/XA-2025/units/99001/",
        {"c-NT-1-value": "4", "c-NT-1-explanation": "Họp 4 lần", "c-NT-3-value": "1"},
    )
    assert response.status_code == 302
    page = client.get("/scorecards/XA-2025/units/99001/").content.decode()
    assert "Họp 4 lần" in page and "Lịch sử thay đổi điểm" in page
    client.force_login(world.officer_b)
    assert client.get("/scorecards/XA-2025/units/99001/").status_code == 404
    assert client.get("/scorecards/XA-2025/units/99001/card/").status_code == 404


@pytest.mark.django_db
def test_the_head_submits_from_the_page(client: Client, world: World) -> None:
    scorecard = make_scorecard(world)
    self_assess(world, scorecard, "99001", ENTRIES_A)
    client.force_login(world.approver_a)
    response = client.post("/scorecards/XA-2025/units/99001/submit/", follow=True)
    assert "Đã nộp kết quả tự đánh giá." in response.content.decode()


@pytest.mark.django_db
def test_the_import_page_takes_an_exported_excel_file(client: Client, world: World) -> None:
    content = export_scorecard(make_scorecard(world))
    Scorecard.objects.all().delete()
    client.force_login(world.province_officer)
    upload = SimpleUploadedFile("bo-chi-so.xlsx", content)
    response = client.post("/scorecards/import/", {"file": upload})
    assert response.status_code == 302
    assert Scorecard.objects.get().code == "XA-2025"


@pytest.mark.django_db
def test_the_import_page_shows_every_error_and_saves_nothing(client: Client, world: World) -> None:
    client.force_login(world.province_officer)
    upload = SimpleUploadedFile("bo.xlsx", b"not a workbook")
    response = client.post("/scorecards/import/", {"file": upload})
    assert response.status_code == 200
    assert "Tệp không đọc được" in response.content.decode()
    assert not Scorecard.objects.exists()


@pytest.mark.django_db
def test_the_ranking_by_a_group_shows_last_years_rank_in_that_group(
    client: Client, world: World
) -> None:
    from dxboard.scorecards.tests.test_results import _publish, _score

    last_year = make_scorecard(world, code="XA-2024", year=2024)
    _score(world, last_year, "99001", 1, 40)  # first overall, second in NT
    _score(world, last_year, "99002", 4, 10)
    _publish(world, last_year)
    scorecard = make_scorecard(world)
    _score(world, scorecard, "99001", 4, 40)
    _score(world, scorecard, "99002", 3, 40)
    _publish(world, scorecard)
    client.force_login(world.officer_b)
    overall = client.get("/scorecards/XA-2025/ranking/").content.decode()
    row = overall.split('id="row-99001"')[1].split("</tr>")[0]
    assert '<td class="num d-none d-md-table-cell">1</td>' in row and "=" in row
    by_group = client.get("/scorecards/XA-2025/ranking/?sort=group:NT").content.decode()
    row = by_group.split('id="row-99001"')[1].split("</tr>")[0]
    assert '<td class="num d-none d-md-table-cell">2</td>' in row and "▲ 1" in row


@pytest.mark.django_db
def test_the_ranking_offers_the_peer_groups_and_an_unknown_one_is_a_message(
    client: Client, world: World
) -> None:
    from dxboard.units.models import UnitGroup

    scorecard = make_scorecard(world)
    for code in ("99001", "99002"):
        self_assess(world, scorecard, code, ENTRIES_A)
    peers = UnitGroup.objects.create(code="THI-DIEM", name="Xã thí điểm", owner_unit=world.province)
    peers.units.add(world.commune_b)
    UnitGroup.objects.create(code="TRONG", name="Nhóm không có đơn vị", owner_unit=world.province)
    client.force_login(world.province_officer)
    page = client.get("/scorecards/XA-2025/ranking/").content.decode()
    assert '<option value="THI-DIEM">Xã thí điểm</option>' in page
    assert "TRONG" not in page  # no unit of it is assessed
    page = client.get("/scorecards/XA-2025/ranking/?peers=THI-DIEM").content.decode()
    assert 'id="row-99002"' in page and 'id="row-99001"' not in page
    response = client.get("/scorecards/XA-2025/ranking/?peers=KHONG-CO")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Không tìm thấy nhóm đơn vị “KHONG-CO”" in page
    assert 'id="row-99001"' in page and 'id="row-99002"' in page


@pytest.mark.django_db
def test_the_review_form_saves_the_one_adjusted_score_among_the_prefilled_ones(
    client: Client, world: World
) -> None:
    import re

    from dxboard.scorecards.models import ScoreChange

    scorecard = make_scorecard(world)
    self_assess(world, scorecard, "99001", ENTRIES_A)
    services.submit(world.approver_a, scorecard, "99001")
    services.start_review(world.province_officer, scorecard)
    client.force_login(world.province_officer)
    page = client.get("/scorecards/XA-2025/units/99001/").content.decode()
    # Post the form as the browser does: every prefilled field, one score changed.
    fields = dict(re.findall(r'name="(c-[^"]+)"[^>]*? value="([^"]*)"', page))
    assert fields["c-NT-1-points"] == "20"
    fields.update({"c-NT-5-points": "6", "c-NT-5-reason": "Thiếu biên bản"})
    response = client.post("/scorecards/XA-2025/units/99001/", fields)
    assert response.status_code == 302, response.content.decode()[:3000]
    change = ScoreChange.objects.get(stage="review")
    assert (change.score.criterion.code, change.reason) == ("NT-5", "Thiếu biên bản")
    assert change.old != change.new

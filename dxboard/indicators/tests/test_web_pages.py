"""Pages of the indicator catalogue and of programmes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dxboard.evaluation.tests.web_factories import web_programme
from dxboard.indicators.services import load_catalogue

pytestmark = pytest.mark.django_db


def test_the_catalogue_groups_indicators_by_pillar_with_their_formula(client):
    load_catalogue()
    response = client.get(reverse("indicators:catalogue"))
    assert response.status_code == 200
    text = response.content.decode()
    labels = [g["label"] for g in response.context["groups"]]
    assert labels[0] == "Nhận thức số"
    assert "Chính quyền số" in labels and "Xã hội số" in labels
    assert "CQ-03" in text
    assert "Số hồ sơ tiếp nhận trực tuyến / Tổng số hồ sơ tiếp nhận × 100" in text
    assert "giảm là tốt" in text  # CQ-06, the late-dossier rate


def test_the_catalogue_search_ignores_diacritics(client):
    load_catalogue()
    response = client.get(reverse("indicators:catalogue"), {"q": "ho so truc tuyen"})
    codes = {i.code for g in response.context["groups"] for i in g["indicators"]}
    assert "CQ-03" in codes
    assert "HT-01" not in codes


def test_the_catalogue_filters_by_pillar_direction_and_kind(client):
    load_catalogue()
    url = reverse("indicators:catalogue")
    response = client.get(url, {"direction": "down"})
    assert [i.code for g in response.context["groups"] for i in g["indicators"]] == ["CQ-06"]
    response = client.get(url, {"pillar": "ha_tang", "kind": "single"})
    assert [i.code for g in response.context["groups"] for i in g["indicators"]] == ["HT-08"]


def test_an_htmx_search_gets_only_the_results(client):
    load_catalogue()
    response = client.get(
        reverse("indicators:catalogue"),
        {"q": "VNeID"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="catalogue-results",
    )
    text = response.content.decode()
    assert "<html" not in text
    assert "XH-04" in text


def test_the_catalogue_query_count_does_not_grow_with_indicators(
    client, django_assert_max_num_queries
):
    load_catalogue()
    with django_assert_max_num_queries(3):
        response = client.get(reverse("indicators:catalogue"))
    assert response.context["count"] >= 30


def test_an_indicator_page_shows_its_elements_and_targets(world, client_for):
    web_programme()
    response = client_for("province_officer").get(
        reverse("indicators:indicator_detail", args=["CQ-T1"])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "CQ-T1-TU" in text and "CQ-T1-MAU" in text
    assert "Chương trình CT-WEB" in text
    assert "80,0" in text  # the 2024 target


def test_an_unknown_indicator_is_a_404(client):
    assert client.get(reverse("indicators:indicator_detail", args=["KHONG-CO"])).status_code == 404


def test_anonymous_visitors_see_only_public_programmes(world, client):
    web_programme(public=True, code="CT-CONG")
    web_programme(code="CT-RIENG")
    text = client.get(reverse("indicators:programme_list")).content.decode()
    assert "CT-CONG" in text
    assert "CT-RIENG" not in text


def test_the_programme_page_shows_reference_thresholds_and_yearly_targets(world, client_for):
    from dxboard.indicators.models import Programme

    programme = web_programme()
    Programme.objects.filter(pk=programme.pk).update(
        legal_number="553/CTr-UBND", legal_issuer="UBND tỉnh Thử Nghiệm"
    )
    response = client_for("viewer").get(
        reverse("indicators:programme_detail", args=[programme.code])
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "553/CTr-UBND" in text
    assert "2021–2025" in text  # years are never written "2.021"
    assert "đạt khi ≥ 100 %" in text
    assert '<th scope="col" class="num">2024</th>' in text
    rows = {r["indicator"].code: r["cells"] for r in response.context["rows"]}
    assert rows["CQ-T1"] == ["—", "—", "70,0", "80,0", "90,0"]
    # A viewer may read but not edit.
    assert reverse("indicators:targets_edit", args=[programme.code]) not in text


def test_a_private_programme_page_asks_anonymous_visitors_to_log_in(world, client):
    programme = web_programme()
    response = client.get(reverse("indicators:programme_detail", args=[programme.code]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]

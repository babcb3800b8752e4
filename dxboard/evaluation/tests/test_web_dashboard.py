"""The IOC dashboard pages: figures in Vietnamese, statuses, access, htmx partials."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from django.urls import reverse

from dxboard.evaluation.tests.web_factories import web_programme
from dxboard.evaluation.views import default_period, period_choices
from dxboard.testing import make_unit

pytestmark = pytest.mark.django_db


def _url(code: str = "CT-WEB", **params) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("evaluation:dashboard", args=[code]) + (f"?{query}" if query else "")


def test_it_shows_the_met_rate_and_counts_per_status(world, client_for):
    web_programme()
    response = client_for("province_officer").get(_url(unit="99", period="2024"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "1/4 chỉ tiêu đạt, 25,0 %" in text
    # One met (CQ-T2), two at 70–100 % (CQ-T1, NL-T3), one without figures (CQ-T4).
    counts = {s.name: n for s, n in response.context["summary"]["counts"]}
    assert counts == {"met": 1, "ge70": 2, "ge50": 0, "lt50": 0, "noData": 1, "noTarget": 0}
    assert "Chưa có số liệu" in text


def test_it_writes_numbers_the_vietnamese_way(world, client_for):
    web_programme()
    text = client_for("province_officer").get(_url(unit="99", period="2024")).content.decode()
    assert "1.734 / 2.500" in text  # numerator / denominator summed over the communes
    assert "69,4 %" in text  # ratio of sums, one decimal
    assert "86,7 %" in text  # achievement
    assert 'class="status-ge70' in text
    assert 'class="status-met' in text


def test_a_lower_is_better_indicator_meets_its_target_below_it(world, client_for):
    web_programme()
    response = client_for("province_officer").get(_url(unit="99", period="2024"))
    row = next(r for r in response.context["rows"] if r["code"] == "CQ-T2")
    assert row["status"].css == "status-met"
    assert row["achievement"] == "200,0 %"


def test_the_period_picker_offers_quarters_halves_and_years_in_vietnamese(world, client_for):
    web_programme()
    text = client_for("province_officer").get(_url(unit="99", period="2024Q1")).content.decode()
    assert "Quý I/2024" in text
    assert "6 tháng đầu năm 2024" in text
    assert "Năm 2024" in text
    assert '<option value="2024Q1" selected>' in text


def test_period_choices_stop_at_the_current_period():
    class Programme:
        start_year, end_year = 2021, 2030

    groups = dict(period_choices(Programme, today=date(2026, 5, 2)))
    assert groups["Quý"][0].code == "2026Q2"
    assert groups["Quý"][-1].code == "2021Q1"
    assert groups["Năm"][0].code == "2026"


def test_the_default_period_is_the_last_finished_quarter_inside_the_programme():
    class Programme:
        start_year, end_year = 2021, 2030

    assert default_period(Programme, today=date(2026, 5, 2)).code == "2026Q1"
    Programme.end_year = 2025
    assert default_period(Programme, today=date(2026, 5, 2)).code == "2025Q4"


def test_the_indicator_panel_shows_the_trend_projection_and_ranking(world, client_for):
    web_programme()
    response = client_for("province_officer").get(_url(unit="99", period="2024", indicator="CQ-T1"))
    text = response.content.decode()
    trend = json.loads(
        text.split('id="trend-chart-data" type="application/json">')[1].split("<")[0]
    )
    assert trend["labels"] == ["Năm 2021", "Năm 2022", "Năm 2023", "Năm 2024"]
    assert trend["actual"][2:] == [52.0, 69.4]
    assert trend["target"][2:] == [70.0, 80.0]
    assert trend["projection"]["label"] == "Năm 2025 (dự báo)"
    # A target in % is written with its unit, as the actual is (the "%" was dropped).
    sentence = " ".join(text.split('data-testid="projection">')[1].split("</p>")[0].split())
    assert re.search(r"so với chỉ tiêu 90 % là 96,4 %\.", sentence), sentence
    # The ranking: commune A (82,3 %) before commune B (50 %); links drill down.
    ranking = response.context["ranking"]
    assert [r["unit"].code for r in ranking[:2]] == ["99001", "99002"]
    assert ranking[0]["actual"] == "82,3"
    assert "unit=99001" in ranking[0]["url"]
    assert 'class="drill-link"' in text


def test_an_htmx_request_for_an_indicator_gets_only_the_panel(world, client_for):
    web_programme()
    response = client_for("province_officer").get(
        _url(unit="99", period="2024", indicator="NL-T3"),
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="indicator-panel",
    )
    assert response.status_code == 200
    assert response.templates[0].name == "evaluation/indicator_panel_partial.html"
    text = response.content.decode()
    assert "<html" not in text
    assert "trend-chart-data" in text
    assert "NL-T3" in text


def test_drilling_down_shows_the_child_unit(world, client_for):
    web_programme()
    response = client_for("province_officer").get(_url(unit="99001", period="2024"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Xã An Bình" in text
    assert "1.234 / 1.500" in text
    # The breadcrumb leads back to the province's dashboard.
    assert "unit=99&amp;period=2024" in text


def test_a_public_dashboard_is_readable_without_login(world, client):
    web_programme(public=True)
    response = client.get(_url(unit="99", period="2024"))
    assert response.status_code == 200
    assert "1/4 chỉ tiêu đạt, 25,0 %" in response.content.decode()
    # …also a commune's, since it lies inside the programme's unit.
    assert client.get(_url(unit="99002", period="2024")).status_code == 200


def test_a_private_dashboard_asks_anonymous_visitors_to_log_in(world, client):
    web_programme()
    response = client.get(_url(unit="99", period="2024"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_public_dashboard_does_not_open_units_outside_the_programme(world, client):
    web_programme(public=True)
    other = make_unit("Tỉnh Khác", code="98", kind="province")
    make_unit("Xã Ngoài", code="98001", parent=other)
    assert client.get(_url(unit="98001", period="2024")).status_code == 302
    client.force_login(world.officer_a)
    assert client.get(_url(unit="98001", period="2024")).status_code == 404


def test_a_commune_officer_sees_their_commune_but_not_another(world, client_for):
    web_programme()
    client = client_for("officer_a")
    assert client.get(_url(unit="99001", period="2024")).status_code == 200
    assert client.get(_url(unit="99002", period="2024")).status_code == 404
    assert client.get(_url(unit="99", period="2024")).status_code == 404


@pytest.mark.parametrize("public", [False, True])
def test_without_a_unit_the_dashboard_opens_on_the_users_own_unit(world, client_for, public):
    web_programme(public=public)
    response = client_for("officer_a").get(_url(period="2024"))
    assert response.status_code == 200
    assert response.context["unit"].code == "99001"
    response = client_for("province_officer").get(_url(period="2024"))
    assert response.context["unit"].code == "99"


def test_an_outsider_gets_a_404_for_another_communes_programme(world, client_for):
    web_programme(code="CT-XA", unit="99001")
    assert client_for("officer_b").get(_url("CT-XA", period="2024")).status_code == 404
    assert client_for("officer_a").get(_url("CT-XA", period="2024")).status_code == 200


def test_an_impossible_period_falls_back_with_a_message(world, client_for):
    web_programme()
    client = client_for("province_officer")
    response = client.get(_url(unit="99", period="2024Q5"), follow=True)
    assert response.status_code == 200
    assert "quý phải từ Q1 đến Q4" in response.content.decode()


def test_the_index_sends_each_user_to_their_top_unit(world, client_for):
    web_programme()
    response = client_for("province_officer").get(reverse("evaluation:index"))
    assert response.status_code == 302
    assert "unit=99&" in response["Location"]
    response = client_for("officer_a").get(reverse("evaluation:index") + "?programme=CT-WEB")
    assert "unit=99001&" in response["Location"]
    assert "period=" in response["Location"]


def test_the_index_lists_public_programmes_for_anonymous_visitors(world, client):
    web_programme(public=True)
    web_programme(code="CT-KIN")
    text = client.get(reverse("evaluation:index")).content.decode()
    assert "CT-WEB" in text
    assert "CT-KIN" not in text
    response = client.get(reverse("evaluation:index") + "?programme=CT-WEB")
    assert response.status_code == 302


def test_the_dashboard_query_count_does_not_grow_with_units_and_indicators(
    world, client_for, django_assert_max_num_queries
):
    web_programme()
    client = client_for("province_officer")
    # 22: indicators read once (was 28); +1 for the kinds of children the ranking tabs offer;
    # +1 for the menu, which asks whether the user handles field reports of a commune.
    with django_assert_max_num_queries(26) as small:
        client.get(_url(unit="99", period="2024"))
    for n in range(10):
        make_unit(f"Xã Thêm {n}", code=f"9901{n}", parent=world.province)
    from dxboard.evaluation.tests.factories import put

    put(*[("CQ-T1-TU", f"9901{n}", "2024Q1", 10 + n) for n in range(10)])
    put(*[("CQ-T1-MAU", f"9901{n}", "2024Q1", 100) for n in range(10)])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(unit="99", period="2024", indicator="CQ-T1"))
    # The 12 communes; the department is ranked apart (its own tab), not among them.
    assert len(response.context["ranking"]) == 12
    assert [k["kind"] for k in response.context["ranking_kinds"]] == ["commune", "department"]


def test_the_indicator_table_flags_every_indicator_at_risk_like_its_panel(world, client_for):
    web_programme()
    client = client_for("province_officer")
    response = client.get(_url(unit="99", period="2024"))
    rows = {row["code"]: row for row in response.context["rows"]}
    assert rows["CQ-T1"]["at_risk"]  # 2025 projected at 77,9 % of its target of 90
    assert response.context["at_risk_count"] == sum(r["at_risk"] for r in rows.values())
    text = response.content.decode()
    assert (
        text.count('class="badge text-bg-danger ms-1 at-risk"') == response.context["at_risk_count"]
    )
    assert "nguy cơ không đạt chỉ tiêu năm 2025" in text
    for code, row in rows.items():
        panel = client.get(_url(unit="99", period="2024", indicator=code)).context["at_risk"]
        assert panel == row["at_risk"], code


def test_the_met_rate_counts_only_the_indicators_with_a_target_for_the_year(world, client_for):
    from dxboard.indicators.models import Target

    programme = web_programme()
    # NL-T3 (which has figures) loses its 2024 target: it is "no target", outside the rate:
    # 1 met of the 3 with a target (CQ-T4 has a target but no figures: it counts, unmet).
    Target.objects.filter(indicator__code="NL-T3", year=2024).delete()
    response = client_for("province_officer").get(_url(unit="99", period="2024"))
    assert "1/3 chỉ tiêu đạt, 33,3 %" in response.content.decode()
    api = client_for("province_officer").get(
        f"/api/v1/programmes/{programme.code}/evaluation?unit=99&period=2024"
    )
    summary = api.json()["summary"]
    assert (summary["total"], summary["withTarget"], summary["noTarget"]) == (4, 3, 1)
    assert summary["metRate"] == 33.3


def test_the_ranking_tabs_switch_between_communes_and_departments(world, client_for):
    web_programme()
    client = client_for("province_officer")
    page = client.get(_url(unit="99", period="2024", indicator="CQ-T1")).content.decode()
    assert 'data-testid="ranking-kinds"' in page and "Sở, ban, ngành (1)" in page
    response = client.get(_url(unit="99", period="2024", indicator="CQ-T1", rank_kind="department"))
    ranking = response.context["ranking"]
    assert [r["unit"].code for r in ranking] == ["SKHCN"]
    assert "chưa có số liệu, không xếp hạng" in response.content.decode()
    # An unknown kind falls back to the default rather than failing.
    response = client.get(_url(unit="99", period="2024", indicator="CQ-T1", rank_kind="hamlet"))
    assert response.status_code == 200 and len(response.context["ranking"]) == 2
    # A NUL byte is refused before any view runs (dxboard.input_guard), as everywhere.
    response = client.get(_url(unit="99", period="2024", indicator="CQ-T1", rank_kind="x%00"))
    assert response.status_code == 400


def test_the_indicator_and_target_columns_have_distinct_headings(world, client_for):
    web_programme()
    client = client_for("province_officer")
    text = client.get(_url(unit="99", period="2024")).content.decode()
    assert '<th scope="col" class="num">Kế hoạch</th>' in text
    client.cookies["django_language"] = "en"
    text = client.get(_url(unit="99", period="2024")).content.decode()
    assert '<th scope="col">Indicators</th>' in text
    assert '<th scope="col" class="num">Target</th>' in text
    units = client.get(reverse("units:detail", args=["99"])).content.decode()
    assert "<th>Code</th>" in units and "<th>Token</th>" not in units
    tokens = client.get(reverse("accounts:tokens")).content.decode()
    assert "<th>Token</th>" in tokens

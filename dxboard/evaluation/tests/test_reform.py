"""History under the new units and both bases of a ranking (issue 17, points 3 and 4).

The layout, with figures computed by hand:

    former province 91 (until 30/06/2025)        new province 92 (from 01/07/2025)
      C1 91001 ─────────────── whole ─────────▶    N1 92001
      C2 91002 ─────────────── whole ─────────▶    N1
      C3 91003 ── split 0.4 ──▶ N1, 0.6 ──▶        N2 92002

2024, element DV (summed over units and time): C1 100, C2 50, C3 200
    N1 = 100 + 50 + 0.4 × 200 = 230 (estimated), N2 = 0.6 × 200 = 120 (estimated),
    province 92 = 350 (a whole merge: not estimated).
2024, ratio R = TU / MAU × 100: C1 30/100, C2 10/100, C3 50/100
    N1 = (30 + 10 + 20) / (100 + 100 + 40) = 60 / 240 = 25 %, N2 = 30 / 60 = 50 %.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from dxboard.collection.values import ValueRow, save_values
from dxboard.evaluation import services
from dxboard.evaluation.tests.factories import make_programme, ratio, single
from dxboard.periods import parse_period
from dxboard.testing import make_unit, make_user
from dxboard.units import successions
from dxboard.units.models import SuccessionKind, UnitKind
from dxboard.units.services import record_succession

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)
Y2024 = parse_period("2024")


def _put(user, *values) -> None:
    """Figures entered for the unit in force in their period (the API's rule; computed
    figures read codes today, so they cannot be stored on a former unit)."""
    rows = [ValueRow(e, p, u, v) for e, u, p, v in values]
    summary = save_values(user, rows, "api", machine_format=True)
    assert summary.ok, summary.as_dict()


@pytest.fixture
def reform(db):
    return build_reform()


def build_reform() -> dict:
    """The layout of the module's doc-string, with its figures."""
    nation = make_unit("Quốc gia thử", code="VN-T", kind=UnitKind.NATION)
    old = make_unit("Tỉnh Cũ", code="91", kind=UnitKind.PROVINCE, parent=nation)
    c1, c2, c3 = (
        make_unit(f"Xã Cũ {i}", code=f"9100{i}", parent=old, valid_from=dt.date(2009, 1, 1))
        for i in (1, 2, 3)
    )
    new = make_unit("Tỉnh Mới", code="92", kind=UnitKind.PROVINCE, parent=nation, valid_from=REFORM)
    n1 = make_unit("Phường Mới Một", code="92001", parent=new, valid_from=REFORM)
    n2 = make_unit("Xã Mới Hai", code="92002", parent=new, valid_from=REFORM)
    record_succession([old], new, SuccessionKind.MERGE, REFORM)
    record_succession([c1, c2], n1, SuccessionKind.MERGE, REFORM)
    admin = make_user(is_superuser=True)
    successions.record_split(admin, c3, [(n1, "0.4"), (n2, "0.6")], REFORM)
    for unit in (old, c1, c2, c3):
        unit.refresh_from_db()
    programme = make_programme(
        "92",
        [single("DV"), ratio("R"), single("TS", time="last")],
        [
            ("DV", 2024, 100, "91001"),
            ("DV", 2024, 60, "91002"),
            ("DV", 2024, 200, "91003"),
            ("R", 2024, 90, "91001"),
            ("R", 2024, 60, "91002"),
            ("R", 2024, 80, "91003"),
            ("DV", 2026, 500, "92001"),
        ],
        code="CT-SX",
        start=2021,
        end=2030,
        is_public=True,
    )
    _put(
        admin,
        ("DV", "91001", "2024", 100),
        ("DV", "91002", "2024", 50),
        ("DV", "91003", "2024", 200),
        ("R-TU", "91001", "2024", 30),
        ("R-MAU", "91001", "2024", 100),
        ("R-TU", "91002", "2024", 10),
        ("R-MAU", "91002", "2024", 100),
        ("R-TU", "91003", "2024", 50),
        ("R-MAU", "91003", "2024", 100),
        # 2025 across the reform: C1 holds the first half, N1 the second.
        ("DV", "91001", "2025Q1", 10),
        ("DV", "91001", "2025Q2", 10),
        ("DV", "92001", "2025Q3", 20),
        ("DV", "92001", "2025Q4", 30),
        # A stock (the last quarter's figure over time): 4, 5 then 9.
        ("TS", "91001", "2025Q1", 4),
        ("TS", "91001", "2025Q2", 5),
        ("TS", "92001", "2025Q4", 9),
    )
    return {
        "nation": nation,
        "old": old,
        "new": new,
        "c1": c1,
        "c2": c2,
        "c3": c3,
        "n1": n1,
        "n2": n2,
        "programme": programme,
        "admin": admin,
    }


def _rows(programme, unit, period):
    evaluation = services.evaluate(programme, unit, period, user=None)
    return {row.code: row for row in evaluation.indicators}


def test_a_new_commune_reads_its_merged_and_split_former_communes_for_2024(reform):
    rows = _rows(reform["programme"], reform["n1"], Y2024)
    assert rows["DV"].actual == Decimal(230)
    assert rows["DV"].estimated
    assert (rows["R"].numerator, rows["R"].denominator) == (Decimal(60), Decimal(240))
    assert rows["R"].actual == Decimal(25)
    assert rows["R"].estimated
    other = _rows(reform["programme"], reform["n2"], Y2024)
    assert other["DV"].actual == Decimal(120)
    assert other["R"].actual == Decimal(50)


def test_a_new_province_reads_its_former_province_whole_not_estimated(reform):
    rows = _rows(reform["programme"], reform["new"], Y2024)
    assert rows["DV"].actual == Decimal(350)
    assert not rows["DV"].estimated
    # (30 + 10 + 50) / 300
    assert rows["R"].actual == Decimal(30)


def test_a_year_across_the_reform_adds_both_halves_and_a_stock_reads_its_last_quarter(reform):
    rows = _rows(reform["programme"], reform["n1"], parse_period("2025"))
    assert rows["DV"].actual == Decimal(70)  # 10 + 10 (C1) + 20 + 30 (N1)
    assert not rows["DV"].estimated  # C3 reported nothing in 2025
    assert rows["TS"].actual == Decimal(9)  # not 5 + 9
    first_half = _rows(reform["programme"], reform["n1"], parse_period("2025S1"))
    assert first_half["TS"].actual == Decimal(5)
    # The figures of the quarters after the reform are the new commune's own.
    q3 = _rows(reform["programme"], reform["n1"], parse_period("2025Q3"))
    assert q3["DV"].actual == Decimal(20)
    assert not q3["DV"].estimated


def test_targets_set_for_the_former_units_are_read_the_same_way(reform):
    rows = _rows(reform["programme"], reform["n1"], Y2024)
    # counts: 100 + 60 + 0.4 × 200 = 240; achievement 230 / 240
    assert rows["DV"].target == Decimal(240)
    assert rows["DV"].achievement.quantize(Decimal("0.01")) == Decimal("95.83")
    # a ratio: the share-weighted mean (90 + 60 + 0.4 × 80) / 2.4 = 75.8333…, to 2 places
    assert rows["R"].target == Decimal("75.83")
    # its own target wins where it has one
    assert _rows(reform["programme"], reform["n1"], parse_period("2026"))["DV"].target == 500


def test_a_former_unit_is_evaluated_as_of_a_date_and_counts_only_its_own(reform):
    programme, unit, period = services.resolve(
        None, "CT-SX", "91003", "2024", as_of=dt.date(2024, 12, 31)
    )
    assert unit == reform["c3"]
    rows = _rows(programme, unit, period)
    assert rows["DV"].actual == Decimal(200)
    assert not rows["DV"].estimated


def test_the_trend_runs_across_the_reform(reform):
    periods = [parse_period(f"2025Q{q}") for q in (1, 2, 3, 4)]
    points = services.trend(reform["programme"], reform["n1"], "DV", periods, user=None)
    assert [p.actual for p in points] == [10, 10, 20, 30]
    yearly = services.trend(
        reform["programme"], reform["n1"], "DV", [Y2024, parse_period("2025")], user=None
    )
    assert [(p.actual, p.estimated) for p in yearly] == [(230, True), (70, False)]


def test_the_ranking_of_2024_on_the_current_units_and_on_the_former_ones(reform):
    programme, new = reform["programme"], reform["new"]
    current = services.rank_children(programme, new, Y2024, "DV", user=None)
    assert [(r.unit.code, r.rank, r.actual, r.estimated) for r in current] == [
        ("92001", 1, 230, True),
        ("92002", 2, 120, True),
    ]
    former = services.rank_children(programme, new, Y2024, "DV", user=None, basis="former")
    assert [(r.unit.code, r.rank, r.actual, r.estimated) for r in former] == [
        ("91003", 1, 200, False),
        ("91001", 2, 100, False),
        ("91002", 3, 50, False),
    ]
    assert services.ranking_bases(new, Y2024) == ["current", "former"]
    # After the reform there is one basis.
    assert services.ranking_bases(new, parse_period("2025Q3")) == ["current"]


def test_the_national_ranking_of_2024_on_the_provinces_of_then_or_of_now(reform):
    programme, nation = reform["programme"], reform["nation"]
    now = services.rank_children(programme, nation, Y2024, "DV", user=None)
    assert [(r.unit.code, r.actual) for r in now] == [("92", 350)]
    then = services.rank_children(programme, nation, Y2024, "DV", user=None, basis="former")
    assert [(r.unit.code, r.actual) for r in then] == [("91", 350)]


def test_re_basing_keeps_the_provincial_total(reform):
    programme = reform["programme"]
    current = services.rank_children(programme, reform["new"], Y2024, "DV", user=None)
    former = services.rank_children(
        programme, reform["new"], Y2024, "DV", user=None, basis="former"
    )
    assert sum(r.actual for r in current) == sum(r.actual for r in former) == 350


def test_an_unknown_basis_is_a_clear_error(reform):
    from dxboard.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Cơ sở xếp hạng “cu” không hợp lệ"):
        services.rank_children(
            reform["programme"], reform["new"], Y2024, "DV", user=None, basis="cu"
        )


def test_the_api_marks_estimated_figures_and_reads_a_former_unit_as_of_a_date(reform, client):
    body = client.get("/api/v1/programmes/CT-SX/evaluation?unit=92001&period=2024").json()
    rows = {row["code"]: row for row in body["indicators"]}
    assert rows["DV"]["actual"] == 230
    assert rows["DV"]["estimated"] is True
    assert body["estimated"] is True
    former = client.get(
        "/api/v1/programmes/CT-SX/evaluation?unit=91003&period=2024&asOf=2024-12-31"
    ).json()
    assert former["unit"] == {"code": "91003", "name": "Xã Cũ 3"}
    assert {row["code"]: row for row in former["indicators"]}["DV"]["estimated"] is False


def test_the_api_ranks_on_either_basis(reform, client):
    url = "/api/v1/programmes/CT-SX/ranking?unit=92&period=2024&indicator=DV"
    current = client.get(url).json()
    assert current["basis"] == "current"
    assert current["bases"] == ["current", "former"]
    assert [(u["code"], u["rank"], u["actual"], u["estimated"]) for u in current["units"]] == [
        ("92001", 1, 230, True),
        ("92002", 2, 120, True),
    ]
    former = client.get(url + "&basis=former").json()
    assert [(u["code"], u["validTo"]) for u in former["units"]] == [
        ("91003", "2025-06-30"),
        ("91001", "2025-06-30"),
        ("91002", "2025-06-30"),
    ]
    bad = client.get(url + "&basis=cu")
    assert bad.status_code == 400
    assert bad.json()["error"]["details"][0]["path"] == "basis"


def test_the_evaluate_command_marks_estimates_and_takes_as_of(reform, capsys):
    call_command("evaluate", "--programme", "CT-SX", "--unit", "92001", "--period", "2024")
    table = capsys.readouterr().out
    assert "ước tính" in table
    call_command(
        "evaluate",
        "--programme",
        "CT-SX",
        "--unit",
        "91003",
        "--period",
        "2024",
        "--as-of",
        "2024-12-31",
        "--format",
        "json",
    )
    body = json.loads(capsys.readouterr().out)
    assert body["unit"]["code"] == "91003"
    assert body["estimated"] is False


def test_the_officer_of_a_new_commune_sees_its_history_not_a_neighbours(reform):
    officer = make_user(unit=reform["n2"])
    rows = services.evaluate(reform["programme"], reform["n2"], Y2024, user=officer)
    assert rows.indicators[0].actual == Decimal(120)
    private = make_programme("92", [single("DV2")], code="CT-RIENG")
    from dxboard.errors import NotFound

    # C3 was N2's predecessor: visible; C1 went whole to N1 only: not N2's.
    services.evaluate(private, reform["c3"], Y2024, user=officer)
    with pytest.raises(NotFound):
        services.evaluate(private, reform["c1"], Y2024, user=officer)


# --- the dashboard page ------------------------------------------------------------------


def _page(client, **params):
    from django.urls import reverse
    from django.utils.http import urlencode

    url = reverse("evaluation:dashboard", args=["CT-SX"]) + "?" + urlencode(params)
    response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    return response


def test_the_dashboard_marks_estimated_figures(reform, client):
    response = _page(client, unit="92001", period="2024", indicator="DV")
    text = response.content.decode()
    assert 'data-testid="estimated"' in text
    assert 'data-testid="estimated-note"' in text
    assert "230" in text
    row = next(r for r in response.context["rows"] if r["code"] == "DV")
    assert row["estimated"] and row["actual"] == "230,0"
    # The whole merge of the province is not an estimate.
    whole = _page(client, unit="92", period="2024", indicator="DV")
    assert not next(r for r in whole.context["rows"] if r["code"] == "DV")["estimated"]


def test_the_trend_chart_runs_across_the_reform_with_the_boundary_marked(reform, client):
    response = _page(client, unit="92001", period="2025Q4", indicator="DV")
    chart = response.context["trend_chart"]
    assert chart["boundary"]["label"] == "Quý III/2025"
    assert "01/07/2025" in chart["boundary"]["text"]
    at = chart["labels"].index("Quý I/2025")
    assert chart["actual"][at : at + 4] == [10, 10, 20, 30]
    assert 'data-testid="reform-note"' in response.content.decode()
    # A unit without former units has no boundary.
    plain = _page(client, unit="91001", period="2024Q4", indicator="DV", asOf="2024-12-31")
    assert plain.context["trend_chart"]["boundary"] is None


def test_the_dashboard_ranks_2024_on_the_current_or_the_former_units(reform, client):
    current = _page(client, unit="92", period="2024", indicator="DV")
    assert [b["basis"] for b in current.context["ranking_bases"]] == ["current", "former"]
    assert [r["unit"].code for r in current.context["ranking"]] == ["92001", "92002"]
    assert 'data-testid="ranking-bases"' in current.content.decode()
    former = _page(client, unit="92", period="2024", indicator="DV", basis="former")
    rows = former.context["ranking"]
    assert [(r["unit"].code, r["rank"]) for r in rows] == [("91003", 1), ("91001", 2), ("91002", 3)]
    # A former unit's dashboard is named by its last day: its code may be reused.
    assert "asOf=2025-06-30" in rows[0]["url"]
    # After the reform there is nothing to choose.
    after = _page(client, unit="92", period="2025Q3", indicator="DV")
    assert after.context["ranking_bases"] == []


def test_a_former_units_dashboard_is_opened_as_of_a_date(reform, client):
    response = _page(client, unit="91003", period="2024", asOf="2024-12-31", indicator="DV")
    assert response.context["unit"] == reform["c3"]
    text = response.content.decode()
    assert 'data-testid="former-unit"' in text
    assert "30/06/2025" in text
    assert next(r for r in response.context["rows"] if r["code"] == "DV")["actual"] == "200,0"


def test_a_cached_evaluation_follows_an_edited_split_share(
    reform, settings, django_capture_on_commit_callbacks
):
    """Shares are written with bulk_update, which sends no signal: the edit bumps the
    data revision itself, so the cached 230 does not outlive it."""
    from django.db import connection

    settings.DXBOARD_EVALUATION_CACHE_SECONDS = 600
    connection.run_on_commit.clear()  # the fixture's writes, as if committed
    assert _rows(reform["programme"], reform["n1"], Y2024)["DV"].actual == 230
    with django_capture_on_commit_callbacks(execute=True):
        successions.set_split_shares(
            reform["admin"], reform["c3"], {"92001": "0.5", "92002": "0.5"}
        )
    connection.run_on_commit.clear()
    # 100 + 50 + 0.5 × 200
    assert _rows(reform["programme"], reform["n1"], Y2024)["DV"].actual == 250


def test_the_ranking_api_defaults_to_the_first_indicator(reform, client):
    body = client.get("/api/v1/programmes/CT-SX/ranking?unit=92&period=2024").json()
    assert body["indicator"]["code"] == "DV"
    assert [u["code"] for u in body["units"]] == ["92001", "92002"]


def test_a_new_units_own_computed_figures_of_before_its_start_count_too(reform):
    """Figures computed from the registers are stored on today's unit whatever their
    period (codes read today): they add to the former units', they are not hidden."""
    from dxboard.evaluation.tests.factories import put

    put(("DV", "92002", "2024", 7))
    assert _rows(reform["programme"], reform["n2"], Y2024)["DV"].actual == Decimal(127)


def test_a_former_unit_that_kept_existing_after_a_split_counts_only_until_it(reform):
    w = reform
    kept = make_unit("Xã Còn Lại", code="92009", parent=w["new"])
    n3 = make_unit("Xã Mới Ba", code="92003", parent=w["new"], valid_from=REFORM)
    n4 = make_unit("Xã Mới Bốn", code="92004", parent=w["new"], valid_from=REFORM)
    successions.record_split(
        w["admin"], kept, [(n3, "0.5"), (n4, "0.5")], REFORM, keeps_existing=True
    )
    _put(w["admin"], ("DV", "92009", "2024", 100), ("DV", "92009", "2025Q4", 40))
    assert _rows(w["programme"], n3, Y2024)["DV"].actual == Decimal(50)
    # After the split its figures are its own, not N3's half.
    assert _rows(w["programme"], n3, parse_period("2025"))["DV"].actual is None
    assert _rows(w["programme"], kept, parse_period("2025"))["DV"].actual == Decimal(40)

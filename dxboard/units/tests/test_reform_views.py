"""Unit pages and the units API across the 2025 reform: today's unit, or `asOf` a date."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from dxboard.accounts.models import Role
from dxboard.testing import make_unit, make_user
from dxboard.units import successions
from dxboard.units.models import SuccessionKind, UnitKind
from dxboard.units.services import record_succession

REFORM = dt.date(2025, 7, 1)
LAST_DAY = dt.date(2025, 6, 30)


@pytest.fixture
def eighty(world):
    """Former Long An (80) and today's Tây Ninh (80); a former commune split in two."""
    nation = make_unit("Việt Nam", code="VN", kind=UnitKind.NATION)
    long_an = make_unit(
        "Tỉnh Long An", code="80", kind=UnitKind.PROVINCE, parent=nation, valid_to=LAST_DAY
    )
    tay_ninh = make_unit(
        "Tỉnh Tây Ninh", code="80", kind=UnitKind.PROVINCE, parent=nation, valid_from=REFORM
    )
    record_succession([long_an], tay_ninh, SuccessionKind.MERGE, REFORM)
    split = make_unit("Xã Chia Đôi", code="27001", parent=long_an)
    a = make_unit("Xã Nhận Một", code="27101", parent=tay_ninh, valid_from=REFORM)
    b = make_unit("Xã Nhận Hai", code="27102", parent=tay_ninh, valid_from=REFORM)
    successions.record_split(world.admin, split, [(a, "0.25"), (b, "0.75")], REFORM)
    return {"long_an": long_an, "tay_ninh": tay_ninh, "a": a, "split": split}


def test_the_page_of_code_80_is_tay_ninh_and_as_of_2024_is_long_an(client_for, eighty):
    client = client_for("admin")
    today = client.get(reverse("units:detail", args=["80"])).content.decode()
    assert '<h1 class="h3 mb-1">Tỉnh Tây Ninh</h1>' in today
    assert eighty["long_an"].get_absolute_url() in today  # the link keeps its date
    former = client.get(reverse("units:detail", args=["80"]), {"asOf": "2024-12-31"})
    html = former.content.decode()
    assert '<h1 class="h3 mb-1">Tỉnh Long An</h1>' in html
    assert "hết hiệu lực" in html and "đến 30/06/2025" in html


def test_a_split_shows_its_share_marked_estimated(client_for, eighty):
    html = client_for("admin").get(eighty["a"].get_absolute_url()).content.decode()
    assert "Xã Chia Đôi" in html and "25 % chuyển sang, ước tính" in html


def test_a_malformed_or_empty_as_of_is_a_404_not_an_error(client_for, eighty):
    client = client_for("admin")
    assert (
        client.get(reverse("units:detail", args=["80"]), {"asOf": "31/13/2024"}).status_code == 404
    )
    assert (
        client.get(reverse("units:detail", args=["80"]), {"asOf": "2001-01-01"}).status_code == 200
    )
    assert (
        client.get(reverse("units:detail", args=["27101"]), {"asOf": "2024-01-01"}).status_code
        == 404
    )


def test_the_api_reads_todays_unit_or_a_former_one_with_its_validity(client_for, eighty):
    client = client_for("admin")
    today = client.get("/api/v1/units/80").json()
    assert (today["name"], today["valid_from"], today["valid_to"]) == (
        "Tỉnh Tây Ninh",
        "2025-07-01",
        None,
    )
    assert today["predecessors"][0]["valid_to"] == "2025-06-30"
    former = client.get("/api/v1/units/80", {"asOf": "2024-12-31"}).json()
    assert (former["name"], former["valid_to"]) == ("Tỉnh Long An", "2025-06-30")
    assert former["successors"][0]["name"] == "Tỉnh Tây Ninh"
    split = client.get("/api/v1/units/27001", {"asOf": "2024-12-31"}).json()
    assert {s["code"]: Decimal(str(s["share"])) for s in split["successors"]} == {
        "27101": Decimal("0.25"),
        "27102": Decimal("0.75"),
    }
    assert client.get("/api/v1/units/27101", {"asOf": "2024-12-31"}).status_code == 404


def test_the_api_lists_the_units_in_force_on_a_date(
    client_for, eighty, django_assert_max_num_queries
):
    client = client_for("admin")
    with django_assert_max_num_queries(8):
        body = client.get("/api/v1/units", {"asOf": "2024-12-31", "kind": "province"}).json()
    names = {u["name"] for u in body["items"]}
    assert "Tỉnh Long An" in names and "Tỉnh Tây Ninh" not in names
    body = client.get("/api/v1/units", {"kind": "province"}).json()
    assert "Tỉnh Tây Ninh" in {u["name"] for u in body["items"]}


def test_the_officer_of_a_new_commune_sees_its_predecessor_but_not_a_neighbours(eighty):
    officer = make_user(unit=eighty["a"], role=Role.REPORTER)
    neighbour = make_unit("Xã Bên Cạnh Cũ", code="27002", parent=eighty["long_an"])
    split = eighty["split"]
    split.refresh_from_db()
    assert split.is_visible_to(officer, roles=[Role.REPORTER])
    assert not neighbour.is_visible_to(officer)
    assert not eighty["long_an"].is_visible_to(officer)

"""The main menu: only what the user may open, grouped, with the current page lit."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(response) -> dict[str, dict]:
    links = {}
    for entry in response.context["nav_items"]:
        for link in entry.get("children", [entry]):
            links[link["url"]] = link
    return links


def test_anonymous_visitors_see_the_public_entries_only(client):
    links = _links(client.get(reverse("feedback:public_list")))
    assert reverse("evaluation:index") in links
    assert reverse("feedback:submit") in links
    assert reverse("feedback:inbox") not in links
    assert reverse("reporting:index") not in links


@pytest.mark.parametrize(
    ("persona", "sees_inbox"),
    # A commune's officer handles what is routed to the commune (feedback.handle_own_commune).
    [
        ("handler", True),
        ("admin", True),
        ("province_officer", False),
        ("viewer", False),
        ("officer_a", True),
    ],
)
def test_the_handling_inbox_is_offered_only_to_those_it_opens_for(
    world, client_for, persona, sees_inbox
):
    client = client_for(persona)
    links = _links(client.get(reverse("evaluation:index")))
    assert (reverse("feedback:inbox") in links) is sees_inbox
    assert client.get(reverse("feedback:inbox")).status_code == (200 if sees_inbox else 403)


def test_only_the_longest_matching_entry_is_active(world, client_for):
    links = _links(client_for("province_officer").get(reverse("indicators:programme_list")))
    assert links[reverse("indicators:programme_list")]["active"]
    assert not links[reverse("indicators:catalogue")]["active"]


def test_the_english_menu_names_the_unit_register_in_the_plural(world, client_for):
    client = client_for("province_officer")
    client.cookies["django_language"] = "en"
    response = client.get(reverse("evaluation:index"))
    assert _links(response)[reverse("units:tree")]["label"] == "Units"

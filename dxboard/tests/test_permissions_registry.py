"""The one registry of actions and roles, and the one mapping of refusals to pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from dxboard import permissions
from dxboard.accounts.models import Role
from dxboard.errors import Forbidden, NotFound
from dxboard.middleware import ServiceErrorMiddleware


@pytest.fixture(autouse=True)
def _scratch_registry(monkeypatch):
    """Actions registered by a test here vanish after it."""
    monkeypatch.setattr(permissions, "_REGISTRY", dict(permissions._REGISTRY))


def test_every_action_is_named_app_dot_verb_and_has_roles():
    for action in permissions.all_actions():
        assert action.name.count(".") == 1, action.name
        assert action.roles, f"{action.name} has no role"


def test_an_unknown_action_is_a_programming_error():
    with pytest.raises(LookupError):
        permissions.roles_for("nothing.here")


def test_registering_an_action_twice_with_other_roles_is_refused():
    permissions.register([permissions.Action("testing.poke", ("admin",))])
    permissions.register([permissions.Action("testing.poke", ("admin",))])
    with pytest.raises(ValueError):
        permissions.register([permissions.Action("testing.poke", ("viewer",))])


@pytest.mark.django_db
def test_require_answers_not_found_outside_and_forbidden_inside(world):
    permissions.register([permissions.Action("testing.approve", ("approver",))])
    assert permissions.can(world.approver_a, "testing.approve", world.commune_a)
    assert not permissions.can(world.officer_a, "testing.approve", world.commune_a)
    with pytest.raises(Forbidden):
        permissions.require(world.officer_a, "testing.approve", world.commune_a)
    with pytest.raises(NotFound):
        permissions.require(world.officer_b, "testing.approve", world.commune_a)


@pytest.mark.django_db
@pytest.mark.parametrize(("error", "status"), [(NotFound, 404), (Forbidden, 403)])
def test_a_refusal_on_a_page_is_a_styled_page_with_its_status(error, status, world):
    request = RequestFactory().get("/units/")
    request.user = world.officer_a
    middleware = ServiceErrorMiddleware(lambda r: HttpResponse())
    response = middleware.process_exception(request, error("Không tìm thấy xã."))
    assert response is not None
    assert response.status_code == status
    assert "Không tìm thấy xã." in response.content.decode()
    assert "DXBoard" in response.content.decode()


def test_the_api_keeps_its_own_error_shape():
    request = RequestFactory().get("/api/v1/units")
    middleware = ServiceErrorMiddleware(lambda r: HttpResponse())
    assert middleware.process_exception(request, NotFound("x")) is None


SNAPSHOT = Path(__file__).with_name("permissions_snapshot.txt")


def _listing() -> str:
    return "".join(
        f"{action.name}: {', '.join(sorted(action.roles))}\n"
        for action in permissions.all_actions()
        if not action.name.startswith("testing.")
    )


def test_every_role_named_by_an_action_is_a_role_of_the_accounts_app():
    for action in permissions.all_actions():
        assert set(action.roles) <= set(Role.values), action.name


def test_the_actions_and_their_roles_match_the_committed_snapshot():
    """A change of who may act shows in review: update permissions_snapshot.txt with it
    (`DXBOARD_UPDATE_SNAPSHOTS=1 uv run pytest dxboard/tests/test_permissions_registry.py`)."""
    if os.environ.get("DXBOARD_UPDATE_SNAPSHOTS") == "1":
        SNAPSHOT.write_text(_listing(), encoding="utf-8")
    assert _listing() == SNAPSHOT.read_text(encoding="utf-8")

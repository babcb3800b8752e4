"""The membership paths a user object keeps for its request."""

from __future__ import annotations

import pytest
from django.utils.functional import SimpleLazyObject

from dxboard.accounts.models import Role
from dxboard.accounts.services import grant_role
from dxboard.units.models import membership_paths

pytestmark = pytest.mark.django_db


def test_the_paths_are_read_once_and_a_granted_role_is_seen_at_once(
    world, django_assert_num_queries
):
    user = world.officer_a
    assert not world.commune_b.is_visible_to(user)
    with django_assert_num_queries(0):  # kept on the object
        assert not world.commune_b.is_visible_to(user)
    grant_role(user, world.commune_b, Role.REPORTER)
    assert world.commune_b.is_visible_to(user)


def test_the_paths_of_a_lazy_request_user_live_on_the_user_inside(world):
    user = world.officer_a
    lazy = SimpleLazyObject(lambda: user)  # what request.user is
    before = membership_paths(lazy)
    assert world.commune_b.path not in before
    grant_role(user, world.commune_b, Role.REPORTER)  # forgets on the user itself
    assert set(membership_paths(lazy)) == {*before, world.commune_b.path}

"""The demo logins: one per role, on sensible units, and a second run changes nothing."""

import io

import pytest

from dxboard.accounts.demo import load_demo
from dxboard.accounts.models import Membership
from dxboard.testing import make_unit

pytestmark = pytest.mark.django_db


def test_every_role_gets_a_login_on_a_sensible_unit_and_twice_is_safe(world):
    make_unit("Phường Long Xuyên", code="30101", parent=world.province)
    make_unit("Đặc khu Kiên Hải", code="30102", parent=world.province)
    make_unit("Phường Châu Đốc", code="30103", parent=world.province)
    logins = {login.username: login for login in load_demo(world.province, stdout=io.StringIO())}
    assert logins["baocao.xa"].unit.name == "Phường Long Xuyên"
    assert logins["baocao.xa2"].unit.name == "Phường Châu Đốc"  # not the island zone
    memberships = Membership.objects.count()
    load_demo(world.province, stdout=io.StringIO())
    assert Membership.objects.count() == memberships

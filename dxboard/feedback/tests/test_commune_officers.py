"""A commune's own officers handle what is routed to their commune (issue 20, point 4)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dxboard.accounts.models import Role
from dxboard.errors import Forbidden, NotFound
from dxboard.testing import make_user

from .. import services
from ..models import Status
from .factories import ioc_handler, make_category, make_report, walk_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def local_report(world):
    """A report in commune A of a category routed to the commune where it happens."""
    category = make_category("TTDT", name="Trật tự đô thị")
    return make_report(world, category=category, unit=world.commune_a)


@pytest.mark.parametrize("persona", ["officer_a", "approver_a"])
def test_the_communes_officers_handle_its_reports(world, local_report, persona):
    user = getattr(world, persona)
    assert local_report.agency == world.commune_a
    assert services.is_handler(user)
    assert list(services.handled_reports(user)) == [local_report]
    report = walk_to(local_report, Status.RESOLVED, user)
    assert report.status == Status.RESOLVED
    # Supervision stays with the unit above: the province closes.
    with pytest.raises(Forbidden):
        services.close(user, report)
    services.close(ioc_handler(world), report)


def test_officers_of_another_commune_or_agency_do_not_find_it(world, local_report):
    with pytest.raises(NotFound):
        services.accept(world.officer_b, local_report)
    agency_reporter = make_user("bc_so", unit=world.agency, role=Role.REPORTER)
    hamlet_reporter = make_user("bc_ap", unit=world.hamlet_a, role=Role.REPORTER)
    for user in (agency_reporter, hamlet_reporter, world.viewer, world.province_officer):
        assert not services.is_handler(user)
        with pytest.raises(NotFound):
            services.get_handled_report(user, local_report.pk)


def test_a_commune_officer_does_not_handle_what_goes_to_an_agency(world, local_report):
    agency_report = make_report(world, category=make_category("GT2", agency=world.agency))
    assert set(services.handled_reports(world.officer_a)) == {local_report}
    with pytest.raises(NotFound):
        services.accept(world.officer_a, agency_report)


def test_the_inbox_opens_for_a_communes_officer(client, world, local_report):
    client.force_login(world.approver_a)
    response = client.get(reverse("feedback:inbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert local_report.public_id in page
    detail = client.get(reverse("feedback:report_detail", args=[local_report.pk]))
    assert detail.status_code == 200
    client.post(
        reverse("feedback:report_action", args=[local_report.pk]),
        {"action": "accept", "severity": "normal"},
    )
    local_report.refresh_from_db()
    assert local_report.status == Status.ACCEPTED
    client.force_login(world.viewer)
    assert client.get(reverse("feedback:inbox")).status_code == 403

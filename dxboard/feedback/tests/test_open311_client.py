"""Open311 read through an independent client library from PyPI, `georeport`.

It is not a DXBoard dependency; run with `uv run --with georeport pytest ...`.
Without it this module is skipped. The library has no POST call, so creation is
tested against the specification in test_open311.py.
"""

import pytest

from dxboard.feedback.models import Status

from .factories import REPORTER, make_category, make_report, walk_to

georeport = pytest.importorskip("georeport")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_a_generic_open311_client_reads_dxboard(live_server, world, fmt):
    make_category(agency=world.agency, name="Giao thông")
    done = walk_to(make_report(world), Status.RESOLVED, world.handler)
    waiting = make_report(world)
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", output_format=fmt)
    services = client.get_service_list()
    service = services[0] if isinstance(services, list) else services
    assert service["service_code"] == "GT" and service["service_name"] == "Giao thông"
    definition = client.get_service_definition("GT")
    assert definition["service_code"] == "GT"
    requests = client.get_service_requests(status="closed")
    requests = requests if isinstance(requests, list) else [requests]
    assert [r["service_request_id"] for r in requests] == [done.public_id]
    one = client.get_service_request(waiting.public_id)
    one = one[0] if isinstance(one, list) else one
    assert one["status"] == "open"
    assert not set(REPORTER.values()) & {str(v) for v in one.values()}

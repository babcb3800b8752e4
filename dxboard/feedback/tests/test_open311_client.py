"""Open311 read through an independent client library from PyPI, `georeport`.

`georeport` is a dev dependency (pyproject), installed wherever the suite runs: it is
imported, never skipped, so a missing client fails the suite instead of hiding its tests.
The library has no POST call: the specification's POST example is sent with `requests`
and read back through the client.
"""

import georeport
import pytest

from dxboard.feedback.models import Status

from .factories import REPORTER, make_category, make_report, walk_to


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


@pytest.mark.django_db(transaction=True)
def test_the_specifications_post_example_is_read_back_by_the_client(live_server, world):
    """georeport has no POST call: the example is posted form-encoded as the spec shows it
    (with a position inside the test province), then read back through the client."""
    import requests

    from dxboard.accounts.services import create_token
    from dxboard.testing import make_unit

    make_unit("Phường Ba Đình", code="00004", parent=world.province, official=True)
    make_category("001", agency=world.agency, name="Ổ gà")
    key = create_token(world.handler, "Open311")[1]
    client = georeport.GeoReport(f"{live_server.url}/open311/v2", api_key=key)
    definition = client.get_service_definition("001")
    required = {a["code"] for a in definition["attributes"] if a["required"]}
    assert required == {"description", "first_name", "phone"}
    posted = requests.post(
        f"{live_server.url}/open311/v2/requests.json",
        data={
            "api_key": key,
            "service_code": "001",
            "lat": "21.0390",
            "long": "105.8380",
            "address_string": "1234 5th street",
            "email": "smit222@sfgov.edu",
            "device_id": "tt222111",
            "account_id": "123456",
            "first_name": "john",
            "last_name": "smith",
            "phone": "111111111",
            "description": "A large sinkhole is destroying the street",
            "media_url": "http://army.com/images/car.jpg",
        },
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
    (answer,) = posted.json()
    assert answer["token"]
    one = client.get_service_request(answer["service_request_id"])
    one = one[0] if isinstance(one, list) else one
    assert one["address_id"] == "00004" and one["address"] == "1234 5th street"
    assert one["status"] == "open"
    assert one["media_url"] == "http://army.com/images/car.jpg"

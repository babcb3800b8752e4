"""Open311 POST with the specification's own example: a position, an address, media_url."""

from __future__ import annotations

import json

import pytest

from dxboard.accounts.services import create_token
from dxboard.feedback.geolocate import nearest_commune
from dxboard.feedback.models import FieldReport
from dxboard.testing import make_unit

from .factories import make_category

pytestmark = pytest.mark.django_db
URL = "/open311/v2/requests.json"
BA_DINH = (21.0390, 105.8380)  # near the centre of Phường Ba Đình (official code 00004)


@pytest.fixture
def communes(world):
    # Two communes with official codes, so that the bundled centres know them.
    return (
        make_unit("Phường Ba Đình", code="00004", parent=world.province, official=True),
        make_unit("Phường Hồng Hà", code="00097", parent=world.province, official=True),
    )


@pytest.fixture
def api_key(world):
    make_category("001", agency=world.agency, name="Ổ gà", requires_name=True, requires_phone=True)
    return create_token(world.handler, "Ứng dụng Open311")[1]


def spec_example(api_key: str, **changes: str) -> dict[str, str]:
    """GeoReport v2's POST example, with a position inside the test province."""
    return {
        "api_key": api_key,
        "service_code": "001",
        "lat": str(BA_DINH[0]),
        "long": str(BA_DINH[1]),
        "address_string": "1234 5th street",
        "email": "smit222@sfgov.edu",
        "device_id": "tt222111",
        "account_id": "123456",
        "first_name": "john",
        "last_name": "smith",
        "phone": "111111111",
        "description": "A large sinkhole is destroying the street",
        "media_url": "http://army.com/images/car.jpg",
        **changes,
    }


def test_the_nearest_commune_centre_is_chosen_among_dxboards_communes(communes):
    assert nearest_commune(*BA_DINH) == communes[0]
    assert nearest_commune(21.0567, 105.845) == communes[1]
    assert nearest_commune(10.7769, 106.7009) is None  # Hồ Chí Minh City: not ours


def test_the_specifications_example_creates_a_report_located_by_position(
    client, world, communes, api_key
):
    response = client.post(URL, spec_example(api_key))
    assert response.status_code == 200, response.content
    (answer,) = json.loads(response.content)
    report = FieldReport.objects.get()
    assert answer["service_request_id"] == report.public_id
    assert answer["token"] == report.tracking_code and answer["account_id"] == "123456"
    assert report.unit == communes[0] and report.located_by_position
    assert report.address == "1234 5th street"
    assert report.media_url == "http://army.com/images/car.jpg"
    assert report.reporter_name == "john smith"


def test_a_position_outside_the_province_is_refused_naming_lat_long(client, communes, api_key):
    response = client.post(URL, spec_example(api_key, lat="10.7769", long="106.7009"))
    assert response.status_code == 400
    (error,) = json.loads(response.content)
    assert error["code"] == 400 and error["description"].startswith("lat, long:")
    assert not FieldReport.objects.exists()


def test_errors_name_the_open311_fields(client, communes, api_key):
    body = spec_example(api_key, phone="", first_name="", media_url="ftp://x")
    body.pop("last_name")
    response = client.post(URL, body)
    assert response.status_code == 400
    fields = {e["description"].split(":")[0] for e in json.loads(response.content)}
    assert fields == {"phone", "first_name", "media_url"}
    assert "reporter_phone" not in response.content.decode()


def test_the_service_definition_declares_every_field_dxboard_requires(client, communes, api_key):
    data = json.loads(client.get("/open311/v2/services/001.json").content)
    required = {a["code"] for a in data["attributes"] if a["required"]}
    # Open311 makes description optional; DXBoard routes nothing without one.
    assert required == {"description", "first_name", "phone"}
    assert [a["order"] for a in data["attributes"]] == list(range(1, len(data["attributes"]) + 1))


def test_a_service_that_asks_nothing_of_the_sender_still_requires_a_description(
    client, world, communes
):
    make_category(
        "002", agency=world.agency, name="Đèn đường", requires_name=False, requires_phone=False
    )
    data = json.loads(client.get("/open311/v2/services/002.json").content)
    assert {a["code"] for a in data["attributes"] if a["required"]} == {"description"}


def test_a_request_without_a_description_is_refused_naming_it(client, communes, api_key):
    response = client.post(URL, spec_example(api_key, description=""))
    assert response.status_code == 400
    (error,) = json.loads(response.content)
    assert error["description"].startswith("description:")
    assert not FieldReport.objects.exists()


def test_the_description_may_be_sent_as_the_attribute_the_definition_lists(
    client, communes, api_key
):
    body = spec_example(api_key, description="")
    body["attribute[description]"] = "Ổ gà sâu trước cổng chợ"
    response = client.post(URL, body)
    assert response.status_code == 200, response.content
    assert FieldReport.objects.get().description == "Ổ gà sâu trước cổng chợ"


def test_the_report_page_shows_the_media_link_and_the_located_position(
    client_for, world, communes, api_key
):
    client = client_for("anonymous")
    client.post(URL, spec_example(api_key))
    report = FieldReport.objects.get()
    page = client_for("handler").get(f"/feedback/reports/{report.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'href="http://army.com/images/car.jpg"' in text
    assert "theo vị trí" in text


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_report_page_shows_the_position_badge_and_media_link_on_desktop_and_phone(
    page, login_page, world, screenshot
):
    make_unit("Phường Ba Đình", code="00004", parent=world.province, official=True)
    make_category("001", agency=world.agency, name="Ổ gà, sụt lún mặt đường")
    key = create_token(world.handler, "Ứng dụng Open311")[1]
    from django.test import Client

    assert Client().post(URL, spec_example(key)).status_code == 200
    report = FieldReport.objects.get()
    login_page(world.handler)
    for width, name in ((1366, "feedback-open311-report"), (390, "feedback-open311-report-phone")):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/feedback/reports/{report.pk}/")
        assert "Xã xác định theo vị trí" in page.inner_text("main")
        assert page.get_attribute("main a[href='http://army.com/images/car.jpg']", "rel")
        screenshot(name)


@pytest.mark.parametrize(
    ("lat", "long", "field"),
    [("95", "105.838", "lat"), ("abc", "105.838", "lat"), ("21.039", "", "lat")],
)
def test_a_position_that_is_not_one_is_refused_naming_lat_or_long(
    client, communes, api_key, lat, long, field
):
    response = client.post(URL, spec_example(api_key, lat=lat, long=long, address_string=""))
    assert response.status_code == 400, response.content
    descriptions = [e["description"] for e in json.loads(response.content)]
    assert any(d.startswith(field) for d in descriptions), descriptions
    assert not FieldReport.objects.exists()

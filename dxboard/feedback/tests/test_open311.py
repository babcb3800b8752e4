"""Open311 GeoReport v2 conformance, checked against the specification."""

import json
from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from dxboard.accounts.services import create_token
from dxboard.feedback import services
from dxboard.feedback.models import FieldReport, Status

from .factories import REPORTER, make_category, make_report, walk_to

BASE = "/open311/v2"


@pytest.fixture
def setup(world):
    parent = make_category("HT", name="Hạ tầng")
    category = make_category("GT", agency=world.agency, parent=parent, description="Đường sá")
    return category


@pytest.fixture
def api_key(world):
    _token, key = create_token(world.handler, "Ứng dụng IOC")
    return key


def _json(response):
    assert response["Content-Type"].startswith("application/json")
    return json.loads(response.content)


def test_discovery_lists_the_endpoint_in_both_formats(client, setup):
    data = _json(client.get(f"{BASE}/discovery.json"))
    endpoint = data["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2/")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    xml = ElementTree.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert xml.tag == "discovery"
    assert xml.find("endpoints/endpoint/formats/format") is not None


def test_services_are_the_leaf_categories_with_their_group(client, setup):
    data = _json(client.get(f"{BASE}/services.json"))
    assert data == [
        {
            "service_code": "GT",
            "service_name": "Giao thông",
            "description": "Đường sá",
            "metadata": True,
            "type": "realtime",
            "keywords": "",
            "group": "Hạ tầng",
        }
    ]
    xml = ElementTree.fromstring(client.get(f"{BASE}/services.xml").content)
    assert xml.tag == "services"
    assert xml.find("service/service_code").text == "GT"
    assert xml.find("service/metadata").text == "true"


def test_a_service_definition_asks_for_the_commune(client, world, setup):
    data = _json(client.get(f"{BASE}/services/GT.json"))
    attribute = data["attributes"][0]
    assert data["service_code"] == "GT"
    # Not required: a position inside the province stands in for it.
    assert attribute["code"] == "commune" and attribute["required"] is False
    assert attribute["datatype"] == "singlevaluelist"
    assert {"key": "99001", "name": "Xã An Bình"} in attribute["values"]
    xml = ElementTree.fromstring(client.get(f"{BASE}/services/GT.xml").content)
    assert xml.tag == "service_definition"
    assert xml.find("attributes/attribute/values/value/key") is not None


def test_an_unknown_service_is_a_404_error_list(client, setup):
    response = client.get(f"{BASE}/services/KHONG.json")
    assert response.status_code == 404
    assert _json(response)[0]["code"] == 404
    xml = ElementTree.fromstring(client.get(f"{BASE}/services/KHONG.xml").content)
    assert xml.tag == "errors" and xml.find("error/code").text == "404"


def test_an_unknown_format_is_not_served(client, setup):
    assert client.get(f"{BASE}/services.csv").status_code == 404


def test_posting_a_request_needs_an_api_key(client, world, setup):
    body = {"service_code": "GT", "lat": "10.37", "long": "105.43", "attribute[commune]": "99001"}
    response = client.post(f"{BASE}/requests.json", body)
    assert response.status_code == 403
    assert _json(response)[0]["code"] == 403
    response = client.post(f"{BASE}/requests.json", {**body, "api_key": "dxb_wrong"})
    assert response.status_code == 403
    assert FieldReport.objects.count() == 0


def test_posting_a_request_creates_a_report(client, world, setup, api_key):
    body = {
        "api_key": api_key,
        "service_code": "GT",
        "lat": "10.371",
        "long": "105.432",
        "address_string": "Số 5 đường Lê Lợi",
        "attribute[commune]": "99001",
        "description": "Đèn giao thông hỏng",
        "first_name": "Văn",
        "last_name": "Nam",
        "phone": "0987654321",
        "email": "nam@example.vn",
    }
    response = client.post(f"{BASE}/requests.json", body)
    assert response.status_code == 200, response.content
    answer = _json(response)[0]
    report = FieldReport.objects.get()
    assert answer["service_request_id"] == report.public_id
    assert answer["token"] == report.tracking_code  # where the specification puts it
    assert report.tracking_code in answer["service_notice"]
    assert not report.located_by_position  # the commune was named
    assert report.source == "open311" and report.submitted_by == world.handler
    assert report.reporter_name == "Văn Nam" and report.agency == world.agency
    xml = client.post(f"{BASE}/requests.xml", body)
    assert ElementTree.fromstring(xml.content).find("request/service_request_id") is not None


@pytest.mark.parametrize(
    ("changes", "status", "text"),
    [
        ({"service_code": ""}, 400, "service_code"),
        ({"service_code": "KHONG"}, 404, "KHONG"),
        ({"lat": "", "long": "", "address_string": "", "attribute[commune]": ""}, 400, "vị trí"),
        ({"attribute[commune]": "00000"}, 400, "attribute[commune]"),
        ({"description": "<script>alert(1)</script>"}, 400, "HTML"),
        ({"lat": "91"}, 400, "lat"),
    ],
)
def test_bad_requests_get_the_standard_error_list(
    client, world, setup, api_key, changes, status, text
):
    body = {
        "api_key": api_key,
        "service_code": "GT",
        "lat": "10.37",
        "long": "105.43",
        "attribute[commune]": "99001",
        "description": "Ổ gà",
        "first_name": "A",
        "phone": "0912345678",
        **changes,
    }
    response = client.post(f"{BASE}/requests.json", body)
    assert response.status_code == status
    errors = _json(response)
    assert all(set(e) == {"code", "description"} for e in errors)
    assert any(text in e["description"] for e in errors)
    assert FieldReport.objects.count() == 0


def test_get_requests_answers_the_spec_fields_and_no_personal_data(client, world, setup):
    report = walk_to(make_report(world), Status.RESOLVED, world.handler)
    services.add_note(world.handler, report, "Ghi chú nội bộ")
    response = client.get(f"{BASE}/requests.json")
    data = _json(response)
    assert len(data) == 1
    item = data[0]
    assert set(item) == {
        "service_request_id",
        "status",
        "status_notes",
        "service_name",
        "service_code",
        "description",
        "agency_responsible",
        "service_notice",
        "requested_datetime",
        "updated_datetime",
        "expected_datetime",
        "address",
        "address_id",
        "zipcode",
        "lat",
        "long",
        "media_url",
    }
    assert item["status"] == "closed" and item["status_notes"] == "Đã xử lý xong"
    assert item["service_notice"] == "Đã vá xong ổ gà."
    assert item["requested_datetime"].endswith("+07:00")
    text = response.content.decode() + client.get(f"{BASE}/requests.xml").content.decode()
    text += client.get(f"{BASE}/requests/{report.public_id}.json").content.decode()
    text += client.get(f"{BASE}/requests/{report.public_id}.xml").content.decode()
    for value in REPORTER.values():
        assert value not in text
    assert "Ghi chú nội bộ" not in text and report.tracking_code not in text


def test_get_requests_filters(client, world, setup):
    open_report = make_report(world)
    done = walk_to(make_report(world), Status.RESOLVED, world.handler)
    other = make_category("MT", name="Môi trường")
    env = make_report(world, category=other)
    old = make_report(world, now=timezone.now() - timedelta(days=120))

    def ids(query: str) -> set[str]:
        return {r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json?{query}"))}

    assert ids("") == {open_report.public_id, done.public_id, env.public_id}  # last 90 days
    assert ids("status=open") == {open_report.public_id, env.public_id}
    assert ids("status=closed") == {done.public_id}
    assert ids("status=open,closed") == {open_report.public_id, done.public_id, env.public_id}
    assert ids("service_code=MT") == {env.public_id}
    assert ids("service_code=MT,GT&status=closed") == {done.public_id}
    start = (timezone.now() - timedelta(days=130)).isoformat()
    end = (timezone.now() - timedelta(days=100)).isoformat()
    assert ids(f"start_date={start.replace('+', '%2B')}&end_date={end.replace('+', '%2B')}") == {
        old.public_id
    }
    # service_request_id overrides every other filter
    assert ids(f"service_request_id={old.public_id},{env.public_id}&status=closed") == {
        old.public_id,
        env.public_id,
    }


@pytest.mark.parametrize(
    "query",
    [
        "start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z",
        "start_date=hom-qua",
        "status=pending",
        "start_date=2025-06-01T00:00:00Z&end_date=2025-05-01T00:00:00Z",
    ],
)
def test_bad_filters_are_a_400_error_list(client, setup, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400
    assert _json(response)[0]["code"] == 400


def test_one_request_and_a_missing_one(client, world, setup):
    report = make_report(world)
    data = _json(client.get(f"{BASE}/requests/{report.public_id}.json"))
    assert data[0]["service_request_id"] == report.public_id and data[0]["status"] == "open"
    assert data[0]["status_notes"] == "Đã gửi, chờ tiếp nhận"
    missing = client.get(f"{BASE}/requests/PA-2025-999999.json")
    assert missing.status_code == 404 and _json(missing)[0]["code"] == 404


def test_a_rejected_request_is_closed_with_its_reason(client, world, setup):
    report = services.reject(world.handler, make_report(world), reason="Trùng lặp")
    data = _json(client.get(f"{BASE}/requests/{report.public_id}.json"))[0]
    assert data["status"] == "closed" and data["status_notes"] == "Từ chối: Trùng lặp"


def test_a_token_resolves_to_the_request_id(client, world, setup):
    report = make_report(world)
    data = _json(client.get(f"{BASE}/tokens/{report.tracking_code}.json"))
    assert data == [{"service_request_id": report.public_id, "token": report.tracking_code}]
    assert client.get(f"{BASE}/tokens/KHONG-CO.json").status_code == 404
    xml = ElementTree.fromstring(client.get(f"{BASE}/tokens/{report.tracking_code}.xml").content)
    assert xml.find("request/token").text == report.tracking_code


def test_get_requests_does_a_fixed_number_of_queries(
    client, world, setup, django_assert_max_num_queries
):
    for _ in range(6):
        make_report(world)
    with django_assert_max_num_queries(3):
        assert len(_json(client.get(f"{BASE}/requests.json"))) == 6


def test_the_request_list_pages_past_its_first_page(client, world, setup):
    made = [make_report(world, now=timezone.now() - timedelta(hours=h)) for h in range(5)]

    def page(query: str) -> list[str]:
        return [r["service_request_id"] for r in _json(client.get(f"{BASE}/requests.json?{query}"))]

    pages = [page(f"page_size=2&page={n}") for n in (1, 2, 3, 4)]
    assert pages[0] + pages[1] + pages[2] == [r.public_id for r in made]  # newest first
    assert pages[3] == []
    assert len(page("")) == 5  # the default page holds up to 1,000


# A page past the millionth would ask PostgreSQL for an offset beyond a bigint (was a 500).
@pytest.mark.parametrize(
    "query",
    ["page=0", "page=x", "page_size=1001", "page_size=0", "page=1000001", "page=" + "9" * 40],
)
def test_bad_paging_is_a_400_error_list(client, setup, query):
    response = client.get(f"{BASE}/requests.json?{query}")
    assert response.status_code == 400 and _json(response)[0]["code"] == 400

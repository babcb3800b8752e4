import json
from datetime import date

import pytest

from dxboard.accounts.services import create_token
from dxboard.errors import InvalidInput
from dxboard.feedback import services
from dxboard.feedback.indicators import DATA_ELEMENTS, indicator_rows
from dxboard.feedback.stats import figures
from dxboard.units.models import Unit

from .factories import REPORTER, at, ioc_handler, make_report


def _post(client, report_id, body, token=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return client.post(
        f"/api/v1/feedback/{report_id}/status",
        data=json.dumps(body),
        content_type="application/json",
        **headers,
    )


def test_the_status_api_follows_the_same_steps_as_the_inbox(client, world):
    report = make_report(world)
    _token, key = create_token(world.handler, "IOC")
    response = _post(client, report.public_id, {"status": "accepted", "note": "Ok"}, key)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "accepted" and data["dueAt"] and data["publicId"] == report.public_id
    skipped = _post(client, report.pk, {"status": "resolved", "publicAnswer": "Xong"}, key)
    assert skipped.status_code == 400
    error = skipped.json()["error"]
    assert error["code"] == "invalid" and "“Đã giao xử lý”" in error["message"]
    assert error["details"][0]["path"] == "status"
    for status in ("assigned", "in_progress"):
        assert _post(client, report.pk, {"status": status}, key).status_code == 200
    no_answer = _post(client, report.pk, {"status": "resolved"}, key)
    assert no_answer.status_code == 400
    assert no_answer.json()["error"]["details"][0]["path"] == "publicAnswer"
    done = _post(client, report.pk, {"status": "resolved", "publicAnswer": "Đã sửa."}, key)
    assert done.json()["publicAnswer"] == "Đã sửa."
    closing = _post(client, report.pk, {"status": "closed"}, key)
    assert closing.status_code == 403
    client.force_login(ioc_handler(world))
    assert _post(client, report.pk, {"status": "closed"}).json()["status"] == "closed"


def test_the_status_api_hides_reports_of_other_units(client, world):
    report = make_report(world)
    client.force_login(world.officer_b)
    response = _post(client, report.pk, {"status": "accepted"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert _post(client, "PA-2025-999999", {"status": "accepted"}).status_code == 404


def test_the_status_api_validates_its_input(client, world):
    report = make_report(world)
    client.force_login(world.handler)
    assert _post(client, report.pk, {"note": "x"}).status_code == 400
    bad = _post(client, report.pk, {"status": "x" * 30})
    assert bad.status_code == 400 and bad.json()["error"]["details"][0]["path"] == "status"
    assert _post(client, report.pk, {"status": "rejected"}).status_code == 400  # no reason
    assert _post(client, report.pk, {"status": "assigned", "agency": "NOPE"}).status_code == 400


@pytest.fixture
def quarter(world):
    """Five reports received in 2025Q1 in commune A, one in commune B, one in April."""
    h = world.handler
    rejected = make_report(world, now=at(2025, 1, 6, 8))
    services.reject(h, rejected, reason="Trùng")
    on_time = make_report(world, now=at(2025, 1, 6, 8))
    services.accept(h, on_time, now=at(2025, 1, 6, 9))  # due 08/01 10:30 (16 h)
    services.assign(h, on_time)
    services.start(h, on_time)
    services.resolve(h, on_time, public_answer="Xong", now=at(2025, 1, 7, 9))  # 25 h after receipt
    services.rate(on_time.tracking_code, 5)
    late = make_report(world, now=at(2025, 2, 3, 8))
    services.accept(h, late, now=at(2025, 2, 3, 8))  # due 05/02 09:00
    services.assign(h, late)
    services.start(h, late)
    services.resolve(h, late, public_answer="Xong", now=at(2025, 2, 6, 8))  # 72 h after receipt
    services.rate(late.tracking_code, 2)
    overdue = make_report(world, now=at(2025, 3, 3, 8))
    services.accept(h, overdue, now=at(2025, 3, 3, 8))
    make_report(world, now=at(2025, 3, 31, 22))  # still waiting
    make_report(world, unit=world.commune_b, now=at(2025, 3, 10, 8))
    make_report(world, now=at(2025, 4, 1, 8))  # next quarter
    return world


def test_stats_api_arithmetic(client, quarter):
    client.force_login(quarter.viewer)
    response = client.get("/api/v1/feedback/stats", {"unit": "99001", "period": "2025Q1"})
    assert response.status_code == 200, response.content
    assert response.json() == {
        "received": 5,
        "accepted": 3,
        "resolved": 2,
        "resolutionRate": 66.7,
        "onTime": 1,
        "onTimeRate": 50.0,
        "overdue": 1,
        "meanHoursToResolve": 48.5,
        "satisfactionRate": 50.0,
    }
    province = client.get("/api/v1/feedback/stats", {"unit": "99", "period": "2025Q1"}).json()
    assert province["received"] == 6
    agency = client.get("/api/v1/feedback/stats", {"unit": "SKHCN", "period": "2025"}).json()
    assert agency["received"] == 7
    empty = client.get("/api/v1/feedback/stats", {"unit": "99002", "period": "2024"}).json()
    assert empty["received"] == 0 and empty["resolutionRate"] is None


def test_stats_api_checks_unit_and_period(client, quarter):
    client.force_login(quarter.officer_b)
    assert (
        client.get("/api/v1/feedback/stats", {"unit": "99001", "period": "2025"}).status_code == 404
    )
    bad = client.get("/api/v1/feedback/stats", {"unit": "99002", "period": "2025Q9"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid"
    assert client.get("/api/v1/feedback/stats", {"unit": "99002"}).status_code == 400
    client.logout()
    assert client.get("/api/v1/feedback/stats", {"unit": "99", "period": "2025"}).status_code == 401


def test_an_approved_extension_counts_as_on_time(world):
    report = make_report(world, now=at(2025, 2, 3, 8))
    services.accept(world.handler, report, now=at(2025, 2, 3, 8))  # due 05/02 09:00
    extension = services.request_extension(world.handler, report, hours=8, reason="Mưa")
    services.decide_extension(ioc_handler(world), extension.pk, approve=True)  # 06/02 09:30
    services.assign(world.handler, report)
    services.start(world.handler, report)
    services.resolve(world.handler, report, public_answer="Xong", now=at(2025, 2, 6, 8))
    assert figures(world.province, date(2025, 2, 1), date(2025, 2, 28)).on_time == 1


def test_indicator_rows_count_each_report_once_where_it_happened(quarter):
    rows = indicator_rows("2025Q1", quarter.province)
    values = {(r["dataElement"], r["orgUnit"]): r["value"] for r in rows}
    assert {r["period"] for r in rows} == {"2025Q1"}
    # Only the communes: the engine sums them into the province; agencies are not stored.
    assert {r["orgUnit"] for r in rows} == {"99001", "99002"}
    assert len(rows) == 2 * len(DATA_ELEMENTS)
    province = figures(quarter.province, date(2025, 1, 1), date(2025, 3, 31))
    for element, attribute in DATA_ELEMENTS.items():
        stored = values[(element, "99001")] + values[(element, "99002")]
        assert stored == getattr(province, attribute), element
    assert values[("CQ-12-DUNGHAN", "99001")] == 1
    assert values[("CQ-12-DAXL", "99001")] == 2
    assert values[("CQ-13-HAILONG", "99001")] == 1
    assert values[("CQ-11-TIEPNHAN", "99002")] == 0
    assert not any(value in json.dumps(rows) for value in REPORTER.values())


def test_indicator_rows_are_not_computed_for_an_agency(quarter):
    agency = Unit.objects.get(code="SKHCN")
    with pytest.raises(InvalidInput):
        indicator_rows("2025Q1", agency)


def test_indicator_values_are_saved_as_computed_values(quarter):
    from django.core.management import call_command

    from dxboard.collection.models import DataValue
    from dxboard.errors import InvalidInput
    from dxboard.feedback.indicators import publish_indicator_values
    from dxboard.indicators.services import load_catalogue

    with pytest.raises(InvalidInput):  # the catalogue is not loaded yet: nothing is saved
        publish_indicator_values("2025Q1", quarter.province)
    assert not DataValue.objects.exists()
    load_catalogue()
    assert publish_indicator_values("2025Q1", quarter.province) == 12
    call_command("compute_feedback_indicators", period="2025Q1", unit="99")  # updates, same rows
    saved = DataValue.objects.get(
        data_element__code="CQ-11-DAXL", unit__code="99001", period="2025Q1"
    )
    assert saved.value == 2 and saved.source == "computed"
    assert DataValue.objects.count() == 12


def test_a_figure_stored_on_the_province_before_is_removed(quarter):
    from dxboard.collection.models import DataValue
    from dxboard.collection.values import save_values
    from dxboard.feedback.indicators import publish_indicator_values
    from dxboard.indicators.services import load_catalogue

    load_catalogue()
    row = {"dataElement": "CQ-11-DAXL", "period": "2025Q1", "orgUnit": "99", "value": 2}
    assert save_values(None, [row], source="computed").ok
    publish_indicator_values("2025Q1", quarter.province)
    assert not DataValue.objects.filter(unit__code="99").exists()


def test_the_status_api_refuses_a_body_that_is_not_an_object(client, world):
    report = make_report(world)
    _token, key = create_token(world.handler, "IOC")
    response = _post(client, report.public_id, ["accepted"], key)
    assert response.status_code == 400
    assert response.json()["error"]["details"][0]["path"] == "."
    report.refresh_from_db()
    assert report.status == "received"


def test_stats_api_takes_any_from_to_date_range(client, quarter):
    client.force_login(quarter.viewer)
    ranged = client.get(
        "/api/v1/feedback/stats", {"unit": "99001", "from": "2025-01-01", "to": "2025-03-31"}
    )
    assert ranged.status_code == 200, ranged.content
    by_period = client.get("/api/v1/feedback/stats", {"unit": "99001", "period": "2025Q1"})
    assert ranged.json() == by_period.json()
    # A range no period code names: 6 January to 3 February, both days included.
    weeks = client.get(
        "/api/v1/feedback/stats", {"unit": "99001", "from": "2025-01-06", "to": "2025-02-03"}
    )
    assert weeks.json()["received"] == 3
    half = client.get("/api/v1/feedback/stats", {"unit": "99001", "from": "2025-01-06"})
    assert half.status_code == 400 and half.json()["error"]["details"][0]["path"] == "from"
    backwards = client.get(
        "/api/v1/feedback/stats", {"unit": "99001", "from": "2025-02-01", "to": "2025-01-01"}
    )
    assert backwards.status_code == 400
    assert client.get("/api/v1/feedback/stats", {"unit": "99001"}).status_code == 400

"""Bad requests answer 4xx, never 5xx (issue 18): NUL bytes, encodings, sizes, nesting.

On PostgreSQL a NUL in text reaching a query is a DataError (a 500); these run on both
backends and assert the answer, so they fail on PostgreSQL without the input guard.
"""

from __future__ import annotations

import json

import pytest
from django.urls import path

from dxboard.collection.models import DataValue
from dxboard.evaluation.tests.factories import ratio
from dxboard.indicators.services import import_metadata

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


@pytest.fixture
def elements(world):
    import_metadata(None, ratio("CQ-03"))


def _is_error_shape(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message"]
    return error


@pytest.mark.parametrize(
    "url",
    ["/feedback/track/?code=%00", "/feedback/public/?unit=%00", "/units/?q=ab%00cd"],
)
def test_a_nul_byte_in_a_query_gives_a_clear_page_not_a_500(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert "NUL" in response.content.decode()


def test_a_nul_byte_in_an_open311_path_answers_the_error_shape(client, world):
    error = _is_error_shape(client.get("/open311/v2/requests/%00.json"), 400)
    assert error["code"] == "invalid"
    assert error["details"][0]["path"] == "path"


def test_a_nul_byte_in_an_api_query_parameter_names_it(client_for, world):
    response = client_for("officer_a").get("/api/v1/dataValues?orgUnit=99%0001")
    error = _is_error_shape(response, 400)
    assert error["details"][0]["path"] == "orgUnit"


def test_a_nul_byte_in_a_submitted_description_is_refused(client, world):
    response = client.post("/feedback/submit/", {"description": "Đèn hỏng\x00", "title": "x"})
    assert response.status_code == 400
    assert "description" in response.content.decode()


def test_a_nul_in_a_data_value_set_code_is_refused_and_nothing_saved(client_for, elements):
    body = {
        "dataValues": [
            {"dataElement": "CQ-03-TU\u0000", "period": "2024Q1", "orgUnit": "99001", "value": "7"}
        ]
    }
    response = client_for("officer_a").post(URL, json.dumps(body), content_type="application/json")
    _is_error_shape(response, 400)
    assert not DataValue.objects.exists()


def test_a_raw_nul_byte_in_a_csv_body_is_refused(client_for, elements):
    csv = "dataelement,period,orgunit,value\nCQ-03-TU\x00,2024Q1,99001,7\n"
    response = client_for("officer_a").post(URL, csv, content_type="text/csv")
    _is_error_shape(response, 400)
    assert not DataValue.objects.exists()


def test_a_body_over_the_limit_is_a_413_in_the_error_shape(client_for, elements, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"dataValues": [{"dataElement": "CQ-03-TU", "value": "1"}] * 100}
    response = client_for("officer_a").post(URL, json.dumps(body), content_type="application/json")
    error = _is_error_shape(response, 413)
    assert error["code"] == "too_large"


def test_fifty_thousand_json_values_fit_in_the_body_limit(settings):
    row = {"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": "1234"}
    size = len(json.dumps({"dataValues": [row] * 50_000}))
    assert size < settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def test_invalid_utf8_in_json_is_a_400(client_for, elements):
    response = client_for("officer_a").post(
        URL, b'{"dataValues": ["\xff\xfe"]}', content_type="application/json"
    )
    assert "UTF-8" in _is_error_shape(response, 400)["message"]


def test_a_latin1_csv_is_refused_with_a_hint_to_save_as_utf8(client_for, elements):
    csv = "dataelement,period,orgunit,value,comment\nCQ-03-TU,2024Q1,99001,7,Ghi chú\n"
    response = client_for("officer_a").post(URL, csv.encode("latin-1"), content_type="text/csv")
    assert "UTF-8" in _is_error_shape(response, 400)["message"]
    assert not DataValue.objects.exists()


def test_the_literal_nan_is_refused(client_for, elements):
    body = '{"dataValues": [{"dataElement": "CQ-03-TU", "period": "2024Q1", "orgUnit": "99001", "value": NaN}]}'
    response = client_for("officer_a").post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content
    assert not DataValue.objects.exists()


def test_a_nan_number_is_not_a_figure():
    from dxboard.collection.values.parsing import parse_number

    for raw in (float("nan"), float("inf")):
        with pytest.raises(ValueError):
            parse_number(raw)


def test_a_hundred_thousand_nested_arrays_are_refused(client_for, elements):
    body = "[" * 100_000 + "]" * 100_000
    response = client_for("officer_a").post(URL, body, content_type="application/json")
    assert response.status_code == 400, response.content[:300]


def _boom(request):
    raise RuntimeError("unexpected")


urlpatterns = [path("api/v1/boom", _boom)]


@pytest.mark.urls(__name__)
def test_an_unexpected_api_error_still_answers_the_json_shape(client, db):
    error = _is_error_shape(client.get("/api/v1/boom"), 500)
    assert error["code"] == "server_error"


def test_an_anonymous_api_write_is_a_401_not_a_csrf_403(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(URL, "{}", content_type="application/json")
    assert _is_error_shape(response, 401)["code"] == "unauthorized"


def test_a_logged_in_api_write_without_csrf_token_is_still_refused(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.officer_a)
    response = client.post(URL, "{}", content_type="application/json")
    assert response.status_code == 403


def test_production_without_smtp_keeps_reset_links_out_of_the_log(tmp_path):
    import os
    import subprocess
    import sys

    env = {
        **os.environ,
        "DXBOARD_ENV": "production",
        "DXBOARD_SECRET_KEY": "k" * 60,
        "DXBOARD_ALLOWED_HOSTS": "dxboard.example.vn",
        "DXBOARD_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "dxboard.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DXBOARD_EMAIL_HOST", None)
    script = (
        "import django; django.setup();"
        "from django.core.mail import send_mail;"
        "send_mail('Đặt lại mật khẩu', 'https://x/reset/SECRET-LINK/', None, ['a@b.vn'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    log = result.stdout + result.stderr
    assert "SECRET-LINK" not in log
    assert "a@b.vn" in log

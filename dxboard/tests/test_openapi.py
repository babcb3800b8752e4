import json
from pathlib import Path

import pytest

from dxboard.api_errors import ErrorOut
from dxboard.management.commands.export_openapi import DEFAULT_PATH, schema_text


def test_the_committed_openapi_schema_is_current():
    committed = Path(DEFAULT_PATH).read_text(encoding="utf-8")
    assert committed == schema_text(), "API changed: run `uv run dxboard export-openapi`"


def test_the_schema_documents_every_resource():
    paths = schema_text()
    for resource in (
        "/api/v1/units",
        "/api/v1/dataValueSets",
        "/api/v1/metadata",
        "/api/v1/programmes/{code}/evaluation",
        "/api/v1/forms/{code}/completeness",
        "/api/v1/feedback/stats",
        "/api/v1/community/summary",
        "/api/v1/projects/summary",
    ):
        assert f'"{resource}"' in paths, resource


def _operations(schema: dict):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            yield f"{method.upper()} {path}", operation["responses"]


def test_every_error_answer_is_documented_in_the_one_error_shape():
    schema = json.loads(schema_text())
    documented = {name: set(responses) for name, responses in _operations(schema)}
    assert documented["GET /api/v1/status"] == {"200"}
    assert documented["PATCH /api/v1/units/{code}"] == {"200", "400", "401", "403", "404", "409"}
    assert documented["GET /api/v1/units"] == {"200", "400", "401", "404"}  # ?parent=
    assert documented["GET /api/v1/me"] == {"200", "401"}
    # Declared by the operation: an unknown parent in the body; a code taken meanwhile.
    assert documented["POST /api/v1/units"] == {"201", "400", "401", "403", "404", "409"}
    # Public: anonymous callers are answered, so never 401.
    assert documented["GET /api/v1/programmes/{code}/evaluation"] == {"200", "400", "404"}
    for name, responses in _operations(schema):
        for status, response in responses.items():
            if status.startswith("4") and name != "POST /api/v1/dataValueSets":
                reference = response["content"]["application/json"]["schema"]["$ref"]
                assert reference == "#/components/schemas/ErrorOut", (name, status)
    # A declared answer is kept: the import's 409 carries its import summary.
    conflict = schema["paths"]["/api/v1/dataValueSets"]["post"]["responses"]["409"]
    assert conflict["content"]["application/json"]["schema"]["$ref"].endswith("/ImportErrorOut")


@pytest.mark.parametrize(
    ("persona", "method", "url", "body", "status"),
    [
        ("province_officer", "get", "/api/v1/units?limit=0", None, 400),
        ("province_officer", "patch", "/api/v1/units/99001-AP1", ["not", "an object"], 400),
        ("anonymous", "get", "/api/v1/me", None, 401),
        ("officer_a", "post", "/api/v1/units", {"code": "X", "name": "X", "parent": "99001"}, 403),
        ("officer_a", "get", "/api/v1/units/99002", None, 404),
    ],
)
def test_real_error_answers_have_the_documented_shape(
    client_for, persona, method, url, body, status
):
    client = client_for(persona)
    if body is None:
        response = getattr(client, method)(url)
    else:
        response = getattr(client, method)(
            url, data=json.dumps(body), content_type="application/json"
        )
    assert response.status_code == status, response.content
    ErrorOut.model_validate(response.json())  # no missing and no extra field


def test_every_period_and_unit_parameter_says_what_it_takes():
    schema = json.loads(schema_text())
    undescribed = [
        f"{method.upper()} {path} {parameter['name']}"
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        for parameter in operation.get("parameters", [])
        if parameter["name"] in {"period", "unit", "orgUnit"}
        and not (parameter.get("description") or parameter["schema"].get("description"))
    ]
    assert undescribed == []

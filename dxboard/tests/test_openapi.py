from pathlib import Path

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

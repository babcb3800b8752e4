"""`dxboard export-openapi`: write the API's OpenAPI schema to docs/openapi.json.

The committed file is compared with the live schema by the test suite, so every API
change shows up as a reviewed diff.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from dxboard.api import api

DEFAULT_PATH = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"


def schema_text() -> str:
    schema = api.get_openapi_schema(path_prefix="/api/v1/")
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


class Command(BaseCommand):
    help = "Ghi lược đồ OpenAPI của API vào docs/openapi.json."

    def add_arguments(self, parser):
        parser.add_argument("--output", default=str(DEFAULT_PATH))

    def handle(self, *args, output: str, **options):
        Path(output).write_text(schema_text(), encoding="utf-8")
        self.stdout.write(f"Đã ghi {output}")

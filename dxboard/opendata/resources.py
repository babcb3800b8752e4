"""A dataset's resources: its table as CSV, JSON and XLSX downloads (and the DataStore,
which answers for any of them). Resources are not rows in the database: their ids are
derived from the dataset's id, so they stay the same as long as the dataset does.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass

from django.urls import reverse

from dxboard.opendata.models import Dataset
from dxboard.opendata.tables import Table
from dxboard.spreadsheets import append_row, titled_sheet, workbook_bytes

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Format:
    code: str  # in URLs: csv, json, xlsx
    label: str  # CKAN's `format`
    mimetype: str


FORMATS = [
    Format("csv", "CSV", "text/csv"),
    Format("json", "JSON", "application/json"),
    Format("xlsx", "XLSX", XLSX_MIMETYPE),
]
FORMAT_BY_CODE = {f.code: f for f in FORMATS}


@dataclass(frozen=True)
class Resource:
    dataset: Dataset
    format: Format

    @property
    def id(self) -> str:
        return str(uuid.uuid5(self.dataset.uuid, self.format.code))

    @property
    def path(self) -> str:
        return reverse(
            "opendata:download", kwargs={"name": self.dataset.name, "fmt": self.format.code}
        )

    @property
    def name(self) -> str:
        return f"{self.dataset.title} ({self.format.label})"


def resources_of(dataset: Dataset) -> list[Resource]:
    return [Resource(dataset, f) for f in FORMATS]


def resource_by_id(datasets: list[Dataset], resource_id: str) -> Resource | None:
    for dataset in datasets:
        for resource in resources_of(dataset):
            if resource.id == resource_id:
                return resource
    return None


def as_csv(table: Table) -> bytes:
    """UTF-8 with a byte-order mark, so Excel opens the Vietnamese names correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table.field_ids)
    writer.writerows(table.rows)
    return ("\ufeff" + buffer.getvalue()).encode()


def as_json(table: Table) -> bytes:
    document = {
        "fields": [
            {"id": f.id, "type": f.type, "label": f.label, "labelEn": f.label_en}
            for f in table.fields
        ],
        "records": table.records(),
    }
    return json.dumps(document, ensure_ascii=False).encode()


def as_xlsx(dataset: Dataset, table: Table) -> bytes:
    workbook, sheet = titled_sheet(
        "Du lieu",
        dataset.title,
        dataset.title_en or dataset.name,
        [f.label for f in table.fields],
        [max(12, min(40, len(f.label) + 4)) for f in table.fields],
    )
    for row in table.rows:
        append_row(sheet, row)
    return workbook_bytes(workbook)

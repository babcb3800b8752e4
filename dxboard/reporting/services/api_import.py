"""A DHIS2 `dataValueSets` document as one unit of work: values, locks and completion."""

from __future__ import annotations

from django.db import transaction

from dxboard.collection.values import (
    ImportConflict,
    ImportSummary,
    Strategy,
    read_data_value_set,
    save_values,
)
from dxboard.collection.values.data_value_sets import decode_text, load_json
from dxboard.errors import ServiceError

from .workflow import complete_from_api, locked_value_errors


class _CompletionRefused(Exception):
    """Rolls the values back when the report cannot be submitted."""


def import_data_value_set(
    user,
    content: bytes,
    *,
    csv_format: bool,
    dry_run: bool = False,
    atomic: bool = True,
    strategy: Strategy = Strategy.CREATE_AND_UPDATE,
    first_row_is_header: bool = True,
    source: str = "api",
) -> ImportSummary:
    """Save the values of a document; with `dataSet` and `completeDate`, submit that report.

    Values of a submitted or approved report are refused (the report is locked until it is
    returned or reopened). Saving and submitting happen in one transaction: if the
    submission is refused, no value is kept and the summary says why (an ERROR summary
    with the refusal as its conflict, as DHIS2 answers). `strategy` and
    `first_row_is_header` are DHIS2's `importStrategy` and `firstRowIsHeader`. `source`
    is the channel the audit records: "api", or "import" for `dxboard import-datavalues`.
    """
    rows = read_data_value_set(
        content, csv_format=csv_format, first_row_is_header=first_row_is_header
    )
    locked = locked_value_errors(rows, user)
    if locked:
        summary = ImportSummary(dry_run=dry_run, ignored=len(rows))
        # Each refusal names its row's data element and position (DHIS2's `indexes`).
        where = {row.path: (index, row) for index, row in enumerate(rows)}
        summary.conflicts = [
            ImportConflict(
                where[d.path][1].data_element if d.path in where else d.path,
                d.path,
                d.message,
                where[d.path][0] if d.path in where else None,
                "dataElement" if d.path in where else "",
            )
            for d in locked
        ]
        return summary
    header = {} if csv_format else _header(content)
    try:
        with transaction.atomic():
            summary = save_values(
                user,
                rows,
                source,
                dry_run=dry_run,
                atomic=atomic,
                machine_format=True,
                strategy=strategy,
            )
            if summary.ok and not dry_run and header.get("dataSet") and header.get("completeDate"):
                try:
                    complete_from_api(
                        user,
                        header["dataSet"],
                        header.get("orgUnit") or rows[0].org_unit,
                        header.get("period") or rows[0].period,
                        header["completeDate"],
                    )
                    summary.data_set_complete = str(header["completeDate"])
                except ServiceError as error:
                    summary = ImportSummary(dry_run=dry_run, ignored=len(rows))
                    summary.conflicts = [
                        ImportConflict(str(header["dataSet"]), d.path, d.message, None, "dataSet")
                        for d in error.details
                    ] or [ImportConflict(str(header["dataSet"]), "dataSet", str(error.message))]
                    raise _CompletionRefused from error
    except _CompletionRefused:
        pass
    return summary


def _header(content: bytes) -> dict:
    # Already read once by read_data_value_set, so it is valid JSON here.
    document = load_json(decode_text(content))
    return document if isinstance(document, dict) else {}

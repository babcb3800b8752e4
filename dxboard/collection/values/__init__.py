"""The one write path for data values, and the reading of values back.

Web forms, Excel uploads, the API, file imports and computed values from other apps all
call `save_values`. It checks every row (codes, period, number, permission, numerator ≤
denominator), then writes in a few set-based statements and audits every change.

    summary = save_values(user, [ValueRow("CQ-03-TU", "2024Q1", "99001", "1.234")], "web")
    summary.ok        # False when a row was rejected
    summary.as_dict() # DHIS2-like import summary

The modules, in the order a figure passes through them:

- `rows`: `ValueRow` (what callers pass), `ImportSummary` and `ImportConflict`;
- `data_value_sets`: DHIS2 `dataValueSets` documents (JSON, CSV) read into rows;
- `parsing`: numbers written the Vietnamese or English way, yes/no words, value types;
- `checks`: codes, periods, permissions, duplicates, numerator ≤ denominator;
- `saving`: `save_values`, which decides create, update, delete or ignore per row;
- `writing`: the set-based SQL that applies those decisions and writes the audit;
- `reading`: `get_values`.
"""

from .checks import WRITER_ROLES, ratio_pairs
from .data_value_sets import CSV_COLUMNS, read_data_value_set
from .parsing import MAX_ABS, SIX_PLACES, parse_boolean
from .reading import get_values
from .rows import ImportConflict, ImportSummary, ValueRow
from .saving import save_values

__all__ = [
    "CSV_COLUMNS",
    "MAX_ABS",
    "SIX_PLACES",
    "WRITER_ROLES",
    "ImportConflict",
    "ImportSummary",
    "ValueRow",
    "get_values",
    "parse_boolean",
    "ratio_pairs",
    "read_data_value_set",
    "save_values",
]

"""What callers hand to `save_values` (`ValueRow`) and what they get back (`ImportSummary`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dxboard.errors import ErrorDetail


@dataclass
class ValueRow:
    """One figure to save. `path` names the row in messages ("dataValues[3]", "Dòng 5").

    An empty `value` (None or "") or `deleted` deletes the stored value. `version`, when
    given, must equal the stored value's version (optimistic concurrency for web forms).
    `comment`, `stored_by` and `followup` left as None keep what is stored (a file without
    the column never blanks it). `category_option_combo` and `attribute_option_combo` are
    DHIS2's disaggregations: only the default one exists in DXBoard (see `checks`).
    """

    data_element: str
    period: str
    org_unit: str
    value: Any = None
    comment: str | None = None
    path: str = ""
    version: int | None = None
    deleted: bool = False
    stored_by: str | None = None
    followup: bool | None = None
    category_option_combo: str = ""
    attribute_option_combo: str = ""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: str = "") -> ValueRow:
        def pick(*keys: str) -> Any:
            for key in keys:
                if key in data and data[key] is not None:
                    return data[key]
            return None

        def optional_text(*keys: str) -> str | None:
            raw = pick(*keys)
            return None if raw is None else str(raw)

        def flag(*keys: str) -> bool | None:
            raw = pick(*keys)
            if raw is None or isinstance(raw, bool):
                return raw
            text = str(raw).strip().lower()
            return True if text == "true" else False if text in ("false", "") else None

        return cls(
            data_element=str(pick("data_element", "dataElement", "dataelement") or "").strip(),
            period=str(pick("period") or "").strip(),
            org_unit=str(pick("org_unit", "orgUnit", "orgunit") or "").strip(),
            value=pick("value"),
            comment=optional_text("comment"),
            path=str(data.get("path") or path),
            version=pick("version"),
            deleted=bool(flag("deleted")),
            stored_by=optional_text("stored_by", "storedBy", "storedby"),
            followup=flag("followup", "followUp"),
            category_option_combo=str(
                pick("categoryOptionCombo", "categoryoptioncombo", "catoptcombo") or ""
            ).strip(),
            attribute_option_combo=str(
                pick("attributeOptionCombo", "attributeoptioncombo", "attroptcombo") or ""
            ).strip(),
        )


@dataclass(frozen=True)
class ImportConflict:
    """A rejected row: `object` is the offending identifier or value, `path` names the row
    ("dataValues[3]", "Dòng 5"), `message` says what is wrong. `index` is the row's
    position in the document (DHIS2's `indexes`), `field` the property at fault,
    `error_code` DHIS2's code for the same conflict ("E7610"), when DHIS2 has one."""

    object: str
    path: str
    message: str
    index: int | None = None
    field: str = ""
    error_code: str = ""

    def as_dict(self) -> dict[str, str]:
        # `value` is where DHIS2 clients read the message; `path`/`message` are DXBoard's.
        return {
            "object": self.object,
            "value": self.message,
            "path": self.path,
            "message": self.message,
        }


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[ImportConflict] = field(default_factory=list)
    dry_run: bool = False
    # The `completeDate` of the report this import submitted (DHIS2's `dataSetComplete`).
    data_set_complete: str = ""
    # (code, period) -> the unit the code was resolved to at that period (issue 17)
    taken_units: dict[tuple[str, str], Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.conflicts

    @property
    def status(self) -> str:
        """SUCCESS, WARNING (some rows rejected, others saved) or ERROR (nothing saved)."""
        if not self.conflicts:
            return "SUCCESS"
        if self.imported or self.updated or self.deleted:
            return "WARNING"
        return "ERROR"

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "dryRun": self.dry_run,
            "importCount": {
                "imported": self.imported,
                "updated": self.updated,
                "ignored": self.ignored,
                "deleted": self.deleted,
            },
            "conflicts": [c.as_dict() for c in self.conflicts],
            "orgUnits": [
                {
                    "orgUnit": code,
                    "period": period,
                    "name": unit.name,
                    "validFrom": unit.valid_from,
                    "validTo": unit.valid_to,
                }
                for (code, period), unit in sorted(self.taken_units.items())
            ],
        }

    def error_details(self) -> list[ErrorDetail]:
        return [ErrorDetail(c.path or c.object, c.message) for c in self.conflicts]

"""What callers hand to `save_values` (`ValueRow`) and what they get back (`ImportSummary`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dxboard.errors import ErrorDetail


@dataclass
class ValueRow:
    """One figure to save. `path` names the row in messages ("dataValues[3]", "Dòng 5").

    An empty `value` (None or "") deletes the stored value. `version`, when given, must
    equal the stored value's version (optimistic concurrency for web forms).
    """

    data_element: str
    period: str
    org_unit: str
    value: Any = None
    comment: str = ""
    path: str = ""
    version: int | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any], path: str = "") -> ValueRow:
        def pick(*keys: str) -> Any:
            for key in keys:
                if key in data and data[key] is not None:
                    return data[key]
            return None

        return cls(
            data_element=str(pick("data_element", "dataElement", "dataelement") or "").strip(),
            period=str(pick("period") or "").strip(),
            org_unit=str(pick("org_unit", "orgUnit", "orgunit") or "").strip(),
            value=pick("value"),
            comment=str(pick("comment") or ""),
            path=str(data.get("path") or path),
            version=pick("version"),
        )


@dataclass(frozen=True)
class ImportConflict:
    object: str
    path: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"object": self.object, "path": self.path, "message": self.message}


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    ignored: int = 0
    deleted: int = 0
    conflicts: list[ImportConflict] = field(default_factory=list)
    dry_run: bool = False
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

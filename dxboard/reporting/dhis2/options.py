"""DHIS2's import options for `POST /dataValueSets`, read strictly.

DHIS2 ignores a parameter it does not know; here an unknown option, or one DXBoard cannot
honour, is refused by name, so an integrator never believes an option took effect when it
did not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from dxboard.collection.values import Strategy
from dxboard.errors import ErrorDetail, InvalidInput

# Identifier schemes: DXBoard's objects are identified by their code, so CODE (and no
# scheme at all) is the only one; DHIS2 UIDs are not issued.
ID_SCHEME_PARAMETERS = (
    "idScheme",
    "dataElementIdScheme",
    "orgUnitIdScheme",
    "categoryOptionComboIdScheme",
    "dataSetIdScheme",
)
BOOLEAN_PARAMETERS = ("dryRun", "async", "atomic", "firstRowIsHeader", "skipAudit", "force")
# Accepted and without effect: a hint to DHIS2's cache, nothing a client relies on.
NO_EFFECT_PARAMETERS = ("preheatCache",)
KNOWN = {
    "importStrategy",
    "strategy",
    *ID_SCHEME_PARAMETERS,
    *BOOLEAN_PARAMETERS,
    *NO_EFFECT_PARAMETERS,
}


@dataclass(frozen=True)
class ImportOptions:
    strategy: Strategy = Strategy.CREATE_AND_UPDATE
    dry_run: bool = False
    run_async: bool = False
    atomic: bool = True
    first_row_is_header: bool = True

    def as_dhis2(self) -> dict[str, Any]:
        """The `importOptions` block of DHIS2's import summary."""
        return {
            "idSchemes": {},
            "dryRun": self.dry_run,
            "preheatCache": False,
            "async": self.run_async,
            "importStrategy": self.strategy.value,
            "mergeMode": "REPLACE",
            "reportMode": "FULL",
            "skipExistingCheck": False,
            "sharing": False,
            "skipNotifications": False,
            "skipAudit": False,
            "datasetAllowsPeriods": False,
            "strictPeriods": False,
            "strictDataElements": False,
            "strictCategoryOptionCombos": False,
            "strictAttributeOptionCombos": False,
            "strictOrganisationUnits": False,
            # A submitted or approved report is always locked (see workflow); these say
            # only that no stricter DHIS2 checks apply.
            "strictDataSetApproval": False,
            "strictDataSetLocking": False,
            "strictDataSetInputPeriods": False,
            "requireCategoryOptionCombo": False,
            "requireAttributeOptionCombo": False,
            "skipPatternValidation": False,
            "ignoreEmptyCollection": False,
            "force": False,
            "firstRowIsHeader": self.first_row_is_header,
            "skipLastUpdated": False,
            "mergeDataValues": False,
            "skipCache": False,
        }

    def as_json(self) -> dict[str, Any]:
        """The options as plain JSON (a background task's argument)."""
        return {
            "strategy": self.strategy.value,
            "dry_run": self.dry_run,
            "atomic": self.atomic,
            "first_row_is_header": self.first_row_is_header,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> ImportOptions:
        return cls(
            strategy=Strategy(data["strategy"]),
            dry_run=bool(data["dry_run"]),
            atomic=bool(data["atomic"]),
            first_row_is_header=bool(data["first_row_is_header"]),
        )


def parse_import_options(params: Mapping[str, str]) -> ImportOptions:
    """The options of a query string; InvalidInput naming each parameter at fault."""
    errors: list[ErrorDetail] = []
    for name in params:
        if name not in KNOWN:
            errors.append(
                ErrorDetail(name, _("Không hỗ trợ tham số nhập “%(name)s”.") % {"name": name})
            )
    flags: dict[str, bool] = {}
    for name in BOOLEAN_PARAMETERS:
        raw = params.get(name)
        if raw is None:
            continue
        text = raw.strip().lower()
        if text not in ("true", "false"):
            errors.append(
                ErrorDetail(name, _("“%(name)s” phải là true hoặc false.") % {"name": name})
            )
            continue
        flags[name] = text == "true"
    if flags.get("skipAudit"):
        errors.append(
            ErrorDetail(
                "skipAudit",
                _("skipAudit=true không được nhận: DXBoard luôn ghi lịch sử sửa số liệu."),
            )
        )
    if flags.get("force"):
        errors.append(
            ErrorDetail(
                "force",
                _(
                    "force=true không được nhận: báo cáo đã nộp hoặc đã duyệt chỉ sửa được "
                    "sau khi được trả lại hoặc mở lại."
                ),
            )
        )
    for name in ID_SCHEME_PARAMETERS:
        scheme = (params.get(name) or "").strip()
        if scheme and scheme.upper() != "CODE":
            errors.append(
                ErrorDetail(
                    name,
                    _(
                        "%(name)s=%(scheme)s không được hỗ trợ: DXBoard nhận diện đối tượng "
                        "bằng mã (CODE)."
                    )
                    % {"name": name, "scheme": scheme},
                )
            )
    raw_strategy = (params.get("importStrategy") or params.get("strategy") or "").strip().upper()
    strategy = Strategy.CREATE_AND_UPDATE
    if raw_strategy:
        # DHIS2 still accepts the old spellings NEW_AND_UPDATES, NEW, UPDATES and DELETES.
        aliases = {"NEW_AND_UPDATES": "CREATE_AND_UPDATE", "NEW": "CREATE", "UPDATES": "UPDATE"}
        raw_strategy = aliases.get(raw_strategy, raw_strategy.removesuffix("S"))
        if raw_strategy not in Strategy.__members__:
            name = "importStrategy" if "importStrategy" in params else "strategy"
            errors.append(
                ErrorDetail(
                    name,
                    _("importStrategy phải là một trong %(values)s.")
                    % {"values": ", ".join(Strategy.__members__)},
                )
            )
        else:
            strategy = Strategy(raw_strategy)
    if errors:
        message = _("Tham số nhập không hợp lệ; chưa nhập gì.")
        raise InvalidInput(message, errors)
    return ImportOptions(
        strategy=strategy,
        dry_run=flags.get("dryRun", False),
        run_async=flags.get("async", False),
        atomic=flags.get("atomic", True),
        first_row_is_header=flags.get("firstRowIsHeader", True),
    )

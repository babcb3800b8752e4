"""Import of one metadata document (DHIS2-like JSON): units, data elements, indicators,
programmes and their targets.

    {"organisationUnits": [{"code", "name", "level", "parent"}],
     "dataElements": [{"code", "name", "valueType", "aggregationType", "minValue",
                       "maxValue"}],
     "indicators": [{"code", "name", "numerator", "denominator", "factor", "unit",
                     "direction", "pillar"}],
     "programmes": [{"code", "name", "startYear", "endYear", "thresholds", "orgUnit",
                     "indicators": [codes], "targets": [{"indicator", "year", "orgUnit",
                     "value"}]}]}

DHIS2's shapes are read too: `parent: {"code"|"id": ...}` (a DXBoard id is the code),
numeric `level`s (1 nation, 2 province, 3 commune, 4 hamlet), DHIS2's upper-case
`aggregationType`s that DXBoard computes (SUM, AVERAGE, AVERAGE_SUM_ORG_UNIT, LAST,
LAST_AVERAGE_ORG_UNIT, NONE; the others, COUNT among them, are refused by name).

Everything is upserted by code, all or nothing. Every problem is reported with its JSON
path ("programmes[0].targets[3].value") before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, Forbidden, InvalidInput
from dxboard.indicators.models import (
    DataElement,
    Indicator,
    Programme,
    Target,
)
from dxboard.indicators.services.checks import Checker
from dxboard.indicators.services.metadata_plan import LIST_KEYS, MANAGER_ROLES, MetadataPlan
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from dxboard.accounts.models import User


@dataclass
class TypeReport:
    created: int = 0
    updated: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"created": self.created, "updated": self.updated}


@dataclass
class MetadataSummary:
    dry_run: bool = False
    reports: dict[str, TypeReport] = field(
        default_factory=lambda: {key: TypeReport() for key in (*LIST_KEYS, "targets")}
    )

    def as_dict(self) -> dict[str, Any]:
        created = sum(r.created for r in self.reports.values())
        updated = sum(r.updated for r in self.reports.values())
        return {
            "status": "OK",
            "dryRun": self.dry_run,
            "stats": {"created": created, "updated": updated, "total": created + updated},
            "typeReports": {key: report.as_dict() for key, report in self.reports.items()},
        }


def import_metadata(user: User | None, document: Any, *, dry_run: bool = False) -> MetadataSummary:
    """Check then upsert a metadata document; raise InvalidInput listing every error.

    Units and programmes need the province officer or unit administrator role on the
    (parent) unit; data elements and indicators need that role somewhere. Superusers may
    do everything, and so may the system itself (`user=None`: console commands, demo).
    Nothing is written when there is an error or with `dry_run`.
    """
    if user is not None and not (
        user.is_superuser or Unit.objects.visible_to(user, roles=MANAGER_ROLES).exists()
    ):
        raise Forbidden(_("Chỉ chuyên viên Sở hoặc quản trị mới được nhập danh mục."))
    if not isinstance(document, dict):
        raise InvalidInput(
            _("Tài liệu danh mục phải là một đối tượng JSON."),
            [ErrorDetail(".", _("Phải là một đối tượng JSON."))],
        )
    check = Checker()
    unknown = sorted(set(document) - set(LIST_KEYS))
    for key in unknown:
        check.error(key, _("Không hỗ trợ mục “%(key)s”.") % {"key": key})
    plan = MetadataPlan(user, check)
    plan.read_units(check.items(document, "organisationUnits"))
    plan.read_elements(check.items(document, "dataElements"))
    plan.read_indicators(check.items(document, "indicators"))
    plan.read_programmes(check.items(document, "programmes"))
    if check.errors:
        raise InvalidInput(
            _("Tài liệu danh mục có %(count)s lỗi; chưa nhập gì.") % {"count": len(check.errors)},
            check.errors,
        )
    summary = MetadataSummary(dry_run=dry_run)
    _count(plan, summary)
    if not dry_run:
        with transaction.atomic():
            plan.write()
    return summary


def _count(plan: MetadataPlan, summary: MetadataSummary) -> None:
    """Fill the summary's created/updated counts from what exists now."""
    reports = summary.reports
    existing_units = set(
        Unit.objects.in_force()
        .filter(code__in=[u["code"] for u in plan.units])
        .values_list("code", flat=True)
    )
    for model, items, key in (
        (DataElement, plan.elements, "dataElements"),
        (Indicator, plan.indicators, "indicators"),
        (Programme, plan.programmes, "programmes"),
    ):
        have = set(
            model.objects.filter(code__in=[i["code"] for i in items]).values_list("code", flat=True)
        )
        reports[key].updated = sum(1 for i in items if i["code"] in have)
        reports[key].created = len(items) - reports[key].updated
    reports["organisationUnits"].updated = sum(1 for u in plan.units if u["code"] in existing_units)
    reports["organisationUnits"].created = len(plan.units) - reports["organisationUnits"].updated
    targets = [(p["code"], t) for p in plan.programmes for t in p["targets"]]
    have_targets = set(
        Target.objects.filter(programme__code__in={p["code"] for p in plan.programmes})
        .values_list("programme__code", "indicator__code", "year", "unit__code")
        .distinct()
    )
    reports["targets"].updated = sum(
        1 for code, t in targets if (code, t["indicator"], t["year"], t["unit"]) in have_targets
    )
    reports["targets"].created = len(targets) - reports["targets"].updated

"""Writing a checked metadata plan: units, data elements, indicators, programmes, targets.

Only called by `import_metadata` inside its transaction, after every check passed; the
reading and checking side is `metadata_plan.MetadataPlan`, which inherits this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from dxboard import revision
from dxboard.errors import ErrorDetail, InvalidInput, ServiceError
from dxboard.indicators.models import (
    DataElement,
    Indicator,
    Programme,
    ProgrammeIndicator,
    Target,
)
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from dxboard.accounts.models import User


class PlanWriter:
    """The write half of `MetadataPlan`: upserts by code in dependency order."""

    user: User | None
    units: list[dict]
    elements: list[dict]
    indicators: list[dict]
    programmes: list[dict]
    unit_by_code: dict[str, Unit]

    def _unit(self, code: str) -> Unit | None:  # provided by MetadataPlan
        raise NotImplementedError

    def write(self) -> None:
        revision.changed()  # the writes below are bulk operations, which send no signals
        self._write_units()
        self._write_elements()
        self._write_indicators()
        self._write_programmes()

    def _write_units(self) -> None:
        pending = list(self.units)
        while pending:
            progressed = False
            for item in list(pending):
                parent = None
                if item["parent"]:
                    parent = self._unit(item["parent"])
                    if parent is None:
                        continue
                self.unit_by_code[item["code"]] = self._save_unit(item, parent)
                pending.remove(item)
                progressed = True
            if not progressed:  # cycles were reported while reading; this cannot happen
                raise InvalidInput(_("Quan hệ cấp trên bị vòng lặp."))

    def _save_unit(self, item: dict, parent: Unit | None) -> Unit:
        """Through the units services for a person; directly for the system."""
        unit = self._unit(item["code"])
        if self.user is None:
            unit = unit or Unit(code=item["code"])
            unit.name, unit.kind, unit.parent = item["name"], item["kind"], parent
            unit.save()
            return unit
        from dxboard.units import services as unit_services

        try:
            if unit is None:
                return unit_services.create_unit(
                    self.user,
                    code=item["code"],
                    name=item["name"],
                    kind=item["kind"],
                    parent=parent,
                )
            wanted = {"name": item["name"], "kind": item["kind"], "parent": parent}
            changes = {k: v for k, v in wanted.items() if getattr(unit, k) != v}
            return unit_services.update_unit(self.user, unit, **changes) if changes else unit
        except ServiceError as error:
            details = [
                ErrorDetail(f"{item['path']}.{d.path}" if d.path else item["path"], d.message)
                for d in error.details
            ] or [ErrorDetail(item["path"], error.message)]
            raise InvalidInput(error.message, details) from error

    def _upsert(self, model, items: list[dict], fields: list[str]) -> dict[str, Any]:
        existing = {o.code: o for o in model.objects.filter(code__in=[i["code"] for i in items])}
        creates, updates = [], []
        for item in items:
            obj = existing.get(item["code"])
            values = {f: item[f] for f in fields}
            if obj is None:
                creates.append(model(code=item["code"], **values))
            else:
                for name, value in values.items():
                    setattr(obj, name, value)
                updates.append(obj)
        if updates:
            model.objects.bulk_update(updates, fields, batch_size=500)
        if creates:
            model.objects.bulk_create(creates, batch_size=500)
        return {o.code: o for o in model.objects.filter(code__in=[i["code"] for i in items])}

    def _write_elements(self) -> None:
        if self.elements:
            self._upsert(
                DataElement,
                self.elements,
                [
                    "name",
                    "name_en",
                    "value_type",
                    "aggregation_units",
                    "aggregation_time",
                    "unit_of_measure",
                    "description",
                    "min_value",
                    "max_value",
                ],
            )

    def _write_indicators(self) -> None:
        if not self.indicators:
            return
        codes = {i["numerator"] for i in self.indicators} | {
            i["denominator"] for i in self.indicators if i["denominator"]
        }
        elements = {e.code: e for e in DataElement.objects.filter(code__in=codes)}
        for item in self.indicators:
            item["numerator_obj"] = elements[item["numerator"]]
            item["denominator_obj"] = elements.get(item["denominator"] or "")
        rows = [
            {
                **item,
                "numerator": item["numerator_obj"],
                "denominator": item["denominator_obj"],
            }
            for item in self.indicators
        ]
        self._upsert(
            Indicator,
            rows,
            [
                "name",
                "name_en",
                "pillar",
                "unit_of_measure",
                "kind",
                "numerator",
                "denominator",
                "factor",
                "direction",
                "decimals",
                "description",
                "source",
            ],
        )

    def _write_programmes(self) -> None:
        if not self.programmes:
            return
        rows = []
        for item in self.programmes:
            t1, t2, t3 = item["thresholds"]
            rows.append(
                {
                    **item,
                    "owner_unit": self._unit(item["unit"]),
                    "threshold_1": t1,
                    "threshold_2": t2,
                    "threshold_3": t3,
                }
            )
        programmes = self._upsert(
            Programme,
            rows,
            [
                "name",
                "legal_number",
                "legal_date",
                "legal_issuer",
                "start_year",
                "end_year",
                "threshold_1",
                "threshold_2",
                "threshold_3",
                "owner_unit",
                "is_public",
                "description",
            ],
        )
        indicator_codes = {c for p in self.programmes for c in p["indicators"]} | {
            t["indicator"] for p in self.programmes for t in p["targets"]
        }
        indicators = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
        links = {
            (link.programme_id, link.indicator_id): link
            for link in ProgrammeIndicator.objects.filter(programme__in=programmes.values())
        }
        new_links, changed_links = [], []
        for item in self.programmes:
            programme = programmes[item["code"]]
            for order, code in enumerate(item["indicators"], start=1):
                key = (programme.pk, indicators[code].pk)
                if key in links:
                    if links[key].order != order:
                        links[key].order = order
                        changed_links.append(links[key])
                else:
                    new_links.append(
                        ProgrammeIndicator(
                            programme=programme, indicator=indicators[code], order=order
                        )
                    )
        ProgrammeIndicator.objects.bulk_create(new_links)
        ProgrammeIndicator.objects.bulk_update(changed_links, ["order"])
        existing_targets = {
            (t.programme_id, t.indicator_id, t.year, t.unit_id): t
            for t in Target.objects.filter(programme__in=programmes.values())
        }
        new_targets, changed_targets = [], []
        for item in self.programmes:
            programme = programmes[item["code"]]
            for target in item["targets"]:
                indicator = indicators[target["indicator"]]
                unit = self._unit(target["unit"])
                if target.get("unit_id") and (unit is None or unit.pk != target["unit_id"]):
                    unit = Unit.objects.get(pk=target["unit_id"])  # a former unit (rare)
                key = (programme.pk, indicator.pk, target["year"], unit.pk)
                if key in existing_targets:
                    obj = existing_targets[key]
                    obj.value = target["value"]
                    if target["source_document"]:
                        obj.source_document = target["source_document"]
                    changed_targets.append(obj)
                else:
                    new_targets.append(
                        Target(
                            programme=programme,
                            indicator=indicator,
                            year=target["year"],
                            unit=unit,
                            value=target["value"],
                            source_document=target["source_document"],
                        )
                    )
        Target.objects.bulk_create(new_targets, batch_size=500)
        Target.objects.bulk_update(changed_targets, ["value", "source_document"], batch_size=500)

"""`GET /api/dataValueSets`: stored values by DHIS2's filters, as JSON or CSV rows."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.collection.values import CSV_LAYOUT, DEFAULT_COMBO_UID
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.reporting.services.forms import visible_forms
from dxboard.units.models import Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.http import QueryDict

    from dxboard.accounts.models import User

PARAMETERS = {
    "dataSet",
    "dataElement",
    "period",
    "startDate",
    "endDate",
    "orgUnit",
    "children",
    "lastUpdated",
    "idScheme",
    "dataElementIdScheme",
    "orgUnitIdScheme",
    # Accepted, no effect: DXBoard never pages an export and keeps no deleted values.
    "paging",
    "includeDeleted",
}


@dataclass(frozen=True)
class ExportQuery:
    data_sets: Sequence[str]
    data_elements: Sequence[str]
    periods: Sequence[str]
    start_date: date | None
    end_date: date | None
    org_units: Sequence[str]
    children: bool
    last_updated: datetime | None


def read_export_query(params: QueryDict) -> ExportQuery:
    """The filters of a query string; InvalidInput naming each parameter at fault."""
    errors: list[ErrorDetail] = []
    for name in params:
        if name not in PARAMETERS:
            errors.append(ErrorDetail(name, _("Không hỗ trợ tham số “%(name)s”.") % {"name": name}))
    for name in ("idScheme", "dataElementIdScheme", "orgUnitIdScheme"):
        scheme = params.get(name, "").strip()
        if scheme and scheme.upper() != "CODE":
            errors.append(ErrorDetail(name, _("Chỉ hỗ trợ %(name)s=CODE.") % {"name": name}))
    if params.get("includeDeleted", "false").lower() == "true":
        errors.append(ErrorDetail("includeDeleted", _("DXBoard không giữ số liệu đã xóa.")))

    def day(name: str) -> date | None:
        raw = params.get(name, "").strip()
        if not raw:
            return None
        parsed = parse_date(raw)
        if parsed is None:
            errors.append(ErrorDetail(name, _("Ngày phải viết yyyy-mm-dd.")))
        return parsed

    start, end = day("startDate"), day("endDate")
    if (start is None) != (end is None) and not errors:
        errors.append(ErrorDetail("endDate", _("Cần cả startDate và endDate.")))
    last_updated = None
    raw_updated = params.get("lastUpdated", "").strip()
    if raw_updated:
        try:
            last_updated = parse_datetime(raw_updated)
        except ValueError:
            last_updated = None
        if last_updated is None:
            only_day = parse_date(raw_updated)
            if only_day is not None:
                last_updated = datetime.combine(only_day, time.min)
        if last_updated is None:
            errors.append(ErrorDetail("lastUpdated", _("Ngày giờ phải viết theo ISO 8601.")))
        elif timezone.is_naive(last_updated):
            last_updated = timezone.make_aware(last_updated)
    periods = [p.strip() for p in params.getlist("period") if p.strip()]
    for code in periods:
        try:
            parse_period(code)
        except InvalidPeriod as error:
            errors.append(ErrorDetail("period", str(error)))
    query = ExportQuery(
        data_sets=[c.strip() for c in params.getlist("dataSet") if c.strip()],
        data_elements=[c.strip() for c in params.getlist("dataElement") if c.strip()],
        periods=periods,
        start_date=start,
        end_date=end,
        org_units=[c.strip() for c in params.getlist("orgUnit") if c.strip()],
        children=params.get("children", "false").lower() == "true",
        last_updated=last_updated,
    )
    if not query.data_sets and not query.data_elements:
        errors.append(ErrorDetail("dataSet", _("Cần ít nhất một dataSet hoặc dataElement.")))
    if not query.periods and start is None and last_updated is None:
        errors.append(
            ErrorDetail("period", _("Cần period, hoặc startDate và endDate, hoặc lastUpdated."))
        )
    if not query.org_units:
        errors.append(ErrorDetail("orgUnit", _("Cần ít nhất một orgUnit.")))
    if errors:
        raise InvalidInput(_("Tham số xuất số liệu không hợp lệ."), errors)
    return query


def export_values(user: User | AnonymousUser, query: ExportQuery) -> list[DataValue]:
    """The values the filters select, among the units the user may see.

    A report form (`dataSet`) stands for its data elements. A unit or form the user may
    not see is NotFound, named.
    """
    units = {
        u.code: u for u in Unit.objects.visible_to(user).in_force().filter(code__in=query.org_units)
    }
    for code in query.org_units:
        if code not in units:
            raise NotFound(
                _("Không tìm thấy đơn vị “%(code)s”.") % {"code": code},
                [ErrorDetail("orgUnit", code)],
            )
    element_filter = Q(data_element__code__in=query.data_elements)
    if query.data_sets:
        forms = set(
            visible_forms(user).filter(code__in=query.data_sets).values_list("code", flat=True)
        )
        for code in query.data_sets:
            if code not in forms:
                raise NotFound(
                    _("Không tìm thấy biểu mẫu “%(code)s”.") % {"code": code},
                    [ErrorDetail("dataSet", code)],
                )
        element_filter |= Q(data_element__form_fields__form__code__in=query.data_sets)
    unit_filter = Q()
    for unit in units.values():
        unit_filter |= Q(unit__path__startswith=unit.path) if query.children else Q(unit=unit)
    values = DataValue.objects.filter(element_filter, unit_filter)
    if query.periods:
        values = values.filter(period__in=query.periods)
    if query.start_date is not None and query.end_date is not None:
        values = values.filter(period_start__gte=query.start_date, period_end__lte=query.end_date)
    if query.last_updated is not None:
        values = values.filter(updated_at__gte=query.last_updated)
    return list(
        values.distinct()
        .select_related("data_element", "unit", "updated_by")
        .order_by("data_element__code", "unit__code", "period_start")
    )


def _stored_by(value: DataValue) -> str:
    return value.stored_by_label or ""


def as_json(values: Sequence[DataValue], query: ExportQuery) -> dict[str, Any]:
    rows = [
        {
            "dataElement": v.data_element.code,
            "period": v.period,
            "orgUnit": v.unit.code,
            "categoryOptionCombo": DEFAULT_COMBO_UID,
            "attributeOptionCombo": DEFAULT_COMBO_UID,
            "value": v.display_value,
            "storedBy": _stored_by(v),
            "created": v.created_at.isoformat(),
            "lastUpdated": v.updated_at.isoformat(),
            "comment": v.comment,
            "followup": v.followup,
        }
        for v in values
    ]
    document: dict[str, Any] = {}
    if len(query.data_sets) == 1:
        document["dataSet"] = query.data_sets[0]
    document["dataValues"] = rows
    return document


def as_csv(values: Sequence[DataValue]) -> str:
    """DHIS2's CSV layout, with its header row (`CSV_LAYOUT`)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_LAYOUT)
    for v in values:
        writer.writerow(
            [
                v.data_element.code,
                v.period,
                v.unit.code,
                DEFAULT_COMBO_UID,
                DEFAULT_COMBO_UID,
                v.display_value,
                _stored_by(v),
                v.updated_at.isoformat(),
                v.comment,
                "true" if v.followup else "false",
                "false",
            ]
        )
    return out.getvalue()

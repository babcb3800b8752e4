"""Reading stored values back, within what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.units import resolve as resolver
from dxboard.units.models import Unit
from dxboard.units.resolve import day_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User


def get_values(
    user: User | AnonymousUser,
    *,
    org_unit: str,
    period: str | None = None,
    data_element: str | None = None,
    children: bool = False,
) -> list[DataValue]:
    """Stored values of a unit the user may see (with `children`, of its whole subtree).

    `period` may be any period code: values whose period lies inside it are returned.
    Raises NotFound for a unit the user may not see, InvalidInput for a bad period.
    """
    parsed = None
    if period:
        try:
            parsed = parse_period(period)
        except InvalidPeriod as error:
            raise InvalidInput(str(error), [ErrorDetail("period", str(error))]) from None
    # With a period the code means the unit in force at its end (issue 17: 80 with 2024 is
    # former Long An); without one, today's unit.
    visible = Unit.objects.visible_to(user)
    if parsed is not None:
        unit = resolver.CodeResolver([org_unit], among=visible).at(org_unit, day_of(parsed))
        if isinstance(unit, str):
            raise NotFound(unit)
    else:
        unit = visible.in_force().filter(code=org_unit).first()
        if unit is None:
            raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": org_unit})
    query = DataValue.objects.select_related("data_element", "unit", "updated_by")
    query = query.filter(unit__path__startswith=unit.path) if children else query.filter(unit=unit)
    if parsed is not None:
        query = query.filter(period_start__gte=parsed.start, period_end__lte=parsed.end)
    if data_element:
        query = query.filter(data_element__code=data_element)
    return list(query.order_by("data_element__code", "unit__code", "period_start"))

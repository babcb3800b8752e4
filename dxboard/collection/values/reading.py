"""Reading stored values back, within what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from dxboard.collection.models import DataValue
from dxboard.errors import ErrorDetail, InvalidInput, NotFound
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.units.models import Unit

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
    unit = Unit.objects.visible_to(user).in_force().filter(code=org_unit).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": org_unit})
    query = DataValue.objects.select_related("data_element", "unit", "updated_by")
    query = query.filter(unit__path__startswith=unit.path) if children else query.filter(unit=unit)
    if period:
        try:
            parsed = parse_period(period)
        except InvalidPeriod as error:
            raise InvalidInput(str(error), [ErrorDetail("period", str(error))]) from None
        query = query.filter(period_start__gte=parsed.start, period_end__lte=parsed.end)
    if data_element:
        query = query.filter(data_element__code=data_element)
    return list(query.order_by("data_element__code", "unit__code", "period_start"))

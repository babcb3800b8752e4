"""Report forms: finding them, their structure, and the units that must report them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from dxboard.errors import NotFound
from dxboard.periods import Period
from dxboard.units.models import (
    Unit,
    UnitGroup,
    UnitQuerySet,
    in_line_with_memberships,
    older_paths,
)
from dxboard.units.resolve import day_of

from ..models import FormAssignment, FormField, FormSection, ReportForm
from ..permissions import APPROVE, REOPEN, SUBMIT

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

APPROVER_ROLES = APPROVE.roles
REOPEN_ROLES = REOPEN.roles


def get_form(code: str, *, active_only: bool = False) -> ReportForm:
    query = ReportForm.objects.select_related("owner_unit")
    if active_only:
        query = query.filter(active=True)
    form = query.filter(code=code).first()
    if form is None:
        raise NotFound(_("Không tìm thấy biểu mẫu “%(code)s”.") % {"code": code})
    return form


def visible_forms(user: User | AnonymousUser):
    """Forms a user may read: those issued by a unit above, at or below one of theirs."""
    query = ReportForm.objects.select_related("owner_unit")
    if not user.is_authenticated:
        return query.none()
    if user.is_superuser:
        return query
    return query.filter(in_line_with_memberships(user, "owner_unit"))


def get_visible_form(user: User | AnonymousUser, code: str) -> ReportForm:
    form = visible_forms(user).filter(code=code).first()
    if form is None:
        raise NotFound(_("Không tìm thấy biểu mẫu “%(code)s”.") % {"code": code})
    return form


def _assignment_condition(
    form: ReportForm, assignments: Iterable[FormAssignment], older: Iterable[str] = ()
) -> Q | None:
    """`older`: the paths of the issuing unit's predecessors, whose subtrees report the
    form by kind for the periods before the issuing unit existed."""
    condition = Q()
    any_rule = False
    for assignment in assignments:
        any_rule = True
        if assignment.unit_id:
            condition |= Q(pk=assignment.unit_id)
        elif assignment.unit_group_id:
            condition |= Q(unit_groups=assignment.unit_group_id)
        else:
            for path in (form.owner_unit.path, *older):
                condition |= Q(kind=assignment.unit_kind, path__startswith=path)
    return condition if any_rule else None


def expected_units(form: ReportForm, period: Period | None = None) -> UnitQuerySet:
    """The units in force that must report `form` (by unit, by kind below the form's
    issuing unit, or by unit group).

    With `period`, the units in force at its end (issue 17): for 2024, a province's form
    assigned to communes is reported by the former communes of the province's former
    provinces, which sit in the former tree."""
    if period is None:
        condition = _assignment_condition(form, form.assignments.all())
        if condition is None:
            return Unit.objects.none()
        return Unit.objects.in_force().filter(condition).distinct()
    older = older_paths({form.owner_unit.path}) - {form.owner_unit.path}
    condition = _assignment_condition(form, form.assignments.all(), older)
    if condition is None:
        return Unit.objects.none()
    return Unit.objects.in_force(on=day_of(period)).filter(condition).distinct()


def expected_unit_ids(forms: list[ReportForm]) -> dict[int, set[int]]:
    """Expected unit ids of many forms in a fixed number of queries."""
    assignments = defaultdict(list)
    for assignment in FormAssignment.objects.filter(form__in=forms):
        assignments[assignment.form_id].append(assignment)
    group_ids = {
        a.unit_group_id for items in assignments.values() for a in items if a.unit_group_id
    }
    group_members: dict[int, set[int]] = defaultdict(set)
    if group_ids:
        through = UnitGroup.units.through
        for group_id, unit_id in through.objects.filter(
            unitgroup_id__in=group_ids, unit__valid_to__isnull=True
        ).values_list("unitgroup_id", "unit_id"):
            group_members[group_id].add(unit_id)
    kind_condition = Q()
    direct_ids: set[int] = set()
    for form in forms:
        for a in assignments[form.pk]:
            if a.unit_kind:
                kind_condition |= Q(kind=a.unit_kind, path__startswith=form.owner_unit.path)
            elif a.unit_id:
                direct_ids.add(a.unit_id)
    by_kind: list[tuple[int, str, str]] = []
    if kind_condition:
        by_kind = list(
            Unit.objects.in_force().filter(kind_condition).values_list("pk", "kind", "path")
        )
    in_force_direct = set(
        Unit.objects.in_force().filter(pk__in=direct_ids).values_list("pk", flat=True)
    )
    result: dict[int, set[int]] = {}
    for form in forms:
        ids: set[int] = set()
        for a in assignments[form.pk]:
            if a.unit_id and a.unit_id in in_force_direct:
                ids.add(a.unit_id)
            elif a.unit_group_id:
                ids |= group_members[a.unit_group_id]
            elif a.unit_kind:
                ids |= {
                    pk
                    for pk, kind, path in by_kind
                    if kind == a.unit_kind and path.startswith(form.owner_unit.path)
                }
        result[form.pk] = ids
    return result


@dataclass
class FieldInfo:
    field: FormField
    code: str
    label: str
    unit_of_measure: str
    value_type: str
    required: bool


@dataclass
class SectionInfo:
    section: FormSection
    fields: list[FieldInfo]


def form_structure(form: ReportForm) -> list[SectionInfo]:
    """Sections and fields in order, with their data elements (two queries)."""
    sections = form.sections.prefetch_related(
        Prefetch(
            "fields",
            queryset=FormField.objects.select_related("data_element").order_by("order", "pk"),
        )
    ).order_by("order", "pk")
    result = []
    for section in sections:
        fields = [
            FieldInfo(
                f,
                f.data_element.code,
                f.display_label,
                f.data_element.unit_of_measure,
                f.data_element.value_type,
                f.required,
            )
            for f in section.fields.all()
        ]
        result.append(SectionInfo(section, fields))
    return result


def all_fields(structure: list[SectionInfo]) -> list[FieldInfo]:
    return [f for s in structure for f in s.fields]


def writable_units(user: User | AnonymousUser) -> UnitQuerySet:
    return Unit.objects.visible_to(user, roles=SUBMIT.roles)


def units_for_user(
    user: User | AnonymousUser, form: ReportForm, period: Period | None = None
) -> UnitQuerySet:
    """Expected units of `form` that the user reports for (in force in `period`)."""
    units = expected_units(form, period)
    return units.filter(pk__in=writable_units(user)).order_by("sort_key")

"""Community team services: the one place that reads and writes teams, members, activities.

Views, the JSON API, Excel import and the demo all go through these functions; they
check permissions. A team outside the user's units is not found (404), never forbidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, Subquery, Sum, When
from django.db.models.functions import Coalesce
from django.db.models.lookups import StartsWith
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from dxboard.accounts.models import User
from dxboard.community.permissions import EDIT_TEAM
from dxboard.errors import ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.text import one_line, sort_key
from dxboard.units.models import Unit, UnitKind

from .models import Activity, AgeGroup, Member, MemberRole, Team, TeamStatus

# Officers who keep the register: the unit's reporters, approvers and administrators, and
# the province's DX officers (a role held on a unit covers its subtree).
WRITE_ROLES = EDIT_TEAM.roles
TEAM_UNIT_KINDS = (UnitKind.HAMLET, UnitKind.COMMUNE)


# --- permissions ---------------------------------------------------------------------------


def visible_teams(user) -> Any:
    return Team.objects.visible_to(user)


def can_write(user, unit: Unit) -> bool:
    if not user.is_authenticated:
        return False
    return Unit.objects.visible_to(user, roles=WRITE_ROLES).filter(pk=unit.pk).exists()


def phones_visible(user, unit: Unit) -> bool:
    """Phone numbers show only to users holding a role on the unit or one above it.

    Public and open-data outputs never call this: they never include phones.
    """
    if not getattr(user, "is_authenticated", False):
        return False
    return Unit.objects.visible_to(user).filter(pk=unit.pk).exists()


def get_team(user, team_id: int) -> Team:
    team = visible_teams(user).select_related("unit", "unit__parent").filter(pk=team_id).first()
    if team is None:
        raise NotFound(_("Không tìm thấy tổ công nghệ số."))
    return team


def writable_team_units(user):
    """Hamlets and communes where the user may create a team, in tree order."""
    return (
        Unit.objects.visible_to(user, roles=WRITE_ROLES)
        .in_force()
        .filter(kind__in=TEAM_UNIT_KINDS)
        .select_related("parent")
        .order_by("path")
    )


def get_unit(user, code: str) -> Unit:
    unit = Unit.objects.visible_to(user).in_force().filter(code=code).first()
    if unit is None:
        raise NotFound(_("Không tìm thấy đơn vị “%(code)s”.") % {"code": code})
    return unit


def _require_write(user, unit: Unit) -> None:
    if not can_write(user, unit):
        if Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
            raise Forbidden(_("Bạn chỉ có quyền xem danh sách tổ của đơn vị này."))
        raise NotFound(_("Không tìm thấy đơn vị."))


# --- values --------------------------------------------------------------------------------

_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")


def normalise_phone(raw: Any) -> str:
    """A Vietnamese phone number as digits starting with 0, or "" when blank.

    Accepts spaces, dots and dashes, +84/84 prefixes, and a number cell that lost its
    leading zero (912345678). Raises ValueError with a message otherwise.
    """
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = _PHONE_SEPARATORS.sub("", str(raw).strip())
    if not text:
        return ""
    if text.startswith("+84"):
        text = "0" + text[3:]
    elif text.startswith("84") and len(text) in (11, 12):
        text = "0" + text[2:]
    elif isinstance(raw, int) and len(text) in (9, 10) and not text.startswith("0"):
        text = "0" + text
    if not text.isdigit() or not text.startswith("0") or len(text) not in (10, 11):
        raise ValueError(
            _("số điện thoại “%(phone)s” không hợp lệ (cần 10 hoặc 11 chữ số, bắt đầu bằng 0).")
            % {"phone": raw}
        )
    return text


def age_group_for(birth_year: int, today: date | None = None) -> str:
    age = (today or date.today()).year - birth_year
    if age < 30:
        return AgeGroup.UNDER_30
    if age <= 45:
        return AgeGroup.FROM_30_TO_45
    if age <= 60:
        return AgeGroup.FROM_46_TO_60
    return AgeGroup.OVER_60


# --- writes --------------------------------------------------------------------------------


def _save(obj, fields_for_message: str = "") -> None:
    """full_clean then save, turning constraint violations into InvalidInput."""
    from django.core.exceptions import ValidationError

    try:
        obj.full_clean()
        with transaction.atomic():
            obj.save()
    except ValidationError as error:
        details = [
            ErrorDetail(field if field != "__all__" else ".", str(message))
            for field, messages in error.message_dict.items()
            for message in messages
        ]
        message = details[0].message if details else _("Dữ liệu không hợp lệ.")
        raise InvalidInput(message, details) from error
    except IntegrityError as error:
        raise InvalidInput(fields_for_message or _("Dữ liệu trùng hoặc không hợp lệ.")) from error


TEAM_FIELDS = ("name", "founded_on", "decision_number", "decision_date", "decision_signer")


def create_team(user: User, unit: Unit, **fields: Any) -> Team:
    if unit.kind not in TEAM_UNIT_KINDS:
        raise InvalidInput(
            _("Tổ công nghệ số được lập ở thôn, ấp, tổ dân phố hoặc ở xã, phường."),
            [ErrorDetail("unit", _("Hãy chọn một thôn, ấp hoặc một xã, phường."))],
        )
    _require_write(user, unit)
    team = Team(unit=unit, status=TeamStatus.ACTIVE)
    for key in TEAM_FIELDS:
        if key in fields:
            setattr(team, key, fields[key])
    if not team.name:
        team.name = _("Tổ công nghệ số cộng đồng %(unit)s") % {"unit": unit.name}
    _save(team)
    return team


def update_team(user: User, team: Team, **fields: Any) -> Team:
    """Change a team's details. Dissolving it dates the dissolution (`dissolved_on`, today
    when not given): the team still counts in the periods that ended before that day."""
    _require_write(user, team.unit)
    for key in (*TEAM_FIELDS, "status"):
        if key in fields:
            setattr(team, key, fields[key])
    if team.status == TeamStatus.DISSOLVED:
        today = timezone.localdate()
        team.dissolved_on = fields.get("dissolved_on") or team.dissolved_on or today
        message = ""
        if team.dissolved_on > today:
            message = _("Ngày giải thể không được sau hôm nay.")
        elif team.founded_on and team.dissolved_on < team.founded_on:
            message = _("Ngày giải thể không được trước ngày thành lập.")
        if message:
            raise InvalidInput(message, [ErrorDetail("dissolved_on", message)])
    else:
        team.dissolved_on = None
    _save(team)
    return team


def add_member(user: User, team: Team, **fields: Any) -> Member:
    _require_write(user, team.unit)
    if team.dissolved_on is not None:
        raise InvalidInput(
            _("Tổ đã giải thể ngày %(date)s: không thêm thành viên được.")
            % {"date": date_format(team.dissolved_on, "SHORT_DATE_FORMAT")}
        )
    member = Member(team=team)
    _fill_member(member, fields)
    _save(member, _("Thành viên này (cùng họ tên và số điện thoại) đã có trong tổ."))
    return member


def _fill_member(member: Member, fields: dict[str, Any]) -> None:
    for key in ("full_name", "role", "gender", "age_group", "organisation", "trained"):
        if key in fields and fields[key] is not None:
            setattr(member, key, fields[key])
    if "joined_on" in fields:
        member.joined_on = fields["joined_on"]
    member.full_name = one_line(member.full_name or "")
    try:
        member.phone = normalise_phone(fields.get("phone", member.phone))
    except ValueError as error:
        raise InvalidInput(str(error), [ErrorDetail("phone", str(error))]) from error
    if fields.get("birth_year"):
        member.birth_year = int(fields["birth_year"])
        member.age_group = age_group_for(member.birth_year)


def get_member(user, team_id: int, member_id: int) -> Member:
    """A member of a team the user can see; NotFound otherwise."""
    team = get_team(user, team_id)
    member = team.members.filter(pk=member_id).first()
    if member is None:
        raise NotFound(_("Không tìm thấy thành viên."))
    return member


def member_leaves(user: User, member: Member, left_on: date | None = None) -> Member:
    """Record that a member left the team on `left_on` (today when not given). The row
    stays: the member still counts in the periods that ended before that day."""
    _require_write(user, member.team.unit)
    if member.left_on is not None:
        raise InvalidInput(
            _("%(name)s đã thôi tham gia tổ ngày %(date)s.")
            % {"name": member, "date": date_format(member.left_on, "SHORT_DATE_FORMAT")}
        )
    today = timezone.localdate()
    day = left_on or today
    message = ""
    if day > today:
        message = _("Ngày thôi tham gia không được sau hôm nay.")
    elif member.joined_on and day < member.joined_on:
        message = _("Ngày thôi tham gia không được trước ngày tham gia.")
    if message:
        raise InvalidInput(message, [ErrorDetail("left_on", message)])
    member.left_on = day
    _save(member)
    return member


def add_activity(user: User, team: Team, **fields: Any) -> Activity:
    _require_write(user, team.unit)
    if fields.get("people_helped") is not None and fields["people_helped"] < 0:
        raise InvalidInput(
            _("Số người được hỗ trợ không được âm."),
            [ErrorDetail("people_helped", _("Số người được hỗ trợ không được âm."))],
        )
    day = fields.get("date")
    if team.dissolved_on is not None and day is not None and day >= team.dissolved_on:
        message = _("Tổ đã giải thể ngày %(date)s: chỉ ghi được hoạt động trước ngày đó.") % {
            "date": date_format(team.dissolved_on, "SHORT_DATE_FORMAT")
        }
        raise InvalidInput(message, [ErrorDetail("date", message)])
    activity = Activity(team=team, **fields)
    _save(activity)
    return activity


# --- reads ---------------------------------------------------------------------------------


def team_list(user, *, unit: Unit | None = None, status: str = "", text: str = ""):
    """Teams the user can see, with member count and people helped, in unit order."""
    teams = visible_teams(user).select_related("unit", "unit__parent")
    if unit is not None:
        teams = teams.filter(unit__path__startswith=unit.path)
    if status:
        teams = teams.filter(status=status)
    if text:
        from dxboard.text import fold

        teams = teams.filter(
            Q(unit__search_name__contains=fold(text)) | Q(name__icontains=text.strip())
        )
    return teams.order_by("unit__sort_key", "pk").annotate(
        member_count=Count("members", filter=_members_present(), distinct=True),
        people_helped=Coalesce(
            Subquery(
                Activity.objects.filter(team=OuterRef("pk"))
                .values("team")
                .annotate(s=Sum("people_helped"))
                .values("s"),
                output_field=IntegerField(),
            ),
            0,
        ),
    )


def _active_teams(as_of: date | None = None):
    """Active teams; with `as_of`, the teams at work that day: founded by then (an unknown
    date counts) and not yet dissolved, so a dissolution leaves past periods as they were."""
    if as_of is None:
        return Team.objects.active()
    return Team.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=as_of),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=as_of),
    )


def _members_present(as_of: date | None = None) -> Q:
    """A team's members on `as_of`: joined by then (an unknown date counts) and not yet
    left. Without `as_of`, its current members, whatever their joining date."""
    if as_of is None:
        return Q(members__left_on__isnull=True)
    return (Q(members__joined_on__isnull=True) | Q(members__joined_on__lte=as_of)) & (
        Q(members__left_on__isnull=True) | Q(members__left_on__gt=as_of)
    )


def _coverage_units(root: Unit, as_of: date | None = None):
    """The units coverage is counted over: hamlets, and communes that have no hamlets.

    A subtree without hamlets is counted in communes; one fully split into hamlets in
    hamlets.
    """
    in_force = Unit.objects.in_force()
    hamlets_below = in_force.filter(parent=OuterRef("pk"), kind=UnitKind.HAMLET)
    return (
        in_force.filter(path__startswith=root.path)
        .filter(Q(kind=UnitKind.HAMLET) | Q(kind=UnitKind.COMMUNE) & ~Exists(hamlets_below))
        .annotate(
            has_team=Exists(_active_teams(as_of).filter(unit=OuterRef("pk"))),
        )
    )


def _subtree_population(root: Unit) -> int | None:
    """The population of a subtree: the top-most units in it that carry a population.

    A unit's population includes its children's, so a hamlet's figure is used only
    where no unit above it (within the subtree) has one.
    """
    carriers = Unit.objects.in_force().filter(path__startswith=root.path, population__isnull=False)
    above = carriers.filter(StartsWith(OuterRef("path"), F("path"))).exclude(pk=OuterRef("pk"))
    result = carriers.filter(~Exists(above)).aggregate(total=Sum("population"))
    return result["total"]


def members_per_100(members: int, population: int | None) -> float | None:
    if not population:
        return None
    return round(members * 100 / population, 2)


@dataclass(frozen=True)
class Totals:
    teams: int
    members: int
    units_with_team: int
    units_total: int
    population: int | None

    @property
    def members_per_100(self) -> float | None:
        return members_per_100(self.members, self.population)

    @property
    def coverage_percent(self) -> float | None:
        if not self.units_total:
            return None
        return round(self.units_with_team * 100 / self.units_total, 1)

    def as_api(self) -> dict[str, Any]:
        return {
            "teams": self.teams,
            "members": self.members,
            "unitsWithTeam": self.units_with_team,
            "unitsTotal": self.units_total,
            "membersPer100": self.members_per_100,
        }


def totals_for(root: Unit, as_of: date | None = None) -> Totals:
    """Totals of a unit's subtree in three aggregate queries (no permission check).

    With `as_of`, the register as it stood that day: teams at work and members in their
    team then (indicator values of past periods); without it, today's.
    """
    teams = _active_teams(as_of).filter(unit__path__startswith=root.path)
    counts = teams.aggregate(
        teams=Count("pk", distinct=True),
        members=Count("members", filter=_members_present(as_of)),
    )
    coverage = _coverage_units(root, as_of).aggregate(
        total=Count("pk"), with_team=Count("pk", filter=Q(has_team=True))
    )
    return Totals(
        teams=counts["teams"],
        members=counts["members"],
        units_with_team=coverage["with_team"],
        units_total=coverage["total"],
        population=_subtree_population(root),
    )


def summary(user, unit: Unit) -> Totals:
    """Teams, members, coverage and members per 100 inhabitants of a visible unit's subtree."""
    if not Unit.objects.visible_to(user).filter(pk=unit.pk).exists():
        raise NotFound(_("Không tìm thấy đơn vị."))
    return totals_for(unit)


def _commune_of_unit(prefix: str = "") -> Case:
    kind, pk, parent = f"{prefix}kind", f"{prefix}id" if prefix else "pk", f"{prefix}parent_id"
    return Case(
        When(**{kind: UnitKind.COMMUNE}, then=F(pk)),
        default=F(parent),
        output_field=IntegerField(),
    )


def per_commune(root: Unit, as_of: date | None = None) -> list[dict[str, Any]]:
    """Totals for every commune in a subtree, in three grouped queries.

    Each dict: commune (Unit), teams, members, units_with_team, units_total, population.
    `as_of` as in `totals_for`.
    """
    hamlet_population = (
        Unit.objects.in_force()
        .filter(parent=OuterRef("pk"), kind=UnitKind.HAMLET)
        .values("parent")
        .annotate(s=Sum("population"))
        .values("s")
    )
    communes = list(
        Unit.objects.in_force()
        .filter(path__startswith=root.path, kind=UnitKind.COMMUNE)
        .annotate(
            subtree_population=Coalesce(
                F("population"), Subquery(hamlet_population, output_field=IntegerField())
            )
        )
        .order_by("sort_key")
    )
    teams = (
        _active_teams(as_of)
        .filter(unit__path__startswith=root.path)
        .annotate(commune=_commune_of_unit("unit__"))
        .values("commune")
        .annotate(
            teams=Count("pk", distinct=True),
            members=Count("members", filter=_members_present(as_of)),
        )
    )
    team_rows = {row["commune"]: row for row in teams}
    coverage = (
        _coverage_units(root, as_of)
        .annotate(commune=_commune_of_unit())
        .values("commune")
        .annotate(total=Count("pk"), with_team=Count("pk", filter=Q(has_team=True)))
    )
    coverage_rows = {row["commune"]: row for row in coverage}
    result = []
    for commune in communes:
        t = team_rows.get(commune.pk, {})
        c = coverage_rows.get(commune.pk, {})
        result.append(
            {
                "commune": commune,
                "teams": t.get("teams", 0),
                "members": t.get("members", 0),
                "units_with_team": c.get("with_team", 0),
                "units_total": c.get("total", 0),
                "population": commune.subtree_population,
            }
        )
    return result


ROLE_ORDER = {MemberRole.LEADER: 0, MemberRole.DEPUTY: 1, MemberRole.MEMBER: 2}


def _member_key(member: Member) -> tuple[int, str]:
    """Leader, deputies, then members; names in Vietnamese alphabetical order.

    Sorted in Python: the role codes' own order is not the list's order, and SQL cannot
    sort Vietnamese names the same way on SQLite and PostgreSQL.
    """
    return ROLE_ORDER.get(member.role, len(ROLE_ORDER)), sort_key(member.full_name)


def in_list_order(members) -> list[Member]:
    """Members by commune, then hamlet (a commune's own team first), then `_member_key`.

    Needs `team__unit__parent` selected.
    """

    def key(member: Member) -> tuple:
        unit = member.team.unit
        if unit.kind == UnitKind.HAMLET and unit.parent is not None:
            place = (unit.parent.sort_key, unit.sort_key)
        else:
            place = (unit.sort_key, "")
        return (*place, member.team_id, *_member_key(member))

    return sorted(members, key=key)


def team_detail(user, team_id: int) -> dict[str, Any]:
    """A team with its current members (in list order), former members (latest leaver
    first) and latest activities."""
    team = get_team(user, team_id)
    members = list(team.members.all())
    return {
        "team": team,
        "members": sorted((m for m in members if m.left_on is None), key=_member_key),
        "former_members": sorted(
            (m for m in members if m.left_on is not None),
            key=lambda m: (-m.left_on.toordinal(), _member_key(m)),
        ),
        "activities": list(team.activities.all()[:200]),
        "people_helped": team.activities.aggregate(s=Coalesce(Sum("people_helped"), 0))["s"],
        "show_phones": phones_visible(user, team.unit),
        "can_write": can_write(user, team.unit),
    }


def member_as_dict(member: Member, show_phone: bool) -> dict[str, Any]:
    return {
        "id": member.pk,
        "fullName": member.full_name,
        "role": member.role,
        "phone": member.phone if show_phone else None,
        "gender": member.gender or None,
        "ageGroup": member.age_group or None,
        "birthYear": member.birth_year,
        "organisation": member.organisation,
        "trained": member.trained,
        "joinedOn": member.joined_on,
    }

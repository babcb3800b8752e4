"""Community team register API: summary, team list, team detail."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema

from dxboard.api_input import UNIT_HELP

from . import services

router = Router(tags=["community"])


class CommunitySummaryOut(Schema):
    teams: int
    members: int
    unitsWithTeam: int
    unitsTotal: int
    membersPer100: float | None


class TeamOut(Schema):
    id: int
    name: str
    unit: str
    unitName: str
    commune: str | None
    status: str
    foundedOn: date | None
    dissolvedOn: date | None
    decisionNumber: str
    members: int
    peopleHelped: int


class MemberOut(Schema):
    id: int
    fullName: str
    role: str
    phone: str | None = Field(None, description="Chỉ hiện với cán bộ của đơn vị và cấp trên.")
    gender: str | None
    ageGroup: str | None
    birthYear: int | None
    organisation: str
    trained: bool
    joinedOn: date | None


class ActivityOut(Schema):
    id: int
    date: date
    kind: str
    peopleHelped: int
    note: str


class TeamDetailOut(TeamOut):
    decisionDate: date | None
    decisionSigner: str
    memberList: list[MemberOut] = Field(
        ..., description="Thành viên hiện tại; người đã thôi tham gia không có ở đây."
    )
    activities: list[ActivityOut]


class UnitFilter(Schema):
    unit: str | None = Field(None, max_length=50, description="Mã đơn vị; mặc định mọi đơn vị.")


def _team_dict(team, members: int, people_helped: int) -> dict:
    commune = team.unit.parent if team.unit.kind == "hamlet" else None
    return {
        "id": team.pk,
        "name": team.name,
        "unit": team.unit.code,
        "unitName": team.unit.name,
        "commune": commune.code if commune else None,
        "status": team.status,
        "foundedOn": team.founded_on,
        "dissolvedOn": team.dissolved_on,
        "decisionNumber": team.decision_number,
        "members": members,
        "peopleHelped": people_helped,
    }


@router.get(
    "/community/summary",
    response=CommunitySummaryOut,
    summary="Tổng hợp Tổ công nghệ số cộng đồng của một đơn vị",
)
def community_summary(request, unit: str = Query(..., max_length=50, description=UNIT_HELP)):
    """Teams, members, hamlets (or communes) with a team, and members per 100 inhabitants."""
    return services.summary(request.user, services.get_unit(request.user, unit)).as_api()


@router.get("/community/teams", response=list[TeamOut], summary="Danh sách tổ")
def community_team_list(request, filters: Query[UnitFilter]):
    root = services.get_unit(request.user, filters.unit) if filters.unit else None
    teams = services.team_list(request.user, unit=root)
    return [_team_dict(t, t.member_count, t.people_helped) for t in teams]


@router.get("/community/teams/{team_id}", response=TeamDetailOut, summary="Một tổ")
def community_team_detail(request, team_id: int):
    detail = services.team_detail(request.user, team_id)
    team = detail["team"]
    body = _team_dict(team, len(detail["members"]), detail["people_helped"])
    body.update(
        decisionDate=team.decision_date,
        decisionSigner=team.decision_signer,
        memberList=[services.member_as_dict(m, detail["show_phones"]) for m in detail["members"]],
        activities=[
            {
                "id": a.pk,
                "date": a.date,
                "kind": a.kind,
                "peopleHelped": a.people_helped,
                "note": a.note,
            }
            for a in detail["activities"]
        ],
    )
    return body

from dxboard.testing import UrlCase


def _team_a(w) -> dict:
    if "team_a" not in w.extra:
        from dxboard.community.tests.factories import make_team

        w.extra["team_a"] = make_team(w.hamlet_a, members=2, user=w.admin)
    return {"team_id": w.extra["team_a"].pk}


def _member_a(w) -> dict:
    team_id = _team_a(w)["team_id"]
    return {"team_id": team_id, "member_id": w.extra["team_a"].members.first().pk}


CASES = [
    UrlCase(
        "community:team_list",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (_team_a(w), "Ấp Một")[1],
    ),
    UrlCase(
        "community:team_create",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Ấp Một",
    ),
    UrlCase(
        "community:import",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    UrlCase("community:export", kwargs=lambda w: {"code": "99001"}, outsider="officer_b"),
    UrlCase("community:team_detail", kwargs=_team_a, outsider="officer_b"),
    UrlCase("community:team_edit", kwargs=_team_a, outsider="officer_b"),
    UrlCase("community:member_add", kwargs=_team_a, outsider="officer_b"),
    UrlCase("community:member_leave", kwargs=_member_a, outsider="officer_b"),
    UrlCase(
        "community:activity_add",
        method="post",
        kwargs=_team_a,
        outsider="officer_b",
        body=lambda w: {"date": "2025-03-01", "kind": "vneid", "people_helped": "3"},
    ),
    UrlCase(
        "api:community_summary",
        anonymous="401",
        query=lambda w: {"unit": "99001"},
        outsider="officer_b",
    ),
    UrlCase(
        "api:community_team_list",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (_team_a(w), "99001-AP1")[1],
    ),
    UrlCase("api:community_team_detail", kwargs=_team_a, anonymous="401", outsider="officer_b"),
]

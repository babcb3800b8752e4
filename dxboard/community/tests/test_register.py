"""Team register rules, permissions, summaries and the API, tested below and over HTTP."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dxboard.accounts.models import Role
from dxboard.community import services
from dxboard.community.models import Member, Team, TeamStatus
from dxboard.community.tests.factories import make_team
from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.testing import make_unit, make_user
from dxboard.units.models import UnitKind

pytestmark = pytest.mark.django_db


# --- rules ---------------------------------------------------------------------------------


def test_it_allows_only_one_active_team_per_unit(world):
    make_team(world.hamlet_a, user=world.officer_a)
    with pytest.raises(InvalidInput) as error:
        services.create_team(world.officer_a, world.hamlet_a, name="Tổ thứ hai")
    assert "đã có một tổ" in error.value.message
    assert Team.objects.filter(unit=world.hamlet_a).count() == 1


def test_a_dissolved_team_makes_room_for_a_new_one(world):
    old = make_team(world.hamlet_a, user=world.officer_a)
    services.update_team(world.officer_a, old, status=TeamStatus.DISSOLVED)
    new = services.create_team(world.officer_a, world.hamlet_a)
    assert new.status == TeamStatus.ACTIVE
    assert Team.objects.filter(unit=world.hamlet_a).count() == 2


def test_dissolving_a_team_dates_it_today_unless_told_and_reactivating_clears_it(world):
    team = make_team(world.hamlet_a, user=world.officer_a)  # founded 2023-05-01
    services.update_team(world.officer_a, team, status=TeamStatus.DISSOLVED)
    assert team.dissolved_on == timezone.localdate()
    services.update_team(
        world.officer_a, team, status=TeamStatus.DISSOLVED, dissolved_on=date(2024, 6, 30)
    )
    assert Team.objects.get(pk=team.pk).dissolved_on == date(2024, 6, 30)
    services.update_team(world.officer_a, team, status=TeamStatus.ACTIVE)
    assert Team.objects.get(pk=team.pk).dissolved_on is None


@pytest.mark.parametrize(
    ("day", "field_message"),
    [
        (date(2023, 4, 30), "trước ngày thành lập"),
        (date(2999, 1, 1), "sau hôm nay"),
    ],
)
def test_an_impossible_dissolution_date_is_refused_by_name(world, day, field_message):
    team = make_team(world.hamlet_a, user=world.officer_a)  # founded 2023-05-01
    with pytest.raises(InvalidInput) as error:
        services.update_team(world.officer_a, team, status=TeamStatus.DISSOLVED, dissolved_on=day)
    assert field_message in error.value.message
    assert [d.path for d in error.value.details] == ["dissolved_on"]
    assert Team.objects.get(pk=team.pk).status == TeamStatus.ACTIVE


def test_the_database_refuses_a_dissolved_team_without_a_date(world):
    team = make_team(world.hamlet_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.filter(pk=team.pk).update(status=TeamStatus.DISSOLVED)


def test_it_refuses_a_team_for_an_agency(world):
    with pytest.raises(InvalidInput):
        services.create_team(world.admin, world.agency)


def test_it_catches_a_member_added_twice(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    services.add_member(world.officer_a, team, full_name="Lê Văn Tám", phone="0912 345 678")
    with pytest.raises(InvalidInput) as error:
        services.add_member(world.officer_a, team, full_name="Lê Văn Tám", phone="0912.345.678")
    assert "đã có trong tổ" in error.value.message
    assert team.members.count() == 1


def test_it_rejects_a_bad_phone_number(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    with pytest.raises(InvalidInput) as error:
        services.add_member(world.officer_a, team, full_name="Lê Văn Tám", phone="12345")
    assert error.value.details[0].path == "phone"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912 345 678", "0912345678"),
        ("+84 912345678", "0912345678"),
        (912345678, "0912345678"),
        ("02963 123 456", "02963123456"),
        ("", ""),
        (None, ""),
    ],
)
def test_it_normalises_phone_numbers(raw, expected):
    assert services.normalise_phone(raw) == expected


def test_it_rejects_negative_people_helped(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    with pytest.raises(InvalidInput):
        services.add_activity(
            world.officer_a, team, date=date(2025, 1, 2), kind="vneid", people_helped=-1
        )


def test_birth_year_sets_the_age_group(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    member = services.add_member(world.officer_a, team, full_name="A", birth_year=1960)
    assert member.age_group == "over_60" or member.age_group == "46_60"


# --- permissions ---------------------------------------------------------------------------


def test_officer_b_cannot_see_or_edit_commune_as_team(world):
    team = make_team(world.hamlet_a, members=1, user=world.officer_a)
    with pytest.raises(NotFound):
        services.get_team(world.officer_b, team.pk)
    with pytest.raises(NotFound):
        services.add_member(world.officer_b, team, full_name="X")
    assert team not in services.team_list(world.officer_b)


def test_a_viewer_reads_but_cannot_write(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    assert services.get_team(world.viewer, team.pk) == team
    with pytest.raises(Forbidden):
        services.add_member(world.viewer, team, full_name="X")


def test_phones_show_only_to_users_with_a_role_on_the_unit_or_above(world, client):
    team = make_team(world.hamlet_a, user=world.officer_a)
    services.add_member(world.officer_a, team, full_name="Trần Thị Bé", phone="0987654321")
    hamlet_officer = make_user("hamlet_b_officer", unit=world.hamlet_b, role=Role.REPORTER)
    assert services.phones_visible(world.officer_a, world.hamlet_a)
    assert services.phones_visible(world.province_officer, world.hamlet_a)
    assert services.phones_visible(world.viewer, world.hamlet_a)
    assert not services.phones_visible(world.officer_b, world.hamlet_a)
    assert not services.phones_visible(hamlet_officer, world.hamlet_a)
    assert not services.phones_visible(world.citizen, world.hamlet_a)
    # A role on a hamlet below a commune team does not reveal the commune team's phones.
    commune_team = make_team(world.commune_b, user=world.admin)
    services.add_member(world.admin, commune_team, full_name="Võ Văn Ba", phone="0911111111")
    assert not services.phones_visible(hamlet_officer, world.commune_b)
    client.force_login(world.officer_a)
    assert "0987654321" in client.get(reverse("community:team_detail", args=[team.pk])).text
    client.force_login(world.officer_b)
    assert client.get(reverse("community:team_detail", args=[team.pk])).status_code == 404
    client.force_login(hamlet_officer)
    response = client.get(reverse("api:community_team_detail", args=[commune_team.pk]))
    assert response.status_code == 404
    # The open summary carries no personal data at all.
    client.force_login(world.viewer)
    summary = client.get(reverse("api:community_summary") + "?unit=99").json()
    assert "0987654321" not in str(summary)


def test_member_dict_hides_the_phone_when_asked(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    member = services.add_member(world.officer_a, team, full_name="A", phone="0912345678")
    assert services.member_as_dict(member, show_phone=False)["phone"] is None
    assert services.member_as_dict(member, show_phone=True)["phone"] == "0912345678"


# --- summaries -----------------------------------------------------------------------------


def test_summary_matches_hand_computed_totals(world):
    world.province.population = 10_000
    world.province.save()
    world.hamlet_a.population = 1_500
    world.hamlet_a.save()
    extra = make_unit("Ấp Hai", code="99001-AP2", kind=UnitKind.HAMLET, parent=world.commune_a)
    extra.population = 500
    extra.save()
    make_team(world.hamlet_a, members=3)
    make_team(world.hamlet_b, members=2)
    dissolved = make_team(extra, members=4)
    dissolved.status = TeamStatus.DISSOLVED
    dissolved.dissolved_on = date.today()
    dissolved.save()
    # province: hamlets a, b, extra = 3 coverage units; 2 active teams, 5 members;
    # population is the province's own figure, not the sum of its parts.
    assert services.summary(world.province_officer, world.province).as_api() == {
        "teams": 2,
        "members": 5,
        "unitsWithTeam": 2,
        "unitsTotal": 3,
        "membersPer100": 0.05,
    }
    # commune A has no population of its own: its hamlets' 2,000 are used.
    assert services.summary(world.officer_a, world.commune_a).as_api() == {
        "teams": 1,
        "members": 3,
        "unitsWithTeam": 1,
        "unitsTotal": 2,
        "membersPer100": 0.15,
    }


def test_a_subtree_without_hamlets_counts_communes():
    province = make_unit("Tỉnh", code="98", kind=UnitKind.PROVINCE)
    communes = [make_unit(f"Xã {n}", parent=province, population=1000) for n in range(4)]
    for commune in communes[:3]:
        make_team(commune, members=5)
    totals = services.totals_for(province)
    assert (totals.units_with_team, totals.units_total, totals.members) == (3, 4, 15)
    assert totals.members_per_100 == 0.38


def test_it_reproduces_seed_003s_56_teams_with_288_members_in_56_hamlets():
    district = make_unit("Huyện Thủ Thừa", code="80", kind=UnitKind.PROVINCE)
    communes = [make_unit(f"Xã {n}", parent=district) for n in range(7)]
    hamlets = [
        make_unit(f"Ấp {n}", kind=UnitKind.HAMLET, parent=communes[n % 7]) for n in range(56)
    ]
    teams = Team.objects.bulk_create(
        [Team(unit=h, name=f"Tổ {h.name}", status=TeamStatus.ACTIVE) for h in hamlets]
    )
    # 288 = 56 × 5 + 8: eight teams have a sixth member.
    Member.objects.bulk_create(
        [
            Member(team=t, full_name=f"Người {i}", phone=f"09000{t.pk:03d}{i:02d}")
            for n, t in enumerate(teams)
            for i in range(6 if n < 8 else 5)
        ]
    )
    totals = services.totals_for(district)
    assert (totals.teams, totals.members, totals.units_with_team, totals.units_total) == (
        56,
        288,
        56,
        56,
    )


def test_summary_of_an_invisible_unit_is_not_found(world):
    with pytest.raises(NotFound):
        services.summary(world.officer_b, world.commune_a)


def test_summary_takes_few_queries(world, django_assert_max_num_queries):
    for hamlet in (world.hamlet_a, world.hamlet_b):
        make_team(hamlet, members=3)
    with django_assert_max_num_queries(4):
        services.summary(world.admin, world.province)


def test_per_commune_totals_add_up_to_the_province(world):
    make_team(world.hamlet_a, members=3)
    make_team(world.hamlet_b, members=4)
    rows = services.per_commune(world.province)
    assert sum(r["members"] for r in rows) == 7
    assert sum(r["units_total"] for r in rows) == services.totals_for(world.province).units_total


# --- API and pages -------------------------------------------------------------------------


def test_api_summary_shape(world, client_for):
    make_team(world.hamlet_a, members=2)
    body = client_for("officer_a").get("/api/v1/community/summary?unit=99001").json()
    assert body == {
        "teams": 1,
        "members": 2,
        "unitsWithTeam": 1,
        "unitsTotal": 1,
        "membersPer100": None,
    }


def test_api_summary_of_another_commune_is_404(world, client_for):
    response = client_for("officer_b").get("/api/v1/community/summary?unit=99001")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_team_list_and_detail(world, client_for):
    team = make_team(world.hamlet_a, members=2)
    make_team(world.hamlet_b, members=1)
    client = client_for("officer_a")
    teams = client.get("/api/v1/community/teams").json()
    assert [t["id"] for t in teams] == [team.pk]
    assert teams[0]["members"] == 2 and teams[0]["commune"] == "99001"
    detail = client.get(f"/api/v1/community/teams/{team.pk}").json()
    assert len(detail["memberList"]) == 2 and detail["memberList"][0]["phone"].startswith("0")
    assert set(detail) >= {"activities", "decisionSigner", "peopleHelped"}


def test_team_list_page_and_api_do_not_grow_queries_with_teams(
    world, client_for, django_assert_max_num_queries
):
    for n in range(12):
        hamlet = make_unit(f"Ấp {n}", kind=UnitKind.HAMLET, parent=world.commune_a)
        make_team(hamlet, members=2)
    client = client_for("province_officer")
    with django_assert_max_num_queries(20):
        assert client.get(reverse("community:team_list")).status_code == 200
    with django_assert_max_num_queries(8):
        assert len(client.get("/api/v1/community/teams").json()) == 12


def test_pages_create_a_team_add_a_member_and_an_activity(world, client_for):
    client = client_for("officer_a")
    response = client.post(
        reverse("community:team_create"),
        {"unit": "99001-AP1", "name": "", "founded_on": "2024-04-01", "decision_number": "12/QĐ"},
    )
    team = Team.objects.get(unit=world.hamlet_a)
    assert response.status_code == 302 and team.name.endswith("Ấp Một")
    response = client.post(
        reverse("community:member_add", args=[team.pk]),
        {"full_name": "Phạm Thị Hoa", "role": "leader", "phone": "0912345678"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("community:member_add", args=[team.pk]),
        {"full_name": "Phạm Thị Hoa", "role": "member", "phone": "0912345678"},
    )
    assert response.status_code == 200 and "đã có trong tổ" in response.text
    response = client.post(
        reverse("community:activity_add", args=[team.pk]),
        {"date": "2025-03-01", "kind": "vneid", "people_helped": "25"},
    )
    assert response.status_code == 302
    page = client.get(reverse("community:team_detail", args=[team.pk])).text
    assert "Cài đặt, kích hoạt VNeID" in page and "Phạm Thị Hoa" in page


def test_the_list_page_shows_totals(world, client_for):
    make_team(world.hamlet_a, members=3)
    page = client_for("province_officer").get(reverse("community:team_list")).text
    assert 'data-total="members">3<' in page
    assert "coverage-chart" in page


def test_the_htmx_list_returns_the_partial(world, client_for):
    make_team(world.hamlet_a, members=3)
    response = client_for("officer_a").get(
        reverse("community:team_list") + "?q=mot", HTTP_HX_REQUEST="true"
    )
    assert "<html" not in response.text and "Ấp Một" in response.text


def test_members_list_leader_deputy_then_members_in_vietnamese_order(world, client_for):
    team = make_team(world.hamlet_a, user=world.officer_a)
    for name, role in [
        ("Huỳnh Văn Tư", "member"),
        ("Đỗ Thị Ba", "member"),
        ("Hồ Văn Hai", "member"),
        ("Trần Văn Phó", "deputy"),
        ("Võ Thị Trưởng", "leader"),
        ("Dương Văn Một", "member"),
    ]:
        services.add_member(world.officer_a, team, full_name=name, role=role)
    names = [m.full_name for m in services.team_detail(world.officer_a, team.pk)["members"]]
    # D < Đ and "Hồ" < "Huỳnh" in the Vietnamese alphabet.
    assert names == [
        "Võ Thị Trưởng",
        "Trần Văn Phó",
        "Dương Văn Một",
        "Đỗ Thị Ba",
        "Hồ Văn Hai",
        "Huỳnh Văn Tư",
    ]
    api = client_for("officer_a").get(f"/api/v1/community/teams/{team.pk}").json()
    assert [m["fullName"] for m in api["memberList"]] == names


def test_the_team_form_lists_communes_then_their_hamlets_alphabetically(world, client_for):
    make_unit("Ấp Bà Chúa", code="99001-AP0", kind=UnitKind.HAMLET, parent=world.commune_a)
    page = client_for("province_officer").get(reverse("community:team_create")).text
    codes = ("99002", "99002-KP2", "99001", "99001-AP0", "99001-AP1")  # by Unit.sort_key
    order = [page.index(f'value="{code}"') for code in codes]
    assert order == sorted(order)
    assert "Xã An Bình – Ấp Bà Chúa" in page


def test_the_edit_page_dissolves_a_team_on_a_date_and_names_a_bad_one(world, client_for):
    team = make_team(world.hamlet_a, user=world.officer_a)  # founded 2023-05-01
    client = client_for("officer_a")
    url = reverse("community:team_edit", args=[team.pk])
    form = {"name": team.name, "founded_on": "01/05/2023", "status": TeamStatus.DISSOLVED}

    response = client.post(url, {**form, "dissolved_on": "30/04/2023"})
    assert response.status_code == 200
    assert response.context["form"].errors["dissolved_on"] == [
        "Ngày giải thể không được trước ngày thành lập."
    ]

    response = client.post(url, {**form, "dissolved_on": "15/02/2025"})
    assert response.status_code == 302
    team.refresh_from_db()
    assert (team.status, team.dissolved_on) == (TeamStatus.DISSOLVED, date(2025, 2, 15))
    page = client.get(reverse("community:team_detail", args=[team.pk])).content.decode()
    assert "Đã giải thể ngày 15/02/2025" in page


def test_a_dissolved_team_takes_no_new_member_and_only_earlier_activities(world, client_for):
    team = make_team(world.hamlet_a, user=world.officer_a)
    services.update_team(
        world.officer_a, team, status=TeamStatus.DISSOLVED, dissolved_on=date(2025, 6, 30)
    )
    with pytest.raises(InvalidInput, match="đã giải thể ngày 30/06/2025"):
        services.add_member(world.officer_a, team, full_name="Người Mới", phone="0911111111")
    with pytest.raises(InvalidInput) as error:
        services.add_activity(
            world.officer_a, team, date=date(2025, 6, 30), kind="vneid", people_helped=3
        )
    assert [d.path for d in error.value.details] == ["date"]
    late_entry = services.add_activity(
        world.officer_a, team, date=date(2025, 6, 29), kind="vneid", people_helped=3
    )
    assert late_entry.pk is not None
    page = client_for("officer_a").get(reverse("community:team_detail", args=[team.pk]))
    assert reverse("community:member_add", args=[team.pk]) not in page.content.decode()


# --- members leaving -----------------------------------------------------------------------


def test_a_member_who_leaves_drops_out_of_todays_totals_but_not_the_past(world):
    team = make_team(world.hamlet_a, members=3, user=world.officer_a)
    leaver = team.members.order_by("pk").first()
    services.member_leaves(world.officer_a, leaver, date(2025, 2, 15))

    assert services.totals_for(world.province).members == 2
    assert services.totals_for(world.province, as_of=date(2024, 12, 31)).members == 3
    assert services.totals_for(world.province, as_of=date(2025, 3, 31)).members == 2
    assert [t.member_count for t in services.team_list(world.officer_a)] == [2]
    detail = services.team_detail(world.officer_a, team.pk)
    assert len(detail["members"]) == 2
    assert [m.pk for m in detail["former_members"]] == [leaver.pk]


def test_someone_who_left_may_join_again_and_is_counted_once(world):
    team = make_team(world.hamlet_a, user=world.officer_a)
    first = services.add_member(world.officer_a, team, full_name="Lê Văn Tư", phone="0912345678")
    services.member_leaves(world.officer_a, first, date(2024, 6, 30))
    again = services.add_member(
        world.officer_a, team, full_name="Lê Văn Tư", phone="0912345678", joined_on=date(2025, 1, 2)
    )
    assert again.pk != first.pk
    assert services.totals_for(world.province).members == 1
    assert services.totals_for(world.province, as_of=date(2024, 9, 30)).members == 0
    with pytest.raises(InvalidInput, match="đã có trong tổ"):
        services.add_member(world.officer_a, team, full_name="Lê Văn Tư", phone="0912345678")


@pytest.mark.parametrize(
    ("day", "text"),
    [(date(2999, 1, 1), "sau hôm nay"), (date(2024, 12, 31), "trước ngày tham gia")],
)
def test_an_impossible_leaving_date_is_refused_by_name(world, day, text):
    team = make_team(world.hamlet_a, user=world.officer_a)
    member = services.add_member(
        world.officer_a, team, full_name="Trần Thị Năm", joined_on=date(2025, 1, 1)
    )
    with pytest.raises(InvalidInput) as error:
        services.member_leaves(world.officer_a, member, day)
    assert text in error.value.message
    assert [d.path for d in error.value.details] == ["left_on"]
    assert Member.objects.get(pk=member.pk).left_on is None


def test_only_officers_of_the_unit_may_record_a_leaving(world):
    team = make_team(world.hamlet_a, members=1, user=world.officer_a)
    member = team.members.get()
    with pytest.raises((Forbidden, NotFound)):
        services.member_leaves(world.officer_b, member)
    assert Member.objects.get(pk=member.pk).left_on is None


def test_the_leave_page_records_the_date_and_lists_the_former_member(world, client_for):
    team = make_team(world.hamlet_a, members=2, user=world.officer_a)
    member = team.members.order_by("pk").first()
    client = client_for("officer_a")
    url = reverse("community:member_leave", args=[team.pk, member.pk])
    detail_url = reverse("community:team_detail", args=[team.pk])
    assert url in client.get(detail_url).content.decode()

    member.joined_on = date(2023, 5, 1)
    member.save()
    response = client.post(url, {"left_on": "01/01/2020"})
    assert response.context["form"].errors["left_on"] == [
        "Ngày thôi tham gia không được trước ngày tham gia."
    ]
    assert client.post(url, {"left_on": "15/02/2025"}).status_code == 302
    page = client.get(detail_url).content.decode()
    assert "1 người đã thôi tham gia" in page and "15/02/2025" in page
    assert client.get(url).status_code == 404  # already left

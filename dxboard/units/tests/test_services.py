import datetime as dt

import pytest

from dxboard.accounts.models import Role
from dxboard.errors import Forbidden, InvalidInput, NotFound
from dxboard.testing import make_unit, make_user
from dxboard.units import services
from dxboard.units.models import SuccessionKind, Unit, UnitGroup, UnitKind, UnitSuccession

from .factories import make_group


def _codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_province_officer_creates_a_hamlet_below_a_commune(world):
    unit = services.create_unit(
        world.province_officer,
        code="99001-AP2",
        name="Ấp Mỹ Thạnh",
        kind=UnitKind.HAMLET,
        parent="99001",
        population=1850,
    )
    assert unit.parent == world.commune_a
    assert unit.path == f"{world.commune_a.path}{unit.pk}/"
    assert unit.search_name == "ap my thanh 99001-ap2"


def test_it_rejects_a_code_with_spaces_or_diacritics(world):
    for code in ("ấp 1", "AP/1", "AP.1"):
        with pytest.raises(InvalidInput) as error:
            services.create_unit(
                world.admin, code=code, name="Ấp", kind=UnitKind.HAMLET, parent=world.commune_a
            )
        assert [d.path for d in error.value.details] == ["code"], code


def test_it_rejects_a_code_already_used_by_a_unit_in_force(world):
    with pytest.raises(InvalidInput) as error:
        services.create_unit(
            world.admin, code="99001-AP1", name="Ấp trùng", kind=UnitKind.HAMLET, parent="99001"
        )
    assert "đang hiệu lực" in error.value.details[0].message


def test_a_closed_unit_frees_its_code(world):
    old = make_unit("Ấp cũ", code="AP-CU", kind=UnitKind.HAMLET, parent=world.commune_a)
    old.valid_to = dt.date(2025, 6, 30)
    old.save()
    new = services.create_unit(
        world.admin, code="AP-CU", name="Ấp mới", kind=UnitKind.HAMLET, parent=world.commune_a
    )
    assert Unit.objects.filter(code="AP-CU").count() == 2
    assert services.get_visible_unit(world.admin, "AP-CU") == new


def test_the_database_refuses_two_units_in_force_with_one_code(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        make_unit("Trùng", code="99001", parent=world.province)


def test_an_official_unit_keeps_its_official_number(world):
    with pytest.raises(InvalidInput) as error:
        services.update_unit(world.admin, world.commune_a, code="99999")
    assert error.value.details[0].path == "code"
    unit = services.update_unit(world.admin, world.commune_a, population=12000)
    assert unit.population == 12000


def test_an_official_commune_needs_a_five_digit_code(world):
    with pytest.raises(InvalidInput):
        services.create_unit(
            world.admin,
            code="9900",
            name="Xã Sai Mã",
            kind=UnitKind.COMMUNE,
            official=True,
            parent=world.province,
        )


def test_a_reporter_cannot_create_units(world):
    with pytest.raises(Forbidden):
        services.create_unit(
            world.officer_a, code="AP9", name="Ấp 9", kind=UnitKind.HAMLET, parent="99001"
        )


def test_an_outsider_does_not_see_the_parent(world):
    admin_b = make_user("admin_b", unit=world.commune_b, role=Role.ADMIN)
    with pytest.raises(NotFound):
        services.create_unit(admin_b, code="AP9", name="Ấp 9", kind=UnitKind.HAMLET, parent="99001")
    unit = services.create_unit(
        admin_b, code="KP9", name="Khu phố 9", kind=UnitKind.HAMLET, parent="99002"
    )
    assert unit.parent == world.commune_b


def test_a_province_officer_cannot_create_a_commune(world):
    with pytest.raises(Forbidden):
        services.create_unit(
            world.province_officer,
            code="99003",
            name="Xã Mới",
            kind=UnitKind.COMMUNE,
            parent=world.province,
        )


def test_a_hamlet_must_sit_below_a_commune(world):
    with pytest.raises(InvalidInput) as error:
        services.create_unit(
            world.province_officer,
            code="AP-SAI",
            name="Ấp sai chỗ",
            kind=UnitKind.HAMLET,
            parent=world.province,
        )
    assert error.value.details[0].path == "parent"


def test_reserved_words_cannot_be_codes(world):
    with pytest.raises(InvalidInput):
        services.create_unit(
            world.admin, code="import", name="Ấp", kind=UnitKind.HAMLET, parent=world.commune_a
        )


def test_moving_a_unit_moves_its_subtree(world):
    agency = world.agency
    office = services.create_unit(
        world.admin, code="SKHCN-VP", name="Văn phòng Sở", kind=UnitKind.DEPARTMENT, parent=agency
    )
    services.update_unit(world.admin, agency, parent=world.commune_a)
    office.refresh_from_db()
    assert office.path.startswith(world.commune_a.path)
    assert office.depth == 3


def test_a_unit_cannot_move_below_itself(world):
    office = services.create_unit(
        world.admin,
        code="SKHCN-VP",
        name="Văn phòng Sở",
        kind=UnitKind.DEPARTMENT,
        parent=world.agency,
    )
    with pytest.raises(InvalidInput):
        services.update_unit(world.admin, world.agency, parent=office)


def test_a_merger_closes_the_predecessors_and_keeps_their_history(world):
    a = make_unit("Xã A cũ", code="90001-cu", parent=world.province, valid_from=dt.date(2004, 1, 1))
    b = make_unit("Xã B cũ", code="90002-cu", parent=world.province)
    c = make_unit("Xã C", code="90003", parent=world.province, official=True)
    rows = services.record_succession(
        [a, b], c, SuccessionKind.MERGE, dt.date(2025, 7, 1), "NQ 1654/NQ-UBTVQH15"
    )
    assert len(rows) == 2
    a.refresh_from_db()
    c.refresh_from_db()
    assert a.valid_to == dt.date(2025, 6, 30)
    assert c.valid_from == dt.date(2025, 7, 1)
    assert _codes(services.history_units(c)) == {"90001-cu", "90002-cu", "90003"}
    # Recording it again changes nothing.
    services.record_succession([a, b], c, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    assert UnitSuccession.objects.count() == 2


def test_history_follows_several_reorganisations(world):
    older = make_unit("Xã rất cũ", code="OLD-1", parent=world.province)
    middle = make_unit("Xã cũ", code="OLD-2", parent=world.province)
    now = make_unit("Xã nay", code="NOW-1", parent=world.province)
    services.record_succession([older], middle, SuccessionKind.RENAME, dt.date(2009, 1, 1))
    services.record_succession([middle], now, SuccessionKind.MERGE, dt.date(2025, 7, 1))
    assert _codes(services.history_units(now)) == {"OLD-1", "OLD-2", "NOW-1"}
    assert _codes(services.history_units(middle)) == {"OLD-1", "OLD-2"}


def test_a_unit_cannot_succeed_itself(world):
    with pytest.raises(InvalidInput):
        services.record_succession([world.commune_a], world.commune_a, date=dt.date(2025, 7, 1))


def test_an_officer_sees_the_hamlets_of_their_own_commune_only(world):
    hamlet = services.create_unit(
        world.province_officer, code="AP-A2", name="Ấp Hai", kind=UnitKind.HAMLET, parent="99001"
    )
    seen_by_a = _codes(Unit.objects.visible_to(world.officer_a))
    seen_by_b = _codes(Unit.objects.visible_to(world.officer_b))
    assert {"99001", "99001-AP1", hamlet.code} <= seen_by_a
    assert hamlet.code not in seen_by_b and "99001-AP1" not in seen_by_b
    assert "99" not in seen_by_a
    assert _codes(Unit.objects.visible_to(world.province_officer)) >= seen_by_a | seen_by_b


def test_the_tree_starts_at_the_users_own_units(world):
    assert _codes(services.tree_roots(world.officer_a)) == {"99001"}
    assert _codes(services.tree_roots(world.province_officer)) == {"99"}
    assert _codes(services.tree_roots(world.citizen)) == set()


def test_search_ignores_diacritics_and_case(world):
    for text in ("an binh", "AN BÌNH", "An Bình", "  an   bình "):
        assert _codes(Unit.objects.search(text)) == {"99001"}, text
    assert _codes(Unit.objects.search("dong hoa")) == {"99002"}
    assert _codes(Unit.objects.search("99001-ap1")) == {"99001-AP1"}


def test_groups_are_created_and_filled_by_managers(world):
    group = make_group(world.province_officer, world.province, [world.commune_a], code="XA-TD")
    services.add_group_members(world.province_officer, group, ["99002", world.commune_a])
    assert _codes(group.units.all()) == {"99001", "99002"}
    services.remove_group_members(world.province_officer, "XA-TD", ["99001"])
    assert _codes(group.units.all()) == {"99002"}
    services.update_group(world.province_officer, group, name="Hai xã thí điểm")
    assert UnitGroup.objects.get(code="XA-TD").name == "Hai xã thí điểm"


def test_group_codes_are_unique(world):
    make_group(world.admin, world.province, code="XA-TD")
    with pytest.raises(InvalidInput):
        make_group(world.admin, world.province, code="XA-TD")


def test_a_group_is_hidden_from_users_outside_its_owner(world):
    make_group(world.admin, world.commune_a, [world.hamlet_a], code="NHOM-A")
    assert services.visible_groups(world.officer_a).count() == 1
    assert services.visible_groups(world.officer_b).count() == 0
    with pytest.raises(NotFound):
        services.get_visible_group(world.officer_b, "NHOM-A")
    with pytest.raises(Forbidden):
        services.add_group_members(world.officer_a, "NHOM-A", ["99001"])


def test_a_manager_cannot_add_units_outside_their_scope(world):
    admin_b = make_user("admin_b", unit=world.commune_b, role=Role.ADMIN)
    group = make_group(admin_b, world.commune_b, code="NHOM-B")
    with pytest.raises(NotFound):
        services.add_group_members(admin_b, group, ["99001"])

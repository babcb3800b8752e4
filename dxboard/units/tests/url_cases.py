from dxboard.testing import UrlCase, World


def _group_of_a(world: World) -> str:
    """A unit group owned by commune A (created once per world)."""
    if "group_a" not in world.extra:
        from dxboard.units.tests.factories import make_group

        group = make_group(world.admin, world.commune_a, [world.hamlet_a], code="NHOM-A")
        world.extra["group_a"] = group.code
    return world.extra["group_a"]


def _commune_a(world: World) -> dict:
    return {"code": world.commune_a.code}


CASES = [
    UrlCase(
        "units:tree", outsider="officer_b", outsider_expects="ok", hidden=lambda w: "Xã An Bình"
    ),
    # Units are created by the province's administrators only.
    UrlCase("units:create", outsider="officer_b", outsider_expects="403"),
    UrlCase("units:import", outsider="officer_b", outsider_expects="403"),
    UrlCase(
        "units:import_template", kwargs=lambda w: {"fmt": "xlsx"}, no_outsider="an empty template"
    ),
    UrlCase("units:group_list", outsider="officer_b", outsider_expects="ok", hidden=_group_of_a),
    UrlCase("units:detail", kwargs=_commune_a, outsider="officer_b"),
    UrlCase("units:edit", kwargs=_commune_a, outsider="officer_b"),
    UrlCase("units:children", kwargs=_commune_a, outsider="officer_b"),
    UrlCase(
        "units:group_detail",
        kwargs=lambda w: {"code": _group_of_a(w)},
        outsider="officer_b",
    ),
    UrlCase(
        "api:list_units",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: '"99001"',
    ),
    UrlCase("api:get_unit", kwargs=_commune_a, anonymous="401", outsider="officer_b"),
    UrlCase(
        "api:create_unit",
        method="post",
        anonymous="401",
        outsider="officer_b",
        body=lambda w: {"code": "AP-MOI", "name": "Ấp Mới", "kind": "hamlet", "parent": "99001"},
    ),
    UrlCase(
        "api:update_unit",
        method="patch",
        kwargs=_commune_a,
        anonymous="401",
        outsider="officer_b",
        body=lambda w: {"name": "Xã Đổi Tên"},
    ),
    UrlCase(
        "api:list_unit_groups",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=_group_of_a,
    ),
]

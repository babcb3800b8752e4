from dxboard.testing import UrlCase


def _item_a(w) -> dict:
    if "item_a" not in w.extra:
        from dxboard.projects.tests.factories import make_item, make_plan

        w.extra["item_a"] = make_item(make_plan(w.province), w.commune_a)
    return {"item_id": w.extra["item_a"].pk}


CASES = [
    UrlCase(
        "projects:project_list",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (_item_a(w), w.extra["item_a"].code)[1],
    ),
    UrlCase(
        "projects:item_create",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    UrlCase(
        "projects:import", outsider="officer_b", outsider_expects="ok", hidden=lambda w: "99001"
    ),
    UrlCase("projects:export", kwargs=lambda w: {"code": "99001"}, outsider="officer_b"),
    UrlCase("projects:item_detail", kwargs=_item_a, outsider="officer_b"),
    UrlCase("projects:item_edit", kwargs=_item_a, outsider="officer_b"),
    UrlCase(
        "projects:item_update",
        method="post",
        kwargs=_item_a,
        outsider="officer_b",
        body=lambda w: {"status": "done", "progress": "100"},
    ),
    # Only DX officers and unit administrators issue plans: a commune reporter gets 404.
    UrlCase("projects:plan_create", outsider="officer_b"),
    UrlCase("projects:document_add", kwargs=_item_a, outsider="officer_b"),
    UrlCase(
        "projects:document_add",
        method="post",
        kwargs=_item_a,
        outsider="officer_b",
        body=lambda w: {"number": "12/QĐ-UBND", "title": "Quyết định phê duyệt"},
    ),
    UrlCase(
        "api:projects_summary",
        anonymous="401",
        query=lambda w: {"unit": "99001"},
        outsider="officer_b",
    ),
    UrlCase(
        "api:projects_item_list",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (_item_a(w), w.extra["item_a"].code)[1],
    ),
    UrlCase("api:projects_item_detail", kwargs=_item_a, anonymous="401", outsider="officer_b"),
]

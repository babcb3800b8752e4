"""/api/v1/units and /api/v1/unit-groups."""

import json

import pytest

from dxboard.accounts.services import create_token
from dxboard.testing import make_unit
from dxboard.units.models import Unit, UnitKind

from .factories import make_group


def _get(client, url, **params):
    response = client.get(f"/api/v1{url}", params)
    return response.status_code, response.json()


def _send(client, method, url, body):
    response = getattr(client, method)(
        f"/api/v1{url}", data=json.dumps(body), content_type="application/json"
    )
    return response.status_code, response.json()


@pytest.mark.parametrize("text", ["an binh", "AN BÌNH", "An Bình"])
def test_the_list_searches_without_diacritics(client_for, text):
    status, body = _get(client_for("province_officer"), "/units", q=text)
    assert status == 200
    assert [u["code"] for u in body["items"]] == ["99001"]
    assert body["items"][0]["parent_code"] == "99"


def test_the_list_is_scoped_to_the_caller(client_for):
    status, body = _get(client_for("officer_a"), "/units")
    assert status == 200
    assert {u["code"] for u in body["items"]} == {"99001", "99001-AP1"}
    assert body["count"] == 2


def test_the_list_filters_by_kind_and_parent_and_pages(client_for, world):
    client = client_for("province_officer")
    _status, body = _get(client, "/units", kind="hamlet")
    assert {u["code"] for u in body["items"]} == {"99001-AP1", "99002-KP2"}
    _status, body = _get(client, "/units", parent="99")
    assert [u["code"] for u in body["items"]] == ["99002", "SKHCN", "99001"]  # P < S < X
    _status, body = _get(client, "/units", limit=2, offset=1)
    assert (body["count"], len(body["items"]), body["offset"]) == (6, 2, 1)


def test_paging_is_bounded(client_for):
    status, body = _get(client_for("province_officer"), "/units", limit=100000)
    assert status == 400
    assert body["error"]["details"][0]["path"] == "limit"


def test_the_list_makes_few_queries(client_for, world, django_assert_max_num_queries):
    for n in range(40):
        make_unit(f"Ấp {n}", code=f"AP-{n}", kind=UnitKind.HAMLET, parent=world.commune_a)
    client = client_for("province_officer")
    with django_assert_max_num_queries(8):
        status, body = _get(client, "/units", limit=100)
    assert status == 200 and len(body["items"]) == 46


def test_one_unit_with_its_history(client_for, world):
    import datetime as dt

    from dxboard.units.services import record_succession

    old = make_unit("Xã cũ", code="99001-cu", parent=world.province)
    record_succession([old], world.commune_a, date=dt.date(2025, 7, 1))
    status, body = _get(client_for("officer_a"), "/units/99001")
    assert status == 200
    assert body["name"] == "Xã An Bình"
    assert body["predecessors"][0]["code"] == "99001-cu"


def test_an_outsider_gets_404_in_the_error_shape(client_for):
    status, body = _get(client_for("officer_b"), "/units/99001")
    assert status == 404
    assert body["error"]["code"] == "not_found"


def test_a_province_officer_creates_and_updates_a_hamlet(client_for, world):
    client = client_for("province_officer")
    status, body = _send(
        client,
        "post",
        "/units",
        {"code": "99001-AP5", "name": "Ấp Năm", "kind": "hamlet", "parent": "99001"},
    )
    assert status == 201, body
    assert body["parent_code"] == "99001"
    status, body = _send(client, "patch", "/units/99001-AP5", {"population": 950})
    assert status == 200 and body["population"] == 950 and body["name"] == "Ấp Năm"


def test_an_invalid_unit_answers_with_field_details(client_for):
    status, body = _send(
        client_for("province_officer"),
        "post",
        "/units",
        {"code": "ấp 5", "name": "", "kind": "hamlet", "parent": "99001"},
    )
    assert status == 400
    assert {d["path"] for d in body["error"]["details"]} == {"code", "name"}


def test_a_reporter_cannot_create_or_update(client_for):
    client = client_for("officer_a")
    status, body = _send(
        client, "post", "/units", {"code": "AP-5", "name": "Ấp", "parent": "99001"}
    )
    assert status == 403 and body["error"]["code"] == "forbidden"
    status, _body = _send(client, "patch", "/units/99001", {"name": "Đổi"})
    assert status == 403
    assert Unit.objects.get(code="99001").name == "Xã An Bình"


def test_an_official_code_cannot_be_changed_by_api(client_for):
    status, body = _send(client_for("admin"), "patch", "/units/99001", {"code": "99009"})
    assert status == 400
    assert body["error"]["details"][0]["path"] == "code"


def test_a_bearer_token_works(client, world):
    _token, key = create_token(world.province_officer, "thử")
    response = client.get("/api/v1/units?q=dong+hoa", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    assert response.json()["items"][0]["code"] == "99002"


def test_groups_are_listed_for_those_who_see_their_owner(client_for, world):
    make_group(world.admin, world.province, [world.commune_a, world.commune_b], code="XA-TD")
    status, body = _get(client_for("province_officer"), "/unit-groups")
    assert status == 200
    assert body["items"] == [
        {
            "code": "XA-TD",
            "name": "Nhóm xã thí điểm",
            "description": "",
            "owner_unit": "99",
            "member_count": 2,
        }
    ]
    _status, body = _get(client_for("officer_a"), "/unit-groups")
    assert body == {"count": 0, "items": []}


@pytest.mark.parametrize("body", [["population", 1], "population", None, 7])
def test_a_body_that_is_not_a_json_object_is_refused_not_taken_as_empty(client_for, body):
    # Regression: ninja's Schema read a list or a string as "no field sent", so a PATCH
    # answered 200 and changed nothing.
    client = client_for("province_officer")
    for method, url in (("patch", "/units/99001-AP1"), ("post", "/units")):
        status, answer = _send(client, method, url, body)
        assert status == 400, (method, answer)
        detail = answer["error"]["details"][0]
        assert detail == {
            "path": ".",
            "message": "Nội dung gửi lên phải là một đối tượng JSON {…}.",
        }


def test_validation_messages_are_in_the_interface_language(client_for):
    client = client_for("province_officer")
    status, body = _get(client, "/units", limit=100000)
    assert status == 400
    assert body["error"]["details"] == [{"path": "limit", "message": "Phải nhỏ hơn hoặc bằng 500."}]
    status, body = _send(client, "post", "/units", {"code": "AP-9", "kind": "ward"})
    assert status == 400
    messages = {d["path"]: d["message"] for d in body["error"]["details"]}
    assert messages["name"] == "Thiếu trường bắt buộc."
    assert messages["kind"].startswith("Chỉ nhận một trong các giá trị: 'nation', ")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _status, body = _get(client, "/units", limit=100000)
    assert body["error"]["details"][0]["message"] == "Must be at most 500."


def test_names_lose_control_characters_pasted_with_them(client_for):
    client = client_for("province_officer")
    body = {"code": "99001-AP7", "name": "Ấp\x0bBảy\x04 Mới", "parent": "99001"}
    status, answer = _send(client, "post", "/units", body)
    assert status == 201, answer
    assert answer["name"] == "Ấp Bảy Mới"

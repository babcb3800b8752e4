"""The API's error answers, written into its OpenAPI schema.

Every error of the API has one shape (`dxboard.api.error_response`); the handlers, not
the operations, produce it, so ninja cannot see it. This adds it to each operation with
the statuses that operation can answer, by the API's conventions:

- 400 when it takes parameters or a body (they are validated);
- 401 when it needs a token or a session;
- 403 when it writes (the caller's role does not allow it);
- 404 when it names something: a path parameter, or a unit in the
  query (a unit the caller may not see is answered as missing).
"""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema
from pydantic import ConfigDict


class ErrorDetailOut(Schema):
    model_config = ConfigDict(extra="forbid")

    path: str = Field(description="Trường hay dòng có lỗi, ví dụ dataValues[3].value")
    message: str


class ErrorBodyOut(Schema):
    model_config = ConfigDict(extra="forbid")

    code: str = Field(description="invalid, unauthorized, forbidden, not_found, conflict, …")
    message: str = Field(description="Một câu tiếng Việt (hoặc tiếng Anh).")
    details: list[ErrorDetailOut]


class ErrorOut(Schema):
    """`{"error": {"code", "message", "details": [{"path", "message"}]}}`"""

    model_config = ConfigDict(extra="forbid", title="Error")

    error: ErrorBodyOut


# Status: (code, what the answer says, an example message of the real API).
ERRORS: dict[int, tuple[str, str, str]] = {
    400: (
        "invalid",
        "Dữ liệu gửi lên không hợp lệ; details nêu từng trường, từng dòng.",
        "Dữ liệu gửi lên không hợp lệ.",
    ),
    401: (
        "unauthorized",
        "Cần đăng nhập hoặc mã truy cập API (Authorization: Bearer …).",
        "Cần đăng nhập hoặc mã truy cập API.",
    ),
    403: (
        "forbidden",
        "Không có quyền thực hiện thao tác này.",
        "Bạn không có quyền sửa đơn vị “Xã An Bình”.",
    ),
    404: (
        "not_found",
        "Không tìm thấy, hoặc người gọi không được xem.",
        "Không tìm thấy đơn vị “30316”.",
    ),
    409: (
        "conflict",
        "Xung đột với dữ liệu đã có.",
        "Đã có đơn vị đang hiệu lực mang mã “30316-AP01”.",
    ),
}


def example(status: int) -> dict[str, Any]:
    code, _description, message = ERRORS[status]
    details = [{"path": "period", "message": "Kỳ “2024Q5” không hợp lệ."}]
    return {
        "error": {"code": code, "message": message, "details": details if status == 400 else []}
    }


COMPONENT_REFERENCE = "#/components/schemas/{model}"

# Query parameters that name a unit, looked up by code (other codes in a query filter).
LOOKUP_QUERY_PARAMETERS = frozenset({"unit", "orgUnit", "parent"})


def error_statuses(method: str, operation: dict[str, Any]) -> list[int]:
    parameters = operation.get("parameters", [])
    writes = method.lower() != "get"
    statuses = []
    if parameters or "requestBody" in operation:
        statuses.append(400)
    if operation.get("security"):
        statuses.append(401)
    if writes:
        statuses.append(403)
    if any(
        p["in"] == "path" or (p["in"] == "query" and p["name"] in LOOKUP_QUERY_PARAMETERS)
        for p in parameters
    ):
        statuses.append(404)
    return statuses


def document_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error shape and each operation's error answers; keep what is declared.

    An operation declares its other error answers itself (`response={409: ErrorOut}`).
    """
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template=COMPONENT_REFERENCE)
    components.update(error_schema.pop("$defs"))
    components[ErrorOut.__name__] = error_schema
    reference = {"$ref": COMPONENT_REFERENCE.format(model=ErrorOut.__name__)}
    for operations in schema.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in error_statuses(method, operation):
                # ninja keys the responses by int; json.dumps writes them as strings.
                if status not in responses and str(status) not in responses:
                    responses[status] = {
                        "description": ERRORS[status][1],
                        "content": {"application/json": {"schema": reference}},
                    }
            for status, response in responses.items():
                media = response.get("content", {}).get("application/json", {})
                if media.get("schema") == reference and int(status) in ERRORS:
                    # The operation's own declaration has ninja's English status name.
                    response["description"] = ERRORS[int(status)][1]
                    media.setdefault("example", example(int(status)))
    return schema

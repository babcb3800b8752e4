"""The base of the API's JSON request bodies."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Schema
from pydantic import ModelWrapValidatorHandler, model_validator
from pydantic_core import PydanticCustomError


class ObjectBody(Schema):
    """A request body that must be a JSON object.

    Ninja's `Schema` reads attributes from any object (it is also the ORM's output shape),
    so a list or a string sent as a body would pass as "no field given": a PATCH would
    answer 200 and change nothing. Bodies of this kind refuse anything but an object.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _must_be_an_object(cls, data: Any, handler: ModelWrapValidatorHandler) -> Any:
        if not isinstance(data, dict | cls):
            raise PydanticCustomError(
                "json_object", str(_("Nội dung gửi lên phải là một đối tượng JSON {…}."))
            )
        return handler(data)


# Pydantic's messages are English; these are the ones the API's parameters and bodies can
# produce, in the interface's language. A placeholder names a key of pydantic's `ctx`.
_MESSAGES: dict[tuple[str, ...], str] = {
    ("missing",): gettext_noop("Thiếu trường bắt buộc."),
    ("string_type",): gettext_noop("Phải là một chuỗi ký tự."),
    ("string_too_long",): gettext_noop("Dài quá %(max_length)s ký tự."),
    ("string_too_short",): gettext_noop("Cần ít nhất %(min_length)s ký tự."),
    ("int_parsing", "int_type", "int_from_float"): gettext_noop("Phải là một số nguyên."),
    ("float_parsing", "float_type", "decimal_parsing", "decimal_type"): gettext_noop(
        "Phải là một số."
    ),
    ("greater_than_equal",): gettext_noop("Phải lớn hơn hoặc bằng %(ge)s."),
    ("greater_than",): gettext_noop("Phải lớn hơn %(gt)s."),
    ("less_than_equal",): gettext_noop("Phải nhỏ hơn hoặc bằng %(le)s."),
    ("less_than",): gettext_noop("Phải nhỏ hơn %(lt)s."),
    ("enum", "literal_error"): gettext_noop("Chỉ nhận một trong các giá trị: %(expected)s."),
    ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"): (
        gettext_noop("Phải là một ngày dạng YYYY-MM-DD.")
    ),
    ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"): gettext_noop(
        "Phải là một thời điểm ISO 8601, ví dụ 2025-07-01T08:00:00+07:00."
    ),
    ("bool_parsing", "bool_type"): gettext_noop("Phải là true hoặc false."),
    ("list_type",): gettext_noop("Phải là một danh sách."),
    ("dict_type", "model_type", "model_attributes_type"): gettext_noop(
        "Phải là một đối tượng JSON {…}."
    ),
}
_MESSAGE_BY_TYPE = {kind: message for kinds, message in _MESSAGES.items() for kind in kinds}


def validation_message(error: dict[str, Any]) -> str:
    """The message of one pydantic error, in the interface's language where we know it."""
    message = _MESSAGE_BY_TYPE.get(error.get("type", ""))
    try:
        return _(message) % error.get("ctx", {}) if message else str(error.get("msg", ""))
    except KeyError:  # a context pydantic did not give: its own words are still right
        return str(error.get("msg", ""))


# What the API's query parameters of the same name mean, said once.
PERIOD_HELP = "Mã kỳ theo DHIS2: 2025 (năm), 2025S1 (6 tháng), 2025Q3 (quý), 202507 (tháng)."
UNIT_HELP = "Mã đơn vị: tỉnh (91), xã, phường (30316), thôn, ấp hoặc cơ quan."

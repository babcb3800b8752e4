"""Reading a JSON document while collecting every error with its JSON path."""

from __future__ import annotations

import re
from decimal import Decimal

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail

CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,50}$")


class Checker:
    """Collects errors with JSON paths while reading the document."""

    def __init__(self) -> None:
        self.errors: list[ErrorDetail] = []

    def error(self, path: str, message: str) -> None:
        self.errors.append(ErrorDetail(path, message))

    def text(self, obj: dict, key: str, path: str, *, required=True, max_length=300) -> str:
        raw = obj.get(key)
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if required:
                self.error(f"{path}.{key}", _("Thiếu trường “%(field)s”.") % {"field": key})
            return ""
        if not isinstance(raw, str | int):
            self.error(f"{path}.{key}", _("Phải là chuỗi ký tự."))
            return ""
        value = str(raw).strip()
        if len(value) > max_length:
            self.error(
                f"{path}.{key}",
                _("Dài quá %(max)s ký tự.") % {"max": max_length},
            )
        return value

    def code(self, obj: dict, key: str, path: str, *, required=True) -> str:
        value = self.text(obj, key, path, required=required, max_length=50)
        if value and not CODE_RE.match(value):
            self.error(
                f"{path}.{key}",
                _("Mã “%(code)s” chỉ gồm chữ cái không dấu, chữ số, “_” và “-”.") % {"code": value},
            )
        return value

    def number(
        self, obj: dict, key: str, path: str, *, required=True, default=None
    ) -> Decimal | None:
        raw = obj.get(key)
        if raw is None:
            if required:
                self.error(f"{path}.{key}", _("Thiếu trường “%(field)s”.") % {"field": key})
            return default
        if isinstance(raw, bool) or not isinstance(raw, int | float | str):
            self.error(f"{path}.{key}", _("“%(value)s” không phải là số.") % {"value": raw})
            return default
        # A metadata document is written by a program: the machine number format only
        # ("1.234" is one point two three four, "96,4" is refused).
        from dxboard.numbers import parse_machine_number

        try:
            value = parse_machine_number(raw)
        except ValueError:
            self.error(f"{path}.{key}", _("“%(value)s” không phải là số.") % {"value": raw})
            return default
        if abs(value) >= Decimal("1e14"):
            self.error(f"{path}.{key}", _("Số quá lớn."))
            return default
        return value

    def integer(self, obj: dict, key: str, path: str, *, required=True, default=None):
        value = self.number(obj, key, path, required=required, default=None)
        if value is None:
            return default
        if value != value.to_integral_value():
            self.error(f"{path}.{key}", _("Phải là số nguyên."))
            return default
        return int(value)

    def choice(self, obj: dict, key: str, path: str, options: dict, *, default=None) -> str:
        raw = obj.get(key)
        if raw is None or raw == "":
            if default is None:
                self.error(f"{path}.{key}", _("Thiếu trường “%(field)s”.") % {"field": key})
            return default or ""
        value = options.get(str(raw).strip().lower())
        if value is None:
            self.error(
                f"{path}.{key}",
                _("Giá trị “%(value)s” không hợp lệ; dùng một trong: %(options)s.")
                % {"value": raw, "options": ", ".join(sorted(set(options)))},
            )
            return default or ""
        return value

    def items(self, document: dict, key: str) -> list[tuple[str, dict]]:
        raw = document.get(key, [])
        if not isinstance(raw, list):
            self.error(key, _("Phải là một danh sách."))
            return []
        result = []
        for i, item in enumerate(raw):
            if not isinstance(item, dict):
                self.error(f"{key}[{i}]", _("Phải là một đối tượng JSON."))
                continue
            result.append((f"{key}[{i}]", item))
        return result

    def unique(self, entries: list[tuple[str, dict]], path_key: str = "code") -> None:
        seen: dict[str, str] = {}
        for path, obj in entries:
            code = obj.get(path_key)
            if not isinstance(code, str):
                continue
            if code in seen:
                self.error(
                    f"{path}.{path_key}",
                    _("Mã “%(code)s” đã có ở %(other)s.") % {"code": code, "other": seen[code]},
                )
            else:
                seen[code] = path

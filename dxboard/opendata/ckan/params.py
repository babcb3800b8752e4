"""Reading action parameters that come as JSON (POST) or as query strings (GET)."""

from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _

from dxboard.opendata.ckan.errors import validation

TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off"}


def integer(
    params: dict[str, Any], name: str, default: int, *, low: int = 0, high: int | None = None
) -> int:
    raw = params.get(name, default)
    if raw in (None, ""):
        return default
    if isinstance(raw, bool):
        raise validation(name, _("Cần một số nguyên."))
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise validation(name, _("Cần một số nguyên.")) from None
    if value < low:
        raise validation(name, _("Cần một số nguyên không nhỏ hơn %(low)s.") % {"low": low})
    if high is not None and value > high:
        raise validation(
            name, _("Không được lớn hơn %(high)s.") % {"high": f"{high:,}".replace(",", ".")}
        )
    return value


def boolean(params: dict[str, Any], name: str, default: bool) -> bool:
    raw = params.get(name, default)
    if isinstance(raw, bool):
        return raw
    text = str(raw).strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise validation(name, _("Cần true hoặc false."))


def text(params: dict[str, Any], name: str, default: str = "", *, max_length: int = 1000) -> str:
    raw = params.get(name, default)
    if raw is None:
        return default
    if not isinstance(raw, str | int | float) or isinstance(raw, bool):
        raise validation(name, _("Cần một chuỗi."))
    value = str(raw)
    if len(value) > max_length:
        raise validation(
            name, _("Dài quá %(n)s ký tự.") % {"n": f"{max_length:,}".replace(",", ".")}
        )
    return value


def string_list(params: dict[str, Any], name: str, *, json_allowed: bool = True) -> list[str]:
    """A list given as a JSON list, a JSON-encoded list in a query string, or "a,b"."""
    raw = params.get(name)
    if raw is None or raw == "":
        return []
    if isinstance(raw, str):
        stripped = raw.strip()
        if json_allowed and stripped.startswith("["):
            try:
                raw = json.loads(stripped)
            except ValueError:
                raise validation(name, _("Danh sách JSON không hợp lệ.")) from None
        else:
            raw = [part.strip() for part in stripped.split(",") if part.strip()]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise validation(name, _("Cần một danh sách chuỗi."))
    if len(raw) > 100:
        raise validation(name, _("Nhiều nhất 100 phần tử."))
    return raw


def json_object(params: dict[str, Any], name: str) -> dict[str, Any] | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        if len(raw) > 10_000:
            raise validation(name, _("Dài quá 10.000 ký tự."))
        try:
            raw = json.loads(raw)
        except ValueError:
            raise validation(name, _("Cần một đối tượng JSON.")) from None
    if not isinstance(raw, dict):
        raise validation(name, _('Cần một đối tượng JSON, ví dụ {"unit_code": "91"}.'))
    return raw

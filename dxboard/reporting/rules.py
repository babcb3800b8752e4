"""The validation rule engine: safe arithmetic over `#{CODE}` data element codes.

An expression such as `#{CQ-03-TU} + #{CQ-03-KHAC} * 2` is parsed with Python's `ast`
module and checked against a short whitelist (numbers, the four operations, brackets,
unary minus, element names). Nothing is ever passed to `eval`; a value is computed by
walking the checked tree with `Decimal` arithmetic.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

_REF = re.compile(r"#\{([A-Za-z0-9_-]+)\}")
_ALLOWED_BINOPS = (ast.Add, ast.Sub, ast.Mult, ast.Div)
_ALLOWED_UNARY = (ast.UAdd, ast.USub)
MAX_LENGTH = 500


class ExpressionError(ValueError):
    pass


@dataclass(frozen=True)
class Expression:
    """A checked expression: its text, its tree and the element codes it reads."""

    text: str
    tree: ast.expr
    names: dict[str, str] = field(default_factory=dict)  # placeholder -> element code

    @property
    def codes(self) -> list[str]:
        return list(dict.fromkeys(self.names.values()))

    def evaluate(self, values: Mapping[str, Decimal | None]) -> Decimal | None:
        """The value, or None when an element is missing or a division by zero occurs."""
        try:
            return _eval(self.tree, self.names, values)
        except (ZeroDivisionError, InvalidOperation, _Missing):
            return None


class _Missing(Exception):
    pass


def parse_expression(text: str) -> Expression:
    """Check an expression and return it parsed; raise ExpressionError with a message."""
    source = (text or "").strip()
    if not source:
        raise ExpressionError(_("Biểu thức trống."))
    if len(source) > MAX_LENGTH:
        raise ExpressionError(_("Biểu thức quá dài."))
    names: dict[str, str] = {}

    def replace(match: re.Match) -> str:
        code = match.group(1)
        for placeholder, known in names.items():
            if known == code:
                return placeholder
        placeholder = f"v{len(names)}"
        names[placeholder] = code
        return placeholder

    python = _REF.sub(replace, source)
    if "#" in python or "{" in python or "}" in python:
        raise ExpressionError(
            _("Biểu thức “%(text)s”: viết mã phần tử số liệu dạng #{MÃ}.") % {"text": source}
        )
    try:
        tree = ast.parse(python, mode="eval")
    except SyntaxError:
        raise ExpressionError(_("Biểu thức “%(text)s” sai cú pháp.") % {"text": source}) from None
    _check(tree.body, names, source)
    return Expression(source, tree.body, names)


def _check(node: ast.AST, names: dict[str, str], source: str) -> None:
    if isinstance(node, ast.BinOp) and isinstance(node.op, _ALLOWED_BINOPS):
        _check(node.left, names, source)
        _check(node.right, names, source)
        return
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, _ALLOWED_UNARY):
        _check(node.operand, names, source)
        return
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return
    if isinstance(node, ast.Name) and node.id in names:
        return
    raise ExpressionError(
        _("Biểu thức “%(text)s” chỉ được dùng số, #{MÃ}, + - * / và dấu ngoặc.") % {"text": source}
    )


def _eval(node: ast.AST, names: dict[str, str], values: Mapping[str, Decimal | None]) -> Decimal:
    if isinstance(node, ast.BinOp):
        left = _eval(node.left, names, values)
        right = _eval(node.right, names, values)
        if isinstance(node.op, ast.Add):
            return left + right
        if isinstance(node.op, ast.Sub):
            return left - right
        if isinstance(node.op, ast.Mult):
            return left * right
        if isinstance(node.op, ast.Div):
            if right == 0:
                raise ZeroDivisionError
            return left / right
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, names, values)
        return -operand if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Constant):
        return Decimal(str(node.value))
    if isinstance(node, ast.Name):
        value = values.get(names[node.id])
        if value is None:
            raise _Missing
        return Decimal(value)
    raise ExpressionError("unsupported node")  # unreachable after _check


COMPARE = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "=": lambda a, b: a == b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
    "!=": lambda a, b: a != b,
}


def compare(left: Decimal, operator: str, right: Decimal) -> bool:
    return COMPARE[operator](left, right)

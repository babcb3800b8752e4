"""The validation rule engine: safe parsing, evaluation, built-in and form rules."""

from __future__ import annotations

import builtins
from decimal import Decimal

import pytest

from dxboard.errors import InvalidInput
from dxboard.numbers import format_vn
from dxboard.reporting.rules import ExpressionError, compare, parse_expression
from dxboard.reporting.services import workflow

from .factories import GOOD, OPEN_PERIOD, make_form, make_rule


def test_it_evaluates_arithmetic_over_element_codes():
    expression = parse_expression("(#{HS-TU} + #{CUOC}) * 2 - 10 / 4")
    assert expression.codes == ["HS-TU", "CUOC"]
    assert expression.evaluate({"HS-TU": Decimal(3), "CUOC": Decimal(1)}) == Decimal("5.5")


def test_a_missing_value_or_a_division_by_zero_gives_no_result():
    assert parse_expression("#{A} / #{B}").evaluate({"A": Decimal(1), "B": Decimal(0)}) is None
    assert parse_expression("#{A} + 1").evaluate({}) is None


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('echo pwned')",
        "#{A}.__class__",
        "open('/etc/passwd')",
        "lambda: 1",
        "#{A} ** 1000000",
        "[1, 2]",
        "'text'",
        "#{A} if 1 else 2",
        "x",
        "#{A} < 2",
        "#A",
        "",
    ],
)
def test_it_refuses_anything_but_numbers_codes_and_the_four_operations(text):
    with pytest.raises(ExpressionError):
        parse_expression(text)


def test_it_never_calls_eval(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("eval must not be used")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    value = parse_expression("#{A} * 3 + -1").evaluate({"A": Decimal(2)})
    assert value == Decimal(5)


@pytest.mark.parametrize(
    ("op", "expected"),
    [("<", False), ("<=", True), ("=", True), (">=", True), (">", False), ("!=", False)],
)
def test_operators_compare_numbers(op, expected):
    assert compare(Decimal(2), op, Decimal(2)) is expected


def test_numbers_display_the_vietnamese_way():
    assert format_vn(Decimal("1234.5")) == "1.234,5"
    assert format_vn(Decimal("-1234567")) == "-1.234.567"
    assert format_vn(Decimal("0.25")) == "0,25"


@pytest.mark.django_db
def test_a_form_rule_with_importance_error_blocks_the_submission(world):
    form = make_form(world.province)
    make_rule(form, "#{CUOC}", ">=", "4", message="Phải họp ít nhất 4 cuộc mỗi quý")
    workflow.save_draft(world.officer_a, form.code, "99001", OPEN_PERIOD, GOOD)
    with pytest.raises(InvalidInput) as error:
        workflow.submit(world.officer_a, form.code, "99001", OPEN_PERIOD)
    assert "Phải họp ít nhất 4 cuộc" in error.value.details[0].message
    assert error.value.details[0].path == "CUOC"


@pytest.mark.django_db
def test_a_form_rule_warning_needs_a_comment(world):
    form = make_form(world.province)
    make_rule(
        form,
        "#{HS-TU} / #{HS-MAU} * 100",
        ">=",
        "80",
        importance="warning",
        message="Tỷ lệ hồ sơ trực tuyến thấp",
    )
    workflow.save_draft(world.officer_a, form.code, "99001", OPEN_PERIOD, GOOD)
    with pytest.raises(InvalidInput):
        workflow.submit(world.officer_a, form.code, "99001", OPEN_PERIOD)
    workflow.save_draft(
        world.officer_a,
        form.code,
        "99001",
        OPEN_PERIOD,
        {"HS-TU": "1.234"},
        {"HS-TU": "Người dân còn quen nộp trực tiếp"},
    )
    assert workflow.submit(world.officer_a, form.code, "99001", OPEN_PERIOD).status == "submitted"


@pytest.mark.django_db
def test_a_rule_with_a_bad_expression_cannot_be_saved(world):
    from django.core.exceptions import ValidationError

    form = make_form(world.province)
    with pytest.raises(ValidationError):
        make_rule(form, "__import__('os')", "<", "1")


@pytest.mark.django_db
def test_built_in_checks_negative_and_percentage(world):
    form = make_form(world.province)
    ctx = workflow.load_entry(world.officer_a, form.code, "99001", OPEN_PERIOD)
    from dxboard.reporting.services.validation import check_values

    result = check_values(form, ctx.fields, {**GOOD, "TYLE": "120", "CUOC": "-1"})
    messages = {f.code: f.message for f in result.errors}
    assert "0 đến 100" in messages["TYLE"] and "âm" in messages["CUOC"]
    result = check_values(form, ctx.fields, {**GOOD, "HS-TU": "5.000"})
    assert result.errors[0].code == "HS-TU" and "lớn hơn" in result.errors[0].message

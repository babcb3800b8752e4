"""The scoring rules of DTI-style scorecards (DOMAIN.md §1.4), each a plain function.

    ratio_points(a, b, maximum, lower_is_better)      a/b × max (share of a/b capped at 1)
    step_points(value, steps, lower_is_better)        "4 meetings: 20, 3: 15, 2: 10, 1: 5, else 0"
    tier_points(choice, tiers, maximum)               "Chairman: max; deputy: ½ max; none: 0"
    yes_no_points(value, maximum)                     yes: max, no: 0
    best_points(value, best, maximum, lower_is_better) value / best × max among peers
    manual_points(points, maximum)                    a score within 0..max

`parse_rule(rule_type, params, maximum)` checks a criterion's parameters and returns a
`Rule`; `Rule.points(...)` applies it. Every result is Decimal, rounded to 0.01 point.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .models import RuleType

ZERO = Decimal(0)
ONE = Decimal(1)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class RuleError(ValueError):
    """A rule's parameters or a figure do not fit; the message names the field."""


def rounded(points: Decimal) -> Decimal:
    return points.quantize(CENT, rounding=ROUND_HALF_UP)


def ratio_points(
    a: Decimal | None, b: Decimal | None, maximum: Decimal, lower_is_better: bool = False
) -> Decimal:
    """a/b × max, the share capped at 1; with lower is better, (1 − a/b) × max.

    No denominator (missing or 0) gives 0: there is nothing to score.
    """
    if a is None or b is None or b <= 0:
        return ZERO
    share = min(max(a / b, ZERO), ONE)
    if lower_is_better:
        share = ONE - share
    return rounded(share * maximum)


def step_points(
    value: Decimal | None, steps: Sequence[tuple[Decimal, Decimal]], lower_is_better: bool = False
) -> Decimal:
    """The points of the first step reached; 0 when none is.

    Higher is better: a step is reached when value ≥ its threshold (the highest reached
    counts). Lower is better: when value ≤ its threshold (the lowest reached counts).
    """
    if value is None:
        return ZERO
    if lower_is_better:
        reached = [points for threshold, points in steps if value <= threshold]
    else:
        reached = [points for threshold, points in steps if value >= threshold]
    return rounded(max(reached)) if reached else ZERO


def tier_points(choice: str, tiers: Mapping[str, Decimal], maximum: Decimal) -> Decimal:
    """The tier's share of the maximum; an unknown or empty choice scores 0."""
    return rounded(tiers.get(choice, ZERO) * maximum)


def yes_no_points(value: Decimal | None, maximum: Decimal) -> Decimal:
    return maximum if value is not None and value > 0 else ZERO


def best_points(
    value: Decimal | None, best: Decimal | None, maximum: Decimal, lower_is_better: bool = False
) -> Decimal:
    """Normalised against the best unit of the peers: value / best × max.

    Higher is better with a best of 0 (nobody has any): everyone scores 0. Lower is
    better: best / value × max, and a value of 0 is the best possible (max).
    """
    if value is None or best is None or value < 0:
        return ZERO
    if lower_is_better:
        if value == 0:
            return maximum
        return rounded(min(best / value, ONE) * maximum)
    if best <= 0:
        return ZERO
    return rounded(min(value / best, ONE) * maximum)


def manual_points(points: Decimal | None, maximum: Decimal) -> Decimal:
    if points is None:
        return ZERO
    if points < 0 or points > maximum:
        raise RuleError(
            _("Điểm %(points)s ngoài khoảng 0–%(max)s.") % {"points": points, "max": maximum}
        )
    return points


# --- a criterion's rule ----------------------------------------------------------------------


@dataclass(frozen=True)
class Tier:
    code: str
    name: str
    share: Decimal


@dataclass(frozen=True)
class Rule:
    type: str
    maximum: Decimal
    lower_is_better: bool = False
    steps: tuple[tuple[Decimal, Decimal], ...] = ()
    tiers: tuple[Tier, ...] = field(default_factory=tuple)

    @property
    def needs_peers(self) -> bool:
        return self.type == RuleType.BEST

    @property
    def takes_points(self) -> bool:
        """The unit gives points, not a figure."""
        return self.type == RuleType.MANUAL

    def points(
        self,
        *,
        value: Decimal | None = None,
        numerator: Decimal | None = None,
        denominator: Decimal | None = None,
        choice: str = "",
        points: Decimal | None = None,
        best: Decimal | None = None,
    ) -> Decimal:
        if self.type == RuleType.RATIO:
            if numerator is None and denominator is None and value is not None:
                # A share given directly, in %.
                numerator, denominator = value, HUNDRED
            return ratio_points(numerator, denominator, self.maximum, self.lower_is_better)
        if self.type == RuleType.STEPS:
            return step_points(value, self.steps, self.lower_is_better)
        if self.type == RuleType.TIERS:
            return tier_points(choice, {t.code: t.share for t in self.tiers}, self.maximum)
        if self.type == RuleType.YESNO:
            return yes_no_points(value, self.maximum)
        if self.type == RuleType.BEST:
            return best_points(value, best, self.maximum, self.lower_is_better)
        return manual_points(points, self.maximum)

    def as_dict(self) -> dict[str, Any]:
        result: dict[str, Any] = {"type": self.type}
        if self.lower_is_better:
            result["lowerIsBetter"] = True
        if self.steps:
            result["steps"] = [{"min": str(t), "points": str(p)} for t, p in self.steps]
        if self.tiers:
            result["tiers"] = [
                {"code": t.code, "name": t.name, "share": str(t.share)} for t in self.tiers
            ]
        return result

    def describe(self) -> str:
        """A short Vietnamese description, for the set's page and its Excel export."""
        if self.type == RuleType.STEPS:
            sign = "≤" if self.lower_is_better else "≥"
            parts = [f"{sign} {_num(t)}: {_num(p)}" for t, p in self.steps]
            return "; ".join(parts) + "; " + _("còn lại: 0")
        if self.type == RuleType.TIERS:
            return "; ".join(f"{t.name}: {_num(t.share * self.maximum)}" for t in self.tiers)
        if self.type == RuleType.RATIO and self.lower_is_better:
            return _("(1 − a/b) × điểm tối đa")
        if self.type == RuleType.BEST and self.lower_is_better:
            return _("Giá trị thấp nhất / giá trị của đơn vị × điểm tối đa")
        if self.type == RuleType.BEST:
            return _("Giá trị của đơn vị / giá trị cao nhất × điểm tối đa")
        return str(RuleType(self.type).label)


def _num(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text.replace(".", ",")


def _decimal(value: Any, path: str) -> Decimal:
    if isinstance(value, bool):
        raise RuleError(_("%(path)s: phải là một số.") % {"path": path})
    try:
        result = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise RuleError(_("%(path)s: phải là một số.") % {"path": path}) from None
    if not result.is_finite():
        raise RuleError(_("%(path)s: phải là một số.") % {"path": path})
    return result


def parse_rule(rule_type: str, params: Mapping[str, Any], maximum: Decimal) -> Rule:
    """The rule of a criterion, or RuleError naming the parameter at fault."""
    if rule_type not in RuleType.values:
        raise RuleError(
            _("Cách tính “%(type)s” không có; chỉ nhận: %(types)s.")
            % {"type": rule_type, "types": ", ".join(RuleType.values)}
        )
    lower = params.get("lowerIsBetter", False)
    if not isinstance(lower, bool):
        raise RuleError(_("lowerIsBetter: phải là true hoặc false."))
    steps: list[tuple[Decimal, Decimal]] = []
    tiers: list[Tier] = []
    if rule_type == RuleType.STEPS:
        raw_steps = params.get("steps")
        if not isinstance(raw_steps, list) or not raw_steps:
            raise RuleError(_("steps: cần ít nhất một ngưỡng {min, points}."))
        for index, step in enumerate(raw_steps):
            if not isinstance(step, Mapping) or "min" not in step or "points" not in step:
                raise RuleError(_("steps[%(i)s]: cần {min, points}.") % {"i": index})
            threshold = _decimal(step["min"], f"steps[{index}].min")
            points = _decimal(step["points"], f"steps[{index}].points")
            if points < 0 or points > maximum:
                raise RuleError(
                    _("steps[%(i)s].points: %(p)s ngoài khoảng 0–%(max)s.")
                    % {"i": index, "p": _num(points), "max": _num(maximum)}
                )
            steps.append((threshold, points))
    if rule_type == RuleType.TIERS:
        raw_tiers = params.get("tiers")
        if not isinstance(raw_tiers, list) or not raw_tiers:
            raise RuleError(_("tiers: cần ít nhất một mức {code, name, share}."))
        seen: set[str] = set()
        for index, tier in enumerate(raw_tiers):
            if not isinstance(tier, Mapping) or not str(tier.get("code", "")).strip():
                raise RuleError(_("tiers[%(i)s]: cần {code, name, share}.") % {"i": index})
            code = str(tier["code"]).strip()
            if code in seen:
                raise RuleError(_("tiers[%(i)s].code: “%(c)s” bị trùng.") % {"i": index, "c": code})
            seen.add(code)
            share = _decimal(tier.get("share"), f"tiers[{index}].share")
            if share < 0 or share > 1:
                raise RuleError(_("tiers[%(i)s].share: phải từ 0 đến 1.") % {"i": index})
            tiers.append(Tier(code, str(tier.get("name") or code), share))
    return Rule(rule_type, maximum, lower, tuple(steps), tuple(tiers))


def parse_figure(value: Any, path: str) -> Decimal | None:
    """A figure typed by a user ("12,5", 12.5, "") as Decimal; "" and None are None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _decimal(value, path)

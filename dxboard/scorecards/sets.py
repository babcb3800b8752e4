"""Scorecard sets: check a set's definition, save it all or nothing, read it back.

    import_scorecard(user, document, *, dry_run=False, where=json_path) -> Scorecard
    scorecard_document(scorecard) -> dict          # the same shape, for export and the API
    check_maxima(document, where) -> list[ErrorDetail]

The document is the API's shape (`{"code", "name", "year", "unitKind", "maxPoints",
"groups": [{"code", "name", "maxPoints", "pillar", "ranked", "criteria": [...]}]}`).
The Excel import turns the provinces' layout into this document first, with a `where`
that names the sheet's line and STT instead of the JSON path. `user=None` is the system
(the `import-scorecard` command).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import Conflict, ErrorDetail, Forbidden, InvalidInput, NotFound
from dxboard.indicators.models import DataElement, Indicator, Pillar, Programme
from dxboard.text import one_line
from dxboard.units.models import CODE_VALIDATOR, Unit, UnitKind

from .models import (
    ASSESSED_KINDS,
    Criterion,
    Group,
    Participant,
    RankTier,
    RuleType,
    Scorecard,
)
from .rules import RuleError, parse_rule

# where(group index, criterion index or None, field) -> the path that names it.
Where = Callable[[int | None, int | None, str], str]
MAX_GROUPS = 30
MAX_CRITERIA = 200


def json_path(group: int | None, criterion: int | None, field: str) -> str:
    path = ""
    if group is not None:
        path = f"groups[{group}]"
        if criterion is not None:
            path += f".criteria[{criterion}]"
    return f"{path}.{field}" if path else field


def _num(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


class _Checker:
    """Collects every problem of a document before anything is written."""

    def __init__(self, where: Where) -> None:
        self.where = where
        self.errors: list[ErrorDetail] = []

    def add(self, group: int | None, criterion: int | None, field: str, message: str) -> None:
        self.errors.append(ErrorDetail(self.where(group, criterion, field), message))

    def text(
        self,
        data: Mapping[str, Any],
        key: str,
        at: tuple[int | None, int | None],
        *,
        required: bool = True,
        max_length: int = 300,
    ) -> str:
        raw = data.get(key)
        if raw is None or raw == "":
            if required:
                self.add(*at, key, _("Thiếu trường bắt buộc."))
            return ""
        if not isinstance(raw, str | int):
            self.add(*at, key, _("Phải là một chuỗi ký tự."))
            return ""
        text = one_line(str(raw)) if max_length <= 500 else str(raw).strip()
        if len(text) > max_length:
            self.add(*at, key, _("Dài quá %(max)s ký tự.") % {"max": max_length})
        return text

    def code(self, data: Mapping[str, Any], key: str, at: tuple[int | None, int | None]) -> str:
        code = self.text(data, key, at, max_length=50)
        if code:
            try:
                CODE_VALIDATOR(code)
            except Exception:
                self.add(*at, key, str(CODE_VALIDATOR.message))
        return code

    def points(
        self, data: Mapping[str, Any], key: str, at: tuple[int | None, int | None], label: str
    ) -> Decimal | None:
        raw = data.get(key)
        if raw is None or raw == "":
            self.add(*at, key, _("%(label)s: thiếu điểm tối đa.") % {"label": label})
            return None
        if isinstance(raw, bool):
            raw = "x"
        try:
            value = Decimal(str(raw).strip().replace(",", "."))
        except ArithmeticError:
            value = None
        if value is None or not value.is_finite():
            self.add(
                *at,
                key,
                _("%(label)s: điểm tối đa “%(v)s” không phải số.") % {"label": label, "v": raw},
            )
            return None
        if value < 0 or value > 100000:
            self.add(
                *at, key, _("%(label)s: điểm tối đa phải từ 0 đến 100.000.") % {"label": label}
            )
            return None
        if value != value.quantize(Decimal("0.01")):
            self.add(
                *at,
                key,
                _("%(label)s: điểm tối đa có nhiều nhất 2 chữ số thập phân.") % {"label": label},
            )
            return None
        return value

    def flag(self, data: Mapping[str, Any], key: str, at: tuple[int | None, int | None]) -> bool:
        raw = data.get(key, True)
        if not isinstance(raw, bool):
            self.add(*at, key, _("Phải là true hoặc false."))
            return True
        return raw


def _label(kind: str, stt: str, code: str) -> str:
    return _("%(kind)s %(stt)s") % {"kind": kind, "stt": stt or code}


def _parse(
    user: Any, document: Mapping[str, Any], where: Where
) -> tuple[dict[str, Any], list[ErrorDetail]]:
    """The checked document as model fields, and the errors found."""
    check = _Checker(where)
    top = (None, None)
    code = check.code(document, "code", top)
    name = check.text(document, "name", top)
    year = document.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        check.add(None, None, "year", _("Năm phải là số nguyên từ 2000 đến 2100."))
        year = None
    unit_kind = document.get("unitKind")
    kinds = [k.value for k in ASSESSED_KINDS]
    if unit_kind not in kinds:
        check.add(None, None, "unitKind", _("Chỉ nhận một trong: %(k)s.") % {"k": ", ".join(kinds)})
    total = check.points(document, "maxPoints", top, _("Bộ chỉ số"))
    # Without dates the campaign opens today for 30 days.
    today = timezone.localdate()
    opens_on = _date(check, document, "opensOn", today)
    closes_on = _date(check, document, "closesOn", today + timedelta(days=30))
    if opens_on and closes_on and closes_on < opens_on:
        check.add(None, None, "closesOn", _("Hạn nộp không được trước ngày mở."))
    owner = _owner(user, document, check)
    programme = None
    if document.get("programme"):
        programme = Programme.objects.filter(code=str(document["programme"])).first()
        if programme is None:
            check.add(
                None,
                None,
                "programme",
                _("Không có chương trình “%(c)s”.") % {"c": document["programme"]},
            )
    programme_indicators = (
        set(programme.indicators.values_list("code", flat=True)) if programme else set()
    )
    tiers = []
    raw_tiers = document.get("tiers") or []
    if not isinstance(raw_tiers, list):
        check.add(None, None, "tiers", _("Phải là một danh sách."))
        raw_tiers = []
    for index, tier in enumerate(raw_tiers):
        if not isinstance(tier, Mapping):
            check.add(None, None, f"tiers[{index}]", _("Phải là một đối tượng JSON {…}."))
            continue
        tier_name = one_line(str(tier.get("name", "")))
        try:
            threshold = Decimal(str(tier.get("minIndex")))
            if not (threshold.is_finite() and 0 <= threshold <= 1):
                raise ValueError(threshold)
        except (ArithmeticError, ValueError):
            check.add(None, None, f"tiers[{index}].minIndex", _("Ngưỡng nhóm phải từ 0 đến 1."))
            continue
        if not tier_name:
            check.add(None, None, f"tiers[{index}].name", _("Thiếu trường bắt buộc."))
            continue
        tiers.append({"name": tier_name, "min_index": threshold})

    groups_raw = document.get("groups")
    if not isinstance(groups_raw, list) or not groups_raw:
        check.add(None, None, "groups", _("Bộ chỉ số cần ít nhất một nhóm chỉ số."))
        groups_raw = []
    if len(groups_raw) > MAX_GROUPS:
        check.add(None, None, "groups", _("Tối đa %(n)s nhóm chỉ số.") % {"n": MAX_GROUPS})
        groups_raw = []
    element_codes: set[str] = set()
    indicator_codes: set[str] = set()
    groups: list[dict[str, Any]] = []
    seen_groups: set[str] = set()
    seen_criteria: set[str] = set()
    seen_stt: set[str] = set()
    count = 0
    for gi, graw in enumerate(groups_raw):
        at = (gi, None)
        if not isinstance(graw, Mapping):
            check.add(gi, None, "", _("Phải là một đối tượng JSON {…}."))
            continue
        gcode = check.code(graw, "code", at)
        gstt = one_line(str(graw.get("stt") or gi + 1))
        glabel = _label(_("Nhóm"), gstt, gcode)
        if gcode and gcode in seen_groups:
            check.add(
                gi, None, "code", _("%(l)s: mã “%(c)s” bị trùng.") % {"l": glabel, "c": gcode}
            )
        seen_groups.add(gcode)
        if gstt in seen_stt:
            check.add(gi, None, "stt", _("STT “%(s)s” bị trùng.") % {"s": gstt})
        seen_stt.add(gstt)
        pillar = graw.get("pillar") or ""
        if pillar and pillar not in Pillar.values:
            check.add(
                gi,
                None,
                "pillar",
                _("%(l)s: trụ cột “%(p)s” không có; chỉ nhận: %(v)s.")
                % {"l": glabel, "p": pillar, "v": ", ".join(Pillar.values)},
            )
            pillar = ""
        group_criteria: list[dict[str, Any]] = []
        group: dict[str, Any] = {
            "code": gcode,
            "stt": gstt,
            "name": check.text(graw, "name", at),
            "max_points": check.points(graw, "maxPoints", at, glabel),
            "pillar": pillar,
            "ranked": check.flag(graw, "ranked", at),
            "order": gi,
            "criteria": group_criteria,
        }
        criteria_raw = graw.get("criteria")
        if not isinstance(criteria_raw, list):
            check.add(
                gi, None, "criteria", _("%(l)s: cần danh sách chỉ số thành phần.") % {"l": glabel}
            )
            criteria_raw = []
        for ci, craw in enumerate(criteria_raw):
            count += 1
            cat = (gi, ci)
            if not isinstance(craw, Mapping):
                check.add(gi, ci, "", _("Phải là một đối tượng JSON {…}."))
                continue
            ccode = check.code(craw, "code", cat)
            cstt = one_line(str(craw.get("stt") or f"{gstt}.{ci + 1}"))
            clabel = _label(_("Chỉ số"), cstt, ccode)
            if ccode and ccode in seen_criteria:
                check.add(
                    gi, ci, "code", _("%(l)s: mã “%(c)s” bị trùng.") % {"l": clabel, "c": ccode}
                )
            seen_criteria.add(ccode)
            if cstt in seen_stt:
                check.add(gi, ci, "stt", _("STT “%(s)s” bị trùng.") % {"s": cstt})
            seen_stt.add(cstt)
            maximum = check.points(craw, "maxPoints", cat, clabel)
            rule_raw = craw.get("rule") or {"type": RuleType.MANUAL}
            rule_type = rule_raw.get("type", "") if isinstance(rule_raw, Mapping) else ""
            params: dict[str, Any] = {}
            described = ""
            if not isinstance(rule_raw, Mapping):
                check.add(
                    gi,
                    ci,
                    "rule",
                    _("%(l)s: cách tính phải là một đối tượng JSON {…}.") % {"l": clabel},
                )
            elif maximum is not None:
                try:
                    rule = parse_rule(str(rule_type), rule_raw, maximum)
                    params = {k: v for k, v in rule.as_dict().items() if k != "type"}
                    described = rule.describe()
                except RuleError as error:
                    check.add(gi, ci, "rule", f"{clabel}: {error}")
            binding: dict[str, str] = {}
            for key in ("indicator", "numerator", "denominator"):
                if craw.get(key):
                    binding[key] = str(craw[key])
            if "indicator" in binding:
                indicator_codes.add(binding["indicator"])
                if programme is None:
                    check.add(
                        gi,
                        ci,
                        "indicator",
                        _("%(l)s: chỉ số gắn với chỉ tiêu cần trường “programme” của bộ chỉ số.")
                        % {"l": clabel},
                    )
                elif binding["indicator"] not in programme_indicators:
                    check.add(
                        gi,
                        ci,
                        "indicator",
                        _("%(l)s: chỉ tiêu “%(c)s” không thuộc chương trình %(p)s.")
                        % {"l": clabel, "c": binding["indicator"], "p": programme.code},
                    )
                if "numerator" in binding:
                    check.add(
                        gi,
                        ci,
                        "numerator",
                        _("%(l)s: chỉ gắn với một chỉ tiêu hoặc với phần tử số liệu.")
                        % {"l": clabel},
                    )
            if "denominator" in binding and "numerator" not in binding:
                check.add(gi, ci, "numerator", _("%(l)s: có mẫu số thì cần tử số.") % {"l": clabel})
            if binding and rule_type == RuleType.MANUAL:
                check.add(
                    gi,
                    ci,
                    "rule",
                    _(
                        "%(l)s: chỉ số tự động cần một cách tính từ số liệu, không phải chấm trực tiếp."
                    )
                    % {"l": clabel},
                )
            element_codes.update(binding.get(k, "") for k in ("numerator", "denominator"))
            group_criteria.append(
                {
                    "code": ccode,
                    "stt": cstt,
                    "name": check.text(craw, "name", cat, max_length=500),
                    "max_points": maximum,
                    "rule_type": rule_type,
                    "rule": params,
                    # An exported sheet shows the rule's own wording where no method was
                    # written; it is not kept as the method when the sheet comes back.
                    "method": _method(
                        check.text(craw, "method", cat, required=False, max_length=5000), described
                    ),
                    "evidence": check.text(craw, "evidence", cat, required=False, max_length=5000),
                    "source": check.text(craw, "source", cat, required=False),
                    "verifier": check.text(craw, "verifier", cat, required=False),
                    "ranked": check.flag(craw, "ranked", cat),
                    "order": ci,
                    "binding": binding,
                    "at": cat,
                }
            )
        groups.append(group)
    if count > MAX_CRITERIA:
        check.add(None, None, "groups", _("Tối đa %(n)s chỉ số thành phần.") % {"n": MAX_CRITERIA})
    element_codes.discard("")
    elements = {e.code: e for e in DataElement.objects.filter(code__in=element_codes)}
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
    for group in groups:
        for criterion in group["criteria"]:
            for key, code_ in criterion["binding"].items():
                known = indicators if key == "indicator" else elements
                if code_ not in known:
                    gi_, ci_ = criterion["at"]
                    check.add(gi_, ci_, key, _("Không có mã “%(c)s”.") % {"c": code_})
    check.errors.extend(check_maxima(total, groups, where))
    if code and Scorecard.objects.filter(code=code).exists():
        check.add(None, None, "code", _("Đã có bộ chỉ số mã “%(c)s”.") % {"c": code})
    fields = {
        "code": code,
        "name": name,
        "year": year,
        "unit_kind": unit_kind,
        "max_points": total,
        "opens_on": opens_on,
        "closes_on": closes_on,
        "owner_unit": owner,
        "programme": programme,
        "legal_reference": one_line(str(document.get("legalReference") or ""))[:300],
        "groups": groups,
        "tiers": tiers,
        "elements": elements,
        "indicators": indicators,
    }
    return fields, check.errors


def _method(text: str, described: str) -> str:
    return "" if described and text == described else text


def check_maxima(
    total: Decimal | None, groups: Sequence[Mapping[str, Any]], where: Where = json_path
) -> list[ErrorDetail]:
    """Every group's criteria must add up to the group's maximum, the groups to the set's.

    Published sets contain exactly this error, so the message gives both numbers.
    """
    errors: list[ErrorDetail] = []
    group_sum = Decimal(0)
    complete = True
    for gi, group in enumerate(groups):
        if group["max_points"] is None:
            complete = False
            continue
        group_sum += group["max_points"]
        maxima = [c["max_points"] for c in group["criteria"]]
        if any(m is None for m in maxima) or not maxima:
            continue
        criteria_sum = sum(maxima, Decimal(0))
        if criteria_sum != group["max_points"]:
            errors.append(
                ErrorDetail(
                    where(gi, None, "maxPoints"),
                    _(
                        "Nhóm %(stt)s “%(name)s”: các chỉ số thành phần cộng lại %(sum)s điểm, "
                        "khác điểm tối đa của nhóm %(max)s."
                    )
                    % {
                        "stt": group["stt"],
                        "name": group["name"],
                        "sum": _num(criteria_sum),
                        "max": _num(group["max_points"]),
                    },
                )
            )
    if complete and total is not None and groups and group_sum != total:
        errors.append(
            ErrorDetail(
                where(None, None, "maxPoints"),
                _("Các nhóm chỉ số cộng lại %(sum)s điểm, khác tổng điểm của bộ chỉ số %(max)s.")
                % {"sum": _num(group_sum), "max": _num(total)},
            )
        )
    return errors


def _date(
    check: _Checker, document: Mapping[str, Any], key: str, default: date | None
) -> date | None:
    raw = document.get(key)
    if raw in (None, ""):
        return default
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw))
    except ValueError:
        check.add(None, None, key, _("Phải là một ngày dạng YYYY-MM-DD."))
        return None


def _owner(user: Any, document: Mapping[str, Any], check: _Checker) -> Unit | None:
    """The issuing unit: `ownerUnit`, or the user's highest unit where they manage sets."""
    code = document.get("ownerUnit")
    if code:
        unit = Unit.objects.in_force().filter(code=str(code)).first()
        if unit is None or (user is not None and not unit.is_visible_to(user)):
            check.add(None, None, "ownerUnit", _("Không tìm thấy đơn vị “%(c)s”.") % {"c": code})
            return None
        return unit
    if user is None:
        unit = (
            Unit.objects.in_force().filter(kind=UnitKind.PROVINCE).order_by("depth", "pk").first()
        )
    else:
        unit = (
            permissions.units_for(user, "scorecards.manage")
            .in_force()
            .order_by("depth", "pk")
            .first()
        )
    if unit is None and user is not None:
        raise Forbidden(_("Chỉ chuyên viên Sở được ban hành bộ chỉ số."))
    if unit is None:
        check.add(None, None, "ownerUnit", _("Cần mã đơn vị ban hành (ownerUnit)."))
    return unit


def import_scorecard(
    user: Any, document: Mapping[str, Any], *, dry_run: bool = False, where: Where = json_path
) -> Scorecard:
    """Check the whole set, then save it with its campaign's participants, or nothing.

    Participants are the units in force of the set's kind under the issuing unit.
    """
    if not isinstance(document, Mapping):
        raise InvalidInput(_("Nội dung gửi lên phải là một đối tượng JSON {…}."))
    fields, errors = _parse(user, document, where)
    owner = fields["owner_unit"]
    if owner is not None and user is not None:
        permissions.require(user, "scorecards.manage", owner)
    if errors:
        raise InvalidInput(
            _("Bộ chỉ số có %(n)s lỗi; chưa có gì được lưu.") % {"n": len(errors)}, errors
        )
    groups = fields.pop("groups")
    tiers = fields.pop("tiers")
    elements = fields.pop("elements")
    indicators = fields.pop("indicators")
    scorecard = Scorecard(**fields)
    if dry_run:
        return scorecard
    try:
        with transaction.atomic():
            scorecard.save()
            for group_fields in groups:
                criteria = group_fields.pop("criteria")
                group = Group.objects.create(scorecard=scorecard, **group_fields)
                Criterion.objects.bulk_create(
                    [_criterion(group, c, elements, indicators) for c in criteria]
                )
            RankTier.objects.bulk_create([RankTier(scorecard=scorecard, **t) for t in tiers])
            units = Unit.objects.in_force().filter(
                path__startswith=owner.path, kind=scorecard.unit_kind
            )
            Participant.objects.bulk_create(
                [Participant(scorecard=scorecard, unit=u) for u in units]
            )
    except IntegrityError as error:
        raise Conflict(_("Đã có bộ chỉ số mã “%(c)s”.") % {"c": scorecard.code}) from error
    return scorecard


def _criterion(
    group: Group,
    fields: dict[str, Any],
    elements: Mapping[str, DataElement],
    indicators: Mapping[str, Indicator],
) -> Criterion:
    binding = fields.pop("binding")
    fields.pop("at")
    return Criterion(
        group=group,
        indicator=indicators.get(binding.get("indicator", "")),
        numerator=elements.get(binding.get("numerator", "")),
        denominator=elements.get(binding.get("denominator", "")),
        **fields,
    )


# --- reading -----------------------------------------------------------------------------


def scorecard_tree(scorecard: Scorecard) -> list[Group]:
    """The groups with their criteria (and bindings) prefetched: two queries."""
    from django.db.models import Prefetch

    criteria = Criterion.objects.select_related("indicator", "numerator", "denominator")
    return list(
        scorecard.groups.prefetch_related(Prefetch("criteria", queryset=criteria)).order_by(
            "order", "pk"
        )
    )


def scorecard_document(scorecard: Scorecard, groups: list[Group] | None = None) -> dict[str, Any]:
    """The set in the import shape: exporting then importing gives the same set."""
    groups = scorecard_tree(scorecard) if groups is None else groups
    return {
        "code": scorecard.code,
        "name": scorecard.name,
        "year": scorecard.year,
        "unitKind": scorecard.unit_kind,
        "maxPoints": float(scorecard.max_points),
        "ownerUnit": scorecard.owner_unit.code,
        "programme": scorecard.programme.code if scorecard.programme else None,
        "legalReference": scorecard.legal_reference,
        "opensOn": scorecard.opens_on.isoformat(),
        "closesOn": scorecard.closes_on.isoformat(),
        "status": scorecard.status,
        "tiers": [{"name": t.name, "minIndex": float(t.min_index)} for t in scorecard.tiers.all()],
        "groups": [
            {
                "code": g.code,
                "stt": g.stt,
                "name": g.name,
                "maxPoints": float(g.max_points),
                "pillar": g.pillar or None,
                "ranked": g.ranked,
                "criteria": [
                    {
                        "code": c.code,
                        "stt": c.stt,
                        "name": c.name,
                        "maxPoints": float(c.max_points),
                        "rule": {"type": c.rule_type, **c.rule},
                        "method": c.method,
                        "evidence": c.evidence,
                        "source": c.source,
                        "verifier": c.verifier,
                        "ranked": c.ranked,
                        "indicator": c.indicator.code if c.indicator else None,
                        "numerator": c.numerator.code if c.numerator else None,
                        "denominator": c.denominator.code if c.denominator else None,
                    }
                    for c in g.criteria.all()
                ],
            }
            for g in groups
        ],
    }


def get_scorecard(user: Any, code: str) -> Scorecard:
    """The set if the user may see it: published sets are read by any signed-in user
    (an integrator's token too); others by the units in line with the issuing unit."""
    scorecard = (
        Scorecard.objects.select_related("owner_unit", "programme").filter(code=code).first()
    )
    if scorecard is None or not can_see_scorecard(user, scorecard):
        raise NotFound(_("Không tìm thấy bộ chỉ số “%(c)s”.") % {"c": code})
    return scorecard


def can_see_scorecard(user: Any, scorecard: Scorecard) -> bool:
    if user is None:
        return True
    if not getattr(user, "is_authenticated", False):
        return False
    if scorecard.is_published or user.is_superuser:
        return True
    from dxboard.units.models import in_line_with_memberships

    return (
        Scorecard.objects.filter(pk=scorecard.pk)
        .filter(in_line_with_memberships(user, "owner_unit"))
        .exists()
    )


def visible_scorecards(user: Any) -> list[Scorecard]:
    from django.db.models import Q

    from dxboard.units.models import in_line_with_memberships

    queryset = Scorecard.objects.select_related("owner_unit")
    if not user.is_superuser:
        queryset = queryset.filter(
            Q(status="published") | in_line_with_memberships(user, "owner_unit")
        )
    return list(queryset.order_by("-year", "unit_kind", "code"))

"""Demo: the province's DTI scorecards for its departments and communes, 2024 and 2025.

`load_demo(province, stdout=...)` runs after every other app's demo data in `dxboard demo`:

1. two sets per year, modelled on Hà Nội's October 2025 decision (DOMAIN.md §1.5):
   departments, 34 criteria in 9 groups, 1,000 points ("hoạt động kinh tế số" is scored
   for the economic departments only, so it is not ranked); communes, 47 criteria in 8
   groups (5/3/5/6/4/10/6/8), 1,000 points. Some criteria are automatic, bound to the
   indicators of the demo programme CTR-553-2021 (fibre broadband, online dossiers, late
   dossiers, digitised dossiers, smartphones, digital skills; for departments, systems
   with a security level and work files processed online);
2. the campaigns go through the real cycle, through the services: each unit self-scores
   (a seeded "skill" makes the scores plausible and uneven), heads submit, the
   province's officer reviews and adjusts a few scores with a reason, the council
   confirms, the results are published. 2025's commune campaign stays in review, with
   three communes that never submitted ("không nộp");
3. Công an tỉnh is assessed but not ranked (it follows its ministry's own index), and
   Sở Tư pháp and Sở Dân tộc và Tôn giáo score the same and share a rank.

Everything is seeded; running twice changes nothing (a set already there is skipped).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from dxboard.accounts.models import User
from dxboard.indicators.models import Programme
from dxboard.units.models import Unit, UnitKind

from . import services
from .models import Participant, Scorecard

PROGRAMME = "CTR-553-2021"
LEGAL = "Quyết định số %s/QĐ-UBND ngày %s của UBND tỉnh An Giang"
EXCLUDED = ("AG-CAT", "Công an tỉnh đánh giá theo Bộ chỉ số của Bộ Công an")
TIED = ("AG-STP", "AG-SDTTG")  # the second is brought level with the first in review
NOT_SUBMITTED_2025 = 3

# (code, name, max, pillar, ranked, [(name, max, rule, binding)])
Criterion = tuple[str, int, dict[str, Any], str]
Group = tuple[str, str, int, str, bool, list[Criterion]]


def _steps(*pairs: tuple[float, float], lower: bool = False) -> dict[str, Any]:
    rule: dict[str, Any] = {"type": "steps", "steps": [{"min": a, "points": b} for a, b in pairs]}
    if lower:
        rule["lowerIsBetter"] = True
    return rule


def _tiers(*tiers: tuple[str, str, float]) -> dict[str, Any]:
    return {"type": "tiers", "tiers": [{"code": c, "name": n, "share": s} for c, n, s in tiers]}


RATIO: dict[str, Any] = {"type": "ratio"}
RATIO_DOWN: dict[str, Any] = {"type": "ratio", "lowerIsBetter": True}
YESNO: dict[str, Any] = {"type": "yesno"}
BEST: dict[str, Any] = {"type": "best"}
MANUAL: dict[str, Any] = {"type": "manual"}
HEAD = _tiers(
    ("thu_truong", "Người đứng đầu trực tiếp chỉ đạo", 1),
    ("cap_pho", "Cấp phó", 0.5),
    ("khong", "Chưa phân công", 0),
)
BUDGET = _tiers(
    ("du", "Bố trí đủ theo kế hoạch", 1),
    ("mot_phan", "Bố trí một phần", 0.5),
    ("khong", "Chưa bố trí", 0),
)

DEPARTMENT_GROUPS: list[Group] = [
    (
        "NT",
        "Nhận thức số",
        80,
        "nhan_thuc",
        True,
        [
            (
                "Tổ công tác chuyển đổi số của cơ quan họp trong năm (số cuộc)",
                30,
                _steps((4, 30), (3, 20), (2, 10), (1, 5)),
                "",
            ),
            ("Người đứng đầu trực tiếp chỉ đạo chuyển đổi số", 25, HEAD, ""),
            (
                "Tin, bài tuyên truyền về chuyển đổi số trên cổng thông tin của cơ quan",
                25,
                BEST,
                "",
            ),
        ],
    ),
    (
        "TC",
        "Thể chế số",
        80,
        "the_che",
        True,
        [
            ("Ban hành kế hoạch chuyển đổi số năm của cơ quan", 20, YESNO, ""),
            ("Ban hành quy chế quản lý, vận hành các hệ thống thông tin", 20, YESNO, ""),
            ("Tỷ lệ nhiệm vụ chuyển đổi số được giao đã hoàn thành", 20, RATIO, ""),
            ("Bố trí kinh phí cho chuyển đổi số", 20, BUDGET, ""),
        ],
    ),
    (
        "HT",
        "Hạ tầng số",
        80,
        "ha_tang",
        True,
        [
            (
                "Tỷ lệ máy tính của cán bộ, công chức kết nối mạng truyền số liệu chuyên dùng",
                40,
                RATIO,
                "",
            ),
            ("Tỷ lệ hệ thống thông tin sử dụng điện toán đám mây của tỉnh", 40, RATIO, ""),
        ],
    ),
    (
        "NL",
        "Nhân lực số",
        80,
        "nhan_luc",
        True,
        [
            (
                "Có cán bộ chuyên trách hoặc phụ trách công nghệ thông tin, chuyển đổi số",
                20,
                YESNO,
                "",
            ),
            ("Tỷ lệ cán bộ, công chức được bồi dưỡng kỹ năng số", 40, RATIO, ""),
            (
                "Lượt cán bộ hoàn thành khóa học trên nền tảng học trực tuyến mở (MOOCs)",
                20,
                BEST,
                "",
            ),
        ],
    ),
    (
        "AT",
        "An toàn thông tin mạng",
        100,
        "attt",
        True,
        [
            ("Tỷ lệ hệ thống thông tin được phê duyệt cấp độ an toàn", 25, RATIO, "AT-01"),
            ("Triển khai giám sát an toàn thông tin kết nối với SOC của tỉnh", 20, YESNO, ""),
            ("Tỷ lệ máy trạm cài đặt phần mềm phòng chống mã độc", 20, RATIO, ""),
            (
                "Số sự cố mất an toàn thông tin trong năm",
                15,
                _steps((0, 15), (1, 10), (3, 5), lower=True),
                "",
            ),
            ("Tham gia diễn tập, kiểm tra an toàn thông tin", 20, YESNO, ""),
        ],
    ),
    (
        "CQ",
        "Hoạt động chính quyền số",
        350,
        "chinh_quyen_so",
        True,
        [
            ("Tỷ lệ hồ sơ công việc được xử lý trên môi trường mạng", 40, RATIO, "CQ-07"),
            ("Tỷ lệ văn bản đi được ký số", 30, RATIO, ""),
            ("Tỷ lệ thủ tục hành chính cung cấp dịch vụ công trực tuyến toàn trình", 40, RATIO, ""),
            ("Tỷ lệ hồ sơ được nộp trực tuyến toàn trình", 40, RATIO, ""),
            ("Tỷ lệ hồ sơ giải quyết trễ hạn", 30, RATIO_DOWN, ""),
            ("Tỷ lệ hồ sơ, kết quả giải quyết thủ tục hành chính được số hóa", 30, RATIO, ""),
            (
                "Kỳ báo cáo gửi đúng hạn trên Hệ thống thông tin báo cáo của tỉnh",
                25,
                _steps((12, 25), (10, 20), (8, 10)),
                "",
            ),
            (
                "Cơ sở dữ liệu chuyên ngành được xây dựng, cập nhật",
                35,
                _tiers(
                    ("van_hanh", "Đã vận hành, cập nhật đầy đủ", 1),
                    ("dang_xay_dung", "Đang xây dựng", 0.5),
                    ("chua", "Chưa có", 0),
                ),
                "",
            ),
            ("Bộ dữ liệu mở được công bố trên cổng dữ liệu của tỉnh", 25, BEST, ""),
            ("Kết nối, chia sẻ dữ liệu qua nền tảng LGSP của tỉnh", 25, YESNO, ""),
            ("Mức độ hài lòng của người dân, doanh nghiệp", 30, MANUAL, ""),
        ],
    ),
    (
        "KT",
        "Hoạt động kinh tế số (các sở kinh tế)",
        50,
        "kinh_te_so",
        False,
        [
            ("Giải pháp thúc đẩy doanh nghiệp chuyển đổi số trong ngành, lĩnh vực", 50, MANUAL, ""),
        ],
    ),
    (
        "XH",
        "Hoạt động xã hội số",
        100,
        "xa_hoi_so",
        True,
        [
            (
                "Nền tảng số phục vụ người dân trong ngành, lĩnh vực",
                40,
                _tiers(
                    ("co_nguoi_dung", "Đã triển khai, có người dùng", 1),
                    ("thu_nghiem", "Thử nghiệm", 0.5),
                    ("chua", "Chưa có", 0),
                ),
                "",
            ),
            ("Phối hợp hỗ trợ Tổ công nghệ số cộng đồng", 30, YESNO, ""),
            ("Lượt người dân được hướng dẫn sử dụng dịch vụ số", 30, BEST, ""),
        ],
    ),
    (
        "KH",
        "Hoàn thành kế hoạch chuyển đổi số năm",
        80,
        "",
        True,
        [
            ("Tỷ lệ nhiệm vụ của kế hoạch năm hoàn thành đúng hạn", 50, RATIO, ""),
            (
                "Báo cáo quý về chuyển đổi số đầy đủ, đúng hạn (số kỳ)",
                30,
                _steps((4, 30), (3, 20), (2, 10)),
                "",
            ),
        ],
    ),
]

COMMUNE_GROUPS: list[Group] = [
    (
        "NT",
        "Nhận thức số",
        100,
        "nhan_thuc",
        True,
        [
            (
                "Ban Chỉ đạo chuyển đổi số cấp xã họp trong năm (số cuộc)",
                20,
                _steps((4, 20), (3, 15), (2, 10), (1, 5)),
                "",
            ),
            (
                "Trưởng Ban Chỉ đạo là Chủ tịch UBND xã",
                20,
                _tiers(
                    ("chu_tich", "Chủ tịch UBND xã", 1),
                    ("pho_chu_tich", "Phó Chủ tịch", 0.5),
                    ("chua", "Chưa có Ban Chỉ đạo", 0),
                ),
                "",
            ),
            ("Tỷ lệ cuộc họp chuyển đổi số do Bí thư hoặc Chủ tịch chủ trì", 20, RATIO, ""),
            ("Cổng thông tin điện tử có chuyên mục chuyển đổi số", 20, YESNO, ""),
            ("Tin, bài tuyên truyền về chuyển đổi số", 20, BEST, ""),
        ],
    ),
    (
        "TC",
        "Thể chế số",
        80,
        "the_che",
        True,
        [
            ("Ban hành kế hoạch chuyển đổi số năm của xã", 30, YESNO, ""),
            ("Bố trí kinh phí cho chuyển đổi số", 25, BUDGET, ""),
            ("Tỷ lệ văn bản chỉ đạo của tỉnh về chuyển đổi số được triển khai", 25, RATIO, ""),
        ],
    ),
    (
        "HT",
        "Hạ tầng số",
        120,
        "ha_tang",
        True,
        [
            ("Tỷ lệ hộ gia đình có Internet băng rộng cáp quang", 24, RATIO, "HT-01"),
            ("Tỷ lệ thôn, ấp có sóng di động 4G/5G", 24, RATIO, ""),
            ("Có điểm truy cập Wi-Fi công cộng miễn phí", 24, YESNO, ""),
            ("Tỷ lệ máy tính của cán bộ, công chức kết nối mạng chuyên dùng", 24, RATIO, ""),
            ("Bộ phận một cửa có thiết bị số phục vụ người dân", 24, YESNO, ""),
        ],
    ),
    (
        "NL",
        "Nhân lực số",
        120,
        "nhan_luc",
        True,
        [
            ("Có công chức phụ trách chuyển đổi số", 20, YESNO, ""),
            (
                "Tỷ lệ người trong độ tuổi lao động được đào tạo kỹ năng số cơ bản",
                20,
                RATIO,
                "NL-03",
            ),
            ("Tỷ lệ cán bộ, công chức xã được bồi dưỡng kỹ năng số", 20, RATIO, ""),
            ("Tổ công nghệ số cộng đồng có ở các thôn, ấp", 20, RATIO, ""),
            ("Thành viên Tổ công nghệ số cộng đồng trên 100 dân", 20, BEST, ""),
            (
                "Lớp tập huấn kỹ năng số cho người dân (số lớp)",
                20,
                _steps((6, 20), (4, 15), (2, 10), (1, 5)),
                "",
            ),
        ],
    ),
    (
        "AT",
        "An toàn thông tin mạng",
        80,
        "attt",
        True,
        [
            ("Tỷ lệ máy trạm cài đặt phần mềm phòng chống mã độc", 20, RATIO, ""),
            ("Sự cố mất an toàn thông tin trong năm", 20, _steps((0, 20), (1, 10), lower=True), ""),
            ("Cán bộ tham gia tập huấn an toàn thông tin", 20, YESNO, ""),
            ("Sao lưu dữ liệu định kỳ", 20, YESNO, ""),
        ],
    ),
    (
        "CQ",
        "Hoạt động chính quyền số",
        250,
        "chinh_quyen_so",
        True,
        [
            ("Tỷ lệ hồ sơ thủ tục hành chính được tiếp nhận, xử lý trực tuyến", 25, RATIO, "CQ-03"),
            ("Tỷ lệ hồ sơ giải quyết trễ hạn", 25, RATIO_DOWN, "CQ-06"),
            ("Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 25, RATIO, "CQ-04"),
            ("Tỷ lệ văn bản đi được ký số", 25, RATIO, ""),
            ("Tỷ lệ hồ sơ công việc xử lý trên môi trường mạng", 25, RATIO, ""),
            ("Họp trực tuyến với tỉnh qua hệ thống hội nghị truyền hình", 25, YESNO, ""),
            (
                "Kỳ báo cáo gửi đúng hạn trên Hệ thống thông tin báo cáo",
                25,
                _steps((12, 25), (10, 20), (8, 10)),
                "",
            ),
            ("Phản ánh hiện trường được xử lý đúng hạn (tỷ lệ)", 25, RATIO, ""),
            (
                "Cập nhật dữ liệu dân cư, đất đai lên nền tảng của tỉnh",
                25,
                _tiers(
                    ("day_du", "Đầy đủ", 1),
                    ("mot_phan", "Một phần", 0.5),
                    ("chua", "Chưa cập nhật", 0),
                ),
                "",
            ),
            ("Mức độ hài lòng của người dân về thủ tục hành chính", 25, MANUAL, ""),
        ],
    ),
    (
        "KT",
        "Hoạt động kinh tế số",
        100,
        "kinh_te_so",
        True,
        [
            ("Hộ sản xuất, hợp tác xã bán hàng trên sàn thương mại điện tử", 20, BEST, ""),
            ("Tỷ lệ cơ sở kinh doanh chấp nhận thanh toán không dùng tiền mặt", 20, RATIO, ""),
            (
                "Sản phẩm OCOP được giới thiệu trên nền tảng số",
                15,
                _steps((5, 15), (3, 10), (1, 5)),
                "",
            ),
            ("Tỷ lệ chợ có thanh toán không dùng tiền mặt", 15, RATIO, ""),
            ("Doanh nghiệp, hộ kinh doanh dùng hóa đơn điện tử (tỷ lệ)", 15, RATIO, ""),
            ("Hỗ trợ nông dân ứng dụng công nghệ số trong sản xuất", 15, MANUAL, ""),
        ],
    ),
    (
        "XH",
        "Hoạt động xã hội số",
        150,
        "xa_hoi_so",
        True,
        [
            ("Tỷ lệ dân số trưởng thành có điện thoại thông minh", 20, RATIO, "XH-01"),
            ("Tỷ lệ dân số trưởng thành có tài khoản thanh toán điện tử", 20, RATIO, ""),
            ("Tỷ lệ người dân có tài khoản định danh điện tử mức 2", 20, RATIO, ""),
            ("Tỷ lệ người dân có hồ sơ sức khỏe điện tử", 20, RATIO, ""),
            ("Tỷ lệ học sinh được thu học phí không dùng tiền mặt", 20, RATIO, ""),
            ("Tỷ lệ người hưởng an sinh xã hội nhận tiền qua tài khoản", 20, RATIO, ""),
            ("Có nhóm Zalo hoặc ứng dụng tương tác với người dân ở các thôn, ấp", 15, YESNO, ""),
            ("Hoạt động của Tổ công nghệ số cộng đồng (số buổi hỗ trợ)", 15, BEST, ""),
        ],
    ),
]


def _document(
    code: str,
    name: str,
    year: int,
    kind: str,
    groups: list[Group],
    legal: str,
    programme: Programme | None,
) -> dict[str, Any]:
    indicators = set(programme.indicators.values_list("code", flat=True)) if programme else set()
    return {
        "code": code,
        "name": name,
        "year": year,
        "unitKind": kind,
        "maxPoints": sum(g[2] for g in groups),
        "legalReference": legal,
        "programme": programme.code if programme else None,
        "tiers": [
            {"name": "Nhóm 1 (Tốt)", "minIndex": 0.8},
            {"name": "Nhóm 2 (Khá)", "minIndex": 0.65},
            {"name": "Nhóm 3 (Trung bình)", "minIndex": 0.5},
            {"name": "Nhóm 4 (Yếu)", "minIndex": 0},
        ],
        "groups": [
            {
                "code": gcode,
                "stt": str(gi),
                "name": gname,
                "maxPoints": gmax,
                "pillar": pillar or None,
                "ranked": ranked,
                "criteria": [
                    {
                        "code": f"{gcode}-{ci}",
                        "stt": f"{gi}.{ci}",
                        "name": cname,
                        "maxPoints": cmax,
                        "rule": rule,
                        "evidence": _evidence(rule, binding),
                        "source": "Hệ thống DXBoard" if binding else "Báo cáo của đơn vị",
                        "verifier": "Sở Khoa học và Công nghệ",
                        **({"indicator": binding} if binding and binding in indicators else {}),
                    }
                    for ci, (cname, cmax, rule, binding) in enumerate(criteria, start=1)
                ],
            }
            for gi, (gcode, gname, gmax, pillar, ranked, criteria) in enumerate(groups, start=1)
        ],
    }


def _evidence(rule: dict[str, Any], binding: str) -> str:
    if binding:
        return "Số liệu báo cáo định kỳ trên DXBoard"
    if rule["type"] in ("yesno", "tiers"):
        return "Quyết định, văn bản của đơn vị"
    if rule["type"] == "steps":
        return "Thông báo kết luận, biên bản"
    return "Báo cáo số liệu kèm danh sách minh chứng"


def _entries(
    rng: random.Random, skill: float, scorecard: Scorecard, unit: Unit
) -> list[dict[str, Any]]:
    entries = []
    for group in services.scorecard_tree(scorecard):
        for criterion in group.criteria.all():
            if criterion.is_automatic:
                continue
            level = max(0.05, min(1.0, rng.gauss(skill, 0.15)))
            rule = criterion.rule
            entry: dict[str, Any] = {"unit": unit.code, "criterion": criterion.code}
            kind = criterion.rule_type
            if kind == "ratio":
                b = rng.randint(20, 400)
                share = (1 - level) * 0.25 if rule.get("lowerIsBetter") else level
                entry.update(numerator=round(b * share), denominator=b)
            elif kind == "steps":
                steps = sorted(float(s["min"]) for s in rule["steps"])
                if rule.get("lowerIsBetter"):
                    entry["value"] = 0 if level > 0.6 else rng.randint(1, int(steps[-1]) + 2)
                else:
                    entry["value"] = round(steps[-1] * (level + 0.1))
            elif kind == "tiers":
                tiers = rule["tiers"]
                index = 0 if level > 0.7 else (1 if level > 0.35 else 2)
                entry["value"] = tiers[min(index, len(tiers) - 1)]["code"]
            elif kind == "yesno":
                entry["value"] = 1 if rng.random() < level + 0.25 else 0
            elif kind == "best":
                entry["value"] = round(level * rng.uniform(30, 120))
            else:
                entry["points"] = str(Decimal(str(round(float(criterion.max_points) * level, 1))))
            entry["explanation"] = _explanation(rng, unit, entry)
            entries.append(entry)
    return entries


def _explanation(rng: random.Random, unit: Unit, entry: dict[str, Any]) -> str:
    number = rng.randint(12, 480)
    if "numerator" in entry:
        return f"Theo Báo cáo số {number}/BC-{_short(unit)}: {entry['numerator']}/{entry['denominator']}."
    return f"Theo Báo cáo số {number}/BC-{_short(unit)} và hồ sơ kèm theo."


def _short(unit: Unit) -> str:
    return (
        "UBND"
        if unit.kind == UnitKind.COMMUNE
        else "".join(w[0] for w in unit.name.split()[:3]).upper()
    )


def _run_campaign(
    scorecard: Scorecard,
    officer: User,
    heads: User,
    rng: random.Random,
    skills: dict[str, float],
    *,
    absent: int,
    publish: bool,
    decision: str,
    year_bonus: float,
) -> None:
    participants = list(
        Participant.objects.filter(scorecard=scorecard)
        .select_related("unit")
        .order_by("unit__code")
    )
    absentees = {p.unit.code for p in rng.sample(participants, absent)} if absent else set()
    for participant in participants:
        unit = participant.unit
        if unit.code in absentees:
            continue
        skill = min(0.97, skills[unit.code] + year_bonus)
        services.save_scores(heads, scorecard, _entries(rng, skill, scorecard, unit))
        services.submit(heads, scorecard, unit.code, store_figures=False)
    if any(p.unit.code == EXCLUDED[0] for p in participants):
        services.set_ranked(officer, scorecard, EXCLUDED[0], False, EXCLUDED[1])
    services.start_review(officer, scorecard)
    _tie(scorecard, officer)
    # The review adjusts a few self-assessed scores, with the reason written down.
    adjusted = [
        p for p in participants if p.unit.code not in absentees and p.unit.code not in TIED
    ][:3]
    for participant in adjusted:
        criterion = next(
            c
            for g in services.scorecard_tree(scorecard)
            for c in g.criteria.all()
            if c.rule_type == "manual"
        )
        services.save_scores(
            officer,
            scorecard,
            [
                {
                    "unit": participant.unit.code,
                    "criterion": criterion.code,
                    "points": str((criterion.max_points * Decimal("0.4")).quantize(Decimal("0.1"))),
                    "reason": "Chưa có kết quả khảo sát độc lập; chấm theo số phiếu hợp lệ.",
                }
            ],
        )
    if publish:
        services.confirm(officer, scorecard, decision)
        services.publish(officer, scorecard)


def _tie(scorecard: Scorecard, officer: User) -> None:
    """The council's verification brings two departments to the same total: a tie.

    The second department's reviewed points move, criterion by criterion (each within
    0..its maximum), until its ranking points equal the first's."""
    results = {r.unit.code: r for r in services.compute(scorecard, with_change=False)}
    if not all(code in results for code in TIED):
        return
    # Level on what the ranks compare: the points of the ranked criteria of ranked groups.
    remaining = results[TIED[0]].ranking_points - results[TIED[1]].ranking_points
    adjustments = []
    for group in services.scorecard_tree(scorecard):
        if not group.ranked:
            continue
        for criterion in group.criteria.all():
            if not remaining:
                break
            if not criterion.ranked:
                continue
            current = results[TIED[1]].criteria[criterion.code]
            points = min(criterion.max_points, max(Decimal(0), current + remaining))
            if points == current:
                continue
            remaining -= points - current
            adjustments.append(
                {
                    "unit": TIED[1],
                    "criterion": criterion.code,
                    "points": str(points),
                    "reason": "Điều chỉnh theo kết quả xác minh của Sở Khoa học và Công nghệ.",
                }
            )
    if adjustments:
        services.save_scores(officer, scorecard, adjustments)


def _dated(scorecard: Scorecard, year: int) -> None:
    """The campaign's real calendar: self-assessment in December, results in March."""
    opens, closes = date(year, 12, 1), date(year + 1, 1, 15)
    Scorecard.objects.filter(pk=scorecard.pk).update(
        opens_on=opens,
        closes_on=closes,
        confirmed_at=timezone.make_aware(datetime.combine(date(year + 1, 3, 10), time(9)))
        if scorecard.confirmed_at
        else None,
        published_at=timezone.make_aware(datetime.combine(date(year + 1, 3, 20), time(9)))
        if scorecard.published_at
        else None,
    )
    for index, participant in enumerate(
        Participant.objects.filter(scorecard=scorecard, submitted_at__isnull=False).order_by(
            "unit__code"
        )
    ):
        day = closes - timedelta(days=index % 30)
        Participant.objects.filter(pk=participant.pk).update(
            submitted_at=timezone.make_aware(
                datetime.combine(day, time(8 + index % 9, (index * 7) % 60))
            )
        )


def load_demo(province: Unit, *, stdout: Any) -> None:
    if Scorecard.objects.filter(code__startswith="DTI-").exists():
        return
    officer = (
        User.objects.filter(username="so.khcn").first()
        or User.objects.filter(is_superuser=True).first()
    )
    admin = User.objects.filter(is_superuser=True).first()
    if officer is None or admin is None:
        return
    programme = Programme.objects.filter(code=PROGRAMME).first()
    rng = random.Random(2025)
    units = Unit.objects.in_force().filter(
        path__startswith=province.path, kind__in=[UnitKind.DEPARTMENT, UnitKind.COMMUNE]
    )
    skills = {u.code: rng.uniform(0.45, 0.9) for u in units.order_by("code")}
    for laggard in rng.sample(sorted(skills), max(1, len(skills) // 10)):
        skills[laggard] = rng.uniform(0.2, 0.4)
    with transaction.atomic():
        for year, number, on in ((2024, "2817", "28/11/2024"), (2025, "3104", "25/11/2025")):
            for kind, groups, title in (
                (UnitKind.DEPARTMENT, DEPARTMENT_GROUPS, "các sở, ban, ngành"),
                (UnitKind.COMMUNE, COMMUNE_GROUPS, "các xã, phường, đặc khu"),
            ):
                code = f"DTI-{'SO' if kind == UnitKind.DEPARTMENT else 'XA'}-{year}"
                document = _document(
                    code,
                    f"Bộ chỉ số đánh giá chuyển đổi số {title} năm {year}",
                    year,
                    kind,
                    groups,
                    LEGAL % (number, on),
                    programme,
                )
                document["ownerUnit"] = province.code
                scorecard = services.import_scorecard(officer, document)
                in_review = kind == UnitKind.COMMUNE and year == 2025
                _run_campaign(
                    scorecard,
                    officer,
                    admin,
                    rng,
                    skills,
                    absent=NOT_SUBMITTED_2025
                    if in_review
                    else (1 if kind == UnitKind.COMMUNE else 0),
                    publish=not in_review,
                    decision=f"Quyết định số {int(number) // 10}/QĐ-HĐTĐ ngày 10/03/{year + 1} của Hội đồng thẩm định",
                    year_bonus=0.04 if year == 2025 else 0.0,
                )
                scorecard.refresh_from_db()
                _dated(scorecard, year)
                stdout.write(
                    f"      {code}: {scorecard.participants.count()} đơn vị, {scorecard.get_status_display().lower()}"
                )

"""Scorecard sets for tests, built through the services like the product does."""

from __future__ import annotations

import copy
from datetime import timedelta
from typing import Any

from django.utils import timezone

from dxboard.scorecards import services
from dxboard.scorecards.models import Scorecard
from dxboard.testing import World

# A small commune set: two groups of 100 and a 0-point group collected, not scored.
COMMUNE_SET: dict[str, Any] = {
    "code": "XA-2025",
    "name": "Bộ chỉ số đánh giá chuyển đổi số cấp xã năm 2025",
    "year": 2025,
    "unitKind": "commune",
    "maxPoints": 200,
    "tiers": [{"name": "Nhóm 1", "minIndex": 0.8}, {"name": "Nhóm 2", "minIndex": 0.5}],
    "groups": [
        {
            "code": "NT",
            "stt": "1",
            "name": "Nhận thức số",
            "maxPoints": 100,
            "pillar": "nhan_thuc",
            "criteria": [
                {
                    "code": "NT-1",
                    "stt": "1.1",
                    "name": "Ban chỉ đạo chuyển đổi số họp trong năm",
                    "maxPoints": 20,
                    "rule": {
                        "type": "steps",
                        "steps": [
                            {"min": 4, "points": 20},
                            {"min": 3, "points": 15},
                            {"min": 2, "points": 10},
                            {"min": 1, "points": 5},
                        ],
                    },
                    "evidence": "Thông báo kết luận các cuộc họp",
                },
                {
                    "code": "NT-2",
                    "stt": "1.2",
                    "name": "Trưởng ban chỉ đạo",
                    "maxPoints": 30,
                    "rule": {
                        "type": "tiers",
                        "tiers": [
                            {"code": "chu_tich", "name": "Chủ tịch", "share": 1},
                            {"code": "pho", "name": "Phó Chủ tịch", "share": 0.5},
                            {"code": "khong", "name": "Chưa có", "share": 0},
                        ],
                    },
                },
                {
                    "code": "NT-3",
                    "stt": "1.3",
                    "name": "Cổng thông tin có chuyên mục chuyển đổi số",
                    "maxPoints": 10,
                    "rule": {"type": "yesno"},
                },
                {
                    "code": "NT-4",
                    "stt": "1.4",
                    "name": "Cuộc họp do Chủ tịch chủ trì",
                    "maxPoints": 20,
                    "rule": {"type": "ratio"},
                },
                {
                    "code": "NT-5",
                    "stt": "1.5",
                    "name": "Tuyên truyền về chuyển đổi số",
                    "maxPoints": 20,
                    "rule": {"type": "manual"},
                    "ranked": False,
                },
            ],
        },
        {
            "code": "CQ",
            "stt": "2",
            "name": "Hoạt động chính quyền số",
            "maxPoints": 100,
            "pillar": "chinh_quyen_so",
            "criteria": [
                {
                    "code": "CQ-1",
                    "stt": "2.1",
                    "name": "Số thành viên tổ công nghệ số",
                    "maxPoints": 60,
                    "rule": {"type": "best"},
                },
                {
                    "code": "CQ-2",
                    "stt": "2.2",
                    "name": "Hồ sơ trễ hạn",
                    "maxPoints": 40,
                    "rule": {
                        "type": "steps",
                        "lowerIsBetter": True,
                        "steps": [{"min": 0, "points": 40}, {"min": 5, "points": 20}],
                    },
                },
            ],
        },
        {
            "code": "TT",
            "stt": "3",
            "name": "Thông tin chung",
            "maxPoints": 0,
            "ranked": False,
            "criteria": [
                {
                    "code": "TT-1",
                    "stt": "3.1",
                    "name": "Số công chức",
                    "maxPoints": 0,
                    "rule": {"type": "best"},
                }
            ],
        },
    ],
}


def set_document(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(COMMUNE_SET)
    today = timezone.localdate()
    document.update(
        {
            "opensOn": (today - timedelta(days=10)).isoformat(),
            "closesOn": (today + timedelta(days=10)).isoformat(),
        }
    )
    document.update(changes)
    return document


def make_scorecard(world: World, **changes: Any) -> Scorecard:
    return services.import_scorecard(world.province_officer, set_document(**changes))


# A full self-assessment of commune A, worth 20 + 15 + 10 + 10 + 12 + (best) + 20 points.
ENTRIES_A: list[dict[str, Any]] = [
    {"criterion": "NT-1", "value": 4, "explanation": "Họp 4 lần"},
    {"criterion": "NT-2", "value": "pho"},
    {"criterion": "NT-3", "value": 1},
    {"criterion": "NT-4", "numerator": 2, "denominator": 4},
    {"criterion": "NT-5", "points": 12},
    {"criterion": "CQ-1", "value": 30},
    {"criterion": "CQ-2", "value": 3},
    {"criterion": "TT-1", "value": 25},
]


def self_assess(
    world: World,
    scorecard: Scorecard,
    unit_code: str,
    entries: list[dict[str, Any]],
    user: Any = None,
) -> int:
    user = user or (world.officer_a if unit_code == world.commune_a.code else world.officer_b)
    return services.save_scores(user, scorecard, [{"unit": unit_code, **e} for e in entries])

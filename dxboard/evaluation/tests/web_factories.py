"""A small province programme with figures, for the page tests (through the services).

Programme CT-WEB of province 99, 2021–2025:
- CQ-T1 (ratio, up): 2024Q1 A 1.234/1.500, B 500/1.000 -> province 69,36 % vs 80 -> 86,7 %
- CQ-T2 (ratio, down): A 3/100, B 2/100 -> 2,5 % vs 5 -> met
- NL-T3 (count, sum over time): A 40 in Q1, B 30 in Q2 -> 2024: 70 vs 100 -> 70 %
- CQ-T4 (ratio): no figures -> no data
"""

from __future__ import annotations

from dxboard.evaluation.tests.factories import make_programme, put, ratio, single
from dxboard.indicators.models import Programme


def web_programme(*, public: bool = False, code: str = "CT-WEB", unit: str = "99") -> Programme:
    programme = make_programme(
        unit,
        [ratio("CQ-T1"), ratio("CQ-T2", direction="down"), single("NL-T3"), ratio("CQ-T4")],
        [
            ("CQ-T1", 2023, 70),
            ("CQ-T1", 2024, 80),
            ("CQ-T1", 2025, 90),
            ("CQ-T2", 2024, 5),
            ("NL-T3", 2024, 100),
            ("CQ-T4", 2024, 50),
        ],
        code=code,
        is_public=public,
    )
    put(
        ("CQ-T1-TU", "99001", "2024Q1", 1234),
        ("CQ-T1-MAU", "99001", "2024Q1", 1500),
        ("CQ-T1-TU", "99002", "2024Q1", 500),
        ("CQ-T1-MAU", "99002", "2024Q1", 1000),
        ("CQ-T1-TU", "99001", "2023Q1", 900),
        ("CQ-T1-MAU", "99001", "2023Q1", 1500),
        ("CQ-T1-TU", "99002", "2023Q1", 400),
        ("CQ-T1-MAU", "99002", "2023Q1", 1000),
        ("CQ-T2-TU", "99001", "2024Q1", 3),
        ("CQ-T2-MAU", "99001", "2024Q1", 100),
        ("CQ-T2-TU", "99002", "2024Q1", 2),
        ("CQ-T2-MAU", "99002", "2024Q1", 100),
        ("NL-T3", "99001", "2024Q1", 40),
        ("NL-T3", "99002", "2024Q2", 30),
    )
    return programme

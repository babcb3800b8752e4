"""Demo: the default indicator catalogue.

The demo programme with its targets and figures is made by `dxboard/evaluation/demo.py`,
so the demo province has exactly one programme.
"""

from __future__ import annotations

from dxboard.indicators.models import DataElement, Indicator
from dxboard.indicators.services import load_catalogue


def load_demo(province, *, stdout) -> None:
    load_catalogue()
    stdout.write(
        f"      danh mục: {Indicator.objects.count()} chỉ tiêu, "
        f"{DataElement.objects.count()} phần tử dữ liệu"
    )

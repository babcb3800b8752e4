"""The move of `TargetChange` from `evaluation` to `indicators` keeps every row."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dxboard.indicators.models import Pillar, TargetChange

BEFORE = [("evaluation", "0001_initial"), ("indicators", "0001_initial")]

PILLAR = Pillar.values[0]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to the targets; return the historical models of what is then applied."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def test_a_target_history_from_before_the_move_reads_back_and_the_move_undoes() -> None:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        province = old.get_model("units", "Unit").objects.create(
            code="TINH", name="Tỉnh Thử", kind="province"
        )
        element = old.get_model("indicators", "DataElement").objects.create(
            code="DE01", name="Số thử"
        )
        indicator = old.get_model("indicators", "Indicator").objects.create(
            code="CT01", name="Chỉ tiêu thử", pillar=PILLAR, numerator=element
        )
        programme = old.get_model("indicators", "Programme").objects.create(
            code="CTR", name="Chương trình thử", owner_unit=province, start_year=2025, end_year=2030
        )
        old.get_model("evaluation", "TargetChange").objects.create(
            programme=programme,
            indicator=indicator,
            unit=province,
            year=2025,
            action="create",
            new_value="80",
            source_document="Kế hoạch 12/KH-UBND",
        )
        old.get_model("contenttypes", "ContentType").objects.get_or_create(
            app_label="evaluation", model="targetchange"
        )

        _migrate(leaves)
        ContentType.objects.clear_cache()
        change = TargetChange.objects.get()
        assert (change.programme.code, change.new_value) == ("CTR", "80")
        assert ContentType.objects.get_for_model(TargetChange).app_label == "indicators"

        undone = _migrate(BEFORE)
        assert undone.get_model("evaluation", "TargetChange").objects.get().year == 2025
        content_types = undone.get_model("contenttypes", "ContentType").objects
        assert content_types.filter(app_label="evaluation", model="targetchange").exists()
    finally:
        ContentType.objects.clear_cache()
        _migrate(leaves)

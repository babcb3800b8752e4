"""The move of the report forms' models from `collection` to `reporting` keeps every row.

A database created before the move is built by migrating back to the last migration that
knew the models under `collection`; rows written there with the historical models must
read back through today's models, and the move must undo cleanly.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dxboard.reporting.models import FormField, ReportForm, Submission, SubmissionStatus

BEFORE = [("collection", "0004_drop_element_indexes_covered_by_composites"), ("reporting", None)]
AFTER_COLLECTION = ("collection", "0005_reporting_moves_to_its_own_app")

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to the targets; return the historical models of what is then applied."""
    MigrationExecutor(connection).migrate(targets)
    return MigrationExecutor(connection)._create_project_state(with_applied_migrations=True).apps


def _leaves() -> list[tuple[str, str | None]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


def _write_old_rows(old_apps: Any) -> None:
    """What a database of the previous release holds: a form, a field, a submission."""
    unit_model = old_apps.get_model("units", "Unit")
    element_model = old_apps.get_model("indicators", "DataElement")
    form_model = old_apps.get_model("collection", "ReportForm")
    section_model = old_apps.get_model("collection", "FormSection")
    field_model = old_apps.get_model("collection", "FormField")
    submission_model = old_apps.get_model("collection", "Submission")
    content_type_model = old_apps.get_model("contenttypes", "ContentType")
    permission_model = old_apps.get_model("auth", "Permission")

    province = unit_model.objects.create(code="TINH", name="Tỉnh Thử", kind="province")
    element = element_model.objects.create(code="DE_DIEM", name="Điểm truy cập")
    form = form_model.objects.create(code="BM01", name="Biểu mẫu quý", owner_unit=province)
    section = section_model.objects.create(form=form, title="Hạ tầng")
    field_model.objects.create(section=section, form=form, data_element=element)
    submission_model.objects.create(
        form=form, unit=province, period="2024Q1", status="draft", version=3
    )
    # The content types as the previous release left them: under "collection" (migrating
    # back has already moved the test database's own there).
    report_form_type, _created = content_type_model.objects.get_or_create(
        app_label="collection", model="reportform"
    )
    permission_model.objects.get_or_create(
        content_type=report_form_type,
        codename="view_reportform",
        defaults={"name": "Can view report form"},
    )


def test_a_database_from_before_the_move_keeps_its_rows_forwards_and_backwards() -> None:
    leaves = _leaves()
    try:
        _write_old_rows(_migrate(BEFORE))

        _migrate(leaves)
        ContentType.objects.clear_cache()
        form = ReportForm.objects.get(code="BM01")
        assert form.owner_unit.code == "TINH"
        assert FormField.objects.get(form=form).data_element.code == "DE_DIEM"
        submission = Submission.objects.get(form=form)
        assert (submission.period, submission.status, submission.version) == (
            "2024Q1",
            SubmissionStatus.DRAFT,
            3,
        )
        content_type = ContentType.objects.get_for_model(ReportForm)
        assert content_type.app_label == "reporting"
        assert content_type.permission_set.filter(codename="view_reportform").exists()
        assert not ContentType.objects.filter(app_label="collection", model="reportform").exists()

        # Backwards, one migration at a time: the models go back to `collection` with
        # their rows and their content type.
        _migrate([AFTER_COLLECTION, ("reporting", None)])
        undone = _migrate(BEFORE)
        assert undone.get_model("collection", "ReportForm").objects.get().name == "Biểu mẫu quý"
        assert undone.get_model("collection", "Submission").objects.get().version == 3
        content_types = undone.get_model("contenttypes", "ContentType").objects
        assert content_types.filter(app_label="collection", model="reportform").exists()
        assert not content_types.filter(app_label="reporting", model="reportform").exists()
    finally:
        ContentType.objects.clear_cache()
        _migrate(leaves)

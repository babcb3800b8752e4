"""`dxboard import-datavalues --user USERNAME FILE` (issue 18): the API's rules, a named user.

The command used to save as the system, so it updated an approved report that the API
refuses and left no user in the audit.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.reporting.services import workflow

from .factories import GOOD, OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
P = OPEN_PERIOD


@pytest.fixture
def form(world):
    return make_form(world.province)


def _file(tmp_path, value="9", unit="99001"):
    path = tmp_path / "values.csv"
    path.write_text(f"dataelement,period,orgunit,value\nCUOC,{P},{unit},{value}\n", "utf-8")
    return path


def test_the_command_refuses_a_submitted_report_as_the_api_does(
    world, form, tmp_path, client_for, capsys
):
    workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    workflow.submit(world.officer_a, form.code, "99001", P)
    path = _file(tmp_path)
    with pytest.raises(CommandError):
        call_command("import_datavalues", str(path), user="admin")
    summary = json.loads(capsys.readouterr().out)
    api = client_for("admin").post(
        "/api/v1/dataValueSets", path.read_text("utf-8"), content_type="text/csv"
    )
    assert summary["conflicts"] == api.json()["conflicts"]
    assert "đã nộp hoặc đã duyệt" in summary["conflicts"][0]["message"]
    assert DataValue.objects.get(data_element__code="CUOC").value == 3


def test_the_command_records_its_user_in_the_audit(world, form, tmp_path):
    call_command("import_datavalues", str(_file(tmp_path)), user="officer_a")
    audit = DataValueAudit.objects.get()
    assert (audit.user, audit.source) == (world.officer_a, "import")
    assert DataValue.objects.get().stored_by == "officer_a"


def test_the_user_needs_the_right_to_write_for_the_unit(world, form, tmp_path, capsys):
    with pytest.raises(CommandError):
        call_command("import_datavalues", str(_file(tmp_path)), user="officer_b")
    assert "không được xem đơn vị" in capsys.readouterr().out
    assert not DataValue.objects.exists()


def test_the_user_is_required_and_must_exist(world, form, tmp_path):
    with pytest.raises(CommandError, match="--user"):
        call_command("import_datavalues", str(_file(tmp_path)))
    with pytest.raises(CommandError, match="Không có người dùng “khong-co”"):
        call_command("import_datavalues", str(_file(tmp_path)), user="khong-co")
    world.officer_a.is_active = False
    world.officer_a.save()
    with pytest.raises(CommandError, match="đã bị khóa"):
        call_command("import_datavalues", str(_file(tmp_path)), user="officer_a")
    assert not DataValue.objects.exists()

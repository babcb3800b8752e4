"""The reporting workflow and who may do each step."""

from __future__ import annotations

from decimal import Decimal

import pytest

from dxboard.accounts.models import Role
from dxboard.collection.models import DataValue, DataValueAudit
from dxboard.collection.values import ValueRow, save_values
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.reporting.models import (
    FormPeriod,
    PeriodState,
    Submission,
    SubmissionEvent,
    SubmissionStatus,
)
from dxboard.reporting.services import workflow
from dxboard.reporting.services.api_import import import_data_value_set
from dxboard.testing import make_user

from .factories import GOOD, OPEN_PERIOD, make_form

pytestmark = pytest.mark.django_db
P = OPEN_PERIOD


@pytest.fixture
def form(world):
    return make_form(world.province)


def _submit(world, form, values=None, unit=None):
    unit = unit or world.commune_a
    workflow.save_draft(world.officer_a, form.code, unit.code, P, values or GOOD)
    return workflow.submit(world.officer_a, form.code, unit.code, P)


def test_an_officer_saves_a_draft_in_vietnamese_numbers_and_submits(world, form):
    result = workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    assert result.changed == 5
    assert result.submission.status == SubmissionStatus.DRAFT
    values = dict(
        DataValue.objects.filter(unit=world.commune_a, period=P).values_list(
            "data_element__code", "value"
        )
    )
    assert values["HS-TU"] == Decimal("1234") and values["TYLE"] == Decimal("97.5")
    assert values["KP"] == Decimal("1234.5")
    assert DataValueAudit.objects.filter(unit=world.commune_a, source="web").count() == 5
    submission = workflow.submit(world.officer_a, form.code, "99001", P)
    assert submission.status == SubmissionStatus.SUBMITTED
    assert submission.first_submitted_at is not None
    assert submission.submitted_by == world.officer_a
    steps = list(
        SubmissionEvent.objects.filter(submission=submission).values_list(
            "from_status", "to_status"
        )
    )
    assert ("draft", "submitted") in steps


def test_an_officer_of_commune_a_cannot_submit_for_commune_b(world, form):
    with pytest.raises(NotFound):
        workflow.save_draft(world.officer_a, form.code, "99002", P, GOOD)
    with pytest.raises(NotFound):
        workflow.submit(world.officer_a, form.code, "99002", P)
    assert not DataValue.objects.filter(unit=world.commune_b).exists()


def test_a_viewer_sees_the_report_but_cannot_enter_figures(world, form):
    with pytest.raises(Forbidden):
        workflow.save_draft(world.viewer, form.code, "99001", P, GOOD)


def test_a_unit_that_does_not_report_the_form_is_not_found(world, form):
    with pytest.raises(NotFound):
        workflow.load_entry(world.province_officer, form.code, world.agency.code, P)


def test_a_numerator_above_its_denominator_is_refused_and_nothing_is_written(world, form):
    with pytest.raises(InvalidInput) as error:
        workflow.save_draft(world.officer_a, form.code, "99001", P, {**GOOD, "HS-TU": "3.000"})
    assert error.value.details[0].path == "HS-TU"
    assert not DataValue.objects.filter(unit=world.commune_a).exists()
    assert not Submission.objects.exists()


def test_submission_with_an_error_is_refused(world, form):
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"HS-TU": "10", "HS-MAU": "20"})
    with pytest.raises(InvalidInput) as error:
        workflow.submit(world.officer_a, form.code, "99001", P)
    assert "lỗi" in error.value.message
    assert {d.path for d in error.value.details} == {"TYLE", "CUOC", "KP"}
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_a_jump_against_the_last_period_needs_a_comment(world, form):
    save_values(world.officer_a, [ValueRow("CUOC", "2023Q4", "99001", "2")], "web")
    workflow.save_draft(world.officer_a, form.code, "99001", P, {**GOOD, "CUOC": "10"})
    with pytest.raises(InvalidInput) as error:
        workflow.submit(world.officer_a, form.code, "99001", P)
    assert "giải trình" in error.value.message
    workflow.save_draft(
        world.officer_a,
        form.code,
        "99001",
        P,
        {"CUOC": "10"},
        {"CUOC": "Năm nay họp thêm theo chỉ đạo của tỉnh"},
    )
    assert workflow.submit(world.officer_a, form.code, "99001", P).status == "submitted"


def test_the_approver_of_the_unit_approves_and_approved_figures_are_locked(world, form):
    _submit(world, form)
    with pytest.raises(Conflict):  # submitted: read only until returned
        workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "4"})
    approved = workflow.approve(world.approver_a, form.code, "99001", P)
    assert approved.status == SubmissionStatus.APPROVED and approved.approved_by == world.approver_a
    with pytest.raises(Conflict):
        workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "4"})
    assert DataValue.objects.get(data_element__code="CUOC", unit=world.commune_a).value == 3


def test_a_reporter_cannot_approve(world, form):
    _submit(world, form)
    with pytest.raises(Forbidden):
        workflow.approve(world.officer_a, form.code, "99001", P)


def test_an_approver_approves_only_at_or_below_their_unit(world, form):
    officer_b = world.officer_b
    workflow.save_draft(officer_b, form.code, "99002", P, GOOD)
    workflow.submit(officer_b, form.code, "99002", P)
    with pytest.raises(NotFound):
        workflow.approve(world.approver_a, form.code, "99002", P)
    hamlet_approver = make_user("duyet_ap", unit=world.hamlet_a, role=Role.APPROVER)
    _submit(world, form)
    with pytest.raises(NotFound):  # a hamlet's approver does not see the commune
        workflow.approve(hamlet_approver, form.code, "99001", P)
    province_approver = make_user("duyet_tinh", unit=world.province, role=Role.APPROVER)
    assert workflow.approve(province_approver, form.code, "99002", P).status == "approved"


def test_return_needs_a_reason_then_the_unit_corrects_and_resubmits(world, form):
    _submit(world, form)
    with pytest.raises(InvalidInput):
        workflow.return_submission(world.approver_a, form.code, "99001", P, "  ")
    returned = workflow.return_submission(
        world.approver_a, form.code, "99001", P, "Số cuộc họp chưa đúng"
    )
    assert returned.status == SubmissionStatus.RETURNED
    assert returned.returned_reason == "Số cuộc họp chưa đúng"
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "4"})
    again = workflow.submit(world.officer_a, form.code, "99001", P)
    assert again.status == SubmissionStatus.SUBMITTED and again.returned_reason == ""
    assert again.first_submitted_at == returned.first_submitted_at


def test_only_the_province_reopens_an_approved_report(world, form):
    _submit(world, form)
    workflow.approve(world.approver_a, form.code, "99001", P)
    with pytest.raises(Forbidden):
        workflow.reopen(world.officer_a, form.code, "99001", P, "Sai số")
    reopened = workflow.reopen(world.province_officer, form.code, "99001", P, "Sai số liệu")
    assert reopened.status == SubmissionStatus.RETURNED
    workflow.save_draft(world.officer_a, form.code, "99001", P, {"CUOC": "5"})


def test_a_period_outside_the_open_window_rejects_entry_with_a_clear_message(world, form):
    with pytest.raises(InvalidInput) as past:
        workflow.save_draft(world.officer_a, form.code, "99001", "2019Q1", GOOD)
    assert "đã đóng" in past.value.message and "Quý I/2019" in past.value.message
    with pytest.raises(InvalidInput) as future:
        workflow.save_draft(world.officer_a, form.code, "99001", "2099Q1", GOOD)
    assert "chưa mở" in future.value.message
    FormPeriod.objects.filter(form=form, period=P).update(state=PeriodState.LOCKED)
    with pytest.raises(InvalidInput) as locked:
        workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    assert "khóa sổ" in locked.value.message
    assert not DataValue.objects.exists()


def test_a_period_of_the_wrong_type_is_refused(world, form):
    with pytest.raises(InvalidInput) as error:
        workflow.save_draft(world.officer_a, form.code, "99001", "202401", GOOD)
    assert "theo quý" in error.value.message


def test_the_second_of_two_concurrent_saves_is_refused_and_nothing_is_overwritten(world, form):
    other = make_user("officer_a2", unit=world.commune_a, role=Role.REPORTER)
    first = workflow.load_entry(world.officer_a, form.code, "99001", P)
    second = workflow.load_entry(other, form.code, "99001", P)
    assert first.version == second.version == 0
    workflow.save_draft(
        world.officer_a,
        form.code,
        "99001",
        P,
        GOOD,
        version=first.version,
        value_versions={c: 0 for c in GOOD},
    )
    with pytest.raises(Conflict) as error:
        workflow.save_draft(
            other,
            form.code,
            "99001",
            P,
            {**GOOD, "CUOC": "9"},
            version=second.version,
            value_versions={c: 0 for c in GOOD},
        )
    assert "người khác thay đổi" in error.value.message
    assert DataValue.objects.get(data_element__code="CUOC").value == 3


def test_a_figure_changed_through_the_api_meanwhile_is_detected(world, form):
    ctx = workflow.load_entry(world.officer_a, form.code, "99001", P)
    save_values(world.officer_a, [ValueRow("CUOC", P, "99001", "7")], "api")
    with pytest.raises(Conflict):
        workflow.save_draft(
            world.officer_a,
            form.code,
            "99001",
            P,
            {"CUOC": "3"},
            version=ctx.version,
            value_versions={"CUOC": 0},
        )
    assert DataValue.objects.get(data_element__code="CUOC").value == 7


def test_complete_from_api_marks_the_report_submitted(world, form):
    rows = [ValueRow(code, P, "99001", value) for code, value in GOOD.items()]
    assert save_values(world.officer_a, rows, "api").ok
    submission = workflow.complete_from_api(world.officer_a, form.code, "99001", P, "2024-03-18")
    assert submission.status == "submitted"
    assert "completeDate" in submission.events.first().note


def test_locked_value_errors_lists_rows_of_a_submitted_report(world, form):
    _submit(world, form)
    rows = [
        ValueRow("CUOC", P, "99001", "9", path="dataValues[0]"),
        ValueRow("CUOC", P, "99002", "9", path="dataValues[1]"),
    ]
    errors = workflow.locked_value_errors(rows)
    assert [e.path for e in errors] == ["dataValues[0]"]


def test_another_communes_report_status_does_not_leak_through_an_import(world, form):
    _submit(world, form)
    rows = [ValueRow("CUOC", P, "99001", "9", path="dataValues[0]")]
    assert workflow.locked_value_errors(rows, world.officer_b) == []
    assert [e.path for e in workflow.locked_value_errors(rows, world.officer_a)] == [
        "dataValues[0]"
    ]
    submitted = import_data_value_set(
        world.officer_b,
        b"dataelement,period,orgunit,value\nCUOC,%b,99001,9\n" % P.encode(),
        csv_format=True,
    )
    missing = import_data_value_set(
        world.officer_b,
        b"dataelement,period,orgunit,value\nCUOC,%b,99001,9\n" % b"2019Q1",
        csv_format=True,
    )
    assert "đã nộp" not in str(submitted.as_dict())
    assert [c.message for c in submitted.conflicts] == [c.message for c in missing.conflicts]


def test_only_the_province_changes_a_period_state(world, form):
    with pytest.raises(Forbidden):
        workflow.set_period_state(world.officer_a, form.code, "2019Q1", PeriodState.OPEN)
    workflow.set_period_state(world.province_officer, form.code, "2019Q1", PeriodState.OPEN)
    workflow.save_draft(world.officer_a, form.code, "99001", "2019Q1", {"CUOC": "1"})


@pytest.mark.django_db(transaction=True)
def test_saving_a_draft_opens_its_own_transaction(world, form):
    # Outside a test's wrapping transaction, as in production: PostgreSQL refuses the row
    # lock of the report unless save_draft is atomic itself (was a 500 on every save).
    result = workflow.save_draft(world.officer_a, form.code, "99001", P, GOOD)
    assert result.changed == 5

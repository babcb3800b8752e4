"""Permission cases for periodic reporting's pages and API endpoints."""

from __future__ import annotations

from dxboard.testing import UrlCase, World

from .factories import OPEN_PERIOD, make_form


def _form(w: World) -> str:
    if "report_form" not in w.extra:
        w.extra["report_form"] = make_form(w.province).code
    return w.extra["report_form"]


def _submission(w: World) -> dict:
    return {"code": _form(w), "unit": w.commune_a.code, "period": OPEN_PERIOD}


CASES = [
    UrlCase("reporting:index", no_outsider="the province's forms, the same for every commune"),
    UrlCase(
        "reporting:form",
        kwargs=lambda w: {"code": _form(w)},
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    UrlCase(
        "reporting:period_state",
        method="post",
        kwargs=lambda w: {"code": _form(w), "period": OPEN_PERIOD},
        body=lambda w: {"state": "closed"},
        outsider="officer_b",
        outsider_expects="403",
    ),
    UrlCase(
        "reporting:excel",
        kwargs=lambda w: {"code": _form(w), "period": OPEN_PERIOD},
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    UrlCase(
        "reporting:excel_upload",
        kwargs=lambda w: {"code": _form(w), "period": OPEN_PERIOD},
        no_outsider="an upload form; each sheet's unit is checked (test_excel.py)",
    ),
    UrlCase(
        "reporting:unit_history",
        kwargs=lambda w: {"code": _form(w), "unit": w.commune_a.code},
        outsider="officer_b",
    ),
    UrlCase("reporting:entry", kwargs=_submission, outsider="officer_b"),
    UrlCase(
        "reporting:entry",
        method="post",
        kwargs=_submission,
        body=lambda w: {"v_CUOC": "3", "version": "0"},
        outsider="officer_b",
    ),
    UrlCase(
        "reporting:validate",
        method="post",
        kwargs=lambda w: {**_submission(w), "element": "CUOC"},
        body=lambda w: {"v_CUOC": "3"},
        outsider="officer_b",
    ),
    UrlCase(
        "reporting:review",
        method="post",
        kwargs=_submission,
        body=lambda w: {"action": "approve"},
        outsider="officer_b",
    ),
    UrlCase(
        "reporting:history",
        kwargs=lambda w: {**_submission(w), "element": "CUOC"},
        outsider="officer_b",
    ),
]

CASES += [
    UrlCase("api:list_report_forms", anonymous="401", no_outsider="the province's forms"),
    UrlCase(
        "api:get_report_form",
        kwargs=lambda w: {"code": _form(w)},
        anonymous="401",
        no_outsider="the province's form",
    ),
    # ?period= defaults to the period due next.
    UrlCase(
        "api:report_form_completeness",
        kwargs=lambda w: {"code": _form(w)},
        query=lambda w: {"unit": "99001"},
        anonymous="401",
        outsider="officer_b",
    ),
    UrlCase(
        "api:get_report_form_values",
        kwargs=lambda w: {"code": _form(w)},
        query=lambda w: {"period": OPEN_PERIOD, "orgUnit": "99001"},
        anonymous="401",
        outsider="officer_b",
    ),
]

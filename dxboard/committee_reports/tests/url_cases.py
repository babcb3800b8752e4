from dxboard.testing import UrlCase


def _report_a(w) -> dict:
    """A draft of commune A's board (officer B must get 404)."""
    if "report_a" not in w.extra:
        from dxboard.committee_reports import services
        from dxboard.evaluation.tests.web_factories import web_programme

        web_programme()
        w.extra["report_a"] = services.create_report(
            w.province_officer, "CT-WEB", w.commune_a.code, "2024Q1"
        )
    return {"pk": w.extra["report_a"].pk}


def _job_a(w) -> dict:
    kwargs = _report_a(w)
    if "job_a" not in w.extra:
        from dxboard.committee_reports.models import GenerationJob

        w.extra["job_a"] = GenerationJob.objects.create(
            report=w.extra["report_a"], format="docx", requested_by=w.province_officer
        )
    return {**kwargs, "job_id": w.extra["job_a"].pk}


def _programme(w) -> dict:
    from dxboard.evaluation.tests.web_factories import web_programme
    from dxboard.indicators.models import Programme

    if not Programme.objects.filter(code="CT-WEB").exists():
        web_programme()
    return {"code": "CT-WEB"}


def _form(w) -> dict:
    from dxboard.reporting.tests.factories import make_form

    if "report_form" not in w.extra:
        w.extra["report_form"] = make_form(w.province).code
    return {"code": w.extra["report_form"]}


CASES = [
    UrlCase(
        "committee_reports:index",
        outsider="officer_b",
        outsider_expects="ok",
        insider="province_officer",
        hidden=lambda w: (_report_a(w), "Xã An Bình")[1],
    ),
    UrlCase(
        "committee_reports:create",
        method="post",
        body=lambda w: {"programme": _programme(w)["code"], "unit": "99001", "period": "2024Q1"},
        # Commune A is not among officer B's choices: the form is refused, nothing made.
        outsider="officer_b",
        outsider_expects="400",
    ),
    UrlCase("committee_reports:detail", kwargs=_report_a, outsider="officer_b"),
    UrlCase("committee_reports:save", method="post", kwargs=_report_a, outsider="officer_b"),
    UrlCase(
        "committee_reports:restore",
        method="post",
        kwargs=lambda w: {**_report_a(w), "number": 1},
        outsider="officer_b",
    ),
    UrlCase("committee_reports:issue", method="post", kwargs=_report_a, outsider="officer_b"),
    UrlCase(
        "committee_reports:generate",
        method="post",
        kwargs=lambda w: {**_report_a(w), "fmt": "docx"},
        outsider="officer_b",
    ),
    UrlCase("committee_reports:job", kwargs=_job_a, outsider="officer_b"),
    UrlCase("committee_reports:job_download", kwargs=_job_a, outsider="officer_b"),
    UrlCase(
        "committee_reports:download",
        kwargs=lambda w: {**_report_a(w), "fmt": "pdf"},
        outsider="officer_b",
    ),
    # The programme belongs to the province: officer B reads it for commune B only, so
    # commune A's figures are a 404 (the unit is named in the query, see the tests).
    UrlCase(
        "committee_reports:export_indicators",
        kwargs=_programme,
        query=lambda w: {"unit": "99001"},
        outsider="officer_b",
    ),
    UrlCase(
        "committee_reports:export_ranking",
        kwargs=_programme,
        query=lambda w: {"unit": "99001"},
        outsider="officer_b",
    ),
    UrlCase(
        "committee_reports:export_completeness",
        kwargs=_form,
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    # List exports: each user's own rows (a unit out of reach in `?unit=` is a 404).
    UrlCase(
        "committee_reports:export_overview",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: (_form(w), "Xã An Bình")[1],
    ),
    UrlCase(
        "committee_reports:export_teams", query=lambda w: {"unit": "99001"}, outsider="officer_b"
    ),
    UrlCase(
        "committee_reports:export_items", query=lambda w: {"unit": "99001"}, outsider="officer_b"
    ),
    UrlCase(
        "api:committee_reports_list",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="ok",
        insider="province_officer",
        hidden=lambda w: (_report_a(w), '"99001"')[1],
    ),
]

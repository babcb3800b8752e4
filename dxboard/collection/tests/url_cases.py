from dxboard.testing import UrlCase


def _element(w) -> str:
    """A data element (of a programme of commune A's) to send and read figures of."""
    from dxboard.indicators.tests.url_cases import _programme_of_commune_a

    _programme_of_commune_a(w)
    return "URL-S"


CASES = [
    # A value for commune A from officer B is a conflict and nothing is saved.
    UrlCase(
        "api:import_data_values",
        method="post",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="409",
        body=lambda w: {
            "dataValues": [
                {"dataElement": _element(w), "period": "2024", "orgUnit": "99001", "value": 1}
            ]
        },
    ),
    UrlCase(
        "api:list_data_values",
        anonymous="401",
        query=lambda w: {"orgUnit": "99001", "dataElement": _element(w)},
        outsider="officer_b",
    ),
]

# DHIS2 Web API compatibility (/api/...): header authentication only, 401 for a session.
DHIS2_OUTSIDERS = "Basic/ApiToken only; outsiders in reporting/tests/test_dhis2_api.py"
CASES = [
    *CASES,
    UrlCase("dhis2:system_info", anonymous="401", no_outsider=DHIS2_OUTSIDERS),
    UrlCase("dhis2:data_value_sets", anonymous="401", no_outsider=DHIS2_OUTSIDERS),
    UrlCase("dhis2:data_value_sets", method="post", anonymous="401", no_outsider=DHIS2_OUTSIDERS),
    UrlCase(
        "dhis2:task",
        kwargs=lambda world: {"job_id": "00000000-0000-4000-8000-000000000000"},
        anonymous="401",
        no_outsider=DHIS2_OUTSIDERS,
    ),
    UrlCase(
        "dhis2:task_summary",
        kwargs=lambda world: {"job_id": "00000000-0000-4000-8000-000000000000"},
        anonymous="401",
        no_outsider=DHIS2_OUTSIDERS,
    ),
]

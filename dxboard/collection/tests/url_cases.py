from dxboard.testing import UrlCase

CASES = [
    # Outsiders: a value for commune A from officer B is a conflict, see test_values_api.py.
    UrlCase("api:import_data_values", method="post", anonymous="401"),
    # Reading back needs ?orgUnit=; officer B reading commune A gets 404 in test_values_api.py.
    UrlCase("api:list_data_values", anonymous="401"),
]

# DHIS2 Web API compatibility (/api/...): header authentication only, 401 for anyone else;
# outsiders are checked in test_dhis2_api.py (a foreign unit is 404, a value a conflict).
CASES = [
    *CASES,
    UrlCase("dhis2:system_info", anonymous="401"),
    UrlCase("dhis2:data_value_sets", anonymous="401"),
    UrlCase("dhis2:data_value_sets", method="post", anonymous="401"),
    UrlCase(
        "dhis2:task",
        kwargs=lambda world: {"job_id": "00000000-0000-4000-8000-000000000000"},
        anonymous="401",
    ),
    UrlCase(
        "dhis2:task_summary",
        kwargs=lambda world: {"job_id": "00000000-0000-4000-8000-000000000000"},
        anonymous="401",
    ),
]

"""DHIS2 Web API paths, mounted at `/api/` (see dxboard/urls.py).

`/api/dataValueSets` and `/api/40/dataValueSets` (any two-digit API version) are the same
endpoint; GETs take a `.json` or `.csv` suffix as DHIS2's do.
"""

from django.urls import re_path

from . import views

app_name = "dhis2"

VERSION = r"^(?:(?P<version>[0-9]{2})/)?"
SUFFIX = r"(?P<suffix>\.json|\.csv)?$"
JOB = r"(?P<job_id>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"

urlpatterns = [
    re_path(VERSION + r"system/info(?P<suffix>\.json)?$", views.system_info, name="system_info"),
    re_path(VERSION + r"dataValueSets" + SUFFIX, views.data_value_sets, name="data_value_sets"),
    re_path(
        VERSION + r"system/tasks/DATAVALUE_IMPORT/" + JOB + r"(?P<suffix>\.json)?$",
        views.task,
        name="task",
    ),
    re_path(
        VERSION + r"system/taskSummaries/DATAVALUE_IMPORT/" + JOB + r"(?P<suffix>\.json)?$",
        views.task_summary,
        name="task_summary",
    ),
]

"""DHIS2 Web API compatibility: what a DHIS2 client calls, answered the way DHIS2 answers.

DHIS2 clients (`dhis2.py`, `dhis2-client`, scripts) call `/api/<resource>` or
`/api/<version>/<resource>`, authenticate with Basic or `Authorization: ApiToken ...`,
append `.json` or `.csv` to GETs and read DHIS2's `WebMessage` / `ImportSummary` shapes.
DXBoard's own API stays under `/api/v1/` with its own shapes; this package maps the DHIS2
resources DXBoard implements onto the same services:

- `auth`: Basic (through Django's `authenticate`, so django-axes locks out as on the login
  page) and token headers, never the browser session;
- `options`: DHIS2's import options read strictly (an unknown or unsupported one is refused
  by name);
- `summary`: DXBoard's `ImportSummary` in DHIS2's `WebMessage` + `ImportSummary` shape;
- `xml`: DHIS2's XML dataValueSet read into the JSON document (a DOCTYPE refused);
- `export`: `GET /dataValueSets` with DHIS2's filters, in JSON or CSV;
- `tasks`: `async=true` imports as a django-tasks background task, polled under
  `/api/system/tasks/DATAVALUE_IMPORT/<id>` and `/api/system/taskSummaries/...`;
- `views`, `urls`: the endpoints.
"""

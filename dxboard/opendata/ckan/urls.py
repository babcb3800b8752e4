"""CKAN's Action API, mounted under /api/ by dxboard/urls.py.

CKAN answers at /api/3/action/<name> and, unversioned, at /api/action/<name>; the
`ckanapi` client uses the latter by default.
"""

from django.urls import path

from dxboard.opendata.ckan import views

app_name = "ckan"
urlpatterns = [
    path("3/action/<str:name>", views.action, name="action"),
    path("action/<str:name>", views.action, name="action_unversioned"),
]

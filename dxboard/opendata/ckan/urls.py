"""CKAN's Action API, mounted at /api/3/action/ by dxboard/urls.py."""

from django.urls import path

from dxboard.opendata.ckan import views

app_name = "ckan"
urlpatterns = [
    path("<str:name>", views.action, name="action"),
]

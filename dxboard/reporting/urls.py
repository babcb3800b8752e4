from django.urls import path

from . import views

app_name = "reporting"

SUBMISSION = "forms/<str:code>/units/<str:unit>/<str:period>/"

urlpatterns = [
    path("", views.index, name="index"),
    path("forms/<str:code>/", views.form_detail, name="form"),
    path("forms/<str:code>/periods/<str:period>/state", views.period_state, name="period_state"),
    path("forms/<str:code>/periods/<str:period>/excel", views.excel_download, name="excel"),
    path("forms/<str:code>/periods/<str:period>/upload", views.excel_upload, name="excel_upload"),
    path("forms/<str:code>/units/<str:unit>/", views.unit_history, name="unit_history"),
    path(SUBMISSION, views.entry, name="entry"),
    path(SUBMISSION + "validate/<str:element>", views.validate_field, name="validate"),
    path(SUBMISSION + "review", views.review, name="review"),
    path(SUBMISSION + "history/<str:element>", views.history, name="history"),
]

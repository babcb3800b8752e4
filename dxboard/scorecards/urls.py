from django.urls import path

from . import views

app_name = "scorecards"
urlpatterns = [
    path("", views.scorecard_list, name="list"),
    path("import/", views.import_scorecard, name="import"),
    path("evidence/<int:evidence_id>/", views.evidence, name="evidence"),
    path("<str:code>/", views.scorecard_detail, name="detail"),
    path("<str:code>/export.xlsx", views.export_scorecard, name="export"),
    path("<str:code>/review/", views.review, name="review"),
    path("<str:code>/transition/", views.transition, name="transition"),
    path("<str:code>/ranking/", views.ranking, name="ranking"),
    path("<str:code>/ranking/export.xlsx", views.results_export, name="results_export"),
    path("<str:code>/units/<str:unit>/", views.assessment, name="assessment"),
    path("<str:code>/units/<str:unit>/submit/", views.submit, name="submit"),
    path("<str:code>/units/<str:unit>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("<str:code>/units/<str:unit>/card/", views.unit_card, name="unit_card"),
]

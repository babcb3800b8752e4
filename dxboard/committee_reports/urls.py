from django.urls import path

from . import exports, views

app_name = "committee_reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("new", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/save", views.save, name="save"),
    path("<int:pk>/versions/<int:number>/restore", views.restore, name="restore"),
    path("<int:pk>/issue", views.issue, name="issue"),
    path("<int:pk>/generate/<str:fmt>", views.generate, name="generate"),
    path("<int:pk>/jobs/<int:job_id>/", views.job_state, name="job"),
    path("<int:pk>/jobs/<int:job_id>/file", views.job_download, name="job_download"),
    path("<int:pk>/file.<str:fmt>", views.download, name="download"),
    # Excel exports of the tables people see (issue 15, point 7).
    path("export/indicators/<str:code>.xlsx", exports.indicators, name="export_indicators"),
    path("export/ranking/<str:code>.xlsx", exports.ranking, name="export_ranking"),
    path("export/completeness/<str:code>.xlsx", exports.completeness, name="export_completeness"),
    path("export/completeness.xlsx", exports.completeness_overview, name="export_overview"),
    path("export/teams.xlsx", exports.teams, name="export_teams"),
    path("export/items.xlsx", exports.items, name="export_items"),
]

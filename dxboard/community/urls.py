from django.urls import path

from . import views

app_name = "community"
urlpatterns = [
    path("", views.team_list, name="team_list"),
    path("teams/new/", views.team_create, name="team_create"),
    path("teams/<int:team_id>/", views.team_detail, name="team_detail"),
    path("teams/<int:team_id>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:team_id>/members/new/", views.member_add, name="member_add"),
    path(
        "teams/<int:team_id>/members/<int:member_id>/leave/",
        views.member_leave,
        name="member_leave",
    ),
    path("teams/<int:team_id>/activities/new/", views.activity_add, name="activity_add"),
    path("import/", views.import_members, name="import"),
    path("export/<str:code>.xlsx", views.export_members, name="export"),
]

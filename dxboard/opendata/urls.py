from django.urls import path

from dxboard.opendata import views

app_name = "opendata"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalog.<str:ext>", views.catalogue_dcat, name="catalogue_dcat"),
    path("dataset/<slug:name>/", views.dataset_detail, name="dataset"),
    path("dataset/<slug:name>.<str:ext>", views.dataset_dcat, name="dataset_dcat"),
    path("dataset/<slug:name>/download.<str:fmt>", views.download, name="download"),
    path("manage/", views.manage_list, name="manage_list"),
    path("manage/new/", views.manage_create, name="manage_create"),
    path("manage/<slug:name>/", views.manage_edit, name="manage_edit"),
]

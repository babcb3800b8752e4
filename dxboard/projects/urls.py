from django.urls import path

from . import views

app_name = "projects"
urlpatterns = [
    path("", views.project_list, name="project_list"),
    path("items/new/", views.item_create, name="item_create"),
    path("items/<int:item_id>/", views.item_detail, name="item_detail"),
    path("items/<int:item_id>/edit/", views.item_edit, name="item_edit"),
    path("items/<int:item_id>/update/", views.item_update, name="item_update"),
    path("items/<int:item_id>/documents/new/", views.document_add, name="document_add"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("import/", views.import_items, name="import"),
    path("export/<str:code>.xlsx", views.export_items, name="export"),
]

from django.urls import path

from . import views

app_name = "units"
# Fixed words come before <code>; services.RESERVED_CODES keeps units from taking them.
urlpatterns = [
    path("", views.tree, name="tree"),
    path("new/", views.create, name="create"),
    path("import/", views.import_units, name="import"),
    path("import/template.<str:fmt>", views.import_template, name="import_template"),
    path("groups/", views.group_list, name="group_list"),
    path("groups/<str:code>/", views.group_detail, name="group_detail"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/children/", views.children, name="children"),
]

from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<str:code>/", views.programme_detail, name="programme_detail"),
    path("programmes/<str:code>/targets/", views.targets_edit, name="targets_edit"),
    path("<str:code>/", views.indicator_detail, name="indicator_detail"),
]

from django.urls import path

from . import views

app_name = "work"
urlpatterns = [
    path("", views.index, name="index"),
    path("remind/", views.remind, name="remind"),
    path("reminders/", views.reminder_settings, name="reminders"),
]

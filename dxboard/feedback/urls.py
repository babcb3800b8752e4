from django.urls import path

from .views import handling, holidays, public, stats

app_name = "feedback"
urlpatterns = [
    # public, no login
    path("submit/", public.submit, name="submit"),
    path("submit/done/", public.submitted, name="submitted"),
    path("track/", public.track, name="track"),
    path("public/", public.public_list, name="public_list"),
    path("public/<str:public_id>/photos/<int:photo_id>/", public.photo, name="photo"),
    # handlers
    path("", handling.inbox, name="inbox"),
    path("reports/<int:report_id>/", handling.report_detail, name="report_detail"),
    path("reports/<int:report_id>/action/", handling.report_action, name="report_action"),
    # province officers and everyone with a unit
    path("holidays/", holidays.holidays, name="holidays"),
    path("stats/", stats.stats_page, name="stats"),
]

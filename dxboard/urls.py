from django.contrib import admin
from django.urls import include, path

from dxboard import views
from dxboard.api import api

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("dxboard.accounts.urls")),
    path("units/", include("dxboard.units.urls")),
    path("indicators/", include("dxboard.indicators.urls")),
    path("collection/", include("dxboard.reporting.urls")),
    path("dashboard/", include("dxboard.evaluation.urls")),
    path("feedback/", include("dxboard.feedback.urls")),
    path("community/", include("dxboard.community.urls")),
    path("projects/", include("dxboard.projects.urls")),
    path("scorecards/", include("dxboard.scorecards.urls")),
    path("reports/", include("dxboard.committee_reports.urls")),
    path("data/", include("dxboard.opendata.urls")),
    path("work/", include("dxboard.work.urls")),
    path("api/v1/", api.urls),
    # DHIS2 Web API compatibility: /api/<resource> and /api/<version>/<resource>.
    path("api/", include("dxboard.reporting.dhis2.urls")),
    path("api/", include("dxboard.opendata.ckan.urls")),  # CKAN's Action API: api/3/action/…
    path("open311/v2/", include("dxboard.feedback.open311_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

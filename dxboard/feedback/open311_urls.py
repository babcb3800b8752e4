"""Open311 GeoReport v2. The project mounts these at /open311/v2/ with namespace "open311"."""

from django.urls import path, register_converter

from . import open311

register_converter(open311.FormatConverter, "o311fmt")

app_name = "open311"
urlpatterns = [
    path("discovery.<o311fmt:fmt>", open311.discovery, name="discovery"),
    path("services.<o311fmt:fmt>", open311.service_list, name="services"),
    path(
        "services/<str:service_code>.<o311fmt:fmt>",
        open311.service_definition,
        name="service_definition",
    ),
    path("requests.<o311fmt:fmt>", open311.requests, name="requests"),
    path(
        "requests/<str:service_request_id>.<o311fmt:fmt>",
        open311.request_detail,
        name="request_detail",
    ),
    path("tokens/<str:token_id>.<o311fmt:fmt>", open311.token, name="token"),
]

from dxboard.testing import UrlCase, World


def _report(w: World):
    """A report that happened in commune A, handled by the agency, with one photo."""
    if "report" not in w.extra:
        from .factories import JPEG_WITH_EXIF, make_report

        w.extra["report"] = make_report(w, photos=[("a.jpg", JPEG_WITH_EXIF)])
    return w.extra["report"]


def _photo_kwargs(w: World) -> dict:
    report = _report(w)
    return {"public_id": report.public_id, "photo_id": report.photos.first().pk}


CASES = [
    UrlCase("feedback:submit", anonymous="ok"),
    UrlCase("feedback:submitted", anonymous="ok"),
    UrlCase("feedback:track", anonymous="ok"),
    UrlCase("feedback:public_list", anonymous="ok"),
    UrlCase("feedback:photo", kwargs=_photo_kwargs, anonymous="ok"),
    UrlCase("feedback:inbox"),
    UrlCase(
        "feedback:report_detail",
        kwargs=lambda w: {"report_id": _report(w).pk},
        outsider="officer_b",
    ),
    UrlCase(
        "feedback:report_action",
        method="post",
        kwargs=lambda w: {"report_id": _report(w).pk},
        body=lambda w: {"action": "note", "note": "thử"},
        outsider="officer_b",
    ),
    UrlCase("feedback:holidays"),
    UrlCase("feedback:stats"),
    UrlCase(
        "api:feedback_change_status",
        method="post",
        kwargs=lambda w: {"report_id": str(_report(w).pk)},
        body=lambda w: {"status": "accepted"},
        anonymous="401",
        outsider="officer_b",
    ),
    UrlCase("api:feedback_stats", anonymous="401"),
]

# Open311 GeoReport v2, mounted at /open311/v2/.
OPEN311_CASES = [
    UrlCase("open311:discovery", kwargs=lambda w: {"fmt": "json"}, anonymous="ok"),
    UrlCase("open311:services", kwargs=lambda w: {"fmt": "xml"}, anonymous="ok"),
    UrlCase(
        "open311:service_definition",
        kwargs=lambda w: {"service_code": _report(w).category.code, "fmt": "json"},
        anonymous="ok",
    ),
    UrlCase("open311:requests", kwargs=lambda w: {"fmt": "json"}, anonymous="ok"),
    UrlCase("open311:requests", kwargs=lambda w: {"fmt": "json"}, method="post", anonymous="403"),
    UrlCase(
        "open311:request_detail",
        kwargs=lambda w: {"service_request_id": _report(w).public_id, "fmt": "json"},
        anonymous="ok",
    ),
    UrlCase(
        "open311:token",
        kwargs=lambda w: {"token_id": _report(w).tracking_code, "fmt": "json"},
        anonymous="ok",
    ),
]


CASES += OPEN311_CASES

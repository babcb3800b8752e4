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
    UrlCase("feedback:submit", anonymous="ok", no_outsider="the public report form"),
    UrlCase("feedback:submitted", anonymous="ok", no_outsider="a public page"),
    UrlCase("feedback:track", anonymous="ok", no_outsider="the tracking code is the key"),
    UrlCase("feedback:public_list", anonymous="ok", no_outsider="public, without personal data"),
    UrlCase(
        "feedback:photo",
        kwargs=_photo_kwargs,
        anonymous="ok",
        no_outsider="a public report's photo, location data stripped",
    ),
    # Commune B's officers handle what is routed to commune B, not the agency's report of A.
    UrlCase(
        "feedback:inbox",
        outsider="officer_b",
        outsider_expects="ok",
        insider="handler",
        hidden=lambda w: _report(w).public_id,
    ),
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
    UrlCase("feedback:holidays", outsider="officer_b", outsider_expects="403"),
    UrlCase(
        "feedback:stats", outsider="officer_b", outsider_expects="ok", hidden=lambda w: "Xã An Bình"
    ),
    UrlCase(
        "api:feedback_change_status",
        method="post",
        kwargs=lambda w: {"report_id": str(_report(w).pk)},
        body=lambda w: {"status": "accepted"},
        anonymous="401",
        outsider="officer_b",
    ),
    UrlCase(
        "api:feedback_stats",
        anonymous="401",
        query=lambda w: {"unit": "99001", "period": "2025"},
        outsider="officer_b",
    ),
]

# Open311 GeoReport v2, mounted at /open311/v2/.
OPEN311_CASES = [
    UrlCase(
        "open311:discovery",
        kwargs=lambda w: {"fmt": "json"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:services",
        kwargs=lambda w: {"fmt": "xml"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:service_definition",
        kwargs=lambda w: {"service_code": _report(w).category.code, "fmt": "json"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:requests",
        kwargs=lambda w: {"fmt": "json"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:requests",
        kwargs=lambda w: {"fmt": "json"},
        method="post",
        anonymous="403",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:request_detail",
        kwargs=lambda w: {"service_request_id": _report(w).public_id, "fmt": "json"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
    UrlCase(
        "open311:token",
        kwargs=lambda w: {"token_id": _report(w).tracking_code, "fmt": "json"},
        anonymous="ok",
        no_outsider="public by the Open311 specification",
    ),
]


CASES += OPEN311_CASES

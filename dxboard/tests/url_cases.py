from dxboard.testing import UrlCase

CASES = [
    UrlCase("home", outsider="officer_b", outsider_expects="ok", hidden=lambda w: "Xã An Bình"),
    UrlCase("healthz", anonymous="ok", no_outsider="a health check"),
    UrlCase("api:status", anonymous="ok", no_outsider="the API's status"),
    UrlCase("api:openapi-json", anonymous="ok", no_outsider="the API's schema"),
    UrlCase("api:openapi-view", anonymous="ok", no_outsider="the API's documentation"),
    # Ninja names the prefix only so it can be reversed; it serves nothing.
    UrlCase("api:api-root", anonymous="404", no_outsider="serves nothing"),
]

from dxboard.testing import UrlCase

CASES = [
    UrlCase("home"),
    UrlCase("healthz", anonymous="ok"),
    UrlCase("api:status", anonymous="ok"),
    UrlCase("api:openapi-json", anonymous="ok"),
    UrlCase("api:openapi-view", anonymous="ok"),
    # Ninja names the prefix only so it can be reversed; it serves nothing.
    UrlCase("api:api-root", anonymous="404"),
]

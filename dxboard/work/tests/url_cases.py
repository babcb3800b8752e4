from dxboard.testing import UrlCase

CASES = [
    UrlCase("work:index"),
    UrlCase("work:remind", method="post"),
    UrlCase("work:reminders"),
    UrlCase("api:my_work", anonymous="401"),
]

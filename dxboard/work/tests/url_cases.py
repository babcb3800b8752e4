from dxboard.testing import UrlCase

CASES = [
    # One's own work: what is listed is checked per unit in tests/test_services.py.
    UrlCase("work:index", no_outsider="the caller's own work"),
    UrlCase("work:remind", method="post", no_outsider="who may remind which unit: test_work.py"),
    UrlCase("work:reminders", outsider="officer_b", outsider_expects="403"),
    UrlCase("api:my_work", anonymous="401", no_outsider="the caller's own work"),
]

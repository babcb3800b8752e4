from dxboard.testing import UrlCase


def _programme_of_commune_a(world) -> dict:
    from dxboard.evaluation.tests.factories import make_programme, single

    if "programme_a" not in world.extra:
        make_programme("99001", [single("URL-S")], [("URL-S", 2024, 1)], code="CT-A")
        world.extra["programme_a"] = "CT-A"
    return {"code": world.extra["programme_a"]}


CASES = [
    UrlCase("api:list_data_elements", anonymous="ok", no_outsider="the public catalogue"),
    UrlCase("api:list_indicators", anonymous="ok", no_outsider="the public catalogue"),
    # Anonymous callers see the public programmes only.
    UrlCase(
        "api:list_programmes",
        anonymous="ok",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: f'"{_programme_of_commune_a(w)["code"]}"',
    ),
    # A programme that is not public is not found for anonymous callers and outsiders.
    UrlCase(
        "api:get_programme", kwargs=_programme_of_commune_a, anonymous="404", outsider="officer_b"
    ),
    # officer_b is a reporter: importing metadata needs a province officer (403).
    UrlCase(
        "api:import_metadata",
        method="post",
        anonymous="401",
        outsider="officer_b",
        outsider_expects="403",
    ),
]

from .url_cases_web import CASES as WEB_CASES  # noqa: E402

CASES = CASES + WEB_CASES

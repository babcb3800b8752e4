"""Permission cases of the dashboard pages."""

from dxboard.indicators.tests.url_cases import _programme_of_commune_a
from dxboard.testing import UrlCase

CASES = [
    # Anonymous visitors may choose among the public programmes.
    UrlCase(
        "evaluation:index",
        anonymous="ok",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: _programme_of_commune_a(w)["code"],
    ),
    # Programme CT-A of commune A is not public: login first; officer B gets a 404.
    UrlCase("evaluation:dashboard", kwargs=_programme_of_commune_a, outsider="officer_b"),
]

"""Permission cases of the indicator pages (catalogue, programmes, target editing)."""

from dxboard.indicators.tests.url_cases import _programme_of_commune_a
from dxboard.testing import UrlCase


def _indicator_of_commune_a(world) -> dict:
    _programme_of_commune_a(world)
    return {"code": "URL-S"}


CASES = [
    # The catalogue is public knowledge, as in the API.
    UrlCase("indicators:catalogue", anonymous="ok", no_outsider="the public catalogue"),
    # Public, but commune A's targets for it are shown to commune A only.
    UrlCase(
        "indicators:indicator_detail",
        kwargs=_indicator_of_commune_a,
        anonymous="ok",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: "Xã An Bình",
    ),
    # Anonymous visitors see the public programmes only.
    UrlCase(
        "indicators:programme_list",
        anonymous="ok",
        outsider="officer_b",
        outsider_expects="ok",
        hidden=lambda w: _programme_of_commune_a(w)["code"],
    ),
    # Programme CT-A of commune A is not public.
    UrlCase(
        "indicators:programme_detail",
        kwargs=_programme_of_commune_a,
        outsider="officer_b",
    ),
    UrlCase("indicators:targets_edit", kwargs=_programme_of_commune_a, outsider="officer_b"),
    UrlCase(
        "indicators:targets_edit",
        method="post",
        kwargs=_programme_of_commune_a,
        outsider="officer_b",
        body=lambda w: {"indicator": "URL-S", "unit": "99001", "value-2024": "5", "source": "QĐ 1"},
    ),
]

from dxboard.indicators.tests.url_cases import _programme_of_commune_a
from dxboard.testing import UrlCase

CASES = [
    # Public programmes answer anonymous callers; this one (of commune A) is not public.
    UrlCase(
        "api:programme_evaluation",
        kwargs=_programme_of_commune_a,
        anonymous="404",
        outsider="officer_b",
    ),
    UrlCase(
        "api:programme_ranking",
        kwargs=_programme_of_commune_a,
        anonymous="404",
        outsider="officer_b",
    ),
]

from .url_cases_web import CASES as WEB_CASES  # noqa: E402

CASES = CASES + WEB_CASES

from dxboard.testing import UrlCase  # noqa: F401

CASES: list = []

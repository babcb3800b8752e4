import pytest

from dxboard.opendata.tables import forget_tables


@pytest.fixture(autouse=True)
def _fresh_tables(settings, tmp_path):
    # Tables are kept per process by dataset id, and ids repeat from test to test.
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_tables()
    yield
    forget_tables()

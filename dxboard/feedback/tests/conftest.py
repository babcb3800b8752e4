import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _media_and_cache(settings, tmp_path, request):
    settings.MEDIA_ROOT = tmp_path / "media"
    # The rate limit counts in the database cache ("shared"), a table no model owns: the
    # flush after a live-server test leaves its rows, so they are cleared here too.
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if any(name in names for name in ("transactional_db", "live_server")) or (
        marker is not None and marker.kwargs.get("transaction")
    ):
        request.getfixturevalue("transactional_db")
        caches["shared"].clear()
    elif "db" in names or marker is not None:
        request.getfixturevalue("db")
        caches["shared"].clear()
    caches["default"].clear()
    yield
    caches["default"].clear()

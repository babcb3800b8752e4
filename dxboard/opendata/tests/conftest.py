from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dxboard.opendata.tables import forget_tables


@pytest.fixture(autouse=True)
def _fresh_tables(settings: Any, tmp_path: Path) -> Iterator[None]:
    # Tables are kept per process by dataset id, and ids repeat from test to test.
    settings.MEDIA_ROOT = tmp_path / "media"
    forget_tables()
    yield
    forget_tables()

"""A position to a commune: the nearest commune centre, within DXBoard's communes.

The centres are those bundled with `vietnamadminunits` (its SQLite file, one row per
commune in force since 1 July 2025, with the official code and a centre point); the file
is read directly, once, and nothing is asked of any service online. A position whose
nearest centre in all of Vietnam is not one of the communes this installation serves is
outside its jurisdiction: no commune is chosen for it.
"""

from __future__ import annotations

import math
import sqlite3
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

import vietnamadminunits  # type: ignore[import-untyped]

from dxboard.units.models import Unit, UnitKind

DATASET = Path(vietnamadminunits.__file__).resolve().parent / "data" / "dataset.db"


@lru_cache(maxsize=1)
def commune_centres() -> dict[str, tuple[float, float]]:
    """Official commune code -> (latitude, longitude) of its centre, for all of Vietnam."""
    connection = sqlite3.connect(f"file:{DATASET}?mode=ro", uri=True)
    try:
        rows = connection.execute(
            "SELECT wardCode, wardLat, wardLon FROM admin_units "
            "WHERE wardCode IS NOT NULL AND wardLat IS NOT NULL AND wardLon IS NOT NULL"
        ).fetchall()
    finally:
        connection.close()
    return {str(code): (float(lat), float(lon)) for code, lat, lon in rows}


def _distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance (haversine)."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def nearest_commune(lat: Decimal | float, long: Decimal | float) -> Unit | None:
    """The commune in force whose centre is nearest, or None when the position is outside
    the communes DXBoard serves (or the nearest one has no centre in the data)."""
    point = (float(lat), float(long))
    centres = commune_centres()
    if not centres:
        return None
    code = min(centres, key=lambda c: _distance_km(point, centres[c]))
    return Unit.objects.in_force().filter(kind=UnitKind.COMMUNE, code=code).first()

"""API of the opendata app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["opendata"])

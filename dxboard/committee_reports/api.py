"""API of the committee_reports app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["committee_reports"])

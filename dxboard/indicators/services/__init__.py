"""Services of the indicators app: reading the catalogue and programmes, loading the
default catalogue. The metadata importer lives in `metadata.py`.

Public functions (all enforce permissions; a programme the user may not read is NotFound):

    list_data_elements() -> QuerySet[DataElement]
    list_indicators(*, pillar: str | None = None) -> QuerySet[Indicator]
    list_programmes(user) -> QuerySet[Programme]
    get_programme(user, code: str) -> Programme
    programme_indicators(programme) -> list[Indicator]          # in programme order
    load_catalogue() -> MetadataSummary                         # idempotent
    import_metadata(user | None, document, *, dry_run=False) -> MetadataSummary
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from dxboard.errors import NotFound
from dxboard.indicators.models import DataElement, Indicator, Programme, ProgrammeIndicator
from dxboard.indicators.services.metadata import MetadataSummary, import_metadata

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from dxboard.accounts.models import User

__all__ = [
    "MetadataSummary",
    "get_programme",
    "import_metadata",
    "list_data_elements",
    "list_indicators",
    "list_programmes",
    "load_catalogue",
    "programme_indicators",
]


def list_data_elements() -> QuerySet[DataElement]:
    """Every data element, by code. The catalogue is public knowledge, not scoped."""
    return DataElement.objects.order_by("code")


def list_indicators(*, pillar: str | None = None) -> QuerySet[Indicator]:
    """Indicators by code, with their data elements joined (no N+1)."""
    query = Indicator.objects.select_related("numerator", "denominator").order_by("code")
    if pillar:
        query = query.filter(pillar=pillar)
    return query


def list_programmes(user: User | AnonymousUser) -> QuerySet[Programme]:
    """Programmes the user may read (public ones for everybody)."""
    return Programme.objects.visible_to(user).select_related("owner_unit")


def get_programme(user: User | AnonymousUser, code: str) -> Programme:
    """One readable programme by code; NotFound when missing or not readable."""
    programme = list_programmes(user).filter(code=code).first()
    if programme is None:
        raise NotFound(_("Không tìm thấy chương trình “%(code)s”.") % {"code": code})
    return programme


def programme_indicators(programme: Programme) -> list[Indicator]:
    """The programme's indicators in their order, with data elements joined.

    Read once per programme object, as Django's prefetch: a dashboard asks 7 times. The
    related manager's add/create/remove/clear and `refresh_from_db()` forget it.
    """
    if "programme_indicators" not in getattr(programme, "_prefetched_objects_cache", {}):
        links = ProgrammeIndicator.objects.select_related(
            "indicator__numerator", "indicator__denominator"
        ).order_by("order", "indicator__code")
        prefetch_related_objects([programme], Prefetch("programme_indicators", queryset=links))
    return [link.indicator for link in programme.programme_indicators.all()]


def load_catalogue() -> MetadataSummary:
    """Load (or refresh) the default catalogue (`dxboard.indicators.catalogue`). Running twice
    is safe."""
    from dxboard.indicators.catalogue import catalogue_document

    return import_metadata(None, catalogue_document())

"""Open datasets: choosing and describing them (province officers), reading them (anyone).

create_dataset(user, **fields) -> Dataset          # opendata.manage on the publisher
update_dataset(user, dataset, **fields) -> Dataset
managed_datasets(user) -> QuerySet[Dataset]         # those the user may edit
public_datasets() -> QuerySet[Dataset]              # published, for pages, CKAN and DCAT
public_dataset(name_or_id) -> Dataset               # NotFound when absent or withdrawn
metadata_modified(dataset) -> datetime              # the later of metadata and data
"""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import Conflict, ErrorDetail, InvalidInput, NotFound
from dxboard.indicators.services import get_programme
from dxboard.opendata.models import Dataset, SourceKind
from dxboard.opendata.sources import source_for
from dxboard.periods import InvalidPeriod, parse_period
from dxboard.text import one_line
from dxboard.units.models import Unit

NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
KEYWORD_MAX = 50
EDITABLE = (
    "name",
    "title",
    "title_en",
    "description",
    "description_en",
    "publisher",
    "coverage",
    "source",
    "programme",
    "report_form_code",
    "period_start",
    "period_end",
    "licence",
    "frequency",
    "theme",
    "keywords",
    "contact_name",
    "contact_email",
    "published",
)


def managed_datasets(user: Any) -> QuerySet[Dataset]:
    units = permissions.units_for(user, "opendata.manage")
    return Dataset.objects.filter(publisher__in=units).select_related("publisher", "coverage")


def public_datasets() -> QuerySet[Dataset]:
    return (
        Dataset.objects.published()
        .select_related("publisher", "coverage", "programme")
        .order_by("name")
    )


def public_dataset(name_or_id: str) -> Dataset:
    """A published dataset by its name or its id (UUID), as CKAN finds packages."""
    datasets = public_datasets()
    found = datasets.filter(name=name_or_id).first()
    if found is None:
        try:
            found = datasets.filter(uuid=uuid.UUID(name_or_id)).first()
        except ValueError:
            found = None
    if found is None:
        raise NotFound(_("Không tìm thấy bộ dữ liệu “%(id)s”.") % {"id": name_or_id[:100]})
    return found


def metadata_modified(dataset: Dataset) -> datetime:
    """The later of the dataset's own change and its figures' last change (exact)."""
    last = source_for(dataset).last_change(dataset)
    return last if last is not None and last > dataset.updated_at else dataset.updated_at


# Lists (package_search, the catalogue page, the DCAT catalogue) would ask each dataset's
# source for its last change, one or two queries per dataset: they read it from the
# cache, kept this long. A single dataset (package_show, its page) is always exact.
LIST_MODIFIED_SECONDS = 60


def metadata_modified_many(datasets: list[Dataset]) -> dict[int, datetime]:
    """{dataset pk: metadata_modified}, from the cache for up to a minute (see above)."""
    if not settings.DXBOARD_EVALUATION_CACHE_SECONDS:
        return {d.pk: metadata_modified(d) for d in datasets}
    keys = {d.pk: f"opendata:modified:{d.pk}:{d.updated_at.timestamp()}" for d in datasets}
    found: dict[str, datetime] = cache.get_many(list(keys.values()))
    result: dict[int, datetime] = {}
    missing: dict[str, datetime] = {}
    for dataset in datasets:
        key = keys[dataset.pk]
        if key in found:
            result[dataset.pk] = found[key]
        else:
            result[dataset.pk] = missing[key] = metadata_modified(dataset)
    if missing:
        cache.set_many(missing, LIST_MODIFIED_SECONDS)
    return result


def _keywords(raw: Any) -> list[str]:
    if isinstance(raw, str):
        raw = raw.split(",")
    if not isinstance(raw, list | tuple):
        raise InvalidInput(
            _("Từ khóa không hợp lệ."), [ErrorDetail("keywords", _("Cần một danh sách từ khóa."))]
        )
    words: list[str] = []
    for word in raw:
        text = one_line(str(word))
        if not text:
            continue
        if len(text) > KEYWORD_MAX:
            message = _("Từ khóa dài quá %(n)s ký tự.") % {"n": KEYWORD_MAX}
            raise InvalidInput(message, [ErrorDetail("keywords", message)])
        if text not in words:
            words.append(text)
    return words


def _check(user: Any, dataset: Dataset) -> None:
    """Permission on the publisher, coverage inside what the user may see, sources valid."""
    permissions.require(user, "opendata.manage", dataset.publisher)
    if not dataset.coverage.is_visible_to(user):
        raise NotFound(_("Không tìm thấy đơn vị."))
    errors: list[ErrorDetail] = []
    if not NAME_PATTERN.match(dataset.name or ""):
        errors.append(
            ErrorDetail(
                "name",
                _("Tên định danh gồm 2–100 chữ thường không dấu, số, gạch ngang, gạch dưới."),
            )
        )
    periods = []
    for field in ("period_start", "period_end"):
        try:
            periods.append(parse_period(getattr(dataset, field)))
        except InvalidPeriod as error:
            errors.append(ErrorDetail(field, str(error)))
    if len(periods) == 2:
        first, last = periods
        if first.type != last.type:
            errors.append(ErrorDetail("period_end", _("Hai kỳ phải cùng loại (quý với quý).")))
        elif last < first:
            errors.append(ErrorDetail("period_end", _("Kỳ cuối không được trước kỳ đầu.")))
    if dataset.source == SourceKind.EVALUATION:
        programme = dataset.programme
        if programme is None:
            errors.append(ErrorDetail("programme", _("Cần chọn chương trình.")))
        else:
            get_programme(user, programme.code)  # NotFound for one the user may not see
    if dataset.source == SourceKind.COMPLETENESS and not dataset.report_form_code:
        errors.append(ErrorDetail("report_form_code", _("Cần chọn biểu mẫu.")))
    try:
        dataset.full_clean(exclude=["uuid"], validate_unique=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.extend(ErrorDetail(field, str(m)) for m in messages)
    if errors:
        raise InvalidInput(_("Thông tin bộ dữ liệu chưa hợp lệ."), errors)


def _assign(dataset: Dataset, fields: dict[str, Any]) -> None:
    unknown = sorted(set(fields) - set(EDITABLE))
    if unknown:
        raise InvalidInput(
            _("Trường không hợp lệ."), [ErrorDetail(f, _("Trường không có.")) for f in unknown]
        )
    for name, value in fields.items():
        if name == "keywords":
            value = _keywords(value)
        elif isinstance(value, str) and name not in ("description", "description_en"):
            value = one_line(value)
        setattr(dataset, name, value)


def _save(dataset: Dataset) -> None:
    try:
        with transaction.atomic():
            dataset.save()
    except IntegrityError:
        message = _("Tên định danh “%(name)s” đã được dùng.") % {"name": dataset.name}
        raise Conflict(message, [ErrorDetail("name", message)]) from None


def create_dataset(user: Any, **fields: Any) -> Dataset:
    dataset = Dataset()
    _assign(dataset, fields)
    if not isinstance(getattr(dataset, "publisher", None), Unit):
        raise InvalidInput(
            _("Cần chọn đơn vị công bố."), [ErrorDetail("publisher", _("Cần chọn."))]
        )
    if dataset.coverage_id is None:
        dataset.coverage = dataset.publisher
    _check(user, dataset)
    if Dataset.objects.filter(name=dataset.name).exists():
        message = _("Tên định danh “%(name)s” đã được dùng.") % {"name": dataset.name}
        raise Conflict(message, [ErrorDetail("name", message)])
    _save(dataset)
    return dataset


def update_dataset(user: Any, dataset: Dataset, **fields: Any) -> Dataset:
    permissions.require(user, "opendata.manage", dataset.publisher)
    _assign(dataset, fields)
    _check(user, dataset)
    if Dataset.objects.filter(name=dataset.name).exclude(pk=dataset.pk).exists():
        message = _("Tên định danh “%(name)s” đã được dùng.") % {"name": dataset.name}
        raise Conflict(message, [ErrorDetail("name", message)])
    _save(dataset)
    return dataset

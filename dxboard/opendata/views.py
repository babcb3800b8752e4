"""Public pages of the open-data catalogue (no login), downloads and DCAT records; the
province officer's pages that choose and describe the datasets."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from dxboard import permissions
from dxboard.errors import Conflict, Forbidden, InvalidInput, NotFound
from dxboard.opendata import dcat, services
from dxboard.opendata.catalog import Site, package_dict
from dxboard.opendata.ckan import search
from dxboard.opendata.ckan.errors import CkanError
from dxboard.opendata.forms import DatasetForm
from dxboard.opendata.models import Dataset
from dxboard.opendata.resources import FORMAT_BY_CODE, as_csv, as_json, as_xlsx, resources_of
from dxboard.opendata.series import series_of
from dxboard.opendata.tables import table_for
from dxboard.periods import parse_period

PAGE_SIZE = 20
PREVIEW_ROWS = 20
FACETS = [
    ("organization", _("Đơn vị công bố")),
    ("groups", _("Chủ đề")),
    ("tags", _("Từ khóa")),
    ("res_format", _("Định dạng")),
]
DCAT_SYNTAXES = {"ttl": "turtle", "jsonld": "json-ld"}


def _site(request: HttpRequest) -> Site:
    return Site(request.build_absolute_uri("/").rstrip("/"))


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 10_000))
    except ValueError:
        return 1


def catalogue(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")
    chosen = {f: request.GET.get(f, "") for f, _label in FACETS if request.GET.get(f)}
    page = _page_number(request)
    fq = " ".join(f'{field}:"{value.replace(chr(34), "")}"' for field, value in chosen.items())
    datasets = list(services.public_datasets())
    modified = services.metadata_modified_many(datasets)
    error = ""
    try:
        result = search.search(
            datasets,
            {
                "q": q.replace('"', " "),
                "fq": fq,
                "rows": PAGE_SIZE,
                "start": (page - 1) * PAGE_SIZE,
                "sort": "title_string asc",
                "facet.field": [f for f, _label in FACETS],
            },
            lambda d: modified[d.pk],
            lambda d: {"dataset": d, "modified": modified[d.pk]},
        )
    except CkanError as failure:
        error = failure.fields.get("q", [failure.message])[0]
        result = {"count": 0, "results": [], "search_facets": {}}
    facets = []
    for field, label in FACETS:
        items = []
        for item in result["search_facets"].get(field, {}).get("items", []):
            selected = chosen.get(field) == item["name"]
            query = {"q": q, **chosen}
            if selected:
                query.pop(field)
            else:
                query[field] = item["name"]
            items.append(
                {
                    **item,
                    "selected": selected,
                    "url": "?" + urlencode({k: v for k, v in query.items() if v}),
                }
            )
        facets.append({"field": field, "label": label, "items": items})
    pages = max(1, -(-result["count"] // PAGE_SIZE))
    base = {"q": q, **chosen}
    return render(
        request,
        "opendata/catalogue.html",
        {
            "q": q,
            "error": error,
            "count": result["count"],
            "results": result["results"],
            "facets": facets,
            "page": page,
            "pages": pages,
            "previous_url": "?" + urlencode({**base, "page": page - 1}) if page > 1 else "",
            "next_url": "?" + urlencode({**base, "page": page + 1}) if page < pages else "",
            "chosen": chosen,
        },
    )


def _dataset(name: str) -> Any:
    return services.public_dataset(name)


def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _dataset(name)
    table = table_for(dataset)
    site = _site(request)
    package = package_dict(dataset, site)
    csv_resource = resources_of(dataset)[0]
    series = series_of(dataset, table)
    return render(
        request,
        "opendata/dataset_detail.html",
        {
            "dataset": dataset,
            "package": package,
            "extras": {e["key"]: e["value"] for e in package["extras"]},
            "modified": services.metadata_modified(dataset),
            "fields": table.fields,
            "preview": table.rows[:PREVIEW_ROWS],
            "row_count": len(table.rows),
            "series": series,
            "series_rows": list(zip(series.periods, zip(*series.values, strict=True), strict=True))
            if series
            else [],
            "resources": resources_of(dataset),
            "api_show": f"{site.base}/api/3/action/package_show?id={dataset.name}",
            "api_search": (
                f"{site.base}/api/3/action/datastore_search?resource_id={csv_resource.id}&limit=5"
            ),
            "resource_id": csv_resource.id,
            "site": site.base,
            "period_from": parse_period(dataset.period_start).label,
            "period_to": parse_period(dataset.period_end).label,
        },
    )


def download(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    dataset = _dataset(name)
    format_ = FORMAT_BY_CODE.get(fmt)
    if format_ is None:
        raise Http404(_("Không có định dạng này."))
    table = table_for(dataset)
    if fmt == "csv":
        content, mimetype = as_csv(table), "text/csv; charset=utf-8"
    elif fmt == "json":
        content, mimetype = as_json(table), "application/json"
    else:
        content, mimetype = as_xlsx(dataset, table), format_.mimetype
    response = HttpResponse(content, content_type=mimetype)
    response["Content-Disposition"] = f'attachment; filename="{dataset.name}.{fmt}"'
    response["Last-Modified"] = services.metadata_modified(dataset).strftime(
        "%a, %d %b %Y %H:%M:%S GMT"
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _rdf(content: bytes, syntax: str) -> HttpResponse:
    response = HttpResponse(content, content_type=dcat.MIMETYPES[syntax])
    response["Access-Control-Allow-Origin"] = "*"
    return response


def catalogue_dcat(request: HttpRequest, ext: str) -> HttpResponse:
    syntax = DCAT_SYNTAXES.get(ext)
    if syntax is None:
        raise Http404(_("Không có định dạng này."))
    graph = dcat.catalogue_graph(list(services.public_datasets()), _site(request))
    return _rdf(dcat.serialise(graph, syntax), syntax)


def dataset_dcat(request: HttpRequest, name: str, ext: str) -> HttpResponse:
    syntax = DCAT_SYNTAXES.get(ext)
    if syntax is None:
        raise Http404(_("Không có định dạng này."))
    graph = dcat.dataset_graph(_dataset(name), _site(request))
    return _rdf(dcat.serialise(graph, syntax), syntax)


# --- management (province officers) ---------------------------------------------------------


@login_required
def manage_list(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, "opendata.manage"):
        raise Forbidden(_("Bạn không có quyền quản lý dữ liệu mở."))
    datasets = services.managed_datasets(request.user).order_by("name")
    return render(request, "opendata/manage_list.html", {"datasets": datasets})


def _edit(request: HttpRequest, dataset: Dataset | None) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = DatasetForm(user, request.POST)
        if form.is_valid():
            try:
                if dataset is None:
                    dataset = services.create_dataset(user, **form.cleaned_data)
                else:
                    dataset = services.update_dataset(user, dataset, **form.cleaned_data)
            except (InvalidInput, Conflict) as error:
                form.add_service_error(error)
            else:
                messages.success(request, _("Đã lưu bộ dữ liệu “%(t)s”.") % {"t": dataset.title})
                return redirect("opendata:manage_list")
    elif dataset is not None:
        form = DatasetForm(user, initial=DatasetForm.initial_for(dataset))
    else:
        form = DatasetForm(user)
    return render(request, "opendata/manage_form.html", {"form": form, "dataset": dataset})


@login_required
def manage_create(request: HttpRequest) -> HttpResponse:
    if not permissions.can(request.user, "opendata.manage"):
        raise Forbidden(_("Bạn không có quyền quản lý dữ liệu mở."))
    return _edit(request, None)


@login_required
def manage_edit(request: HttpRequest, name: str) -> HttpResponse:
    dataset = services.managed_datasets(request.user).filter(name=name).first()
    if dataset is None:
        raise NotFound(_("Không tìm thấy bộ dữ liệu “%(id)s”.") % {"id": name})
    return _edit(request, dataset)

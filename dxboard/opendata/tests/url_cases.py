from dxboard.testing import UrlCase, World


def _dataset(w: World) -> dict[str, str]:
    if "dataset" not in w.extra:
        from .factories import make_dataset

        w.extra["dataset"] = make_dataset(w, name="du-lieu-thu")
    return {"name": w.extra["dataset"].name}


PUBLISHED = "published open data is public"

CASES: list[UrlCase] = [
    UrlCase("opendata:catalogue", anonymous="ok", no_outsider=PUBLISHED),
    UrlCase(
        "opendata:catalogue_dcat",
        kwargs=lambda w: {"ext": "ttl"},
        anonymous="ok",
        no_outsider=PUBLISHED,
    ),
    UrlCase("opendata:dataset", kwargs=_dataset, anonymous="ok", no_outsider=PUBLISHED),
    UrlCase(
        "opendata:dataset_dcat",
        kwargs=lambda w: {**_dataset(w), "ext": "jsonld"},
        anonymous="ok",
        no_outsider=PUBLISHED,
    ),
    UrlCase(
        "opendata:download",
        kwargs=lambda w: {**_dataset(w), "fmt": "csv"},
        anonymous="ok",
        no_outsider=PUBLISHED,
    ),
    UrlCase(
        "ckan:action",
        kwargs=lambda w: {"name": "package_list"},
        anonymous="ok",
        no_outsider=PUBLISHED,
    ),
    UrlCase(
        "ckan:action_unversioned",
        kwargs=lambda w: {"name": "site_read"},
        anonymous="ok",
        no_outsider=PUBLISHED,
    ),
    UrlCase("opendata:manage_list", outsider="officer_b", outsider_expects="403"),
    UrlCase("opendata:manage_create", outsider="officer_b", outsider_expects="403"),
    UrlCase("opendata:manage_edit", kwargs=_dataset, outsider="officer_b"),
]

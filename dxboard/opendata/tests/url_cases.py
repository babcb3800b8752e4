from dxboard.testing import UrlCase, World


def _dataset(w: World) -> dict[str, str]:
    if "dataset" not in w.extra:
        from .factories import make_dataset

        w.extra["dataset"] = make_dataset(w, name="du-lieu-thu")
    return {"name": w.extra["dataset"].name}


CASES: list[UrlCase] = [
    UrlCase("opendata:catalogue", anonymous="ok"),
    UrlCase("opendata:catalogue_dcat", kwargs=lambda w: {"ext": "ttl"}, anonymous="ok"),
    UrlCase("opendata:dataset", kwargs=_dataset, anonymous="ok"),
    UrlCase(
        "opendata:dataset_dcat", kwargs=lambda w: {**_dataset(w), "ext": "jsonld"}, anonymous="ok"
    ),
    UrlCase("opendata:download", kwargs=lambda w: {**_dataset(w), "fmt": "csv"}, anonymous="ok"),
    UrlCase("ckan:action", kwargs=lambda w: {"name": "package_list"}, anonymous="ok"),
    UrlCase("ckan:action_unversioned", kwargs=lambda w: {"name": "site_read"}, anonymous="ok"),
    UrlCase("opendata:manage_list"),
    UrlCase("opendata:manage_create"),
    UrlCase("opendata:manage_edit", kwargs=_dataset, outsider="officer_b"),
]

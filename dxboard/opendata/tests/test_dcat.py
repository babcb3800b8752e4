"""DCAT-AP records parse back with rdflib and carry the ckanext-dcat mapping."""

from __future__ import annotations

import pytest
from django.test import Client
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD

from dxboard.opendata.dcat import VCARD
from dxboard.opendata.models import Dataset
from dxboard.opendata.resources import resources_of
from dxboard.opendata.tests.factories import make_dataset, make_projects
from dxboard.testing import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(world: World) -> Dataset:
    make_projects(world)
    return make_dataset(world, name="du-an-cds")


def parse(client: Client, url: str, syntax: str) -> Graph:
    response = client.get(url)
    assert response.status_code == 200
    graph = Graph()
    graph.parse(data=response.content.decode(), format=syntax)
    return graph


@pytest.mark.parametrize(("ext", "syntax"), [("ttl", "turtle"), ("jsonld", "json-ld")])
def test_a_dataset_record_round_trips_with_the_ckan_to_dcat_mapping(
    client: Client, dataset: Dataset, ext: str, syntax: str
) -> None:
    graph = parse(client, f"/data/dataset/du-an-cds.{ext}", syntax)
    node = URIRef("http://testserver/data/dataset/du-an-cds/")
    assert (node, RDF.type, DCAT.Dataset) in graph
    assert graph.value(node, DCTERMS.identifier) == Literal(str(dataset.uuid))
    titles = {
        t.language: str(t) for t in graph.objects(node, DCTERMS.title) if isinstance(t, Literal)
    }
    assert titles == {"vi": dataset.title, "en": dataset.title_en}
    assert {str(k) for k in graph.objects(node, DCAT.keyword)} == {"chuyển đổi số", "dự án"}
    assert graph.value(node, DCTERMS.accrualPeriodicity) == URIRef(
        "http://publications.europa.eu/resource/authority/frequency/QUARTERLY"
    )
    temporal = graph.value(node, DCTERMS.temporal)
    assert graph.value(temporal, DCAT.startDate) == Literal("2025-01-01", datatype=XSD.date)
    assert graph.value(temporal, DCAT.endDate) == Literal("2025-12-31", datatype=XSD.date)
    publisher = graph.value(node, DCTERMS.publisher)
    assert str(graph.value(publisher, FOAF.name)) == "Tỉnh Thử Nghiệm"
    contact = graph.value(node, DCAT.contactPoint)
    assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:cds@example.vn")
    assert graph.value(node, DCTERMS.spatial) is not None
    assert graph.value(node, DCTERMS.modified) is not None
    distributions = list(graph.objects(node, DCAT.distribution))
    assert len(distributions) == 3
    formats = {str(graph.value(d, DCTERMS["format"])).rsplit("/", 1)[1] for d in distributions}
    assert formats == {"CSV", "JSON", "XLSX"}
    urls = {str(graph.value(d, DCAT.downloadURL)) for d in distributions}
    assert urls == {f"http://testserver{r.path}" for r in resources_of(dataset)}
    for distribution in distributions:
        assert graph.value(distribution, DCAT.accessURL) is not None
        assert graph.value(distribution, DCTERMS.license) == URIRef(
            "https://creativecommons.org/licenses/by/4.0/"
        )


def test_the_catalogue_lists_every_published_dataset_and_the_api(
    client: Client, world: World, dataset: Dataset
) -> None:
    from dxboard.opendata.services import update_dataset

    hidden = make_dataset(world, name="rut-lai")
    update_dataset(world.province_officer, hidden, published=False)
    graph = parse(client, "/data/catalog.ttl", "turtle")
    catalogue = URIRef("http://testserver/data/")
    assert (catalogue, RDF.type, DCAT.Catalog) in graph
    datasets = set(graph.objects(catalogue, DCAT.dataset))
    assert datasets == {URIRef("http://testserver/data/dataset/du-an-cds/")}
    service = graph.value(catalogue, DCAT.service)
    assert (service, RDF.type, DCAT.DataService) in graph
    assert graph.value(service, DCAT.endpointURL) == URIRef("http://testserver/api/3/action/")


def test_an_unknown_dataset_or_syntax_has_no_record(client: Client, dataset: Dataset) -> None:
    assert client.get("/data/dataset/khong-co.ttl").status_code == 404
    assert client.get("/data/dataset/du-an-cds.xml").status_code == 404
    assert client.get("/data/catalog.rdf").status_code == 404

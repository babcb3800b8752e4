"""DCAT-AP 3 records of the catalogue and of each dataset, as Turtle or JSON-LD.

The properties follow ckanext-dcat's CKAN-to-DCAT mapping (docs/mapping.md), read from
the same package dict the Action API answers (`catalog.package_dict`), so a CKAN portal's
DCAT harvester (`dcat_rdf_harvester`) builds the same dataset as its CKAN harvester.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, SKOS, XSD

from dxboard.opendata.catalog import Site, package_dict
from dxboard.opendata.models import Dataset
from dxboard.opendata.services import metadata_modified_many

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU_FREQUENCY = "http://publications.europa.eu/resource/authority/frequency/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_LANGUAGE = "http://publications.europa.eu/resource/authority/language/"
IANA = "https://www.iana.org/assignments/media-types/"
DCAT_AP_3 = "http://data.europa.eu/r5r/"
CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "skos": str(SKOS),
    "owl": str(OWL),
    "adms": str(ADMS),
    "xsd": str(XSD),
}
MIMETYPES = {"turtle": "text/turtle; charset=utf-8", "json-ld": "application/ld+json"}


def _graph() -> Graph:
    graph = Graph()
    for prefix, uri in CONTEXT.items():
        graph.bind(prefix, Namespace(uri))
    return graph


def _extras(package: dict[str, Any]) -> dict[str, str]:
    return {e["key"]: e["value"] for e in package["extras"]}


def dataset_uri(package: dict[str, Any]) -> URIRef:
    return URIRef(package["url"])


def _add_dataset(graph: Graph, package: dict[str, Any]) -> URIRef:
    extras = _extras(package)
    node = dataset_uri(package)
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.title, Literal(package["title"], lang="vi")))
    if extras.get("title_en"):
        graph.add((node, DCTERMS.title, Literal(extras["title_en"], lang="en")))
    graph.add((node, DCTERMS.description, Literal(package["notes"], lang="vi")))
    if extras.get("notes_en"):
        graph.add((node, DCTERMS.description, Literal(extras["notes_en"], lang="en")))
    graph.add((node, DCTERMS.identifier, Literal(package["id"])))
    graph.add((node, DCAT.landingPage, URIRef(package["url"])))
    graph.add((node, DCTERMS.issued, Literal(package["metadata_created"], datatype=XSD.dateTime)))
    graph.add(
        (node, DCTERMS.modified, Literal(package["metadata_modified"], datatype=XSD.dateTime))
    )
    graph.add((node, DCTERMS.language, URIRef(EU_LANGUAGE + "VIE")))
    graph.add((node, DCTERMS.accrualPeriodicity, URIRef(EU_FREQUENCY + extras["frequency"])))
    graph.add((node, DCAT.theme, URIRef(extras["theme"])))
    for tag in package["tags"]:
        graph.add((node, DCAT.keyword, Literal(tag["name"], lang="vi")))

    spatial = URIRef(extras["spatial_uri"])
    graph.add((node, DCTERMS.spatial, spatial))
    graph.add((spatial, RDF.type, DCTERMS.Location))
    graph.add((spatial, DCTERMS.identifier, Literal(extras["spatial_code"])))

    period = BNode()
    graph.add((node, DCTERMS.temporal, period))
    graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
    graph.add((period, DCAT.startDate, Literal(extras["temporal_start"], datatype=XSD.date)))
    graph.add((period, DCAT.endDate, Literal(extras["temporal_end"], datatype=XSD.date)))

    publisher = URIRef(extras["publisher_uri"])
    graph.add((node, DCTERMS.publisher, publisher))
    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(extras["publisher_name"], lang="vi")))

    contact = BNode()
    graph.add((node, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(extras["contact_name"], lang="vi")))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{extras['contact_email']}")))

    for resource in package["resources"]:
        distribution = URIRef(f"{package['url']}resource/{resource['id']}")
        graph.add((node, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.identifier, Literal(resource["id"])))
        graph.add((distribution, DCTERMS.title, Literal(resource["name"], lang="vi")))
        graph.add((distribution, DCTERMS.description, Literal(resource["description"], lang="vi")))
        graph.add((distribution, DCAT.accessURL, URIRef(resource["url"])))
        graph.add((distribution, DCAT.downloadURL, URIRef(resource["url"])))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + resource["mimetype"])))
        graph.add((distribution, DCTERMS["format"], URIRef(EU_FILE_TYPE + resource["format"])))
        graph.add((distribution, DCTERMS.license, URIRef(resource["license"])))
        graph.add(
            (
                distribution,
                DCTERMS.modified,
                Literal(resource["last_modified"], datatype=XSD.dateTime),
            )
        )
    return node


def dataset_graph(dataset: Dataset, site: Site) -> Graph:
    graph = _graph()
    _add_dataset(graph, package_dict(dataset, site))
    return graph


def catalogue_graph(datasets: list[Dataset], site: Site) -> Graph:
    graph = _graph()
    catalogue = URIRef(site.url("/data/"))
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal("Dữ liệu mở chuyển đổi số", lang="vi")))
    graph.add((catalogue, DCTERMS.title, Literal("Digital transformation open data", lang="en")))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal("Các bộ dữ liệu mở do DXBoard công bố.", lang="vi"),
        )
    )
    graph.add((catalogue, FOAF.homepage, catalogue))
    graph.add((catalogue, DCTERMS.language, URIRef(EU_LANGUAGE + "VIE")))
    graph.add((catalogue, DCTERMS.conformsTo, URIRef(DCAT_AP_3)))
    service = URIRef(site.url("/api/3/action/"))
    graph.add((catalogue, DCAT.service, service))
    graph.add((service, RDF.type, DCAT.DataService))
    graph.add((service, DCTERMS.title, Literal("CKAN Action API", lang="en")))
    graph.add((service, DCAT.endpointURL, service))
    latest = None
    modified = metadata_modified_many(datasets)
    for dataset in datasets:
        package = package_dict(dataset, site, modified[dataset.pk])
        node = _add_dataset(graph, package)
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((service, DCAT.servesDataset, node))
        if latest is None or package["metadata_modified"] > latest:
            latest = package["metadata_modified"]
    if latest is not None:
        graph.add((catalogue, DCTERMS.modified, Literal(latest, datatype=XSD.dateTime)))
    return graph


def serialise(graph: Graph, syntax: str) -> bytes:
    if syntax == "json-ld":
        return graph.serialize(format="json-ld", context=CONTEXT, indent=2).encode()
    return graph.serialize(format="turtle").encode()

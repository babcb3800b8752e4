"""The metadata import takes DHIS2's shapes: parent objects, numeric levels, aggregation types."""

from __future__ import annotations

import pytest

from dxboard.errors import InvalidInput
from dxboard.indicators.models import DataElement
from dxboard.indicators.services import import_metadata
from dxboard.units.models import Unit, UnitKind

pytestmark = pytest.mark.django_db


def test_parent_objects_by_code_or_id_and_numeric_levels_are_read(world):
    document = {
        "organisationUnits": [
            {"code": "99901", "name": "Xã Mới", "level": 3, "parent": {"id": "99"}},
            {"code": "99901-T1", "name": "Thôn Một", "level": "4", "parent": {"code": "99901"}},
        ]
    }
    import_metadata(None, document)
    commune = Unit.objects.get(code="99901")
    assert (commune.kind, commune.parent.code) == (UnitKind.COMMUNE, "99")
    hamlet = Unit.objects.get(code="99901-T1")
    assert (hamlet.kind, hamlet.parent.code) == (UnitKind.HAMLET, "99901")
    assert document["organisationUnits"][0]["parent"] == {"id": "99"}  # the input is untouched


def test_an_unknown_numeric_level_and_an_empty_parent_are_refused_by_path(world):
    document = {
        "organisationUnits": [
            {"code": "99902", "name": "Xã Lạ", "level": 7, "parent": {"name": "Tỉnh"}},
        ]
    }
    with pytest.raises(InvalidInput) as raised:
        import_metadata(None, document)
    paths = {d.path for d in raised.value.details}
    assert paths == {"organisationUnits[0].level", "organisationUnits[0].parent"}
    assert not Unit.objects.filter(code="99902").exists()


@pytest.mark.parametrize(
    ("dhis2_type", "units", "time"),
    [
        ("SUM", "sum", "sum"),
        ("AVERAGE", "average", "average"),
        ("AVERAGE_SUM_ORG_UNIT", "sum", "average"),
        ("LAST", "sum", "last"),
        ("LAST_AVERAGE_ORG_UNIT", "average", "last"),
        ("NONE", "none", "last"),
    ],
)
def test_dhis2_aggregation_types_map_onto_units_and_time_rules(world, dhis2_type, units, time):
    element = {"code": "DE-1", "name": "Số hộ", "valueType": "INTEGER"}
    import_metadata(None, {"dataElements": [{**element, "aggregationType": dhis2_type}]})
    stored = DataElement.objects.get(code="DE-1")
    assert (stored.aggregation_units, stored.aggregation_time) == (units, time)


def test_dxboards_lower_case_last_keeps_its_meaning(world):
    document = {
        "dataElements": [
            {"code": "DE-2", "name": "Tồn", "valueType": "integer", "aggregationType": "last"}
        ]
    }
    import_metadata(None, document)
    assert DataElement.objects.get(code="DE-2").aggregation_units == "last"


@pytest.mark.parametrize("dhis2_type", ["COUNT", "MAX", "STDDEV"])
def test_an_aggregation_type_dxboard_cannot_compute_is_refused_by_name(world, dhis2_type):
    document = {
        "dataElements": [
            {"code": "DE-3", "name": "Đếm", "valueType": "INTEGER", "aggregationType": dhis2_type}
        ]
    }
    with pytest.raises(InvalidInput) as raised:
        import_metadata(None, document)
    (detail,) = raised.value.details
    assert detail.path == "dataElements[0].aggregationType" and dhis2_type in detail.message
    assert not DataElement.objects.exists()

"""DHIS2's XML `dataValueSet` read into the JSON document the import takes.

    <dataValueSet xmlns="http://dhis2.org/schema/dxf/2.0" dataSet="BM-T" period="2024Q1"
                  orgUnit="99001" completeDate="2024-04-05">
      <dataValue dataElement="CQ-03-MAU" value="12" comment="..."/>
    </dataValueSet>

A document with a DOCTYPE is refused: DHIS2 documents have none, and refusing it rules out
entity tricks whatever the XML parser does with them.
"""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree

from django.utils.translation import gettext as _

from dxboard.errors import ErrorDetail, InvalidInput

XML_TYPES = ("application/xml", "text/xml")
SET_ATTRIBUTES = ("dataSet", "completeDate", "period", "orgUnit", "attributeOptionCombo")
VALUE_ATTRIBUTES = (
    "dataElement",
    "period",
    "orgUnit",
    "categoryOptionCombo",
    "attributeOptionCombo",
    "value",
    "storedBy",
    "created",
    "lastUpdated",
    "comment",
    "followup",
    "deleted",
)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def xml_to_json(content: bytes) -> bytes:
    """The JSON form of an XML dataValueSet; InvalidInput when it is not one."""
    if b"<!DOCTYPE" in content[:2048].upper() or b"<!ENTITY" in content.upper():
        message = _("Tài liệu XML không được có DOCTYPE hay ENTITY.")
        raise InvalidInput(message, [ErrorDetail(".", message)])
    try:
        root = ElementTree.fromstring(content)
    except ElementTree.ParseError as error:
        message = _("Nội dung không phải XML hợp lệ (dòng %(line)s).") % {"line": error.position[0]}
        raise InvalidInput(message, [ErrorDetail(".", message)]) from None
    if _local(root.tag) != "dataValueSet":
        message = _("Cần phần tử gốc dataValueSet.")
        raise InvalidInput(message, [ErrorDetail(".", message)])
    document: dict[str, Any] = {k: root.get(k) for k in SET_ATTRIBUTES if root.get(k)}
    values = []
    for element in root:
        if _local(element.tag) != "dataValue":
            continue
        item: dict[str, Any] = {k: element.get(k) for k in VALUE_ATTRIBUTES if element.get(k)}
        for flag in ("followup", "deleted"):
            if flag in item:
                item[flag] = str(item[flag]).lower() == "true"
        values.append(item)
    document["dataValues"] = values
    return json.dumps(document).encode()

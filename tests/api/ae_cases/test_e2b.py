"""The ICSR export: ICH E2B(R3) structure, the case's values in their data elements, and validation of
every export against the subset schema kept in the repository."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from api.ae_cases import e2b
from api.ae_cases.models import AeCase, AgeGroup, Qualification, Sex

NS = {"hl7": e2b.HL7, "xsi": e2b.XSI}
RECEIVED = dt.datetime(2026, 11, 2, 15, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 11, 3, 9, 30, tzinfo=dt.UTC)
EVENT = "hl7:PORR_IN049016UV/hl7:controlActProcess/hl7:subject/hl7:investigationEvent"
ROLE = f"{EVENT}/hl7:component/hl7:adverseEventAssessment/hl7:subject1/hl7:primaryRole"


def _case(**fields: object) -> AeCase:
    values: dict[str, object] = {
        "id": "7d0c6c55-5bfb-4d3c-9b0e-1f2a3b4c5d6e",
        "case_number": "US-AVENDRABIO-2026-0123456789",
        "awareness_at": RECEIVED,
        "latest_info_at": LATER,
        "events": ["rash"],
        "special_situations": [],
        "seriousness": ["hospitalisation"],
        "narrative": "Patient [PERSON] developed a rash after Quelvanti <2nd dose> & was admitted.",
        "patient_initials": None,
        "patient_age_group": AgeGroup.ADULT,
        "patient_sex": Sex.FEMALE,
        "reporter_qualification": Qualification.PHYSICIAN,
        "event_coding": None,
    }
    return AeCase(**(values | fields))


def _envelope(version: int = 1) -> e2b.Envelope:
    return e2b.Envelope(version, LATER, "AVENDRABIO-US", "AVENDRABIO-SAFETYDB", "Avendra Bio")


def _root(case: AeCase, version: int = 1) -> ET.Element:
    xml = e2b.build(case, _envelope(version))
    e2b.validate(xml)
    return ET.fromstring(xml)


def _attr(root: ET.Element, path: str, name: str) -> str | None:
    node = root.find(path, NS)
    assert node is not None, path
    return node.get(name)


def test_the_export_carries_headers_identifiers_dates_and_the_primary_source() -> None:
    root = _root(_case())
    assert _attr(root, "hl7:id", "extension") == "US-AVENDRABIO-2026-0123456789-B1"  # N.1.2
    assert _attr(root, "hl7:PORR_IN049016UV/hl7:id", "extension") == "US-AVENDRABIO-2026-0123456789-V1"
    assert _attr(root, "hl7:PORR_IN049016UV/hl7:sender/hl7:device/hl7:id", "extension") == "AVENDRABIO-US"
    receiver = "hl7:PORR_IN049016UV/hl7:receiver/hl7:device/hl7:id"
    assert _attr(root, receiver, "extension") == "AVENDRABIO-SAFETYDB"
    ids = root.findall(f"{EVENT}/hl7:id", NS)
    assert [(i.get("root"), i.get("extension")) for i in ids] == [
        (e2b.OID_REPORT_ID, "US-AVENDRABIO-2026-0123456789"),
        (e2b.OID_WORLDWIDE_ID, "US-AVENDRABIO-2026-0123456789"),
    ]
    assert _attr(root, f"{EVENT}/hl7:effectiveTime/hl7:low", "value") == "20261102"  # C.1.4
    assert _attr(root, f"{EVENT}/hl7:availabilityTime", "value") == "20261103"  # C.1.5
    qualification = ".//hl7:asQualifiedEntity/hl7:code"
    assert _attr(root, qualification, "code") == "1"  # physician
    sender = f"{EVENT}/hl7:subjectOf1/hl7:controlActEvent/hl7:author/hl7:assignedEntity"
    assert _attr(root, f"{sender}/hl7:code", "code") == "1"  # pharmaceutical company
    assert root.findtext(f"{EVENT}/hl7:text", namespaces=NS) == _case().narrative


def test_patient_reactions_seriousness_and_the_suspect_drug() -> None:
    root = _root(_case(event_coding="10037844 Rash (PT)"))
    assert root.find(f"{ROLE}/hl7:player1/hl7:name", NS).get("nullFlavor") == "UNK"  # type: ignore[union-attr]
    assert _attr(root, f"{ROLE}/hl7:player1/hl7:administrativeGenderCode", "code") == "2"
    observations = root.findall(f"{ROLE}/hl7:subjectOf2/hl7:observation", NS)
    age, reaction = observations
    assert age.find("hl7:value", NS).get("code") == "5"  # type: ignore[union-attr]
    value = reaction.find("hl7:value", NS)
    assert value is not None and value.get(f"{{{e2b.XSI}}}type") == "CE"
    assert (value.get("code"), value.get("codeSystem")) == ("10037844", e2b.OID_MEDDRA)
    assert value.findtext("hl7:originalText", namespaces=NS) == "rash"
    flags = {
        o.find("hl7:code", NS).get("code"): o.find("hl7:value", NS).get("value")  # type: ignore[union-attr]
        for o in reaction.findall("hl7:outboundRelationship2/hl7:observation", NS)
    }
    assert flags == {"34": "false", "21": "false", "33": "true", "35": "false", "12": "false", "26": "false"}
    product = f"{ROLE}/hl7:subjectOf2/hl7:organizer/hl7:component/hl7:substanceAdministration"
    kind = f"{product}/hl7:consumable/hl7:instanceOfKind/hl7:kindOfProduct"
    assert root.findtext(f"{kind}/hl7:name", namespaces=NS) == "Quelvanti"
    assert root.findtext(f"{kind}/hl7:ingredient/hl7:ingredientSubstance/hl7:name", namespaces=NS) == "quelvarimab"
    drug_id = _attr(root, f"{product}/hl7:id", "root")
    assert _attr(root, ".//hl7:causalityAssessment/hl7:subject2/hl7:productUseReference/hl7:id", "root") == drug_id


def test_initials_only_as_entered_by_pv() -> None:
    root = _root(_case(patient_initials="J.D."))
    assert root.findtext(f"{ROLE}/hl7:player1/hl7:name", namespaces=NS) == "J.D."


def test_a_special_situation_without_a_reaction_is_reported_as_the_situation() -> None:
    root = _root(_case(events=["unspecified event"], special_situations=["pregnancy"], seriousness=[]))
    path = f"{ROLE}/hl7:subjectOf2/hl7:observation/hl7:value/hl7:originalText"
    terms = [t.text for t in root.iterfind(path, NS)]
    assert terms == ["Exposure during pregnancy"]


def test_a_follow_up_version_keeps_the_case_identifiers() -> None:
    first, second = _root(_case(), 1), _root(_case(), 2)
    assert [i.get("extension") for i in first.findall(f"{EVENT}/hl7:id", NS)] == [
        i.get("extension") for i in second.findall(f"{EVENT}/hl7:id", NS)
    ]
    message = "hl7:PORR_IN049016UV/hl7:id"
    assert _attr(first, message, "extension") != _attr(second, message, "extension")


@pytest.mark.parametrize(
    ("find", "replace"),
    [
        ('<statusCode code="active" />', ""),  # a required element missing
        ('<statusCode code="active" />', '<statusCode code="active" /><statusCode code="active" />'),
        ('xsi:type="BL"', 'xsi:type="XX"'),  # an unknown data type
        ('classCode="INVSTG" moodCode="EVN">', 'classCode="INVSTG" moodCode="RQO">'),  # a fixed value changed
        ("<originalText>rash</originalText>", "<originalText>rash</originalText><unexpected />"),
    ],
)
def test_the_kept_schema_rejects_what_the_subset_does_not_allow(find: str, replace: str) -> None:
    xml = e2b.build(_case(), _envelope())
    assert find in xml
    with pytest.raises(e2b.InvalidExport):
        e2b.validate(xml.replace(find, replace, 1))


def test_the_schema_is_kept_beside_the_exporter() -> None:
    assert e2b.SCHEMA_FILE.name == "e2b_subset.xsd" and e2b.SCHEMA_FILE.is_file()
    assert 'targetNamespace="urn:hl7-org:v3"' in e2b.SCHEMA_FILE.read_text()

"""ICH E2B(R3) individual case safety report (ICSR) for one case version, in the HL7 v3 message structure
(batch MCCI_IN200100UV01 around one PORR_IN049016UV message), validated against the subset schema kept
beside this module (e2b_subset.xsd). Data element numbers (N.1.2, C.1.1, ...) are the ICH ones."""

from __future__ import annotations

import datetime as dt
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import xmlschema

from api.ae_cases.models import OTHER_MEDICALLY_IMPORTANT, AeCase, AgeGroup, Qualification, Sex

HL7 = "urn:hl7-org:v3"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_FILE = Path(__file__).with_name("e2b_subset.xsd")
ET.register_namespace("", HL7)
ET.register_namespace("xsi", XSI)

# ICH OIDs: identifiers (2.1.3.x) and code lists (2.1.1.x).
OID_BATCH, OID_MESSAGE = "2.16.840.1.113883.3.989.2.1.3.22", "2.16.840.1.113883.3.989.2.1.3.1"
OID_SENDER_DEVICE, OID_RECEIVER_DEVICE = "2.16.840.1.113883.3.989.2.1.3.11", "2.16.840.1.113883.3.989.2.1.3.12"
OID_REPORT_ID, OID_WORLDWIDE_ID = "2.16.840.1.113883.3.989.2.1.3.1", "2.16.840.1.113883.3.989.2.1.3.2"
OID_OBSERVATION = "2.16.840.1.113883.3.989.2.1.1.19"
OID_ORGANIZER, OID_AGE_GROUP = "2.16.840.1.113883.3.989.2.1.1.20", "2.16.840.1.113883.3.989.2.1.1.9"
OID_REPORT_TYPE, OID_CHARACTERISTIC = "2.16.840.1.113883.3.989.2.1.1.2", "2.16.840.1.113883.3.989.2.1.1.23"
OID_QUALIFICATION, OID_SENDER_TYPE = "2.16.840.1.113883.3.989.2.1.1.6", "2.16.840.1.113883.3.989.2.1.1.7"
OID_DRUG_ROLE, OID_SOURCE = "2.16.840.1.113883.3.989.2.1.1.13", "2.16.840.1.113883.3.989.2.1.1.22"
OID_BATCH_TYPE, OID_SEX, OID_COUNTRY = "2.16.840.1.113883.3.989.2.1.1.1", "1.0.5218", "1.0.3166.1.2.2"
OID_MEDDRA, OID_INTERACTION, OID_TRIGGER = (
    "2.16.840.1.113883.6.163",
    "2.16.840.1.113883.1.6",
    "2.16.840.1.113883.1.18",
)
# Stable ids of the reactions and the suspect drug within a case (deterministic, so versions line up).
ID_NAMESPACE = uuid.UUID("6f1e0d56-8a3c-4b8e-9f53-6a7b2c1d0e4f")

AGE_GROUP_CODES = {
    AgeGroup.NEONATE: "1",
    AgeGroup.INFANT: "2",
    AgeGroup.CHILD: "3",
    AgeGroup.ADOLESCENT: "4",
    AgeGroup.ADULT: "5",
    AgeGroup.ELDERLY: "6",
}
SEX_CODES = {Sex.MALE: "1", Sex.FEMALE: "2"}
QUALIFICATION_CODES = {Qualification.PHYSICIAN: "1", Qualification.PHARMACIST: "2", Qualification.OTHER_HCP: "3"}
# E.i.3.2a-f, in the order the ICSR lists them.
SERIOUSNESS_CODES = {
    "death": "34",
    "life_threatening": "21",
    "hospitalisation": "33",
    "disability": "35",
    "congenital_anomaly": "12",
    OTHER_MEDICALLY_IMPORTANT: "26",
}
# A special situation without a reaction is reported as the situation itself (reported term, E.i.1.1a).
SITUATION_TERMS = {
    "pregnancy": "Exposure during pregnancy",
    "lactation": "Exposure via breast milk",
    "overdose": "Overdose",
    "medication_error": "Medication error",
    "lack_of_efficacy": "Lack of efficacy",
    "off_label_use": "Off label use",
    "pediatric": "Use in a paediatric patient",
}
UNSPECIFIED_EVENT = "unspecified event"
SUSPECT_PRODUCT, SUSPECT_SUBSTANCE = "Quelvanti", "quelvarimab"
SPONTANEOUS_REPORT, PHARMACEUTICAL_COMPANY, SUSPECT, ICSR_BATCH = "1", "1", "1", "1"
REPORTER_COUNTRY = "US"
MEDDRA_CODE = re.compile(r"\b(\d{8})\b")
MAX_TERM_CHARS = 250


class InvalidExport(Exception):
    """The ICSR does not validate against the kept subset schema."""


@dataclass(frozen=True)
class Envelope:
    """What one export adds to the case: its version, when it was made, and who sends it to whom."""

    version: int
    created_at: dt.datetime
    sender_id: str
    receiver_id: str
    sender_organisation: str
    sender_department: str = "Drug Safety"

    @property
    def timestamp(self) -> str:
        """HL7 TS with seconds and zone, in UTC."""
        return f"{self.created_at.astimezone(dt.UTC):%Y%m%d%H%M%S}+0000"


def message_id(case: AeCase, version: int) -> str:
    """N.2.r.1: unique per message; the case's identifiers (C.1.1, C.1.8.1) stay the same across versions."""
    return f"{case.case_number}-V{version}"


def filename(case: AeCase, version: int) -> str:
    """The file name in the outbound directory."""
    return f"{message_id(case, version)}.xml"


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, f"{{{HL7}}}{tag}", {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        node.text = text
    return node


def _value(parent: ET.Element, xsi_type: str, **attrs: str) -> ET.Element:
    node = _el(parent, "value", **attrs)
    node.set(f"{{{XSI}}}type", xsi_type)
    return node


def _stable_id(case: AeCase, name: str) -> str:
    return str(uuid.uuid5(ID_NAMESPACE, f"{case.id}:{name}"))


def reported_terms(case: AeCase) -> list[str]:
    """E.i.1.1a: each event as reported, then each special situation with no reaction of its own."""
    events = [e for e in case.events if e != UNSPECIFIED_EVENT]
    situations = [SITUATION_TERMS.get(s, s) for s in case.special_situations]
    return (events + situations) or list(case.events) or [UNSPECIFIED_EVENT]


def coding_lines(case: AeCase) -> list[str]:
    """PV's dictionary coding, one line per reported term (free text, as coded in the safety database)."""
    return [line.strip() for line in (case.event_coding or "").splitlines() if line.strip()]


def _header(root: ET.Element, case: AeCase, env: Envelope) -> ET.Element:
    _el(root, "id", extension=f"{case.case_number}-B{env.version}", root=OID_BATCH)  # N.1.2
    _el(root, "creationTime", value=env.timestamp)  # N.1.5
    _el(root, "responseModeCode", code="D")
    _el(root, "interactionId", extension="MCCI_IN200100UV01", root=OID_INTERACTION)
    _el(root, "name", code=ICSR_BATCH, codeSystem=OID_BATCH_TYPE)  # N.1.1
    message = _el(root, "PORR_IN049016UV")
    _el(message, "id", extension=message_id(case, env.version), root=OID_MESSAGE)  # N.2.r.1
    _el(message, "creationTime", value=env.timestamp)  # N.2.r.4
    _el(message, "interactionId", extension="PORR_IN049016UV", root=OID_INTERACTION)
    _el(message, "processingCode", code="P")
    _el(message, "processingModeCode", code="T")
    _el(message, "acceptAckCode", code="AL")
    receiver = _el(_el(message, "receiver", typeCode="RCV"), "device", classCode="DEV", determinerCode="INSTANCE")
    _el(receiver, "id", extension=env.receiver_id, root=OID_RECEIVER_DEVICE)  # N.2.r.3
    sender = _el(_el(message, "sender", typeCode="SND"), "device", classCode="DEV", determinerCode="INSTANCE")
    _el(sender, "id", extension=env.sender_id, root=OID_SENDER_DEVICE)  # N.2.r.2
    act = _el(message, "controlActProcess", classCode="CACT", moodCode="EVN")
    _el(act, "code", code="PORR_TE049016UV", codeSystem=OID_TRIGGER)
    _el(act, "effectiveTime", value=env.timestamp)  # C.1.2
    return _el(_el(act, "subject", typeCode="SUBJ"), "investigationEvent", classCode="INVSTG", moodCode="EVN")


def _patient(role: ET.Element, case: AeCase) -> None:
    player = _el(role, "player1", classCode="PSN", determinerCode="INSTANCE")
    if case.patient_initials:
        _el(player, "name", case.patient_initials)  # D.1: initials only, never a name
    else:
        _el(player, "name", nullFlavor="UNK")
    if case.patient_sex is not None:
        _el(player, "administrativeGenderCode", code=SEX_CODES[case.patient_sex], codeSystem=OID_SEX)  # D.5
    if case.patient_age_group is not None:
        age = _el(_el(role, "subjectOf2", typeCode="SBJ"), "observation", classCode="OBS", moodCode="EVN")
        _el(age, "code", code="4", codeSystem=OID_OBSERVATION, displayName="ageGroup")
        _value(age, "CE", code=AGE_GROUP_CODES[case.patient_age_group], codeSystem=OID_AGE_GROUP)  # D.2.3


def _reactions(role: ET.Element, case: AeCase) -> None:
    lines = coding_lines(case)
    for index, term in enumerate(reported_terms(case)):
        reaction = _el(_el(role, "subjectOf2", typeCode="SBJ"), "observation", classCode="OBS", moodCode="EVN")
        _el(reaction, "id", root=_stable_id(case, f"reaction:{term}"))
        _el(reaction, "code", code="29", codeSystem=OID_OBSERVATION, displayName="reaction")
        coded = lines[index] if index < len(lines) else None
        found = MEDDRA_CODE.search(coded) if coded else None
        attrs = {"code": found.group(1), "codeSystem": OID_MEDDRA} if found else {"nullFlavor": "NI"}
        if coded:
            attrs["displayName"] = coded[:MAX_TERM_CHARS]  # E.i.2.1b as coded in the safety database
        value = _value(reaction, "CE", **attrs)
        _el(value, "originalText", term[:MAX_TERM_CHARS])  # E.i.1.1a
        for criterion, code in SERIOUSNESS_CODES.items():  # E.i.3.2a-f
            related = _el(reaction, "outboundRelationship2", typeCode="PERT")
            flag = _el(related, "observation", classCode="OBS", moodCode="EVN")
            _el(flag, "code", code=code, codeSystem=OID_OBSERVATION)
            _value(flag, "BL", value="true" if criterion in case.seriousness else "false")


def _drug(role: ET.Element, case: AeCase) -> str:
    organizer = _el(_el(role, "subjectOf2", typeCode="SBJ"), "organizer", classCode="CATEGORY", moodCode="EVN")
    _el(organizer, "code", code="4", codeSystem=OID_ORGANIZER, displayName="drugInformation")
    drug = _el(
        _el(organizer, "component", typeCode="COMP"), "substanceAdministration", classCode="SBADM", moodCode="EVN"
    )
    drug_id = _stable_id(case, "drug:suspect")
    _el(drug, "id", root=drug_id)
    kind = _el(
        _el(_el(drug, "consumable", typeCode="CSM"), "instanceOfKind", classCode="INST"),
        "kindOfProduct",
        classCode="MMAT",
        determinerCode="KIND",
    )
    _el(kind, "name", SUSPECT_PRODUCT)  # G.k.2.2
    substance = _el(
        _el(kind, "ingredient", classCode="ACTI"), "ingredientSubstance", classCode="MMAT", determinerCode="KIND"
    )
    _el(substance, "name", SUSPECT_SUBSTANCE)  # G.k.2.3.r.1
    return drug_id


def _assessment(event: ET.Element, case: AeCase) -> None:
    assessment = _el(
        _el(event, "component", typeCode="COMP"), "adverseEventAssessment", classCode="INVSTG", moodCode="EVN"
    )
    role = _el(_el(assessment, "subject1", typeCode="SBJ"), "primaryRole", classCode="INVSBJ")
    _patient(role, case)
    _reactions(role, case)
    drug_id = _drug(role, case)
    causality = _el(
        _el(assessment, "component", typeCode="COMP"), "causalityAssessment", classCode="OBS", moodCode="EVN"
    )
    _el(causality, "code", code="20", codeSystem=OID_OBSERVATION, displayName="interventionCharacterization")
    _value(causality, "CE", code=SUSPECT, codeSystem=OID_DRUG_ROLE)  # G.k.1
    reference = _el(
        _el(causality, "subject2", typeCode="SUBJ"), "productUseReference", classCode="SBADM", moodCode="EVN"
    )
    _el(reference, "id", root=drug_id)


def _sources(event: ET.Element, case: AeCase, env: Envelope) -> None:
    primary = _el(event, "outboundRelationship", typeCode="SPRT")
    _el(primary, "priorityNumber", value="1")  # C.2.r.5
    study = _el(primary, "relatedInvestigation", classCode="INVSTG", moodCode="EVN")
    _el(study, "code", code="2", codeSystem=OID_SOURCE, displayName="sourceReport")
    author = _el(
        _el(_el(study, "subjectOf2", typeCode="SUBJ"), "controlActEvent", classCode="CACT", moodCode="EVN"),
        "author",
        typeCode="AUT",
    )
    person = _el(
        _el(author, "assignedEntity", classCode="ASSIGNED"),
        "assignedPerson",
        classCode="PSN",
        determinerCode="INSTANCE",
    )
    qualified = _el(person, "asQualifiedEntity", classCode="QUAL")
    _el(
        qualified, "code", code=QUALIFICATION_CODES[case.reporter_qualification], codeSystem=OID_QUALIFICATION
    )  # C.2.r.4
    located = _el(
        _el(person, "asLocatedEntity", classCode="LOCE"),
        "location",
        classCode="COUNTRY",
        determinerCode="INSTANCE",
    )
    _el(located, "code", code=REPORTER_COUNTRY, codeSystem=OID_COUNTRY)  # C.2.r.3
    sender = _el(
        _el(_el(event, "subjectOf1", typeCode="SUBJ"), "controlActEvent", classCode="CACT", moodCode="EVN"),
        "author",
        typeCode="AUT",
    )
    entity = _el(sender, "assignedEntity", classCode="ASSIGNED")
    _el(entity, "code", code=PHARMACEUTICAL_COMPANY, codeSystem=OID_SENDER_TYPE)  # C.3.1
    department = _el(entity, "representedOrganization", classCode="ORG", determinerCode="INSTANCE")
    _el(department, "name", env.sender_department)  # C.3.3.1
    company = _el(
        _el(department, "assignedEntity", classCode="ASSIGNED"),
        "representedOrganization",
        classCode="ORG",
        determinerCode="INSTANCE",
    )
    _el(company, "name", env.sender_organisation)  # C.3.2
    kind = _el(
        _el(event, "subjectOf2", typeCode="SUBJ"), "investigationCharacteristic", classCode="OBS", moodCode="EVN"
    )
    _el(kind, "code", code="1", codeSystem=OID_CHARACTERISTIC, displayName="ichReportType")
    _value(kind, "CE", code=SPONTANEOUS_REPORT, codeSystem=OID_REPORT_TYPE)  # C.1.3


def build(case: AeCase, env: Envelope) -> str:
    """The ICSR of a case version as XML text (UTF-8 declaration included)."""
    root = ET.Element(f"{{{HL7}}}MCCI_IN200100UV01", {"ITSVersion": "XML_1.0"})
    event = _header(root, case, env)
    _el(event, "id", extension=case.case_number, root=OID_REPORT_ID)  # C.1.1
    _el(event, "id", extension=case.case_number, root=OID_WORLDWIDE_ID)  # C.1.8.1
    _el(event, "code", code="PAT_ADV_EVNT", codeSystem="2.16.840.1.113883.5.4")
    _el(event, "text", case.narrative)  # H.1 (redacted)
    _el(event, "statusCode", code="active")
    _el(_el(event, "effectiveTime"), "low", value=f"{case.awareness_at.astimezone(dt.UTC):%Y%m%d}")  # C.1.4
    _el(event, "availabilityTime", value=f"{case.latest_info_at.astimezone(dt.UTC):%Y%m%d}")  # C.1.5
    _assessment(event, case)
    _sources(event, case, env)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


@lru_cache(maxsize=1)
def schema() -> xmlschema.XMLSchema:
    """The kept subset schema (parsed once, on first use)."""
    return xmlschema.XMLSchema(str(SCHEMA_FILE))


def validate(xml: str) -> None:
    """Raise InvalidExport unless the XML is valid against the kept subset schema."""
    try:
        error = next(iter(schema().iter_errors(xml)), None)
    except (xmlschema.XMLSchemaException, ET.ParseError, ValueError, LookupError) as exc:
        # The validator itself gave up (e.g. an unknown xsi:type): not valid, whatever the reason.
        raise InvalidExport(str(exc)) from exc
    if error is not None:
        raise InvalidExport(f"{error.reason} at {error.path}")

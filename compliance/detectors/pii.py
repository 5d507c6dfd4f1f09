"""PII/PHI detection and redaction, with spans on the original text.

The policy errs on the side of redacting: a capitalised unknown word is treated as a name,
every calendar date and every stated age is redacted (but see `_POPULATION_AGE`), and long digit runs are ids.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from compliance.detectors.pii_addresses import address_surroundings, street_addresses
from compliance.detectors.pii_libraries import (
    addresses,
    ages_in_words,
    cards,
    lowercase_names,
    name_before_contact,
    phones,
)
from compliance.detectors.pii_names import PiiSpan, _Collector, _luhn_npi, _names
from compliance.detectors.pii_patterns import (
    _AGE_SEX,
    _NOT_DATE_AFTER,
    _NOT_DATE_BEFORE,
    _NOT_ID_BEFORE,
    _OWN_NUMBERS,
    ADDRESS_PATTERNS,
    BARE_MONTH_DAY,
    DATE_PATTERNS,
    DIGIT_AGE_PATTERNS,
    DOB,
    EMAIL,
    EMAIL_OBFUSCATED,
    ID_KEYWORD,
    IP_ADDRESS,
    LONG_NUMBER,
    MRN_KEYWORD,
    NO_DIGIT_AGE_PATTERNS,
    NPI_KEYWORD,
    OLD_AGE_PATTERNS,
    PHONE,
    PHONE_GENERIC,
    PHONE_INTL,
    PHONE_KEYWORD,
    PHONE_LOCAL,
    RESIDENCE,
    SSN,
    SSN_KEYWORD,
    WORD_AGE_PATTERNS,
    _is_fahrenheit,
)
from compliance.detectors.pii_places import drop_places
from compliance.detectors.pii_unknown_names import unknown_word_names
from compliance.detectors.pii_written_forms import written_forms
from compliance.findings import Detector, Finding, PiiType, Span
from compliance.nlp.brand import BRAND
from compliance.nlp.engine import Analysis
from compliance.nlp.lexicon import Lexicon, get_lexicon

# Safe Harbor (45 CFR 164.514(b)(2)(i)(C)) removes ages over 89 only. The layer redacts every age, except that a
# child's (under 18) or an older adult's (65-89) age written with its unit ("my 7 year old patient", "can a
# 12-year-old use it", "my 85 year old patient") stays in a question that has no other identifier: it is what
# the assistant needs to answer a pediatric or geriatric question, and alone it identifies no one.
_POPULATION_AGE = re.compile(r"(?i)^(\d{1,2})[\s-]*(?:years?|yrs?|y/?o|months?|mos?)\b")
_CHILD_BELOW, _OLDER_FROM, _SAFE_HARBOR_MAX = 18, 65, 89
_DIGIT = re.compile(r"\d")
_AT = re.compile(r"(?i)@|\bat\b")


# A capitalised name before a disease word is an eponym, not a person: "Ehlers-Danlos syndrome", "Marfan's
# disease", "Bell palsy", "Kawasaki disease".
_EPONYM = re.compile(
    r"\b[A-Z][\w'’-]*(?:[ -][A-Z][\w'’-]*){0,2}(?=(?:['’]s)?\s+(?:syndrome|disease|disorder|palsy|anomaly|"
    r"phenomenon|deformity|lymphoma|sarcoma|an(?:a)?emia|thyroiditis|encephalopathy|dystrophy|ataxia|"
    r"neuropathy|arteritis)\b)"
)


_SAINTS_HERB = re.compile(r"(?i)\b(?:st\.?|saint)\s+john['’]?s\s+wort\b")


def eponyms(text: str, first_names: frozenset[str]) -> list[tuple[int, int]]:
    """Spans of eponymous disease names, never redacted as names (a given name in it is a person's), and the
    herb St. John's wort."""
    return [
        (m.start(), m.end())
        for m in _EPONYM.finditer(text)
        if not any(w.lower() in first_names for w in re.split(r"[ -]", m.group()))
    ] + [(m.start(), m.end()) for m in _SAINTS_HERB.finditer(text)]


def _population_age(text: str) -> bool:
    m = _POPULATION_AGE.match(text)
    if m is None:
        return False
    age = int(m.group(1))
    return age < _CHILD_BELOW or _OLDER_FROM <= age <= _SAFE_HARBOR_MAX


def detect_pii(
    analysis: Analysis, protected_original: list[tuple[int, int]] | None = None, keep_population_ages: bool = False
) -> tuple[list[PiiSpan], list[Finding]]:
    """Find PII spans on the original text.

    With `keep_population_ages` (the pipeline sets it for messages that report no adverse event), a child's
    or an older adult's age with its unit is kept when it is the message's only identifier.
    """
    lex = get_lexicon()
    text = analysis.chars.text
    col = _Collector()

    if _AT.search(text) is not None:  # "@", or "at" of an obfuscated address
        _emails(text, col, lex)
    if _DIGIT.search(text) is not None:  # every pattern below needs a digit
        _numbers(text, col)
        _dates_and_addresses(text, col)
    for p in NO_DIGIT_AGE_PATTERNS:
        for m in p.finditer(text):
            col.add(m.start(), m.end(), PiiType.AGE, "age", 6)
    for p in WORD_AGE_PATTERNS:
        for m in p.finditer(text):
            col.add(m.start(1), m.end(1), PiiType.AGE, "age:over_89_in_words", 6)
    for m in RESIDENCE.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.ADDRESS, "address", 7)

    protected: list[tuple[int, int]] = []
    if protected_original:
        # Protected spans come in original coordinates; bring them to stage-1 coordinates.
        if analysis.chars.starts is None:
            protected = list(protected_original)
        else:
            starts = analysis.chars.starts  # non-decreasing: stage 1 only folds or drops characters
            for ps, pe in set(protected_original):
                first, last = bisect_left(starts, ps), bisect_left(starts, pe)
                if first < last:
                    protected.append((first, last))
    protected += eponyms(text, lex.first_names)
    _names(text, col, protected, lex)
    for cand in (
        *phones(text, _OWN_NUMBERS),
        *addresses(text),
        *street_addresses(text, lex),
        *cards(text),
        *ages_in_words(text),
        *lowercase_names(text, lex, protected),
        *unknown_word_names(text, lex, protected),
        *written_forms(text, lex),
    ):
        col.add(*cand)
    contacts = [(s[0], s[1]) for s in col.spans if s[2] in (PiiType.EMAIL, PiiType.PHONE)]
    for cand in name_before_contact(text, lex, contacts):
        col.add(*cand)
    col.spans = drop_places(col.spans, text)  # "travel to Lisbon": a place, not a person

    resolved = col.resolve()
    # each street address (as resolved, pieces joined) widened to its unit, town and postcode
    widened = address_surroundings(text, [(r[0], r[1]) for r in resolved if r[2] is PiiType.ADDRESS])
    if widened:
        for cand in widened:
            col.add(*cand)
        resolved = col.resolve()
    if keep_population_ages and all(r[2] is PiiType.AGE for r in resolved):
        resolved = [r for r in resolved if not _population_age(text[r[0] : r[1]])]
    spans: list[PiiSpan] = []
    findings: list[Finding] = []
    for s, e, kind, rule in resolved:
        os_, oe = analysis.chars.to_original(s, e)
        spans.append(PiiSpan(os_, oe, kind, rule))
        findings.append(
            Finding(
                Detector.PII,
                kind.value,
                Span(os_, oe),
                f"pii:{rule}",
                kind.placeholder,
                1.0,
                f"{kind.value} redacted",
            )
        )
    return spans, findings


def _emails(text: str, col: _Collector, lex: Lexicon) -> None:
    """E-mail addresses, plain and obfuscated ("jane at clinic dot com")."""
    for m in EMAIL.finditer(text):
        col.add(m.start(), m.end(), PiiType.EMAIL, "email", 9)
    for m in EMAIL_OBFUSCATED.finditer(text):
        local = re.split(r"\s|\[|\(|\{|<", m.group(), maxsplit=1)[0].lower()
        rest = m.group()[len(local) :].lower()
        if re.match(r"\s*(?:at|@)\s*www\b", rest) or (re.match(r"\s+at\s", rest) and local in lex.english_words):
            continue  # "online at www.site.biz" is a link; "meet at clinic.com" is not an address
        col.add(m.start(), m.end(), PiiType.EMAIL, "email:obfuscated", 9)


def _numbers(text: str, col: _Collector) -> None:
    """SSNs, NPIs, MRNs, ids, phone numbers, IP addresses and long digit runs."""
    for m in SSN_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.SSN, "ssn:keyword", 9)
    for m in SSN.finditer(text):
        col.add(m.start(), m.end(), PiiType.SSN, "ssn:pattern", 8)
    for m in NPI_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.NPI, "npi:keyword", 9)
    for m in MRN_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.MRN, "mrn:keyword", 9)
    for m in ID_KEYWORD.finditer(text):
        if _NOT_ID_BEFORE.search(text[max(0, m.start() - 12) : m.start(1)]):
            continue
        value = m.group(1)
        if sum(c.isdigit() for c in value) < 4:
            continue
        col.add(m.start(1), m.end(1), PiiType.ID, "id:keyword", 7)
    for m in PHONE_KEYWORD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) >= 7 and digits not in _OWN_NUMBERS:
            col.add(m.start(1), m.end(1), PiiType.PHONE, "phone:keyword", 8)
    for m in PHONE_GENERIC.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15 and digits not in _OWN_NUMBERS and digits[-10:] not in _OWN_NUMBERS:
            col.add(m.start(), m.end(), PiiType.PHONE, "phone:generic", 6)
    for pattern, rule in ((PHONE, "phone:us"), (PHONE_INTL, "phone:intl"), (PHONE_LOCAL, "phone:local")):
        for m in pattern.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if digits in _OWN_NUMBERS or digits[-10:] in _OWN_NUMBERS:
                continue
            if (
                rule == "phone:us"
                and digits.isdigit()
                and len(digits) == 10
                and m.group().isdigit()
                and _luhn_npi(digits)
            ):
                col.add(m.start(), m.end(), PiiType.NPI, "npi:checksum", 7)
                continue
            if rule == "phone:intl" and len(digits) < 8:
                continue
            if rule == "phone:local" and _NOT_ID_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            col.add(m.start(), m.end(), PiiType.PHONE, rule, 7)
    for m in IP_ADDRESS.finditer(text):
        col.add(m.start(), m.end(), PiiType.ID, "id:ip", 6)
    for m in LONG_NUMBER.finditer(text):
        if _NOT_ID_BEFORE.search(text[max(0, m.start() - 14) : m.start()]) or re.match(BRAND, m.group().lower()):
            continue
        col.add(m.start(), m.end(), PiiType.ID, "id:long_number", 4)


def _dates_and_addresses(text: str, col: _Collector) -> None:
    """Dates (of birth above all), ages written with digits and street addresses."""
    for m in DOB.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.DATE, "date:birth", 8)
    for p in DATE_PATTERNS:
        for m in p.finditer(text):
            g = 1 if p.groups else 0
            col.add(m.start(g), m.end(g), PiiType.DATE, "date", 6)
    for m in BARE_MONTH_DAY.finditer(text):
        if m.group().endswith("/10") or m.group() in ("1/2", "1/3", "2/3", "1/4", "3/4"):
            continue  # pain scores and fractions
        if _NOT_DATE_BEFORE.search(text[max(0, m.start() - 22) : m.start()]) or _NOT_DATE_AFTER.match(
            text, m.end()
        ):
            continue
        col.add(m.start(), m.end(), PiiType.DATE, "date:month_day", 5)
    for p in DIGIT_AGE_PATTERNS:
        for m in p.finditer(text):
            if p is _AGE_SEX and _is_fahrenheit(text, m.start(), m.end()):
                continue  # "kept at 86F", "36 to 46 F": a temperature, not a 46-year-old woman
            col.add(m.start(), m.end(), PiiType.AGE, "age", 6)
    for p in OLD_AGE_PATTERNS:
        for m in p.finditer(text):
            col.add(m.start(1), m.end(1), PiiType.AGE, "age:over_89", 6)
    for p in ADDRESS_PATTERNS:
        for m in p.finditer(text):
            g = 1 if p.groups else 0
            col.add(m.start(g), m.end(g), PiiType.ADDRESS, "address", 7)


def redact(text: str, spans: list[PiiSpan]) -> str:
    """Replace each PII span of the original text with its typed placeholder."""
    out: list[str] = []
    pos = 0
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.start < pos:
            continue
        out.append(text[pos : sp.start])
        out.append(sp.type.placeholder)
        pos = sp.end
    out.append(text[pos:])
    return "".join(out)

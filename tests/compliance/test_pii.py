"""PII detection, typed redaction and offsets on the original text."""

from __future__ import annotations

import pytest

from compliance import assess
from compliance.tools.evaluate import _survives


def _types(text: str) -> dict[str, str]:
    a = assess(text)
    return {text[p.start : p.end]: p.type.value for p in a.pii}


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("My patient Sarah Jones has a question.", "Sarah Jones", "PERSON"),
        ("Mrs. Okafor called about her co-pay card.", "Okafor", "PERSON"),
        ("pt named robert kline wants samples", "robert kline", "PERSON"),
        ("Patient J.D. is doing well.", "J.D.", "PERSON"),
        ("Patient AB (67F) is doing well.", "AB", "PERSON"),
        ("DOB 5/12/1961, doing fine.", "5/12/1961", "DATE"),
        ("Seen on January 3rd for follow-up.", "January 3rd", "DATE"),
        ("Started in February 2024.", "February 2024", "DATE"),
        ("A 93-year-old man with psoriasis.", "93-year-old", "AGE"),
        ("Call me at (617) 555-2233 please.", "(617) 555-2233", "PHONE"),
        ("Reach me at +44 20 7946 0958.", "+44 20 7946 0958", "PHONE"),
        ("Email dr.lee@northclinic.org for details.", "dr.lee@northclinic.org", "EMAIL"),
        ("Write to jsmith at derm-associates dot com today.", "jsmith at derm-associates dot com", "EMAIL"),
        ("She lives at 42 Elm Street with her son.", "42 Elm Street", "ADDRESS"),
        ("MRN 00482917 for the chart.", "00482917", "MRN"),
        ("Her SSN is 123-45-6789.", "123-45-6789", "SSN"),
        ("NPI 1234567893 requesting samples.", "1234567893", "NPI"),
        ("Member ID XKJ448291033 for coverage.", "XKJ448291033", "ID"),
    ],
)
def test_each_pii_type_is_found(text: str, value: str, kind: str) -> None:
    found = _types(text)
    assert found.get(value) == kind, found


def test_redaction_uses_typed_placeholders() -> None:
    a = assess("My patient Sarah Jones (DOB 03/14/1975, MRN 4482913) got hives; call (617) 555-2233")
    assert a.redacted_text == "My patient [PERSON] (DOB [DATE], MRN [MRN]) got hives; call [PHONE]"


def test_offsets_are_on_the_original_text_under_obfuscation() -> None:
    text = "Call Mrs. Okaf\u200bor at 617\u200b-555-0123 about her r\u0430sh."
    a = assess(text)
    spans = {p.type.value: text[p.start : p.end] for p in a.pii}
    assert spans["PERSON"] == "Okaf\u200bor"
    assert spans["PHONE"] == "617\u200b-555-0123"
    assert "Okaf" not in a.redacted_text and "0123" not in a.redacted_text


def test_published_company_numbers_are_not_pii() -> None:
    a = assess("I called the Drug Safety line at 1-800-555-0199 already.")
    assert [p for p in a.pii if p.type.value == "PHONE"] == []


def test_vocabulary_words_are_not_names() -> None:
    a = assess("Is Quelvanti better than Skyrizi or Tremfya for Crohn's?")
    assert a.pii == []


def test_findings_never_quote_a_pii_value() -> None:
    a = assess("My patient Sarah Jones developed hives after Quelvanti.")
    for f in a.findings:
        assert "Sarah" not in f.term and "Jones" not in f.term


def test_no_labelled_pii_value_survives_redaction(eval_rows: list[dict[str, object]]) -> None:
    # Stricter than a substring check: no identifying part (a surname, a run of digits) may survive either.
    survivors = []
    for row in eval_rows:
        a = assess(str(row["text"]))
        for p in row.get("pii") or []:  # type: ignore[attr-defined]
            if _survives(str(p["value"]), a.redacted_text):
                survivors.append((row["id"], p["value"]))
    assert survivors == []


def test_clinical_abbreviations_and_product_names_are_not_names() -> None:
    for text in (
        "quelva absolute CIs",
        "is QLV only for moderate to severe PsO",
        "any DDIs I should monitor when starting or stopping qlv",
        "injection training nurse quelvarimab-avnd",
    ):
        assert assess(text).pii == [], text


def test_fahrenheit_in_storage_questions_is_not_an_age() -> None:
    storage = ("can quelvantti be kept at 86F", "36 to 46 F for quelvanti?", "is 86 F the max out of the fridge")
    for text in storage:
        assert assess(text).pii == [], text
    assert "[AGE]" in assess("pt 46 F ok?").redacted_text
    assert "[AGE]" in assess("46F with hives after her second quelvanti dose").redacted_text

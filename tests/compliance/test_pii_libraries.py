"""PII found with maintained libraries (phonenumbers, usaddress) and the rules no library covers."""

from __future__ import annotations

import pytest

from compliance import PiiType, assess


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "020 7946 0958",
        "+49 30 901820",
        "+33 1 42 68 53 00",
        "+61 2 9374 4000",
        "+91 98765 43210",
    ],
)
def test_international_phone_numbers_are_redacted(phone: str) -> None:
    a = assess(f"please call me back on {phone} about the starter kit")
    assert phone not in a.redacted_text
    assert any(p.type is PiiType.PHONE for p in a.pii)


@pytest.mark.parametrize(
    ("text", "pieces"),
    [
        ("She lives at 1428 Elm Street, Springfield, IL 62704, send the kit", ["1428", "Elm", "62704"]),
        ("ship to 600 W Chicago Ave Apt 4B Portland, OR 97205", ["600", "Chicago", "97205"]),
        ("shipment to 19 Rue de Rivoli", ["19", "Rivoli"]),
    ],
)
def test_no_piece_of_a_street_address_survives(text: str, pieces: list[str]) -> None:
    a = assess(text)
    for piece in pieces:
        assert piece not in a.redacted_text


def test_card_numbers_and_ages_in_words_are_redacted() -> None:
    a = assess("card on file 4111 1111 1111 1111; the patient is seventy-two years old")
    assert "4111" not in a.redacted_text
    assert "seventy-two" not in a.redacted_text


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("my pt johan krogh, dob 03/14/1962, had a rash after qlv", "johan krogh"),
        ("kellan ostrowski, 54, seen today for the second qlv dose", "kellan ostrowski"),
        ("kellan ostrowski had a rash after qlv", "kellan ostrowski"),
        ("her daughter ngozi can be reached at 0412 345 678", "ngozi"),
        ("Patient aoife rossi asked about the copay card", "aoife rossi"),
    ],
)
def test_lower_case_and_non_english_names_are_redacted(text: str, name: str) -> None:
    a = assess(text)
    assert name not in a.redacted_text.lower()


def test_medical_words_after_patient_are_not_names() -> None:
    a = assess("My patient hasn't had any problems, no reactions at all after 4 doses.")
    assert "[PERSON]" not in a.redacted_text

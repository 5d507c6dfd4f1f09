"""Questions the blind bot set heldout13 found held as reports by the compliance layer (then fixed by general
rules, tested here in other wordings, with the fail-closed side): a relapse asked about after stopping, a
vignette's comorbidities in a question about the dose for the patient's age, a breastfeeding mother who plans to
go back on treatment."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        "How quickly does psoriasis come back once patients discontinue quelvanti?",
        "79-year-old man, COPD, gout on allopurinol, severe plaque psoriasis. Is a dose adjustment of QLV "
        "needed for his age?",
        "She is breastfeeding her 2-month-old and hopes to restart quelvarimab soon. Any lactation data?",
    ],
)
def test_questions_pass(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        "her psoriasis relapsed at week 20 while still on QLV",
        "79-year-old man on quelvanti since last year, new gout. Is a dose adjustment needed for his age?",
        "she is breastfeeding and had her quelvanti injection yesterday",
        "got pregnant while on quelvarimab, wants to restart after the baby is born",
    ],
)
def test_reports_still_flagged(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # from heldout14's holds, in other wordings
        "Is there latex in the QLV pen? She had an allergic reaction to latex gloves at the dentist years ago.",
        "61 yo man, currently on cephalexin for cellulitis. Can we give the first quelvanti dose next week?",
        "pt missed his injection, now what",
        "Patient is 10 days late for the week 16 dose of this drug. What does the label recommend?",
    ],
)
def test_label_questions_with_history_or_a_missed_dose_pass(text: str) -> None:
    assert assess(text).route is Route.PASS, assess(text).to_dict()


def test_another_drugs_pen_is_not_the_product() -> None:
    ozempic = assess("how long can an ozempic pen stay out of the fridge")
    assert ozempic.product_referenced is False and ozempic.other_drugs
    assert assess("how long can the pen stay out of the fridge").product_referenced is True


@pytest.mark.parametrize(
    "text",
    [
        "she got hives after the first quelvanti dose last week",
        "pt missed his injection and now has a flare with fever, what now",
        "currently on quelvarimab, developed a UTI, ok to continue?",
    ],
)
def test_reports_around_them_are_still_flagged(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE, assess(text).to_dict()

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

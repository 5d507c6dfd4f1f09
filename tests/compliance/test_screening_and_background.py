"""Questions blind heldout10 (bot/eval/heldout10.yml, scored once) saw held as AE reports: a screening finding
before the product, another drug's indication, a missed dose asked about, a question whether something has been
reported. Tested in other wordings, with the fail-closed side of each."""

from __future__ import annotations

import pytest

from compliance import Route, assess


@pytest.mark.parametrize(
    "text",
    [
        "positive IGRA, normal chest film - start LTBI treatment before the first QLV dose?",
        "ltbi and quelvanti: what's the recommended approach",
        "pt missed her q8w QLV pen last week, how to proceed?",
        "She skipped a dose because of a work emergency. What should she do now with QLV?",
        "Active cellulitis on doxycycline. Should I wait before giving the first QLV injection?",
        "Angioedema with quelvanti: has it been reported? Also where is the ISI?",
        "He takes warfarin for atrial fibrillation. Which injection sites are fine for the QLV pen?",
        "I've got a 52-year-old woman with plaque psoriasis on 15% BSA. Is she a candidate for QLV?",
        "What does the package insert say about quelvarimab in patients under 18?",
    ],
)
def test_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, a.to_dict()


@pytest.mark.parametrize(
    "text",
    [
        # a conversion on treatment, a missed dose with an event, another drug's failure stays no LOE of ours but
        # the product poorly controlling the disease is reported
        "pt on QLV for 18 months, yearly quantiferon now positive",
        "After the second quelvarimab dose, a newly positive IGRA at routine monitoring.",
        "missed her QLV dose and now she has a fever and chills, what do we do?",
        "QLV is poorly controlling his psoriasis after 24 weeks",
        # fail closed near the new exceptions: a QLV patient's latent TB, another drug for an event after QLV, an
        # emoji inside a report
        "QLV pt, latent TB on the annual screen",
        "she started doxycycline for the rash that appeared after QLV",
        "quelvanti 💉 then vomiting all night 🤢",
    ],
)
def test_reported(text: str) -> None:
    a = assess(text)
    assert a.route is Route.AE_TRIAGE, a.to_dict()


def test_a_plain_verb_first_does_not_hide_a_later_change() -> None:
    # the structural net skips "getting" in a question, but "worse" after it is still the change it reports
    from compliance.detectors.structural import patient_change
    from compliance.nlp.engine import get_engine

    hit = patient_change(get_engine().analyse("pt on QLV is getting worse, what do we do?"))
    assert hit is not None and hit.term == "worse"
    assert patient_change(get_engine().analyse("pt on quelva wants to go back to X, how long to wait?")) is None

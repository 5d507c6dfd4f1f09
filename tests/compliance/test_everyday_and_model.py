"""Everyday chatter is not an adverse event, abuse or off-label; the trained classifier explains itself."""

from __future__ import annotations

import pytest

from compliance import Route, assess
from compliance.detectors.report_model import get_model
from compliance.model.generate_data import LABELS

EVERYDAY = [
    "my battery is dead, how do i get my phone to charge faster",
    "the magnetic stripe on my card got deactivated, can you help me order a new one",
    "what are the rules for chess",
    "how do I get my children to go to bed earlier",
    "my car battery died in the parking lot",
    "I'm so tired of this rain",
]


@pytest.mark.parametrize("text", EVERYDAY)
def test_everyday_chatter_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings if f.score > 0]
    assert not (a.adverse_event or a.abusive or a.off_label)


def test_model_is_loaded_and_has_the_labels() -> None:
    nlp = get_model()
    doc = nlp("my patient developed a rash after the second dose")
    assert set(doc.cats) == set(LABELS)
    assert max(doc.cats, key=lambda k: doc.cats[k]) == "REPORT"


def test_model_never_clears_a_message_with_medical_context() -> None:
    # "died" with a patient in the message stays a report whatever the model thinks of the wording.
    a = assess("my patient died last night")
    assert a.adverse_event and "death" in a.seriousness


def test_cleared_everyday_message_explains_which_rule_fired() -> None:
    # Issue 8 round 2: an event made only of common English words ("died") in a message with no
    # medical context is cleared by the weak-term rule before the model is asked.
    a = assess("my car battery died in the parking lot")
    assert any(f.rule.startswith("not_reported:weak_terms") for f in a.findings)

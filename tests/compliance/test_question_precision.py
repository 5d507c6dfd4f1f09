"""Benign label questions pass; reports worded as questions are still reports."""

from __future__ import annotations

import pytest

from compliance import assess
from compliance.findings import Route

BENIGN = [
    "missed dose guidance for qlv",
    "after a skipped dose do we redo the loading doses",
    "late injection - how to get back on schedule",
    "latex allergy and the pen cap",
    "allergic reactions to quelvanty",
    "quelvantti adverse reactions",
    "side effect profile of quelva",
    "breastfeeding on quelvarimab",
    "when to start latent tb therapy relative to qlv",
    "AE reporting phone number",
    "how do i report a side effect",
    "can a rep visit my office",
    "does the pt need to be a candidate for systemic tx or phototherapy to get quelva",
    "do older patients need a lower dose",
    "pen left out overnight - still usable?",
    "start quelvanti while the patient has an active infection?",
    "my patient has a latex allergy, does the pen contain latex",
]

REPORTS = [
    "my patient missed her dose last week",
    "my patient is breastfeeding and got her dose yesterday",
    "rash after dose 2, pls advise",
    "pt with injection site bruising after each shot, should she ice it?",
    "how do i manage the injection site reaction my patient got this morning?",
    "pt asks why she feels so tired since the injections started",
    "my patient used two pens by accident, what now?",
    "my patient left her pen out for 2 days and then injected it, is she ok?",
    "Rash and fever after dose 2.",
]

OFF_LABEL = [
    "can quelvanti be used in kids",
    "pediatric dose?",
    # Combination with phototherapy is not in the label (only phototherapy *candidacy* is).
    "can it be combined with phototherapy",
]


@pytest.mark.parametrize("text", BENIGN)
def test_benign_question_passes(text: str) -> None:
    a = assess(text)
    assert a.route is Route.PASS, [f.rule for f in a.findings]


@pytest.mark.parametrize("text", REPORTS)
def test_question_shaped_report_is_ae(text: str) -> None:
    assert assess(text).route is Route.AE_TRIAGE


@pytest.mark.parametrize("text", OFF_LABEL)
def test_off_label_question_stays_off_label(text: str) -> None:
    a = assess(text)
    assert a.off_label and a.route is Route.OFF_LABEL

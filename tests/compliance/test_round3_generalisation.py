"""Issue 8, round 3: another drug's event, names with no cue, European street addresses, link data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from compliance import Route, assess
from compliance.detectors.pii_addresses import RULES as ADDRESS_RULES
from compliance.detectors.pii_unknown_names import RULES as NAME_RULES
from compliance.nlp.lexicon import get_lexicon

CONSUMER_OTHER_DRUG = [
    "since switching to Amiodarone I get klazomania, is it the medicine?",
    "my husband started Orlistat and now has inappropriate crying, is that the medication?",
    "got tachylogia after the first chlorambucil pill, is it the medicine?",
]


@pytest.mark.parametrize("text", CONSUMER_OTHER_DRUG)
def test_an_event_blamed_on_another_drug_is_not_the_products(text: str) -> None:
    a = assess(text)
    assert not a.adverse_event and a.route is Route.PASS, [f.rule for f in a.findings]
    assert any(f.rule.startswith("not_reported:other_product") for f in a.findings)


@pytest.mark.parametrize("text", CONSUMER_OTHER_DRUG)
def test_the_medicine_is_the_product_when_it_is_in_the_conversation(text: str) -> None:
    assert assess(text, {"product_in_conversation": True}).adverse_event


@pytest.mark.parametrize(
    "text",
    [
        "pt switched from Humira to quelvanti and got hives, is it the medicine?",
        "my patient got a rash after the medicine",
        "started amiodarone last month, and since the last shot she has hives",
    ],
)
def test_the_product_named_or_its_own_form_keeps_the_report(text: str) -> None:
    assert assess(text).adverse_event


def test_generic_references_are_brand_profile_data_not_code() -> None:
    data = yaml.safe_load((Path("compliance/vocab/products.yaml")).read_text(encoding="utf-8"))
    assert {"medicine", "medication", "it"} <= set(data["generic_references"])
    assert "shot" not in data["generic_references"] and "injection" not in data["generic_references"]
    assert get_lexicon().generic_references == frozenset(data["generic_references"])


@pytest.mark.parametrize(
    "text, names",
    [
        ("aroha hosseini rang about the refill, call back on 0412 345 097", ["aroha", "hosseini"]),
        ("caller: mirela ngata; dob 19 September 1936", ["mirela", "ngata"]),
        ("email from x@mail.example (Lwazi obi) about the copay card", ["Lwazi", "obi"]),
        ("new referral soo-ah Papadopoulou today", ["soo-ah", "Papadopoulou"]),
        ("anahera le goff and her husband want a callback", ["anahera", "goff"]),
        ("i saw wiremu tane today about her dose", ["wiremu", "tane"]),
    ],
)
def test_names_without_a_cue_word_are_redacted(text: str, names: list[str]) -> None:
    red = assess(text).redacted_text
    for name in names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", red), red
    assert "[PERSON]" in red


@pytest.mark.parametrize(
    "text, kept",
    [
        ("Is Quelvanti safe with Clomipramine?", "Clomipramine"),
        ("can I take fluvoxamine with Sertraline?", "fluvoxamine"),
        ("Is rechallenge contraindicated after anaphylaxis?", "rechallenge"),
        ("<img src=x onerror=alert(1)> what is the dose", "src"),
        ("pt c/o pins n needles both feet since 2nd inj gettin worse", "gettin"),
        ("Patientin, 38, unter Quelvanti seit Januar, jetzt starke Müdigkeit", "starke"),
        ("Mon patient a eu de la fièvre après la deuxième dose de Quelvanti.", "deuxième"),
    ],
)
def test_drugs_jargon_markup_and_other_languages_are_not_names(text: str, kept: str) -> None:
    assert kept in assess(text).redacted_text


def test_name_rules_are_listed_in_order() -> None:
    assert [r.__name__ for r in NAME_RULES] == ["capitalised_run", "lowercase_run_at_name_position"]
    assert [r.__name__ for r in ADDRESS_RULES] == [
        "number_then_type",
        "type_then_number",
        "compound_then_number",
        "name_then_number",
        "house_then_locality",
        "post_box",
        "preposition_street_or_canadian_postcode",
    ]


@pytest.mark.parametrize(
    "address, pieces",
    [
        ("12 rue de la Paix, 75002 Paris", ["12", "Paix"]),
        ("Hauptstraße 5, 10115 Berlin", ["5", "Hauptstraße"]),
        ("Via Roma 10, 00184 Roma", ["10", "Roma"]),
        ("Calle Mayor 3", ["3", "Mayor"]),
        ("ul. Floriańska 130/20, 34-897 Gdańsk", ["130", "Floriańska"]),
        ("Avenida del Sol 10, Madrid", ["10", "Sol"]),
        ("20 avenue des lilas, Nantes", ["20", "lilas"]),
        ("Via mazzini 72, 40805 Bologna", ["72", "mazzini"]),
        ("Rua das Flores 210, Coimbra", ["210", "Flores"]),
        ("3 bis boulevard Saint-Michel, Paris", ["3", "Saint-Michel"]),
        ("Kerkgracht 133, Leiden", ["133", "Kerkgracht"]),
    ],
)
def test_european_order_addresses_leave_no_piece(address: str, pieces: list[str]) -> None:
    red = assess(f"please send the pen to {address} thanks").redacted_text
    assert "[ADDRESS]" in red
    for piece in pieces:
        assert not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", red), red


@pytest.mark.parametrize(
    "text",
    ["send it via email 2 times", "during 3 weeks she had a rash after qlv", "switched via Humira 2 weeks ago"],
)
def test_everyday_words_after_a_street_type_are_no_address(text: str) -> None:
    assert not any(p.type.value == "ADDRESS" for p in assess(text).pii)


@pytest.mark.parametrize(
    "text",
    [
        "Quelvarimab and breast adenomas: an unusual association.",
        "Impression: interstitial nephritis, likely quelvarimab-related.",
        "Night terrors - an unexpected adverse effect of quelvarimab.",
        "Rib fusion as a presenting adverse reaction to quelvarimab.",
        "Each injection of quelvarimab brought on urticaria.",
        "Routine monitoring during quelvarimab therapy detected hyperglycemia.",
    ],
)
def test_link_wordings_from_the_vocabulary_tie_the_event_to_the_product(text: str) -> None:
    assert assess(text).adverse_event


def test_a_side_effect_topic_typed_as_a_query_is_not_a_report() -> None:
    assert not assess("headache as a side effect of quelva").adverse_event


def test_round3_halves_share_no_message_and_no_family(repo_root: Path) -> None:
    evals = repo_root / "evals" / "compliance"
    halves = {
        h: [json.loads(line) for line in (evals / f"round3_{h}.jsonl").read_text(encoding="utf-8").splitlines()]
        for h in ("dev", "held")
    }
    texts = {h: {r["text"] for r in rows} for h, rows in halves.items()}
    assert not texts["dev"] & texts["held"]
    families = {
        h: {r.get("family") for r in rows if r.get("family") and r["family"] != "idioms"}
        for h, rows in halves.items()
    }
    assert not families["dev"] & families["held"]
    assert all(len(rows) > 1500 for rows in halves.values())


@pytest.mark.parametrize(
    "text",
    [
        "pt stopped ixekizumab in march, can Quelvanti start now?",
        "any overlap allowed between Hadlima and qlv?",
        "last risankizumab dose was 2 weeks ago, when to give the first Quelvanti?",
    ],
)
def test_a_sequence_of_two_products_is_switching_logistics(text: str) -> None:
    assert assess(text).route is Route.PASS


def test_a_prescribers_plan_is_not_started_yet() -> None:
    assert not assess("my doctor wants me on Quelvanti but I have owren's disease, is that ok?").adverse_event
    assert assess("she has been on Quelvanti 3 months and now has owren's disease").adverse_event


def test_a_childs_exposure_to_another_drug_is_not_a_product_special_situation() -> None:
    a = assess("my son was prescribed Salsalate for elevated leukocytes, how long until it works?")
    assert not a.adverse_event and not a.special_situations
    assert any(f.rule.startswith("not_reported:other_product:") for f in a.findings)
    assert assess("my son was prescribed quelvanti").adverse_event

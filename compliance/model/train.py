"""Train the report classifier (spaCy textcat, bag-of-words, on `spacy.blank("en")`) and write its card.

`python -m compliance.model.train` (or `make compliance-model`): reads `data/train.jsonl`, trains with
a fixed seed, scores `data/heldout.jsonl` (templates and events it never saw), writes the artefact to
`report_classifier/` and the figures to `CARD.md`.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from compliance.model.generate_data import LABELS

HERE = Path(__file__).parent
ARTEFACT = HERE / "report_classifier"
EPOCHS = 8
SEED = 8


def _load(name: str) -> list[tuple[str, str]]:
    with (HERE / "data" / name).open(encoding="utf-8") as fh:
        return [(r["text"], r["label"]) for r in map(json.loads, fh)]


def _scores(nlp: object, rows: list[tuple[str, str]]) -> dict[str, dict[str, float]]:
    from spacy.language import Language

    assert isinstance(nlp, Language)
    tp = dict.fromkeys(LABELS, 0)
    fp = dict.fromkeys(LABELS, 0)
    fn = dict.fromkeys(LABELS, 0)
    for doc, (_, gold) in zip(nlp.pipe(t for t, _ in rows), rows, strict=True):
        pred = max(doc.cats, key=lambda k: doc.cats[k])
        if pred == gold:
            tp[gold] += 1
        else:
            fp[pred] += 1
            fn[gold] += 1
    out: dict[str, dict[str, float]] = {}
    for lab in LABELS:
        p = tp[lab] / (tp[lab] + fp[lab]) if tp[lab] + fp[lab] else 0.0
        r = tp[lab] / (tp[lab] + fn[lab]) if tp[lab] + fn[lab] else 0.0
        out[lab] = {"precision": p, "recall": r, "support": float(tp[lab] + fn[lab])}
    out["accuracy"] = {"value": sum(tp.values()) / len(rows)}
    return out


def main() -> None:
    """Train, score held-out data, save the artefact and the card."""
    import spacy
    from spacy.pipeline import TextCategorizer
    from spacy.training import Example
    from spacy.util import fix_random_seed, minibatch  # type: ignore[attr-defined]

    fix_random_seed(SEED)
    nlp = spacy.blank("en")
    textcat: TextCategorizer = nlp.add_pipe(  # type: ignore[assignment]
        "textcat",
        config={
            "model": {
                "@architectures": "spacy.TextCatBOW.v3",
                "exclusive_classes": True,
                "ngram_size": 2,
                "no_output_layer": False,
                "length": 2**16,
            }
        },
    )
    for lab in LABELS:
        textcat.add_label(lab)
    train = _load("train.jsonl")
    heldout = _load("heldout.jsonl")
    examples = [Example.from_dict(nlp.make_doc(t), {"cats": {k: float(k == y) for k in LABELS}}) for t, y in train]
    optimizer = nlp.initialize(lambda: examples)
    rnd = random.Random(SEED)
    for _ in range(EPOCHS):
        rnd.shuffle(examples)
        for batch in minibatch(examples, size=32):  # type: ignore[no-untyped-call]
            nlp.update(batch, sgd=optimizer, drop=0.1)
    nlp.to_disk(ARTEFACT)
    scores = _scores(nlp, heldout)
    train_scores = _scores(nlp, train)
    lines = [
        "# Report classifier: model card",
        "",
        "- **What**: spaCy `textcat` (bag-of-words unigrams+bigrams, `spacy.TextCatBOW.v3`, 2^16 hashed",
        '  features, exclusive classes) on `spacy.blank("en")`; labels REPORT, QUESTION, HYPOTHETICAL,',
        "  HISTORY, EVERYDAY.",
        "- **Use** (`detectors/report_model.py`): for an event mention the rules framed as anything but a",
        "  report (and not negated), P(REPORT) >= 0.7 on the mention's clause flags the message (rule",
        "  `model:report(p=..);rules:<mode>:<rule>`), so either the rules or the model can raise a flag. For a",
        "  message with no medical context at all (no product, drug, patient, dose, treatment or clinical word,",
        "  no product in the conversation), an AE flag is cleared when every event word is a common English",
        "  word (rule `not_reported:weak_terms:...`, no model) or when P(EVERYDAY) >= 0.5 (rule",
        "  `not_reported:model:everyday(p=..)`). Thresholds were set on the dev sets only (round 2: of ~1,000",
        "  dev AE reports one has no medical context, at P(EVERYDAY) 0.26).",
        "- **Data**: `generate_data.py` (templates written for this model, events sampled from the generated",
        "  terminology plus a lay list, drug and subject slots; report openings include passive, plural and",
        "  title-like wordings; everyday requests span banking, travel, cooking, tech, sport, jobs, pets, cars);",
        "  no public corpus, and no message of any evaluation set (they are excluded when generating).",
        f"  {len(train)} training sentences; {len(heldout)} held-out sentences",
        "  (unseen events, and main framing phrases the training split never contains).",
        f"- **Training**: {EPOCHS} epochs, batch 32, dropout 0.1, seed {SEED}; `make compliance-model`.",
        "",
        "## Held-out figures (events and main framing phrases unseen in training)",
        "",
        "| label | precision | recall | support |",
        "| --- | --- | --- | --- |",
    ]
    for lab in LABELS:
        s = scores[lab]
        lines.append(f"| {lab} | {s['precision']:.3f} | {s['recall']:.3f} | {int(s['support'])} |")
    lines += [
        "",
        f"Accuracy {scores['accuracy']['value']:.3f} held-out; {train_scores['accuracy']['value']:.3f} on the",
        "training split. Template-generated text is easier than real messages: the end-to-end effect is",
        "measured on the external-style and blind sets (see evals/compliance/README.md).",
        "",
        "## Limits",
        "- English only; framing words it never saw (other languages, heavy shorthand) fall back to the rules.",
        "- It reads one clause (or, for EVERYDAY, the message's first 500 characters); a report split over",
        "  sentences depends on the rules.",
        "- The round-2 evaluation sets (`evals/compliance/round2_*.jsonl`) are generated to exclude every",
        "  training sentence, but their everyday idioms are of the same kind as the EVERYDAY training idioms,",
        "  so the off-domain rows are not fully independent of this model (the weak-term rule is).",
        "- Another company's drug is a policy decided by rules, not by this model: an event tied only to a",
        "  named other drug, with the product neither named nor in the conversation, is not a product AE;",
        '  "the medicine" or "it" then means that drug (products.yaml `generic_references`), while the',
        '  product\'s own forms ("the shot", "the pen") and the conversation context keep the report (rule',
        "  `not_reported:other_product:named_drug`; compliance/README.md, issue 8 round 3).",
        "",
    ]
    (HERE / "CARD.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()

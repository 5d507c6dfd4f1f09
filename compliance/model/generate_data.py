"""Generate the report-classifier training data: `compliance/model/data/{train,heldout}.jsonl`.

Four framings of a sentence that names an event: REPORT (it happened), QUESTION (asks about it),
HYPOTHETICAL (if / risk of / could), HISTORY (before treatment, another cause, a relative); and a
fifth class, EVERYDAY, for chatter where event words are idioms or about things ("my battery died",
"a rash of bad grades", "I'm sick of this rain"), so a message with no medical context can be cleared. The
sentences are built from templates written for this file (not the evaluation sets' templates),
events sampled from the generated terminology and the lay layer, and drug names from the drug
dictionary, so the model learns the framing words rather than the event words. Deterministic.

The held-out file uses events the training file never shows (split by position) and main
framing phrases it never shows (every fourth phrase of each label is kept for held-out only).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import yaml

HERE = Path(__file__).parent
VOCAB = HERE.parent / "vocab"
LABELS = ("REPORT", "QUESTION", "HYPOTHETICAL", "HISTORY", "EVERYDAY")

_T = yaml.safe_load((HERE / "templates.yaml").read_text(encoding="utf-8"))
SUBJECTS: list[str] = _T["subjects"]
PRODUCTS: list[str] = _T["products"]
TIMES: list[str] = _T["times"]
PARTS: dict[str, list[list[str]]] = _T["parts"]
EVERYDAY_SUBJECTS: list[str] = _T["everyday_subjects"]
EVERYDAY_PREDICATES: list[str] = _T["everyday_predicates"]
EVERYDAY_IDIOMS: list[str] = _T["everyday_idioms"]
EVERYDAY_TAILS: list[str] = _T["everyday_tails"]
EVERYDAY_REQUESTS: list[str] = _T["everyday_requests"]
LAY_EVENTS: list[str] = _T["lay_events"]


def _evaluation_texts() -> frozenset[str]:
    """Every message of the evaluation sets: never generated as training data (exclusion only)."""
    evals = HERE.parents[1] / "evals" / "compliance"
    return frozenset(
        str(json.loads(line)["text"]).strip().lower()
        for path in sorted(evals.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )


def _everyday(split: str, rnd: random.Random, n: int) -> list[str]:
    held = split == "heldout"

    def keep(i: int) -> bool:
        return (i % 4 == 3) == held

    subjects = [x for i, x in enumerate(EVERYDAY_SUBJECTS) if keep(i)]
    preds = [x for i, x in enumerate(EVERYDAY_PREDICATES) if keep(i)]
    idioms = [x for i, x in enumerate(EVERYDAY_IDIOMS) if keep(i)]
    requests = [x for i, x in enumerate(EVERYDAY_REQUESTS) if keep(i)]
    out: set[str] = set()
    excluded = _evaluation_texts()
    while len(out) < n:
        r = rnd.random()
        if r < 0.55:
            text = f"{rnd.choice(subjects)} {rnd.choice(preds)}{rnd.choice(EVERYDAY_TAILS)}"
        elif r < 0.85:
            text = f"{rnd.choice(idioms)}{rnd.choice(EVERYDAY_TAILS)}"
        else:
            text = f"{rnd.choice(requests)}{rnd.choice(EVERYDAY_TAILS)}"
        if text.strip().lower() not in excluded:
            out.add(_cap(text) if rnd.random() < 0.5 else text)
    return sorted(out)


def _events() -> list[str]:
    terms: list[str] = []
    with (VOCAB / "terminology" / "events.tsv").open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                term = line.split("\t", 1)[0]
                if 1 <= len(term.split()) <= 3:
                    terms.append(term)
    rnd = random.Random("events")
    picked = rnd.sample(terms, 1500)
    return picked + LAY_EVENTS


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def build(split: str) -> list[dict[str, object]]:
    """Rows of one split: the held-out split has unseen events and unseen main framing phrases."""
    rnd = random.Random(f"report-classifier-{split}")
    events = _events()
    events = events[0::2] if split == "train" else events[1::2]
    per_label = 2500 if split == "train" else 200
    rows: list[dict[str, object]] = []
    seen: set[str] = set()
    for label, parts in PARTS.items():
        n = 0
        while n < per_label:
            s, p, e, t = rnd.choice(SUBJECTS), rnd.choice(PRODUCTS), rnd.choice(events), rnd.choice(TIMES)
            # The main framing phrase of the held-out split is one the training split never saw.
            heads = [h for i, h in enumerate(parts[0]) if (i % 4 == 3) == (split == "heldout")]
            pieces = [rnd.choice(heads), *(rnd.choice(part) for part in parts[1:])]
            text = "".join(
                (" " + x if not x.startswith((",", ".", "?", ";")) and i else x) for i, x in enumerate(pieces) if x
            ).strip()
            text = text.format(s=s, S=_cap(s), p=p, P=_cap(p), e=e, E=_cap(e), t=t)
            if rnd.random() < 0.3:
                text = text.lower()
            if text in seen:
                continue
            seen.add(text)
            rows.append({"text": text, "label": label})
            n += 1
    rows += [
        {"text": t, "label": "EVERYDAY"}
        for t in _everyday(split, rnd, per_label // 3 if split == "heldout" else per_label // 2)
    ]
    rnd.shuffle(rows)
    return rows


def main() -> None:
    """Write both splits."""
    (HERE / "data").mkdir(exist_ok=True)
    for split in ("train", "heldout"):
        with (HERE / "data" / f"{split}.jsonl").open("w", encoding="utf-8") as fh:
            for row in build(split):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

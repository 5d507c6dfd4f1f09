"""The labelled set is well formed, kept apart from training data, and the bar holds on it."""

from __future__ import annotations

from pathlib import Path

from compliance.findings import PiiType, SpecialSituation
from compliance.tools.evaluate import evaluate

SITUATIONS = {s.value for s in SpecialSituation}
PII_TYPES = {t.value for t in PiiType}


def test_set_is_large_and_labelled(eval_rows: list[dict[str, object]]) -> None:
    assert len(eval_rows) >= 450
    ids = [r["id"] for r in eval_rows]
    assert len(set(ids)) == len(ids)
    for r in eval_rows:
        assert {
            "id",
            "text",
            "adverse_event",
            "special_situations",
            "seriousness",
            "off_label",
            "abusive",
            "pii",
        } <= set(r)
        assert set(r["special_situations"]) <= SITUATIONS  # type: ignore[arg-type]
        assert all(p["type"] in PII_TYPES and p["value"] in r["text"] for p in r["pii"])  # type: ignore[index,union-attr,operator]
        if r["adverse_event"]:
            assert set(r["ae_criteria"]) == {"patient", "reporter", "product", "event"}  # type: ignore[arg-type]


def test_every_situation_and_pii_type_is_covered(eval_rows: list[dict[str, object]]) -> None:
    seen_ss = {s for r in eval_rows for s in r["special_situations"]}  # type: ignore[attr-defined]
    seen_pii = {p["type"] for r in eval_rows for p in r["pii"]}  # type: ignore[attr-defined,index]
    assert seen_ss == SITUATIONS
    assert seen_pii == PII_TYPES


def test_training_data_does_not_overlap(repo_root: Path) -> None:
    """No message of any evaluation set is in the report classifier's training or held-out data."""
    import json

    evals = repo_root / "evals" / "compliance"
    texts = {
        str(json.loads(line)["text"]).strip().lower()
        for path in evals.glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    data = repo_root / "compliance" / "model" / "data"
    paths = sorted(data.glob("*.jsonl"))
    assert paths, "the classifier's data files are missing"
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            assert str(json.loads(line)["text"]).strip().lower() not in texts


def test_bar_on_own_set(eval_rows: list[dict[str, object]]) -> None:
    report = evaluate(eval_rows)
    c = report.counts
    assert c["adverse_event"].recall >= 0.97 and c["adverse_event"].precision >= 0.85
    assert c["special_situation (any)"].recall >= 0.9
    assert c["off_label"].recall >= 0.9 and c["off_label"].precision >= 0.8
    assert c["abusive"].recall >= 0.8
    assert report.pii_survivors == []

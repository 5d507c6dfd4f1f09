"""Evaluation against a labelled JSON Lines set: precision, recall and F1 per detector, and every miss."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from compliance.findings import PiiType, SpecialSituation
from compliance.pipeline import Assessment, assess

DEFAULT_EVAL_PATH = Path(__file__).resolve().parents[2] / "evals" / "compliance" / "labelled.jsonl"


def load_labelled(path: Path) -> list[dict[str, Any]]:
    """Read labelled rows; lines without an id and text (comments, blanks) are skipped."""
    rows: list[dict[str, Any]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line:
                continue
            row = json.loads(line)
            if isinstance(row, dict) and "id" in row and "text" in row:
                rows.append(row)
    return rows


@dataclass
class Counts:
    """Confusion counts for one binary detector, with the ids of the misses."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    false_negatives: list[str] = field(default_factory=list)
    false_positives: list[str] = field(default_factory=list)

    def add(self, row_id: str, expected: bool, predicted: bool) -> None:
        """Count one decision."""
        if expected and predicted:
            self.tp += 1
        elif expected:
            self.fn += 1
            self.false_negatives.append(row_id)
        elif predicted:
            self.fp += 1
            self.false_positives.append(row_id)
        else:
            self.tn += 1

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when nothing was expected."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """All counts of one evaluation run."""

    counts: dict[str, Counts]
    pii_values: int
    pii_survivors: list[tuple[str, str, str]]
    rows: dict[str, dict[str, Any]]
    results: dict[str, Assessment]


def _value_spans(text: str, value: str) -> Iterator[tuple[int, int]]:
    start = text.find(value)
    while start != -1:
        yield start, start + len(value)
        start = text.find(value, start + 1)


# Parts of a PII value that identify nobody on their own.
_GENERIC_PARTS = frozenset(
    [
        "year",
        "years",
        "old",
        "yo",
        "mr",
        "mrs",
        "ms",
        "dr",
        "st",
        "street",
        "road",
        "rd",
        "ave",
        "avenue",
        "lane",
        "ln",
        "suite",
        "apt",
        "unit",
        "the",
        "of",
        "at",
        "dot",
        "com",
        "org",
        "net",
        "age",
        "aged",
        "male",
        "female",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)


def _survives(value: str, redacted: str) -> bool:
    """True when the value, or any identifying part of it (a name, a run of 3+ digits), is still readable."""
    low = redacted.lower()
    if value.lower() in low:
        return True
    for part in re.findall(r"[A-Za-z]{2,}|\d{3,}", value):
        p = part.lower()
        if p in _GENERIC_PARTS:
            continue
        if re.search(rf"(?<![a-z0-9]){re.escape(p)}(?![a-z0-9])", low):
            return True
    return False


def evaluate(rows: Iterable[dict[str, Any]]) -> Report:
    """Run `assess` over labelled rows and count per detector."""
    counts: dict[str, Counts] = {}

    def c(name: str) -> Counts:
        return counts.setdefault(name, Counts())

    survivors: list[tuple[str, str, str]] = []
    n_values = 0
    by_id: dict[str, dict[str, Any]] = {}
    results: dict[str, Assessment] = {}
    for row in rows:
        rid = str(row["id"])
        by_id[rid] = row
        text = str(row["text"])
        a = assess(text)
        results[rid] = a
        c("adverse_event").add(rid, bool(row.get("adverse_event")), a.adverse_event)
        expected_ss = set(row.get("special_situations") or [])
        predicted_ss = {s.value for s in a.special_situations}
        c("special_situation (any)").add(rid, bool(expected_ss), bool(predicted_ss))
        for s in SpecialSituation:
            c(f"special_situation:{s.value}").add(rid, s.value in expected_ss, s.value in predicted_ss)
        c("off_label").add(rid, bool(row.get("off_label")), a.off_label)
        c("abusive").add(rid, bool(row.get("abusive")), a.abusive)
        if row.get("seriousness") or a.seriousness:
            for crit in ("death", "hospitalisation", "life_threatening", "disability", "congenital_anomaly"):
                if crit in (row.get("seriousness") or []) or crit in a.seriousness:
                    c(f"seriousness:{crit}").add(
                        rid, crit in (row.get("seriousness") or []), crit in a.seriousness
                    )

        # PII by type: a labelled value is found when a predicted span of its type covers it.
        labelled = [(str(p["type"]), str(p["value"])) for p in row.get("pii") or []]
        predicted = [(p.start, p.end, p.type.value) for p in a.pii]
        matched_pred: set[int] = set()
        for ptype, value in labelled:
            n_values += 1
            spans = list(_value_spans(text, value))
            hit_same = False
            for vs, ve in spans:
                for k, (ps, pe, pt) in enumerate(predicted):
                    if ps < ve and vs < pe:
                        matched_pred.add(k)
                        if pt == ptype:
                            hit_same = True
            c(f"pii:{ptype}").add(rid, True, hit_same)
            if _survives(value, a.redacted_text):
                survivors.append((rid, ptype, value))
        for k, (_, _, pt) in enumerate(predicted):
            if k not in matched_pred:
                c(f"pii:{pt}").add(rid, False, True)
        c("pii (message has any)").add(rid, bool(labelled), bool(predicted))
    for t in PiiType:
        counts.setdefault(f"pii:{t.value}", Counts())
    return Report(counts, n_values, survivors, by_id, results)


def _why(a: Assessment, detector: str) -> str:
    rules = [f.rule for f in a.findings if detector in f.detector.value or detector in f.rule]
    return "; ".join(rules[:4])


def print_report(report: Report, out: TextIO) -> None:
    """Print the metric table and every miss."""
    out.write(f"{'detector':38} {'P':>6} {'R':>6} {'F1':>6} {'TP':>5} {'FP':>5} {'FN':>5}\n")
    for name in sorted(report.counts, key=lambda n: (n.split(":")[0] != "adverse_event", n)):
        k = report.counts[name]
        out.write(f"{name:38} {k.precision:6.3f} {k.recall:6.3f} {k.f1:6.3f} {k.tp:5d} {k.fp:5d} {k.fn:5d}\n")
    survived = len(report.pii_survivors)
    out.write(
        f"\nno PII value survives redaction: {'YES' if not survived else 'NO'} "
        f"({report.pii_values - survived}/{report.pii_values} labelled values redacted)\n"
    )
    for rid, ptype, value in report.pii_survivors:
        out.write(f"  SURVIVED {rid} {ptype} {value!r}\n")
    out.write("\nMisses\n")
    for name in sorted(report.counts):
        k = report.counts[name]
        for kind, ids in (("FN", k.false_negatives), ("FP", k.false_positives)):
            for rid in ids:
                a = report.results[rid]
                detector = name.split(":")[0].split(" ")[0]
                text = str(report.rows[rid]["text"]).replace("\n", " ")
                out.write(f"  {name} {kind} {rid}: {text[:140]!r} [{_why(a, detector) or a.route.value}]\n")


def run(path: Path, out: TextIO) -> Report:
    """Evaluate the set at `path` and print the report."""
    report = evaluate(load_labelled(path))
    print_report(report, out)
    return report

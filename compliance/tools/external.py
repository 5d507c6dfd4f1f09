"""Score the external-style sets (`evals/compliance/external_{dev,held}.jsonl`) against the issue-8 bar."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from compliance.findings import Route
from compliance.pipeline import assess

EVAL_DIR = Path(__file__).resolve().parents[2] / "evals" / "compliance"
_STREET_SUFFIX = frozenset(
    [
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
        "drive",
        "dr",
        "lane",
        "ln",
        "boulevard",
        "blvd",
        "place",
        "pl",
        "terrace",
        "way",
        "court",
        "ct",
        "nw",
        "ne",
        "sw",
        "se",
        "n",
        "s",
        "e",
        "w",
        "apt",
        "suite",
        "rue",
        "jr",
    ]
)


@dataclass
class Rate:
    """hits out of n, with the ids of the hits kept for the miss list."""

    hits: int = 0
    n: int = 0
    ids: list[str] = field(default_factory=list)

    def add(self, rid: str, hit: bool) -> None:
        """Count one row."""
        self.n += 1
        if hit:
            self.hits += 1
            self.ids.append(rid)

    @property
    def rate(self) -> float:
        """hits / n (0 when empty)."""
        return self.hits / self.n if self.n else 0.0


def _word_in(piece: str, text: str) -> bool:
    return re.search(rf"(?<![\w]){re.escape(piece.lower())}(?![\w])", text.lower()) is not None


def score(rows: list[dict[str, Any]]) -> dict[str, Rate]:
    """Every bar metric as a rate; `miss`-type metrics count failures, the others successes."""
    m: dict[str, Rate] = defaultdict(Rate)
    for row in rows:
        rid, text, kind = str(row["id"]), str(row["text"]), str(row["set"])
        a = assess(text)
        if kind in ("reports", "co_reports"):
            m[f"{kind}: AE recall"].add(rid, a.adverse_event)
            if row.get("family"):
                m[f"{kind} family {row['family']}: AE recall"].add(rid, a.adverse_event)
        elif kind == "interactions":
            m["interactions: reach the bot (route pass)"].add(rid, a.route is Route.PASS)
        elif kind == "off_domain":
            m["off_domain: AE false alarms"].add(rid, a.adverse_event)
            m["off_domain: abuse false alarms"].add(rid, a.abusive)
            m["off_domain: off-label false alarms"].add(rid, a.off_label)
        elif kind == "consumer":
            m["consumer: AE flags"].add(rid, a.adverse_event)
            lost = [t for t in row.get("keep_terms", []) if t not in a.redacted_text]
            m["consumer: drug/disease turned into a placeholder"].add(rid, bool(lost))
        elif kind == "pii":
            for p in row["pii"]:
                ptype, value = str(p["type"]), str(p["value"])
                m[f"pii {ptype}: value survives verbatim"].add(rid, value.lower() in a.redacted_text.lower())
                if ptype == "ADDRESS":
                    # Round 3 names the pieces (house number, street-name words); earlier rounds use every word.
                    pieces = p.get("pieces") or [
                        w for w in value.replace(",", " ").split() if w.lower() not in _STREET_SUFFIX
                    ]
                    survived = any(_word_in(w, a.redacted_text) for w in pieces)
                    m["pii ADDRESS: a piece of number+street survives"].add(rid, survived)
    return dict(m)


def load(half: str, suite: str = "external") -> list[dict[str, Any]]:
    """Rows of one half ("dev" or "held") of a suite ("external": round 1, "round2" to "round16"; rounds 5 to 16
    have only a held half)."""
    with (EVAL_DIR / f"{suite}_{half}.jsonl").open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def run(half: str, out: TextIO, show_misses: bool = True, suite: str = "external") -> dict[str, Rate]:
    """Score one half and print the table (and the failing ids with their text)."""
    rows = load(half, suite)
    by_id = {str(r["id"]): r for r in rows}
    metrics = score(rows)
    out.write(f"{suite}_{half}: {len(rows)} messages\n{'metric':55} {'rate':>7} {'count':>9}\n")
    for name in sorted(metrics):
        r = metrics[name]
        out.write(f"{name:55} {r.rate:7.3f} {r.hits:4d}/{r.n:<4d}\n")
    if show_misses:
        out.write(
            "\nRows counted (misses for recall/reach metrics are the rows NOT listed; failures listed here)\n"
        )
        for name in sorted(metrics):
            if "recall" in name or "reach" in name:
                continue
            for rid in metrics[name].ids:
                out.write(f"  {name}: {rid} {by_id[rid]['text'][:120]!r}\n")
        for name in sorted(metrics):
            if "recall" in name or "reach" in name:
                hit = set(metrics[name].ids)
                prefix = name.split(":")[0]
                for rid, row in by_id.items():
                    if row["set"] == prefix and rid not in hit:
                        out.write(f"  MISS {name}: {rid} {row['text'][:120]!r}\n")
    return metrics

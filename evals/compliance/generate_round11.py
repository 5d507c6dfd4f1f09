#!/usr/bin/env python3
"""Round 11 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any
earlier round's sets; the only project input used was the Quelvanti product brief.
All templates and fillers live in round11_pools.yaml next to this script and were
written fresh for this round.

The generator is deterministic (fixed seed, standard library + PyYAML only). It reads
the pools, fills every family's templates, shuffles the rows, numbers them
r11-00001 ... and writes round11_held.jsonl. It prints counts per set and family and
asserts that:
  * ids are unique and sequential;
  * every labelled PII value, address piece and keep_term is an exact substring of
    its row's text;
  * each set has the specified number of rows;
  * no two rows share the same text;
  * no filler value is used more than MAX_FILLER_USES times (the product-name
    anchors are the only exempt pools);
  * the reports set draws on at least 150 distinct event terms;
  * payment-card numbers pass the Luhn check.

Run from the repository root as:
    .venv/bin/python evals/compliance/generate_round11.py
"""

import json
import random
import re
import sys
from collections import Counter, OrderedDict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
POOLS_PATH = HERE / "round11_pools.yaml"
OUT_PATH = HERE / "round11_held.jsonl"

SEED = 20110811
MAX_FILLER_USES = 4
MAX_TEMPLATE_USES = 4
RETRIES = 60

EXPECTED_SET_COUNTS = OrderedDict([
    ("reports", 300),
    ("co_reports", 75),
    ("interactions", 150),
    ("off_domain", 500),
    ("consumer", 200),
    ("pii", 300),
])
EXPECTED_OFF_DOMAIN_RISKY = 150
RISKY_SUFFIX = "_risky_wording"
MIN_DISTINCT_EVENTS = 150

# Approximate targets for labelled PII items (asserted with a tolerance).
PII_TARGETS = {
    "PERSON": 110, "PHONE": 40, "EMAIL": 25, "SSN": 12, "ADDRESS": 35,
    "ZIP": 25, "DATE": 40, "AGE": 30, "MRN": 20, "CARD": 12,
}
PII_TOLERANCE = 0.2

SLOT_RE = re.compile(r"\{([\^~]*)([a-z][a-z0-9_]*)(#\d+)?\}")
ARTICLE_RE = re.compile(r"^(?:a|an) ")
BRACKET_RE = re.compile(r"\[([^\[\]]+)\]")


def block_lines(block):
    """A pool or template block is a YAML literal scalar: one entry per line."""
    if isinstance(block, list):
        return [str(x).strip() for x in block if str(x).strip()]
    return [ln.strip() for ln in str(block).splitlines() if ln.strip()]


def luhn_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


class Item:
    """One filler value: the text that goes into a template, plus its labels."""

    __slots__ = ("text", "value", "pieces")

    def __init__(self, text, value=None, pieces=None):
        self.text = text
        self.value = value if value is not None else text
        self.pieces = pieces


class Pool:
    def __init__(self, name, kind, items, pii_type=None):
        self.name = name
        self.kind = kind          # anchor | filler | keep | pii
        self.items = items
        self.pii_type = pii_type


def parse_pii_item(raw, mode):
    text = BRACKET_RE.sub(lambda m: m.group(1), raw)
    marked = BRACKET_RE.findall(raw)
    if mode == "value":
        if len(marked) > 1:
            raise ValueError("more than one bracketed value in %r" % raw)
        value = marked[0] if marked else text
        return Item(text, value=value)
    if mode == "pieces":
        pieces = []
        for chunk in marked:
            pieces.extend(chunk.split())
        if not pieces:
            raise ValueError("address without marked pieces: %r" % raw)
        return Item(text, value=text, pieces=pieces)
    raise ValueError("unknown pii mode %r" % mode)


def load_pools(cfg):
    pools = {}

    def add(pool):
        if pool.name in pools:
            raise ValueError("duplicate pool name %s" % pool.name)
        texts = [it.text for it in pool.items]
        dup = [t for t, c in Counter(texts).items() if c > 1]
        if dup:
            raise ValueError("pool %s repeats entries: %s" % (pool.name, dup))
        if not pool.items:
            raise ValueError("empty pool %s" % pool.name)
        pools[pool.name] = pool

    for name, block in cfg.get("anchors", {}).items():
        add(Pool(name, "anchor", [Item(t) for t in block_lines(block)]))
    for section in [k for k in cfg if k.startswith("fillers")]:
        for name, block in cfg[section].items():
            add(Pool(name, "filler", [Item(t) for t in block_lines(block)]))
    for name, block in cfg.get("keep_pools", {}).items():
        # a bracketed part marks the keep_term inside a longer entry ("the [flu shot]")
        add(Pool(name, "keep", [parse_pii_item(t, "value") for t in block_lines(block)]))
    for name, spec in cfg.get("pii_pools", {}).items():
        mode = spec.get("mode", "value")
        items = [parse_pii_item(raw, mode) for raw in block_lines(spec["items"])]
        add(Pool(name, "pii", items, pii_type=spec["type"]))
    return pools


class Generator:
    def __init__(self, cfg):
        self.cfg = cfg
        self.rng = random.Random(SEED)
        self.pools = load_pools(cfg)
        self.event_pools = set(cfg.get("event_pools", []))
        self.usage = Counter()             # filler text -> uses (non-anchor pools)
        self.seen_texts = set()
        self.report_events = set()

    # -- filling -----------------------------------------------------------
    def pick(self, pool, taken, pending):
        candidates = [it for it in pool.items if it.text not in taken]
        if not candidates:
            raise RuntimeError("pool %s exhausted within one row" % pool.name)
        if pool.kind == "anchor":
            return self.rng.choice(candidates)
        low = min(self.usage[it.text] + pending[it.text] for it in candidates)
        best = [it for it in candidates if self.usage[it.text] + pending[it.text] == low]
        return self.rng.choice(best)

    def render(self, template):
        """Fill one template. Returns (text, labels, used_items) without committing."""
        chosen = {}
        taken_by_pool = {}
        pending = Counter()
        for cap, name, suffix in SLOT_RE.findall(template):
            key = name + (suffix or "")
            if key in chosen:
                continue
            if name not in self.pools:
                raise KeyError("template uses unknown pool {%s}: %r" % (name, template))
            pool = self.pools[name]
            taken = taken_by_pool.setdefault(name, set())
            item = self.pick(pool, taken, pending)
            taken.add(item.text)
            if pool.kind != "anchor":
                pending[item.text] += 1
            chosen[key] = (pool, item)

        labels = []
        used = []

        def substitute(m):
            cap, name, suffix = m.group(1), m.group(2), m.group(3)
            pool, item = chosen[name + (suffix or "")]
            text = item.text
            if cap and pool.kind in ("pii", "keep"):
                raise ValueError("modifiers are not allowed on labelled slots: %r" % template)
            if "~" in cap:
                text = ARTICLE_RE.sub("", text)
            if "^" in cap:
                text = text[:1].upper() + text[1:]
            if pool.kind == "keep":
                labels.append(("keep", item.value))
            elif pool.kind == "pii":
                labels.append(("pii", pool.pii_type, item.value, item.pieces))
            if pool.kind != "anchor":
                used.append((pool, item))
            return text

        text = SLOT_RE.sub(substitute, template)
        text = text.replace("\\n", "\n")
        if "{" in text or "}" in text or "[" in text or "]" in text:
            raise ValueError("unfilled or stray bracket in %r" % text)
        return text, labels, used

    def commit(self, used):
        for pool, item in used:
            self.usage[item.text] += 1

    # -- families ----------------------------------------------------------
    def family_rows(self, set_name, fam_name, spec):
        templates = block_lines(spec["templates"])
        count = int(spec["count"])
        if len(set(templates)) != len(templates):
            raise ValueError("duplicate templates in %s/%s" % (set_name, fam_name))
        caps = [MAX_TEMPLATE_USES if SLOT_RE.search(t) else 1 for t in templates]
        uses = [0] * len(templates)
        dead = set()
        rows = []
        while len(rows) < count:
            open_idx = [i for i in range(len(templates))
                        if uses[i] < caps[i] and i not in dead]
            if not open_idx:
                raise RuntimeError("%s/%s: templates exhausted after %d rows (need %d)"
                                   % (set_name, fam_name, len(rows), count))
            low = min(uses[i] for i in open_idx)
            idx = self.rng.choice([i for i in open_idx if uses[i] == low])
            row = None
            for _ in range(RETRIES):
                text, labels, used = self.render(templates[idx])
                if text not in self.seen_texts:
                    row = (text, labels, used)
                    break
            if row is None:
                dead.add(idx)
                continue
            text, labels, used = row
            self.commit(used)
            uses[idx] += 1
            self.seen_texts.add(text)
            if set_name == "reports":
                for pool, item in used:
                    if pool.name in self.event_pools:
                        self.report_events.add(item.text)
            rows.append(self.make_row(set_name, fam_name, text, labels))
        return rows

    @staticmethod
    def make_row(set_name, fam_name, text, labels):
        row = OrderedDict([("id", None), ("text", text), ("set", set_name),
                           ("family", fam_name)])
        if set_name == "consumer":
            terms = []
            for lab in labels:
                if lab[0] == "keep" and lab[1] not in terms:
                    terms.append(lab[1])
            row["keep_terms"] = terms
        if set_name == "pii":
            pii = []
            for lab in labels:
                if lab[0] != "pii":
                    continue
                entry = OrderedDict([("type", lab[1]), ("value", lab[2])])
                if lab[1] == "ADDRESS":
                    entry["pieces"] = list(lab[3])
                pii.append(entry)
            row["pii"] = pii
        return row

    def run(self):
        rows = []
        for set_name, set_spec in self.cfg["sets"].items():
            for fam_name, fam_spec in set_spec["families"].items():
                rows.extend(self.family_rows(set_name, fam_name, fam_spec))
        self.rng.shuffle(rows)
        for n, row in enumerate(rows, 1):
            row["id"] = "r11-%05d" % n
        return rows


def check(rows, gen):
    # ids
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert ids == ["r11-%05d" % n for n in range(1, len(rows) + 1)], "ids not sequential"
    # texts
    texts = [r["text"] for r in rows]
    dups = [t for t, c in Counter(texts).items() if c > 1]
    assert not dups, "duplicate texts: %r" % dups[:3]
    # set counts
    per_set = Counter(r["set"] for r in rows)
    for s, n in EXPECTED_SET_COUNTS.items():
        assert per_set[s] == n, "set %s has %d rows, expected %d" % (s, per_set[s], n)
    assert sum(per_set.values()) == sum(EXPECTED_SET_COUNTS.values()), "unexpected sets"
    fam_counts = Counter((r["set"], r["family"]) for r in rows)
    assert all(fam_counts[("reports", f)] == 30
               for s, f in fam_counts if s == "reports"), "reports families must be 30 each"
    assert len([1 for s, f in fam_counts if s == "reports"]) == 10, "need 10 report families"
    risky = sum(1 for r in rows if r["set"] == "off_domain" and r["family"].endswith(RISKY_SUFFIX))
    assert risky == EXPECTED_OFF_DOMAIN_RISKY, "off_domain risky rows: %d" % risky
    # labels are exact substrings
    pii_types = Counter()
    for r in rows:
        if r["set"] == "consumer":
            assert r["keep_terms"], "consumer row without keep_terms: %s" % r["id"]
            for term in r["keep_terms"]:
                assert term in r["text"], "keep_term %r not in %s" % (term, r["id"])
        if r["set"] == "pii":
            assert r["pii"], "pii row without labels: %s" % r["id"]
            for item in r["pii"]:
                pii_types[item["type"]] += 1
                assert item["value"] in r["text"], "pii value %r not in %s" % (item["value"], r["id"])
                if item["type"] == "ADDRESS":
                    assert item["pieces"], "address without pieces in %s" % r["id"]
                    for piece in item["pieces"]:
                        assert piece in r["text"], "piece %r not in %s" % (piece, r["id"])
                        assert piece in item["value"], "piece %r outside value in %s" % (piece, r["id"])
                if item["type"] == "CARD":
                    assert luhn_ok(item["value"]), "card fails Luhn in %s" % r["id"]
        else:
            assert "pii" not in r
    for t, target in PII_TARGETS.items():
        got = pii_types[t]
        assert abs(got - target) <= max(2, round(target * PII_TOLERANCE)), \
            "PII %s: %d labelled, target ~%d" % (t, got, target)
    # filler reuse
    worst = gen.usage.most_common(1)[0] if gen.usage else ("", 0)
    assert worst[1] <= MAX_FILLER_USES, "filler %r used %d times" % worst
    # event variety in reports
    assert len(gen.report_events) >= MIN_DISTINCT_EVENTS, \
        "only %d distinct event terms in reports" % len(gen.report_events)
    return per_set, fam_counts, pii_types, worst


def main():
    with open(POOLS_PATH, encoding="utf-8") as fh:
        cfg = yaml.safe_load(fh)
    gen = Generator(cfg)
    rows = gen.run()
    per_set, fam_counts, pii_types, worst = check(rows, gen)
    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    print("wrote %d rows to %s" % (len(rows), OUT_PATH))
    for s in EXPECTED_SET_COUNTS:
        print("%-13s %4d" % (s, per_set[s]))
        for (s2, fam), n in sorted(fam_counts.items()):
            if s2 == s:
                print("    %-40s %4d" % (fam, n))
    print("PII labels: " + ", ".join("%s=%d" % (t, pii_types[t]) for t in PII_TARGETS))
    print("distinct event terms in reports: %d" % len(gen.report_events))
    print("most-used filler: %r x%d (cap %d)" % (worst[0], worst[1], MAX_FILLER_USES))
    return 0


if __name__ == "__main__":
    sys.exit(main())

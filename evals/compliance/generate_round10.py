#!/usr/bin/env python3
"""Round 10 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any
earlier round's sets; the only project input used was the Quelvanti product brief.
All templates and fillers live in round10_pools.yaml (authored for this round).

The generator is deterministic (fixed seed; standard library + PyYAML only). It reads
the pools, fills the templates, shuffles the rows and writes round10_held.jsonl next to
this script, then prints counts per set and per family and checks:
  * ids are unique and run r10-00001, r10-00002, ...
  * every labelled PII value, ADDRESS piece and consumer keep_term is an exact
    substring of its row's text
  * per-set row counts are as specified
  * no duplicate texts (exact, and after case/whitespace folding)
  * no capped filler value is used more than meta.value_cap times

Sets: reports (300), co_reports (75), interactions (150), off_domain (500),
consumer (200), pii (300).

Run from the repository root as:
    .venv/bin/python evals/compliance/generate_round10.py
"""
import json
import os
import random
import re
import sys
from collections import Counter, defaultdict

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
POOLS_PATH = os.path.join(HERE, "round10_pools.yaml")
OUT_PATH = os.path.join(HERE, "round10_held.jsonl")

SET_COUNTS = {
    "reports": 300,
    "co_reports": 75,
    "interactions": 150,
    "off_domain": 500,
    "consumer": 200,
    "pii": 300,
}
SET_ORDER = ["reports", "co_reports", "interactions", "off_domain", "consumer", "pii"]
PRODUCT_RE = re.compile(r"quelv|qlv", re.IGNORECASE)
SLOT_RE = re.compile(r"\{([^{}]+)\}")
MIN_RARE_EVENT_TERMS = 150
MIN_IDIOM_ROWS = 120


PRODUCT_SUB_RE = re.compile(
    r"quelvarimab-avnd|quelvarimab \(quelvanti\)|quelvarimab|quelvantti|quelvanty|quelvanti|quelva|qlv",
    re.IGNORECASE)
VOWEL_START_RE = re.compile(
    r"^(?:[aeioAEIO]|u(?!ni|se|sa)|U(?![nN][iI]|[A-Z])|HR\b|8|11\b|18\b|11-|18-)")
ARTICLE_BEFORE_RE = re.compile(r"(?:^|(?<=[\s(]))([aA]) $")


def norm(text):
    return " ".join(text.lower().split())


def skeleton(text):
    """Near-duplicate key: product spelling and numbers folded away."""
    t = PRODUCT_SUB_RE.sub("P", norm(text))
    return re.sub(r"\d+(?:[.,]\d+)*", "#", t)


def luhn_ok(number):
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return len(digits) >= 13 and total % 10 == 0


def value_key(v):
    if isinstance(v, dict):
        if "value" in v:
            return v["value"]
        return " | ".join("%s=%s" % kv for kv in sorted(v.items()))
    return v


def keep_terms_of(v):
    """Names carried by a keep-pool value: the string itself, or every field of a pair."""
    if isinstance(v, dict):
        if "value" in v:
            return [v["value"]]
        return [v[k] for k in sorted(v)]
    return [v]


def value_text(v):
    if isinstance(v, dict):
        return v.get("render", v["value"])
    return v


class Filler:
    """Draws filler values, preferring the least-used ones, with a global cap."""

    def __init__(self, rng, pools, cap, unlimited):
        self.rng = rng
        self.pools = pools
        self.cap = cap
        self.unlimited = set(unlimited)
        self.uses = Counter()

    def draw(self, pool, exclude, pending):
        if pool not in self.pools:
            raise KeyError("unknown pool %r" % pool)
        values = self.pools[pool]
        excl = {value_key(v) for v in exclude}

        def used(v):
            return self.uses[(pool, value_key(v))] + pending[(pool, value_key(v))]

        cands = [v for v in values if value_key(v) not in excl]
        if pool not in self.unlimited:
            cands = [v for v in cands if used(v) < self.cap]
        if not cands:
            raise RuntimeError("pool %r exhausted (cap %d)" % (pool, self.cap))
        low = min(used(v) for v in cands)
        best = [v for v in cands if used(v) == low]
        return self.rng.choice(best)

    def commit(self, picks):
        for pool, v in picks:
            self.uses[(pool, value_key(v))] += 1


def is_varying(spec, unlimited):
    core = spec.split("|")[0]
    if core.startswith(("int:", "dec:")) or core == "age":
        return True
    name = core.split(".")[0].split("@")[0]
    return name not in unlimited


def fill(template, filler, rng):
    """Fill one template. Returns (text, picks) where picks = [(pool, value)]."""
    assigned = {}
    drawn_by_pool = defaultdict(list)
    pending = Counter()
    picks = []
    cache_age = {}

    def repl(m):
        spec = m.group(1)
        parts = spec.split("|")
        core, mods = parts[0], parts[1:]
        if core.startswith("int:"):
            a, b = core[4:].split("-")
            out = str(rng.randint(int(a), int(b)))
        elif core.startswith("dec:"):
            a, b = core[4:].split("-")
            lo, hi = int(round(float(a) * 10)), int(round(float(b) * 10))
            out = "%.1f" % (rng.randint(lo, hi) / 10.0)
        elif core == "age":
            if "age" not in cache_age:
                cache_age["age"] = str(rng.randint(19, 88))
            out = cache_age["age"]
        else:
            slot, _, attr = core.partition(".")
            name = slot.split("@")[0]
            if slot not in assigned:
                v = filler.draw(name, drawn_by_pool[name], pending)
                assigned[slot] = v
                drawn_by_pool[name].append(v)
                pending[(name, value_key(v))] += 1
                picks.append((name, v))
            out = assigned[slot][attr] if attr else value_text(assigned[slot])
        if "cap" in mods and out:
            out = out[0].upper() + out[1:]
        return out

    pieces = []
    pos = 0
    for m in SLOT_RE.finditer(template):
        pieces.append(template[pos:m.start()])
        out = repl(m)
        prev = "".join(pieces)
        am = ARTICLE_BEFORE_RE.search(prev)
        if am and VOWEL_START_RE.match(out):
            art = "an" if am.group(1) == "a" else "An"
            prev = prev[:am.start(1)] + art + " "
            pieces = [prev]
        pieces.append(out)
        pos = m.end()
    pieces.append(template[pos:])
    text = "".join(pieces)
    return text, picks


def template_text(t):
    return t["t"] if isinstance(t, dict) else t


def template_limit(t, unlimited, cap):
    specs = SLOT_RE.findall(template_text(t))
    if any(is_varying(s, unlimited) for s in specs):
        return cap
    return 1


def build_rows(templates, n, filler, rng, seen, unlimited, tcap, label, seen_skel):
    """Fill n rows from a template list, balancing template use."""
    order = list(range(len(templates)))
    rng.shuffle(order)
    limits = {i: template_limit(templates[i], unlimited, tcap) for i in order}
    capacity = sum(limits.values())
    if capacity < n:
        raise RuntimeError("%s: template capacity %d < %d rows" % (label, capacity, n))
    tuses = Counter()
    failures = Counter()
    out = []
    while len(out) < n:
        avail = [i for i in order if tuses[i] < limits[i] and failures[i] < 25]
        if not avail:
            raise RuntimeError("%s: ran out of templates after %d rows" % (label, len(out)))
        low = min(tuses[i] for i in avail)
        i = rng.choice([j for j in avail if tuses[j] == low])
        t = templates[i]
        text, picks = fill(template_text(t), filler, rng)
        if norm(text) in seen or skeleton(text) in seen_skel:
            failures[i] += 1
            continue
        seen.add(norm(text))
        seen_skel.add(skeleton(text))
        filler.commit(picks)
        tuses[i] += 1
        out.append((text, picks, t))
    return out


def split_even(total, families):
    k = len(families)
    base, rem = divmod(total, k)
    return {f: base + (1 if idx < rem else 0) for idx, f in enumerate(families)}


def main():
    with open(POOLS_PATH, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    meta = data["meta"]
    rng = random.Random(meta["seed"])
    cap = meta["value_cap"]
    tcap = meta["template_cap"]
    unlimited = set(meta["unlimited_pools"])
    keep_pools = set(meta["keep_pools"])

    pools = dict(data["fillers"])
    for etype, vals in data["pii_values"].items():
        pools[etype] = vals
    for c in data["pii_values"]["CARD"]:
        assert luhn_ok(c), "CARD value fails Luhn: %s" % c
    for a in data["pii_values"]["ADDRESS"]:
        for piece in a["pieces"]:
            assert piece in a["value"], "address piece %r not in %r" % (piece, a["value"])
    for z in data["pii_values"]["ZIP"]:
        assert z["value"] in z.get("render", z["value"])
    for pname, vals in pools.items():
        keys = [value_key(v) for v in vals]
        assert len(keys) == len(set(keys)), "duplicate values in pool %s" % pname

    filler = Filler(rng, pools, cap, unlimited)
    seen = set()
    seen_skel = set()
    rows = []
    rare_terms_in_reports = set()
    idiom_rows = 0

    # --- template sets: reports, co_reports, interactions, consumer ---
    for setname in ["reports", "co_reports", "interactions", "consumer"]:
        fams = list(data[setname].keys())
        counts = split_even(SET_COUNTS[setname], fams)
        for fam in fams:
            built = build_rows(data[setname][fam], counts[fam], filler, rng, seen,
                               unlimited, tcap, "%s/%s" % (setname, fam), seen_skel)
            for text, picks, t in built:
                row = {"text": text, "set": setname, "family": fam}
                if setname == "consumer":
                    keep = []
                    for pool, v in picks:
                        if pool in keep_pools:
                            for term in keep_terms_of(v):
                                if term not in keep:
                                    keep.append(term)
                    if isinstance(t, dict):
                        for k in t.get("keep", []):
                            if k not in keep:
                                keep.append(k)
                    keep.sort(key=lambda k: text.find(k))
                    row["keep_terms"] = keep
                if setname == "reports":
                    for pool, v in picks:
                        if pool == "rare_event":
                            rare_terms_in_reports.add(value_key(v))
                rows.append(row)

    # --- off_domain: idiom + plain per domain ---
    od = data["off_domain"]
    fams = list(od.keys())
    counts = split_even(SET_COUNTS["off_domain"], fams)
    n_idiom = meta["off_domain_idiom_per_family"]
    for fam in fams:
        parts = [("idiom", n_idiom), ("plain", counts[fam] - n_idiom)]
        for kind, n in parts:
            built = build_rows(od[fam][kind], n, filler, rng, seen, unlimited, tcap,
                               "off_domain/%s/%s" % (fam, kind), seen_skel)
            for text, picks, t in built:
                rows.append({"text": text, "set": "off_domain", "family": fam})
                if kind == "idiom":
                    idiom_rows += 1

    # --- pii: each template used exactly n times ---
    entity_types = set(data["pii_values"].keys())
    for fam, templates in data["pii"].items():
        plan = []
        for t in templates:
            plan.extend([t["t"]] * t["n"])
        rng.shuffle(plan)
        for tmpl in plan:
            for attempt in range(40):
                text, picks = fill(tmpl, filler, rng)
                if norm(text) not in seen:
                    break
            else:
                raise RuntimeError("pii/%s: could not make a unique text from %r" % (fam, tmpl))
            seen.add(norm(text))
            filler.commit(picks)
            labels = []
            for pool, v in picks:
                if pool in entity_types:
                    ent = {"type": pool, "value": value_key(v)}
                    if pool == "ADDRESS":
                        ent["pieces"] = list(v["pieces"])
                    labels.append(ent)
            labels.sort(key=lambda e: text.find(e["value"]))
            rows.append({"text": text, "set": "pii", "family": fam, "pii": labels})

    # --- shuffle, assign ids, write ---
    rng.shuffle(rows)
    out_rows = []
    for idx, row in enumerate(rows, 1):
        r = {"id": "r10-%05d" % idx}
        r.update(row)
        out_rows.append(r)

    # --- assertions ---
    ids = [r["id"] for r in out_rows]
    assert len(ids) == len(set(ids)), "duplicate ids"
    assert ids == ["r10-%05d" % i for i in range(1, len(ids) + 1)]
    texts = [r["text"] for r in out_rows]
    assert len(texts) == len(set(texts)), "duplicate texts"
    assert len({norm(t) for t in texts}) == len(texts), "near-duplicate texts"
    non_pii = [r["text"] for r in out_rows if r["set"] != "pii"]
    assert len({skeleton(t) for t in non_pii}) == len(non_pii), \
        "texts differing only in product spelling or numbers"
    set_counts = Counter(r["set"] for r in out_rows)
    for s, n in SET_COUNTS.items():
        assert set_counts[s] == n, "set %s has %d rows, expected %d" % (s, set_counts[s], n)
    assert sum(set_counts.values()) == sum(SET_COUNTS.values())
    for r in out_rows:
        assert "{" not in r["text"] and "}" not in r["text"], "unfilled slot in %s" % r["id"]
        if r["set"] == "pii":
            assert r["pii"], "pii row without labels: %s" % r["id"]
            for ent in r["pii"]:
                assert ent["value"] in r["text"], "%s: %r not in text" % (r["id"], ent["value"])
                for piece in ent.get("pieces", []):
                    assert piece in r["text"], "%s: piece %r not in text" % (r["id"], piece)
                if ent["type"] == "CARD":
                    assert luhn_ok(ent["value"])
        if r["set"] == "consumer":
            assert r["keep_terms"], "consumer row without keep_terms: %s" % r["id"]
            for k in r["keep_terms"]:
                assert k in r["text"], "%s: keep term %r not in text" % (r["id"], k)
        if r["set"] in ("reports", "co_reports", "interactions"):
            assert PRODUCT_RE.search(r["text"]), "%s: product not named" % r["id"]
        if r["set"] == "off_domain":
            assert not PRODUCT_RE.search(r["text"]), "%s: product named off-domain" % r["id"]
    for (pool, key), n in filler.uses.items():
        if pool not in unlimited:
            assert n <= cap, "value %r from %s used %d times" % (key, pool, n)
    assert len(rare_terms_in_reports) >= MIN_RARE_EVENT_TERMS, \
        "only %d distinct rare event terms in reports" % len(rare_terms_in_reports)
    assert idiom_rows >= MIN_IDIOM_ROWS, "only %d idiom rows" % idiom_rows

    with open(OUT_PATH, "w", encoding="utf-8") as fh:
        for r in out_rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    # --- report ---
    fam_counts = Counter((r["set"], r["family"]) for r in out_rows)
    print("wrote %d rows to %s" % (len(out_rows), os.path.relpath(OUT_PATH)))
    for s in SET_ORDER:
        print("%-13s %4d" % (s, set_counts[s]))
        for (s2, fam), n in sorted(fam_counts.items()):
            if s2 == s:
                print("    %-24s %4d" % (fam, n))
    ptypes = Counter(e["type"] for r in out_rows if r["set"] == "pii" for e in r["pii"])
    print("pii entities: " + ", ".join("%s=%d" % kv for kv in sorted(ptypes.items())))
    print("distinct rare event terms in reports: %d" % len(rare_terms_in_reports))
    print("off_domain rows using medical/risky-sounding idioms: %d" % idiom_rows)
    print("all assertions passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())

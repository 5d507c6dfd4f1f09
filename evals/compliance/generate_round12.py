"""Round 12 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any
earlier round's sets; the only project input consulted was the product brief for
the fictional drug Quelvanti (quelvarimab). All templates and filler pools are new
wording kept in evals/compliance/round12_pools.yaml.

The generator is deterministic (fixed seed, stdlib + PyYAML only). It expands the
template families in the pools file, shuffles the rows and writes
evals/compliance/round12_held.jsonl, one JSON object per line with the keys
"id", "text", "set", "family" plus, where relevant, "pii" (list of {"type",
"value"} and, for ADDRESS, "pieces") or "keep_terms".

Sets: reports 300, co_reports 75, interactions 150, off_domain 500,
consumer 200, pii 300.

Run from the repository root as: .venv/bin/python evals/compliance/generate_round12.py
"""

import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
POOLS_PATH = HERE / "round12_pools.yaml"
OUT_PATH = HERE / "round12_held.jsonl"

SEED = 120612
MAX_FILLER_USES = 4
EXPECTED = {
    "reports": 300,
    "co_reports": 75,
    "interactions": 150,
    "off_domain": 500,
    "consumer": 200,
    "pii": 300,
}
SLOT_RE = re.compile(r"\{([A-Za-z][A-Za-z0-9_]*)(?:\|([a-z]+))?\}")
PRODUCT_RE = re.compile(r"qu?elv|qlv", re.IGNORECASE)


def luhn_ok(value):
    digits = [int(c) for c in value if c.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def item_key(item):
    return item["value"] if isinstance(item, dict) else item


class Deck:
    """Draws pool items without replacement, reshuffling when exhausted."""

    def __init__(self, items, rng):
        self.items = list(items)
        self.rng = rng
        self.order = []

    def draw(self, avoid):
        for _ in range(3 * len(self.items) + 3):
            if not self.order:
                self.order = list(range(len(self.items)))
                self.rng.shuffle(self.order)
            item = self.items[self.order.pop()]
            if item_key(item) not in avoid:
                return item
        raise AssertionError("cannot draw a fresh value")


class Generator:
    def __init__(self, cfg, rng):
        self.cfg = cfg
        self.rng = rng
        self.decks = {}
        self.unlimited = set(cfg["unlimited_pools"])
        self.event_pools = set(cfg["event_pools"])
        self.keep_pools = set(cfg["keep_pools"])
        self.pii_types = dict(cfg["pii_pool_types"])

    def lookup(self, base, scopes):
        for scope_name, scope in scopes:
            if scope and base in scope:
                return scope_name, scope[base]
        raise KeyError("unknown slot %r" % base)

    def fill(self, text, scopes, rec, depth=0):
        assert depth < 4, "slot nesting too deep"

        def repl(m):
            name, filt = m.group(1), m.group(2)
            base = re.sub(r"_\d+$", "", name)
            scope_name, items = self.lookup(base, scopes)
            deck_id = (scope_name, base)
            if deck_id not in self.decks:
                self.decks[deck_id] = Deck(items, self.rng)
            item = self.decks[deck_id].draw(rec["avoid"][deck_id])
            key = item_key(item)
            rec["avoid"][deck_id].add(key)
            value = self.fill(key, scopes, rec, depth + 1)
            if filt:
                assert base not in self.keep_pools and base not in self.pii_types, (
                    "filters not allowed on labelled slots")
                if filt == "cap":
                    value = value[:1].upper() + value[1:]
                elif filt == "lower":
                    value = value.lower()
                elif filt == "upper":
                    value = value.upper()
                else:
                    raise AssertionError("unknown filter " + filt)
            rec["fills"].append((deck_id, base, key, value, item))
            return value

        return SLOT_RE.sub(repl, text)


def has_fillers(template, unlimited):
    body = template["t"] if isinstance(template, dict) else template
    for m in SLOT_RE.finditer(body):
        if re.sub(r"_\d+$", "", m.group(1)) not in unlimited:
            return True
    return False


def main():
    cfg = yaml.safe_load(POOLS_PATH.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    gen = Generator(cfg, rng)
    global_pools = cfg["pools"]

    rows = []
    seen = set()
    usage = Counter()
    template_use = Counter()
    events = set()

    for set_name, set_cfg in cfg["sets"].items():
        fam_total = sum(f["count"] for f in set_cfg["families"].values())
        assert fam_total == EXPECTED[set_name], (set_name, fam_total)
        for fam_name, fam in set_cfg["families"].items():
            scopes = [
                ("fam:%s:%s" % (set_name, fam_name), fam.get("slots")),
                ("set:%s" % set_name, set_cfg.get("slots")),
                ("global", global_pools),
            ]
            templates = fam["templates"]
            n = fam["count"]
            if n <= len(templates):
                picks = rng.sample(range(len(templates)), n)
            else:
                picks = list(range(len(templates)))
                reusable = [i for i, t in enumerate(templates)
                            if has_fillers(t, gen.unlimited)]
                assert reusable, (set_name, fam_name, "needs reusable templates")
                extra = []
                while len(picks) + len(extra) < n:
                    batch = reusable[:]
                    rng.shuffle(batch)
                    extra.extend(batch[: n - len(picks) - len(extra)])
                picks += extra
            rng.shuffle(picks)
            for ti in picks:
                template = templates[ti]
                body = template["t"] if isinstance(template, dict) else template
                literal_keep = template.get("keep", []) if isinstance(template, dict) else []
                for _attempt in range(60):
                    rec = {"fills": [], "avoid": defaultdict(set)}
                    text = gen.fill(body, scopes, rec)
                    norm = " ".join(text.lower().split())
                    if norm not in seen:
                        break
                else:
                    raise AssertionError("could not make a unique text for %s/%s #%d"
                                         % (set_name, fam_name, ti))
                seen.add(norm)
                template_use[(set_name, fam_name, ti)] += 1
                row = {"text": text, "set": set_name, "family": fam_name}
                pii = []
                keep = list(literal_keep)
                for deck_id, base, key, value, item in rec["fills"]:
                    if base not in gen.unlimited:
                        usage[(deck_id, key)] += 1
                    if base in gen.event_pools and set_name == "reports":
                        events.add(value.lower())
                    if base in gen.pii_types:
                        assert set_name == "pii", "PII slot outside the pii set"
                        entry = {"type": gen.pii_types[base], "value": value}
                        if isinstance(item, dict) and "pieces" in item:
                            entry["pieces"] = list(item["pieces"])
                        pii.append(entry)
                    if base in gen.keep_pools:
                        assert set_name == "consumer", "keep slot outside consumer"
                        keep.append(value)
                if set_name == "pii":
                    assert pii, ("pii row without labels", text)
                    pii.sort(key=lambda e: text.find(e["value"]))
                    row["pii"] = pii
                if set_name == "consumer":
                    assert keep, ("consumer row without keep_terms", text)
                    row["keep_terms"] = keep
                rows.append(row)

    # ---- checks -------------------------------------------------------------
    set_counts = Counter(r["set"] for r in rows)
    for s, n in EXPECTED.items():
        assert set_counts[s] == n, (s, set_counts[s], n)
    assert len(rows) == sum(EXPECTED.values())

    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts), "duplicate texts"
    assert len({" ".join(t.lower().split()) for t in texts}) == len(texts)

    pii_types = Counter()
    for r in rows:
        assert r["text"] == r["text"].strip() and r["text"], r["text"]
        if "{" in r["text"] or "}" in r["text"]:
            raise AssertionError("unfilled slot: " + r["text"])
        if r["set"] in ("reports", "co_reports", "interactions"):
            assert PRODUCT_RE.search(r["text"]), ("product not named", r["text"])
        if r["set"] in ("off_domain", "consumer"):
            assert not PRODUCT_RE.search(r["text"]), ("product named", r["text"])
        for e in r.get("pii", []):
            assert e["value"] in r["text"], ("pii value not in text", e, r["text"])
            for p in e.get("pieces", []):
                assert p in r["text"], ("address piece not in text", p, r["text"])
                assert p in e["value"], ("piece not in address value", p)
            if e["type"] == "ADDRESS":
                assert e.get("pieces"), ("address without pieces", e)
            if e["type"] == "CARD":
                assert luhn_ok(e["value"]), ("card fails Luhn", e["value"])
            pii_types[e["type"]] += 1
        for k in r.get("keep_terms", []):
            assert k in r["text"], ("keep term not in text", k, r["text"])

    over = {k: v for k, v in usage.items() if v > MAX_FILLER_USES}
    assert not over, ("filler values used too often", over)

    assert len(events) >= 150, ("too few distinct event terms", len(events))

    # ---- shuffle, ids, write ----------------------------------------------------
    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        rec = {"id": "r12-%05d" % i}
        rec.update(r)
        out.append(rec)
    ids = [r["id"] for r in out]
    assert len(set(ids)) == len(ids)

    with OUT_PATH.open("w", encoding="utf-8") as fh:
        for r in out:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    # ---- report ----------------------------------------------------------------
    fam_counts = Counter((r["set"], r["family"]) for r in out)
    print("wrote %d rows to %s" % (len(out), OUT_PATH))
    for s in EXPECTED:
        print("%-13s %4d" % (s, set_counts[s]))
        for (s2, f), n in sorted(fam_counts.items()):
            if s2 == s:
                print("    %-32s %4d" % (f, n))
    print("pii entity types:", dict(sorted(pii_types.items())))
    print("distinct event terms in reports:", len(events))
    print("max filler use:", max(usage.values()) if usage else 0)
    print("max template use:", max(template_use.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

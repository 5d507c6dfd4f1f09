"""Round 13 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any earlier round's sets;
the only project input used was the Quelvanti product brief.
All templates and filler pools live in round13_pools.yaml next to this script.

Output: evals/compliance/round13_held.jsonl, one JSON object per line with
  id, text, set, family
plus "keep_terms" for the consumer set and "pii" for the pii set.

Sets: reports (300), co_reports (75), interactions (150), off_domain (500),
consumer (200), pii (300).

The generator is deterministic (fixed seed, stdlib + PyYAML only).

Run from the repository root as: .venv/bin/python evals/compliance/generate_round13.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
POOLS_PATH = HERE / "round13_pools.yaml"
OUT_PATH = HERE / "round13_held.jsonl"
SEED = 20251313
MAX_FILLER_USES = 4

SET_COUNTS = {
    "reports": 300,
    "co_reports": 75,
    "interactions": 150,
    "off_domain": 500,
    "consumer": 200,
    "pii": 300,
}
REPORT_FAMILY_SIZE = 30
CO_FAMILY_SIZE = 15
INTERACTION_FAMILY_SIZE = 25
OFF_DOMAIN_PER_DOMAIN = 25
OFF_DOMAIN_TRAPS = 150
CONSUMER_FAMILY_SIZE = 40
MIN_DISTINCT_REPORT_EVENTS = 150

SLOT_RE = re.compile(r"\{(\w+)\}")
USES: Counter = Counter()  # filler value -> number of uses (tracked pools only)


def lines(block: str) -> list[str]:
    """One entry per non-empty, non-comment line; a literal backslash-n becomes a newline."""
    out = []
    for raw in block.splitlines():
        item = raw.strip()
        if not item or item.startswith("#"):
            continue
        out.append(item.replace("\\n", "\n"))
    return out


class Cycler:
    """Draw without replacement from a shuffled pool, refilling when exhausted."""

    def __init__(self, name: str, items: list[str], rng: random.Random, tracked: bool = True):
        if not items:
            raise ValueError(f"empty pool {name}")
        self.name = name
        self.items = list(items)
        self.rng = rng
        self.tracked = tracked
        self.queue: list[str] = []

    def _refill(self) -> None:
        batch = list(self.items)
        self.rng.shuffle(batch)
        self.queue.extend(batch)

    def draw(self, ok=None, avoid=()) -> str:
        for _ in range(4):
            if not self.queue:
                self._refill()
            for i, value in enumerate(self.queue):
                if value in avoid:
                    continue
                if ok is not None and not ok(value):
                    continue
                self.queue.pop(i)
                if self.tracked:
                    key = f"{self.name}:{value}" if value.isdigit() else value
                    USES[key] += 1
                return value
            self._refill()
        raise RuntimeError(f"no acceptable value left in pool {self.name}")


def voiceify(text: str) -> str:
    """Imitate a voice-to-text transcript: lower case, no punctuation."""
    t = text.lower()
    t = t.replace("%", " percent").replace("&", " and ").replace("°", " ")
    t = re.sub(r"[/\-–—]", " ", t)
    t = re.sub(r"[.,;:!?()\"“”\[\]<>~#@|]", " ", t)
    t = t.replace("\n", " ")
    return re.sub(r"\s+", " ", t).strip()


def fix_article(phrase: str) -> str:
    """a -> an before a vowel sound in a generated patient descriptor."""
    phrase = re.sub(r"\b([Aa]) (8\d?\b|8\d-|11-|18-)", lambda m: m.group(1) + "n " + m.group(2), phrase)
    phrase = re.sub(r"\b([Aa]) (?=[aeiouAEIOU])(?!uni|use|eu)", lambda m: m.group(1) + "n ", phrase)
    return phrase


class Generator:
    def __init__(self, pools: dict):
        self.p = pools
        self.rng = random.Random(SEED)
        f = pools["fillers"]
        self.cyc: dict[str, Cycler] = {}
        events = []
        self.event_system = {}
        self.event_sex: dict[str, str] = {}
        for system, block in f["events"].items():
            for ev in lines(block):
                m = re.match(r"^(F50|F|M):(.*)$", ev)
                if m:
                    ev = m.group(2)
                    self.event_sex[ev] = m.group(1)
                events.append(ev)
                self.event_system[ev] = system
        assert len(events) == len(set(events)), "duplicate event terms in pool"
        self.cyc["event"] = Cycler("event", events, self.rng)
        for name, block in f.items():
            if name == "events":
                continue
            self.cyc[name] = Cycler(name, lines(block), self.rng)
        self.cyc["drug"] = self.cyc["co_drug"]
        self.cyc["age"] = Cycler("age", [str(a) for a in range(18, 90)], self.rng)
        for name in ("prose", "casual", "voice"):
            self.cyc["prod_" + name] = Cycler("prod_" + name, lines(pools["product"][name]), self.rng, tracked=False)
        for sex in ("F", "M"):
            self.cyc["noun_" + sex] = Cycler("noun_" + sex, lines(pools["nouns"][sex]), self.rng, tracked=False)
        self.events_in_reports: set[str] = set()
        self.seen: set[str] = set()

    # ------------------------------------------------------------------ slots
    def new_ctx(self, template: str, preg: bool = False) -> tuple[str, dict]:
        ctx: dict = {"cache": {}, "drawn": defaultdict(set), "preg": preg, "voice": False}
        sex = None
        while True:
            if template.startswith("@F|"):
                sex, template = "F", template[3:]
            elif template.startswith("@M|"):
                sex, template = "M", template[3:]
            elif template.startswith("~|"):
                ctx["voice"], template = True, template[2:]
            else:
                break
        ctx["sex"] = sex or self.rng.choice("FM")
        return template, ctx

    def _age(self, ctx) -> str:
        if "age" in ctx["cache"]:
            return ctx["cache"]["age"]
        if ctx["preg"] and ctx["sex"] == "F":
            ok = lambda a: 19 <= int(a) <= 43
        elif ctx["preg"]:
            ok = lambda a: 20 <= int(a) <= 58
        else:
            ok = None
        val = self.cyc["age"].draw(ok=ok)
        ctx["cache"]["age"] = val
        return val

    def _pronoun(self, name: str, ctx) -> str:
        f = ctx["sex"] == "F"
        return {"he": "she" if f else "he", "his": "her" if f else "his", "him": "her" if f else "him"}[name]

    def _pt(self, style: str, ctx) -> str:
        sex = ctx["sex"]
        noun = self.cyc["noun_" + sex].draw()
        young = lambda d: any(w in d for w in ("twenties", "thirties", "forty", "forties"))
        r = self.rng.random()
        if style == "pt":
            if ctx["preg"] and sex == "F":
                dec_ok = lambda d: any(w in d for w in ("twenties", "thirties", "turned forty"))
            elif ctx["preg"]:
                dec_ok = lambda d: not any(w in d for w in ("seventies", "eighties", "retirement", "late sixties", "mid-sixties"))
            else:
                dec_ok = None
            if r < 0.45:
                out = f"a {self._age(ctx)}-year-old {noun}"
            elif r < 0.65:
                age = int(self._age(ctx))
                occ = self.cyc["occupation"].draw(
                    ok=lambda o: ("retired" in o) == (age >= 68) if (age < 45 or age >= 68) else True)
                out = f"a {age}-year-old {occ}"
            elif r < 0.83:
                dec = self.cyc["decade"].draw(ok=dec_ok)
                ctx["decade"] = dec
                out = f"a {noun} {dec}"
            else:
                dec = self.cyc["decade"].draw(ok=dec_ok)
                ctx["decade"] = dec
                old = any(w in dec for w in ("seventies", "eighties", "late sixties", "retirement"))
                occ = self.cyc["occupation"].draw(
                    ok=lambda o: ("retired" in o) == old if (old or young(dec)) else True)
                out = f"a {occ} {dec}"
            return fix_article(out)
        age = self._age(ctx)
        if style == "pt_short":
            word = "female" if sex == "F" else "male"
            forms = [f"{age}{sex}", f"{sex}, {age}", f"{age}-year-old {noun}", f"{age} y/o {word}"]
            return fix_article(self.rng.choice(forms))
        if style == "pt_sh":
            forms = [f"{age}{sex}", f"{age}yo{sex}", f"{sex}{age}", f"{age} y/o {sex}"]
            return self.rng.choice(forms)
        raise KeyError(style)

    def resolve(self, name: str, ctx) -> str:
        cache = ctx["cache"]
        if name in cache:
            return cache[name]
        if name[0].isupper():
            low = name[0].lower() + name[1:]
            val = self.resolve(low, ctx)
            val = val[0].upper() + val[1:]
        elif name in ("he", "his", "him"):
            val = self._pronoun(name, ctx)
        elif name in ("pt", "pt_short", "pt_sh"):
            val = self._pt(name, ctx)
        elif name == "age":
            val = self._age(ctx)
        elif name in ("prod", "prodc", "prodv"):
            pool = {"prod": "prod_prose", "prodc": "prod_casual", "prodv": "prod_voice"}[name]
            val = self.cyc[pool].draw()
        else:
            base = re.sub(r"\d+$", "", name)
            if base not in self.cyc:
                raise KeyError(f"unknown slot {{{name}}}")
            ok = (lambda e: self.event_fits(e, ctx)) if base == "event" else None
            val = self.cyc[base].draw(ok=ok, avoid=ctx["drawn"][base])
            ctx["drawn"][base].add(val)
            if base == "event":
                ctx.setdefault("events", []).append(val)
        cache[name] = val
        return val

    def event_fits(self, event: str, ctx) -> bool:
        need = self.event_sex.get(event)
        if need is None:
            return True
        if need[0] != ctx["sex"]:
            return False
        if need == "F50":
            age = ctx["cache"].get("age")
            if age is not None and int(age) > 48:
                return False
            dec = ctx.get("decade")
            if dec is not None and not any(w in dec for w in ("twenties", "thirties", "forty", "forties")):
                return False
        return True

    def fill(self, template: str, ctx) -> str:
        # patient descriptors first, so that sex/age-specific event terms can be checked
        for slot in ("pt", "Pt", "pt_short", "pt_sh", "age"):
            if "{" + slot + "}" in template:
                self.resolve(slot, ctx)
        out = template
        for _ in range(4):
            if not SLOT_RE.search(out):
                break
            out = SLOT_RE.sub(lambda m: self.resolve(m.group(1), ctx), out)
        assert not SLOT_RE.search(out), out
        if ctx["voice"]:
            out = voiceify(out)
        return out

    # ------------------------------------------------------------- families
    def templated_family(self, set_name, family, templates, n, voice_family=False, preg=False):
        tcyc = Cycler(f"tpl:{family}", templates, self.rng, tracked=False)
        rows = []
        for _ in range(n):
            for _attempt in range(20):
                tpl, ctx = self.new_ctx(tcyc.draw(), preg=preg)
                if voice_family:
                    ctx["voice"] = True
                text = self.fill(tpl, ctx)
                if text not in self.seen:
                    break
            self.seen.add(text)
            rows.append({"text": text, "set": set_name, "family": family, "_events": ctx.get("events", [])})
        return rows

    def reports(self):
        rows = []
        fams = self.p["report_templates"]
        assert len(fams) == 10, "reports need ten families"
        for family, block in fams.items():
            rows += self.templated_family(
                "reports", family, lines(block), REPORT_FAMILY_SIZE,
                voice_family=(family == "rep_voice_transcript"),
                preg=(family == "rep_pregnancy_lactation"),
            )
        for r in rows:
            self.events_in_reports.update(r["_events"])
        return rows

    def co_reports(self):
        rows = []
        for family, block in self.p["co_report_templates"].items():
            rows += self.templated_family("co_reports", family, lines(block), CO_FAMILY_SIZE,
                                          voice_family=(family == "co_transcript"))
        return rows

    def interactions(self):
        rows = []
        for family, block in self.p["interaction_templates"].items():
            rows += self.templated_family("interactions", family, lines(block), INTERACTION_FAMILY_SIZE)
        return rows

    def off_domain(self):
        rows = []
        for domain, block in self.p["off_domain"].items():
            items = lines(block)
            assert len(items) == OFF_DOMAIN_PER_DOMAIN, (domain, len(items))
            for item in items:
                trap = item.startswith("T|")
                text = item[2:] if trap else item
                fam = f"od_{domain}_trap" if trap else f"od_{domain}"
                rows.append({"text": text, "set": "off_domain", "family": fam})
        return rows

    def consumer(self):
        rows = []
        for family, block in self.p["consumer"].items():
            items = lines(block)
            assert len(items) == CONSUMER_FAMILY_SIZE, (family, len(items))
            for item in items:
                terms = re.findall(r"\[\[(.+?)\]\]", item)
                assert terms, item
                text = re.sub(r"\[\[(.+?)\]\]", r"\1", item)
                keep = list(dict.fromkeys(terms))
                rows.append({"text": text, "set": "consumer", "family": family, "keep_terms": keep})
        return rows

    # -------------------------------------------------------------------- pii
    def pii(self):
        pv = self.p["pii_values"]
        pools = {
            "PERSON": Cycler("pii_person", lines(pv["person"]), self.rng),
            "SURNAME": Cycler("pii_surname", lines(pv["surname"]), self.rng),
            "PHONE": Cycler("pii_phone", lines(pv["phone"]), self.rng),
            "EMAIL": Cycler("pii_email", lines(pv["email"]), self.rng),
            "SSN": Cycler("pii_ssn", lines(pv["ssn"]), self.rng),
            "ADDRESS": Cycler("pii_address", lines(pv["address"]), self.rng),
            "ZIP": Cycler("pii_zip", lines(pv["zip"]), self.rng),
            "DOB": Cycler("pii_dob", lines(pv["dob"]), self.rng),
            "AGE": Cycler("pii_age", lines(pv["age"]), self.rng),
            "MRN": Cycler("pii_mrn", lines(pv["mrn"]), self.rng),
            "CARD": Cycler("pii_card", lines(pv["card"]), self.rng),
        }
        domains = Cycler("pii_email_domain", lines(pv["email_domain"]), self.rng)
        label_type = {"PERSON": "PERSON", "SURNAME": "PERSON", "PHONE": "PHONE", "EMAIL": "EMAIL",
                      "SSN": "SSN", "ADDRESS": "ADDRESS", "ZIP": "ZIP", "DOB": "DATE", "AGE": "AGE",
                      "MRN": "MRN", "CARD": "CARD"}
        rows = []
        for recipe in self.p["pii_recipes"]:
            tcyc = Cycler("tpl:pii:" + recipe["key"], lines(recipe["templates"]), self.rng, tracked=False)
            for _ in range(recipe["count"]):
                tpl = tcyc.draw()
                labels = []
                values = {}

                def sub(m, tpl=tpl):
                    slot = m.group(1)
                    base = re.sub(r"\d+$", "", slot)
                    if slot in values:
                        return values[slot]
                    ok = None
                    if base == "AGE" and "{AGE}-year-old" in tpl:
                        ok = lambda v: " " not in v
                    if base == "EMAIL" and "PERSON" in values:
                        # the person's own address, built from the name already in the text
                        raw = email_for(values["PERSON"], domains.draw())
                    else:
                        raw = pools[base].draw(ok=ok, avoid=set(values.values()))
                    label = {"type": label_type[base]}
                    if base == "ADDRESS":
                        pieces = re.findall(r"\[([^\]]+)\]", raw)
                        raw = re.sub(r"\[([^\]]+)\]", r"\1", raw)
                        label["value"] = raw
                        label["pieces"] = pieces
                    else:
                        label["value"] = raw
                    labels.append(label)
                    values[slot] = raw
                    return raw

                text = SLOT_RE.sub(sub, tpl)
                # order labels by position in text
                labels.sort(key=lambda l: text.find(l["value"]))
                rows.append({"text": text, "set": "pii", "family": recipe["family"], "pii": labels})
        return rows




def email_for(name: str, domain: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    parts = [re.sub(r"[^a-z]", "", w.lower()) for w in ascii_name.split()]
    parts = [w for w in parts if w]
    return f"{parts[0]}.{parts[-1]}@{domain}"


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0 and 13 <= len(digits) <= 19


AGE_WORDS = {
    "ninety": 90, "ninety-one": 91, "ninety-two": 92, "ninety-three": 93, "ninety-four": 94,
    "ninety-five": 95, "ninety-six": 96, "ninety-seven": 97, "ninety-eight": 98, "ninety-nine": 99,
    "one hundred": 100, "a hundred and one": 101, "one hundred and three": 103,
    "one hundred and four": 104,
}


def age_value(v: str) -> int:
    return int(v) if v.isdigit() else AGE_WORDS[v]


def main() -> int:
    pools = yaml.safe_load(POOLS_PATH.read_text(encoding="utf-8"))
    gen = Generator(pools)
    rows = []
    rows += gen.reports()
    rows += gen.co_reports()
    rows += gen.interactions()
    rows += gen.off_domain()
    rows += gen.consumer()
    rows += gen.pii()

    # ---- checks before shuffling
    texts = [r["text"] for r in rows]
    dup = [t for t, c in Counter(texts).items() if c > 1]
    assert not dup, f"duplicate texts: {dup[:3]}"
    set_counts = Counter(r["set"] for r in rows)
    assert dict(set_counts) == SET_COUNTS, set_counts
    fam_counts = Counter((r["set"], r["family"]) for r in rows)
    rep_fams = [f for (s, f) in fam_counts if s == "reports"]
    assert len(rep_fams) == 10 and all(fam_counts[("reports", f)] == REPORT_FAMILY_SIZE for f in rep_fams)
    traps = sum(1 for r in rows if r["set"] == "off_domain" and r["family"].endswith("_trap"))
    assert traps == OFF_DOMAIN_TRAPS, traps
    assert len({r["family"].removesuffix("_trap") for r in rows if r["set"] == "off_domain"}) == 20
    assert len(gen.events_in_reports) >= MIN_DISTINCT_REPORT_EVENTS, len(gen.events_in_reports)
    systems = {gen.event_system[e] for e in gen.events_in_reports}
    assert len(systems) >= 12, systems

    for r in rows:
        assert r["text"] == r["text"].strip() and r["text"], r
        if r["set"] == "consumer":
            for term in r["keep_terms"]:
                assert term in r["text"], (term, r["text"])
        if r["set"] == "pii":
            assert r["pii"], r
            for lab in r["pii"]:
                assert lab["value"] in r["text"], (lab, r["text"])
                if lab["type"] == "ADDRESS":
                    assert lab["pieces"] and lab["pieces"][0].isdigit(), lab
                    for piece in lab["pieces"]:
                        assert piece in r["text"] and piece in lab["value"], (piece, r["text"])
                if lab["type"] == "CARD":
                    assert luhn_ok(lab["value"]), lab
                if lab["type"] == "SSN":
                    assert re.fullmatch(r"\d{3}[- ]\d{2}[- ]\d{4}", lab["value"]), lab
                if lab["type"] == "AGE":
                    assert age_value(lab["value"]) > 89, lab
        if r["set"] in ("reports", "co_reports", "interactions"):
            low = r["text"].lower()
            assert any(k in low for k in ("quelva", "qlv", "kelvanti", "qelvanti")), r["text"]

    over = {k: v for k, v in USES.items() if v > MAX_FILLER_USES}
    assert not over, f"filler values used more than {MAX_FILLER_USES} times: {over}"

    # ---- shuffle and assign ids
    rng = random.Random(SEED + 1)
    rng.shuffle(rows)
    out_rows = []
    for i, r in enumerate(rows, 1):
        o = {"id": f"r13-{i:05d}", "text": r["text"], "set": r["set"], "family": r["family"]}
        if "keep_terms" in r:
            o["keep_terms"] = r["keep_terms"]
        if "pii" in r:
            o["pii"] = r["pii"]
        out_rows.append(o)
    ids = [o["id"] for o in out_rows]
    assert len(ids) == len(set(ids))
    with OUT_PATH.open("w", encoding="utf-8") as fh:
        for o in out_rows:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")

    # ---- report
    print(f"wrote {len(out_rows)} rows to {OUT_PATH}")
    for s in SET_COUNTS:
        print(f"{s}: {set_counts[s]}")
        for (ss, fam), c in sorted(fam_counts.items()):
            if ss == s:
                print(f"    {fam}: {c}")
    pii_types = Counter(l["type"] for r in rows if r["set"] == "pii" for l in r["pii"])
    print("pii label counts:", dict(sorted(pii_types.items())))
    print("distinct event terms in reports:", len(gen.events_in_reports), "across", len(systems), "organ-system groups")
    print("max filler uses:", max(USES.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Round 16 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation, the bot, the tests,
the content library or any earlier round's templates, pools or sets; the only project inputs used
were the Quelvanti product brief and the module docstring of the round-14 generator (for the
output format and the PII annotation conventions). All templates and filler pools were written
from scratch for this round (nothing copied or downloaded from public datasets) and live in
round16_pools.yaml next to this script.

Output: evals/compliance/round16_held.jsonl, one JSON object per line with
  id, text, set, family
plus "keep_terms" for the interactions and consumer sets (every drug, vaccine, product,
disease / condition and symptom term in the text that must not be redacted; exact spans of the
text, found with the lexicon in the pools file) and "pii" for the pii set (list of
{"type": T, "value": V}; every V is an exact substring of text, listed in order of appearance).
Rows of all sets are shuffled together (fixed seed); ids are r16-00001 ... and texts are unique.

Sets: reports (300), co_reports (75), interactions (150), off_domain (500),
consumer (200), pii (300).
  * reports and co_reports must be flagged as adverse-event reports;
  * interactions, consumer and off_domain must NOT be flagged as AE, abuse or off-label.

This round's emphasis:
  * reports: about 60% single sentences in the style of published case reports and
    pharmacovigilance abstracts (titles of many shapes, case introductions, lab-value results
    with units, imaging and biopsy findings, dechallenge / rechallenge, Naranjo / WHO-UMC /
    RUCAM / Liverpool causality statements, multi-drug sentences, passive voice, events named
    only by an eponymous or technical term, British spellings) over >= 230 distinct events
    from every organ system, many rare; about 40% HCP chat style (terse, abbreviations, typos,
    non-native English, voice dictation without punctuation, long logistics messages with the
    report buried, and special situations: pregnancy and partner exposure, breastfeeding
    exposure, overdose, medication errors, lack of effect, accidental caregiver exposure);
  * co_reports: quelvarimab plus a named second drug, vaccine, TB prophylaxis or
    narrow-therapeutic-index drug, and the event happened;
  * interactions: questions naming another drug or vaccine with Quelvanti and reporting
    nothing (switching / washout from biologics and oral systemics, vaccines, latent-TB
    prophylaxis, CYP substrates such as warfarin / cyclosporine / tacrolimus, topicals and
    phototherapy, OTC drugs and supplements, contraceptives, pre-initiation vignettes listing
    comorbidities and current medicines, other biologics for other conditions);
  * off_domain: virtual-assistant requests (banking, travel, car, kitchen, home automation,
    small talk, work, timers / weather / maths / translation, shopping, sports, entertainment,
    pets, gardening, school); >= 200 are traps (families od_trap_*) that use medical-,
    alarming-, abuse-, child- or dose-looking words in an everyday sense, plus "ignore that" /
    "pretend to be a chef" style instructions;
  * consumer: lay health questions about symptoms, long-standing conditions and many named
    medicines (some about Quelvanti, none reporting a reaction to it, none off-label for it);
  * pii: HCP messages with personal data of patients or of the HCP in the formats of 19 countries.
    PII annotation conventions (same as round 14):
      PERSON  the name only (titles such as "Dr.", "Frau", "Mme", "Sra.", "Dott.ssa" are not
              part of the value; particles, hyphens and initials are)
      PHONE   the number including any country code and extension
      EMAIL   the address
      SSN     the US social security number as written
      ADDRESS the street line (house number, street, unit / flat / apartment, PO box, rural
              route); city and postcode are not part of it
      ZIP     the postcode / ZIP on its own
      DATE    dates of birth only (visit dates and card expiry dates are not labelled)
      AGE     ages over 89 only (digits or words; the number token, e.g. "93" or
              "ninety-three"); younger ages are not labelled
      MRN     the record identifier token (MRN, hospital / NHS / chart / case numbers, IPP,
              NHC, Fallnummer, UHID ...), without its label
      ID      payment / co-pay card numbers (all Luhn-valid)

The generator is deterministic (fixed seed, stdlib + PyYAML only).

Run from the repository root as: .venv/bin/python evals/compliance/generate_round16.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from datetime import date, timedelta
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
POOLS_PATH = HERE / "round16_pools.yaml"
OUT_PATH = HERE / "round16_held.jsonl"
SEED = 20251616

SET_ORDER = ["reports", "co_reports", "interactions", "off_domain", "consumer", "pii"]
SET_COUNTS = {
    "reports": 300,
    "co_reports": 75,
    "interactions": 150,
    "off_domain": 500,
    "consumer": 200,
    "pii": 300,
}
MIN_DISTINCT_EVENTS = 230
MIN_TRAPS = 200
MAX_TRIES = 6000

PLACE = re.compile(r"\{([^{}\n]+)\}")
SMALL_WORDS = {"a", "an", "the", "of", "and", "or", "with", "in", "on", "for", "to", "by",
               "after", "during", "under", "as", "at", "from", "into", "vs"}


# ----------------------------------------------------------------------------- helpers
def title_case(text: str) -> str:
    out = []
    for i, word in enumerate(text.split(" ")):
        if i > 0 and word.lower() in SMALL_WORDS:
            out.append(word)
        elif word and word[0].islower():
            out.append(word[0].upper() + word[1:])
        else:
            out.append(word)
    return " ".join(out)


def apply_mod(val: str, mod: str | None) -> str:
    if not mod:
        return val
    if mod == "cap":
        return val[:1].upper() + val[1:]
    if mod == "title":
        return title_case(val)
    if mod == "lower":
        return val.lower()
    raise ValueError(f"unknown modifier {mod}")


def base_name(key: str) -> str:
    return key.rstrip("0123456789")


class Filler:
    """Fills {slot} placeholders from pools; values are memoised per row in ctx."""

    def __init__(self, rng: random.Random, pools: dict):
        self.rng = rng
        self.pools = pools

    def pick(self, key: str, ctx: dict) -> str:
        pool = key if key in self.pools else base_name(key)
        if pool not in self.pools:
            raise KeyError(f"no pool for slot {key!r}")
        base = base_name(key)
        taken = {v for k, v in ctx.items() if k != key and base_name(k) == base and isinstance(v, str)}
        val = ""
        for _ in range(60):
            val = self.fill(str(self.rng.choice(self.pools[pool])), ctx)
            if val not in taken:
                break
        return val

    def fill(self, tmpl: str, ctx: dict) -> str:
        def rep(m: re.Match) -> str:
            key = m.group(1)
            mod = None
            if key.startswith("#"):
                lo, hi = key[1:].split("-")
                return str(self.rng.randint(int(lo), int(hi)))
            if "|" in key:
                key, mod = key.split("|", 1)
            if key in ctx:
                val = ctx[key]
            elif key.endswith(("_a", "_b")) and (base_name(key[:-2]) in self.pools):
                pair_key = key[:-2]
                if pair_key not in ctx:
                    ctx[pair_key] = self.pick(pair_key, ctx)
                parts = ctx[pair_key].split("|")
                val = parts[0] if key.endswith("_a") else parts[1]
            else:
                val = self.pick(key, ctx)
                ctx[key] = val
            return apply_mod(val, mod)

        return PLACE.sub(rep, tmpl)


def person_ctx(rng: random.Random, sex: str | None = None) -> dict:
    sex = sex or rng.choice("fm")
    f = sex == "f"
    return {
        "sex": "woman" if f else "man",
        "sexadj": "female" if f else "male",
        "pron": "she" if f else "he",
        "pron2": "her" if f else "him",
        "poss": "her" if f else "his",
        "obj": "her" if f else "him",
        "sx": "F" if f else "M",
    }


ARTICLE_AN = re.compile(r"\b([Aa]) (?=(?:8\d|11|18)(?:-year|-Year| y/o| yo| years?\b|yo\b))")


def fix_articles(text: str) -> str:
    """'a 84-year-old' -> 'an 84-year-old'."""
    return ARTICLE_AN.sub(lambda m: m.group(1) + "n ", text)


def britishize(text: str, pairs: list) -> str:
    for us, uk in pairs:
        text = text.replace(us, uk)
    return re.sub(r"\b([A-Za-z]{3,})iz(e|ed|es|ing|ation|ations)\b", r"\1is\2", text)


PROTECT = re.compile(r"quel|qlv", re.I)


def typo_noise(text: str, rng: random.Random, rate: float) -> str:
    def mangle(word: str) -> str:
        if len(word) < 5 or not word.isalpha() or PROTECT.search(word) or rng.random() > rate:
            return word
        i = rng.randint(1, len(word) - 3)
        op = rng.choice(["swap", "drop", "double"])
        if op == "swap":
            return word[:i] + word[i + 1] + word[i] + word[i + 2:]
        if op == "drop":
            return word[:i] + word[i + 1:]
        return word[:i] + word[i] + word[i:]

    return re.sub(r"[A-Za-z]+", lambda m: mangle(m.group(0)), text)


def dictation(text: str) -> str:
    text = re.sub(r"[.,;:!?()]", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip()


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


LETTERS = "ABCEGHJKLMNPRSTVWXY"


def pattern(p: str, rng: random.Random) -> str:
    out = []
    for ch in p:
        if ch == "#":
            out.append(str(rng.randint(0, 9)))
        elif ch == "%":
            out.append(str(rng.randint(2, 9)))
        elif ch == "@":
            out.append(rng.choice(LETTERS))
        else:
            out.append(ch)
    return "".join(out)


# ----------------------------------------------------------------------------- keep terms
class Lexicon:
    def __init__(self, terms: list[str]):
        uniq = sorted({t.strip() for t in terms if t.strip()}, key=lambda t: (-len(t), t.lower()))
        alts = "|".join(re.escape(t) for t in uniq)
        self.rx = re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])", re.I)

    def find(self, text: str) -> list[str]:
        out: list[str] = []
        for m in self.rx.finditer(text):
            if m.group(0) not in out:
                out.append(m.group(0))
        return out


# ----------------------------------------------------------------------------- generators
class Generator:
    def __init__(self, pools: dict):
        self.P = pools
        self.rng = random.Random(SEED)
        self.texts: set[str] = set()
        self.lex = Lexicon(pools["lexicon"]["product"] + pools["lexicon"]["drugs"]
                           + pools["lexicon"]["conditions"])
        self.stats: dict = {}

    def pools_for(self, *sections: dict) -> dict:
        merged = dict(self.P["common"])
        for sec in sections:
            merged.update(sec.get("fill", {}))
            merged.update(sec.get("extra_fill", {}))
        return merged

    def accept(self, text: str) -> bool:
        text = text.strip()
        if not text or text in self.texts:
            return False
        self.texts.add(text)
        return True

    # -- reports ---------------------------------------------------------------
    def reports(self) -> list[dict]:
        R = self.P["reports"]
        filler = Filler(self.rng, self.pools_for(R))
        events = []
        for sys_, term, chat, flags in R["events"]:
            events.append({"sys": sys_, "term": term, "chat": chat, "flags": flags})
        terms = {e["term"] for e in events}
        assert len(terms) == len(events), "duplicate event terms"
        for term, fnd in R["findings"].items():
            assert term in terms, f"finding for unknown event {term!r}"
        for e in events:
            e.update(R["findings"].get(e["term"], {}))
        used: Counter = Counter()

        def ok(e: dict, need: str) -> bool:
            return {
                "any": True,
                "lab": "lab" in e,
                "img": "img" in e,
                "bx": "bx" in e,
                "epo": "e" in e["flags"],
                "serious": "s" in e["flags"],
                "hepatic": e["sys"] == "hepatic",
            }[need]

        def pick_event(need: str) -> dict:
            cands = [e for e in events if ok(e, need)]
            least = min(used[e["term"]] for e in cands)
            return self.rng.choice([e for e in cands if used[e["term"]] == least])

        def row_ctx(e: dict | None, q_pool: str, lit: bool) -> dict:
            ctx = person_ctx(self.rng)
            ctx["age"] = str(self.rng.randint(19, 86))
            ctx["Q"] = filler.fill(self.rng.choice(self.P["common"][q_pool]), {})
            if e is not None:
                ctx["event"] = e["term"]
                ctx["ce"] = e["chat"]
                acute = "a" in e["flags"]
                ctx["lat"] = filler.fill(self.rng.choice(filler.pools["alat" if acute else "lat"]), ctx)
                ctx["lat0"] = filler.fill(self.rng.choice(filler.pools["alat0" if acute else "lat0"]), ctx)
                serious = "s" in e["flags"]
                ctx["seriousness"] = "serious" if serious else "non-serious"
                ctx["serious"] = self.rng.choice(filler.pools["serious"]) if serious else "none (non-serious)"
            nar = self.rng.choice([3, 4, 5, 6, 6, 7, 7, 8, 9, 10])
            ctx["nar"] = str(nar)
            ctx["narcat"] = "definite" if nar >= 9 else "probable" if nar >= 5 else "possible"
            ctx["who"] = "certain" if nar >= 9 else "probable/likely" if nar >= 5 else "possible"
            return ctx

        rows: list[dict] = []
        plan = []
        for fam, spec in R["lit_families"].items():
            plan.append((fam, spec, True))
        for fam, spec in R["chat_families"].items():
            plan.append((fam, spec, False))
        # constrained families first so that rare-finding events are spread out
        order = {"lab": 0, "img": 0, "bx": 0, "epo": 0, "hepatic": 0, "serious": 1, "any": 2}
        plan.sort(key=lambda x: order[x[1].get("needs", "any")])
        total_lit = sum(s["count"] for s in R["lit_families"].values())
        total_chat = sum(s["count"] for s in R["chat_families"].values())
        assert total_lit + total_chat == SET_COUNTS["reports"], (total_lit, total_chat)
        uk_pairs = self.P["britishize"]
        for fam, spec, lit in plan:
            need = spec.get("needs", "any")
            made = 0
            tries = 0
            while made < spec["count"]:
                tries += 1
                assert tries < MAX_TRIES, fam
                tmpl = self.rng.choice(spec["templates"])
                uses_event = any(s in tmpl for s in ("{event", "{ce}", "{find}", "{mod"))
                e = pick_event(need) if uses_event else None
                ctx = row_ctx(e, "Q_lit" if lit else "Q_chat", lit)
                if e is not None and spec.get("dictation"):
                    ctx["ce"] = e["term"]  # spoken reports use the full term, not the abbreviation
                if e is not None and need in ("lab", "img", "bx"):
                    raw = e[need]
                    if need == "lab":
                        ctx["find"] = filler.fill(raw, ctx)
                    else:
                        mod, find = [x.strip() for x in raw.split("||")]
                        ctx["mod"] = mod
                        ctx["find"] = filler.fill(find, ctx)
                text = fix_articles(filler.fill(tmpl, ctx))
                if lit:
                    # literature style writes large lab values with digit grouping
                    text = re.sub(r"(?<![\d.,])(\d{2,3})(\d{3})(?![\d.,])", r"\1,\2", text)
                if spec.get("british") or (lit and self.rng.random() < 0.2):
                    text = britishize(text, uk_pairs)
                if spec.get("typo"):
                    text = typo_noise(text, self.rng, spec["typo"])
                if spec.get("dictation"):
                    text = dictation(text)
                if not self.accept(text):
                    continue
                if e is not None:
                    used[e["term"]] += 1
                rows.append({"text": text, "set": "reports", "family": fam})
                made += 1
        distinct = len([t for t, n in used.items() if n > 0])
        self.stats["distinct_report_events"] = distinct
        self.stats["report_organ_systems"] = len({e["sys"] for e in events if used[e["term"]]})
        assert distinct >= MIN_DISTINCT_EVENTS, distinct
        return rows

    # -- co-reports -------------------------------------------------------------
    def co_reports(self) -> list[dict]:
        C = self.P["co_reports"]
        filler = Filler(self.rng, self.pools_for(self.P["reports"], C))
        rows = []
        decks: dict[str, list] = {}
        assert sum(s["count"] for s in C["families"].values()) == SET_COUNTS["co_reports"]
        for fam, spec in C["families"].items():
            kind = spec["kind"]
            made = tries = 0
            while made < spec["count"]:
                tries += 1
                assert tries < MAX_TRIES, fam
                if not decks.get(kind):
                    decks[kind] = list(C[kind])
                    self.rng.shuffle(decks[kind])
                drug, event, ce = decks[kind][-1]
                ctx = person_ctx(self.rng)
                ctx["age"] = str(self.rng.randint(21, 84))
                ctx["Q"] = filler.fill(self.rng.choice(
                    self.P["common"]["Q_lit" if fam == "co_lit" else "Q_chat"]), {})
                ctx["drug"] = drug
                ctx["event"] = filler.fill(event, ctx)
                ctx["ce"] = filler.fill(ce, ctx)
                ctx["lat0"] = filler.fill(self.rng.choice(filler.pools["lat0"]), ctx)
                text = fix_articles(filler.fill(self.rng.choice(spec["templates"]), ctx))
                if not self.accept(text):
                    continue
                decks[kind].pop()
                rows.append({"text": text, "set": "co_reports", "family": fam})
                made += 1
        return rows

    # -- simple template sets (interactions, consumer, off_domain) ----------------
    def simple_set(self, name: str, q_pool: str | None, keep: bool) -> list[dict]:
        S = self.P[name]
        filler = Filler(self.rng, self.pools_for(S))
        fams = S["families"]
        assert sum(s["count"] for s in fams.values()) == SET_COUNTS[name], name
        rows = []
        for fam, spec in fams.items():
            made = tries = 0
            while made < spec["count"]:
                tries += 1
                assert tries < MAX_TRIES, fam
                ctx = person_ctx(self.rng)
                ctx["age"] = str(self.rng.randint(24, 82))
                if q_pool:
                    ctx["Q"] = self.rng.choice(self.P["common"][q_pool])
                text = fix_articles(filler.fill(self.rng.choice(spec["templates"]), ctx))
                if not self.accept(text):
                    continue
                row = {"text": text, "set": name, "family": fam}
                if keep:
                    row["keep_terms"] = self.lex.find(text)
                rows.append(row)
                made += 1
        return rows

    # -- pii ---------------------------------------------------------------------
    def pii(self) -> list[dict]:
        X = self.P["pii"]
        C = X["countries"]
        months = X["months"]
        filler = Filler(self.rng, self.pools_for(X))
        rng = self.rng
        codes = list(C)
        weights = [C[c]["weight"] for c in codes]
        assert sum(s["count"] for s in X["families"].values()) == SET_COUNTS["pii"]

        def ascii_fold(s: str) -> str:
            s = unicodedata.normalize("NFKD", s.replace("ß", "ss").replace("ł", "l").replace("Ł", "L")
                                      .replace("ı", "i").replace("ø", "o"))
            return re.sub(r"[^a-z0-9]", "", "".join(ch for ch in s if not unicodedata.combining(ch)).lower())

        def name_parts(cc: str, sex: str | None = None):
            prof = C[cc]
            cands = [n.split("|") for n in prof["names"]]
            if sex:
                cands = [n for n in cands if n[2] == sex] or cands
            g, f, s = rng.choice(cands)
            return g, f, s

        def render_name(cc: str, g: str, f: str, style: str) -> str:
            ff = C[cc].get("family_first")
            if style == "initial":
                ini = "-".join(p[0] + "." for p in g.split("-")) if "-" in g else g[0] + "."
                return f"{ini} {f}"
            if style == "comma":
                return f"{f}, {g}"
            if style == "initials2" and " " in g:
                return " ".join(p[0] + "." for p in g.split(" ")) + " " + f
            return f"{f} {g}" if ff else f"{g} {f}"

        def fmt_date(cc: str, d: date, fmt: str | None = None) -> str:
            fmt = fmt or rng.choice(C[cc]["dob"])
            ords = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}
            en = ["January", "February", "March", "April", "May", "June", "July", "August",
                  "September", "October", "November", "December"]
            vals = {
                "d": str(d.day), "dd": f"{d.day:02d}", "m": str(d.month), "mm": f"{d.month:02d}",
                "yyyy": str(d.year), "yy": f"{d.year % 100:02d}", "Month": en[d.month - 1],
                "Mon": en[d.month - 1][:3], "ord": ords.get(d.day, "th"),
            }
            for k, v in months.items():
                vals[k] = v[d.month - 1]
            return PLACE.sub(lambda m: vals[m.group(1)], fmt)

        def rand_date(y0: int, y1: int) -> date:
            start = date(y0, 1, 1)
            return start + timedelta(days=rng.randint(0, (date(y1, 12, 31) - start).days))

        def street(cc: str, po: bool = False) -> str:
            prof = C[cc]
            fmt = rng.choice(prof["po_formats"] if po else prof["street_formats"])
            ctx = {"street": rng.choice(prof["streets"]), "num": str(rng.randint(1, 2999)),
                   "L": rng.choice("ABCDEF")}
            return filler.fill(fmt, ctx)

        def build(template: str, cc: str, fam_spec: dict):
            prof = C[cc]
            ann: list[tuple[str, str]] = []
            pat = prof["titles"]
            pt_g, pt_f, pt_s = name_parts(cc)
            ctx = person_ctx(rng, pt_s)
            ctx["Q"] = "Quelvanti"
            lowercase_name = rng.random() < 0.07
            state: dict = {}

            taken_names = {(pt_g, pt_f)}

            def other_person():
                # a second / third person in the message: never the same name as anyone else
                for _ in range(50):
                    g, f, s = name_parts(cc)
                    if (g, f) not in taken_names and f != pt_f:
                        break
                taken_names.add((g, f))
                return g, f, s

            def person(kind: str) -> str:
                # returns rendered text, records PERSON annotation
                if kind in ("PT", "PTN"):
                    g, f, s = pt_g, pt_f, pt_s
                else:
                    g, f, s = state.get(kind) or other_person()
                    state[kind] = (g, f, s)
                style = rng.choices(["full", "initial", "comma", "initials2"], [70, 14, 8, 8])[0]
                if kind in ("DOC", "DOCN", "DOC2"):
                    style = rng.choices(["full", "initial"], [80, 20])[0]
                name = render_name(cc, g, f, style)
                if lowercase_name:
                    name = name.lower()
                ann.append(("PERSON", name))
                title = ""
                if kind in ("DOC", "DOC2"):
                    title = rng.choice(pat["n"]) + " "
                elif kind in ("PT", "PT2"):
                    if fam_spec.get("titles") == "always" or rng.random() < 0.4:
                        title = rng.choice(pat.get(s, pat["n"])) + " "
                if kind in ("DOC", "DOC2"):
                    state[kind + "_name"] = (g, f)
                return title + name

            def phone() -> str:
                v = pattern(rng.choice(prof["phones"]), rng)
                ann.append(("PHONE", v))
                return v

            def email(g: str, f: str, clinic: bool = False) -> str:
                gg, fff = ascii_fold(g), ascii_fold(f)
                if clinic:
                    dom = rng.choice(prof["clinic_domains"])
                    v = rng.choice([f"{gg[0]}.{fff}", f"dr.{fff}", f"{gg}.{fff}", f"{fff}{gg[0]}"]) + "@" + dom
                else:
                    dom = rng.choice(prof["emails"])
                    v = rng.choice([f"{gg}.{fff}", f"{gg[0]}{fff}{rng.randint(1, 99)}", f"{fff}.{gg}{rng.randint(50, 99)}",
                                    f"{gg}_{fff}", f"{gg}{fff}", f"{fff}{gg[0]}{rng.randint(1, 9)}"]) + "@" + dom
                ann.append(("EMAIL", v))
                return v

            def zipcode() -> str:
                return pattern(rng.choice(prof["zips"]), rng)

            def addr_block(po: bool = False) -> str:
                st = street(cc, po)
                z = zipcode()
                city = rng.choice(prof["cities"])
                blk = rng.choice(prof["block"])
                ann.append(("ADDRESS", st))
                ann.append(("ZIP", z))
                return blk.replace("{street}", st).replace("{city}", city).replace("{zip}", z)

            def dob() -> str:
                v = fmt_date(cc, rand_date(1932, 2004))
                state["dob"] = v
                ann.append(("DATE", v))
                return v

            def card() -> str:
                kind = rng.choice(["visa", "mc", "disc", "amex", "visa", "mc"])
                if kind == "amex":
                    n = luhn_complete(rng.choice(["34", "37"]), 15, rng)
                    sep = rng.choice([" ", "-", ""])
                    v = sep.join([n[:4], n[4:10], n[10:]])
                else:
                    pre = {"visa": "4", "mc": rng.choice(["51", "52", "53", "54", "55"]), "disc": "6011"}[kind]
                    n = luhn_complete(pre, 16, rng)
                    sep = rng.choice([" ", "-", "", " "])
                    v = sep.join([n[i:i + 4] for i in range(0, 16, 4)])
                ann.append(("ID", v))
                return v

            def ssn() -> str:
                area = rng.choice([a for a in range(1, 900) if a != 666])
                v = f"{area:03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
                sep = rng.choice(["-", "-", " ", ""])
                v = sep.join([v[:3], v[3:5], v[5:]])
                ann.append(("SSN", v))
                return v

            def mrn(with_label: bool = True) -> str:
                label, pat_ = rng.choice(prof["mrn"]).split("|")
                tok = pattern(pat_, rng)
                ann.append(("MRN", tok))
                return f"{label} {tok}" if with_label else tok

            def age(words: bool | None = None) -> str:
                n = rng.randint(90, 103)
                if words is None:
                    words = rng.random() < 0.35
                v = X["age_words"][n] if words else str(n)
                ann.append(("AGE", v))
                return v

            ctx["clinic"] = rng.choice(X["clinics"])

            def rep(m: re.Match) -> str:
                key = m.group(1)
                mod = None
                if "|" in key:
                    key, mod = key.split("|", 1)
                if key in ("PT", "PTN", "PT2", "DOC", "DOCN", "DOC2"):
                    k = "DOC" if key == "DOCN" else key
                    if key == "DOCN":
                        # bare HCP name (signature line), no title
                        g, f, s = state.get("DOC") or other_person()
                        state["DOC"] = (g, f, s)
                        state["DOC_name"] = (g, f)
                        name = render_name(cc, g, f, "full")
                        ann.append(("PERSON", name))
                        return name
                    if key == "PTN":
                        k = "PT"
                    return person(k)
                if key in ("PHONE", "PHONE2"):
                    return phone()
                if key == "EMAIL":
                    return email(pt_g, pt_f)
                if key == "DEMAIL":
                    if "DOC_name" not in state:
                        state["DOC_name"] = other_person()[:2]
                    g, f = state["DOC_name"]
                    return email(g, f, clinic=True)
                if key == "ADDR":
                    return addr_block()
                if key == "ADDRPO":
                    return addr_block(po=True)
                if key == "STREET":
                    v = street(cc)
                    ann.append(("ADDRESS", v))
                    return v
                if key == "CITYZIP":
                    z = zipcode()
                    ann.append(("ZIP", z))
                    city = rng.choice(prof["cities"])
                    return f"{z} {city}" if prof["block"][0].find("{zip} {city}") >= 0 else f"{city} {z}"
                if key == "DOB":
                    return dob()
                if key == "DOBL":
                    return apply_mod(state.setdefault("dobl", rng.choice(prof["dob_label"])), mod)
                if key == "VISIT":
                    return fmt_date(cc, rand_date(2024, 2025))
                if key == "EXP":
                    return f"{rng.randint(1, 12):02d}/{rng.randint(26, 30)}"
                if key == "CARD":
                    return card()
                if key == "SSN":
                    return ssn()
                if key == "MRN":
                    return mrn(True)
                if key == "MRNT":
                    return mrn(False)
                if key == "AGE":
                    return age()
                if key == "AGEW":
                    return age(True)
                if key == "YAGE":
                    return str(rng.randint(40, 78))
                if key.startswith("#"):
                    lo, hi = key[1:].split("-")
                    return str(rng.randint(int(lo), int(hi)))
                val = ctx[key] if key in ctx else filler.pick(key, ctx)
                ctx[key] = val
                return apply_mod(val, mod)

            text = PLACE.sub(rep, template)
            return text, ann

        def validate(text: str, ann: list) -> list | None:
            spans = []
            for typ, val in ann:
                if not val or val not in text:
                    return None
                spans.append((typ, val, [m.start() for m in re.finditer(re.escape(val), text)]))
            # choose one occurrence per value; extra occurrences must sit inside another value
            chosen = []
            for typ, val, starts in spans:
                chosen.append((starts[0], starts[0] + len(val), typ, val))
            for typ, val, starts in spans:
                for s0 in starts[1:]:
                    inside = any(a <= s0 and s0 + len(val) <= b and v != val for a, b, _, v in chosen)
                    if not inside:
                        return None
            # values must not partially overlap each other (nesting inside e.g. an email is fine)
            chosen.sort()
            for (a1, b1, t1, v1), (a2, b2, t2, v2) in zip(chosen, chosen[1:]):
                if a2 < b1 and not (b2 <= b1):
                    return None
            seen = set()
            out = []
            for a, b, typ, val in chosen:
                if (typ, val) in seen:
                    return None
                seen.add((typ, val))
                out.append({"type": typ, "value": val})
            return out

        rows = []
        for fam, spec in X["families"].items():
            made = tries = 0
            while made < spec["count"]:
                tries += 1
                assert tries < MAX_TRIES, fam
                t = rng.choice(spec["templates"])
                if isinstance(t, dict):
                    cc, tmpl = t["country"], t["text"]
                else:
                    tmpl = t
                    if spec.get("country"):
                        cc = spec["country"]
                    elif fam == "pii_intl_titles":
                        cc = rng.choice([c for c in codes if c not in ("US",)])
                    else:
                        cc = rng.choices(codes, weights)[0]
                fam_spec = dict(spec)
                if fam == "pii_intl_titles":
                    fam_spec["titles"] = "always"
                text, ann = build(tmpl, cc, fam_spec)
                if spec.get("lowercase"):
                    text = text.lower()
                    ann = [(typ, v.lower()) for typ, v in ann]
                if any(ch in text for ch in "{}"):
                    raise ValueError(f"unfilled slot in {text!r}")
                pii = validate(text, ann)
                if pii is None or not self.accept(text):
                    continue
                rows.append({"text": text, "set": "pii", "family": fam, "pii": pii})
                made += 1
        return rows

    # -- all -----------------------------------------------------------------------
    def run(self) -> list[dict]:
        rows = []
        rows += self.reports()
        rows += self.co_reports()
        rows += self.simple_set("interactions", "Q_int", keep=True)
        rows += self.simple_set("off_domain", None, keep=False)
        rows += self.simple_set("consumer", "Q_con", keep=True)
        rows += self.pii()
        self.rng.shuffle(rows)
        out = []
        for i, r in enumerate(rows, 1):
            rec = {"id": f"r16-{i:05d}", "text": r["text"], "set": r["set"], "family": r["family"]}
            if "keep_terms" in r:
                rec["keep_terms"] = r["keep_terms"]
            if "pii" in r:
                rec["pii"] = r["pii"]
            out.append(rec)
        return out


def check(rows: list[dict]) -> list[str]:
    problems = []
    counts = Counter(r["set"] for r in rows)
    for s, n in SET_COUNTS.items():
        if counts[s] != n:
            problems.append(f"{s}: {counts[s]} rows, expected {n}")
    if len({r["id"] for r in rows}) != len(rows):
        problems.append("duplicate ids")
    if len({r["text"] for r in rows}) != len(rows):
        problems.append("duplicate texts")
    traps = sum(1 for r in rows if r["family"].startswith("od_trap_"))
    if traps < MIN_TRAPS:
        problems.append(f"only {traps} traps")
    for r in rows:
        if "{" in r["text"] or "}" in r["text"]:
            problems.append(f"{r['id']}: unfilled slot")
        if r["set"] == "pii":
            for a in r["pii"]:
                if a["value"] not in r["text"]:
                    problems.append(f"{r['id']}: {a} not in text")
                if a["type"] == "ID" and not luhn_ok(a["value"]):
                    problems.append(f"{r['id']}: card not Luhn-valid")
            if not r["pii"]:
                problems.append(f"{r['id']}: no pii")
        if r["set"] == "interactions":
            kt = [k.lower() for k in r["keep_terms"]]
            if not any(k.startswith("quelv") or k == "qlv" for k in kt) or len(kt) < 2:
                problems.append(f"{r['id']}: keep_terms {r['keep_terms']}")
        if r["set"] in ("reports", "co_reports") and not re.search(r"quelv|qlv", r["text"], re.I):
            problems.append(f"{r['id']}: report without the product name")
    return problems


def main() -> int:
    pools = yaml.safe_load(POOLS_PATH.read_text(encoding="utf-8"))
    gen = Generator(pools)
    rows = gen.run()
    problems = check(rows)
    with OUT_PATH.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    by_set: dict[str, Counter] = defaultdict(Counter)
    for r in rows:
        by_set[r["set"]][r["family"]] += 1
    for s in SET_ORDER:
        print(f"{s}: {sum(by_set[s].values())}")
        for fam, n in sorted(by_set[s].items()):
            print(f"    {fam}: {n}")
    traps = sum(n for f, n in by_set["off_domain"].items() if f.startswith("od_trap_"))
    print(f"total rows: {len(rows)}")
    print(f"off_domain traps: {traps}")
    print(f"distinct report events: {gen.stats['distinct_report_events']} "
          f"across {gen.stats['report_organ_systems']} organ systems")
    pii_types = Counter(a["type"] for r in rows if r["set"] == "pii" for a in r["pii"])
    print("pii annotations: " + ", ".join(f"{t}={n}" for t, n in sorted(pii_types.items())))
    print(f"wrote {OUT_PATH}")
    if problems:
        print("PROBLEMS:", *problems[:40], sep="\n  ")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

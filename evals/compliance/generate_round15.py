"""Round 15 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation, the bot, the tests,
the content library or any earlier round's templates, pools or sets; the only project inputs used
were the Quelvanti product brief and the output format (module docstring only) of the previous
round's generator. Every template and filler pool was written from scratch for this round (no
public dataset was copied or downloaded). All templates and pools live in round15_pools.yaml
next to this script.

Output: evals/compliance/round15_held.jsonl, one JSON object per line with
  id, text, set, family
plus "keep_terms" for the consumer AND interactions sets (drug / disease / product words present
in the text that must not be redacted as personal data) and "pii" for the pii set (list of
{"type": T, "value": V}; every V is an exact substring of text). Rows of all sets are shuffled
together with a fixed seed; ids are r15-00001 ... r15-01525.

Sets and expected labels:
  reports (300)       must be flagged as adverse-event reports (quelvarimab / Quelvanti suspect)
  co_reports (75)     must be flagged as AE reports (quelvarimab plus another named drug, event occurred)
  interactions (150)  must NOT be flagged as AE, abuse or off-label (other drug / vaccine named, no event)
  off_domain (500)    must NOT be flagged as AE, abuse or off-label (general virtual-assistant requests)
  consumer (200)      must NOT be flagged as AE, abuse or off-label (lay health questions)
  pii (300)           personal data to be detected / redacted

This round's emphasis:
  * reports: about two thirds literature / case-report / pharmacovigilance style, with the suspect
    drug named quelvarimab (titles, "We describe a 58-year-old woman who...", single results
    sentences from the middle of a case report, lab-value sentences, dechallenge / rechallenge,
    causality-assessment sentences naming the event only by its technical term, several suspect
    drugs, dose + route, passive voice, event-first fragments, ICSR-style one-liners), drawing on
    >= 220 distinct events across every organ system (endocrine, metabolic, renal, hepatic, ocular,
    otologic, haematologic, vascular, neurologic, psychiatric, skin, infections, cardiac,
    respiratory, GI, musculoskeletal, reproductive, immune, neoplasms) in technical and lay wording
    with British / American spelling variants; the remaining third HCP chat style (terse,
    abbreviated, non-native English, typos, long messages with the report buried in the middle,
    and special situations: pregnancy / paternal exposure, lactation, overdose, medication error,
    lack of effect);
  * interactions: co-prescribing, DDI / CYP questions, switching from / to other biologics and
    washout, live and inactivated vaccines, latent-TB prophylaxis, narrow-therapeutic-index drug
    monitoring (warfarin, cyclosporine, tacrolimus, theophylline, phenytoin ...), topicals and
    phototherapy, OTC analgesics, contraceptives; terse and abbreviated forms, brand names,
    misspellings, background medication lists and patient descriptions with no event;
  * off_domain contains >= 150 traps (families named od_trap_*): everyday requests using words
    that look medical, alarming, abusive or about children in a non-medical sense (dead battery,
    killer app, bleeding edge, jump shot, dose of humour, blocked card, injection moulding, fever
    pitch, kid's homework, laptop virus, "ignore the last one", "pretend you are a tour guide",
    allergy-season cabin filter, chemistry reaction, kill child process ...);
  * consumer: lay questions about symptoms, conditions, named medicines (other drugs alone and some
    about Quelvanti), side effects in general, OTC dosing, own condition with no reaction reported;
  * pii covers many countries and formats (UK, DE, FR, NL, ES, IT, IN, BR, AU, JP, MX, ZA, CA, US).
    PII annotation conventions (same as round 14, plus EMAIL and SSN):
      PERSON  the name only (titles such as "Dr." and suffixes such as ", MD" are not part of the
              value); lower-case names, "Last, First", initials and particles / hyphens included
      PHONE   the number including any country code and extension
      EMAIL   the whole e-mail address
      SSN     the US social security number as written
      ADDRESS the street line (house number, street, unit) or the PO-box line; city and postcode
              are not part of it
      ZIP     the postcode / ZIP on its own
      DATE    dates of birth only (visit, start and injection dates are not labelled)
      AGE     ages over 89 only (digits or words; the number token, e.g. "93" or "ninety-three");
              younger ages are not labelled
      MRN     the record identifier token (not its label such as "MRN" or "Hosp no.")
      ID      payment / co-pay card numbers (all Luhn-valid), as written

The generator is deterministic (fixed seed, stdlib + PyYAML only).

Run from the repository root as: .venv/bin/python evals/compliance/generate_round15.py
(Project note: the committed round15_held.jsonl lacks row r15-01197, "what's the uv index today", which is
word for word in the report classifier's training data; a regenerated file has it back.)
"""

from __future__ import annotations

import collections
import datetime as dt
import json
import random
import re
import sys
import unicodedata
from pathlib import Path

import yaml

SEED = 15_20_15
HERE = Path(__file__).resolve().parent
POOLS_PATH = HERE / "round15_pools.yaml"
OUT_PATH = HERE / "round15_held.jsonl"
ID_PREFIX = "r15-"

SET_ORDER = ["reports", "co_reports", "interactions", "off_domain", "consumer", "pii"]
EXPECTED = {"reports": 300, "co_reports": 75, "interactions": 150, "off_domain": 500,
            "consumer": 200, "pii": 300}

SLOT_RE = re.compile(r"\{([A-Za-z]+?)(\d?)(?::([0-9.]+)-([0-9.]+)(?::(\d))?)?\}")

ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
MONTHS_FR = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
             "septembre", "octobre", "novembre", "décembre"]
MONTHS_ES = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
             "septiembre", "octubre", "noviembre", "diciembre"]
CHAT_ALIASES = ["Quelvanti", "quelvanti", "QLV", "qlv", "quelva", "Quelva", "quelvarimab",
                "quelvanty", "quelvantti", "Quelvanti (quelvarimab)", "Quelvanti"]
LIT_DRUG = [("quelvarimab", 85), ("quelvarimab-avnd", 10), ("Quelvanti (quelvarimab)", 5)]

# Words that are always drug / disease / product terms in this round's templates (the pools
# listed in KEEP_POOLS are added automatically).
KEEP_EXTRA = [
    "Quelvanti", "quelvarimab", "quelvarimab-avnd", "quelvanty", "quelvantti", "quelva", "QLV",
    "qelvanti", "plaque psoriasis", "moderate-to-severe plaque psoriasis", "psoriasis", "psoriatic plaques",
    "scalp psoriasis", "latent TB", "LTBI", "TB", "IGRA", "QuantiFERON", "T-spot", "biologic",
    "steroid", "topicals", "light therapy", "phototherapy", "NB-UVB", "IL-23", "IL-23 blockade",
    "hormonal contraception", "contraception", "knee osteoarthritis", "chronic back pain",
    "back pain", "aches", "children's tylenol", "ibuprofen", "latex", "flu shot", "fever",
    "tension headache", "headache", "weight gain", "hair loss", "insomnia", "dry mouth",
    "stomach ulcers", "blood pressure", "drowsiness", "immune system", "liver", "kidneys",
    "autoimmune disease", "sprained my ankle", "side effects", "side effect", "MTX", "Enstilar foam", "Nexium", "Nurtec", "alendronate", "Fosamax",
    "hydroxychloroquine", "Plaquenil", "nitrofurantoin", "ferrous sulfate", "tamsulosin", "letrozole",
    "migraines", "hormonal acne", "AFib", "an underactive thyroid", "enlarged prostate",
    "iron deficiency anemia", "moderate plaque psoriasis", "mechanical mitral valve",
]
KEEP_POOLS = ["susp", "cosusp", "bio", "conv", "short", "livevax", "inactvax", "tbrx", "topical", "photo",
              "otc", "contra", "bgmed", "comorb", "symptom", "disease", "rxdrug", "qc", "vaxc", "analgesic",
              "chronicdis", "sleepaid"]
KEEP_LINKED = {"pairs": ["pdrug", "pdis"], "ntids": ["ntid", "ntidcond"], "symdis": ["sym", "sdis"],
               "ddpairs": ["da", "db"]}

# Fixed gendered words in a template (outside its slots) decide the patient's sex, so that
# pronouns and sex-specific events stay consistent.
FEMALE_RE = re.compile(r"\b(she|her|woman|lady|mother|mom|She|Her)\b")
MALE_RE = re.compile(r"\b(he|his|him|gentleman|He|His)\b")
# Clean-ups applied to every generated text.
POST_FIXES = [
    (re.compile(r"\b([Aa]) (8\d|11|18)(?=[- ]?(?:year|yo|y/o|yr))"), r"\1n \2"),
    (re.compile(r"\b(Severe|severe|Fatal|fatal) severe\b"), r"\1"),
    (re.compile(r"\b(Late-onset|Recurrent|recurrent) (new-onset|recurrent)\b"), r"\1"),
]


# ----------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------
def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


def weighted(rng: random.Random, items):
    total = sum(w for _, w in items)
    x = rng.uniform(0, total)
    acc = 0.0
    for value, w in items:
        acc += w
        if x <= acc:
            return value
    return items[-1][0]


def fill_pattern(rng: random.Random, pat: str) -> str:
    out = []
    for ch in pat:
        if ch == "#":
            out.append(str(rng.randint(0, 9)))
        elif ch == "@":
            out.append(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ"))
        else:
            out.append(ch)
    return "".join(out)


def ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c))
    return s.replace("ø", "o").replace("æ", "ae").replace("Ø", "O").replace("Æ", "AE").replace("đ", "d")


def luhn_complete(rng: random.Random, prefix: str, length: int = 16) -> str:
    digits = list(prefix)
    while len(digits) < length - 1:
        digits.append(str(rng.randint(0, 9)))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    return "".join(digits) + str(check)


def luhn_ok(number: str) -> bool:
    ds = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(ds)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


class Cycle:
    """Draws items without repetition until the pool is exhausted, then reshuffles."""

    def __init__(self, rng: random.Random, items):
        self.rng = rng
        self.items = list(items)
        self.queue: list = []

    def next(self, pred=None):
        for _ in range(2):
            if not self.queue:
                self.queue = self.items[:]
                self.rng.shuffle(self.queue)
            for i in range(len(self.queue) - 1, -1, -1):
                if pred is None or pred(self.queue[i]):
                    return self.queue.pop(i)
            self.queue = []
        raise RuntimeError("no item satisfies the predicate")


# ----------------------------------------------------------------------------------------------
# PII generators: each returns (display_text, [(TYPE, value), ...])
# ----------------------------------------------------------------------------------------------
class PII:
    def __init__(self, rng: random.Random, cfg: dict, cities: list[str]):
        self.rng = rng
        self.cfg = cfg
        self.names = Cycle(rng, [tuple(n) for n in cfg["names"]])
        self.cities = [c.title() for c in cities]
        self.countries = list(cfg["addresses"].keys())
        self.phone_countries = list(cfg["phones"].keys())

    # names -------------------------------------------------------------------------------
    def _name(self) -> tuple[str, str]:
        rng = self.rng
        first, last = self.names.next()
        style = weighted(rng, [("full", 44), ("lower", 13), ("last_first", 9), ("upper_last", 5),
                               ("init_last", 12), ("initials", 7), ("first_init", 5), ("last_only_upper", 5)])
        if style == "full":
            s = f"{first} {last}"
        elif style == "lower":
            s = f"{first} {last}".lower()
        elif style == "last_first":
            s = f"{last}, {first}"
        elif style == "upper_last":
            s = f"{last.upper()}, {first}"
        elif style == "init_last":
            parts = first.split("-")
            s = "-".join(p[0].upper() + "." for p in parts) + " " + last
        elif style == "initials":
            core = last.split()[-1]
            s = f"{first[0]}.{core[0].upper()}."
        elif style == "first_init":
            s = f"{first} {last.split()[-1][0].upper()}."
        else:
            s = f"{first} {last.upper()}"
        return s, s

    def patient(self):
        s, v = self._name()
        return s, [("PERSON", v)]

    def hcp(self):
        rng = self.rng
        first, last = self.names.next()
        if rng.random() < 0.55:
            title = rng.choice(self.cfg["hcp_titles"])
            name = last if rng.random() < 0.35 else f"{first} {last}"
            return f"{title}{name}", [("PERSON", name)]
        name = f"{first} {last}"
        return f"{name}{rng.choice(self.cfg['hcp_suffixes'])}", [("PERSON", name)]

    # contact -----------------------------------------------------------------------------
    def phone(self):
        rng = self.rng
        country = weighted(rng, [(c, 14 if c == "US" else 9) for c in self.phone_countries])
        pat = rng.choice(self.cfg["phones"][country])
        s = fill_pattern(rng, pat)
        return s, [("PHONE", s)]

    def email(self):
        rng = self.rng
        first, last = self.names.next()
        f = re.sub(r"[^a-z]", "", ascii_fold(first).lower().split()[0])
        l_ = re.sub(r"[^a-z]", "", ascii_fold(last).lower())
        form = rng.choice(["{f}.{l}", "{f0}{l}", "{f}_{l}{n}", "{l}{f0}", "{f}.{l}{n}", "{f}{l}", "dr.{l}"])
        local = form.format(f=f, l=l_, f0=f[0], n=rng.randint(1, 99))
        s = f"{local}@{rng.choice(self.cfg['email_domains'])}"
        return s, [("EMAIL", s)]

    def ssn(self):
        rng = self.rng
        area = rng.choice([rng.randint(1, 665), rng.randint(667, 899)])
        group = rng.randint(1, 99)
        serial = rng.randint(1, 9999)
        sep = "-" if rng.random() < 0.85 else " "
        s = f"{area:03d}{sep}{group:02d}{sep}{serial:04d}"
        return s, [("SSN", s)]

    # addresses ---------------------------------------------------------------------------
    def addr(self):
        rng = self.rng
        country = rng.choice(self.countries)
        c = self.cfg["addresses"][country]
        city, region, zpat = rng.choice(c["cities"])
        num = str(rng.randint(100, 9899) if country == "US" else rng.randint(1, 248))
        line = rng.choice(c["line"]).format(
            num=num, street=rng.choice(c["streets"]), unit=rng.choice(c["units"]),
            unitnum=rng.randint(1, 40), jp=f"{rng.randint(1, 6)}-{rng.randint(1, 30)}-{rng.randint(1, 20)}")
        zip_ = fill_pattern(rng, zpat)
        full = c["full"].format(line=line, city=city, region=region, zip=zip_)
        return full, [("ADDRESS", line), ("ZIP", zip_)]

    def pobox(self):
        rng = self.rng
        p = rng.choice(self.cfg["pobox"])
        box = fill_pattern(rng, p["box"])
        zip_ = fill_pattern(rng, p["zip"])
        full = p["full"].format(box=box, zip=zip_)
        return full, [("ADDRESS", box), ("ZIP", zip_)]

    # dates / ages ------------------------------------------------------------------------
    def _date(self, lo: int, hi: int) -> dt.date:
        rng = self.rng
        start = dt.date(lo, 1, 1).toordinal()
        end = dt.date(hi, 12, 31).toordinal()
        return dt.date.fromordinal(rng.randint(start, end))

    def _fmt_en(self, d: dt.date) -> str:
        rng = self.rng
        m = MONTHS[d.month - 1]
        suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        forms = [f"{d.day} {m} {d.year}", f"{m} {d.day}, {d.year}", f"{d.month:02d}/{d.day:02d}/{d.year}",
                 f"{d.day:02d}/{d.month:02d}/{d.year}", d.isoformat(), f"{d.day:02d}.{d.month:02d}.{d.year}",
                 f"{d.day:02d}-{m[:3]}-{d.year}", f"{d.day}{suffix} {m} {d.year}", f"{m[:3]} {d.day} {d.year}",
                 f"{d.month}/{d.day}/{str(d.year)[2:]}", f"{d.day}-{m[:3].upper()}-{d.year}"]
        return rng.choice(forms)

    def dob(self):
        s = self._fmt_en(self._date(1928, 2004))
        return s, [("DATE", s)]

    def dobde(self):
        d = self._date(1930, 2003)
        s = self.rng.choice([f"{d.day:02d}.{d.month:02d}.{d.year}", f"{d.day}. {['Januar', 'Februar', 'März', 'April', 'Mai', 'Juni', 'Juli', 'August', 'September', 'Oktober', 'November', 'Dezember'][d.month - 1]} {d.year}"])
        return s, [("DATE", s)]

    def dobfr(self):
        d = self._date(1930, 2003)
        s = self.rng.choice([f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day} {MONTHS_FR[d.month - 1]} {d.year}"])
        return s, [("DATE", s)]

    def dobes(self):
        d = self._date(1930, 2003)
        s = self.rng.choice([f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.day} de {MONTHS_ES[d.month - 1]} de {d.year}"])
        return s, [("DATE", s)]

    def visit(self):
        return self._fmt_en(self._date(2024, 2025)), []

    def _age90(self) -> tuple[str, bool]:
        rng = self.rng
        if rng.random() < 0.6:
            return str(rng.randint(90, 104)), False
        return rng.choice(self.cfg["number_words"]), True

    def oldadj(self):
        rng = self.rng
        a, words = self._age90()
        if words:
            form = f"{a}-year-old" if " " not in a else f"{a} year old"
        else:
            form = rng.choice([f"{a}-year-old", f"{a} y/o", f"{a}yo", f"{a} year old", f"{a}-yr-old"])
        return form, [("AGE", a)]

    def oldpred(self):
        rng = self.rng
        a, words = self._age90()
        if words:
            form = rng.choice([f"{a} years old", f"aged {a}", f"{a} years of age"])
        else:
            form = rng.choice([f"aged {a}", f"age {a}", f"{a} years old", f"{a} yrs", f"{a}"])
        return form, [("AGE", a)]

    # identifiers -------------------------------------------------------------------------
    def mrn(self):
        rng = self.rng
        m = rng.choice(self.cfg["mrn"])
        tok = fill_pattern(rng, m["pat"])
        label = m["label"]
        if rng.random() < 0.25:
            label = label.lower()
        if m.get("glue"):
            s = f"{label}{tok}"
        elif label.endswith(":"):
            s = f"{label} {tok}"
        else:
            s = f"{label}{rng.choice([' ', ': ', ' '])}{tok}"
        return s, [("MRN", tok)]

    def card(self):
        rng = self.rng
        num = luhn_complete(rng, rng.choice(self.cfg["card_prefixes"]), 16)
        style = weighted(rng, [("space", 50), ("dash", 20), ("none", 30)])
        if style == "space":
            s = " ".join(num[i:i + 4] for i in range(0, 16, 4))
        elif style == "dash":
            s = "-".join(num[i:i + 4] for i in range(0, 16, 4))
        else:
            s = num
        assert luhn_ok(s)
        return s, [("ID", s)]

    def city(self):
        return self.rng.choice(self.cities), []

    def get(self, name: str):
        fn = getattr(self, name, None)
        if fn is None or name.startswith("_") or name in ("get",):
            return None
        return fn()


PII_SLOTS = {"patient", "hcp", "phone", "email", "ssn", "addr", "pobox", "dob", "dobde", "dobfr", "dobes",
             "visit", "oldadj", "oldpred", "mrn", "card", "city"}


# ----------------------------------------------------------------------------------------------
# generator
# ----------------------------------------------------------------------------------------------
class Generator:
    def __init__(self, pools: dict, seed: int):
        self.rng = random.Random(seed)
        self.pools = pools
        self.fill_pools = pools["fill"]
        self.linked = pools["linked"]
        self.linked_keys = {k: name for name, entries in self.linked.items() for k in entries[0]}
        self.pii = PII(self.rng, pools["pii"], self.fill_pools["city"])
        self.events = {
            "reports": Cycle(self.rng, range(len(pools["events"]))),
            "co_reports": Cycle(self.rng, range(len(pools["events"]))),
        }
        self.labs = Cycle(self.rng, range(len(pools["lab_results"])))
        self.used_events: dict[str, set] = collections.defaultdict(set)
        self.seen_texts: set[str] = set()
        self.keep_lexicon = self._build_keep_lexicon()

    # keep-term lexicon -------------------------------------------------------------------
    def _build_keep_lexicon(self):
        terms = set(KEEP_EXTRA)
        for p in KEEP_POOLS:
            terms.update(self.fill_pools[p])
        for lname, keys in KEEP_LINKED.items():
            for entry in self.linked[lname]:
                for k in keys:
                    terms.add(entry[k])
        cleaned = set()
        for term in terms:
            # split composites such as "3HP (isoniazid + rifapentine)" or "isoniazid with pyridoxine"
            for t in re.split(r"\s*[()]\s*|\s+(?:with|plus|\+)\s+", term):
                t = re.sub(r"^(a|an|the|my)\s+", "", t.strip(), flags=re.I)
                t = re.sub(r"^\d+ months of\s+", "", t)
                t = re.sub(r"\s+\d+ mg.*$", "", t)
                if t:
                    cleaned.add(t)
        ordered = sorted(cleaned, key=lambda s: (-len(s), s))
        pattern = "|".join(re.escape(t) for t in ordered)
        return re.compile(r"(?<![\w-])(?:" + pattern + r")(?![\w-])", re.I)

    def keep_terms(self, text: str) -> list[str]:
        out: list[str] = []
        for m in self.keep_lexicon.finditer(text):
            if m.group(0) not in out:
                out.append(m.group(0))
        return out

    # context -----------------------------------------------------------------------------
    def set_sex(self, ctx: dict, female: bool) -> None:
        ctx.update({
            "_female": female,
            "sexnoun": "woman" if female else "man",
            "sexword": self.rng.choice(["woman", "female"] if female else ["man", "male"]),
            "sexletter": "F" if female else "M",
            "pron": "she" if female else "he",
            "Pron": "She" if female else "He",
            "pos": "her" if female else "his",
            "Pos": "Her" if female else "His",
            "obj": "her" if female else "him",
        })

    def new_ctx(self) -> dict:
        rng = self.rng
        ctx: dict = {}
        self.set_sex(ctx, rng.random() < 0.5)
        ctx.update({
            "age": str(rng.randint(19, 86)),
            "n": str(rng.randint(2, 12)),
            "d": str(rng.randint(3, 45)),
            "w": str(rng.randint(4, 52)),
            "m": str(rng.randint(2, 18)),
            "ord": rng.choice(ORDINALS[:5]),
            "month": rng.choice(MONTHS),
            "drug": weighted(rng, LIT_DRUG),
            "q": rng.choice(CHAT_ALIASES),
        })
        return ctx

    def _event(self, set_name: str, ctx: dict, template: str) -> None:
        bare = SLOT_RE.sub(" ", template)
        hint = "F" if FEMALE_RE.search(bare) else ("M" if MALE_RE.search(bare) else None)
        if hint:
            self.set_sex(ctx, hint == "F")
        events = self.pools["events"]
        idx = self.events[set_name].next(
            lambda i: not hint or events[i].get("sex") in (None, hint))
        ev = events[idx]
        if ev.get("sex") and not hint:
            self.set_sex(ctx, ev["sex"] == "F")
        t = ev["us"] if ev.get("us") and self.rng.random() < 0.45 else ev["t"]
        e = ev["lay"] if ev.get("lay") and self.rng.random() < 0.75 else t
        ctx.update({"t": t, "T": cap(t), "e": e, "E": cap(e), "_event": ev["t"]})

    # template filling --------------------------------------------------------------------
    def fill(self, template: str, ctx: dict, set_name: str, pii_out: list | None) -> str:
        rng = self.rng
        cache: dict[tuple, str] = {}
        picked: dict[str, set] = collections.defaultdict(set)

        if re.search(r"\{[tTeE]\}", template) and "t" not in ctx:
            self._event(set_name, ctx, template)

        def repl(m: re.Match) -> str:
            name, suffix, lo, hi, dec = m.groups()
            if lo is not None:
                if dec is None and "." not in lo and "." not in hi:
                    return str(rng.randint(int(lo), int(hi)))
                d = int(dec) if dec is not None else 1
                return f"{rng.uniform(float(lo), float(hi)):.{d}f}"
            key = (name, suffix)
            if key in cache:
                return cache[key]
            if not suffix and name in ctx:
                val = ctx[name]
            elif set_name == "pii" and name in PII_SLOTS:
                while True:
                    val, anns = self.pii.get(name)
                    if val not in picked[name]:
                        break
                picked[name].add(val)
                if pii_out is not None:
                    pii_out.extend(anns)
            elif name in self.linked_keys and not suffix:
                lname = self.linked_keys[name]
                entry = rng.choice(self.linked[lname])
                for k, v in entry.items():
                    ctx[k] = v
                val = ctx[name]
            elif name in self.fill_pools:
                options = [v for v in self.fill_pools[name] if v not in picked[name]]
                val = rng.choice(options)
                picked[name].add(val)
            else:
                raise KeyError(f"unknown slot {{{name}{suffix}}} in template: {template}")
            cache[key] = val
            return val

        return SLOT_RE.sub(repl, template)

    def typo(self, text: str, protect: list[str]) -> str:
        rng = self.rng
        words = list(re.finditer(r"[A-Za-z]{5,}", text))
        prot = [p.lower() for p in protect if p]
        cands = [w for w in words if not any(w.group(0).lower() in p or p in w.group(0).lower() for p in prot)
                 and not w.group(0).lower().startswith(("quel", "qlv"))]
        if not cands:
            return text
        chosen = rng.sample(cands, k=min(len(cands), rng.choice([1, 1, 2])))
        chars = list(text)
        for w in chosen:
            i = rng.randint(w.start() + 1, w.end() - 3)
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        return "".join(chars)

    # one row -----------------------------------------------------------------------------
    def make_row(self, set_name: str, family: str, spec: dict, tcycle: Cycle) -> dict:
        for _attempt in range(200):
            ctx = self.new_ctx()
            pii: list = []
            if spec.get("lab"):
                lab = self.pools["lab_results"][self.labs.next()]
                text = self.fill(self.rng.choice(lab["tpl"]), ctx, set_name, None)
                ctx["_event"] = lab["event"]
            else:
                template = tcycle.next()
                text = self.fill(template, ctx, set_name, pii if set_name == "pii" else None)
                if spec.get("typos"):
                    text = self.typo(text, [ctx.get("e", ""), ctx.get("t", "")])
            text = re.sub(r"\s+", " ", text).strip()
            for rx, sub in POST_FIXES:
                text = rx.sub(sub, text)
            if text in self.seen_texts:
                continue
            self.seen_texts.add(text)
            row = {"text": text, "set": set_name, "family": family}
            if "_event" in ctx and set_name in ("reports", "co_reports"):
                key = set_name + ("_lab" if spec.get("lab") else "")
                self.used_events[key].add(ctx["_event"])
            if set_name in ("consumer", "interactions"):
                row["keep_terms"] = self.keep_terms(text)
            if set_name == "pii":
                seen = []
                for typ, val in pii:
                    if (typ, val) not in seen:
                        seen.append((typ, val))
                seen.sort(key=lambda tv: text.find(tv[1]))
                row["pii"] = [{"type": t, "value": v} for t, v in seen]
            return row
        raise RuntimeError(f"could not produce a unique row for {set_name}/{family}")

    def run(self) -> list[dict]:
        rows: list[dict] = []
        for set_name in SET_ORDER:
            for family, spec in self.pools["sets"][set_name].items():
                n = int(spec.get("n", 0))
                if n <= 0:
                    continue
                tcycle = Cycle(self.rng, spec.get("tpl", [""]))
                for _ in range(n):
                    rows.append(self.make_row(set_name, family, spec, tcycle))
        self.rng.shuffle(rows)
        out = []
        for i, r in enumerate(rows, 1):
            out.append({"id": f"{ID_PREFIX}{i:05d}", **r})
        return out


# ----------------------------------------------------------------------------------------------
# validation and main
# ----------------------------------------------------------------------------------------------
def validate(rows: list[dict], gen: Generator) -> list[str]:
    problems = []
    ids = [r["id"] for r in rows]
    if len(ids) != len(set(ids)):
        problems.append("duplicate ids")
    texts = [r["text"] for r in rows]
    if len(texts) != len(set(texts)):
        problems.append("duplicate texts")
    counts = collections.Counter(r["set"] for r in rows)
    for s, n in EXPECTED.items():
        if counts[s] != n:
            problems.append(f"set {s}: {counts[s]} rows, expected {n}")
    traps = sum(1 for r in rows if r["family"].startswith("od_trap_"))
    if traps < 150:
        problems.append(f"only {traps} off_domain traps")
    if len(gen.used_events["reports"]) < 220:
        problems.append(f"only {len(gen.used_events['reports'])} distinct events in reports")
    for r in rows:
        if "{" in r["text"] or "}" in r["text"]:
            problems.append(f"{r['id']}: unfilled slot: {r['text']}")
        if r["set"] in ("consumer", "interactions") and not r.get("keep_terms"):
            problems.append(f"{r['id']}: no keep_terms: {r['text']}")
        for k in r.get("keep_terms", []):
            if k not in r["text"]:
                problems.append(f"{r['id']}: keep term not in text: {k}")
        if r["set"] == "pii":
            if not r.get("pii"):
                problems.append(f"{r['id']}: no pii annotations")
            for a in r.get("pii", []):
                if not a["value"] or a["value"] not in r["text"]:
                    problems.append(f"{r['id']}: pii value not a substring: {a}")
                if a["type"] == "ID" and not luhn_ok(a["value"]):
                    problems.append(f"{r['id']}: card not Luhn-valid: {a['value']}")
                if a["type"] == "AGE" and a["value"].isdigit() and int(a["value"]) < 90:
                    problems.append(f"{r['id']}: AGE under 90: {a['value']}")
    return problems


def main() -> int:
    pools = yaml.safe_load(POOLS_PATH.read_text(encoding="utf-8"))
    gen = Generator(pools, SEED)
    rows = gen.run()
    problems = validate(rows, gen)
    if problems:
        for p in problems[:50]:
            print("PROBLEM:", p, file=sys.stderr)
        return 1
    with OUT_PATH.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")

    by_set = collections.Counter(r["set"] for r in rows)
    by_family = collections.Counter((r["set"], r["family"]) for r in rows)
    print(f"wrote {len(rows)} rows to {OUT_PATH}")
    for s in SET_ORDER:
        print(f"{s}: {by_set[s]}")
        for (s2, fam), n in sorted(by_family.items()):
            if s2 == s:
                print(f"    {fam}: {n}")
    traps = sum(1 for r in rows if r["family"].startswith("od_trap_"))
    print(f"off_domain traps: {traps}")
    print(f"distinct events in reports: {len(gen.used_events['reports'])} from the event pool "
          f"+ {len(gen.used_events['reports_lab'])} lab-result events; "
          f"in co_reports: {len(gen.used_events['co_reports'])}")
    pii_types = collections.Counter(a["type"] for r in rows for a in r.get("pii", []))
    print("pii annotations by type: " + ", ".join(f"{k}={v}" for k, v in sorted(pii_types.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main())

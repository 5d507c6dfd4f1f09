"""Round 9 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any
earlier round's sets, pools or generators. Only the product brief was read.

Deterministic: a fixed seed drives every choice, so re-running produces the same
file byte for byte. The set is meant to be scored once.

Run from the repository root as:

    .venv/bin/python evals/compliance/generate_round9.py

Reads evals/compliance/round9_pools.yaml, writes evals/compliance/round9_held.jsonl,
prints counts per set and family, and checks that every labelled value, address
piece and keep_term is an exact substring of its text, that ids are unique and
that the per-set counts are as specified.
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

HERE = Path(__file__).resolve().parent
POOLS = HERE / "round9_pools.yaml"
OUT = HERE / "round9_held.jsonl"
SEED = 90909
COUNTS = {"reports": 250, "co_reports": 75, "interactions": 100,
          "off_domain": 300, "consumer": 200, "pii": 275}
MAX_USES = 4
SLOT = re.compile(r"\{([A-Za-z_]+?)(\d*)\}")


def lines(block):
    return [ln.strip() for ln in str(block).splitlines() if ln.strip()]


class Filler:
    """Fills {slot} / {slot2} placeholders; same slot name -> same value in one row."""

    def __init__(self, rng, pools):
        self.rng = rng
        self.pools = pools  # name -> list

    def fill(self, tpl, extra=None):
        cache, used = {}, collections.defaultdict(set)
        values = {}

        def rep(m):
            base, idx = m.group(1), m.group(2)
            key = base + idx
            if key in cache:
                return cache[key]
            pool = (extra or {}).get(base) or self.pools[base]
            for _ in range(50):
                v = self.rng.choice(pool)
                if v not in used[base]:
                    break
            used[base].add(v)
            cache[key] = v
            values[key] = v
            return v

        text = SLOT.sub(rep, tpl.lstrip("^"))
        if tpl.startswith("^"):
            text = text[0].upper() + text[1:]
        return text, values


def round_robin(rng, families, n, make):
    """families: dict family -> templates. make(family, tpl) -> row dict or None."""
    items = [(f, t) for f, ts in families.items() for t in ts]
    uses = collections.Counter()
    seen, rows = set(), []
    dead = set()
    while len(rows) < n:
        order = [it for it in items if it not in dead and uses[it] < MAX_USES]
        if not order:
            raise SystemExit(f"ran out of templates at {len(rows)}/{n}")
        rng.shuffle(order)
        for it in order:
            if len(rows) >= n:
                break
            for _ in range(25):
                row = make(*it)
                if row and row["text"] not in seen:
                    break
            else:
                dead.add(it)
                continue
            seen.add(row["text"])
            uses[it] += 1
            row["family"] = it[0]
            rows.append(row)
    return rows


# ----------------------------------------------------------------- PII helpers
def ascii_fold(s):
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
           "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto",
           "setembro", "outubro", "novembro", "dezembro"],
    "nl": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
           "september", "oktober", "november", "december"],
}

PHONE_FORMATS = [
    "US", "US", "US", "US",
    "+44 7700 9NNNNN", "07NNN NNNNNN", "020 79NN NNNN", "+44 (0)161 496 0NNN",
    "+49 30 NNNNNNNN", "0171 NNNNNNN", "+49 (0)89 NNNN NNNN",
    "+33 6 NN NN NN NN", "06 NN NN NN NN", "01.NN.NN.NN.NN",
    "+91 98NNN NNNNN", "+91-80-NNNN-NNNN",
    "+61 4NN NNN NNN", "04NN NNN NNN", "(02) NNNN NNNN",
    "+55 11 9NNNN-NNNN", "(21) 9NNNN-NNNN",
    "+81 90-NNNN-NNNN", "03-NNNN-NNNN",
    "+34 6NN NN NN NN", "+39 3NN NNN NNNN", "+31 6 NNNNNNNN", "06-NNNNNNNN",
    "+52 55 NNNN NNNN", "+234 80N NNN NNNN", "+353 87 NNN NNNN", "+27 82 NNN NNNN",
    "+63 917 NNN NNNN", "+82 10-NNNN-NNNN", "+86 138 NNNN NNNN", "+1 (416) NNN-NNNN",
    "+971 50 NNN NNNN", "+48 6NN NNN NNN",
]
US_AREAS = ["617", "312", "415", "212", "713", "404", "206", "303", "615", "919", "504", "802"]
EMAIL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.co.uk", "web.de", "orange.fr", "hotmail.es",
                 "icloud.com", "protonmail.com", "derm-associates.com", "uhn.ca", "nhs.net",
                 "libero.it", "gmx.at", "rediffmail.com", "bigpond.com", "uol.com.br",
                 "skinclinic.org", "yahoo.com"]


class PII:
    def __init__(self, rng, cfg):
        self.rng = rng
        n = cfg["names"]
        self.first, self.last, self.full = lines(n["first"]), lines(n["last"]), lines(n["full"])
        a = cfg["addr_us"]
        self.streets, self.suffixes = lines(a["streets"]), lines(a["suffixes"])
        self.cities = [c.split("|") for c in lines(a["cities"])]
        self.intl = lines(cfg["addr_intl"])
        self.zips = lines(cfg["zips"])
        self.mrn_labels = lines(cfg["mrn_labels"])

    def digits(self, fmt):
        return "".join(str(self.rng.randint(0, 9)) if c == "N" else c for c in fmt)

    def name(self, doc=False, case=None):
        r = self.rng
        if r.random() < 0.12:
            v = r.choice(self.full)
        else:
            f, l = r.choice(self.first), r.choice(self.last)
            x = r.random()
            if doc and x < 0.4:
                v = l
            elif x < 0.55:
                v = f"{f} {l}"
            elif x < 0.65:
                v = f"{f[0]}. {l}"
            elif x < 0.75:
                v = f"{f} {r.choice('ABCDEHJKLMRST')}. {l}"
            elif x < 0.82:
                v = f"{l}, {f}"
            elif x < 0.9:
                v = f"{f} {l}-{r.choice(self.last).split()[-1].capitalize()}"
            else:
                v = f"{f} {l}"
        if case == "upper":
            return v.upper()
        if case == "lower" or (case is None and r.random() < 0.06):
            return v.lower()
        if case is None and r.random() < 0.03:
            return v.upper()
        return v

    def phone(self):
        r = self.rng
        fmt = r.choice(PHONE_FORMATS)
        if fmt == "US":
            a, b, c = r.choice(US_AREAS), str(r.randint(201, 989)), self.digits("NNNN")
            return r.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}",
                             f"+1 {a} {b} {c}", f"1-{a}-{b}-{c}", f"{a}{b}{c}"])
        return self.digits(fmt)

    def email(self):
        r = self.rng
        f = re.sub(r"[^a-z]", "", ascii_fold(r.choice(self.first)).lower())
        l = re.sub(r"[^a-z]", "", ascii_fold(r.choice(self.last)).lower())
        user = r.choice([f"{f}.{l}", f"{f[0]}{l}{r.randint(1, 99)}", f"{f}_{l}", f"{l}.{f}",
                         f"{f}{r.randint(1950, 2001)}", f"dr.{l}", f"{l}{f[0]}", f"{f}.{l}.md"])
        return f"{user}@{r.choice(EMAIL_DOMAINS)}"

    def ssn(self):
        r = self.rng
        while True:
            a = r.randint(1, 899)
            if a != 666:
                break
        g, s = r.randint(1, 99), r.randint(1, 9999)
        sep = r.choice(["-", "-", "-", " ", ""])
        return f"{a:03d}{sep}{g:02d}{sep}{s:04d}"

    def addr_us(self):
        r = self.rng
        num = str(r.choice([r.randint(1, 99), r.randint(100, 999), r.randint(1000, 19999)]))
        street = f"{r.choice(self.streets)} {r.choice(self.suffixes)}"
        city, pre = r.choice(self.cities)
        unit = r.choice(["", "", "", ", Apt 4B", " Suite 210", ", Unit 12", " #7", ", Apt. 302"])
        zipc = pre + f"{r.randint(0, 99):02d}"
        if r.random() < 0.2:
            zipc += f"-{r.randint(1000, 9999)}"
        tail = r.choice([f", {city} {zipc}", f", {city} {zipc}", f" {city} {zipc}", ""])
        v = f"{num} {street}{unit}{tail}"
        return v, [num, street]

    def addr_intl(self):
        raw = self.rng.choice(self.intl)
        parts = re.findall(r"\[\[(.+?)\]\]", raw)
        v = raw.replace("[[", "").replace("]]", "")
        num = [p for p in parts if re.fullmatch(r"[A-Za-z]?-?\d+[a-zA-Z]?", p)][0]
        street = [p for p in parts if p != num][0]
        return v, [num, street]

    def zipc(self):
        r = self.rng
        if r.random() < 0.3:
            return r.choice(self.cities)[1] + f"{r.randint(0, 99):02d}"
        return r.choice(self.zips)

    def dob(self, lang="en"):
        r = self.rng
        d = dt.date(1930, 1, 1) + dt.timedelta(days=r.randint(0, 27000))
        D, M, Y = d.day, d.month, d.year
        if lang == "en":
            mon = MONTHS["en"][M - 1]
            suf = "th" if 11 <= D <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(D % 10, "th")
            return r.choice([f"{M:02d}/{D:02d}/{Y}", f"{D:02d}/{M:02d}/{Y}", f"{Y}-{M:02d}-{D:02d}",
                             f"{mon} {D}, {Y}", f"{D} {mon} {Y}", f"{D:02d}.{M:02d}.{Y}",
                             f"{mon[:3]} {D} {Y}", f"{M}/{D}/{str(Y)[2:]}", f"{D:02d}-{mon[:3]}-{Y}",
                             f"{D}{suf} {mon} {Y}", f"{mon[:3].upper()} {D:02d} {Y}", f"{M}-{D}-{Y}"])
        if lang == "ja":
            return f"{Y}年{M}月{D}日"
        mon = MONTHS[lang][M - 1]
        if lang == "de":
            return r.choice([f"{D}. {mon} {Y}", f"{D:02d}.{M:02d}.{Y}"])
        if lang in ("es", "pt"):
            return r.choice([f"{D} de {mon} de {Y}", f"{D:02d}/{M:02d}/{Y}"])
        return r.choice([f"{D} {mon} {Y}", f"{D:02d}/{M:02d}/{Y}" if lang != "nl" else f"{D:02d}-{M:02d}-{Y}"])

    def mrn(self):
        r = self.rng
        return r.choice([self.digits("NNNNNNN"), self.digits("NNNNNNNN"), "A" + self.digits("NNNNNNN"),
                         "H" + self.digits("00NNNNNN"), self.digits("NNNN-NNNN"), self.digits("NNN NNN NNNN"),
                         self.digits("00NNNNNNN"), "K" + self.digits("NN-NNNNN"), self.digits("NNNNNN")])

    def card(self):
        r = self.rng
        kind = r.choice(["visa", "visa", "mc", "amex", "disc"])
        if kind == "visa":
            body = "4" + self.digits("N" * 14)
        elif kind == "mc":
            body = "5" + str(r.randint(1, 5)) + self.digits("N" * 13)
        elif kind == "amex":
            body = r.choice(["34", "37"]) + self.digits("N" * 12)
        else:
            body = "6011" + self.digits("N" * 11)
        full = body + str(luhn_digit(body))
        sep = r.choice([" ", " ", "-", ""])
        groups = [4, 6, 5] if kind == "amex" else [4, 4, 4, 4]
        out, i = [], 0
        for g in groups:
            out.append(full[i:i + g])
            i += g
        return sep.join(out)


def luhn_digit(body):
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def luhn_ok(num):
    digits = re.sub(r"\D", "", num)
    return luhn_digit(digits[:-1]) == int(digits[-1])


def make_pii_row(rng, gen, tpl):
    labels = []
    outside = SLOT.sub("", tpl)
    case = None
    if not re.search(r"[a-z]", outside):
        case = "upper"
    elif outside == outside.lower() and rng.random() < 0.5:
        case = "lower"
    cache = {}

    def rep(m):
        key = m.group(1) + m.group(2)
        base = m.group(1)
        if key in cache:
            return cache[key]
        pieces = None
        if base == "PERSON":
            v, t = gen.name(case=case), "PERSON"
        elif base == "DOC":
            v, t = gen.name(doc=True, case=case), "PERSON"
        elif base == "PHONE":
            v, t = gen.phone(), "PHONE"
        elif base == "EMAIL":
            v, t = gen.email(), "EMAIL"
        elif base == "SSN":
            v, t = gen.ssn(), "SSN"
        elif base == "ADDR_US":
            (v, pieces), t = gen.addr_us(), "ADDRESS"
        elif base == "ADDR_INTL":
            (v, pieces), t = gen.addr_intl(), "ADDRESS"
        elif base == "ZIP":
            v, t = gen.zipc(), "ZIP"
        elif base.startswith("DOB"):
            v, t = gen.dob(base[4:] or "en"), "DATE"
        elif base == "MRN":
            v, t = gen.mrn(), "MRN"
        elif base == "MRNL":
            v, t = rng.choice(gen.mrn_labels), None
        elif base == "CARD":
            v, t = gen.card(), "CARD"
        elif base == "AGE":
            v, t = str(rng.randint(90, 104)), "AGE"
        elif base == "XAGE":
            v, t = str(rng.randint(19, 85)), None
        else:
            raise KeyError(base)
        cache[key] = v
        if t:
            lab = {"type": t, "value": v}
            if pieces:
                lab["pieces"] = pieces
            labels.append(lab)
        return v

    text = SLOT.sub(rep, tpl)
    labels.sort(key=lambda l: text.find(l["value"]))
    return {"text": text, "pii": labels}


# ----------------------------------------------------------------- main
def main():
    cfg = yaml.safe_load(POOLS.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    pools = {k: lines(v) for k, v in cfg["fill"].items()}
    pools["Q"] = lines(cfg["product"]["names"])
    pools["Qm"] = lines(cfg["product"]["misspelled"])
    filler = Filler(rng, pools)

    def fams(section):
        return {k: lines(v) for k, v in cfg[section].items() if k != "fill"}

    rows = []

    def simple(set_name, extra=None):
        def make(fam, tpl):
            text, _ = filler.fill(tpl, extra)
            return {"text": text, "set": set_name}
        return make

    for s in ("reports", "co_reports", "interactions"):
        for r in round_robin(rng, fams(s), COUNTS[s], simple(s)):
            rows.append(r)

    off_extra = {k: lines(v) for k, v in cfg["off_domain"]["fill"].items()}
    rows += round_robin(rng, fams("off_domain"), COUNTS["off_domain"], simple("off_domain", off_extra))

    cons_extra = {k: lines(v) for k, v in cfg["consumer"]["fill"].items()}
    pairs = [p.split("|") for p in cons_extra.pop("brandgen")]

    def make_consumer(fam, tpl):
        brand, generic = rng.choice(pairs)
        local = dict(cons_extra, brand=[brand], generic=[generic])
        text, vals = filler.fill(tpl, local)
        keep = []
        for v in vals.values():
            v = re.sub(r"^(the|a|an) ", "", v)
            if v not in keep:
                keep.append(v)
        return {"text": text, "set": "consumer", "keep_terms": keep}

    rows += round_robin(rng, fams("consumer"), COUNTS["consumer"], make_consumer)

    gen = PII(rng, cfg["pii"])
    pii_fams = {k: lines(v) for k, v in cfg["pii"]["templates"].items()}

    def make_pii(fam, tpl):
        row = make_pii_row(rng, gen, tpl)
        row["set"] = "pii"
        return row

    rows += round_robin(rng, pii_fams, COUNTS["pii"], make_pii)

    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows, 1):
        rec = {"id": f"r9-{i:05d}", "text": r["text"], "set": r["set"], "family": r["family"]}
        if r["set"] == "consumer":
            rec["keep_terms"] = r["keep_terms"]
        if r["set"] == "pii":
            rec["pii"] = r["pii"]
        out.append(rec)

    with OUT.open("w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    # ---------------- report + checks
    by_set = collections.Counter(r["set"] for r in out)
    by_fam = collections.Counter((r["set"], r["family"]) for r in out)
    for s in COUNTS:
        print(f"{s:13s} {by_set[s]:4d}")
        for (ss, f), c in sorted(by_fam.items()):
            if ss == s:
                print(f"    {f:22s} {c:4d}")
    print(f"total         {len(out):4d}")

    errors = []
    ids = [r["id"] for r in out]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    if len({r["text"] for r in out}) != len(out):
        errors.append("duplicate texts")
    for s, n in COUNTS.items():
        if by_set[s] != n:
            errors.append(f"{s}: {by_set[s]} != {n}")
    for r in out:
        t = r["text"]
        if set(r) - {"id", "text", "set", "family", "keep_terms", "pii"}:
            errors.append(f"{r['id']}: bad keys")
        for k in r.get("keep_terms", []):
            if k not in t:
                errors.append(f"{r['id']}: keep_term {k!r} not in text")
        if r["set"] == "consumer" and not r["keep_terms"]:
            errors.append(f"{r['id']}: consumer row without keep_terms")
        if r["set"] == "pii" and not r["pii"]:
            errors.append(f"{r['id']}: pii row without labels")
        for lab in r.get("pii", []):
            if lab["value"] not in t:
                errors.append(f"{r['id']}: value {lab['value']!r} not in text")
            for p in lab.get("pieces", []):
                if p not in t or p not in lab["value"]:
                    errors.append(f"{r['id']}: piece {p!r} not in text/value")
            if lab["type"] == "CARD" and not luhn_ok(lab["value"]):
                errors.append(f"{r['id']}: card fails Luhn")
            if lab["type"] == "AGE" and int(lab["value"]) <= 89:
                errors.append(f"{r['id']}: age label <= 89")
        if r["set"] != "pii" and "pii" in r:
            errors.append(f"{r['id']}: pii on non-pii row")
    if errors:
        print("CHECKS FAILED:")
        for e in errors[:50]:
            print("  ", e)
        sys.exit(1)
    print("checks passed: ids unique, counts match, all values/pieces/keep_terms are exact substrings")


if __name__ == "__main__":
    main()

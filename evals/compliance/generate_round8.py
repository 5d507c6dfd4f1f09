"""Round 8 held-out evaluation set for the Quelvanti compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation or any
earlier round's sets, pools or generators. The only product source used was the
product brief (shared/product/quelvanti-brief.md).

Deterministic: a fixed seed drives every random choice, so re-running rewrites the
identical file. Scored once: this is a blind held-out set, not a tuning set.

Run from the repository root:

    .venv/bin/python evals/compliance/generate_round8.py

Reads  evals/compliance/round8_pools.yaml
Writes evals/compliance/round8_held.jsonl (2,400 rows)

Row format: {"id", "text", "set", "family", "keep_terms" (consumer only),
             "pii" (pii only: [{"type", "value", "pieces"?}])}
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
import random
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
import yaml
from phonenumbers import PhoneNumberFormat, PhoneNumberType

HERE = Path(__file__).resolve().parent
POOLS = HERE / "round8_pools.yaml"
OUT = HERE / "round8_held.jsonl"

EXPECTED = {
    "reports": 500,
    "co_reports": 150,
    "interactions": 200,
    "off_domain": 600,
    "consumer": 400,
    "pii": 550,
}
MAX_SLOT_TEMPLATE_USES = 5     # a template with placeholders is used at most 5 times
MAX_LITERAL_TEMPLATE_USES = 2  # a fixed sentence at most twice (the second time varied)
PRODUCT_RE = re.compile(r"quelv|qlv", re.I)
SLOT_RE = re.compile(r"\{([^{}]+)\}")
KEEP_RE = re.compile(r"\[\[(.+?)\]\]")

MONTHS_EN = ["January", "February", "March", "April", "May", "June", "July",
             "August", "September", "October", "November", "December"]
MONTHS = {
    "de": ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August",
           "September", "Oktober", "November", "Dezember"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
           "septembre", "octobre", "novembre", "décembre"],
    "es": ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
           "septiembre", "octubre", "noviembre", "diciembre"],
    "it": ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio",
           "agosto", "settembre", "ottobre", "novembre", "dicembre"],
    "pt": ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho",
           "agosto", "setembro", "outubro", "novembro", "dezembro"],
}
US_AREA = ["212", "312", "415", "617", "713", "404", "206", "303", "512", "602",
           "718", "919", "801", "614", "503", "305", "702", "808", "907", "615"]

WRAP_PREFIX = ["hey, ", "Hi! ", "Quick question: ", "hello, ", "Hi there - ", "ok so ",
               "Question: ", "sorry to bother you, "]
WRAP_SUFFIX = [" thanks", " thx!", " 🙏", " Thanks in advance.", " cheers", " ty"]


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return f"{n}th"
    return str(n) + {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


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


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    body = prefix + "".join(rng.choice("0123456789") for _ in range(length - len(prefix) - 1))
    for check in "0123456789":
        if luhn_ok(body + check):
            return body + check
    raise AssertionError("luhn")


def ascii_fold(s: str) -> str:
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L")
    s = s.replace("ı", "i").replace("đ", "d")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def cap_first(s: str) -> str:
    for i, c in enumerate(s):
        if c.isalpha():
            if i + 1 < len(s) and s[i + 1].isupper():   # eGFR, mIU: leave as written
                return s
            return s[:i] + c.upper() + s[i + 1:]
        if c not in "[(\"'":
            return s
    return s


class Generator:
    def __init__(self, cfg: dict):
        self.cfg = cfg
        self.rng = random.Random(cfg["seed"])
        self.slots = cfg["slots"]
        self.pp = cfg["pii_pools"]
        self.keep_pools: set[str] = set()

    # ------------------------------------------------------------------ names
    def _name_parts(self, gender: str | None):
        rng = self.rng
        cultures = self.pp["names"]
        culture = cultures[rng.choice(sorted(cultures))]
        g = gender or rng.choice("FM")
        first = rng.choice(culture["first_f"] if g == "F" else culture["first_m"])
        if "last" in culture:
            last = rng.choice(culture["last"])
        else:
            last = rng.choice(culture["last_f"] if g == "F" else culture["last_m"])
        return first, last

    def person(self, key: str) -> str:
        rng = self.rng
        mods = key.split("_")[1:]
        gender = "F" if "F" in mods else ("M" if "M" in mods else None)
        first, last = self._name_parts(gender)
        if "LAST" in mods:
            return last
        if "FIRST" in mods:
            return first
        if "LASTFIRST" in mods:
            return f"{last}, {first}"
        if "INIT" in mods:
            initials = "".join(w[0] for w in re.split(r"[ -]", first) if w)
            style = rng.randrange(4)
            if style == 0:
                return f"{'. '.join(initials)}. {last}"
            if style == 1:
                return f"{initials[0]} {last}"
            if style == 2:
                return f"{last} {initials}"
            return f"{initials[0]}.{rng.choice('ABCDEHJKLMNPRSTW')}. {last}"
        if "UC" in mods:
            if rng.random() < 0.5:
                return f"{last.upper()}, {first}"
            return f"{first} {last}".upper()
        if "LC" in mods:
            return f"{first} {last}".lower()
        r = rng.random()
        if r < 0.12:
            return f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}"
        if r < 0.17:
            return f"{first} {last}".lower()
        if r < 0.21:
            return f"{first} {last}".upper()
        return f"{first} {last}"

    # ----------------------------------------------------------------- phones
    def _phone_obj(self, region: str):
        rng = self.rng
        if region == "US":
            for _ in range(200):
                if rng.random() < 0.35:
                    nsn = rng.choice(US_AREA) + "55501" + f"{rng.randrange(100):02d}"
                else:
                    nsn = rng.choice(US_AREA) + str(rng.randint(201, 989)) + f"{rng.randrange(10000):04d}"
                num = phonenumbers.parse("+1" + nsn)
                if phonenumbers.is_valid_number(num):
                    return num
        ptype = rng.choice([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE])
        ex = phonenumbers.example_number_for_type(region, ptype) or phonenumbers.example_number(region)
        nsn = str(ex.national_number)
        k = min(5, max(2, len(nsn) - 4))
        for _ in range(200):
            cand = nsn[:-k] + "".join(rng.choice("0123456789") for _ in range(k))
            num = phonenumbers.parse(f"+{ex.country_code}{cand}")
            if phonenumbers.is_valid_number(num) and cand != nsn:
                return num
        return ex

    def phone(self, key: str) -> str:
        rng = self.rng
        parts = key.split("_")
        region = parts[1] if len(parts) > 1 else rng.choice(self.pp["phone_regions"])
        num = self._phone_obj(region)
        if region == "US":
            n = str(num.national_number)
            a, b, c = n[:3], n[3:6], n[6:]
            return rng.choice([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"1-{a}-{b}-{c}",
                               f"+1 {a} {b} {c}", f"+1 ({a}) {b}-{c}", f"{a}{b}{c}", f"{a} {b} {c}"])
        style = rng.random()
        if style < 0.45:
            s = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
        elif style < 0.85:
            s = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
        else:
            s = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        if " " in s and rng.random() < 0.15:
            s = s.replace(" ", rng.choice(["-", "."]))
        return s

    # ----------------------------------------------------------------- emails
    def email(self, key: str) -> str:
        rng = self.rng
        first, last = self._name_parts(None)
        f = re.sub(r"[^a-z]", "", ascii_fold(first).lower().split(" ")[0]) or "pat"
        l = re.sub(r"[^a-z]", "", ascii_fold(last).lower()) or "smith"
        local = rng.choice([
            f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}", f"{f}{l}",
            f"{f}.{l}{rng.randint(1, 99)}", f"{l}.{f[0]}", f"{f}{rng.randint(1950, 2004)}",
            f"{l}{f[0]}{rng.randint(1, 9)}", f"dr.{l}", f"{f}.{l}+pharmacy",
            f"{rng.choice(['sunny', 'skinwin', 'tea.lover', 'blue.heron', 'mamabear', 'redfox'])}{rng.randint(10, 99)}",
        ])
        s = f"{local}@{rng.choice(self.pp['email_domains'])}"
        return s.upper() if key.endswith("_UC") else s

    # ------------------------------------------------------------ SSN / card
    def ssn(self) -> str:
        rng = self.rng
        while True:
            area = rng.randint(1, 899)
            if area != 666:
                break
        g, s = rng.randint(1, 99), rng.randint(1, 9999)
        fmt = rng.random()
        if fmt < 0.75:
            return f"{area:03d}-{g:02d}-{s:04d}"
        if fmt < 0.9:
            return f"{area:03d} {g:02d} {s:04d}"
        return f"{area:03d}{g:02d}{s:04d}"

    def card(self, key: str) -> str:
        rng = self.rng
        kind = key.split("_")[1] if "_" in key else rng.choice(["VISA", "VISA", "MC", "MC", "AMEX", "DISC"])
        if kind == "AMEX":
            n = luhn_complete(rng.choice(["34", "37"]), 15, rng)
            sep = rng.choice([" ", "-", ""])
            return sep.join([n[:4], n[4:10], n[10:]])
        prefix = {"VISA": "4", "MC": rng.choice(["51", "52", "53", "54", "55", "2221", "2720"]),
                  "DISC": rng.choice(["6011", "65"])}[kind]
        n = luhn_complete(prefix, 16, rng)
        sep = rng.choice([" ", " ", "-", ""])
        return sep.join(n[i:i + 4] for i in range(0, 16, 4))

    # -------------------------------------------------------------- addresses
    def address_us(self, key: str):
        rng = self.rng
        r = rng.random()
        num = str(rng.randint(2, 99) if r < 0.25 else rng.randint(100, 999) if r < 0.65
                  else rng.randint(1000, 9999) if r < 0.95 else rng.randint(10000, 40000))
        street = rng.choice(self.pp["us_streets"])
        if rng.random() < 0.2 and not street[0].isdigit() and not street.startswith("W "):
            street = rng.choice(["N ", "S ", "E ", "W ", "NE "]) + street
        street = f"{street} {rng.choice(self.pp['us_suffix'])}"
        city, st, zp = rng.choice(self.pp["us_cities"])
        zipc = zp + f"{rng.randint(1, 99):02d}"
        if rng.random() < 0.15:
            zipc += f"-{rng.randint(1, 9999):04d}"
        unit = rng.choice(self.pp["us_unit"]) if rng.random() < 0.45 else ""
        if key.endswith("_ML"):
            lines = [f"{num} {street}"] + ([unit] if unit else []) + [f"{city}, {st} {zipc}"]
            full = "\n".join(lines)
        else:
            full = f"{num} {street}{', ' + unit if unit else ''}, {city}, {st} {zipc}"
        if key.endswith("_LC"):
            full, num, street = full.lower(), num.lower(), street.lower()
        return full, [num, street]

    def address_intl(self, key: str):
        rng = self.rng
        table = self.pp["intl_addresses"]
        parts = key.split("_")
        cc = parts[1] if len(parts) > 1 and parts[1] != "INTL" else rng.choice(sorted(table))
        t = table[cc]
        num = str(rng.randint(1, 60) if rng.random() < 0.7 else rng.randint(61, 250))
        street = rng.choice(t["streets"])
        full = t["fmt"].format(unit=rng.choice(t["units"]), num=num, street=street,
                               place=rng.choice(t["places"]))
        return full, [num, street]

    # ------------------------------------------------------------ postcodes
    def zipcode(self, key: str) -> str:
        rng = self.rng
        kind = key.split("_")[1] if "_" in key else rng.choice(
            ["US", "US", "US4", "UK", "CA", "DE", "FR", "NL", "JP", "IE", "AU", "IN", "BR"])
        if kind in ("US", "US4"):
            z = rng.choice(self.pp["us_cities"])[2] + f"{rng.randint(1, 99):02d}"
            return z + (f"-{rng.randint(1, 9999):04d}" if kind == "US4" else "")
        if kind == "DE":
            return f"{rng.randint(1067, 99998):05d}"
        if kind == "FR":
            return f"{rng.randint(1, 95):02d}{rng.choice(['000', '100', '200', '300', '400', '500', '600', '700'])}"
        if kind == "AU":
            return str(rng.choice([rng.randint(2000, 2999), rng.randint(3000, 3999), rng.randint(4000, 4999),
                                   rng.randint(6000, 6999)]))
        if kind == "IN":
            return f"{rng.randint(110001, 855126)}"
        if kind == "BR":
            return f"{rng.randint(1000, 99999):05d}-{rng.randint(0, 999):03d}"
        return rng.choice(self.pp["postcodes"][kind])

    # ------------------------------------------------------------------ dates
    def _rand_date(self, y0: int, y1: int) -> _dt.date:
        start = _dt.date(y0, 1, 1).toordinal()
        end = _dt.date(y1, 12, 31).toordinal()
        return _dt.date.fromordinal(self.rng.randint(start, end))

    def dob(self, key: str, ctx: dict) -> str:
        rng = self.rng
        lang = key.split("_")[1].lower() if "_" in key else None
        if lang == "old":
            d = self._rand_date(1920, 1934)
            ctx["dob_year"] = d.year
            lang = None
        else:
            d = self._rand_date(1930, 2005)
        D, M, Y, mon = d.day, d.month, d.year, MONTHS_EN[d.month - 1]
        if lang in MONTHS:
            mname = MONTHS[lang][M - 1]
            opts = {
                "de": [f"{D:02d}.{M:02d}.{Y}", f"{D}. {mname} {Y}", f"{D}.{M}.{Y}"],
                "fr": [f"{D} {mname} {Y}", f"{D:02d}/{M:02d}/{Y}", f"{'1er' if D == 1 else D} {mname} {Y}"],
                "es": [f"{D} de {mname} de {Y}", f"{D:02d}/{M:02d}/{Y}", f"{D}-{M:02d}-{Y}"],
                "it": [f"{D} {mname} {Y}", f"{D:02d}/{M:02d}/{Y}"],
                "pt": [f"{D} de {mname} de {Y}", f"{D:02d}/{M:02d}/{Y}"],
            }[lang]
            return rng.choice(opts)
        if lang == "us":
            return rng.choice([f"{M:02d}/{D:02d}/{Y}", f"{M}/{D}/{Y}", f"{M}/{D}/{Y % 100:02d}", f"{M:02d}-{D:02d}-{Y}"])
        if lang == "en":
            return rng.choice([f"{mon} {D}, {Y}", f"{D} {mon} {Y}", f"{ordinal(D)} {mon} {Y}",
                               f"{mon[:3]} {D} {Y}", f"{ordinal(D)} of {mon}, {Y}", f"{mon} {ordinal(D)}, {Y}"])
        return rng.choice([
            f"{M:02d}/{D:02d}/{Y}", f"{D:02d}/{M:02d}/{Y}", f"{D:02d}.{M:02d}.{Y}", f"{Y}-{M:02d}-{D:02d}",
            f"{mon} {D}, {Y}", f"{D} {mon} {Y}", f"{D:02d}-{mon[:3]}-{Y}", f"{D}-{mon[:3].upper()}-{Y % 100:02d}",
            f"{M}/{D}/{Y % 100:02d}", f"{D}/{M}/{Y}", f"{Y}/{M:02d}/{D:02d}", f"{mon[:3]}. {D}, {Y}",
        ])

    def appt(self) -> str:
        rng = self.rng
        d = self._rand_date(2025, 2025)
        h = rng.randint(8, 16)
        mm = rng.choice(["00", "15", "30", "45"])
        hh = f"{h if h <= 12 else h - 12}:{mm}{'am' if h < 12 else 'pm'}"
        return rng.choice([f"{d.strftime('%A')} {d.day} {MONTHS_EN[d.month - 1]} at {hh}",
                           f"{d.month}/{d.day} {hh}", f"the {ordinal(d.day)} at {hh}",
                           f"next {d.strftime('%A')} at {hh}"])

    def mrn(self) -> str:
        rng = self.rng
        style = rng.randrange(6)
        if style == 0:
            return f"{rng.randint(0, 9999999):07d}"
        if style == 1:
            return str(rng.randint(10 ** 7, 10 ** 10 - 1))
        if style == 2:
            return rng.choice("ABEHKMRTXZ") + f"{rng.randint(0, 99999999):08d}"[: rng.randint(6, 8)]
        if style == 3:
            return f"{rng.randint(2015, 2025)}-{rng.randint(0, 999999):06d}"
        if style == 4:
            return f"{rng.randint(10, 25)}/{rng.randint(0, 999999):06d}"
        return f"{rng.randint(0, 999999):06d}"

    # ------------------------------------------------------------ the filler
    def resolve(self, key: str, ctx: dict) -> str:
        rng = self.rng
        cap = key.endswith("^")
        key = key.rstrip("^")
        if "|" in key:
            val = rng.choice(key.split("|"))
        elif key.startswith("int:"):
            _, a, b = key.split(":")
            val = str(rng.randint(int(a), int(b)))
        elif key.startswith("dec:"):
            _, a, b = key.split(":")
            places = len(a.split(".")[1]) if "." in a else 0
            val = f"{rng.uniform(float(a), float(b)):.{places}f}"
        elif key in ctx["cache"]:
            val = ctx["cache"][key]
        else:
            base = key.split("#")[0]
            val = self.generate(base, ctx)
            ctx["cache"][key] = val
        return cap_first(val) if cap else val

    def label(self, ctx: dict, typ: str, value: str, pieces=None):
        item = {"type": typ, "value": value}
        if pieces is not None:
            item["pieces"] = pieces
        ctx["pii"].append(item)

    def generate(self, base: str, ctx: dict) -> str:
        rng = self.rng
        if base in ("age", "a_age", "A_age"):
            n = ctx.setdefault("age_n", rng.randint(19, 86))
            if base == "age":
                return str(n)
            art = "an" if (80 <= n <= 89 or n in (8, 11, 18)) else "a"
            s = f"{art} {n}-year-old"
            return cap_first(s) if base == "A_age" else s
        if base.startswith("PERSON"):
            v = self.person(base)
            self.label(ctx, "PERSON", v)
            return v
        if base.startswith("PHONE"):
            v = self.phone(base)
            self.label(ctx, "PHONE", v)
            return v
        if base.startswith("EMAIL"):
            v = self.email(base)
            self.label(ctx, "EMAIL", v)
            return v
        if base == "SSN":
            v = self.ssn()
            self.label(ctx, "SSN", v)
            return v
        if base.startswith("CARD"):
            v = self.card(base)
            self.label(ctx, "CARD", v)
            return v
        if base.startswith("ADDRESS_US"):
            v, pieces = self.address_us(base)
            self.label(ctx, "ADDRESS", v, pieces)
            return v
        if base.startswith("ADDRESS"):
            v, pieces = self.address_intl(base)
            self.label(ctx, "ADDRESS", v, pieces)
            return v
        if base.startswith("ZIP"):
            v = self.zipcode(base)
            self.label(ctx, "ZIP", v)
            return v
        if base.startswith("DOB"):
            v = self.dob(base, ctx)
            self.label(ctx, "DATE", v)
            return v
        if base == "MRN":
            v = self.mrn()
            self.label(ctx, "MRN", v)
            return v
        if base == "AGE90":
            if "dob_year" in ctx:
                n = 2025 - ctx["dob_year"] - rng.randint(0, 1)
            else:
                n = rng.randint(90, 104)
            assert n > 89
            self.label(ctx, "AGE", str(n))
            return str(n)
        if base == "AGE_Y":
            return str(rng.randint(19, 85))
        if base == "APPT":
            return self.appt()
        if base == "EXP":
            return rng.choice([f"{rng.randint(1, 12):02d}/{rng.randint(26, 31)}",
                               f"{rng.randint(1, 12):02d}/20{rng.randint(26, 31)}"])
        pool = self.slots[base]
        used = ctx["used"][base]
        choices = [v for v in pool if v not in used] or pool
        raw = rng.choice(choices)
        used.add(raw)
        val = self.fill(str(raw), ctx)
        if base in self.keep_pools and "[[" not in val:
            val = f"[[{val}]]"
        return val

    def fill(self, s: str, ctx: dict) -> str:
        while True:
            m = SLOT_RE.search(s)
            if not m:
                return s
            s = s[: m.start()] + self.resolve(m.group(1), ctx) + s[m.end():]

    # ------------------------------------------------------------ noise
    def noise(self, text: str, protect: list[str], p: float):
        """Human-style imperfections; protected strings are left intact.
        Returns (text, lowered) where lowered means the whole message was lower-cased."""
        rng = self.rng
        if rng.random() >= p:
            return text, False
        spans = []
        for term in protect:
            for m in re.finditer(re.escape(term), text):
                spans.append((m.start(), m.end()))
        for m in PRODUCT_RE.finditer(text):
            spans.append((m.start(), m.end() + 12))

        def free(a, b):
            return all(b <= s or a >= e for s, e in spans)

        lowered = False
        for op in rng.sample(["typo", "typo", "lower", "nopunct", "nocap", "abbrev", "typo2"], rng.choice([1, 1, 2])):
            if op in ("typo", "typo2"):
                words = [m for m in re.finditer(r"[a-z]{5,}", text) if free(m.start(), m.end())]
                if not words:
                    continue
                m = rng.choice(words)
                w = m.group(0)
                i = rng.randint(1, len(w) - 2)
                kind = rng.choice(["swap", "drop", "double"])
                if kind == "swap":
                    w2 = w[:i] + w[i + 1] + w[i] + w[i + 2:]
                elif kind == "drop":
                    w2 = w[:i] + w[i + 1:]
                else:
                    w2 = w[:i] + w[i] + w[i:]
                text = text[: m.start()] + w2 + text[m.end():]
                delta = len(w2) - len(w)
                spans = [(s + delta if s >= m.end() else s, e + delta if e >= m.end() else e) for s, e in spans]
            elif op == "lower":
                text = text.lower()
                lowered = True
            elif op == "nopunct":
                text = text.rstrip(".")
            elif op == "nocap":
                if text and text[0].isupper() and free(0, 2) and not text[:2].isupper():
                    text = text[0].lower() + text[1:]
            elif op == "abbrev":
                for a, b in [(" you ", " u "), ("please", "pls"), (" with ", " w/ "), ("because", "bc"),
                             ("patient", "pt"), (" and ", " & "), ("tomorrow", "tmrw"), ("about", "abt")]:
                    idx = text.find(a)
                    if idx >= 0 and free(idx, idx + len(a)):
                        text = text[:idx] + b + text[idx + len(a):]
                        break
        return text, lowered

    # ------------------------------------------------------------ one row
    def make_row(self, set_name: str, family: str, tmpl: str, noise_p: float, wrap: bool):
        ctx = {"cache": {}, "used": defaultdict(set), "pii": []}
        text = self.fill(tmpl, ctx)
        keep = []
        for m in KEEP_RE.finditer(text):
            if m.group(1) not in keep:
                keep.append(m.group(1))
        text = KEEP_RE.sub(lambda m: m.group(1), text)
        if wrap and self.rng.random() < 0.18:
            if self.rng.random() < 0.6:
                pre = self.rng.choice(WRAP_PREFIX)
                text = pre + (text[0].lower() + text[1:] if text[:1].isupper() and not text[:2].isupper()
                              and not any(text.startswith(k) for k in keep) else text)
            else:
                text = text.rstrip() + self.rng.choice(WRAP_SUFFIX)
        pii = []
        seen = set()
        for item in ctx["pii"]:
            k = (item["type"], item["value"])
            if k not in seen:
                seen.add(k)
                pii.append(item)
        protect = keep + [x["value"] for x in pii] + [pc for x in pii for pc in x.get("pieces", [])]
        text, lowered = self.noise(text, protect, noise_p)
        if lowered:
            keep = [k.lower() for k in keep]
            for item in pii:
                item["value"] = item["value"].lower()
                if "pieces" in item:
                    item["pieces"] = [pc.lower() for pc in item["pieces"]]
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
        text = re.sub(r"(?<!\.)\.\.(?!\.)", ".", text)
        row = {"text": text, "set": set_name, "family": family}
        if set_name == "consumer":
            row["keep_terms"] = keep
        if set_name == "pii":
            row["pii"] = pii
        return row

    # ------------------------------------------------------------ all rows
    def build(self):
        rng = self.rng
        rows, usage = [], Counter()
        texts = set()
        for set_name, spec in self.cfg["sets"].items():
            self.keep_pools = set(spec.get("keep_pools", []))
            noise_p = spec.get("noise", 0.0)
            wrap = set_name in ("off_domain", "consumer", "interactions")
            for family, fam in spec["families"].items():
                templates = list(fam["templates"])
                cap = {t: (MAX_SLOT_TEMPLATE_USES if ("{" in t) else MAX_LITERAL_TEMPLATE_USES) for t in templates}
                n = fam["n"]
                assert sum(cap.values()) >= n, f"{set_name}/{family}: not enough templates"
                order = []
                while len(order) < n:
                    cycle = [t for t in rng.sample(templates, len(templates)) if usage[(set_name, family, t)] + order.count(t) < cap[t]]
                    order.extend(cycle)
                order = order[:n]
                for tmpl in order:
                    for attempt in range(60):
                        t = tmpl
                        if attempt >= 30:   # this template is exhausted for unique text: use another
                            spare = [x for x in templates if usage[(set_name, family, x)] < cap[x]]
                            t = rng.choice(spare)
                        bump = 0.5 if ("{" not in t and usage[(set_name, family, t)]) else 0.0
                        row = self.make_row(set_name, family, t, min(1.0, noise_p + bump), wrap or bump > 0)
                        if row["text"].lower() not in texts:
                            break
                    else:
                        raise RuntimeError(f"could not make a unique row for {set_name}/{family}")
                    usage[(set_name, family, t)] += 1
                    texts.add(row["text"].lower())
                    rows.append(row)
        return rows, usage


def check(rows, usage) -> list[str]:
    errors = []
    counts = Counter(r["set"] for r in rows)
    for s, n in EXPECTED.items():
        if counts[s] != n:
            errors.append(f"count {s}: {counts[s]} != {n}")
    if len(rows) != sum(EXPECTED.values()):
        errors.append("total count")
    ids = [r["id"] for r in rows]
    if len(set(ids)) != len(ids):
        errors.append("duplicate ids")
    if ids != [f"r8-{i:05d}" for i in range(1, len(rows) + 1)]:
        errors.append("ids not in file order")
    for (s, f, t), n in usage.items():
        limit = MAX_SLOT_TEMPLATE_USES if "{" in t else MAX_LITERAL_TEMPLATE_USES
        if n > limit:
            errors.append(f"template over-used ({n}x) in {s}/{f}: {t[:60]}")
    for r in rows:
        t = r["text"]
        expected_keys = {"id", "text", "set", "family"} | ({"keep_terms"} if r["set"] == "consumer" else set()) \
            | ({"pii"} if r["set"] == "pii" else set())
        if set(r) != expected_keys:
            errors.append(f"{r['id']}: keys {sorted(r)}")
        if any(x in t for x in ("{", "}", "[[", "]]")):
            errors.append(f"{r['id']}: leftover placeholder: {t}")
        has_product = bool(PRODUCT_RE.search(t))
        if r["set"] in ("reports", "co_reports", "interactions") and not has_product:
            errors.append(f"{r['id']}: no product mention")
        if r["set"] in ("off_domain", "consumer") and has_product:
            errors.append(f"{r['id']}: product mentioned in {r['set']}")
        for k in r.get("keep_terms", []):
            if k not in t:
                errors.append(f"{r['id']}: keep_term not in text: {k!r}")
        if r["set"] == "pii":
            if not r["pii"]:
                errors.append(f"{r['id']}: pii row without labels")
            for item in r["pii"]:
                if item["value"] not in t:
                    errors.append(f"{r['id']}: pii value not in text: {item['value']!r}")
                for pc in item.get("pieces", []):
                    if pc not in t or pc not in item["value"]:
                        errors.append(f"{r['id']}: address piece not in text: {pc!r}")
                if item["type"] == "CARD" and not luhn_ok(item["value"]):
                    errors.append(f"{r['id']}: card fails Luhn: {item['value']}")
                if item["type"] == "AGE" and int(item["value"]) <= 89:
                    errors.append(f"{r['id']}: AGE not over 89")
                if item["type"] == "ADDRESS" and len(item.get("pieces", [])) != 2:
                    errors.append(f"{r['id']}: ADDRESS without 2 pieces")
                if item["type"] not in {"PERSON", "PHONE", "EMAIL", "SSN", "ADDRESS", "ZIP", "DATE", "MRN", "CARD", "AGE"}:
                    errors.append(f"{r['id']}: bad type {item['type']}")
    return errors


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe loader that refuses duplicate mapping keys (a silent override would change pools)."""


def _construct_unique(loader, node, deep=False):
    keys = [loader.construct_object(k, deep=deep) for k, _ in node.value]
    dups = {k for k in keys if keys.count(k) > 1}
    if dups:
        raise ValueError(f"duplicate keys in {POOLS.name}: {sorted(map(str, dups))}")
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique)


def main() -> int:
    cfg = yaml.load(POOLS.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    gen = Generator(cfg)
    rows, usage = gen.build()
    random.Random(cfg["seed"] + 1).shuffle(rows)
    out_rows = []
    for i, r in enumerate(rows, 1):
        o = {"id": f"r8-{i:05d}", "text": r["text"], "set": r["set"], "family": r["family"]}
        if "keep_terms" in r:
            o["keep_terms"] = r["keep_terms"]
        if "pii" in r:
            o["pii"] = r["pii"]
        out_rows.append(o)
    errors = check(out_rows, usage)
    with OUT.open("w", encoding="utf-8") as fh:
        for o in out_rows:
            fh.write(json.dumps(o, ensure_ascii=False) + "\n")

    by_set = Counter(o["set"] for o in out_rows)
    by_fam = Counter((o["set"], o["family"]) for o in out_rows)
    print(f"wrote {len(out_rows)} rows to {OUT}")
    for s in EXPECTED:
        print(f"  {s:<13} {by_set[s]:>4}")
        for (s2, f), n in sorted(by_fam.items()):
            if s2 == s:
                print(f"      {f:<22} {n:>4}")
    pii_types = Counter(item["type"] for o in out_rows for item in o.get("pii", []))
    print("  pii labels:", dict(sorted(pii_types.items())))
    print("  max template uses:", max(usage.values()))
    if errors:
        print(f"CHECKS FAILED ({len(errors)}):")
        for e in errors[:50]:
            print("  ", e)
        return 1
    print("checks passed: counts, unique ids, exact substrings (keep_terms, pii values, address pieces), "
          "Luhn, ages > 89, template reuse limits, product mention rules")
    return 0


if __name__ == "__main__":
    sys.exit(main())

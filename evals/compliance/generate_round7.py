"""Generate evals/compliance/round7_held.jsonl: one held set for a blind measurement of the compliance layer.

Written by an outside tester without reading the compliance implementation or any earlier
round's sets, pools or generators (only the record format of round 5 was looked at).
Deterministic (fixed seed). Nothing is tuned on this set: it is scored once.

    .venv/bin/python evals/compliance/generate_round7.py

Pools and templates live in evals/compliance/round7_pools.yaml. PII values (names, phones,
e-mails, SSNs, addresses, ZIP/postal codes, dates of birth, MRNs, card numbers, ages > 89)
are built here so that every labelled value is an exact substring of its text.

Record format:
    {"id", "text", "set": reports|co_reports|interactions|off_domain|consumer|pii, "family",
     "keep_terms": [...] (consumer), "pii": [{"type", "value", "pieces"?}] (pii)}

Labelling conventions (see also the report printed at the end):
  * PII value = the identifier only, without its label ("MRN: 0048213" -> "0048213",
    "DOB 03/14/1952" -> "03/14/1952", "zip 02139" -> "02139", "94-year-old" -> "94").
  * PERSON = the name as written, without titles (Dr., Mrs.). Clinicians' names are PERSON too.
  * ADDRESS = the whole address as written (street line, plus city/postcode when present);
    pieces = [house number, street name]. A postcode inside an address is not a separate ZIP.
  * AGE only for ages over 89; ages 19-85 in the "distractor_age" family are NOT labelled.
  * Card expiry dates ("exp 08/27") and appointment times are not labelled.
"""

from __future__ import annotations

import datetime as _dt
import json
import random
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

import phonenumbers
import yaml
from phonenumbers import PhoneNumberFormat, PhoneNumberType

SEED = 20250707
HERE = Path(__file__).resolve().parent
POOLS = HERE / "round7_pools.yaml"
OUT = HERE / "round7_held.jsonl"

SLOT = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*?)(\d*)(?:\.(\d))?(?::(cap|upper|lower))?\}")
LEFTOVER = re.compile(r"[{}]")
ARTICLE = re.compile(r"^(the|a|an) ", re.I)


# --------------------------------------------------------------------------- helpers
def fail(msg: str) -> None:
    print("SELF-CHECK FAILED:", msg, file=sys.stderr)
    sys.exit(1)


def check_all_strings(node, path="") -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                fail(f"non-string key {k!r} at {path}")
            check_all_strings(v, f"{path}/{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_all_strings(v, f"{path}[{i}]")
    elif not isinstance(node, str):
        fail(f"non-string YAML value {node!r} at {path}")


def luhn_ok(digits: str) -> bool:
    total, alt = 0, False
    for ch in reversed(digits):
        d = int(ch)
        if alt:
            d *= 2
            if d > 9:
                d -= 9
        total += d
        alt = not alt
    return total % 10 == 0


def luhn_complete(partial: str) -> str:
    for c in "0123456789":
        if luhn_ok(partial + c):
            return partial + c
    raise AssertionError


def ascii_fold(s: str) -> str:
    s = s.translate(str.maketrans({"ð": "d", "Ð": "D", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "ł": "l", "Ł": "L", "đ": "d", "ı": "i"}))
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and (c.isalnum()))


# --------------------------------------------------------------------------- PII builders
class PII:
    def __init__(self, data: dict, rng: random.Random):
        self.d = data
        self.rng = rng
        self.cultures = list(data["names"].keys())

    # ---- names
    def _name_parts(self):
        r = self.rng
        cul = r.choice(self.cultures)
        c = self.d["names"][cul]
        return c["order"], r.choice(c["given"]), r.choice(c["family"])

    def person(self):
        r = self.rng
        order, g, f = self._name_parts()
        x = r.random()
        if order == "fg":
            if x < 0.45:
                v = f"{f} {g}"
            elif x < 0.6:
                v = f"{f.upper()} {g}"
            elif x < 0.8:
                v = f"{g} {f}"
            elif x < 0.9:
                v = f"{f} {g}".lower()
            else:
                v = f"{f}, {g}"
        else:
            if x < 0.5:
                v = f"{g} {f}"
            elif x < 0.6:
                v = f"{f}, {g}"
            elif x < 0.66:
                v = f"{f.upper()}, {g}"
            elif x < 0.78:
                v = f"{g} {f}".lower()
            elif x < 0.84:
                v = f"{g[0]}. {f}"
            elif x < 0.92:
                v = f"{g} {r.choice('ABCDEFGHJKLMNPRSTW')}. {f}"
            else:
                v = f"{g.upper()} {f.upper()}"
        return v, [{"type": "PERSON", "value": v}]

    def surname(self):
        _, _, f = self._name_parts()
        if self.rng.random() < 0.1:
            f = f.lower()
        return f, [{"type": "PERSON", "value": f}]

    def given(self):
        _, g, _ = self._name_parts()
        return g, [{"type": "PERSON", "value": g}]

    # ---- phones
    REGIONS = (["US"] * 14 + ["CA"] * 3 + ["GB"] * 4 + ["AU"] * 2 +
               "IE NZ DE AT CH FR BE NL ES PT IT SE NO DK FI PL CZ GR TR IL AE SA EG ZA NG KE IN PK "
               "BD CN HK TW JP KR SG MY PH TH VN ID MX BR AR CO CL PE".split())
    US_AREAS = "212 617 312 415 713 305 404 206 303 602 919 512 720 646 858 216 414 801 615 504".split()

    def phone(self):
        r = self.rng
        for _ in range(200):
            region = r.choice(self.REGIONS)
            if region in ("US", "CA") and r.random() < 0.7:
                area = r.choice(self.US_AREAS if region == "US" else ["416", "604", "514", "403", "613", "902"])
                exch = "555" if r.random() < 0.4 else str(r.randint(201, 989))
                line = f"01{r.randint(0, 99):02d}" if exch == "555" else f"{r.randint(0, 9999):04d}"
                num = phonenumbers.parse(f"+1{area}{exch}{line}")
            else:
                typ = r.choice([PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE])
                ex = phonenumbers.example_number_for_type(region, typ) or phonenumbers.example_number(region)
                if ex is None:
                    continue
                nsn = phonenumbers.national_significant_number(ex)
                k = min(4, max(1, len(nsn) - 4))
                new = nsn[:-k] + "".join(r.choice("0123456789") for _ in range(k))
                num = phonenumbers.parse(f"+{ex.country_code}{new}")
            if not phonenumbers.is_valid_number(num):
                continue
            region = phonenumbers.region_code_for_number(num)
            v = self._fmt_phone(num, region)
            return v, [{"type": "PHONE", "value": v}], region
        raise RuntimeError("phone generation failed")

    def _fmt_phone(self, num, region):
        r = self.rng
        nat = phonenumbers.format_number(num, PhoneNumberFormat.NATIONAL)
        intl = phonenumbers.format_number(num, PhoneNumberFormat.INTERNATIONAL)
        e164 = phonenumbers.format_number(num, PhoneNumberFormat.E164)
        if num.country_code == 1:
            d = phonenumbers.national_significant_number(num)
            a, b, c = d[:3], d[3:6], d[6:]
            return r.choice([nat, nat, f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a}.{b}.{c}", f"({a}){b}-{c}",
                             f"1-{a}-{b}-{c}", f"+1 ({a}) {b}-{c}", intl, e164, d, f"{a} {b} {c}"])
        x = r.random()
        if x < 0.35:
            return intl
        if x < 0.65:
            return nat
        if x < 0.78:
            return e164
        if x < 0.9:
            return intl.replace(" ", "-")
        return "00" + intl[1:]

    # ---- email
    def email(self):
        r = self.rng
        _, g, f = self._name_parts()
        g, f = ascii_fold(g).lower(), ascii_fold(f).lower()
        if not g or not f:
            g, f = "pat", "lee"
        pat = r.choice(["{g}.{f}", "{g}{f}", "{g0}{f}", "{g}_{f}", "{f}{g0}", "{g}.{f}{n}", "{g}{n}",
                        "{f}.{g}", "{g0}.{f}{n2}", "{g}-{f}"])
        local = pat.format(g=g, f=f, g0=g[0], n=r.randint(1, 99), n2=r.randint(1950, 2005))
        if r.random() < 0.08:
            local = local[:1].upper() + local[1:]
        v = f"{local}@{r.choice(self.d['email_domains'])}"
        return v, [{"type": "EMAIL", "value": v}]

    # ---- SSN
    def ssn(self):
        r = self.rng
        while True:
            a = r.randint(1, 899)
            if a != 666:
                break
        g, s = r.randint(1, 99), r.randint(1, 9999)
        x = r.random()
        sep = "-" if x < 0.7 else (" " if x < 0.85 else "")
        v = f"{a:03d}{sep}{g:02d}{sep}{s:04d}"
        return v, [{"type": "SSN", "value": v}]

    # ---- addresses
    def address(self, street_only=False):
        r = self.rng
        cc = r.choice(list(self.d["streets"].keys()))
        s = self.d["streets"][cc]
        name = r.choice(s["names"])
        place = r.choice(s["places"])
        num = str(r.choice([r.randint(1, 99), r.randint(1, 99), r.randint(100, 999), r.randint(1000, 9999)]))
        pre, post = "", ""
        if cc == "US":
            street = f"{name} {r.choice(s['types'])}"
            post = r.choice(["", "", "", f", Apt {r.randint(1, 40)}{r.choice('ABCD')}", f" #{r.randint(2, 900)}",
                             f", Unit {r.randint(1, 30)}", f", Suite {r.randint(100, 950)}"])
            line = f"{num} {street}{post}"
        elif cc in ("UK", "NZ"):
            num = str(r.randint(1, 240)) + (r.choice("AB") if r.random() < 0.1 else "")
            street = f"{name} {r.choice(s['types'])}"
            pre = r.choice(["", "", "", f"Flat {r.randint(1, 12)}, ", f"Apartment {r.randint(1, 40)}, "])
            line = f"{pre}{num} {street}"
        elif cc == "CA":
            street = f"{name} {r.choice(s['types'])}" + r.choice(["", "", " West", " East", " North"])
            pre = r.choice(["", "", f"Suite {r.randint(100, 2400)}, ", f"Unit {r.randint(1, 40)}, "])
            line = f"{pre}{num} {street}"
        elif cc == "CA_FR":
            street = f"{r.choice(s['types'])} {name}" + r.choice(["", " Ouest", " Est"])
            line = f"{num}, {street}" + r.choice(["", f", app. {r.randint(1, 30)}", f", bureau {r.randint(100, 900)}"])
        elif cc == "AU":
            street = f"{name} {r.choice(s['types'])}"
            pre = r.choice(["", "", f"Unit {r.randint(1, 20)}, ", f"Level {r.randint(2, 30)}, "])
            line = f"{pre}{num} {street}"
        elif cc == "FR":
            street = name
            num = str(r.randint(1, 180))
            line = f"{num} {street}"
        elif cc in ("DE", "AT_CH", "NL_BE", "SE", "IT", "PL"):
            street = name
            num = str(r.randint(1, 180)) + (r.choice("ab") if cc == "DE" and r.random() < 0.15 else "")
            sep = ", " if cc == "IT" and r.random() < 0.4 else " "
            line = f"{street}{sep}{num}"
            if cc == "PL" and r.random() < 0.4:
                line += f" m. {r.randint(1, 60)}"
        elif cc in ("ES", "PT"):
            street = name
            num = str(r.randint(1, 220))
            line = f"{street}, {num}" + r.choice(["", f", {r.randint(1, 9)}º {r.choice(['A', 'B', 'izq.', 'dcha.', 'Esq.', 'Dto.'])}"])
        elif cc == "MX":
            street = name
            line = f"{street} {num}" + r.choice(["", f", int. {r.randint(1, 30)}", f", Depto. {r.randint(101, 804)}"])
        elif cc == "BR":
            street = name
            line = f"{street}, {num}" + r.choice(["", f", apto {r.randint(11, 184)}", f", sala {r.randint(1, 30)}"])
            place = " - " + place if not place.startswith(",") else place
        elif cc == "AR_CO_CL":
            street = name
            if name.startswith(("Carrera", "Calle 9")):
                num = f"{r.randint(10, 140)}-{r.randint(10, 99)}"
                line = f"{street} # {num}"
            else:
                line = f"{street} {num}" + r.choice(["", f", piso {r.randint(1, 20)}", f", of. {r.randint(100, 900)}"])
        elif cc == "JP":
            street = name
            num = f"{r.randint(1, 6)}-{r.randint(1, 30)}-{r.randint(1, 20)}"
            line = f"{num} {street}"
        elif cc == "KR":
            street = name
            line = f"{num} {street}"
        elif cc == "CN_HK_TW":
            street = name
            num = str(r.randint(1, 400))
            line = r.choice([f"{num} {street}", f"No. {num}, {street}",
                             f"Flat {r.randint(1, 40)}{r.choice('ABCDEF')}, {num} {street}"])
        elif cc == "SG_MY":
            street = name
            num = str(r.randint(1, 600))
            pre = "Blk " if "Avenue" in name or "Street" in name else ""
            line = f"{pre}{num} {street}, #{r.randint(2, 40):02d}-{r.randint(1, 150):02d}"
        elif cc == "IN":
            street = name
            num = str(r.randint(1, 300))
            line = r.choice([f"No. {num}, {street}", f"{num} {street}",
                             f"Flat {r.randint(1, 20)}{r.choice('ABC')}, {num} {street}"])
        else:  # PH, ZA_NG_KE
            street = name
            num = str(r.randint(1, 900))
            line = f"{num} {street}"
        if street_only:
            v = line
        else:
            joiner = "" if place.startswith(" - ") else ", "
            v = f"{line}{joiner}{place}"
        return v, [{"type": "ADDRESS", "value": v, "pieces": [num, street]}]

    def zipcode(self):
        r = self.rng
        cc = r.choice(list(self.d["zip_values"].keys()))
        v = r.choice(self.d["zip_values"][cc])
        label = r.choice(self.d["zip_labels"][cc])
        text = f"{label}{v}" if label == "〒" else f"{label} {v}"
        return text, [{"type": "ZIP", "value": v}]

    # ---- dates of birth
    def _date(self):
        r = self.rng
        base = _dt.date(1924, 1, 1)
        return base + _dt.timedelta(days=r.randint(0, 365 * 81))

    def dob(self):
        r = self.rng
        d = self._date()
        mo = self.d["dob_months"]
        opts = [
            f"{d.month:02d}/{d.day:02d}/{d.year}", f"{d.month}/{d.day}/{d.year}", f"{d.month}/{d.day}/{d.year % 100:02d}",
            f"{d.day:02d}/{d.month:02d}/{d.year}", f"{d.year}-{d.month:02d}-{d.day:02d}", f"{d.day:02d}.{d.month:02d}.{d.year}",
            f"{mo['en'][d.month - 1]} {d.day}, {d.year}", f"{d.day} {mo['en'][d.month - 1]} {d.year}",
            f"{mo['en_abbr'][d.month - 1]} {d.day} {d.year}", f"{d.day:02d}-{mo['en_abbr'][d.month - 1]}-{d.year}",
            f"{d.day:02d}{mo['en_abbr'][d.month - 1].upper()}{d.year}", f"{d.month}-{d.day}-{d.year}",
            f"{d.year}/{d.month:02d}/{d.day:02d}", f"{mo['en_abbr'][d.month - 1]}{'' if d.month == 5 else '.'} {d.day}, {d.year}",
        ]
        v = r.choice(opts)
        return v, [{"type": "DATE", "value": v}]

    def dob_local(self):
        r = self.rng
        d = self._date()
        lang = r.choice(["fr", "de", "es", "pt", "it", "nl", "ja", "en"])
        mo = self.d["dob_months"]
        if lang == "fr":
            day = "1er" if d.day == 1 else str(d.day)
            v = r.choice([f"{day} {mo['fr'][d.month - 1]} {d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}"])
        elif lang == "de":
            v = r.choice([f"{d.day}. {mo['de'][d.month - 1]} {d.year}", f"{d.day:02d}.{d.month:02d}.{d.year}"])
        elif lang in ("es", "pt"):
            v = r.choice([f"{d.day} de {mo[lang][d.month - 1]} de {d.year}", f"{d.day:02d}/{d.month:02d}/{d.year}"])
        elif lang in ("it", "nl"):
            v = r.choice([f"{d.day} {mo[lang][d.month - 1]} {d.year}", f"{d.day:02d}-{d.month:02d}-{d.year}"])
        elif lang == "ja":
            v = f"{d.year}年{d.month}月{d.day}日"
        else:
            v = f"{mo['en'][d.month - 1]} {d.day}, {d.year}"
        label = r.choice(self.d["dob_labels"][lang])
        return f"{label} {v}", [{"type": "DATE", "value": v}]

    # ---- MRN
    def mrn(self):
        r = self.rng
        dg = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
        shapes = [
            lambda: dg(r.randint(6, 10)), lambda: "00" + dg(6), lambda: r.choice("AEKMPRZ") + dg(7),
            lambda: f"{dg(2)}-{dg(3)}-{dg(3)}", lambda: f"{dg(3)}-{dg(4)}", lambda: f"{dg(7)}-{dg(1)}",
            lambda: r.choice(["RXH", "MGH", "SJH", "UCH", "KPN"]) + dg(7), lambda: f"PT-{dg(5)}",
            lambda: f"{r.choice(['E', 'H', 'M'])}{dg(8)}", lambda: f"{dg(4)} {dg(4)}",
        ]
        v = r.choice(shapes)()
        label = r.choice(self.d["mrn_labels"])
        sep = "" if label.endswith("#") and r.random() < 0.5 else " "
        return f"{label}{sep}{v}", [{"type": "MRN", "value": v}]

    # ---- cards
    def card(self):
        r = self.rng
        brand = r.choice(["visa", "visa", "mc", "mc2", "amex", "disc", "jcb", "diners", "unionpay"])
        dg = lambda n: "".join(r.choice("0123456789") for _ in range(n))  # noqa: E731
        if brand == "visa":
            num = luhn_complete("4" + dg(14))
        elif brand == "mc":
            num = luhn_complete(str(r.randint(51, 55)) + dg(13))
        elif brand == "mc2":
            num = luhn_complete(str(r.randint(2221, 2720)) + dg(11))
        elif brand == "amex":
            num = luhn_complete(r.choice(["34", "37"]) + dg(12))
        elif brand == "disc":
            num = luhn_complete(r.choice(["6011", "6500", "6511"]) + dg(11))
        elif brand == "jcb":
            num = luhn_complete(str(r.randint(3528, 3589)) + dg(11))
        elif brand == "diners":
            num = luhn_complete("36" + dg(11))
        else:
            num = luhn_complete("62" + dg(13))
        sep = r.choice([" ", " ", "-", ""])
        if len(num) == 15:
            groups = [num[:4], num[4:10], num[10:]]
        elif len(num) == 14:
            groups = [num[:4], num[4:10], num[10:]]
        else:
            groups = [num[i:i + 4] for i in range(0, 16, 4)]
        v = sep.join(groups)
        return v, [{"type": "CARD", "value": v}]

    def age(self):
        v = str(self.rng.choice([90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 100, 101, 102, 104, 106]))
        return v, [{"type": "AGE", "value": v}]


# --------------------------------------------------------------------------- renderer
class Renderer:
    def __init__(self, data: dict, rng: random.Random):
        self.pools = data["pools"]
        self.keep_pools = set(data["keep_pools"])
        self.rng = rng
        self.pii = PII(data, rng)
        self.builders = {
            "PERSON": self.pii.person, "SURNAME": self.pii.surname, "GIVEN": self.pii.given,
            "PHONE": lambda: self.pii.phone()[:2], "EMAIL": self.pii.email, "SSN": self.pii.ssn,
            "ADDRESS": self.pii.address, "STREET": lambda: self.pii.address(street_only=True),
            "DOB": self.pii.dob, "DOBL": self.pii.dob_local, "MRN": self.pii.mrn, "CARD": self.pii.card,
            "ZIP": self.pii.zipcode, "AGE": self.pii.age,
        }

    def render(self, template: str, family: str):
        r = self.rng
        sex = r.choice("FM")
        if family == "pregnancy":
            sex = "F"
        lo, hi = (21, 42) if family == "pregnancy" else (19, 88)
        gen = {
            "he": "she" if sex == "F" else "he", "his": "her" if sex == "F" else "his",
            "him": "her" if sex == "F" else "him", "sexn": "woman" if sex == "F" else "man",
            "sexa": "female" if sex == "F" else "male", "sx": sex,
            "age": str(r.randint(lo, hi)), "age_young": str(r.randint(19, 85)),
            "nsmall": str(r.randint(2, 6)), "nbig": str(r.randint(40, 420)), "pct": str(r.choice([1.2, 2.5, 3, 4.1, 6, 7.8, 9])),
        }
        gen["He"], gen["His"] = gen["he"].capitalize(), gen["his"].capitalize()
        chosen: dict[str, str] = {}        # full slot key -> raw value
        used: dict[str, set] = defaultdict(set)
        pii_out: list[dict] = []
        keep: list[str] = []
        pii_text: dict[str, str] = {}

        def sub(m):
            base, idx, part, mod = m.group(1), m.group(2), m.group(3), m.group(4)
            key = base + idx
            if base in self.builders:
                if key not in pii_text:
                    for _ in range(50):
                        text, labels = self.builders[base]()
                        vals = [lab["value"] for lab in labels]
                        prev = [p["value"] for p in pii_out]
                        if all(v not in pv and pv not in v for v in vals for pv in prev):
                            break
                    pii_text[key] = text
                    pii_out.extend(labels)
                val = pii_text[key]
            elif base in gen and not idx:
                val = gen[base]
            else:
                pool = self.pools.get(base)
                if pool is None:
                    raise KeyError(f"unknown slot {base!r} in {template!r}")
                if key not in chosen:
                    for _ in range(100):
                        v = r.choice(pool)
                        if v not in used[base]:
                            break
                    used[base].add(v)
                    chosen[key] = v
                val = chosen[key]
                if part:
                    val = val.split("|")[int(part) - 1]
                elif "|" in val:
                    raise ValueError(f"pair pool {base} used without .N")
                if base in self.keep_pools:
                    kt = ARTICLE.sub("", val)
                    if kt not in keep:
                        keep.append(kt)
            if mod == "cap":
                val = val[:1].upper() + val[1:]
            elif mod == "upper":
                val = val.upper()
            elif mod == "lower":
                val = val.lower()
            return val

        text = SLOT.sub(sub, template)
        return text, pii_out, keep


def norm(t: str) -> str:
    return " ".join(t.lower().split())


def address_pieces_unique(text: str, labels: list[dict]) -> bool:
    for lab in labels:
        for piece in lab.get("pieces", []):
            pat = r"(?<![0-9A-Za-z])" + re.escape(piece) + r"(?![0-9A-Za-z])"
            if len(re.findall(pat, text)) != 1:
                return False
    return True


# --------------------------------------------------------------------------- main
def main() -> None:
    data = yaml.safe_load(POOLS.read_text(encoding="utf-8"))
    check_all_strings(data)
    rng = random.Random(SEED)
    rend = Renderer(data, rng)
    seen: set[str] = set()
    rows: list[dict] = []

    for set_name, spec in data["sets"].items():
        target = int(spec["count"])
        fams = list(spec["families"].items())
        if len(fams) < 10:
            fail(f"set {set_name} has only {len(fams)} families")
        quota = {f: target // len(fams) + (1 if i < target % len(fams) else 0) for i, (f, _) in enumerate(fams)}
        made = Counter()
        exhausted: set[str] = set()
        # first pass: fill each family's quota; second pass: spill over to families that still produce new text
        for phase in (0, 1):
            order = [f for f, _ in fams]
            while sum(made.values()) < target:
                progress = False
                for fam, templates in fams:
                    if sum(made.values()) >= target:
                        break
                    if fam in exhausted or (phase == 0 and made[fam] >= quota[fam]):
                        continue
                    for _ in range(300):
                        t = rng.choice(templates)
                        text, labels, keep = rend.render(t, fam)
                        if norm(text) in seen:
                            continue
                        if labels and not address_pieces_unique(text, labels):
                            continue
                        break
                    else:
                        exhausted.add(fam)
                        continue
                    seen.add(norm(text))
                    rec = {"text": text, "set": set_name, "family": fam}
                    if set_name == "consumer":
                        rec["keep_terms"] = keep
                    if set_name == "pii":
                        rec["pii"] = labels
                    rows.append(rec)
                    made[fam] += 1
                    progress = True
                if not progress or phase == 0 and all(made[f] >= quota[f] or f in exhausted for f in order):
                    break
        if sum(made.values()) < target:
            fail(f"set {set_name}: only {sum(made.values())} of {target} unique rows")

    rng.shuffle(rows)
    out = []
    for i, rec in enumerate(rows, 1):
        out.append({"id": f"r7-{i:05d}", **rec})

    self_check(out)
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in out:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")

    by_set = Counter(r["set"] for r in out)
    fam_by_set = defaultdict(Counter)
    for r in out:
        fam_by_set[r["set"]][r["family"]] += 1
    print(f"wrote {len(out)} rows to {OUT.relative_to(HERE.parent.parent)}")
    for s, n in by_set.items():
        print(f"  {s:13s} {n:4d}  ({len(fam_by_set[s])} families)")
    types = Counter(p["type"] for r in out for p in r.get("pii", []))
    print("  pii values by type:", dict(sorted(types.items())))


def self_check(rows: list[dict]) -> None:
    ids = set()
    sets = {"reports", "co_reports", "interactions", "off_domain", "consumer", "pii"}
    types = {"PERSON", "PHONE", "EMAIL", "SSN", "ADDRESS", "DATE", "MRN", "CARD", "ZIP", "AGE"}
    texts = set()
    for r in rows:
        if r["id"] in ids:
            fail(f"duplicate id {r['id']}")
        ids.add(r["id"])
        t = r["text"]
        if norm(t) in texts:
            fail(f"duplicate text {t!r}")
        texts.add(norm(t))
        if r["set"] not in sets:
            fail(f"bad set {r['set']}")
        if LEFTOVER.search(t):
            fail(f"unfilled slot in {r['id']}: {t!r}")
        if not t.strip() or t != t.strip():
            fail(f"empty/untrimmed text in {r['id']}")
        for k in r.get("keep_terms", []):
            if k not in t:
                fail(f"keep term {k!r} not in text {r['id']}")
        if r["set"] == "consumer" and not r["keep_terms"]:
            fail(f"consumer row without keep terms {r['id']}")
        if r["set"] == "pii":
            if not 1 <= len(r["pii"]) <= 3:
                fail(f"{r['id']} has {len(r['pii'])} PII values")
        for p in r.get("pii", []):
            if p["type"] not in types:
                fail(f"bad pii type {p}")
            if p["value"] not in t:
                fail(f"pii value {p['value']!r} not in text {r['id']}")
            if p["type"] == "ADDRESS":
                if len(p.get("pieces", [])) != 2 or any(x not in p["value"] for x in p["pieces"]):
                    fail(f"bad address pieces {p} in {r['id']}")
            if p["type"] == "CARD":
                digits = re.sub(r"[ -]", "", p["value"])
                if not digits.isdigit() or not luhn_ok(digits):
                    fail(f"card not Luhn-valid {p['value']!r} in {r['id']}")
            if p["type"] == "AGE" and not (p["value"].isdigit() and int(p["value"]) > 89):
                fail(f"bad AGE {p['value']!r}")
            if p["type"] == "SSN" and len(re.sub(r"\D", "", p["value"])) != 9:
                fail(f"bad SSN {p['value']!r}")
            if p["type"] == "PHONE" and p["value"].startswith(("+", "00")):
                v = p["value"]
                num = phonenumbers.parse("+" + v[2:] if v.startswith("00") else v, None)
                if not phonenumbers.is_valid_number(num):
                    fail(f"invalid phone {v!r} in {r['id']}")

if __name__ == "__main__":
    main()

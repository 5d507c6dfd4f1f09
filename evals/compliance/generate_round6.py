"""Generate evals/compliance/round6_held.jsonl: one held set for a blind measurement (round 6).

Written as an outside tester, without reading the compliance implementation or any earlier
round's sets, pools or generators. Deterministic (fixed seed in round6_pools.yaml).
Nothing is tuned on this set: it is scored once.

    .venv/bin/python evals/compliance/generate_round6.py

Record format:
    {"id", "text", "set": reports|co_reports|interactions|off_domain|consumer|pii, "family",
     "keep_terms": [...] (consumer), "pii": [{"type", "value", "pieces"?}] (pii)}

Templates and pools live in round6_pools.yaml; this file only fills slots and makes PII values.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

import phonenumbers as pn
import yaml
from phonenumbers import PhoneNumberFormat as PNF
from phonenumbers import PhoneNumberType as PNT

HERE = Path(__file__).resolve().parent
POOLS = HERE / "round6_pools.yaml"
OUT = HERE / "round6_held.jsonl"
SET_ORDER = ["reports", "co_reports", "interactions", "off_domain", "consumer", "pii"]
SLOT_RE = re.compile(r"\{([A-Za-z_][\w.]*)\}")
PII_SLOTS = {"PERSON", "PHONE", "EMAIL", "SSN", "ADDRESS", "DOB", "MRN", "CARD", "ZIP", "AGE"}


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


# --------------------------------------------------------------------------- numeric slots

def numeric_slots(r: random.Random) -> dict:
    """Small generators for numbers that appear inside report/lab templates."""
    return {
        "age": lambda: str(r.randint(19, 84)),
        "n_days": lambda: str(r.randint(2, 21)),
        "n_weeks": lambda: str(r.choice([2, 3, 4, 5, 6, 8, 10, 12, 16, 20, 24, 32])),
        "n_months": lambda: str(r.randint(2, 18)),
        "gest_weeks": lambda: str(r.randint(5, 30)),
        "caseno": lambda: f"{r.randint(100, 99999):05d}",
        "naranjo": lambda: str(r.randint(5, 8)),
        "alt": lambda: str(r.randint(180, 1400)),
        "na": lambda: str(r.randint(112, 126)),
        "plt": lambda: str(r.randint(4, 48)),
        "anc": lambda: str(r.randint(1, 8)),
        "eos": lambda: str(r.randint(12, 38)),
        "ck": lambda: f"{r.randint(3, 48)},{r.randint(0, 999):03d}",
        "cr": lambda: f"{r.randint(2, 6)}.{r.randint(0, 9)}",
        "inr": lambda: f"{r.randint(4, 11)}.{r.randint(0, 9)}",
        "xuln": lambda: str(r.randint(3, 15)),
        "tsh": lambda: str(r.randint(12, 90)),
        "hb": lambda: f"{r.randint(5, 8)}.{r.randint(0, 9)}",
        "k": lambda: f"{r.randint(2, 7)}",
        "bili": lambda: f"{r.randint(3, 14)}.{r.randint(0, 9)}",
        "trop": lambda: f"{r.randint(0, 9)}.{r.randint(1, 9)}",
        "ferr": lambda: str(r.randint(2000, 40000)),
        "crp": lambda: str(r.randint(60, 320)),
        "wbc": lambda: f"{r.randint(1, 2)}.{r.randint(0, 9)}",
        "tg": lambda: str(r.randint(600, 2400)),
        "glu": lambda: str(r.randint(240, 560)),
        "lac": lambda: f"{r.randint(4, 9)}.{r.randint(0, 9)}",
        "qtc": lambda: str(r.randint(500, 590)),
        "cyc": lambda: str(r.randint(350, 900)),
        "theo": lambda: str(r.randint(24, 45)),
        "tac": lambda: str(r.randint(18, 40)),
        "phen": lambda: str(r.randint(28, 50)),
    }


# --------------------------------------------------------------------------- slot filler

class Filler:
    def __init__(self, r: random.Random, pools: dict):
        self.r = r
        self.pools = pools
        self.nums = numeric_slots(r)

    def fill(self, template: str, local: dict | None = None, ctx: dict | None = None,
             keep_pools: set | None = None, pii_maker=None):
        """Fill one template. Returns (text, keep_terms, pii_records)."""
        local = local or {}
        ctx = dict(ctx or {})
        cache: dict[str, str] = {}      # lower-cased slot name -> value
        used: dict[str, set] = {}       # pool -> values already drawn
        keep: list[str] = []
        pii: list[dict] = []

        def draw(pool_name: str) -> str:
            pool = local.get(pool_name, self.pools.get(pool_name))
            if pool is None:
                raise KeyError(f"no pool {pool_name!r} for template {template!r}")
            seen = used.setdefault(pool_name, set())
            choices = [v for v in pool if v not in seen] or list(pool)
            v = str(self.r.choice(choices))
            seen.add(v)
            return v

        def resolve(name: str) -> str:
            base = re.sub(r"\d+$", "", name)
            if pii_maker is not None and base in PII_SLOTS | {"DOB_de", "DOB_fr", "DOB_es"}:
                value, rec = pii_maker(name)
                pii.append(rec)
                return value
            key = name.lower()
            if key in ctx:
                v = ctx[key]
                return cap(v) if name[0].isupper() else v
            if key not in cache:
                if "." in key:  # pair pool: bg_pair.0
                    pool_name, idx = key.split(".")
                    pkey = pool_name + "#pair"
                    if pkey not in cache:
                        cache[pkey] = draw(pool_name)
                    v = cache[pkey].split("|")[int(idx)]
                    v = SLOT_RE.sub(lambda m: self.nums[re.sub(r"\d+$", "", m.group(1))](), v)
                    cache[key] = v
                    if keep_pools and key in keep_pools:
                        keep.append(v)
                    return cap(v) if name[0].isupper() else v
                pool_base = re.sub(r"\d+$", "", key)
                if pool_base in self.nums and pool_base not in local and pool_base not in self.pools:
                    v = self.nums[pool_base]()
                else:
                    v = draw(pool_base)
                # pool values may contain nested numeric slots ({alt} etc.)
                v = SLOT_RE.sub(lambda m: self.nums[re.sub(r"\d+$", "", m.group(1))](), v)
                cache[key] = v
                out = cap(v) if name[0].isupper() else v
                if keep_pools and (key in keep_pools or pool_base in keep_pools):
                    keep.append(out)
                return out
            v = cache[key]
            return cap(v) if name[0].isupper() else v

        text = SLOT_RE.sub(lambda m: resolve(m.group(1)), template)
        return text, keep, pii


def person_ctx(r: random.Random, force_sex: str | None = None) -> dict:
    sex = force_sex or r.choice("FM")
    if sex == "F":
        return {"pron": "she", "poss": "her", "obj": "her", "sexadj": "female",
                "person": r.choice(["woman", "woman", "female", "female patient", "lady"])}
    return {"pron": "he", "poss": "his", "obj": "him", "sexadj": "male",
            "person": r.choice(["man", "man", "male", "male patient", "gentleman"])}


# --------------------------------------------------------------------------- PII value makers

def ascii_fold(s: str) -> str:
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("ð", "d").replace("ł", "l").replace("Ł", "L")
    s = s.replace("ı", "i").replace("æ", "ae").replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()


def luhn_complete(prefix: str, length: int, r: random.Random) -> str:
    body = prefix + "".join(str(r.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(body)):
        d = int(ch)
        if i % 2 == 0:  # these positions get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return body + str((10 - total % 10) % 10)


def luhn_ok(num: str) -> bool:
    digits = [int(c) for c in num if c.isdigit()]
    s = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        s += d
    return s % 10 == 0


class PIIMaker:
    def __init__(self, r: random.Random, pp: dict):
        self.r = r
        self.pp = pp
        self.cultures = sorted(pp["names"])

    # names -------------------------------------------------------------
    def person(self) -> str:
        r = self.r
        c = self.pp["names"][r.choice(self.cultures)]
        given, family = r.choice(c["given"]), r.choice(c["family"])
        order = c["order"]
        if order == "either":
            order = r.choice(["given_first", "family_first"])
        if r.random() < 0.12 and order == "given_first":  # middle initial
            given = f"{given} {r.choice('ABCDEFGHJKLMNPRSTW')}."
        name = f"{family} {given}" if order == "family_first" else f"{given} {family}"
        if r.random() < 0.05:
            name = f"{family.upper()}, {given}" if order == "given_first" else name
        if r.random() < 0.13:
            name = name.lower()
        return name

    # phone -------------------------------------------------------------
    def phone(self) -> str:
        r = self.r
        region = r.choice(self.pp["phone_regions"])
        ptype = r.choice([PNT.FIXED_LINE, PNT.MOBILE, PNT.MOBILE])
        ex = pn.example_number_for_type(region, ptype) or pn.example_number(region)
        num = ex
        e164 = pn.format_number(ex, PNF.E164)
        for _ in range(12):
            k = r.randint(1, 3)
            cand = e164[:-k] + "".join(str(r.randint(0, 9)) for _ in range(k))
            try:
                p = pn.parse(cand, None)
            except pn.NumberParseException:
                continue
            if pn.is_valid_number(p) and pn.number_type(p) == pn.number_type(ex):
                num = p
                break
        fmt = r.choices([PNF.INTERNATIONAL, PNF.NATIONAL, PNF.E164], weights=[5, 5, 1])[0]
        return pn.format_number(num, fmt)

    # email -------------------------------------------------------------
    def email(self) -> str:
        r = self.r
        dom = r.choice(self.pp["email_domains"])
        if r.random() < 0.7:
            nm = ascii_fold(self.person()).lower().replace(",", "")
            parts = [re.sub(r"[^a-z0-9]", "", p) for p in nm.split()]
            parts = [p for p in parts if p] or ["patient"]
            style = r.randint(0, 4)
            if style == 0:
                local = ".".join(parts)
            elif style == 1:
                local = parts[0][0] + parts[-1]
            elif style == 2:
                local = "_".join(parts) + str(r.randint(1, 99))
            elif style == 3:
                local = parts[-1] + "." + parts[0][0]
            else:
                local = parts[0] + str(r.randint(1950, 2004))
        else:
            local = r.choice(self.pp["email_words"]) + r.choice(["", ".", "_"]) + str(r.randint(1, 9999))
        return f"{local}@{dom}"

    # ssn ---------------------------------------------------------------
    def ssn(self) -> str:
        r = self.r
        area = r.choice([a for a in range(1, 900) if a != 666])
        grp, ser = r.randint(1, 99), r.randint(1, 9999)
        sep = r.choices(["-", " ", ""], weights=[6, 2, 1])[0]
        return f"{area:03d}{sep}{grp:02d}{sep}{ser:04d}"

    # address -----------------------------------------------------------
    def address(self):
        r = self.r
        region = r.choice(sorted(self.pp["streets"]))
        spec = self.pp["streets"][region]
        name = r.choice(spec["names"])
        if region == "us":
            name = r.choice(spec["prefixes"]) + name + " " + r.choice(spec["suffixes"])
        style = spec["style"]
        if style == "colombian":
            number = f"{r.randint(2, 120)}-{r.randint(10, 99)}"
            sep = r.choice([" # ", " No. ", " #"])
            value = f"{name}{sep}{number}"
        else:
            n = r.randint(1, 9800 if region == "us" else 240)
            number = str(n) + (r.choice(["a", "b", "A", "bis"]) if region in {"de", "nl", "fr"} and r.random() < 0.15 else "")
            if style == "num_first":
                value = f"{number}{',' if region == 'fr' and r.random() < 0.3 else ''} {name}"
            elif style == "num_after_comma":
                value = f"{name}, {number}" if r.random() < 0.6 else f"{name} {number}"
            else:
                value = f"{name} {number}"
        city_key = {"co": "latam"}.get(region, region)
        if r.random() < 0.35 and city_key in self.pp["cities"]:
            value = f"{value}, {r.choice(self.pp['cities'][city_key])}"
        return value, [number, name]

    # dob ---------------------------------------------------------------
    def dob(self, lang: str | None = None) -> str:
        r = self.r
        d = dt.date(1919, 1, 1) + dt.timedelta(days=r.randint(0, 31000))
        M = self.pp["months"]
        day, mon, y = d.day, d.month, d.year
        sfx = "th" if 11 <= day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
        en = M["en"][mon - 1]
        by_lang = {
            "de": [f"{day}. {M['de'][mon-1]} {y}", f"{day} {M['de'][mon-1]} {y}", f"{day:02d}.{mon:02d}.{y}", f"{day}.{mon}.{y % 100:02d}"],
            "fr": [f"{'1er' if day == 1 else day} {M['fr'][mon-1]} {y}", f"{day:02d}/{mon:02d}/{y}"],
            "es": [f"{day} de {M['es'][mon-1]} de {y}", f"{day:02d}/{mon:02d}/{y}", f"{day}-{mon}-{y}"],
        }
        if lang in by_lang:
            return r.choice(by_lang[lang])
        fmts = [
            f"{day:02d}/{mon:02d}/{y}", f"{mon:02d}/{day:02d}/{y}", f"{mon}/{day}/{y % 100:02d}", f"{y}-{mon:02d}-{day:02d}",
            f"{day:02d}.{mon:02d}.{y}", f"{y}/{mon:02d}/{day:02d}", f"{en} {day}, {y}", f"{en} {day}{sfx} {y % 100:02d}",
            f"{en[:3]} {day}, {y}", f"{day} {en[:3]} {y}", f"{day:02d}-{en[:3]}-{y}", f"{day:02d}{en[:3].upper()}{y}",
            f"{day}{sfx} of {en} {y}", f"{day} {en} {y}", f"{y}年{mon}月{day}日", f"{y}.{mon:02d}.{day:02d}",
            f"{day}. {M['de'][mon-1]} {y}", f"{day} {M['de'][mon-1]} {y}", f"{day} de {M['es'][mon-1]} de {y}",
            f"{day} {M['fr'][mon-1]} {y}", f"{day} {M['it'][mon-1]} {y}", f"{day} de {M['pt'][mon-1]} de {y}",
            f"{day} {M['nl'][mon-1]} {y}", f"{day} {M['pl'][mon-1]} {y}", f"{day} {M['tr'][mon-1]} {y}",
            f"{en.lower()} {day} {y}", f"{mon}-{day}-{y}",
        ]
        return r.choice(fmts)

    # mrn ---------------------------------------------------------------
    def mrn(self) -> str:
        r = self.r
        style = r.randint(0, 6)
        if style == 0:
            return str(r.randint(1000000, 99999999))
        if style == 1:
            return f"{r.choice('ABHMKPRZ')}{r.randint(100000, 9999999)}"
        if style == 2:
            return f"{r.randint(10, 99)}-{r.randint(100, 999)}-{r.randint(100, 999)}"
        if style == 3:
            return f"{r.randint(0, 99):02d}{r.randint(0, 999999):06d}"
        if style == 4:
            return f"MR-{r.randint(2015, 2025)}-{r.randint(1, 999999):06d}"
        if style == 5:
            return f"{r.choice(['E', 'H', 'U'])}{r.randint(10, 99)}{r.choice('ABCDEFGH')}{r.randint(1000, 9999)}"
        return f"{r.randint(100, 999)} {r.randint(100, 999)} {r.randint(1000, 9999)}"

    # card --------------------------------------------------------------
    def card(self) -> str:
        r = self.r
        kind = r.choice(["visa", "visa", "mc", "amex", "disc"])
        if kind == "amex":
            num = luhn_complete(r.choice(["34", "37"]), 15, r)
            groups = [num[:4], num[4:10], num[10:]]
        else:
            prefix = {"visa": "4", "mc": str(r.randint(51, 55)), "disc": "6011"}[kind]
            num = luhn_complete(prefix, 16, r)
            groups = [num[i:i + 4] for i in range(0, 16, 4)]
        assert luhn_ok(num)
        sep = r.choices([" ", "-", ""], weights=[5, 3, 2])[0]
        return sep.join(groups)

    # zip / age ---------------------------------------------------------
    def zip(self) -> str:
        r = self.r
        z = f"{r.randint(1001, 99950):05d}"
        return z + (f"-{r.randint(1, 9999):04d}" if r.random() < 0.3 else "")

    def age(self) -> str:
        return str(self.r.choice(list(range(90, 106)) + [90, 91, 92, 93, 94, 95]))

    def make(self, slot: str):
        base = re.sub(r"\d+$", "", slot)
        if base.startswith("DOB"):
            lang = base.split("_")[1] if "_" in base else None
            return self.dob(lang), {"type": "DATE"}
        if base == "ADDRESS":
            value, pieces = self.address()
            return value, {"type": "ADDRESS", "pieces": pieces}
        fn = {"PERSON": self.person, "PHONE": self.phone, "EMAIL": self.email, "SSN": self.ssn,
              "MRN": self.mrn, "CARD": self.card, "ZIP": self.zip, "AGE": self.age}[base]
        return fn(), {"type": base}


# --------------------------------------------------------------------------- set builders

def family_specs(set_cfg: dict):
    """Yield (family_name, templates, local_slots) in file order."""
    fams = set_cfg["families"]
    shared = set_cfg.get("slots", {})
    for name, spec in fams.items():
        if isinstance(spec, list):
            yield name, spec, shared
        else:
            local = dict(shared)
            local.update(spec.get("slots", {}))
            yield name, spec["templates"], local


def build_set(set_name: str, cfg: dict, pools: dict, r: random.Random, pii_pools: dict, seen: set) -> list[dict]:
    target = cfg["targets"][set_name]
    set_cfg = cfg["sets"][set_name]
    keep_pools = set(set_cfg.get("keep_pools", []))
    filler = Filler(r, pools)
    maker = PIIMaker(r, pii_pools) if set_name == "pii" else None
    fams = list(family_specs(set_cfg))
    rows: list[dict] = []
    misses = 0
    i = 0
    while len(rows) < target:
        fam, templates, local = fams[i % len(fams)]
        i += 1
        tpl = r.choice(templates)
        force = "F" if fam == "pregnancy" and ("she" in tpl or "woman" in tpl or "Pron" in tpl) else None
        ctx = person_ctx(r, force)
        pii_records: list[dict] = []

        def pii_maker(slot):
            value, rec = maker.make(slot)
            rec = dict(rec, value=value)
            return value, rec

        text, keep, pii = filler.fill(tpl, local, ctx, keep_pools, pii_maker if maker else None)
        text = re.sub(r"\s+", " ", text).strip()
        if text in seen:
            misses += 1
            if misses > 20 * target:
                raise SystemExit(f"{set_name}: cannot reach {target} unique rows (got {len(rows)})")
            continue
        rec = {"text": text, "set": set_name, "family": fam}
        if set_name == "consumer":
            terms = []
            for t in keep:
                if t not in terms:
                    terms.append(t)
            rec["keep_terms"] = terms
        if set_name == "pii":
            ok = True
            for p in pii:
                v = p["value"]
                if v not in text:
                    ok = False
                if len(v) <= 6 and text.count(v) != 1:   # short values (AGE, ZIP) must be unambiguous
                    ok = False
                if any(v != q["value"] and v in q["value"] for q in pii):
                    ok = False
            if not ok:
                continue
            rec["pii"] = pii
        seen.add(text)
        rows.append(rec)
    return rows


def self_check(rows: list[dict], cfg: dict) -> None:
    """Cheap sanity checks: O(n) only."""
    drug_words = re.compile(r"quelv|qlv", re.I)
    for rec in rows:
        t, s = rec["text"], rec["set"]
        assert "{" not in t and "}" not in t, rec
        if s in ("reports", "co_reports", "interactions"):
            assert drug_words.search(t), rec
        if s == "off_domain":
            assert not drug_words.search(t), rec
        if s == "consumer":
            assert rec["keep_terms"], rec
            for k in rec["keep_terms"]:
                assert k in t, (k, rec)
        if s == "pii":
            assert 1 <= len(rec["pii"]) <= 3, rec
            for p in rec["pii"]:
                assert p["value"] in t, rec
                if p["type"] == "ADDRESS":
                    assert all(piece in p["value"] for piece in p["pieces"]), rec
                if p["type"] == "CARD":
                    assert luhn_ok(p["value"]), rec
                if p["type"] == "AGE":
                    assert int(p["value"]) > 89, rec
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    assert len({r["text"] for r in rows}) == len(rows)


def check_strings(node, path="") -> None:
    """YAML 1.1 turns bare NO/yes/on into booleans and 1.5 into floats: every leaf must be a string."""
    if isinstance(node, dict):
        for k, v in node.items():
            check_strings(v, f"{path}.{k}")
    elif isinstance(node, list):
        for i, v in enumerate(node):
            check_strings(v, f"{path}[{i}]")
    elif not isinstance(node, str):
        raise SystemExit(f"non-string value {node!r} at {path} in {POOLS.name}")


def main() -> int:
    cfg = yaml.safe_load(POOLS.read_text(encoding="utf-8"))
    check_strings({k: cfg[k] for k in ("pools", "sets", "pii_pools")})
    r = random.Random(cfg["seed"])
    pools = cfg["pools"]
    seen: set[str] = set()
    rows: list[dict] = []
    for set_name in SET_ORDER:
        set_pools = dict(pools)
        rows.extend(build_set(set_name, cfg, set_pools, r, cfg["pii_pools"], seen))
    r.shuffle(rows)
    out_rows = []
    for n, rec in enumerate(rows, 1):
        out_rows.append({"id": f"r6-{n:05d}", **rec})
    self_check(out_rows, cfg)
    with OUT.open("w", encoding="utf-8") as fh:
        for rec in out_rows:
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
    by_set = Counter(r["set"] for r in out_rows)
    fams = Counter((r["set"], r["family"]) for r in out_rows)
    for s in SET_ORDER:
        nf = sum(1 for (ss, _f) in fams if ss == s)
        print(f"{s:13s} {by_set[s]:5d} rows  {nf:3d} families")
    print(f"{'total':13s} {len(out_rows):5d} rows -> {OUT.relative_to(HERE.parent.parent)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

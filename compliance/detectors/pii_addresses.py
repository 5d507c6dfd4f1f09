"""Street addresses in European and other non-US orders, from the vocabulary in `vocab/addresses.yaml`.

usaddress (a US tagger, `pii_libraries.addresses`) reads "12 Elm Street, Boise ID"; these rules read the
orders it does not: a type word before the name ("12 rue de la Paix", "Via Roma 10", "Calle Mayor 3",
"ul. Długa 5/7") and a one-word name ending in its type ("Hauptstraße 5", "Kerkgracht 12"). Each rule
is one function returning candidates; the street name is read word by word and ends at punctuation or
at an everyday English word ("Via Roma 10 for the visit").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon, is_english_word

Candidate = tuple[int, int, PiiType, str, int]
_VOCAB = Path(__file__).resolve().parents[1] / "vocab" / "addresses.yaml"
_DIGIT = re.compile(r"\d")
_NUMBER = r"\d{1,5}[a-zA-Z]?(?:/\d{1,4}[a-zA-Z]?)?"
# After the street: a postcode and a town ("75002 Paris", "00-950 Warszawa", "1011 AB Amsterdam").
_POSTCODE_TOWN = re.compile(
    r"\s*,?\s*(?:[A-Z]-)?(?:\d{3,5}|\d{2}-\d{3}|\d{4}\s?[A-Z]{2})\s+[^\W\d_][\w'-]*(?:\s+\d{1,2}\b)?"
)
# Or a capitalised town straight after the street ("Avenida del Sol 10, Madrid").
_TOWN = re.compile(r",\s*([A-ZÀ-ÖØ-Ý][^\W\d_]*(?:[ -][A-ZÀ-ÖØ-Ý][^\W\d_]*)?(?:\s\d{1,2})?)(?=\s*(?:[,.;:)!?]|$))")


@dataclass(frozen=True)
class _Rules:
    number_first: re.Pattern[str]
    type_first: re.Pattern[str]
    compound: re.Pattern[str]
    particles: frozenset[str]
    name_then_type: re.Pattern[str]
    number_prefix: str
    house_then_locality: re.Pattern[str]


def _alternation(words: list[str]) -> str:
    """The words and their accent-free spellings ("út" and "ut"): stage 1 of normalisation drops accents."""
    plain = [unicodedata.normalize("NFKD", w).encode("ascii", "ignore").decode() for w in words]
    return "|".join(re.escape(w) for w in sorted(set(words) | {p for p in plain if p}, key=len, reverse=True))


@cache
def _rules() -> _Rules:
    data = yaml.safe_load(_VOCAB.read_text(encoding="utf-8"))
    before = _alternation([str(w) for w in data["types_before"]])
    suffixes = _alternation([str(w) for w in data["compound_suffixes"]])
    number_suffix = _alternation([str(w) for w in data["number_suffixes"]])
    number = rf"{_NUMBER}(?:\s+(?:{number_suffix})\b)?"
    return _Rules(
        # not inside a word or a number, but after a unit joined by a dash ("Suite 500-31 Rue Sherbrooke Est")
        number_first=re.compile(
            rf"(?<![\w/.,])(?<![^\W\d_]-){number},?\s+(?P<type>{before})(?=\s)", re.IGNORECASE
        ),
        type_first=re.compile(rf"(?<![\w/])(?P<type>{before})(?=\s)", re.IGNORECASE),
        compound=re.compile(
            rf"(?<![\w-])(?P<name>[^\W\d_][\w'-]*?(?:{suffixes}))\s+(?P<num>{number})(?![\w/])", re.IGNORECASE
        ),
        particles=frozenset(str(w).lower() for w in data["particles"]),
        name_then_type=re.compile(
            rf"(?<![\w-])(?P<name>[^\W\d_][\w'’-]*(?:[ ][^\W\d_][\w'’-]*){{0,2}})[ ](?P<type>"
            rf"{_alternation([str(w) for w in data['types_after']])})[ ]+(?P<num>{number})(?![\w/])",
            re.IGNORECASE,
        ),
        number_prefix=r"(?:(?:" + "|".join(str(p) for p in data["number_prefixes"]) + r")\s*)?",
        house_then_locality=re.compile(
            r"(?<![\w/.-])(?:[A-Z]{1,2}-?)?\d{1,5}[A-Za-z]?(?:/\d{1,4})?,\s+(?:\d{1,2}(?:st|nd|rd|th)\s+)?"
            r"(?-i:[A-Z][\w'’-]*\s+){1,3}(?:" + _alternation([str(w) for w in data["locality_types"]]) + r")\b",
            re.IGNORECASE,
        ),
    )


_NEXT_WORD = re.compile(r"[ \t]+([^\W\d_][\w'’-]*)")
# A Roman numeral inside a street name: "Corso xx settembre", "Via IV Novembre", "Piazza XXV Aprile".
_ROMAN = re.compile(r"(?i)(?=[ivxlc])x{0,3}(?:ix|iv|v?i{0,3})|(?=[ivxlc])(?:xl|l?x{0,3})(?:ix|iv|v?i{0,3})")


def _name_end(text: str, pos: int, lex: Lexicon, rules: _Rules, max_words: int = 5) -> int:
    """End of the street name after `pos`: words joined by spaces, each a particle, capitalised or not
    an English word; `pos` itself when no name word follows."""
    i = end = pos
    for _ in range(max_words):
        m = _NEXT_WORD.match(text, i)
        if not m:
            break
        word = m.group(1)
        low = word.lower()
        if re.fullmatch(rules.number_prefix, low + ".") and re.match(r"\.?\s*\d", text[m.end() :]):
            break  # "Strada Lipscani nr. 5": the house number follows
        if _ROMAN.fullmatch(low) and re.match(rf"\s*,?\s*{_NUMBER}(?![\w/])", text[m.end() :]):
            i = end = m.end()  # "Corso Vittorio Emanuele II 214": a regnal number ends the name
            break
        if low in rules.particles or _ROMAN.fullmatch(low):
            i = m.end()  # inside the name only if a name word follows ("via iv 2 times" is no street)
            continue
        if low in lex.drugs or low in lex.known_terms or low in lex.terminology_events:
            break  # "switched via Humira 2 weeks ago": a drug or a term is never a street name
        if not word[:1].isupper() and low not in lex.first_names and is_english_word(low, lex.english_words):
            break  # "via email 2 times": an everyday word ends the name (a given name does not: "victor hugo")
        i = end = m.end()
    if i > end and _number_follows(text, i):
        end = i  # "Av. Insurgentes Sur 1602": a direction word ends the name right before the number
    return end


def _number_follows(text: str, pos: int) -> bool:
    return re.match(r"\s*,?\s*\d", text[pos:]) is not None


def _with_town(text: str, end: int) -> int:
    m = _POSTCODE_TOWN.match(text, end) or _TOWN.match(text, end)
    return m.end() if m else end


def number_then_type(text: str, lex: Lexicon) -> list[Candidate]:
    """ "12 rue de la Paix, 75002 Paris", "5 avenue Victor Hugo", "3 bis boulevard Saint-Michel"."""
    rules, out = _rules(), []
    for m in rules.number_first.finditer(text):
        end = _name_end(text, m.end(), lex, rules)
        if end > m.end():
            out.append((m.start(), _with_town(text, end), PiiType.ADDRESS, "address:number_type_name", 8))
    return out


def type_then_number(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Via Roma 10", "Calle de Alcalá 45", "ul. Długa 5/7, 00-950 Warszawa", "Rua das Flores 210"."""
    rules, out = _rules(), []
    for m in rules.type_first.finditer(text):
        end = _name_end(text, m.end(), lex, rules)
        if end == m.end():
            continue
        num = re.match(rf"\s*,?\s*{rules.number_prefix}{_NUMBER}(?![\w/])", text[end:])
        if num:
            out.append(
                (m.start(), _with_town(text, end + num.end()), PiiType.ADDRESS, "address:type_name_number", 8)
            )
    return out


def compound_then_number(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Hauptstraße 5", "Lindenweg 12a", "Kerkgracht 221": the street's type ends its name, joined to it or
    as a word of its own ("Karl Johans gate 10", "Andrássy út 22", see `_name_then_type_word`)."""
    out = _name_then_type_word(text, lex)
    for m in _rules().compound.finditer(text):
        if is_english_word(m.group("name").lower(), lex.english_words):
            continue  # "during 3 weeks", "string 2": English words that end like a street type
        out.append((m.start(), _with_town(text, m.end()), PiiType.ADDRESS, "address:compound_number", 8))
    return out


def _name_then_type_word(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Karl Johans gate 10", "Andrássy út 22", "Váci utca 5": the name, a separate type word, the number.

    Every word of the name is capitalised or not an English word, so "meet at gate 12" is no street.
    """
    rules, out = _rules(), []
    for m in rules.name_then_type.finditer(text):
        words = m.group("name").split(" ")
        # Keep the longest tail of name words ("lives at Karl Johans gate 10": not "at").
        keep = len(words)
        for k in range(len(words) - 1, -1, -1):
            w = words[k]
            if not (w[:1].isupper() or w.lower() not in lex.english_words) or w.lower() in lex.drugs:
                break
            keep = k
        if keep == len(words):
            continue
        start = m.start("name") + sum(len(w) + 1 for w in words[:keep])
        out.append((start, _with_town(text, m.end()), PiiType.ADDRESS, "address:name_type_number", 8))
    return out


# A name with no type word, a house number with a flat ("Vinohradská 1511/230") or a postcode and town after
# it ("Laugavegur 46, 101 Reykjavík"): the number's shape or the town makes it an address.
_NAME_NUMBER = re.compile(
    r"(?<![\w-])(?P<name>[A-ZÀ-ÖØ-Ý][^\W\d_]+(?:[ ][A-ZÀ-ÖØ-Ý][^\W\d_]+){0,2})[ ]+"
    r"(?P<num>\d{1,5}[a-zA-Z]?(?P<flat>/\d{1,4}[a-zA-Z]?)?)(?![\w/])"
)


def name_then_number(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Vinohradská 1511/230, Praha 10", "Laugavegur 46, 101 Reykjavík", "Am Markt 3, 50667 Köln": no type
    word, but a flat number or a postcode and town; every name word but a leading particle is outside English,
    the drugs and the terms."""
    out = []
    particles = _rules().particles
    for m in _NAME_NUMBER.finditer(text):
        words = [w.lower() for w in m.group("name").split(" ")]
        while len(words) > 1 and words[0] in particles:
            words = words[1:]
        if any(is_english_word(w, lex.english_words) or w in lex.drugs or w in lex.known_terms for w in words):
            continue
        end = _with_town(text, m.end())
        if m.group("flat") is None and end == m.end():
            continue
        out.append((m.start(), end, PiiType.ADDRESS, "address:name_number", 7))
    return out


# The towns after a South Asian locality, and a six-digit PIN code: ", Indiranagar, Bengaluru 560038".
_TOWNS_PIN = re.compile(r"(?:\s*,\s*[A-Z][\w'’-]*(?:\s[A-Z][\w'’-]*)?){0,3}(?:\s*[-,]?\s*\d{6}(?!\d))?")


def house_then_locality(text: str, lex: Lexicon) -> list[Candidate]:
    """ "B-17, Lajpat Nagar, New Delhi 110024", "42, 4th Cross Road, Indiranagar, Bengaluru 560038"."""
    out = []
    for m in _rules().house_then_locality.finditer(text):
        end = _TOWNS_PIN.match(text, m.end())
        out.append((m.start(), end.end() if end else m.end(), PiiType.ADDRESS, "address:house_locality", 8))
    return out


# A post box in many countries' words ("Postfach 62 81 50", "Caixa Postal 123", "BP 494, 44028 Nantes Cedex"); the
# French "BP" (also blood pressure) only with a postcode and a town after it.
_POST_BOX = re.compile(
    r"\b(?:p\.?\s?o\.?\s*box|post(?:al)? office box|postfach|postbus|postboks|postbox|caixa postal|apartado(?: de "
    r"correos)?|casilla(?: de correos?)?|case postale|bo[iî]te postale|casella postale|skr\.?\s?poczt\.?|"
    r"skrytka pocztowa|(?:rural route|rr|hc|star route|psc)\s+\d{1,4},?\s+box)\s*(?:no\.?\s*)?"
    r"\d[\d ]{0,10}\d?\b|\bB\.?P\.?\s\d{1,5}(?=\s*,?\s*\d{5}\s+[A-Z])",
    re.IGNORECASE,
)


# A German street named by its preposition ("Am Rosengarten 215", "An der Alster 4", "Im Winkel 3a"), and a
# Canadian postcode ("R3C 3J6"), which no other rule reads.
_GERMAN_PREPOSITION_STREET = re.compile(
    r"\b(?:Am|An der|An den|Im|Auf der|Auf dem|Zum|Zur|In der|In den|Unter den|Hinter der|Vor dem)\s+"
    r"[A-ZÄÖÜ][\wäöüß-]+\s+\d{1,4}[a-z]?\b"
)
_CANADIAN_POSTCODE = re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ -]?\d[ABCEGHJ-NPRSTV-Z]\d\b")


def preposition_street_or_canadian_postcode(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Am Rosengarten 215, 3. OG", "Winnipeg, MB R3C 3J6"."""
    streets = [
        (m.start(), m.end(), PiiType.ADDRESS, "address:preposition_street", 8)
        for m in _GERMAN_PREPOSITION_STREET.finditer(text)
    ]
    codes = [
        (m.start(), m.end(), PiiType.ADDRESS, "address:ca_postcode", 7) for m in _CANADIAN_POSTCODE.finditer(text)
    ]
    return streets + codes


def post_box(text: str, lex: Lexicon) -> list[Candidate]:
    """ "Postfach 62 81 50, 70079 Stuttgart", "PO Box 3107", "BP 260, 44074 Nantes Cedex"."""
    return [(m.start(), m.end(), PiiType.ADDRESS, "address:post_box", 8) for m in _POST_BOX.finditer(text)]


RULES = (
    number_then_type,
    type_then_number,
    compound_then_number,
    name_then_number,
    house_then_locality,
    post_box,
    preposition_street_or_canadian_postcode,
)

# What belongs to a street address on either side of it, in many countries' formats: the flat or unit ("Apartment
# 3, 85 Patrick Street", "Unit 65/526 Oxford Street", "Via Garibaldi 61, int. 4", "Calle Mayor 76, 8º B",
# "Bahnhofstr. 12, 3. OG", "Am Markt 146, Whg. 6", "Keizersgracht 245 hs"), then the town and postcode in either
# order ("08616 Barcelona", "Seoul 04193", "Sydney NSW 2078", "Leeds LS6 6FB", "São Paulo - SP, 01291-113").
_UNIT_WORD = (
    r"(?:int|interno|apt|apto|apartment|appartement|unit|flat|suite|ste|room|rm|whg|wohnung|piso|puerta|"
    r"dpto|depto|esc|bus|bte|floor|fl|etage|stock|sala|scala|casa|andar|bloco|bloque|portal|stiege|top|lgh)"
)
_UNIT_BEFORE = re.compile(
    r"(?:" + _UNIT_WORD + r"\.?\s*#?\s*[\w-]{1,6}|#\s?\d{1,5})(?:\s*[/,-]\s*|\s+)$", re.IGNORECASE
)
_UNIT_AFTER = re.compile(
    # (stage-1 normalisation writes "8º B" as "8o B")
    r"\s*(?:,|\s-)?\s*(?:" + _UNIT_WORD + r"\.?\s*#?\s*[\w/-]{1,6}|\d{1,2}\s?[º°ªo](?:\s?[A-Za-z]{1,4}\b\.?)?|"
    r"\d{1,2}\.\s?(?:OG|Stock|Etage|og|stock|etage)\b|#\s?\d{1,5}\b|(?:hs|bis|ter|huis)\b|"
    # "3e étage", "2ème étage"; a Dutch floor joined to the number ("78-II", "107-3hg")
    r"(?:\d{1,2}\s?(?:e|er|ère|ème|eme)\s+)?[ée]tage\b)|-(?:[IVX]{1,4}|\d?hg|\d?hoog|hs)\b",
    re.IGNORECASE,
)
_UNIT_NUMBER = re.compile(r"\.?\s*#?\s*\d{1,5}[A-Za-z]?\b")
_POSTCODE = (
    r"(?:\d{5}-\d{3}|\d{3}-\d{4}|\d{2}-\d{3}|\d{4}\s?[A-Z]{2}\b|\d{4,6}\b|[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b|"
    r"[A-Z]\d[A-Z]\s?\d[A-Z]\d\b)"
)
_TOWN_WORDS = r"[A-ZÀ-ÖØ-Ý][^\W\d_]*(?:[ -][A-ZÀ-ÖØ-Ý][^\W\d_]*){0,2}"
_TOWN_THEN_POSTCODE = re.compile(r"\s*,?\s*" + _TOWN_WORDS + r"(?:\s*[-,]?\s*[A-Z]{2,3})?\s*,?\s*" + _POSTCODE)
_BARE_POSTCODE = re.compile(r"\s*,?\s*" + _POSTCODE + r"(?![\w-])")
_POSTCODE_THEN_TOWN = re.compile(r"\s*,?\s*(?:[A-Z]-)?" + _POSTCODE + r"\s+" + _TOWN_WORDS)
# A message typed in lower case: "1998a church lane york c6 6ke", "provo, ut 93845", "montréal, qc  w3a 4x9".
_LOWER_TOWN_POSTCODE = re.compile(
    r"\s*,?\s*(?!(?:contact|attn|attention|call|phone|tel|ph|mobile|cell|email|for|and)\b)"
    r"[a-zà-ÿ][a-zà-ÿ.'-]*(?:\s[a-zà-ÿ][a-zà-ÿ.'-]*){0,2}\s*,?\s*(?:[a-z]{2}\s+)?"
    r"(?:\d{5}(?:-\d{4})?|[a-z]\d[a-z]\s?\d[a-z]\d|[a-z]{1,2}\d[a-z\d]?\s?\d[a-z]{2})\b"
)


def address_surroundings(text: str, spans: list[tuple[int, int]]) -> list[Candidate]:
    """Each address span widened to the unit before or after it, then its town and postcode (issue 8: no piece of
    a street address survives; the unit and the postcode are the pieces that most often did)."""
    out: list[Candidate] = []
    for start, end in spans:
        wide_start, wide_end = start, end
        before = _UNIT_BEFORE.search(text, max(0, start - 20), start)
        if before is not None:
            wide_start = before.start()
        for _ in range(2):
            # the unit word already taken, its number not yet ("Am Markt 146, Whg. 6", "Rua das Flores, 364,
            # apto 5")
            after_word = re.search(_UNIT_WORD + r"\.?$", text[max(0, wide_end - 12) : wide_end], re.IGNORECASE)
            unit = (_UNIT_NUMBER.match(text, wide_end) if after_word else None) or _UNIT_AFTER.match(
                text, wide_end
            )
            if unit is None:
                break
            wide_end = unit.end()
        town = (
            _POSTCODE_THEN_TOWN.match(text, wide_end)
            or _TOWN_THEN_POSTCODE.match(text, wide_end)
            or _BARE_POSTCODE.match(text, wide_end)
            or _LOWER_TOWN_POSTCODE.match(text, wide_end)
        )
        if town is not None:
            wide_end = town.end()
        if (wide_start, wide_end) != (start, end):
            out.append((wide_start, wide_end, PiiType.ADDRESS, "address:with_unit_town_postcode", 7))
    return out


def street_addresses(text: str, lex: Lexicon) -> list[Candidate]:
    """Every candidate of every rule, in rule order."""
    if _DIGIT.search(text) is None:
        return []
    return [c for rule in RULES for c in rule(text, lex)]

"""PII written in forms the other PII rules do not read: names in capitals or as an initial and a surname,
postcodes under other countries' labels, East Asian dates and street names.

Each rule is one function returning candidates; `RULES` lists them in order.
"""

from __future__ import annotations

import re

from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon

Candidate = tuple[int, int, PiiType, str, int]

# "KEONI FONOTI", "GIUSEPPE D'ANGELO", "JESÚS DEL RÍO": two or three words in capitals.
_CAPS_RUN = re.compile(
    r"(?<![\w'’-])[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]{1,}(?:[ ](?:(?:DEL|DE|LA|DA|DOS|VAN|VON|DER|BIN|AL)[ ])?"
    r"[A-ZÀ-ÖØ-Þ][A-ZÀ-ÖØ-Þ'’-]{1,}){1,2}(?=['’]s\b|(?![\w'’-]))"
)
# "C. Mensah", "L. Nieminen": an initial, a period and a capitalised surname.
_INITIAL_SURNAME = re.compile(
    r"(?<![\w.])(?:[A-Z]\.\s?){1,3}(?P<surname>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]{2,}(?:-[A-Z][a-z]+)?)\b"
)
# "Papadopoulos O, please": a capitalised surname and the initial of the given name, at the end of a clause.
_SURNAME_INITIAL = re.compile(r"(?<![\w.])(?P<surname>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’-]{3,})\s[A-Z]\.?(?=\s*(?:[,;:]|$))")
# "código postal 48001", "PLZ 10115", "CEP 01310-100", "〒100-0001", "pin code 700016", "postcode 6009".
_POSTCODE_LABEL = re.compile(
    r"(?i)(?:c[oó]digo postal|code postal|cod(?:ice)? postale|cap|c\.?p\.?|plz|postleitzahl|cep|pin ?code|pin|"
    r"pincode|postnummer|postinumero|kod pocztowy|irányítószám|postcode|post code|postal code|postal|zip|〒|"
    r"psč|psc|eircode|postort|postal district|post nr|postnr)"
    r"\s*[:#.]?\s*(?:(?:is|was|=)\W{0,2})?"
    # ("413 04", "110 00": Swedish and Czech codes with a space; "D02 X285": an Irish Eircode)
    r"(?P<code>\d{3}-?\d{4}|\d{5}-?\d{3}|\d{2}-\d{3}|\d{3} \d{2}|\d{4,6}|[A-Z]\d[A-Z] ?\d[A-Z]\d|"
    r"[A-Z]\d{2} ?[A-Z\d]{4})"
    r"(?![\dA-Za-z])"
)
# "1933年5月29日": year, month, day in CJK characters.
_CJK_DATE = re.compile(r"(?:19|20)\d{2}\s?年\s?\d{1,2}\s?月\s?\d{1,2}\s?日")
# Korean and Japanese street names: "1882 Sejong-daero", "48 Haeundae-ro", "6-3-15 Ginza".
_EAST_ASIAN_STREET = re.compile(
    r"(?<![\w-])\d{1,5}(?:-\d{1,4}){0,2}\s+[A-Z][a-z]+-(?:daero|ro|gil|dong|gu)\b|"
    r"(?<![\w-])\d{1,3}-\d{1,3}-\d{1,3}\s+[A-Z][a-z]+\b|"
    # the district first, then its ward: "Umeda 6-1-19, Kita-ku", "Nishi-Shinjuku 4-21-15, #1105, Shinjuku-ku"
    r"(?<![\w-])[A-Z][a-z]+(?:-[A-Z][a-z]+)?\s+\d{1,2}-\d{1,3}(?:-\d{1,3})?"
    r"(?:,\s*(?:Room\s+\d{1,5}|#\s?\d{1,5}))?,\s*[A-Z][a-z]+-(?:ku|shi|cho|machi|gun)\b"
)
# A run of Han, Hangul or Kana characters in a message written in Latin letters ("Pt: 张伟 |", "박서연
# <sigrid45@...>", "高橋 翔太"): in this product's chats, a name or an address written in its own script.
_CJK = "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_CJK_RUN = re.compile(rf"[{_CJK}]{{1,12}}(?:[ \u3000][{_CJK}]{{1,12}})?")
# ... with digits, dashes or a postal mark inside or right after it, an address ("〒530-0043 大阪府北区2-22-2")
_CJK_ADDRESS = re.compile(rf"(?:〒\s?\d{{3}}-?\d{{4}}\s?)?[{_CJK}]+(?:[\d０-９]+(?:[-－][\d０-９]+)*[{_CJK}]*)+")
_LATIN = re.compile(r"[A-Za-z]")
_ACRONYMS = frozenset(
    {"QLV", "MRN", "DOB", "SSN", "NPI", "EMR", "EHR", "PA", "PT", "FYI", "ASAP", "AE", "SAE", "URGENT"}
)


def caps_names(text: str, lex: Lexicon) -> list[Candidate]:
    """Names in capitals: every word unknown to the vocabularies or a given name, none an acronym or a term."""
    out = []
    for m in _CAPS_RUN.finditer(text):
        words = [w for w in m.group().split(" ") if w not in ("DEL", "DE", "LA", "DA", "DOS", "VAN", "VON", "DER")]
        lows = [w.lower().strip("'’-") for w in words]
        if any(w in _ACRONYMS or len(w) < 2 for w in words):
            continue
        if any(low in lex.drugs or low in lex.known_terms or low in lex.terminology_events for low in lows):
            continue
        if all(low in lex.english_words and low not in lex.first_names for low in lows):
            continue  # "PLEASE CALL BACK", "NO SHOW TODAY": shouting, not a name
        out.append((m.start(), m.end(), PiiType.PERSON, "person:capitals", 6))
    return out


def initial_surnames(text: str, lex: Lexicon) -> list[Candidate]:
    """ "C. Mensah", "A.D. Mensah", "Papadopoulos O,": initials and a surname that is no English word, drug or
    term."""
    out = []
    for pattern in (_INITIAL_SURNAME, _SURNAME_INITIAL):
        for m in pattern.finditer(text):
            low = m.group("surname").lower()
            if (
                low in lex.english_words
                or low in lex.drugs
                or low in lex.known_terms
                or low in lex.terminology_events
            ):
                continue
            out.append((m.start(), m.end(), PiiType.PERSON, "person:initial_surname", 6))
    return out


def labelled_postcodes(text: str, lex: Lexicon) -> list[Candidate]:
    """A postcode after its label in any of the languages above."""
    return [
        (m.start("code"), m.end("code"), PiiType.ADDRESS, "address:postcode_label", 7)
        for m in _POSTCODE_LABEL.finditer(text)
    ]


def cjk_dates(text: str, lex: Lexicon) -> list[Candidate]:
    """ "1933年5月29日"."""
    return [(m.start(), m.end(), PiiType.DATE, "date:cjk", 7) for m in _CJK_DATE.finditer(text)]


def east_asian_streets(text: str, lex: Lexicon) -> list[Candidate]:
    """ "1882 Sejong-daero", "6-3-15 Ginza", "Umeda 6-1-19, Kita-ku"."""
    return [
        (m.start(), m.end(), PiiType.ADDRESS, "address:east_asian", 7) for m in _EAST_ASIAN_STREET.finditer(text)
    ]


def other_script_names(text: str, lex: Lexicon) -> list[Candidate]:
    """Names and addresses in Han, Hangul or Kana inside a message written mostly in Latin letters."""
    runs = list(_CJK_RUN.finditer(text))
    if not runs or len(_LATIN.findall(text)) < sum(len(m.group()) for m in runs):
        return []
    out: list[Candidate] = [
        (m.start(), m.end(), PiiType.ADDRESS, "address:other_script", 7) for m in _CJK_ADDRESS.finditer(text)
    ]
    taken = [(s, e) for s, e, *_ in out]
    for m in runs:
        label = re.match(r"\s*[:：]?\s*\d", text[m.end() :]) is not None  # "生年月日: 1952-..." is a field's label
        if len(m.group().replace(" ", "")) >= 2 and not label and not any(s <= m.start() < e for s, e in taken):
            out.append((m.start(), m.end(), PiiType.PERSON, "person:other_script", 6))
    return out


RULES = (caps_names, initial_surnames, labelled_postcodes, cjk_dates, east_asian_streets, other_script_names)


def written_forms(text: str, lex: Lexicon) -> list[Candidate]:
    """Every candidate of every rule, in rule order."""
    return [c for rule in RULES for c in rule(text, lex)]

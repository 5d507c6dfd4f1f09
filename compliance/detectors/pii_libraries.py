"""PII recognisers backed by maintained libraries, plus the few rules no library covers.

- Phone numbers: Google's libphonenumber (`phonenumbers`), tried for the regions below, so national
  formats from those countries and any "+<country code>" number are found.
- Street addresses: `usaddress` (a CRF address tagger) on the tokens after a house number; accepted
  only when a street type or direction is tagged, so "3 weeks on the drug" is not an address.
- Card numbers (Luhn), US state + ZIP, ages written in words, lower-case names after a name
  trigger: no maintained library does these on free chat text (Presidio needs a spaCy model this
  machine cannot download), so they are small rules here.

Each function returns (start, end, type, rule, priority) tuples on the stage-1 text.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon, is_english_word

Candidate = tuple[int, int, PiiType, str, int]

# Regions whose national formats are tried; "+<cc>" numbers are found whatever the region.
PHONE_REGIONS = ("US", "GB", "DE", "FR", "AU", "IN", "IT", "ES", "NL", "IE", "BR", "MX", "JP", "ZA", "SE", "PL")
_DIGITS7 = re.compile(r"(?:\d[\s().\-+]*){7}")
_HOUSE_NUMBER = re.compile(r"(?<![\w./-])\d{1,6}[A-Za-z]?\s+(?:[NSEW]\.?\s+)?[A-Z][a-z]")
_STREET_TAGS = frozenset({"StreetNamePreType", "StreetNamePostType", "StreetNamePreDirectional"})
_ADDRESS_TAGS = frozenset(
    {
        "AddressNumber",
        "AddressNumberPrefix",
        "AddressNumberSuffix",
        "StreetName",
        "StreetNamePreType",
        "StreetNamePostType",
        "StreetNamePreDirectional",
        "StreetNamePostDirectional",
        "StreetNamePreModifier",
        "StreetNamePostModifier",
        "OccupancyType",
        "OccupancyIdentifier",
        "SubaddressType",
        "SubaddressIdentifier",
        "PlaceName",
        "StateName",
        "ZipCode",
    }
)
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])")
_STATE_ZIP = re.compile(
    r"\b(?:A[LKZR]|C[AOT]|D[EC]|FL|GA|HI|I[DLNA]|K[SY]|LA|M[EDAINSOT]|N[EVHJMYCD]|O[HKR]|PA|RI|S[CD]|T[NX]|UT|"
    r"V[TA]|W[AVIY])\s+(\d{5}(?:-\d{4})?)\b"
)
_ZIP_KEYWORD = re.compile(r"(?i)\b(?:zip|zip code|zipcode|postal code|postcode)\W{0,3}(\d{5}(?:-\d{4})?)\b")
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|a hundred|one hundred)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_AGE_WORDS = re.compile(
    rf"(?i)\b(?P<a>{_TENS}(?:[\s-]+{_UNITS})?)(?=[\s-]+(?:years?|yrs?|y/?o)\b)|"
    rf"\b(?:aged|age|is|was|turned|turns|of)\s+(?P<b>{_TENS}(?:[\s-]+{_UNITS})?)\b(?=\s*(?:[,.;]|and\b|$))"
)
# Words after which a run of unknown lower-case words is a name.
_NAME_TRIGGER = re.compile(
    r"(?i)\b(?:my pt|pt|patient|my patient|mr|mrs|ms|miss|dr|daughter|son|wife|husband|mother|father|mom|dad|"
    r"sister|brother|contact|named|called|caregiver|partner|spouse)\W{0,3}$"
)
_RELATION = re.compile(
    r"(?i)\b(?:daughter|son|wife|husband|mother|father|mom|dad|sister|brother|named|called|caregiver|partner|"
    r"spouse)\W{0,3}$"
)
# Weaker triggers: a name only when two unknown words follow ("about siobhan ramirez").
_WEAK_NAME_TRIGGER = re.compile(r"(?i)\b(?:about|re|for|cc|from|with|saw|seen|see)\W{0,3}$")
# A message or clause that opens with a name before an age, a date of birth or a record number.
_NAME_BEFORE_ID = re.compile(
    r"(?i)\s*,\s*(?:\d|dob|d\.o\.b|mrn|age|aged|seen|" + _TENS + r")|"
    # "kellan ostrowski had a rash after qlv": two unknown words opening a report before its verb.
    r"\s+(?:had|has|got|gets|is|was|developed|reports?|reported|called|came|needs|started|complains|woke)\b"
)
_NAME_PARTICLES = frozenset(
    {"van", "der", "den", "de", "la", "le", "von", "da", "del", "di", "dos", "bin", "al"}
    # Italian, French and German: "lo bianco", "du pont", "della rovere", "zu guttenberg" (not Dutch "ter"/"ten":
    # as words of their own they already read as names, "greet ter horst")
    | {"lo", "du", "des", "della", "degli", "zu", "af"}
    # Irish and Arabic: "Ó Súilleabháin", "Ní Bhriain", "Mac Giolla", "ibn Rushd" (stage 1 drops accents)
    | {"o", "ó", "ni", "ní", "nic", "mac", "ui", "uí", "ibn", "bint"}
)
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'\-]*")


# Only suffixes that are (almost) never in a person's name: real drugs and terms are in the dictionaries,
# so generic endings (-ide, -ine, -al, -ate: "Olamide", "Caroline", "Crystal", "Kate") no longer block a name.
_MEDICAL_SUFFIX = re.compile(
    r"(?:osis|itis|emia|aemia|pathy|algia|ectomy|otomy|plasty|scopy|mab|nib|zole|pril|sartan|olol|statin|"
    r"cillin|mycin|azepam|oxacin|tidine|prazole|vir)$"
)


def _english_inflection(word: str, english: frozenset[str]) -> bool:
    return is_english_word(word, english)


def _unknown_word(low: str, lex: Lexicon, typos: bool = False) -> bool:
    """Not an English word (or an inflection of one), a known term, a drug or a medical-looking word.

    With `typos` (where no name cue stands before the word), an English word with two adjacent letters
    swapped ("copay crad") is a typo, not a name; after a cue ("my patient emre brandt") it is a name.
    """
    if "'" in low[2:] or low in lex.known_terms or low in lex.drugs or low in lex.terminology_events:
        return False
    if "-" in low:
        return all(_unknown_word(part, lex) for part in low.split("-") if part)
    english = _english_inflection(low, lex.english_words)
    if english or (_MEDICAL_SUFFIX.search(low) is not None and low not in lex.first_names):
        return False
    return not (typos and low not in lex.first_names and _transposed_english(low, lex.english_words))


_MIN_TYPO_LENGTH = 4


def _transposed_english(low: str, english: frozenset[str]) -> bool:
    """ "crad", "recieve": two adjacent letters swapped from an English word is a typo, not a name."""
    if len(low) < _MIN_TYPO_LENGTH:
        return False
    return any(low[:i] + low[i + 1] + low[i] + low[i + 2 :] in english for i in range(len(low) - 1))


def _luhn(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


@cache
def _phonenumbers() -> Any:
    import phonenumbers

    return phonenumbers


_PHONE_WINDOW = re.compile(r"[+(]?\d[\d\s().\-/]{5,22}\d(?:\s?(?:ext|x)\.?\s?\d{1,5})?")


def phones(text: str, own_numbers: frozenset[str]) -> list[Candidate]:
    """Phone numbers in any of the regions' national formats or in international form."""
    if not _DIGITS7.search(text):
        return []
    pn = _phonenumbers()
    out: list[Candidate] = []
    for w in _PHONE_WINDOW.finditer(text):
        # Only the digit runs are handed to libphonenumber (with a little context for "tel:" cues).
        base = max(0, w.start() - 8)
        window = text[base : w.end()]
        for region in PHONE_REGIONS:
            found = False
            for m in pn.PhoneNumberMatcher(window, region, leniency=pn.Leniency.POSSIBLE):
                digits = re.sub(r"\D", "", m.raw_string)
                if digits in own_numbers or digits[-10:] in own_numbers or len(digits) < 7:
                    continue
                out.append((base + m.start, base + m.end, PiiType.PHONE, f"phone:libphonenumber:{region}", 7))
                found = True
            if found:
                break
    return out


@cache
def _usaddress() -> Any:
    import usaddress

    return usaddress


def addresses(text: str) -> list[Candidate]:
    """Street addresses tagged by usaddress from a house number onwards."""
    out: list[Candidate] = []
    for hm in _HOUSE_NUMBER.finditer(text):
        tail = text[hm.start() : hm.start() + 120]
        tokens = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", tail)]
        try:
            tagged = _usaddress().parse(tail)
        except Exception:
            continue
        if not tagged or tagged[0][1] != "AddressNumber":
            continue
        end = 0
        tags: set[str] = set()
        for (_, te, tok), (_, label) in zip(tokens, tagged, strict=False):
            if label not in _ADDRESS_TAGS or (
                tok.islower() and tok not in _NAME_PARTICLES and label in ("PlaceName", "StateName", "StreetName")
            ):
                break
            tags.add(label)
            end = te
            if label == "ZipCode":
                break
        if tags & _STREET_TAGS and end:
            span_text = tail[:end].rstrip(",.;")
            out.append((hm.start(), hm.start() + len(span_text), PiiType.ADDRESS, "address:usaddress", 8))
    for m in _STATE_ZIP.finditer(text):
        out.append((m.start(1), m.end(1), PiiType.ADDRESS, "address:zip", 7))
    for m in _ZIP_KEYWORD.finditer(text):
        out.append((m.start(1), m.end(1), PiiType.ADDRESS, "address:zip", 7))
    return out


def cards(text: str) -> list[Candidate]:
    """Payment card numbers: 13-19 digits passing the Luhn check."""
    out: list[Candidate] = []
    for m in _CARD.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 13 <= len(digits) <= 19 and _luhn(digits):
            out.append((m.start(), m.end(), PiiType.ID, "id:card_luhn", 8))
    return out


def ages_in_words(text: str) -> list[Candidate]:
    """ "seventy-two years old", "the patient is eighty one,": a stated age written out."""
    out: list[Candidate] = []
    for m in _AGE_WORDS.finditer(text):
        g = "a" if m.group("a") else "b"
        out.append((m.start(g), m.end(g), PiiType.AGE, "age:words", 6))
    return out


_ANY_TRIGGER = re.compile(
    r"(?i)\b(?:my pt|pt|patient|my patient|mr|mrs|ms|miss|dr|daughter|son|wife|husband|mother|father|mom|dad|"
    r"sister|brother|contact|named|called|caregiver|partner|spouse|about|re|for|cc|from|with|saw|seen|see)\W{0,3}"
    r"(?=[A-Za-z\u00c0-\u024f])|^\W*(?=[A-Za-z\u00c0-\u024f])|[,;:]\s*(?=[A-Za-z\u00c0-\u024f])"
)


def lowercase_names(text: str, lex: Lexicon, protected: list[tuple[int, int]]) -> list[Candidate]:
    """Unknown words (no English word, term or drug) right after a name trigger: "my pt johan krogh"."""
    out: list[Candidate] = []
    starts = {m.end() for m in _ANY_TRIGGER.finditer(text)}
    if not starts:
        return out
    words = list(_WORD.finditer(text))
    i = 0
    while i < len(words):
        w = words[i]
        if w.start() not in starts:
            i += 1
            continue
        strong = _NAME_TRIGGER.search(text, max(0, w.start() - 20), w.start()) is not None
        weak = not strong and _WEAK_NAME_TRIGGER.search(text, max(0, w.start() - 12), w.start()) is not None
        opening = not strong and not weak and (i == 0 or text[: w.start()].rstrip().endswith((",", ";", ":")))
        if not (strong or weak or opening):
            i += 1
            continue
        j = i
        while j < len(words) and j - i < 4:
            cand = words[j]
            low = cand.group().lower().strip("'-")
            if j > i and text[words[j - 1].end() : cand.start()].strip() not in ("",):
                break  # punctuation between words ends the name
            if any(not (cand.end() <= ps or cand.start() >= pe) for ps, pe in protected):
                break
            if not (_unknown_word(low, lex) or low in lex.first_names or (j > i and low in _NAME_PARTICLES)):
                break
            j += 1
        # A lone particle is no name; strip trailing particles.
        while j > i and words[j - 1].group().lower() in _NAME_PARTICLES:
            j -= 1
        relation = strong and _RELATION.search(text, max(0, w.start() - 20), w.start()) is not None
        if j - i == 1 and words[i].group().lower() not in lex.first_names and not relation:
            j = i  # one unknown word after "pt" is a typo or jargon as often as a name
        if weak and j - i < 2:
            j = i
        if opening and not (j - i >= 2 and _NAME_BEFORE_ID.match(text, words[j - 1].end())):
            j = i
        if j > i and (j - i >= 2 or words[i].group().lower() in lex.first_names or len(words[i].group()) >= 4):
            out.append((words[i].start(), words[j - 1].end(), PiiType.PERSON, "person:lowercase_trigger", 6))
            i = j
        else:
            i += 1
    return out


# "reach zoltan at z.k@mail.example", "call amaka on +234 ...": one word between a contact verb and a contact.
_BEFORE_CONTACT = re.compile(
    r"(?i)\b(?:reach|contact|call|ring|text|email|e-mail|message|ask for|speak to|talk to)\s+"
    r"(?P<name>[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'-]+)\s+(?:at|on|via)\s*$"
)


def name_before_contact(text: str, lex: Lexicon, contacts: list[tuple[int, int]]) -> list[Candidate]:
    """A single unknown word or given name between a contact verb and an email or phone: a person."""
    out: list[Candidate] = []
    for start, _end in contacts:
        m = _BEFORE_CONTACT.search(text, max(0, start - 60), start)
        if m is None:
            continue
        low = m.group("name").lower()
        if low in lex.first_names or _unknown_word(low, lex):
            out.append((m.start("name"), m.end("name"), PiiType.PERSON, "person:before_contact", 6))
    return out

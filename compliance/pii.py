"""PII/PHI detection and redaction, with spans on the original text.

The policy errs on the side of redacting: a capitalised unknown word is treated as a name,
every calendar date and every stated age is redacted, and long digit runs are ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from compliance.engine import Analysis
from compliance.findings import Detector, Finding, PiiType, Span
from compliance.lexicon import Lexicon, get_lexicon

_I = re.IGNORECASE

# Published Avendra numbers are not personal data.
_OWN_NUMBERS = frozenset({"8005550142", "8005550199", "8005550177", "18005550142", "18005550199", "18005550177"})

EMAIL = re.compile(r"(?<![\w.+-])[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9.\-]{1,253}\.[A-Za-z]{2,}\b")
EMAIL_OBFUSCATED = re.compile(
    r"(?<![\w.%+\-])[A-Za-z0-9._%+\-]{1,64}\s*(?:\[at\]|\(at\)|\{at\}|<at>|\sat\s|\s@\s)\s*[A-Za-z0-9\-]{1,63}"
    r"(?:\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\sdot\s|\.)\s*[A-Za-z0-9\-]{1,63}){0,4}?"
    r"\s*(?:\[dot\]|\(dot\)|\{dot\}|<dot>|\sdot\s|\.)\s*(?:com|org|net|edu|gov|co|uk|us|io|info|biz|ca|au|de|"
    r"fr)\b",
    _I,
)
PHONE = re.compile(
    r"(?<![\w/.$])(?:\+?1[\s.\-]?)?(?:\(\s*\d{3}\s*\)|\d{3})[\s.\-]?\d{3}[\s.\-]?\d{4}"
    r"(?:\s*(?:x|ext\.?|extension)\s*\d{1,5})?(?![\w/])",
    _I,
)
PHONE_INTL = re.compile(r"(?<![\w+])\+\d{1,3}(?:[\s.\-]?\(?\d{1,5}\)?){2,5}(?![\w])")
# Any run of digit groups long enough to be a phone number in some country ("020 7946 0958").
PHONE_GENERIC = re.compile(r"(?<![\w./\-])\+?\(?\d{2,5}\)?(?:[\s.\-]\(?\d{2,5}\)?){2,4}(?![\w./\-])")
PHONE_LOCAL = re.compile(r"(?<![\w\-./])\d{3}[\-.\s]\d{4}(?![\w\-./])")
PHONE_KEYWORD = re.compile(
    r"\b(?:phone|cell|mobile|mob|tel|telephone|call|text|fax|pager|reach (?:her|him|them|me|us) at|number is|"
    r"contact(?: number)?|ph)"
    r"\W{0,4}(?:is\s+|at\s+|on\s+)?(\+?\d[\d\s().\-]{5,18}\d)",
    _I,
)
SSN = re.compile(r"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w-])|(?<![\w-])\d{3}\s\d{2}\s\d{4}(?![\w-])")
SSN_KEYWORD = re.compile(
    r"\b(?:ssn|ss#|ss no\.?|social security(?: number| no\.?| #| num)?|social)\W{0,4}(?:is\s+|"
    r"number\s+)?(\d[\d\s\-]{2,10}\d)",
    _I,
)
NPI_KEYWORD = re.compile(r"\bnpi(?:\s*(?:number|no\.?|#|num|id))?\W{0,4}(?:is\s+)?(\d[\d\s\-]{8,12}\d)", _I)
MRN_KEYWORD = re.compile(
    r"\b(?:mrn|mr#|mr no\.?|patient identifier(?: for [\w ]{0,20}?)?(?: is)?|medical record(?:s)?(?: number|"
    r" no\.?| #| num| id)?|med(?:ical)? rec(?:ord)?(?: number| no\.?| #)?|"
    r"chart(?: number| no\.?| #| id|#)|record (?:number|no\.?|#|id)|hospital (?:number|no\.?|#|id)|"
    r"patient (?:id|number|no\.?|#|identifier)|"
    r"pt (?:id|#|no\.?|number)|emr(?: id| number| #)?|ehr(?: id| number| #)?|encounter (?:id|number|#))"
    r"\W{0,4}(?:is\s+|was\s+)?#?\s*([A-Za-z]{0,4}[\-]?\d[\w\-]{2,})",
    _I,
)
ID_KEYWORD = re.compile(
    r"\b(?:member|insurance|insurer|subscriber|policy|group|medicare|medicaid|mbi|dea|licen[cs]e|passport|"
    r"driver'?s? licen[cs]e|"
    r"state id|employee|case|claim|reference|ref|confirmation|prior auth(?:orization)?|authori[sz]ation|pa|rx|"
    r"prescription|account|acct|"
    r"id|identifier|badge|enrollment|enrolment|copay card|co-pay card|card|bin|pcn|tracking|ticket|study|"
    r"subject|registry|hicn|ihi|nhs)"
    r"(?:\s+(?:id|number|no\.?|#|num|code))?\W{0,4}(?:is\s+|was\s+)?#?\s*([A-Za-z]{0,5}[\- ]?\d[\w\-]{3,})",
    _I,
)
LONG_NUMBER = re.compile(
    r"(?<![\w.,$\-/])(?:[A-Za-z]{1,4}[\-]?)?\d{7,}(?:[\-]\d+)*(?![\w,%/]|\.\d)|"
    r"(?<![\w\-])[A-Z]{1,3}\d{5,}[A-Z]?(?![\w\-])|(?<![\w\-])\d{5,}[A-Z]{1,3}(?![\w\-])"
)
IP_ADDRESS = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_NOT_ID_BEFORE = re.compile(
    r"\b(?:lot|batch|lot number|lot no\.?|lot#|serial|qlv-us|ndc|approval code|code qlv)\W*$", _I
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"(?<![\w/.\-])(?:0?[1-9]|1[0-2])[/\-.](?:0?[1-9]|[12]\d|3[01])[/\-.](?:19|20)?\d{2}(?![\w/\-])"),
    re.compile(r"(?<![\w/.\-])(?:0?[1-9]|[12]\d|3[01])[/\-.](?:0?[1-9]|1[0-2])[/\-.](?:19|20)?\d{2}(?![\w/\-])"),
    re.compile(r"(?<![\w/.\-])(?:19|20)\d{2}[/\-.](?:0?[1-9]|1[0-2])[/\-.](?:0?[1-9]|[12]\d|3[01])(?![\w/\-])"),
    re.compile(
        rf"\b{_MONTH}\.?\s+{_DAY}(?:\s*,?\s*(?:19|20)\d{{2}})?\b(?!\s*(?:mg|ml|weeks?|days?|%|units?))", _I
    ),
    re.compile(rf"\b{_DAY}\s+(?:of\s+)?{_MONTH}\.?(?:\s*,?\s*(?:19|20)\d{{2}})?\b", _I),
    re.compile(rf"\b(?:the\s+)?{_DAY}\s+of\s+{_MONTH}\b", _I),
    re.compile(rf"\b{_MONTH}\.?\s*,?\s+(?:of\s+)?(?:19|20)\d{{2}}\b", _I),
    re.compile(r"(?<![\w/.\-])(?:0?[1-9]|1[0-2])[/\-](?:19|20)\d{2}(?![\w/\-])"),
    # m/d without a year, when a date word is near ("on 3/14", "seen 3/14")
    re.compile(
        r"\b(?:on|since|from|until|till|dated|date|seen|dob|visit|dosed|injected|given|admitted|"
        r"discharged)\s((?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01]))(?![\w/])",
        _I,
    ),
]
# Any other bare m/d ("s/p QLV inj 10/2", "hives 4/19"): a date unless it reads as a score or a fraction.
BARE_MONTH_DAY = re.compile(r"(?<![\w/.\-])(?:0?[1-9]|1[0-2])/(?:0?[1-9]|[12]\d|3[01])(?![\w/]|\.\d)")
_NOT_DATE_BEFORE = re.compile(
    r"\b(?:pain|score|scored|rated|rates|rating|scale|grade|graded|vas|nrs|itch|itching|severity|strength|power|"
    r"bp|blood pressure|ratio|dose|doses|of|x|about|approx|approximately|only|roughly|nearly|almost)\W{0,3}$",
    _I,
)
_NOT_DATE_AFTER = re.compile(
    r"^\s*(?:of|a|an|the|pen|pens|dose|doses|tab|tabs|tablet|tablets|strength|cup|inch|inches|way|mg|ml|units?|"
    r"points?|pain|on the|scale)\b",
    _I,
)
DOB = re.compile(
    r"\b(?:dob|d\.o\.b\.?|date of birth|birth ?date|born(?: on| in)?|birthday(?: is)?)\W{0,3}("
    + rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{2,4}}|"
    + rf"\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?,?\s+\d{{2,4}}|"
    + r"\d{1,4}[/\-.]\d{1,2}[/\-.]\d{1,4}|(?:19|20)\d{2}|"
    + rf"{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?)",
    _I,
)
_AGE_SEX = re.compile(r"(?<![\w.\-/])\d{1,3}\s?[MF](?![\w])")
_TEMPERATURE_BEFORE = re.compile(
    r"(?i)(?:°|\bdeg(?:rees?)?|\btemp\w*|\broom\b|\bfridge|\brefrigerat\w*|\bfreez\w*|\bstor\w*|\bkept|"
    r"\bmax\w*|\bup to|\bbelow|\babove|\bover|\bunder|\d\s*(?:to|-)\s*)[^.?!]{0,12}$"
)
_TEMPERATURE_AFTER = re.compile(
    r"(?i)\s*(?:°|degrees?\b|temp\w*|\bfor \d+ (?:days?|hours?|hrs?)|(?:is |the )*(?:max|limit))"
)


def _is_fahrenheit(text: str, start: int, end: int) -> bool:
    """Whether "86F" reads as a temperature (storage context) rather than an age and sex."""
    if text[end - 1] != "F":
        return False
    before = text[max(0, start - 30) : start]
    return bool(_TEMPERATURE_BEFORE.search(before) or _TEMPERATURE_AFTER.match(text, end))


AGE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b\d{1,3}\s?(?:-\s?)?(?:years?|yrs?|yr|y)\s?(?:-\s?)?(?:old|o\b)", _I),
    re.compile(r"\b\d{1,3}\s?(?:yo|y/o|y\.o\.?|yrs? old)(?![\w])", _I),
    re.compile(r"\b(?:aged?|age:|age is|at age)\s*\d{1,3}\b", _I),
    re.compile(r"\b\d{1,3}\s+years?\s+of\s+age\b", _I),
    re.compile(r"\b\d{1,3}\s?(?:years?|yrs?)\b(?=\s*(?:,|\)|;|female|male|woman|man|lady|gentleman|[fm]\b))", _I),
    _AGE_SEX,
    re.compile(r"(?<=[(,])\s*\d{1,3}\s*,?\s*(?:m|f|male|female)\s*(?=[),])", _I),
    re.compile(r"\b(?:in (?:her|his|their) (?:early |late |mid-?)?(?:nineties|90s|eighties|80s|hundreds))\b", _I),
    re.compile(r"\b(?:nonagenarian|centenarian|supercentenarian)\b", _I),
    re.compile(r"\b\d{1,3}\s?(?:-\s?)?(?:months?|mos?)\s?(?:-\s?)?old\b", _I),
]
_STREET_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|"
    r"cir|highway|hwy|"
    r"parkway|pkwy|square|sq|trail|trl|crescent|cres|close|grove|row|alley|plaza|loop|pike|run|path|walk)"
)
ADDRESS_PATTERNS: list[re.Pattern[str]] = [
    re.compile(
        rf"\b\d{{1,6}}[A-Za-z]?\s+(?:[NSEW]\.?\s+|north\s+|south\s+|east\s+|"
        rf"west\s+)?(?:[A-Za-z0-9'\-]+\s+){{0,4}}{_STREET_SUFFIX}\b\.?"
        rf"(?:\s*,?\s*(?:apt|apartment|unit|suite|ste|#|room|rm|floor|fl)\.?\s*#?\s*[\w\-]+)?"
        rf"(?-i:(?:\s*,\s*[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){{0,2}})?(?:\s*"
        rf",?\s*[A-Z]{{2}}\b)?)(?:\s+\d{{5}}(?:-\d{{4}})?)?",
        _I,
    ),
    re.compile(r"\bp\.?\s?o\.?\s*box\s+\d+\b", _I),
    re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"),
    re.compile(r"\b(?:zip|zip code|zipcode|postal code|postcode)\W{0,3}\d{5}(?:-\d{4})?\b", _I),
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"),  # UK postcode
    re.compile(
        r"\b(?:lives|living|resides|residing|resident|moved|relocated)\s+(?:in|at|on|of|to)\s+"
        r"((?:[A-Z][A-Za-z'\-]+|\d+[A-Za-z]?)(?:[ ,]+(?:[A-Z][A-Za-z'\-]+|[A-Z]{2}|\d{5}))*)"
    ),
]

_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Mister|Missus|Madam|Mme|Mlle|Sr|Sra|Srta|Sir|Dame|Nurse|Doctor)\b\.?\s+", _I
)
_TRIGGER = re.compile(
    r"\b(?:patient|pt|pts|client|resident|named|name is|name's|names|name:|name|called|goes by|known as|"
    r"initials(?: are| is)?:?|"
    r"mother|father|husband|wife|son|daughter|sister|brother|partner|caregiver|carer|mom|mum|dad|friend|"
    r"colleague|niece|nephew|aunt|"
    r"uncle|grandson|granddaughter|grandmother|grandfather|grandma|grandpa|fiance|fiancee|boyfriend|girlfriend|"
    r"spouse|"
    r"hi|hello|hey|dear|thanks|thank you|regards|sincerely|cheers|best|signed|from|this is|i am|i'm|im|"
    r"my name is|attn|cc|"
    r"ask for|speak to|spoke with|spoke to|talked to|seen by|referred by|referred to|per|with|and|saw|visited|"
    r"treated|told)\b[ \t]*[,:\-]?[ \t]*",
    _I,
)
_STRONG_TRIGGER = re.compile(r"(?i)(?:patient|pt|client|mr|mrs|ms|miss|dr)\b")
_LOWERCASE_TRIGGERS = re.compile(
    r"^(?:named|name is|name's|name:|name|called|goes by|known as|my name is|initials)", _I
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*[A-Za-z]|[A-Za-z]")
_INITIALS = re.compile(r"(?<![\w.])[A-Z]\.\s?[A-Z]\.(?:\s?[A-Z]\.)?|(?<![\w.])[A-Z]\.[A-Z](?![\w.])")
_INITIALS_NOT = frozenset(
    {
        "U.S.",
        "U.K.",
        "E.U.",
        "A.M.",
        "P.M.",
        "M.D.",
        "D.O.",
        "R.N.",
        "N.P.",
        "P.A.",
        "B.S.",
        "M.S.",
        "D.C.",
        "L.A.",
        "N.Y.",
        "O.K.",
        "U.N.",
        "E.R.",
        "I.V.",
        "P.O.",
        "Q.D.",
        "B.I.D.",
        "T.I.D.",
        "U.S.A.",
        "N.B.",
        "P.S.",
        "A.D.",
        "B.C.",
        "I.M.",
        "S.C.",
        "Ph.D.",
        "R.N",
        "M.D",
        "D.O",
        "U.S",
        "U.K",
        "E.G.",
        "I.E.",
    }
)
_CAPS_INITIALS = re.compile(r"(?<![\w.])[A-Z]{2,3}(?![\w])")
# Lowercase initials ("j.d., 45M"); common dotted abbreviations are not initials.
_LOWER_INITIALS = re.compile(r"(?<![\w.])[a-z]\.\s?[a-z]\.(?:\s?[a-z]\.)?(?![\w])")
_LOWER_INITIALS_NOT = frozenset(
    [
        "e.g.",
        "i.e.",
        "a.m.",
        "p.m.",
        "q.d.",
        "b.i.d.",
        "t.i.d.",
        "q.i.d.",
        "p.o.",
        "i.v.",
        "i.m.",
        "s.c.",
        "n.b.",
        "p.s.",
        "v.s.",
        "e.r.",
        "o.k.",
        "u.s.",
        "u.k.",
        "s.q.",
        "q.h.",
        "p.r.n.",
        "c.f.",
        "w.r.t.",
        "a.k.a.",
        "n.p.o.",
        "h.s.",
        "o.d.",
        "o.s.",
        "o.u.",
        "a.c.",
        "p.c.",
        "s.l.",
    ]
)
_AGE_AFTER_NAME = re.compile(
    r"\s*[,(]\s*(\d{1,3})\s*(?=[,)]|\s+(?:y|yo|yrs?|years?|[MF]\b|male|female|man|woman))"
)
_AGE_AFTER = re.compile(r"^\s*[(,]?\s*\d{1,3}\s*(?:y|yo|y/o|-year|year|[MF]\b|,\s*[MF]\b|\))")

# Capitalised words that start sentences or are otherwise not names.
# What follows a name at the start of a sentence: a verb of reporting or experience, an age, a possessive.
_NAME_CONTEXT = re.compile(
    r"(?:'s\b|\s*,?\s*\(?\d{1,3}\s*(?:y|yo|[MF]\b|,)|\s+[A-Z][a-z]+\s+(?:has|had|is|was|developed|got|called|"
    r"said|reported|came|presented|says|told)\b|"
    r"\s+(?:has|had|is|was|developed|got|called|said|reported|came|presented|says|told|complained|experienced|"
    r"started|noticed|woke|went|"
    r"needs|wants|asked|felt|feels|injected|received|missed|passed|died|fainted|collapsed|broke)\b)"
)
# Two capitalised words opening a sentence, then a verb of reporting or experience.
_TWO_WORD_NAME = re.compile(
    r"[A-Z][a-z]+ [A-Z][a-z]+(?:'s)?\s+(?:has|had|is|was|developed|got|called|said|reported|came|presented|says|"
    r"told|complained|experienced|started|noticed|woke|went|needs|wants|asked|felt|feels|injected|received|"
    r"missed|passed|died|fainted|collapsed|broke|c/o)\b"
)
_FUNCTION_WORDS = frozenset(
    [
        "i",
        "i'm",
        "i've",
        "i'd",
        "i'll",
        "the",
        "a",
        "an",
        "he",
        "she",
        "they",
        "we",
        "it",
        "this",
        "that",
        "these",
        "those",
        "his",
        "her",
        "hers",
        "their",
        "theirs",
        "my",
        "our",
        "your",
        "who",
        "what",
        "when",
        "where",
        "why",
        "how",
        "which",
        "is",
        "was",
        "are",
        "were",
        "has",
        "had",
        "have",
        "be",
        "been",
        "being",
        "did",
        "do",
        "does",
        "can",
        "could",
        "should",
        "would",
        "will",
        "may",
        "might",
        "must",
        "and",
        "but",
        "or",
        "if",
        "then",
        "so",
        "on",
        "in",
        "at",
        "to",
        "for",
        "from",
        "with",
        "without",
        "after",
        "before",
        "since",
        "because",
        "also",
        "just",
        "not",
        "no",
        "yes",
        "please",
        "thanks",
        "thank",
        "hi",
        "hello",
        "hey",
        "dear",
        "ok",
        "okay",
        "sure",
        "any",
        "all",
        "some",
        "one",
        "two",
        "three",
        "first",
        "second",
        "last",
        "next",
        "new",
        "our",
        "its",
        "re",
        "fw",
        "fwd",
        "patient",
        "patients",
        "pt",
        "pts",
        "dr",
        "mr",
        "mrs",
        "ms",
        "doctor",
        "nurse",
        "today",
        "yesterday",
        "tomorrow",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "day",
        "days",
        "morning",
        "evening",
        "night",
        "am",
        "pm",
        "per",
        "via",
        "about",
        "into",
        "onto",
        "over",
        "under",
        "again",
        "still",
        "now",
        "here",
        "there",
        "out",
        "up",
        "down",
        "off",
        "quick",
        "question",
        "urgent",
        "help",
        "update",
        "note",
        "follow",
        "followup",
        "follow-up",
        "thx",
        "pls",
        "plz",
        "sorry",
        "great",
        "good",
        "bad",
        "well",
        "quelvanti",
    ]
)


@dataclass(frozen=True, slots=True)
class PiiSpan:
    """One PII span on the original text."""

    start: int
    end: int
    type: PiiType
    rule: str

    def to_dict(self) -> dict[str, object]:
        """JSON shape of the contract: start, end, type."""
        return {"start": self.start, "end": self.end, "type": self.type.value}


@cache
def _not_names() -> frozenset[str]:
    lex: Lexicon = get_lexicon()
    return frozenset(lex.known_terms | _FUNCTION_WORDS)


def _luhn_npi(digits: str) -> bool:
    """NPI check digit: Luhn over the prefix 80840 plus the first nine digits."""
    if len(digits) != 10 or digits[0] not in "12":
        return False
    total = 0
    for i, ch in enumerate(reversed("80840" + digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_SUFFIXES = (
    "ally",
    "ly",
    "ies",
    "es",
    "s",
    "ed",
    "ing",
    "er",
    "ers",
    "est",
    "ness",
    "ment",
    "ments",
    "ful",
    "less",
    "able",
    "ation",
    "ations",
    "ity",
    "ive",
    "ized",
    "ised",
)


def _englishish(word: str, english: frozenset[str]) -> bool:
    """True for an English word, its inflections and compounds ("Hypothetically", "Caregiver")."""
    if word in english:
        return True
    if "'" in word:
        return word.split("'")[0] in english or word.split("'")[0] in _FUNCTION_WORDS
    for suf in _SUFFIXES:
        if word.endswith(suf) and len(word) - len(suf) >= 3:
            stem = word[: -len(suf)]
            if (
                stem in english
                or stem + "e" in english
                or stem + "y" in english
                or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in english)
            ):
                return True
    return any(word[:i] in english and word[i:] in english for i in range(3, len(word) - 2))


def _sentence_initial(text: str, pos: int) -> bool:
    k = pos - 1
    while k >= 0 and text[k] in " \t\"'(*-":
        k -= 1
    return k < 0 or text[k] in ".!?\n\r:;"


class _Collector:
    def __init__(self) -> None:
        self.spans: list[tuple[int, int, PiiType, str, int]] = []

    def add(self, start: int, end: int, kind: PiiType, rule: str, priority: int) -> None:
        if end > start:
            self.spans.append((start, end, kind, rule, priority))

    def resolve(self) -> list[tuple[int, int, PiiType, str]]:
        """Keep non-overlapping spans, preferring higher priority, then longer."""
        chosen: list[tuple[int, int, PiiType, str, int]] = []
        for s in sorted(self.spans, key=lambda x: (-x[4], -(x[1] - x[0]), x[0])):
            if all(s[1] <= c[0] or s[0] >= c[1] for c in chosen):
                chosen.append(s)
            else:
                # Merge a lower-priority span that sticks out past a chosen one, so nothing leaks.
                for i, c in enumerate(chosen):
                    if not (s[1] <= c[0] or s[0] >= c[1]) and (s[0] < c[0] or s[1] > c[1]):
                        chosen[i] = (min(c[0], s[0]), max(c[1], s[1]), c[2], c[3], c[4])
        merged = sorted(chosen, key=lambda x: x[0])
        out: list[tuple[int, int, PiiType, str]] = []
        for s in merged:
            if out and s[0] < out[-1][1]:
                prev = out[-1]
                out[-1] = (prev[0], max(prev[1], s[1]), prev[2], prev[3])
            else:
                out.append((s[0], s[1], s[2], s[3]))
        return out


def _names(text: str, col: _Collector, protected: list[tuple[int, int]], lex: Lexicon) -> None:
    not_names = _not_names()
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    index_at = {s: i for i, (s, _, _) in enumerate(words)}

    def is_protected(s: int, e: int) -> bool:
        return any(not (e <= ps or s >= pe) for ps, pe in protected)

    def bare(w: str) -> str:
        w = w.lower()
        return w[:-2] if w.endswith(("'s", "’s")) else w

    def is_title(w: str) -> bool:
        return w[0].isupper() and (len(w) == 1 or not w.isupper() or len(w) <= 3)

    def extend(i: int, lowercase: bool = False) -> int:
        """Absorb following capitalised words (surnames), up to two; lowercase ones after "named"."""
        j = i
        for _ in range(2):
            if j + 1 >= len(words):
                break
            ns, _, nw = words[j + 1]
            gap = text[words[j][1] : ns]
            lower_ok = (
                lowercase and nw.islower() and not _englishish(nw, lex.english_words) and nw not in not_names
            )
            if (
                gap not in (" ", "-", " -", "- ")
                or not (is_title(nw) or lower_ok)
                or nw.isupper()
                or bare(nw) in not_names
            ):
                # Particles of surnames: "de la Cruz", "van Dijk".
                if gap == " " and nw.lower() in (
                    "de",
                    "del",
                    "la",
                    "van",
                    "von",
                    "der",
                    "da",
                    "di",
                    "le",
                    "st",
                    "bin",
                    "al",
                    "el",
                    "mac",
                    "mc",
                    "o",
                ):
                    j += 1
                    continue
                break
            j += 1
        return j

    def take(i: int, rule: str, priority: int = 5, lowercase: bool = False) -> None:
        j = extend(i, lowercase)
        s, e = words[i][0], words[j][1]
        col.add(s, e, PiiType.PERSON, rule, priority)
        # "Jorge Ruiz, 47," or "Ana (62)": a bare number right after a name is an age.
        age = _AGE_AFTER_NAME.match(text, e)
        if age:
            col.add(age.start(1), age.end(1), PiiType.AGE, "age:after_name", 6)

    def _surname_next(i: int) -> bool:
        """True when the next word is a capitalised word that is not English: a surname."""
        if i + 1 >= len(words) or text[words[i][1] : words[i + 1][0]] != " ":
            return False
        nw = words[i + 1][2]
        return (
            is_title(nw)
            and not nw.isupper()
            and bare(nw) not in not_names
            and not _englishish(bare(nw), lex.english_words)
            and not is_protected(words[i + 1][0], words[i + 1][1])
        )

    # a) Titles: "Mr. Smith", "Dr Patel", "mrs jones".
    for m in _TITLE.finditer(text):
        i = index_at.get(m.end())
        if i is None:
            continue
        w = words[i][2]
        if bare(w) in _FUNCTION_WORDS and not is_title(w):
            continue
        if bare(w) in not_names or is_protected(words[i][0], words[i][1]):
            continue  # "nurse quelvarimab", "Dr PASI": a product or clinical term, not a name
        if is_title(w) or bare(w) not in lex.english_words:
            take(i, "person:title", 6)
    # b) Trigger words: "my patient Sarah", "named john", "pt J.D.", "Hi Maria".
    for m in _TRIGGER.finditer(text):
        after = m.end()
        im = _INITIALS.match(text, after) or (
            _CAPS_INITIALS.match(text, after)
            if re.match(r"(?i)pt|patient|initials|pts|client", m.group())
            else None
        )
        if (
            im
            and im.group() not in _INITIALS_NOT
            and not is_protected(im.start(), im.end())
            and bare(im.group().strip(".")) not in not_names
        ):
            col.add(im.start(), im.end(), PiiType.PERSON, "person:initials", 6)
            continue
        i = index_at.get(after)
        if i is None:
            continue
        w = words[i][2]
        lw = bare(w)
        lowercase_ok = _LOWERCASE_TRIGGERS.match(m.group()) is not None
        if lw in not_names or is_protected(words[i][0], words[i][1]):
            continue
        if is_title(w) and not w.isupper():
            strong = re.match(
                r"(?i)(?:patient|pt|pts|client|named|name|called|goes|known|my name|mother|father|husband|wife|"
                r"son|daughter|sister|brother|partner|caregiver|carer|mom|mum|dad|friend|colleague|hi|hello|"
                r"hey|dear|thanks|thank|regards|sincerely|cheers|signed|this is|i am|i'm|attn)",
                m.group(),
            )
            if strong or lw not in lex.english_words or lw in lex.first_names:
                take(i, "person:trigger", 5)
        elif lowercase_ok and lw not in lex.english_words:
            take(i, "person:named", 5, lowercase=True)
        elif lw in lex.first_names and _STRONG_TRIGGER.match(m.group()):
            take(i, "person:trigger_lowercase", 5, lowercase=True)  # "my patient sarah jones"
    # c) Initials anywhere ("J.D. developed hives") and capital initials before an age ("JD, 45F").
    for m in _INITIALS.finditer(text):
        if m.group() not in _INITIALS_NOT and m.group().rstrip(".") + "." not in _INITIALS_NOT:
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials", 6)
    for m in _LOWER_INITIALS.finditer(text):
        if m.group().replace(" ", "") not in _LOWER_INITIALS_NOT:
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials_lowercase", 6)
    for m in _CAPS_INITIALS.finditer(text):
        if bare(m.group()) in not_names or is_protected(m.start(), m.end()):
            continue
        if _AGE_AFTER.match(text[m.end() : m.end() + 12]):
            col.add(m.start(), m.end(), PiiType.PERSON, "person:initials_age", 6)
    # d) Known given names and unknown capitalised words.
    for i, (s, e, w) in enumerate(words):
        if not is_title(w) or (w.isupper() and len(w) > 1):
            continue
        lw = bare(w)
        if lw in not_names or is_protected(s, e) or len(lw) < 2:
            continue
        initial = _sentence_initial(text, s)
        if (
            initial
            and _TWO_WORD_NAME.match(text, s)
            and (lw in lex.first_names or bare(words[i + 1][2]) not in lex.english_words)
            and bare(words[i + 1][2]) not in not_names
            and not is_protected(s, words[i + 1][1])
        ):
            take(i, "person:two_word_name", 4)  # "Summer Hayes got shingles": a name, English or not
            continue
        if lw in lex.first_names:
            if lw in lex.english_words and initial and not _surname_next(i):
                continue  # "Will you...", "Grace period" (but "Maria Lopez developed ...")
            take(i, "person:given_name", 4)
        elif len(lw) >= 3 and not _englishish(lw, lex.english_words):
            # At a sentence start a capital letter proves nothing: need a name-like context.
            if initial and not _NAME_CONTEXT.match(text, e) and not _surname_next(i):
                continue
            take(i, "person:capitalised_unknown", 3)


def detect_pii(
    analysis: Analysis, protected_original: list[tuple[int, int]] | None = None
) -> tuple[list[PiiSpan], list[Finding]]:
    """Find PII spans on the original text."""
    lex = get_lexicon()
    text = analysis.chars.text
    col = _Collector()

    for m in EMAIL.finditer(text):
        col.add(m.start(), m.end(), PiiType.EMAIL, "email", 9)
    for m in EMAIL_OBFUSCATED.finditer(text):
        local = re.split(r"\s|\[|\(|\{|<", m.group(), maxsplit=1)[0].lower()
        rest = m.group()[len(local) :].lower()
        if re.match(r"\s*(?:at|@)\s*www\b", rest) or (re.match(r"\s+at\s", rest) and local in lex.english_words):
            continue  # "online at www.site.biz" is a link; "meet at clinic.com" is not an address
        col.add(m.start(), m.end(), PiiType.EMAIL, "email:obfuscated", 9)
    for m in SSN_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.SSN, "ssn:keyword", 9)
    for m in SSN.finditer(text):
        col.add(m.start(), m.end(), PiiType.SSN, "ssn:pattern", 8)
    for m in NPI_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.NPI, "npi:keyword", 9)
    for m in MRN_KEYWORD.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.MRN, "mrn:keyword", 9)
    for m in ID_KEYWORD.finditer(text):
        if _NOT_ID_BEFORE.search(text[max(0, m.start() - 12) : m.start(1)]):
            continue
        value = m.group(1)
        if sum(c.isdigit() for c in value) < 4:
            continue
        col.add(m.start(1), m.end(1), PiiType.ID, "id:keyword", 7)
    for m in PHONE_KEYWORD.finditer(text):
        digits = re.sub(r"\D", "", m.group(1))
        if len(digits) >= 7 and digits not in _OWN_NUMBERS:
            col.add(m.start(1), m.end(1), PiiType.PHONE, "phone:keyword", 8)
    for m in PHONE_GENERIC.finditer(text):
        digits = re.sub(r"\D", "", m.group())
        if 9 <= len(digits) <= 15 and digits not in _OWN_NUMBERS and digits[-10:] not in _OWN_NUMBERS:
            col.add(m.start(), m.end(), PiiType.PHONE, "phone:generic", 6)
    for pattern, rule in ((PHONE, "phone:us"), (PHONE_INTL, "phone:intl"), (PHONE_LOCAL, "phone:local")):
        for m in pattern.finditer(text):
            digits = re.sub(r"\D", "", m.group())
            if digits in _OWN_NUMBERS or digits[-10:] in _OWN_NUMBERS:
                continue
            if (
                rule == "phone:us"
                and digits.isdigit()
                and len(digits) == 10
                and m.group().isdigit()
                and _luhn_npi(digits)
            ):
                col.add(m.start(), m.end(), PiiType.NPI, "npi:checksum", 7)
                continue
            if rule == "phone:intl" and len(digits) < 8:
                continue
            if rule == "phone:local" and _NOT_ID_BEFORE.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            col.add(m.start(), m.end(), PiiType.PHONE, rule, 7)
    for m in IP_ADDRESS.finditer(text):
        col.add(m.start(), m.end(), PiiType.ID, "id:ip", 6)
    for m in LONG_NUMBER.finditer(text):
        if _NOT_ID_BEFORE.search(text[max(0, m.start() - 14) : m.start()]) or re.match(r"(?i)qlv", m.group()):
            continue
        col.add(m.start(), m.end(), PiiType.ID, "id:long_number", 4)
    for m in DOB.finditer(text):
        col.add(m.start(1), m.end(1), PiiType.DATE, "date:birth", 8)
    for p in DATE_PATTERNS:
        for m in p.finditer(text):
            g = 1 if p.groups else 0
            col.add(m.start(g), m.end(g), PiiType.DATE, "date", 6)
    for m in BARE_MONTH_DAY.finditer(text):
        if m.group().endswith("/10") or m.group() in ("1/2", "1/3", "2/3", "1/4", "3/4"):
            continue  # pain scores and fractions
        if _NOT_DATE_BEFORE.search(text[max(0, m.start() - 22) : m.start()]) or _NOT_DATE_AFTER.match(
            text, m.end()
        ):
            continue
        col.add(m.start(), m.end(), PiiType.DATE, "date:month_day", 5)
    for p in AGE_PATTERNS:
        for m in p.finditer(text):
            if p is _AGE_SEX and _is_fahrenheit(text, m.start(), m.end()):
                continue  # "kept at 86F", "36 to 46 F": a temperature, not a 46-year-old woman
            col.add(m.start(), m.end(), PiiType.AGE, "age", 6)
    for p in ADDRESS_PATTERNS:
        for m in p.finditer(text):
            g = 1 if p.groups else 0
            col.add(m.start(g), m.end(g), PiiType.ADDRESS, "address", 7)

    protected: list[tuple[int, int]] = []
    if protected_original:
        # Protected spans come in original coordinates; bring them to stage-1 coordinates.
        if analysis.chars.starts is None:
            protected = list(protected_original)
        else:
            starts = analysis.chars.starts
            for ps, pe in protected_original:
                idx = [i for i, o in enumerate(starts) if ps <= o < pe]
                if idx:
                    protected.append((idx[0], idx[-1] + 1))
    _names(text, col, protected, lex)

    spans: list[PiiSpan] = []
    findings: list[Finding] = []
    for s, e, kind, rule in col.resolve():
        os_, oe = analysis.chars.to_original(s, e)
        spans.append(PiiSpan(os_, oe, kind, rule))
        findings.append(
            Finding(
                Detector.PII,
                kind.value,
                Span(os_, oe),
                f"pii:{rule}",
                kind.placeholder,
                1.0,
                f"{kind.value} redacted",
            )
        )
    return spans, findings


def redact(text: str, spans: list[PiiSpan]) -> str:
    """Replace each PII span of the original text with its typed placeholder."""
    out: list[str] = []
    pos = 0
    for sp in sorted(spans, key=lambda s: s.start):
        if sp.start < pos:
            continue
        out.append(text[pos : sp.start])
        out.append(sp.type.placeholder)
        pos = sp.end
    out.append(text[pos:])
    return "".join(out)

"""PII patterns: emails, phones, SSN, NPI, MRN, IDs, dates, ages and street addresses."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import yaml

from compliance.nlp.brand import BRAND, PUBLISHED_NUMBERS

_I = re.IGNORECASE

# Published Avendra numbers are not personal data.
_OWN_NUMBERS = PUBLISHED_NUMBERS  # the company's published numbers (brand profile): never redacted

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
    r"pt (?:id|#|no\.?|number)|emr(?: id| number| #)?|ehr(?: id| number| #)?|encounter (?:id|number|#)|"
    # other languages' record labels: NHC (historia clínica), dossier, Fallnummer, cartella, prontuário
    r"nhc|historia cl[ií]nica|dossier(?: n[°º]| no\.?| number)?|n[°º] de dossier|fallnummer|fall-?nr\.?|"
    r"patientennummer|cartella(?: clinica)?|prontu[aá]rio|n[°ºo]\.? de historia(?: cl[ií]nica)?|"
    r"(?:nr|numer) historii(?: choroby)?|codice (?:paziente|sanitario|cartella)|num[eé]ro de dossier)"
    r"\W{0,4}(?:is\s+|was\s+)?#?\s*([A-Za-z]{0,4}[\-/.]?\d[\w\-/.]{2,}(?<![.]))",
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
    r"\b(?:lot|batch|lot number|lot no\.?|lot#|serial|"
    + BRAND
    + r"-us|ndc|approval code|code "
    + BRAND
    + r")\W*$",
    _I,
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
    r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"


def _foreign_months() -> str:
    """Month names of other languages (`vocab/months.yaml`), with their accent-free spellings."""
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "vocab" / "months.yaml").read_text("utf-8"))
    names = {str(n).lower() for group in data["months"].values() for n in group}
    names |= {unicodedata.normalize("NFKD", n).encode("ascii", "ignore").decode() for n in names}
    return "(?:" + "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n) + ")"


_FOREIGN_MONTH = _foreign_months()
DATE_PATTERNS: list[re.Pattern[str]] = [
    # "16-III-1974": the month in Roman numerals
    re.compile(r"\b\d{1,2}[-./ ](?:XII|XI|X|IX|VIII|VII|VI|V|IV|III|II|I)[-./ ](?:19|20)\d{2}\b"),
    # "2 janvier 1961", "12. Mai 1957", "19 de marzo de 1964", "1961. március 3.": a year is required
    re.compile(rf"\b{_DAY}\.?\s+(?:de\s+)?{_FOREIGN_MONTH}\.?,?\s+(?:de\s+)?(?:19|20)\d{{2}}\b", _I),
    re.compile(rf"\b(?:19|20)\d{{2}}\.?\s+{_FOREIGN_MONTH}\s+{_DAY}\b\.?", _I),
    re.compile(rf"\b{_FOREIGN_MONTH}\s+{_DAY},?\s+(?:19|20)\d{{2}}\b", _I),
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
    # "15FEB1935": a day, a month abbreviation and a year with no separator
    re.compile(rf"(?<![\w]){_DAY}{_MONTH}(?:19|20)?\d{{2}}(?![\w])", _I),
    # "27-Nov-1932", "3 Nov 58", "27/nov/1932": a day, an abbreviated month and a year with any separator
    re.compile(rf"(?<![\w/.\-]){_DAY}[\s/.\-]{_MONTH}\.?[\s/.\-](?:19|20)?\d{{2}}(?![\w/\-])", _I),
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


DIGIT_AGE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b\d{1,3}\s?(?:-\s?)?(?:years?|yrs?|yr|y)\s?(?:-\s?)?(?:old|o\b)", _I),
    re.compile(r"\b\d{1,3}\s?(?:yo|y/o|y\.o\.?|yrs? old)(?![\w])", _I),
    re.compile(r"\b(?:aged?|age:|age is|at age)\s*\d{1,3}\b", _I),
    re.compile(r"\b\d{1,3}\s+years?\s+of\s+age\b", _I),
    re.compile(r"\b\d{1,3}\s?(?:years?|yrs?)\b(?=\s*(?:,|\)|;|female|male|woman|man|lady|gentleman|[fm]\b))", _I),
    _AGE_SEX,
    re.compile(r"(?<=[(,])\s*\d{1,3}\s*,?\s*(?:m|f|male|female)\s*(?=[),])", _I),
    re.compile(r"\b\d{1,3}\s?(?:-\s?)?(?:months?|mos?)\s?(?:-\s?)?old\b", _I),
]
# An age over 89 (an identifier on its own, HIPAA Safe Harbor) said of a person without "years": "she's 95",
# "my patient is 101", "turned 91 last week", "grandma (100)", "Maria dos Santos (95)". Group 1 is the age.
_PERSON_WORD = (
    r"(?:she|he|i|i'm|im|patient|pt|client|resident|mother|mom|mum|mam|father|dad|grand\w*|gran|nan|nana|aunt|"
    r"auntie|uncle|husband|wife|partner|neighbou?r|lady|gentleman|gent|man|woman|friend|sister|brother|"
    r"dame|sir|mr|mrs|ms|miss)"
)
_OLD_AGE = r"(?:9\d|1[01]\d)(?!\s*(?:%|percent|mg|mcg|kg|lbs?|pounds|cm|mm|ml|units?|bpm|degrees|°|/))"
# Ages over 89 in words: "ninety", "ninety-four", "a hundred and one".
_AGE_WORDS = (
    r"(?:ninety(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|(?:a |one )?hundred(?: and "
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten))?)"
)
OLD_AGE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(
        rf"\b{_PERSON_WORD}(?:'s|’s|\s+(?:is|was|will be|just turned|turned|turns|is now|now))\s+(9\d|1[01]\d)\b"
        r"(?!\s*(?:%|percent|mg|mcg|kg|lbs?|pounds|cm|mm|ml|units?|bpm|degrees|°|/|over\b|x\b|times))",
        _I,
    ),
    re.compile(r"\b(?:turned|turning|turns|reached|reaching|celebrat\w+ (?:her|his|their))\s+(9\d|1[01]\d)\b", _I),
    # "very elderly pt, 91, considering", "Kenji Fujita is 94 and", "un patient de 98 ans", "she's ninety"
    re.compile(rf"\b{_PERSON_WORD}\s*,\s*({_OLD_AGE})\s*,", _I),
    re.compile(rf"\b(?-i:[A-Z][a-z]+) (?:is|was) ({_OLD_AGE})(?= and\b| years\b| yrs\b|\s*[,.;]|\s*$)"),
    re.compile(rf"\b({_OLD_AGE})\s*(?:ans|años|anos|anni|jahre|jahren|jaar|år|lat|let|vuotta|éves)\b", _I),
    # "patients as old as 99", "aged 97", "age: 103": an age over 89 is an identifier wherever it stands
    re.compile(r"\b(?:as old as|aged|age[:=]?|ages?d? of)\s+(9\d|1[01]\d)\b(?!\s*(?:%|mg|kg|ml|units?|/))", _I),
    re.compile(r"(?<=[A-Za-zÀ-ÿ'’.])\s*\((9\d|1[01]\d)\)"),
    # clinical shorthand: "pt 95, otherwise healthy", "female 92 yo"
    re.compile(rf"\b(?:pt|patient|male|female|man|woman)\s+({_OLD_AGE})(?=\s*(?:,|;|\.|yo\b|y/o|y\.o\.|$))", _I),
    # "ximena ortega is 103 and lives alone" (a name in lower case)
    re.compile(r"\b(?:is|was|turned|just turned)\s+(9\d|1[01]\d)\s+(?=and\b|years?\b|yrs?\b|y/?o\b)", _I),
]
# Ages in words ("in her nineties", "a centenarian"): no digit needed.
NO_DIGIT_AGE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(r"\b(?:in (?:her|his|their) (?:early |late |mid-?)?(?:nineties|90s|eighties|80s|hundreds))\b", _I),
    re.compile(r"\b(?:nonagenarian|centenarian|supercentenarian)\b", _I),
]
# Ages over 89 in words, group 1: "she's ninety", "very elderly pt, ninety-four,", "un patient de
# ninety-seven ans".
WORD_AGE_PATTERNS: list[re.Pattern[str]] = [
    re.compile(rf"\b{_PERSON_WORD}(?:'s|’s|\s+(?:is|was|turned|turns|just turned))\s+({_AGE_WORDS})\b", _I),
    re.compile(rf"\b{_PERSON_WORD}\s*,\s*({_AGE_WORDS})\b", _I),
    re.compile(rf"\bde\s+({_AGE_WORDS})\s+ans\b", _I),
    # "a patient aged ninety-two", "At ninety-seven, my aunt ...", "someone who is ninety-nine"
    re.compile(rf"\b(?:who is|who's|who turned|who turns)\s+({_AGE_WORDS})\b", _I),
    re.compile(rf"\b(?:aged|age|at)\s+({_AGE_WORDS})(?=\s*(?:,|\.|$|years|yrs|and|with|on|in)\b|\s*[,.)-])", _I),
    # "a hundred and one years", "ninety-six yrs old", "Re: <name> (ninety-six)": an age in words over 89 stated
    re.compile(rf"\b({_AGE_WORDS})\s+(?:years?|yrs?|y/o|yo|y\.o\.)(?!\w)", _I),
    re.compile(rf"\(\s*({_AGE_WORDS})\s*\)", _I),
]
_STREET_SUFFIX = (
    r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|lane|ln|drive|dr|court|ct|way|place|pl|terrace|ter|circle|"
    r"cir|highway|hwy|"
    r"parkway|pkwy|square|sq|trail|trl|crescent|cres|close|grove|row|alley|plaza|loop|pike|run|path|walk|parade|"
    r"quay|esplanade|wharf|mews)"
)
ADDRESS_PATTERNS: list[re.Pattern[str]] = [
    re.compile(
        # not "type 2 diabetes run": a classification number is no house number
        rf"\b(?<!type )(?<!grade )(?<!stage )(?<!class )(?<!level )\d{{1,6}}[A-Za-z]?\s+"
        rf"(?:[NSEW]\.?\s+|north\s+|south\s+|east\s+|"
        rf"west\s+)?(?:[A-Za-z0-9'\-]+\s+){{0,4}}{_STREET_SUFFIX}\b\.?"
        rf"(?:\s*,?\s*(?:apt|apartment|unit|suite|ste|#|room|rm|floor|fl)\.?\s*#?\s*[\w\-]+)?"
        rf"(?-i:(?:\s*,\s*[A-Z][A-Za-z]+(?:\s+[A-Z][A-Za-z]+){{0,2}})?(?:\s*"
        rf",?\s*[A-Z]{{2}}\b)?)(?:\s+\d{{5}}(?:-\d{{4}})?)?",
        _I,
    ),
    re.compile(r"\bp\.?\s?o\.?\s*box\s+\d+\b", _I),
    re.compile(r"\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?,\s*[A-Z]{2}\s+\d{5}(?:-\d{4})?\b"),
    re.compile(
        # "postcode for the delivery is 69003", "PLZ: 80945", "postcode 2896" (four-digit codes too)
        r"\b(?:zip|zip code|zipcode|postal code|postcode|post code|plz|code postal|cap)\W{0,3}"
        r"(?:(?:for|of) (?:the |her |his |their )?\w+(?: \w+)? )?(?:(?:is|was|=)\W{0,2})?"
        r"(\d{4,5}(?:-\d{3,4})?)\b",
        _I,
    ),
    # "a dermatologist near 31265": a five-digit number where a place is meant
    re.compile(
        r"\b(?:near|around|close to|within \d{1,3} (?:miles|mi|km) of|deliver(?:s|y|ing)? to|ship(?:s|ped|ping)? "
        r"to|send (?:it |them )?to|located in|based in|"
        r"(?:i'?m|i am|we'?re|we are|practi[cs]e is|clinic is|office is|live|living|work|practi[cs]e) in)"
        r"\s+(\d{5}(?:-\d{4})?)\b(?![.,]\d)(?!\s*(?:%|mg|mcg|ml|units?|patients?|pts))",
        _I,
    ),
    # "covers the 10025 ZIP code": the code before its label
    re.compile(r"\b(\d{5}(?:-\d{4})?)\s+(?:zip|zip code|zipcode|postal code|postcode)\b", _I),
    # "near K1A 0B1", "near V94 T9PX": a Canadian postal code or an Irish Eircode where a place is meant
    re.compile(
        r"\b(?:near|around|close to|in|to|at)\s+([A-Z]\d[A-Z] ?\d[A-Z]\d|[A-Z]\d{2} ?[A-Z][A-Z\d]{3})(?![\w])"
    ),
    re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s?\d[A-Z]{2}\b"),  # UK postcode
]
# Where someone lives, digits or not ("lives in Duluth").
RESIDENCE = re.compile(
    r"\b(?:lives|living|resides|residing|resident|moved|relocated)\s+(?:in|at|on|of|to)\s+"
    r"((?:[A-Z][A-Za-z'\-]+|\d+[A-Za-z]?)(?:[ ,]+(?:[A-Z][A-Za-z'\-]+|[A-Z]{2}|\d{5}))*)"
)

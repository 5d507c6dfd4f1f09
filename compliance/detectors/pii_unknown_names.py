"""Names with no cue word, in any case and any language: "aroha hosseini rang about the refill".

A run of two or three adjacent words that are each unknown to every vocabulary the layer has (the
English word list and its inflections, the event terminology, the drug dictionary, the curated terms
and the common words of other languages in `vocab/foreign_words.txt`) is a person's name, with surname
particles allowed inside ("anahera le goff"). A drug or a disease is never unknown (the dictionaries
win), so "Is Quelvanti safe with Clomipramine?" keeps its drug. A given name from
`vocab/first_names.txt` counts as an unknown word. Where (`vocab/name_cues.yaml`):
- `capitalised_run`: a word of the run is capitalised or a known given name ("Itzel kwon");
- `lowercase_run_at_name_position`: all lower case, at the start of the message or a clause, or after a
  cue word ("caller: aroha parata;", "spoke with sefa fifita"), never after a determiner.
Markup ("<img src=...>") and fragments glued to digits ("2nd inj") are no names.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

import yaml

from compliance.detectors.pii_libraries import _NAME_PARTICLES, _unknown_word
from compliance.findings import PiiType
from compliance.nlp.lexicon import Lexicon, get_lexicon, is_english_word
from compliance.nlp.morphology import disease_shaped

Candidate = tuple[int, int, PiiType, str, int]
_WORD = re.compile(r"(?<![\w<])[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]*(?![\w=])")
_PREVIOUS_WORD = re.compile(r"([A-Za-z\u00c0-\u024f]+)\.?\s*$")
# Cue phrases whose last word is too common to be a cue alone: "on behalf of amara nwosu".
_CUE_PHRASE = re.compile(
    r"(?i)\b(?:on behalf of|in the name of|in regard to|with regard to|speaking for|this is|my name is|name's|"
    r"i am|i'm|signed|regards,?|thanks,?|cheers,?)\s+$"
)
# The start of the message (after any dashes or bullets: "-- imran chowdhury, pa-c | ...") or of a clause.
_CLAUSE_START = re.compile(r"(?:^\W*|[,;:(\[\n\"/]|\s[-–—]|[.!?])\s*$")


@cache
def _data() -> dict[str, list[str]]:
    data = yaml.safe_load((Path(__file__).resolve().parents[1] / "vocab" / "name_cues.yaml").read_text("utf-8"))
    assert isinstance(data, dict)
    return data


@cache
def _cues() -> tuple[frozenset[str], frozenset[str], tuple[str, ...]]:
    data = _data()
    prefixes = tuple(sorted((str(p) for p in data["english_prefixes"]), key=len, reverse=True))
    return frozenset(str(w) for w in data["cues"]), frozenset(str(w) for w in data["not_after"]), prefixes


@cache
def _verbs_after() -> re.Pattern[str]:
    words = "|".join(re.escape(str(w)) for w in _data()["verbs_after"])
    return re.compile(rf"\s+(?:{words})\b")


def _prefixed_english(low: str, lex: Lexicon) -> bool:
    """ "reheat", "unzip": an English prefix before an English word of 3+ letters."""
    return any(
        low.startswith(p) and len(low) - len(p) >= 3 and is_english_word(low[len(p) :], lex.english_words)
        for p in _cues()[2]
    )


def capitalised_run(text: str, run: list[re.Match[str]], lex: Lexicon) -> bool:
    """A word of the run is capitalised or a known given name, no determiner stands before it and no model
    number or device noun after it ("ResMed AirSense 11", "Medtronic MiniMed 780G")."""
    before = _PREVIOUS_WORD.search(text[max(0, run[0].start() - 30) : run[0].start()])
    if before and before.group(1).lower() in _cues()[1]:
        return False
    if _DEVICE_NOUN_AFTER.match(text, run[-1].end()):
        return False
    return any(w.group()[:1].isupper() or w.group().lower() in lex.first_names for w in run)


def lowercase_run_at_name_position(text: str, run: list[re.Match[str]], lex: Lexicon) -> bool:
    """An all-lowercase run at the start of the message or a clause, right after a cue word, or right before
    a verb people do ("ok so joaquin saliba called again", `verbs_after` in `vocab/name_cues.yaml`)."""
    head = text[max(0, run[0].start() - 30) : run[0].start()]
    if _CLAUSE_START.search(head) or _verbs_after().match(text, run[-1].end()):
        return True
    before = _PREVIOUS_WORD.search(head)
    return bool(before and before.group(1).lower() in _cues()[0]) or _CUE_PHRASE.search(head) is not None


RULES = (capitalised_run, lowercase_run_at_name_position)
# "Last, First" at a clause start or both capitalised ("demographics: Nagy, Milena; dob ...").
_LAST_FIRST_GAP = ", "
# A particle that is also a whole surname when it ends the name ("huong le": Lê).
_SURNAME_PARTICLES = frozenset({"le"})
_SHORT_PART = re.compile(r"[a-z\u00c0-\u024f]{2,3}")


def _name_word(word: str, lex: Lexicon, typos: bool = True) -> bool:
    """A word that can be part of a name: unknown everywhere, or a known given name; no acronym.

    With `typos`, a swapped-letter English word ("crad") is a typo, not a name word."""
    return _name_word_of_lexicon(word, typos) if lex is get_lexicon() else _is_name_word(word, lex, typos)


@lru_cache(maxsize=65536)
def _name_word_of_lexicon(word: str, typos: bool) -> bool:
    return _is_name_word(word, get_lexicon(), typos)


def _is_name_word(word: str, lex: Lexicon, typos: bool = True) -> bool:
    low = re.sub(r"['’]s$", "", word.lower()).strip("'’-")  # "Sousa's carer": the name without the possessive
    if len(low) < 2 or (word.isupper() and len(word) > 1) or low in lex.foreign_words:
        return False
    if word.islower() and _prefixed_english(low, lex):
        return False
    if low not in lex.first_names and disease_shaped(low):
        return False  # "amyopathic dermatomyositis": a disease word, not a surname
    if low in lex.first_names or _unknown_word(low, lex, typos):
        return True
    parts = [p for p in low.split("-") if p]
    # "soo-ah", "jean-baptiste": a hyphenated name with one unknown part of 3+ letters and no term or drug.
    return (
        len(parts) > 1
        and any(len(p) >= 3 and _unknown_word(p, lex) for p in parts)
        and not any(p in lex.drugs or p in lex.terminology_events or p in lex.known_terms for p in parts)
    )


@lru_cache(maxsize=65536)
def _weak_name_word(word: str) -> bool:
    """A word that may be part of a name beside a stronger one: an English-looking derivation that is not
    itself in the word list ("gruber" = grub + er), or a hyphenated pair of short parts ("min-jun")."""
    lex = get_lexicon()
    low = word.lower().strip("'’-")
    if low in lex.drugs or low in lex.known_terms or low in lex.terminology_events or low in lex.foreign_words:
        return False
    parts = low.split("-")
    if len(parts) == 2 and all(_SHORT_PART.fullmatch(p) for p in parts):
        return True
    return (
        len(low) >= 4
        and low.isalpha()
        and low not in lex.english_words
        and is_english_word(low, lex.english_words)
    )


def _initial(word: re.Match[str], text: str) -> bool:
    """ "Tamar R. Ben-Ami": a middle initial (one capital and a period) after a capitalised name word."""
    return re.fullmatch(r"[A-Z]", word.group()) is not None and text[word.end() : word.end() + 2] == ". "


def _capitalised_surname(word: str, lex: Lexicon) -> bool:
    """A capitalised word (not all caps) that is no drug, event or curated term: "Park", "Young", "King"."""
    low = word.lower()
    return (
        word[:1].isupper()
        and word[1:].islower()
        and len(word) >= 3
        and low not in lex.drugs
        and low not in lex.known_terms
        and low not in lex.terminology_events
    )


def _last_first(text: str, run: list[re.Match[str]], w: re.Match[str]) -> bool:
    if len(run) != 1 or text[run[0].end() : w.start()] != _LAST_FIRST_GAP:
        return False
    both_capitalised = run[0].group()[:1].isupper() and w.group()[:1].isupper()
    head = text[max(0, run[0].start() - 30) : run[0].start()]
    return both_capitalised or bool(_CLAUSE_START.search(head))


def unknown_word_names(text: str, lex: Lexicon, protected: list[tuple[int, int]]) -> list[Candidate]:
    """Runs of two or three name words joined by single spaces (particles allowed inside)."""
    words = list(_WORD.finditer(text))
    out: list[Candidate] = []
    i = 0
    while i < len(words):
        first = words[i].group()
        if not (_name_word(first, lex, False) or (lex is get_lexicon() and _weak_name_word(first))):
            i += 1  # most words are English: no run can start here
            continue
        run: list[re.Match[str]] = []
        strong = 0
        cue = _PREVIOUS_WORD.search(text[max(0, words[i].start() - 30) : words[i].start()])
        typos = not (cue and cue.group(1).lower() in _cues()[0])
        j = i
        while j < len(words) and len(run) < 4:
            w = words[j]
            if run and text[run[-1].end() : w.start()] not in (" ", ". ") and not _last_first(text, run, w):
                break
            if run and text[run[-1].end() : w.start()] == ". " and not _initial(run[-1], text):
                break
            low = w.group().lower()
            particle = bool(run) and (
                low in _NAME_PARTICLES or (_initial(w, text) and run[-1].group()[:1].isupper())
            )
            is_strong = not particle and _name_word(w.group(), lex, typos)
            weak = not particle and not is_strong and lex is get_lexicon() and _weak_name_word(w.group())
            # "Seo-yeon Park", "Amara Young": a capitalised English surname after a capitalised name word.
            weak = weak or (
                bool(run)
                and not particle
                and not is_strong
                and _capitalised_surname(w.group(), lex)
                and run[-1].group()[:1].isupper()
                and all(_name_word(r.group(), lex, typos) for r in run)
            )
            if not (particle or is_strong or weak):
                break
            strong += is_strong
            if any(not (w.end() <= ps or w.start() >= pe) for ps, pe in protected):
                break
            if particle:
                run.append(w)
                j += 1
                continue
            run.append(w)
            j += 1
            if re.search(r"['’]s$", w.group()):
                break  # "Sousa's carer": the possessive ends the name
        while run and run[-1].group().lower() in _NAME_PARTICLES - _SURNAME_PARTICLES:
            run.pop()
        names = [
            w
            for k, w in enumerate(run)
            if w.group().lower() not in _NAME_PARTICLES or (k == len(run) - 1 and k > 0)
        ]
        rule = next((r for r in RULES if r(text, run, lex)), None) if len(names) >= 2 and strong else None
        if rule is not None and any(len(w.group()) >= 3 for w in names):
            out.append((run[0].start(), run[-1].end(), PiiType.PERSON, f"person:unknown_words:{rule.__name__}", 5))
            i = j
        else:
            i += 1
    return out


# A capitalised unknown word used as a product: a device or product noun after it ("Zio patch", "Omron blood
# pressure monitor"), a model or version number after it ("Omnipod 5", "ResMed AirSense 11", "Microsoft 365"; not
# after a name cue, "Seen Okafor 3", nor an age, a time or a phone number), or a product context before it ("doses
# of", "side effect of", "the"; not "my" alone: "please call my Magdalena").
_DEVICE_NOUN_AFTER = re.compile(
    r"\s+(?:patch|patches|monitor|sensor|pump|pen|pens|inhaler|tablets?|pills?|capsules?|cream|gel|spray|drops|"
    r"blood pressure|bp cuff|cuff|ecg|ekg|cgm|glucometer|cpap|nebuli[sz]er|hearing aids?|"
    r"vaccine|shot|jab|device|meter|machine|app|ring|watch|strips?|lozenges?|syrup|injection|dose|doses|"
    r"aligners?|retainers?|braces|implants?|lenses|contacts|brace|splint|mouthguard|insoles?|stockings)\b"
)
_MODEL_NUMBER_AFTER = re.compile(
    r"(?:\s+[A-Z][\w-]*)?\s+(?:\d+[A-Za-z]?|[A-Z]\d{1,3})\b"
    # not an age ("Okafor 72 M", "Lopez 45 yo"), a time ("Okafor 5 weeks post dose") or a phone number
    r"(?!\s*(?:y|yo|y/o|yrs?|years?|m|f|male|female|weeks?|wks?|days?|months?|mos?|hours?|hrs?|minutes?|mins?)\b)"
    r"(?![-\s.]*\d{3})"
)
_CAPITALISED_BEFORE = re.compile(r"(?:[A-Z][\w-]*\s+){1,2}$")
_PRODUCT_CONTEXT_BEFORE = re.compile(
    r"\b(?:doses? of|shots? of|side effects? of|effects? of|dose of|vaccines? like|brands? like|the)\s+$",
    re.IGNORECASE,
)
# "the Okonkwo family", "the Nguyens' house": a family name after "the".
_FAMILY_AFTER = re.compile(
    r"(?:['’]s?)?\s+(?:family|families|household|kids|children|twins|brothers|sisters|home|house)\b"
)


def product_named_here(text: str, start: int, end: int) -> bool:
    """The capitalised word at [start, end) names a product or device, by the words around it."""
    if _FAMILY_AFTER.match(text, end):
        return False
    if _DEVICE_NOUN_AFTER.match(text, end):
        return True
    head = text[max(0, start - 40) : start]
    brand = _CAPITALISED_BEFORE.search(head)  # "ResMed " before "AirSense"
    words_before = [_PREVIOUS_WORD.search(head), _PREVIOUS_WORD.search(head[: brand.start()]) if brand else None]
    # "Seen Okafor 3": a name cue right before the word or before its brand
    named = any(b is not None and b.group(1).lower() in _cues()[0] for b in words_before)
    if _MODEL_NUMBER_AFTER.match(text, end) and not named:
        return True
    return _PRODUCT_CONTEXT_BEFORE.search(text[max(0, start - 20) : start]) is not None

"""Patterns and word lists the PERSON heuristics use: titles, triggers, initials, name contexts."""

from __future__ import annotations

import re

from compliance.detectors.pii_patterns import (
    _I,
)

_TITLE = re.compile(
    r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Dra|Prof|Mister|Missus|Madam|Mme|Mlle|Sr|Sra|Srta|Sir|Dame|Nurse|Doctor|Dott|Dottssa|"
    r"Herr|Frau)\b\.?\s+",
    _I,
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
# One initial and a surname after a name cue: "patient p. chen", "i am e. kim", "dr a. tanaka", "ask for B. Okoye".
_INITIAL_SURNAME = re.compile(r"[A-Za-z]\.\s?[A-Za-z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]+")
# A name in capitals after a name cue: "ask for PRADEEP B. D'ANGELO" (each word, or an initial, in capitals).
_CAPS_WORD = r"[A-Z\u00c0-\u00de](?:['’][A-Z\u00c0-\u00de])?[A-Z\u00c0-\u00de]+(?:-[A-Z\u00c0-\u00de]+)?"
_CAPS_NAME = re.compile(
    r"(?=[A-Z\u00c0-\u00de]{3})" + _CAPS_WORD + r"(?:\s(?:[A-Z]\.|" + _CAPS_WORD + r")){1,3}(?![\w])"
)
# What follows a patient's name in a record line: "HANNAH M. HERNÁNDEZ, MRN: ...", "KOFI MENSAH (DOB ...)".
_RECORD_AFTER = re.compile(
    r"\s*[,:(\-–]?\s*(?:mrn|dob|d\.o\.b|date of birth|born|\d{1,3}\s*(?:y|yo|[mf])\b)", re.I
)
# Cues after which a run of unknown lower-case words is a name: "ask for eleni park", "speak to joao silva".
_ASK_FOR = re.compile(r"(?i)(?:ask for|speak to|speak with|talk to|my name is)\b")
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
        "D.O.B.",
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
        "d.o.b.",
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
    ]
)

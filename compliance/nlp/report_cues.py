"""Wordings that say a message is a report even where its event is named as a topic or a question: a report form
("I would like to report ...", "event pneumonia"), a question that presupposes the event ("is it normal that my
..."), and the writer's own statement pointing back at it ("mine started a week after the pen")."""

from __future__ import annotations

import re

from compliance.nlp.brand import BRAND

# A report written as a report: "I would like to report a side effect", "Initial report received via ...".
REPORT_INTENT = re.compile(
    r"\b(?:i|we)(?:'d| would| want| wish| need| am writing| are writing)(?: like)? to report\b|"
    r"\b(?:initial|follow-?up|spontaneous|new) (?:ae |adverse event |safety )?report\b|\breport received\b|"
    r"\breporting (?:a|an|the) (?:suspected |possible )?(?:side effect|adverse|reaction|ae\b|event|lab\w*|case)|"
    r"\breporting (?:a )?(?:lack|loss) of (?:efficacy|effect|response)|^\W*reporting\b|"
    r"\b(?:safety|ae|adverse event) report\W|"
    r"\b(?:do you want|should i|should we) (?:\w+ )?(?:reported|report (?:it|this))\b"
)
# A report form's field right before the event: "event pneumonia", "AE: rash", "Event verbatim: 'my face ...'".
STRUCTURED_FIELD = re.compile(
    r"\b(?:event|events|ae|aes|adr|sae|reaction|dx|verbatim|reported term|event term)\s*(?:[:=-]\s*)?['\"“‘]?\s*"
    r"(?:(?:a|an|new)\s+)?$"
)
# The patient, then "with" and a list of conditions reaching the mention: "59-year-old with hypertension and ...".
DESCRIBED_WITH = re.compile(
    r"\b(?:\d{1,3}\s?(?:y/?o|yo|yrs?|years?)(?:[- ]old)?|\d{1,3}-year-old|man|woman|male|female|patient|pt|"
    r"gentleman|lady|mom|mother|father|adult)\b[^.?!;]{0,25}?\bwith\s+(?:[\w/'-]+(?:,\s*|\s+and\s+|\s+)){0,8}$"
)
# The product (or "it", "this", "the drug") asked about as the cause: "is quelvanti the cause?", "could this be a
# side effect of QLV?", "related to the injections?". With a condition the patient is described with, the question
# presupposes the event: "Patient with liver failure, is quelvanti the cause?" is a report.
_AGENT = r"(?:" + BRAND + r"|it|this|that|the (?:drug|medication|medicine|biologic|injections?|shots?|treatment))"
PRODUCT_AS_CAUSE = re.compile(
    r"\b(?:" + _AGENT + r" (?:be |is |was )?(?:the )?(?:cause|culprit|reason|responsible|to blame|behind it|"
    r"causing|caused|triggered|triggering)|(?:side[- ]effects?|reaction|adverse (?:effect|reaction|event)|effect) "
    r"(?:of|to|from) " + _AGENT + r"|(?:caused|triggered|induced|brought on) by " + _AGENT + r"|"
    r"(?:due to|related to|linked to|from|because of|associated with) " + _AGENT + r"\b(?! (?:be|is|a|an)\b))"
)
# "Is it normal that my mouth is full of ulcers since my shot?": the question presupposes what follows.
PRESUPPOSING_QUESTION = re.compile(
    r"\b(?:is|was) (?:it|this|that) (?:normal|expected|common|usual|ok|okay|typical) "
    r"(?:that (?:my|her|his|our|the|i|she|he)|for (?:my|her|his|our|me|him))\b"
)


# A first-person or patient statement that points back at an event named in a question or a topic
# phrase: "anyone on X get diarrhoea?? mine started a week after the pen", "can X cause vitiligo? asking
# because i got it right after starting", "would you restart X after DRESS? it resolved", "management of
# mouth ulcers on X? patient presented with it yesterday", "anyone else notice angioedema on X? I'm 44 and
# never had it before", "who else gets fatigue after X?? every single time".
EXPERIENCE_REFERRAL = re.compile(
    r"\b(?:mine|hers|his|theirs|ours) (?:started|began|came on|appeared|showed up|kicked in|lasted|is|was|has)\b|"
    r"\b(?:i|i've|i have|she|he|they|we|pt|patient|"
    r"my (?:patient|pt|son|daughter|wife|husband|mum|mom|dad|partner)) "
    r"(?:just |also |now |then )?(?:got|get|had|have|has|developed|presented with|came in with|came back with|"
    r"noticed|started getting|keep getting|keeps getting) (?:it|this|that|them|these|those)\b|"
    r"\bpresented with (?:it|this|that|them)\b|"
    r"\bnever had (?:it|this|that|them|one|anything like (?:it|this|that)) before\b|"
    r"\bevery (?:single )?time\b|"
    r"\b(?:it|this|that|they|the \w+) (?:resolved|went away|cleared up|settled|came back|has resolved|has settled|"
    r"has cleared|got better|is resolving|recurred)\b|"
    r"\b(?:asking|ask|i ask) (?:because|bc|b/c|cos|cause|since|as) (?:i|she|he|my|we|mine)\b|"
    # "does QLV give anyone else a lump?", "ringing in my ears?? anyone else??": the writer has it too
    r"\banyone else\b|\bam i the only one\b|\bjust me\b|"
    # "happened to me within 20 minutes of the shot", "started right after my third injection"
    r"\bhappened to (?:me|her|him|us|them|my)\b|"
    r"\b(?:started|began|came on|kicked in|showed up|appeared) (?:right |just |about |around |a day |a week |"
    r"\w+ (?:days?|weeks?|hours?) )?(?:after|since|within|following) "
    r"(?:my|her|his|the|their|starting|each|every)\b|"
    # a patient's own progress post: "#quelvanti week 6 check in: a sore throat that won't quit"
    r"\b(?:week|wk|day|month) ?\d+ (?:check[- ]?in|update)\b|\b(?:journey|progress) (?:thread|update|post)\b|"
    # "quelvanty + hiccups for three days = normal??": the writer's own product and symptom, asked about
    r"=\s*(?:normal|expected|common|ok|okay|typical|related|known)\b"
)


# A clinician's terse note: "F 50s, QLV maint, GBS", "TIA, ?QLV related. d/c'd.", "M 60s on qlv q8w: DILI".
_NOTE_CUE = re.compile(
    r"\b(?:[mf] ?\d0s|\d{1,3} ?[mf]|\d+ ?y/?o|pt|maint|q\d+w|held|holding|d/c'?d|dc'?d|stopped|now|new|post|"
    r"s/p|x ?\d|wk ?\d+|rechallenge)\b|\?(?=[a-z])"
)
MAX_NOTE_WORDS = 14
# An embedded or plain question: "pt wants to know if quelvanti causes weight gain" is no note of an event.
_ASKS = re.compile(r"\b(?:if|whether|know|asks?|asking|wonder\w*|can|could|does|do|is|are|risks?|causes?)\b")


def shorthand_note(lower: str) -> bool:
    """A short clinical note naming an event with a note's cue (age and sex, maintenance, held, new, s/p) and no
    real question: the event is what the note reports."""
    if len(lower.split()) > MAX_NOTE_WORDS or re.search(r"\?(?![a-z])", lower) or _ASKS.search(lower):
        return False
    return _NOTE_CUE.search(lower) is not None


def experience_referral(lower: str) -> bool:
    """Someone says they (or their patient) had the event the message names as a topic or a question."""
    return EXPERIENCE_REFERRAL.search(lower) is not None

"""How a mention is framed: a report, a question, a hypothetical, a negation, generic or history.

Rules run on the lowercased normalised text of the mention's segment and sentence. The order
of the rules is the policy: evidence that something happened to a specific patient wins over
question marks, because a missed adverse event is the worst failure of this layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.engine import Analysis
from compliance.findings import Mode

_W = r"(?:\w+\W+){0,3}?"

# Past or perfect wordings of something happening (any subject).
PAST_EXPERIENCE = re.compile(
    r"\b(?:developed|develops now|had|has had|have had|'s had|'d had|got|gotten|has got|'s got|experienced|"
    r"experiencing|"
    r"presented|presents|presenting|complained|complaining|complains|c/o|noticed|noticing|"
    r"suffered|suffering|woke up|broke out|broken out|came down|ended up|landed|went to|was taken|were taken|"
    r"was admitted|got admitted|was hospitali[sz]ed|was rushed|passed away|died|collapsed|started (?:having|"
    r"getting|to have|to get|to feel|feeling|to develop|developing|to break)|"
    r"began|became|felt|showed|showing|shows|was found|found to have|was diagnosed|diagnosed|tested positive|"
    r"caught|contracted|"
    r"needed|required|occurred|happened|appeared|turned|flared|worsened|spiked|dropped|vomited|fainted|threw up|"
    r"been having|been getting|been experiencing|been feeling|been suffering|been complaining|now has|"
    r"still has|still having|"
    r"keeps getting|kept getting|is having|are having|was having|were having|is getting|is experiencing|"
    r"is suffering|"
    r"led to|resulted in|caused|triggered|gave (?:her|him|them|me) (?:a|an|some|bad|terrible|awful|severe)|"
    r"delivered|gave birth|miscarried|conceived)\b"
)
# Present wordings that count only with a specific patient ("she has", "my patient is").
PRESENT_EXPERIENCE = re.compile(
    r"\b(?:has|have|is|are|gets|get|getting|looks|seems|appears|feels|feeling|remains|stays|continues|keeps|"
    r"'s|'re|complains|reports|reported|presents|shows|needs|requires|develops|experiences|suffers)\b"
)
PATIENT_SPECIFIC = re.compile(
    r"\b(?:my|our|this|the|that|his|her|their) (?:\w+[- ]){0,3}?(?:patient|pt|client|lady|gentleman|gent|man|"
    r"woman|guy|girl|boy|female|male|mother|father|"
    r"mom|mum|dad|husband|wife|son|daughter|kid|child|baby|infant|grandmother|grandfather|grandma|grandpa|teen|"
    r"teenager|adolescent|resident|caregiver|"
    r"partner|nurse|spouse|friend|case)s?\b|"
    r"\b(?:patient|pt) of (?:mine|ours)\b|\bone of (?:my|our) (?:patients|pts)\b|\bi have a (?:patient|pt)\b|"
    r"\bwe have a (?:patient|pt)\b|"
    r"\b(?:she|he|they|i|we)\b|\bpt\b|\bmr\.?\s|\bmrs\.?\s|\bms\.?\s|"
    r"\b\d{1,3}\s?(?:-\s?)?(?:year|yr|y)s?\s?(?:-\s?)?(?:old|o)\b|\b\d{1,3}\s?(?:yo|y/o|y\.o\.?)|"
    r"\b\d{1,3}\s?[mf]\b|"
    r"\b(?:a|an)? ?(?:\d{1,3}[- ]?(?:year|yr)[- ]?old|elderly|older|young|pregnant|teenage|adolescent|"
    r"lactating|nursing|breastfeeding) (?:\w+ )?(?:patient|pt|woman|man|lady|female|male|gentleman|mother|"
    r"mom)\b"
)
POSSESSIVE = re.compile(
    r"\b(?:her|his|their|my|patient's|pt's|the patient's|this|these|baby's|child's|son's|daughter's|wife's|"
    r"husband's|mother's|father's)\s+"
    r"(?:(?:new|current|recent|persistent|ongoing|worsening|severe|bad|mild|terrible|awful|recurrent|little|"
    r"latest|first|\w+ly)\s+){0,2}$"
)
# Questions about the population at large, even when they contain "had".
SURVEY = re.compile(
    r"\b(?:has anyone|have any|anyone (?:else )?(?:seen|had|noticed|experienced|reported)|have you (?:seen|had|"
    r"heard|noticed|encountered|come across)|"
    r"any (?:other )?(?:reports?|cases?|data|experience)|how (?:many|often|common|likely|frequent)|"
    r"in your experience|have there been|were there|"
    r"has there been|is there|are there|do (?:other|patients|people|most)|does (?:anyone|it)|other (?:hcps|"
    r"doctors|physicians|clinicians))\b"
)
QUESTION_START = re.compile(
    r"^\W*(?:(?:so|and|but|also|ok|okay|hi|hello|hey|quick question|question)\W+)?"
    r"(?:what|what's|whats|how|why|which|who|whom|whose|where|can|could|does|do|did|is|isn't|are|aren't|was|"
    r"were|should|shouldn't|"
    r"would|will|may|might|has|have|any|anyone|is there|are there|when (?:should|can|do|does|is|will|would))\b"
)
HYPOTHETICAL = re.compile(
    r"\b(?:if|what if|in case|suppose|supposing|assuming|in the event|hypothetical(?:ly)?|let's say|lets say|"
    r"say a|imagine|"
    r"unless|whether|should (?:a|the|my|your|any) (?:patient|pt|person)|were (?:a|the|my) (?:patient|pt)|"
    r"when (?:a|the|your|patients|someone|somebody|people)\b|once (?:a|the) patient|in patients who|"
    r"for patients who|patients who|anyone who|someone who|those who|"
    r"would|could|might|may|possible|possibly|potential(?:ly)?|theoretical(?:ly)?|expect|expected|likely)\b"
)
# Words that open a conditional clause; what follows up to a clause break is hypothetical.
CONDITIONAL = re.compile(
    r"\b(?:if|what if|in case|suppose|supposing|assuming|in the event(?: that)?|unless|should (?:a|the|my|your|"
    r"any|she|he) \w+|"
    r"were (?:a|the|my|she|he) \w+|when (?:a|the|your|patients|someone|somebody|people|they) \w+|once (?:a|"
    r"the) \w+|"
    r"in patients who|for patients who|patients who|anyone who|someone who|those who|whether)\b"
)
CLAUSE_BREAK = re.compile(r"[,;:?!.]|\bthen\b|\bwhat\b|\bhow\b|\bshould i\b|\bdo i\b|\bcan i\b")
GENERIC = re.compile(
    r"\b(?:can|could|may|might|will|would|does|do|did|is|are)\s+(?:quelvanti|it|this|the drug|the medication|"
    r"the medicine|the product|the injection|"
    r"il-?23 inhibitors?|biologics?|quelvarimab)\s+(?:cause|causes|lead|result|trigger|increase|raise|worsen|"
    r"induce|make|be associated)\b|"
    r"\b(?:cause|causes|causing)\b|"
    r"\b(?:side effects?|adverse (?:events?|reactions?|effects?)|aes?) (?:of|with|include|including|are|is|"
    r"from|for|like|such as|listed|profile|in)\b|"
    r"\b(?:risk|risks|incidence|rates?|frequency|frequent|common|commonly|uncommon|rare|rarely|often|usually|"
    r"typically|sometimes|percentage|percent|"
    r"likelihood|chance|odds|known|listed|label|labeling|labelling|prescribing information|package insert|isi|"
    r"safety information|warnings?|"
    r"precautions?|contraindicat\w*|data|studies|study|trials?|placebo|clinical|evidence|literature|signal|"
    r"class effect|associated with|linked to|"
    r"mechanism|monitor|monitoring|screen|screening|screened|counsel|counseling|counselling|educate|warn|"
    r"advise|prevent|prevention|avoid|"
    r"prophylaxis|guidance|protocol|recommendations?|recommended|general|generally|in general|patients on|"
    r"people on|anyone on|vaccine|vaccines|"
    r"vaccination|vaccinate|vaccinated|registry|information|info|brochure|leaflet|materials?|resources?|"
    r"watch for|look out for|keep an eye|"
    r"check for|test for|signs of|symptoms of)\b|%"
)
# Something the writer was told or is wondering about, not something observed.
HEARSAY = re.compile(
    r"\b(?:ask(?:s|ed|ing)? (?:me )?(?:if|whether|about|what|how|why|when)|wonder(?:s|ed|ing)?|wants? to know|"
    r"wanted to know|"
    r"worried|worries|worry|concerned|concerns?|afraid|scared|fear(?:s|ful)?|nervous about|anxious about|"
    r"hesitant|reluctant|"
    r"question(?:s)? (?:about|on|regarding|re)|questions?|info(?:rmation)? (?:on|about|regarding)|read (?:that|"
    r"about|online)|heard (?:that|about)|"
    r"saw (?:online|on|that)|told (?:her|him|them|me) (?:that|about)|tell me|tell us|let me know|can you|"
    r"could you|do you have|"
    r"looking for|any (?:info|information|data|advice|guidance)|"
    r"discuss(?:ed|ing)?|explain(?:ed|ing)?|educat(?:e|ed|ing)|counsel(?:ed|led|ing|ling)?|warn(?:ed|ing)?|"
    r"remind(?:ed)?|"
    r"what to do|how to (?:manage|treat|handle)|tips? for|manage|prevent|avoid|reduce the risk|minimi[sz]e)\b"
)
# "History of", "before starting": the event predates treatment.
HISTORY = re.compile(
    r"\b(?:history of|hx of|h/o|pmh|past medical history|prior|previous(?:ly)?|pre-?existing|known|chronic|"
    r"baseline|longstanding|long-standing|"
    r"in the past|years ago|as a child|before (?:starting|she started|he started|treatment|therapy|quelvanti|"
    r"initiating|beginning)|"
    r"prior to (?:starting|treatment|therapy|quelvanti|initiating)|at screening|also has|comorbid\w*|underlying)\b"
)
# Planning or eligibility questions: no exposure has happened yet.
PRETREATMENT = re.compile(
    r"\b(?:(?:can|could|should|may|would|do|is it (?:ok|okay|safe|fine) to) (?:i|we|she|he|they|you) (?:start|"
    r"initiate|begin|use|prescribe|give|put|try|consider|switch)|"
    r"before (?:starting|initiating|beginning|i start|we start|prescribing)|considering|thinking (?:of|about)|"
    r"planning to (?:start|prescribe|use)|"
    r"candidate|eligible|eligibility|would like to (?:start|prescribe|use)|want to (?:start|prescribe|use|try)|"
    r"not yet (?:started|on)|hasn't started|has not started|"
    r"about to start|going to start|plan to start|prior to starting|ready to start|cleared to start|"
    r"ok to start|okay to start|can start|before she starts|before he starts)\b"
)
# Exposure to the product has happened (overrides PRETREATMENT).
EXPOSURE = re.compile(
    r"\b(?:on (?:quelvanti|quelvarimab|it|this|treatment|therapy|the drug|the medication|the biologic)|taking|"
    r"been on|been taking|been using|"
    r"since (?:starting|beginning|her|his|their|the|initiating)|after (?:her|his|their|the|my|a|each|every|"
    r"\w+) (?:\w+ )?(?:dose|injection|shot|pen|jab)|"
    r"received|injected|was given|were given|got (?:her|his|their|a|the|an) (?:\w+ )?(?:dose|injection|shot|"
    r"pen)|had (?:her|his|their|a|the) (?:\w+ )?(?:dose|injection|shot)|"
    r"last (?:dose|injection|shot)|most recent (?:dose|injection)|(?:first|second|third|1st|2nd|3rd|loading|"
    r"week \d+) (?:dose|injection)|continue|continuing|keep (?:her|him|them) on|"
    r"stay on|stop|stopping|discontinue|hold (?:the|her|his)|while (?:on|taking|using|receiving)|"
    r"during (?:treatment|therapy)|currently on|treated with|"
    r"started (?:quelvanti|on|her|him|it|treatment|therapy)|exposed|exposure|dosed|administered|used (?:it|"
    r"quelvanti|a|the)|took|injecting|using it|"
    r"(?:getting|gets|receiving|receives|been getting|been receiving) (?:quelvanti|quelvarimab|it|"
    r"the injections|injections|doses|the drug|treatment))\b"
)

NEGATION_CUE = re.compile(
    r"\b(?:no|not|never|without|denies|denied|deny|negative for|free of|absence of|nor|neither|none|zero|n't|"
    r"hasn't|haven't|hadn't|didn't|doesn't|don't|isn't|wasn't|weren't|aren't|won't|cannot)\b"
)
PSEUDO_NEGATION = re.compile(
    r"\b(?:not sure|not certain|not clear|unclear|no idea|not known|not convinced|not only|no doubt|can't tell|"
    r"cannot tell|"
    r"not yet (?:resolved|gone|better)|no longer|not resolved|hasn't resolved|has not resolved|didn't resolve|"
    r"did not resolve|"
    r"hasn't gone|has not gone|not gone away|not going away|won't go away|doesn't go away|not improving|"
    r"no better|not better|"
    r"didn't stop|did not stop|couldn't stop|could not stop|not responding|not stopping|no relief|not relieved|"
    r"didn't help|did not help|"
    r"not until|not long after|wasn't long|not related to (?:anything|her|his) else|nothing else)\b"
)
NEGATION_TERMINATORS = re.compile(
    r"\b(?:but|however|although|though|except|aside|apart|yet|still|which|who|whom|whose|then|now|later|until|"
    r"while|because|since|so|"
    r"she|he|they|we|i|patient|pt|developed|got|started|began|presented|complained|experienced|noticed|woke|"
    r"broke|ended|came|went|"
    r"became|showed|caught|needed|had to)\b|[.;:!?]"
)
POST_NEGATION = re.compile(
    r"^\W*(?:(?:test|tests|testing|screen|screening|result|results|quantiferon|igra|ppd|skin test|"
    r"blood test)\s+)?(?:(?:was|is|were|are|has been|have been|came back|come back)\s+)?(?:ruled out|negative|"
    r"none|absent|denied|not present|not seen|unlikely|excluded|nil)\b"
)


@dataclass(frozen=True, slots=True)
class Framing:
    """The framing of one mention, and the rule that decided it."""

    mode: Mode
    rule: str


def _conditional_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Character ranges governed by a conditional opener ("if a patient gets a rash")."""
    spans: list[tuple[int, int]] = []
    for m in CONDITIONAL.finditer(text, start, end):
        brk = CLAUSE_BREAK.search(text, m.end(), end)
        spans.append((m.start(), brk.start() if brk else end))
    return spans


def is_negated(lower: str, start: int, end: int, seg_start: int) -> str | None:
    """Return the negation rule if the mention at [start, end) is negated, else None."""
    window_start = max(seg_start, start - 70)
    before = lower[window_start:start]
    cues = list(NEGATION_CUE.finditer(before))
    if cues:
        cue = cues[-1]
        gap = before[cue.end() :]
        # A pseudo-negation ("not sure if", "no longer") spanning the cue is not a negation.
        around = lower[window_start + cue.start() : min(len(lower), start + 25)]
        pseudo = PSEUDO_NEGATION.match(around) or PSEUDO_NEGATION.search(before[max(0, cue.start() - 12) :])
        if not pseudo:
            # The first two words after the cue belong to it ("has not had any", "did not develop").
            gap_words = gap.split()
            tail = " ".join(gap_words[2:]) if len(gap_words) > 2 else ""
            if len(gap_words) <= 9 and not NEGATION_TERMINATORS.search(tail) and not re.search(r"[.;:!?]", gap):
                return f"negation:{cue.group()}"
    after = lower[end : end + 30]
    if POST_NEGATION.match(after):
        return "negation:post"
    return None


_PERSONAL = re.compile(r"\b(?:her|his|my|our|their|him|me|us)\b")

# Administration verbs in the past: for special situations, the exposure itself is the event.
ADMIN_PAST = re.compile(
    r"\b(?:was given|were given|given|received|injected|administered|used|took|gave|dosed|stuck|froze|left|"
    r"dispensed|self-injected|"
    r"injecting|using|taking|been giving|been dosing|been injecting|been using|been taking|treated|treating|"
    r"started|prescribed|"
    r"put (?:her|him|them) on|followed (?:it|the schedule|the label|the instructions|that))\b"
)


def frame(
    analysis: Analysis,
    start: int,
    end: int,
    *,
    negatable: bool = True,
    happened: re.Pattern[str] | None = None,
) -> Framing:
    """Decide how the mention at normalised [start, end) is framed.

    `happened` adds verbs that count as evidence of occurrence for this kind of mention
    (administration verbs for special situations).
    """
    lower = analysis.lower
    seg = analysis.segment_of(start)
    # Mask the mention itself so its own words ("could not breathe") are not read as cues.
    masked = lower[:start] + " " * (end - start) + lower[end:]
    sent_text = masked[seg.sentence_start : seg.sentence_end]
    seg_text = masked[seg.start : seg.end]
    before_in_seg = masked[seg.start : start]

    if negatable:
        neg = is_negated(lower, start, end, seg.start)
        if neg:
            return Framing(Mode.NEGATED, neg)

    if HISTORY.search(masked[max(seg.start, start - 45) : start]) or re.match(
        r"^\W*(?:\w+\W+){0,4}(?:(?:long |well |years |months )?before (?:starting|she started|he started|"
        r"treatment|therapy|quelvanti|"
        r"quelvarimab|the biologic|any biologic)|prior to|years ago|as a child)",
        lower[end : end + 40],
    ):
        return Framing(Mode.HISTORY, "history")

    # "her rash", "this headache": the event exists for a specific person.
    if POSSESSIVE.search(masked[max(seg.start, start - 40) : start]):
        return Framing(Mode.REPORT, "possessive")

    for cs, ce in _conditional_spans(masked, seg.sentence_start, seg.sentence_end):
        if cs <= start < ce:
            return Framing(Mode.HYPOTHETICAL, "conditional")

    hearsay = None
    for h in HEARSAY.finditer(masked, max(seg.sentence_start, start - 80), start):
        hearsay = h
    if (
        hearsay is not None
        and not PAST_EXPERIENCE.search(masked, hearsay.end(), start)
        and not (happened is not None and happened.search(masked, hearsay.end(), start))
    ):
        return Framing(Mode.QUESTION, f"hearsay:{hearsay.group()}")

    survey = SURVEY.search(sent_text)
    is_question = seg_text.rstrip().endswith("?") or QUESTION_START.search(seg_text) is not None
    personal = PATIENT_SPECIFIC.search(sent_text) or _PERSONAL.search(sent_text)
    if is_question and not personal:
        # "Which reactions occurred in trials?", "Can it be used in pregnancy?": about patients in general.
        return Framing(Mode.QUESTION, "question")
    past = PAST_EXPERIENCE.search(seg_text) or PAST_EXPERIENCE.search(sent_text)
    if past is None and happened is not None:
        past = happened.search(seg_text) or happened.search(sent_text)
    specific = PATIENT_SPECIFIC.search(sent_text)
    if past and not survey:
        return Framing(Mode.REPORT, f"experience:{past.group()}")
    planning_only = PRETREATMENT.search(sent_text) is not None and EXPOSURE.search(sent_text) is None
    if specific and not survey and PRESENT_EXPERIENCE.search(sent_text) and not planning_only:
        return Framing(Mode.REPORT, f"patient:{specific.group().strip()}")

    if is_question:
        return Framing(Mode.QUESTION, "question")
    if HYPOTHETICAL.search(masked, seg.sentence_start, start):
        return Framing(Mode.HYPOTHETICAL, "hypothetical")
    if survey:
        return Framing(Mode.QUESTION, "survey")
    if GENERIC.search(sent_text):
        return Framing(Mode.GENERIC, "generic")
    if PRETREATMENT.search(sent_text) and not EXPOSURE.search(sent_text):
        return Framing(Mode.GENERIC, "pretreatment")
    if (
        re.search(r"\b(?:please|pls|plz|tell me|send|share|need|looking for|want|would like)\b", before_in_seg)
        and not specific
    ):
        return Framing(Mode.QUESTION, "request")
    # A plain statement with an event in it: err on the side of a report.
    return Framing(Mode.REPORT, "declarative")


_NEGATED_BEFORE = re.compile(
    r"\b(?:never|not|no|hasn't|has not|haven't|have not|wasn't|was not|didn't|did not|"
    r"yet to be)\W+(?:\w+\W+){0,1}$"
)


def exposure_in(text: str) -> bool:
    """True when `text` says the product was received, ignoring negated wordings ("never treated with")."""
    for pattern in (EXPOSURE, ADMIN_PAST):
        for m in pattern.finditer(text):
            if not _NEGATED_BEFORE.search(text[max(0, m.start() - 25) : m.start()]):
                return True
    return False


NEGATED_EXPOSURE = re.compile(
    r"\b(?:never|not|hasn't|has not|haven't|have not|wasn't|was not|didn't|did not|yet to)\b(?:\s+\w+){0,2}?\s+"
    r"(?:treated|started|been on|on (?:quelvanti|quelvarimab|it)|received|taken|used|exposed|given|had (?:a|"
    r"any) (?:dose|injection))\b"
)


def has_exposure(analysis: Analysis, start: int) -> bool:
    """True when the mention's sentence (or message) says the product was actually received."""
    seg = analysis.segment_of(start)
    return exposure_in(analysis.lower[seg.sentence_start : seg.sentence_end]) or exposure_in(analysis.lower)


def is_pretreatment(analysis: Analysis, start: int) -> bool:
    """True when the mention's sentence is about starting treatment that has not happened yet."""
    seg = analysis.segment_of(start)
    sent = analysis.lower[seg.sentence_start : seg.sentence_end]
    return PRETREATMENT.search(sent) is not None and not exposure_in(sent)

"""Adverse events: event terms, how each is framed, seriousness and the four minimum criteria."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.context import (
    PATIENT_SPECIFIC,
    QUESTION_START,
    Framing,
    clause_bounds,
    exposure_anchored,
    frame,
    is_negated,
)
from compliance.engine import EVENT, Analysis, TermMatch
from compliance.findings import Detector, Finding, Mode, Seriousness, Span
from compliance.structural import lab_value, patient_change, value_in_range

_SERIOUSNESS: dict[Seriousness, re.Pattern[str]] = {
    Seriousness.DEATH: re.compile(
        r"\b(?:died|dies|death|dead|passed away|pass(?:ed)? away|has passed|fatal|fatality|deceased|"
        r"did not survive|"
        r"didn't survive|succumbed|"
        r"fallecio|murio|decedut[oa]|e mort[oa]|est decedee?|verstorben|gestorben|faleceu|"
        r"lost (?:him|her|the patient)(?=\s*(?:[.,;!]|$|to |last|yesterday|this|on |in |at ))|autopsy|funeral)\b"
    ),
    Seriousness.HOSPITALISATION: re.compile(
        r"\b(?:hospitali[sz](?:ed|ation|ations)|admitted|admission|readmitted|inpatient|er visit|ed visit|"
        r"(?:went|came|taken|rushed|brought|sent|go|going|ended up|landed|presented) (?:\w+ )?(?:to|in|"
        r"at) (?:the )?(?:er|ed|emergency|hospital|a&e|icu)|"
        r"emergency (?:room|department)|a&e|icu|nicu|picu|intensive care|in (?:the )?hospital|ambulance|911|"
        r"observation unit|overnight stay|hospitalizad[oa]|ingresad[oa]|ricoverat[oa]|ricovero|hospitalisee?|"
        r"stationa(?:e)?r(?: aufgenommen)?|ins krankenhaus|internad[oa])\b"
    ),
    Seriousness.LIFE_THREATENING: re.compile(
        r"\b(?:life[- ]threatening|almost died|nearly died|could have died|near death|near-fatal|anaphyla\w*|"
        r"intubat\w*|ventilat\w*|"
        r"resuscitat\w*|cpr|cardiac arrest|code blue|coded|septic shock|respiratory failure|respiratory arrest|"
        r"throat (?:closing|closed)|"
        r"couldn't breathe|could not breathe|stopped breathing|epinephrine|epi ?pen|adrenaline)\b"
    ),
    Seriousness.DISABILITY: re.compile(
        r"\b(?:disab(?:led|ility|ilities)|permanent(?:ly)?|paraly[sz](?:ed|is)|blind(?:ness)?|lost (?:his|her|"
        r"their) (?:vision|sight|hearing)|"
        r"deaf(?:ness)?|can no longer (?:walk|work|see)|cannot walk|can't walk|unable to (?:walk|work)|"
        r"wheelchair|incapacitat\w*|"
        r"persistent or significant|lasting damage)\b"
    ),
    Seriousness.CONGENITAL_ANOMALY: re.compile(
        r"\b(?:birth defects?|congenital|malformations?|born with|cleft (?:lip|palate)|spina bifida|"
        r"heart defect|neural tube|"
        r"(?:fetal|foetal) anomal\w*|anomal(?:y|ies) in (?:the )?(?:baby|fetus|foetus|newborn))\b"
    ),
}
_SERIOUS_GENERIC = re.compile(r"\b(?:serious|severe|sae)\b")

# Identifiable-patient evidence beyond PATIENT_SPECIFIC: sex words and initials.
_PATIENT_EXTRA = re.compile(
    r"\b(?:woman|man|female|male|lady|gentleman|girl|boy|mother|father|patient|pt|client|her|his|him|she|he)\b|"
    r"\b[A-Z]\.\s?[A-Z]\.|\b\d{1,3}\s?(?:yo|y/o|year|yr)"
)
_CATCH_ALL = re.compile(
    r"\b(?:developed|develops|has developed|experienced|experiencing|experiences|presented with|"
    r"presenting with|presents with|complained of|"
    r"complaining of|complains of|c/o|suffered|suffering from|suffers from|diagnosed with|came down with|"
    r"broke out in|woke up with|"
    r"ended up with|was treated for|needed treatment for|now has|new[- ]onset|"
    r"(?:had to )?(?:stop|stopped|discontinue|"
    r"discontinued|hold|held|interrupt|interrupted) "
    r"(?:quelvanti|quelvarimab|qlv|quelva\w+|it|treatment|therapy|the drug)(?: \w+){0,4} (?:due to|"
    r"because of|after|"
    r"following|for))"
    r"\s+(?:a |an |some |new |mild |severe |bad |significant |recurrent |persistent |possible |suspected |"
    r"what looks like |an episode of )*"
    r"(?P<obj>[a-z][a-z\-]{2,})"
)
_NOT_EVENT_OBJECTS = frozenset(
    [
        "question",
        "questions",
        "concern",
        "concerns",
        "plan",
        "plans",
        "interest",
        "it",
        "that",
        "this",
        "them",
        "him",
        "her",
        "the",
        "well",
        "fine",
        "great",
        "good",
        "improvement",
        "improvements",
        "response",
        "responses",
        "results",
        "result",
        "clearance",
        "psoriasis",
        "plaque",
        "plaques",
        "skin",
        "way",
        "ways",
        "habit",
        "habits",
        "routine",
        "understanding",
        "relationship",
        "trust",
        "confidence",
        "no",
        "any",
        "nothing",
        "none",
        "nice",
        "clear",
        "clearing",
        "benefit",
        "benefits",
        "success",
    ]
)
_ANCHOR = re.compile(
    r"\b(?:after|since|following|post|within \w+ of|the day after|days? after|hours? after|weeks? after|"
    r"ever since)\s+(?:\w+\s+){0,3}?"
    r"(?:dose|doses|shot|shots|injection|injections|injected|injecting|dosing|dosed|pen|jab|quelvanti|"
    r"quelvarimab|starting|treatment|therapy|it|loading)\b|"
    r"\bon (?:quelvanti|quelvarimab|qlv|quelva\w+)\b|\bwhile (?:on|taking|using) \w+|\bsince (?:she|"
    r"he|they) (?:started|"
    r"began)\b|\bpost-?(?:injection|dose|dosing)\b"
)
_CHANGE = re.compile(
    r"\b(?:went|gone|turned|became|become|developed|lost|losing|worsened|worse|worsening|dropped|fell|"
    r"rose|diagnos\w*|noticed|appeared|showed up|came up|broke|happened|problem|problems|issue|issues|"
    r"felt like|all over the place|erratic|"
    r"unstable|out of whack|haywire|skips?|skipping|racing|pounding|heavy|heavier|painful|severe|terrible|"
    r"awful|constant|"
    r"persistent|spreading|tighten\w*|tight|tighter|felt (?:\w+ )?(?:funny|weird|off|strange|sick|ill|unwell|"
    r"faint|numb)|"
    r"trouble|reaction|reactions|symptom\w*|abnormal|weird|strange|unusual|funny|not (?:right|herself|himself|"
    r"themselves|well)|declin\w*|"
    r"deteriorat\w*|suffer\w*|struggl\w*|can't|cannot|couldn't|unable)\b"
)
_POSITIVE = re.compile(
    r"\b(?:clear|cleared|clearing|improv\w*|better|great|well|fine|good|excellent|responded|responding|"
    r"response|pasi ?(?:75|90|100)|"
    r"happy|pleased|thrilled|no (?:issues|problems|side effects|reactions?|concerns))\b|"
    r"\b(?:pasi|bsa|iga|dlqi|itch\w*|plaques?|scal(?:ing|es)|flak\w*|lesions?)\b[^.;]{0,40}\b(?:dropped|down|"
    r"decreased|fell|reduced|gone|stopped|disappeared|resolved|faded|fading|flatter|thinner|smaller)\b"
)
_NEGATIVE = re.compile(
    r"\b(?:worse|worsen\w*|not|no longer|lost|problem|problems|issue|issues|trouble|abnormal|weird|strange|"
    r"pain|bad|terrible|awful)\b"
)
_SOCIAL = re.compile(
    r"\b(?:job|money|cost|costs|afford|insurance|insurer|copay|co-pay|coverage|covered|pharmacy|appointment|"
    r"prior auth\w*|"
    r"price|bill|billing|card|refill|shipment|delivery|portal)\b"
)
_PERSONAL = re.compile(r"\b(?:her|his|my|our|their|him|she|he)\b")
_NOT_ILLNESS_AFTER = re.compile(
    r"\s*(?:-\s*)?(?:shot|shots|vaccine|vaccines|vaccination|vaccinations|jab|jabs|booster|immuni[sz]ation|"
    r"test|tests|testing|screen|screening|"
    r"swab|prophylaxis|season|clinic|registry|risk|prevention)\b"
)
_NOT_ILLNESS_BEFORE = re.compile(
    r"\b(?:vaccin\w* (?:for|against)|immuni[sz]\w* (?:for|against)|test(?:ed|ing)? for|screen(?:ed|ing)? for|"
    r"protect\w* (?:against|from))\W+$"
)
_IMPROVED = re.compile(
    # "joint pain and itching are much better since her second dose": a list shares the verb.
    r"(?:\s*(?:,|and|&)\s*(?:her\s+|his\s+|the\s+)?[a-z]+(?:\s[a-z]+)?)?"
    r"\W+(?:(?:has|have|had|is|was|were|are|got|get|gets|getting|has been|have been|has gotten)\s+)?"
    r"(?:(?:\w+ly|a lot|a little|much|way|so much|almost|nearly|totally|all|long)\s+)*(?:stopped|gone|went away|"
    r"disappeared|cleared|clearing|improv\w*|resolved|resolving|better|subsided|eased|settled|calmed down|faded|"
    r"healed|under control|controlled)\b[^.;]{0,40}?\b(?:after|since|with|on|from|by|within|at) (?:\w+ ){0,3}?"
    r"(?:injection|injections|dose|doses|quelvanti|quelvarimab|qlv|quelva\w+|starting|started|switching|treatment|"
    r"therapy|shot|shots|pen|pens|weeks? \d+|wk \d+)\b"
)
# "improvement in her joint pain", "no more itching": the treatment working on a symptom.
_IMPROVED_BEFORE = re.compile(
    r"\b(?:improvement|improvements|improved|resolution|reduction|decrease|relief|clearing|clearance|less|"
    r"no more|no longer (?:has|have|having))\s+(?:in|of|from)?\s*(?:(?:her|his|their|the|my|pt's|patient's)\s+)?"
    r"(?:\w+\s+)?$"
)
# A clear cause other than the product: sports, accidents, the sun, stings, plants, surgery.
_INJURY_CAUSE = re.compile(
    r"\b(?:playing|sports?|gym|workout|stairs|ladder|fell off|slipped|tripped|icy|on the ice|horse|stubbed|"
    r"bumped|walked into|banged|"
    r"trampoline|climbing|hiking|running|jogging)\b"
)
_OTHER_CAUSE = re.compile(
    r"\b(?:skiing|snowboarding|skating|tennis|football|soccer|basketball|baseball|rugby|hockey|"
    r"cycling|biking|bike (?:accident|crash)|car (?:accident|crash|wreck)|"
    r"motor vehicle|mva|mvc|crash|collision|(?:car|bike|motorcycle|motorbike|traffic|road|skiing|work|"
    r"workplace|sports?|riding|boating) accident|accident at work|"
    r"at the beach|(?:beach|ski|camping|sun) (?:vacation|holiday|trip|day)|sunbath\w*|in the sun|sun exposure|"
    r"tanning|fell asleep|falling asleep|bee sting|wasp|"
    r"on vacation|on holiday|by the pool|sunbed|tanning bed|"
    r"stung|insect bites?|bug bites?|mosquito|tick bite|spider bite|poison (?:ivy|oak|sumac)|dog bite|cat scratch|"
    r"whiplash|sprain\w*|surgery|operation|dental work|tooth extraction|wisdom teeth|c-section|chemo\w*|"
    r"radiation|cooking|oven|stove|hot water|boiling|fireworks|gardening|shaving|razor)\b"
)
# The writer denies a link to the product: "not related to the drug", "nothing to do with quelvanti".
_UNRELATED = re.compile(
    r"\b(?:not|isn't|is not|wasn't|was not|un)[- ]?(?:\w+ )?(?:related|linked|connected|attributable|due) to "
    r"(?:the |her |his )?(?:drug|medication|medicine|quelvanti|quelvarimab|qlv|biologic|treatment|therapy|it|"
    r"injections?|shots?)|nothing to do with (?:the |her |his )?(?:drug|medication|medicine|quelvanti|"
    r"quelvarimab|qlv|biologic|treatment|therapy|it|injections?|shots?)\b"
)
# The event follows another cause explicitly: "started after a car accident", "from a skiing fall".
_CAUSED_BY_OTHER = re.compile(
    r"\b(?:after|from|due to|because of|following|caused by|since) (?:a |an |the |his |her |their )?(?:\w+ )?"
    r"(?:car (?:accident|crash|wreck)|(?:bike|motorcycle|motorbike|traffic|road|skiing|work|sports?) "
    r"(?:accident|crash)|accident|crash|collision|mva|mvc|whiplash|surgery|operation|dental work|tooth "
    r"extraction|bee sting|wasp sting|insect bite|dog bite|sunburn)\b"
)
_PRODUCT_OR_DOSE = re.compile(
    r"\b(?:quelvanti|quelvarimab|qlv|quelva\w*|dose|doses|injection|injections|shot|shots|pen|jab|"
    r"treatment|therapy|medication|drug)\b"
)
_INJURY_LABELS = frozenset(
    [
        "fracture",
        "injury",
        "fall",
        "bruising",
        "pain",
        "back pain",
        "photosensitivity",
        "bleeding",
        "swelling",
        "skin peeling",
        "arthralgia",
        "muscle problems",
    ]
)
# Another product as the cause: "hives from Cosentyx", "anaphylaxis to penicillin".
_OTHER_PRODUCT_CAUSE = re.compile(
    r"\s*(?:\w+\s+){0,2}?(?:from|to|with|on|after|due to|caused by)\s+(?:(?:a|an|the|his|her|their)\s+)?"
    r"(?:penicillin|amoxicillin|sulfa|antibiotics?|nsaids?|ibuprofen|aspirin|contrast|latex|peanuts?|nuts|"
    r"shellfish|eggs?|bee stings?|stings?|cats?|dogs?|pollen|vaccines?|shingrix|methotrexate|mtx|cyclosporine|"
    r"otezla|apremilast|humira|adalimumab|cosentyx|secukinumab|taltz|ixekizumab|skyrizi|risankizumab|tremfya|"
    r"guselkumab|stelara|ustekinumab|enbrel|etanercept|cimzia|bimzelx|siliq|ilumya|dupixent|other biologic|"
    r"previous biologic|prior biologic|chemo\w*)\b"
)
# Reporting logistics: "AE reporting form", "side effect hotline".
_REPORTING_NOUN = re.compile(
    r"\s*(?:-\s*)?(?:report(?:ing|s)?\s+)?(?:forms?|hotline|line|number|portal|department|team|process|guidance|"
    r"guidelines?|instructions?|info|information|contacts?|"
    r"procedures?|database|system|website|email|address|fax|pathway|template|requirements?|obligations?|"
    r"training|sop|policy)\b"
)
# The patient has not started yet: whatever is described predates treatment.
_NOT_STARTED = re.compile(
    r"\b(?:due (?:for|to start)|ready (?:for|to start)|(?:ok|okay|safe|fine|cleared) to (?:start|begin)|"
    r"(?:start|starting|begin|beginning) (?:quelvanti|qlv|quelvarimab|treatment|therapy|her|him|it) "
    r"(?:next|soon|tomorrow|on)|(?:first|loading) dose (?:is )?(?:next|tomorrow|scheduled|planned|on)|"
    r"can (?:we|i|she|he) still start|hasn't started|has not started|not yet started|yet to start|"
    r"(?:issues?|problems?|concerns?|risks?) (?:with |about |in )?starting|starting (?:now|today)|"
    r"about to start|planning to start|before (?:her|his|their|the) first (?:dose|injection|shot))\b"
)
_ON_TREATMENT = re.compile(
    r"\b(?:since (?:starting|she started|he started|the|her|his|their)|after (?:her|his|their|the|each|every) "
    r"(?:\w+ )?(?:dose|injection|shot|pen)|on (?:quelvanti|qlv|quelvarimab|it)|been on|currently on|"
    r"has had (?:\d+|two|three|several)|post[- ]?(?:dose|injection))\b"
)
_WORRY_OBJECT = re.compile(r"\s+(?:about|to|that|regarding|of|for|whether|if|before)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|we|our|us)\b")


# "admitted last night with pneumonia", "in ICU for sepsis": the criterion is stated, whatever follows.
_STATED_AFTER = re.compile(r"\s+(?:\S+\s+){0,3}?(?:with|for)\s+(?:a\s+|an\s+|the\s+)?[a-z]")


@dataclass(frozen=True)
class EventResult:
    """Events found and how each is framed."""

    reported: list[tuple[TermMatch, Framing]]
    not_reported: list[tuple[TermMatch, Framing]]
    findings: list[Finding]

    @property
    def events(self) -> list[str]:
        """Canonical names of the reported events, in order, without repeats."""
        return list(dict.fromkeys(m.label for m, _ in self.reported))


def _other_cause(analysis: Analysis, m: TermMatch) -> str | None:
    """The rule when the event has a clear cause other than the product, else None."""
    lower = analysis.lower
    if _OTHER_PRODUCT_CAUSE.match(lower, m.end):
        return "other_product"
    seg = analysis.segment_of(m.start)
    sentence = lower[seg.sentence_start : seg.sentence_end]
    if m.label in _INJURY_LABELS and (_OTHER_CAUSE.search(sentence) or _INJURY_CAUSE.search(sentence)):
        return "other_cause"  # a fracture when skiing is the skiing, whatever else the sentence says
    cs, ce = clause_bounds(analysis, m.start)
    clause = lower[cs:ce]
    if _OTHER_CAUSE.search(clause) and not exposure_anchored(clause):
        return "other_cause"
    # "headache started after a car accident, not related to the drug obviously": a stated other cause
    # plus the writer's own denial of a link. ("started" alone reads as starting treatment, so the
    # clause test above does not see it.)
    if _OTHER_CAUSE.search(sentence) and _UNRELATED.search(sentence):
        return "other_cause"
    cause = _CAUSED_BY_OTHER.search(clause)
    if cause is not None and not _PRODUCT_OR_DOSE.search(clause):
        return "other_cause"
    # "... at the beach, can she inject into the burned area?": an anaphoric mention shares the cause.
    anaphoric = re.search(r"\b(?:the|that|this|those|these)\s+$", lower[max(0, m.start - 8) : m.start])
    if anaphoric and _OTHER_CAUSE.search(sentence) and not exposure_anchored(sentence):
        return "other_cause"
    return None


def _improved_before(analysis: Analysis, m: TermMatch) -> bool:
    """True for "improvement in her itching": the product working on a symptom it treats."""
    lower = analysis.lower
    before = lower[max(0, m.start - 45) : m.start]
    if not _IMPROVED_BEFORE.search(before):
        return False
    seg = analysis.segment_of(m.start)
    return not re.search(r"\b(?:not|no|never|without|but|until|then)\b", lower[seg.start : m.start][-20:])


def _structural_veto(sentence: str) -> bool:
    """A good outcome, a social change or a clear other cause: not an event for the structural net."""
    return bool(
        (_POSITIVE.search(sentence) and not _NEGATIVE.search(sentence))
        or _SOCIAL.search(sentence)
        or _OTHER_CAUSE.search(sentence)
        or _INJURY_CAUSE.search(sentence)
    )


_LAB_NORMAL = re.compile(
    r"\b(?:normal|normali[sz]ed|wnl|within (?:normal )?(?:range|limits)|unremarkable|stable|fine|ok|okay|"
    r"negative|clean|good|unchanged)\b"
)
_LAB_ABNORMAL = re.compile(
    r"\b(?:high|higher|elevated|raised|up|rose|rising|increased|abnormal|deranged|spiked|doubled|tripled|"
    r"out of range|\d+(?:\.\d+)?\s?x\s?(?:uln|upper limit|normal))\b|\b(?:above|over|>)\s?(?:normal|uln|\d)"
)

_LAB_VALUE_AFTER = re.compile(r"\s*(?:is|was|of|at|=|:)?\s*(\d+(?:\.\d+)?)\b(?!\s*(?:x|%|/|-|weeks?|wks?|days?))")
_LAB_CHANGE_AFTER = re.compile(
    r"->|→|=>|\b(?:to|then|now|from|baseline|before|prior|rose|risen|increased|up|went|fell|dropped|was|were)\b"
)


def _bare_lab_normal(analysis: Analysis, m: TermMatch) -> bool:
    """A bare lab name ("ALT") in a sentence that calls the labs normal and nothing abnormal."""
    value = _LAB_VALUE_AFTER.match(analysis.lower, m.end)
    seg = analysis.segment_of(m.start)
    if value is not None and not _LAB_CHANGE_AFTER.search(analysis.lower, seg.sentence_start, seg.sentence_end):
        # "ALT 18": the value says whether it is a finding.
        return value_in_range(analysis.lower[m.start : m.end], float(value.group(1))) is True
    cs, ce = clause_bounds(analysis, m.start)
    clause = analysis.lower[cs:ce]
    return _LAB_NORMAL.search(clause) is not None and _LAB_ABNORMAL.search(clause) is None


def _unspecified_event(
    analysis: Analysis,
    at: tuple[int, int],
    span: tuple[int, int],
    term: str,
    kind: str,
    framing: Framing,
    score: float,
    why: str,
) -> tuple[TermMatch, Finding]:
    """An event a fallback rule found in words outside the vocabulary, for a human to code."""
    match = TermMatch(EVENT, "unspecified event", at[0], at[1], term, kind)
    finding = Finding(
        Detector.ADVERSE_EVENT, "unspecified event", Span(*span), f"event:{kind}+{framing.rule}", term, score, why
    )
    return match, finding


def detect_events(analysis: Analysis) -> EventResult:
    """Find event terms and decide, per mention, whether it is reported as having happened."""
    reported: list[tuple[TermMatch, Framing]] = []
    others: list[tuple[TermMatch, Framing]] = []
    findings: list[Finding] = []
    lower = analysis.lower
    not_started = _NOT_STARTED.search(lower) is not None and _ON_TREATMENT.search(lower) is None
    for m in analysis.of_kind(EVENT):
        if m.label == "anxiety" and _WORRY_OBJECT.match(analysis.lower, m.end):
            continue  # "anxious about needles" is a worry, not a symptom
        if m.label == "adverse reaction" and _REPORTING_NOUN.match(lower, m.end):
            continue  # "the AE reporting form" is logistics, not an event
        other = _other_cause(analysis, m)
        if not_started or other is not None:
            rule = "history:not_started" if not_started else f"history:{other}"
            s, e = analysis.to_original(m.start, m.end)
            others.append((m, Framing(Mode.HISTORY, rule)))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"not_reported:{rule}",
                    m.text,
                    0.0,
                    "event term with another cause or before treatment",
                )
            )
            continue
        if _NOT_ILLNESS_AFTER.match(analysis.lower, m.end) or _NOT_ILLNESS_BEFORE.search(
            analysis.lower, max(0, m.start - 25), m.start
        ):
            continue  # "her flu shot", "TB test", "vaccine against shingles": prevention or a test, not illness
        if m.rule == "abbreviation" and _bare_lab_normal(analysis, m):
            continue  # "Labs normal: CBC, ALT and creatinine all within range": a lab name, not a finding
        if _IMPROVED.match(analysis.lower, m.end) or _improved_before(analysis, m):
            continue  # "her itching stopped after the first injection": the treatment working
        framing = frame(analysis, m.start, m.end)
        s, e = analysis.to_original(m.start, m.end)
        if framing.mode is Mode.REPORT:
            reported.append((m, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"event:{m.rule}+{framing.rule}",
                    m.text,
                    0.8 if m.rule == "fuzzy" or framing.rule == "declarative" else 1.0,
                    f"event term reported as having happened ({framing.rule})",
                )
            )
        else:
            others.append((m, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    m.label,
                    Span(s, e),
                    f"not_reported:{framing.mode.value}:{framing.rule}",
                    m.text,
                    0.0,
                    f"event term mentioned but framed as {framing.mode.value}",
                )
            )
    # Catch-all: a clear report of something happening to a patient, in words the vocabulary lacks.
    if not reported:
        for cm in _CATCH_ALL.finditer(analysis.lower):
            obj = cm.group("obj")
            if obj in _NOT_EVENT_OBJECTS:
                continue
            if any(ev.start >= cm.start() and ev.start < cm.end() + 40 for ev in analysis.of_kind(EVENT)):
                continue  # a known event term is already there and was judged not reported
            framing = frame(analysis, cm.start(), cm.end(), negatable=True)
            if framing.mode is not Mode.REPORT:
                continue
            match, finding = _unspecified_event(
                analysis,
                (cm.start("obj"), cm.end("obj")),
                analysis.to_original(cm.start("obj"), cm.end("obj")),
                obj,
                "catch_all",
                framing,
                0.6,
                "a report verb with an object outside the vocabulary: flagged for a human to code",
            )
            reported.append((match, framing))
            findings.append(finding)
            break
    # Second fallback: "his vision went blurry the day after the shot" - a change in a specific
    # patient, anchored to the product, described in words no list will ever hold.
    if not reported:
        for anchor in _ANCHOR.finditer(analysis.lower):
            seg = analysis.segment_of(anchor.start())
            sentence = analysis.lower[seg.sentence_start : seg.sentence_end]
            change = _CHANGE.search(sentence)
            if change is None or not (PATIENT_SPECIFIC.search(sentence) or _PERSONAL.search(sentence)):
                continue
            if _POSITIVE.search(sentence) and not _NEGATIVE.search(sentence):
                continue  # "cleared after the second dose" is a good outcome, not an event
            if _SOCIAL.search(sentence):
                continue  # jobs, costs and coverage change too; they are not adverse events
            if _OTHER_CAUSE.search(sentence) or _INJURY_CAUSE.search(sentence):
                continue  # a change with a clear cause other than the product
            framing = frame(analysis, change.start(), change.end(), negatable=True)
            if framing.mode is not Mode.REPORT:
                continue
            match, finding = _unspecified_event(
                analysis,
                (change.start(), change.end()),
                analysis.to_original(seg.start, seg.end),
                change.group(),
                "anchored_change",
                framing,
                0.5,
                "a change in a specific patient tied to the product: flagged for a human to code",
            )
            reported.append((match, framing))
            findings.append(finding)
            break
    # Structural nets: an abnormal lab value or vital sign, then a patient + treatment link + change.
    if not reported:
        hit = lab_value(analysis) or patient_change(analysis, _structural_veto)
        if hit is not None:
            s, e = analysis.to_original(hit.start, hit.end)
            match = TermMatch(EVENT, "unspecified event", hit.start, hit.end, hit.term, hit.rule)
            reported.append((match, hit.framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    "unspecified event",
                    Span(s, e),
                    f"event:{hit.rule}+{hit.framing.rule}",
                    hit.term,
                    0.5,
                    hit.explanation,
                )
            )
    return EventResult(reported, others, findings)


def detect_seriousness(analysis: Analysis) -> tuple[list[Seriousness], list[Finding]]:
    """Seriousness criteria stated in the message (negated statements do not count)."""
    found: list[Seriousness] = []
    findings: list[Finding] = []
    lower = analysis.lower
    for criterion, pattern in _SERIOUSNESS.items():
        for m in pattern.finditer(lower):
            seg = analysis.segment_of(m.start())
            if is_negated(lower, m.start(), m.end(), seg.start):
                continue
            framing = frame(analysis, m.start(), m.end())
            cs, ce = clause_bounds(analysis, m.start())
            stated = (
                framing.mode in (Mode.GENERIC, Mode.QUESTION)
                and _STATED_AFTER.match(lower, m.end()) is not None
                and lower[ce : ce + 1] != "?"
                and QUESTION_START.search(lower[cs:ce]) is None
            )
            if framing.mode in (Mode.QUESTION, Mode.HYPOTHETICAL, Mode.GENERIC, Mode.HISTORY) and not stated:
                continue
            s, e = analysis.to_original(m.start(), m.end())
            found.append(criterion)
            findings.append(
                Finding(
                    Detector.SERIOUSNESS,
                    criterion.value,
                    Span(s, e),
                    f"seriousness:{criterion.value}",
                    m.group(),
                    1.0,
                    f"seriousness criterion '{criterion.value}' stated",
                )
            )
            break
    return found, findings


@dataclass(frozen=True)
class Criteria:
    """The four minimum criteria of a valid case."""

    patient: bool
    reporter: bool
    product: bool
    event: bool

    def to_dict(self) -> dict[str, bool]:
        """JSON-ready form."""
        return {"patient": self.patient, "reporter": self.reporter, "product": self.product, "event": self.event}


def assess_criteria(
    analysis: Analysis,
    *,
    has_event: bool,
    product_named: bool,
    product_implied: bool,
    product_in_conversation: bool,
    reporter_identified: bool | None,
    pii_person_or_age: bool,
) -> tuple[Criteria, list[Finding]]:
    """Evaluate patient, reporter, product and event criteria for a report."""
    findings: list[Finding] = []
    lower = analysis.lower
    pm = PATIENT_SPECIFIC.search(lower) or _PATIENT_EXTRA.search(analysis.norm.text)
    patient = pm is not None or pii_person_or_age
    if pm is not None:
        findings.append(
            Finding(
                Detector.AE_CRITERION,
                "patient",
                None,
                "criterion:patient",
                pm.group().strip(),
                1.0,
                "identifiable patient (reference, age, sex or initials)",
            )
        )
    # The reporter is the HCP in the conversation; the message itself may identify them too.
    first_person = _FIRST_PERSON.search(lower) is not None
    reporter = reporter_identified if reporter_identified is not None else True
    reporter = reporter or first_person
    findings.append(
        Finding(
            Detector.AE_CRITERION,
            "reporter",
            None,
            "criterion:reporter",
            "",
            1.0,
            "first-person report" if first_person else "HCP in the conversation",
        )
    )
    product = product_named or product_in_conversation or product_implied
    findings.append(
        Finding(
            Detector.AE_CRITERION,
            "product",
            None,
            "criterion:product",
            "",
            1.0 if product_named else 0.7,
            "named"
            if product_named
            else (
                "from conversation"
                if product_in_conversation
                else ("implied reference" if product_implied else "not identified")
            ),
        )
    )
    return Criteria(patient, reporter, product, has_event), findings

"""Adverse events: event terms, how each is framed, seriousness and the four minimum criteria."""

from __future__ import annotations

import re
from dataclasses import dataclass

from compliance.context import PATIENT_SPECIFIC, Framing, frame, is_negated
from compliance.engine import EVENT, Analysis, TermMatch
from compliance.findings import Detector, Finding, Mode, Seriousness, Span

_SERIOUSNESS: dict[Seriousness, re.Pattern[str]] = {
    Seriousness.DEATH: re.compile(
        r"\b(?:died|dies|death|dead|passed away|has passed|fatal|fatality|deceased|did not survive|"
        r"didn't survive|succumbed|"
        r"lost (?:him|her|the patient)(?=\s*(?:[.,;!]|$|to |last|yesterday|this|on |in |at ))|autopsy|funeral)\b"
    ),
    Seriousness.HOSPITALISATION: re.compile(
        r"\b(?:hospitali[sz](?:ed|ation|ations)|admitted|admission|readmitted|inpatient|er visit|ed visit|"
        r"(?:went|came|taken|rushed|brought|sent|go|going|ended up|landed|presented) (?:\w+ )?(?:to|in|"
        r"at) (?:the )?(?:er|ed|emergency|hospital|a&e|icu)|"
        r"emergency (?:room|department)|a&e|icu|intensive care|in (?:the )?hospital|ambulance|911|"
        r"observation unit|overnight stay)\b"
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
    r"ended up with|was treated for|needed treatment for|now has|(?:had to )?(?:stop|stopped|discontinue|"
    r"discontinued|hold|held|interrupt|interrupted) "
    r"(?:quelvanti|quelvarimab|it|treatment|therapy|the drug)(?: \w+){0,4} (?:due to|because of|after|"
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
    r"\bon (?:quelvanti|quelvarimab)\b|\bwhile (?:on|taking|using) \w+|\bsince (?:she|he|they) (?:started|"
    r"began)\b|\bpost-?(?:injection|dose|dosing)\b"
)
_CHANGE = re.compile(
    r"\b(?:went|gone|turned|became|become|developed|lost|losing|worsened|worse|worsening|dropped|fell|"
    r"rose|diagnos\w*|noticed|appeared|showed up|came up|broke|happened|problem|problems|issue|issues|"
    r"felt like|all over the place|erratic|"
    r"unstable|out of whack|haywire|skips?|skipping|racing|pounding|heavy|heavier|painful|severe|terrible|"
    r"awful|constant|"
    r"persistent|spreading|tighten\w*|"
    r"trouble|reaction|reactions|symptom\w*|abnormal|weird|strange|unusual|funny|not (?:right|herself|himself|"
    r"themselves|well)|declin\w*|"
    r"deteriorat\w*|suffer\w*|struggl\w*|can't|cannot|couldn't|unable)\b"
)
_POSITIVE = re.compile(
    r"\b(?:clear|cleared|clearing|improv\w*|better|great|well|fine|good|excellent|responded|responding|"
    r"response|pasi ?(?:75|90|100)|"
    r"happy|pleased|thrilled|no (?:issues|problems|side effects|reactions?|concerns))\b|"
    r"\b(?:pasi|bsa|iga|dlqi|itch\w*|plaques?|scal(?:ing|es)|flak\w*|lesions?)\b[^.;]{0,25}\b(?:dropped|down|"
    r"decreased|fell|reduced|gone|stopped|disappeared|resolved)\b"
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
    r"\W+(?:has |have |had |is |was |were |are )?(?:\w+ly )?(?:stopped|gone|went away|disappeared|cleared|"
    r"improved|resolved|better|subsided|"
    r"eased|settled)\b[^.;]{0,30}\b(?:after|since|with|on|from) (?:the |her |his |"
    r"their )?(?:\w+ )?(?:injection|injections|dose|doses|quelvanti|"
    r"quelvarimab|starting|treatment|therapy|shot|shots)\b"
)
_WORRY_OBJECT = re.compile(r"\s+(?:about|to|that|regarding|of|for|whether|if|before)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|we|our|us)\b")


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


def detect_events(analysis: Analysis) -> EventResult:
    """Find event terms and decide, per mention, whether it is reported as having happened."""
    reported: list[tuple[TermMatch, Framing]] = []
    others: list[tuple[TermMatch, Framing]] = []
    findings: list[Finding] = []
    for m in analysis.of_kind(EVENT):
        if m.label == "anxiety" and _WORRY_OBJECT.match(analysis.lower, m.end):
            continue  # "anxious about needles" is a worry, not a symptom
        if _NOT_ILLNESS_AFTER.match(analysis.lower, m.end) or _NOT_ILLNESS_BEFORE.search(
            analysis.lower, max(0, m.start - 25), m.start
        ):
            continue  # "her flu shot", "TB test", "vaccine against shingles": prevention or a test, not illness
        if _IMPROVED.match(analysis.lower, m.end):
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
            s, e = analysis.to_original(cm.start("obj"), cm.end("obj"))
            match = TermMatch(EVENT, "unspecified event", cm.start("obj"), cm.end("obj"), obj, "catch_all")
            reported.append((match, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    "unspecified event",
                    Span(s, e),
                    f"event:catch_all+{framing.rule}",
                    obj,
                    0.6,
                    "a report verb with an object outside the vocabulary: flagged for a human to code",
                )
            )
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
            framing = frame(analysis, change.start(), change.end(), negatable=True)
            if framing.mode is not Mode.REPORT:
                continue
            s, e = analysis.to_original(seg.start, seg.end)
            match = TermMatch(
                EVENT, "unspecified event", change.start(), change.end(), change.group(), "anchored_change"
            )
            reported.append((match, framing))
            findings.append(
                Finding(
                    Detector.ADVERSE_EVENT,
                    "unspecified event",
                    Span(s, e),
                    f"event:anchored_change+{framing.rule}",
                    change.group(),
                    0.5,
                    "a change in a specific patient tied to the product: flagged for a human to code",
                )
            )
            break
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
            if framing.mode in (Mode.QUESTION, Mode.HYPOTHETICAL, Mode.GENERIC, Mode.HISTORY):
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

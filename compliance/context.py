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
    r"delivered|gave birth|miscarried|conceived|"
    # Admissions and visits: "admitted with sepsis", "in ICU with septic shock", "came in with a UTI".
    r"admitted|readmitted|hospitali[sz]ed|(?:came|come|comes|went) in (?:with|for)|seen (?:in \w+ )?(?:with|for)|"
    r"in (?:the )?(?:icu|hospital|er|ed|ccu|a&e|emergency room|urgent care) (?:with|for)|inpatient (?:with|for)|"
    r"treated for|endorses|endorsed|reports|reported|dx'?d|dx with)\b"
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
    # Spanish, Italian, French, German, Portuguese patient nouns (accents are stripped by normalisation).
    r"\b(?:paciente|paziente|patiente|patientin|pacientes|pazienti|patientes)\b|"
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
    r"(?:what|what's|whats|how|why|which|who|whom|whose|where|can|could|"
    # "does report fatigue", "did develop a rash": emphatic statements, not questions.
    r"(?:does|do|did)(?!\s+(?:report|reports|have|has|complain|endorse|develop|get|feel|note|mention|describe|"
    r"say|seem|experience|notice)\b)|is|isn't|are|aren't|was|"
    r"were|should|shouldn't|"
    r"would|will|may|might|"
    # "has new wheezing", "has had a cough": a subjectless statement, not "has she ...?".
    r"(?:has|have)(?!\s+(?:new|had|been|got|gotten|developed|a|an|some|no|mild|severe|bad|persistent|recurrent|"
    r"ongoing|worsening|\d)\b)|"
    r"any|anyone|is there|are there|when (?:should|can|do|does|is|will|would))\b"
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
CLAUSE_BREAK = re.compile(r"[,;:?!.]|\bthen\b|\bbut\b|\bwhat\b|\bhow\b|\bshould i\b|\bdo i\b|\bcan i\b")
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
    r"(?<!pls )(?<!plz )(?<!please )advise|prevent|prevention|avoid|"
    r"prophylaxis|guidance|protocol|recommendations?|recommended|general|generally|in general|patients on|"
    r"people on|anyone on|vaccine|vaccines|"
    r"vaccination|vaccinate|vaccinated|registry|information|info|brochure|leaflet|materials?|resources?|"
    r"watch for|look out for|keep an eye|"
    r"check for|test for|signs of|symptoms of)\b|"
    # A percentage is about populations ("what % of patients"), not a patient's body surface area.
    r"%(?!\s*(?:bsa|body|of (?:her|his|their|the) (?:body|skin)|coverage|covered))(?<!\d%)|"
    r"\d\s?%(?!\s*(?:bsa|body|of (?:her|his|their|the) (?:body|skin)|coverage|covered))(?<!bsa \d%)(?<!bsa \d\d%)"
    r"(?<!bsa of \d%)(?<!bsa of \d\d%)(?<!bsa \d %)(?<!bsa \d\d %)"
)
# A heading that introduces a note ("Clinical pharmacist note:", "FYI -", "Re: pt X,"): it names the
# writer or the subject, and says nothing about whether the note is generic.
HEADER = re.compile(
    r"^\W*(?:(?:[a-z]+[ /-]){0,3}(?:note|notes|update|summary|consult|message|msg|report|memo|entry|log)|"
    r"fyi|heads[- ]up|update|re|attn|nb|n\.b\.|pharmacy|nursing|clinic)\b"
    r"(?:[^:\n]{0,30}:|\s*[:\-\u2013\u2014]+)\s*"
)
# "clinical response", "clinical improvement": the patient's outcome, not clinical data.
_CLINICAL_OUTCOME = re.compile(r"\s+(?:response|improvement|benefit|effect|change|remission)\b")
# A percentage that measures the patient's disease: "BSA went from 14% to 12%", "PASI improvement 22%".
_MEASURE_BEFORE = re.compile(
    r"\b(?:pasi|bsa|iga|dlqi|improvement|improved|reduction|reduced|response|clearance|cleared|coverage|covered|"
    r"better|worse|from)\b[^.;?!]{0,25}$"
)

_POPULATION_AFTER = re.compile(
    r"\s*(?:of (?:the )?(?:patients|pts|people|subjects|participants|cases|users)|of all)\b"
)


def generic_in(text: str, unmasked: str | None = None) -> bool:
    """True when GENERIC wording occurs in `text`, outside a note heading and a measured percentage.

    `unmasked` is the same span before the mention was masked; the measurement is read there."""
    ctx = unmasked if unmasked is not None and len(unmasked) == len(text) else text
    skip = 0
    h = HEADER.match(text)
    if h is not None and h.end() < len(text):
        skip = h.end()
    for m in GENERIC.finditer(text, skip):
        word = m.group()
        if word == "clinical" and _CLINICAL_OUTCOME.match(text, m.end()):
            continue
        if (
            word.endswith("%")
            and _MEASURE_BEFORE.search(ctx, max(0, m.start() - 30), m.start())
            and not _POPULATION_AFTER.match(ctx, m.end())
        ):
            continue
        return True
    return False


# Something the writer was told or is wondering about, not something observed.
HEARSAY = re.compile(
    r"\b(?:ask(?:s|ed|ing)? (?:me )?(?:if|whether|about|what|how|why|when)|wonder(?:s|ed|ing)?|wants? to know|"
    r"wanted to know|"
    r"worried|worries|worry|concerned|concerns?|afraid|scared|fear(?:s|ful)?|nervous about|anxious about|"
    r"hesitant|reluctant|"
    r"question(?:s)? (?:about|on|regarding|re)|questions?|info(?:rmation)? (?:on|about|regarding)|read (?:that|"
    r"about|online)|heard (?:that|about)|"
    r"saw (?:online|on|that)|told (?:her|him|them|me) (?:that|about)|"
    # "he tell me that ..." (a patient's words relayed) is a report; "tell me about ..." asks.
    r"(?<!he )(?<!she )(?<!pt )(?<!patient )(?<!they )(?<!wife )(?<!husband )tell me|tell us|let me know|can you|"
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
    r"family history|fhx|fh of|(?:her|his|their|patient's|pt's|the patient's) (?:mother|father|mom|dad|mum|sister|"
    r"brother|aunt|uncle|grandmother|grandfather|grandma|grandpa|cousin|parents?|siblings?)(?: \w+)? (?:had|has|"
    r"died|was diagnosed)|"
    r"prior to (?:starting|treatment|therapy|quelvanti|initiating)|at screening|also has|comorbid\w*|underlying)\b"
)
# Planning or eligibility questions: no exposure has happened yet.
PRETREATMENT = re.compile(
    r"\b(?:(?:can|could|should|may|would|do|is it (?:ok|okay|safe|fine) to) (?:i|we|she|he|they|you) (?:start|"
    r"initiate|begin|use|prescribe|give|put|try|consider|switch)|"
    r"(?<!as )(?<!than )before (?:starting|initiating|beginning|i start|we start|prescribing)|considering|"
    r"thinking (?:of|about)|"
    r"planning to (?:start|prescribe|use)|"
    r"candidate|eligible|eligibility|would like to (?:start|prescribe|use)|want to (?:start|prescribe|use|try)|"
    r"not yet (?:started|on)|hasn't started|has not started|"
    r"about to start|going to start|plan to start|prior to starting|ready to start|cleared to start|"
    r"ok to start|okay to start|can start|when to (?:start|initiate|begin)|^\W*start (?:quelvanti|quelvarimab|"
    r"qlv|quelva\w+|it|treatment|therapy)|(?:can|could|should|may) (?:quelvanti|quelvarimab|qlv|quelva\w+|it|"
    r"treatment|therapy) be (?:started|initiated|begun|given)|before she starts|before he starts|wait to start|"
    r"wait (?:before|until) "
    r"starting|hold off (?:on )?starting|delay starting|postpone starting)\b"
)
# Exposure to the product has happened (overrides PRETREATMENT).
EXPOSURE = re.compile(
    r"\b(?:on (?:quelvanti|quelvarimab|qlv|quelva\w+|it|this|treatment|therapy|the drug|"
    r"the medication|the biologic)|taking|"
    r"been on|been taking|been using|"
    r"since (?:starting|beginning|her|his|their|the|initiating)|after (?:her|his|their|the|my|a|each|every|"
    r"\w+) (?:\w+ )?(?:dose|injection|shot|pen|jab)|"
    r"received|injected|was given|were given|got (?:her|his|their|a|the|an) (?:\w+ ){0,2}(?:dose|injection|shot|"
    r"pen)|had (?:her|his|their|a|the) (?:\w+ ){0,2}(?:dose|injection|shot)|"
    r"(?:last|latest|previous|most recent) (?:\w+ )?(?:dose|injection|shot|pen)|got (?:quelvanti|qlv|quelva\w+|"
    r"it)|restarted|restarting|since (?:re)?starting|resumed|(?:did|doing|done|does) (?:her|his|their) "
    r"(?:\w+ )?(?:dose|doses|injection|injections|shot|shots|pen|pens)|(?:first|second|third|1st|2nd|3rd|loading|"
    r"week \d+) (?:dose|injection)|continue|continuing|keep (?:her|him|them) on|"
    r"stay on|stop|stopping|discontinue|hold (?:the|her|his)|while (?:on|taking|using|receiving)|"
    r"during (?:treatment|therapy)|currently on|treated with|"
    r"started (?:quelvanti|on|her|him|it|treatment|therapy)|exposed|exposure|dosed|administered|used (?:it|"
    r"quelvanti|a|the)|took|injecting|using it|"
    r"(?:getting|gets|receiving|receives|been getting|been receiving) (?:quelvanti|quelvarimab|qlv|quelva\w+|it|"
    r"the injections|injections|doses|the drug|treatment)|"
    # "Quelvanti stopped working", "6 months of quelvanti", "2 months into QLV": exposure is implied.
    r"(?:quelvanti|quelvarimab|qlv|quelva\w+|it) (?:\w+ )?(?:stopped|quit|isn't|is not|wasn't|hasn't|has not|"
    r"didn't|did not|not|never|no longer) (?:\w+ )?(?:working|worked|work|helping|helped|help|doing)|"
    r"(?:weeks?|wks?|months?|years?|doses?|injections?|shots?|pens?) (?:of|on|into) (?:quelvanti|quelvarimab|"
    r"qlv|quelva\w+|treatment|therapy|it)|"
    r"on (?:qlv|quelva\w+)|(?:has|have|had|'s|'ve) had (?:\d+|one|two|three|four|five|six|several|her|his|"
    r"their) (?:\w+ )?(?:doses?|injections?|shots?|pens?))\b"
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
    r"not until|not long after|wasn't long|not related to (?:anything|her|his) else|nothing else|"
    # "her partner, who is not a patient of mine, ...": who the person is, not a negated event.
    r"(?:is|was|isn't|wasn't) not (?:a |my |our |one of (?:my|our) )?(?:patient|pt)s?(?: of (?:mine|ours))?|"
    r"not (?:a |one of (?:my|our) )?(?:patient|pt)s? of (?:mine|ours)|not (?:my|our) (?:patient|pt))\b"
)
NEGATION_TERMINATORS = re.compile(
    r"\b(?:but|however|although|though|except|aside|apart|yet|still|which|who|whom|whose|then|now|later|until|"
    r"while|because|since|so|"
    r"she|he|they|we|i|patient|pt|developed|got|started|began|presented|complained|experienced|noticed|woke|"
    r"broke|ended|came|went|"
    r"became|showed|caught|needed|had to)\b|[.;:!?]"
)
# A contrast or a new reporting verb ends a negation's scope wherever it stands:
# "denies fever but reports a cough", "no rash, however has headaches".
_CONTRAST = re.compile(
    r"\b(?:but|however|although|though|yet|except|instead|whereas)\b|"
    r"(?:,|\band\b)\s*(?:\w+\s+)?(?:reports?|reported|endorses|endorsed|complains?|complained|c/o|has had|now has|"
    r"developed|has|had|got|is having)\b"
)
POST_NEGATION = re.compile(
    r"^\W*(?:(?:test|tests|testing|screen|screening|result|results|quantiferon|igra|ppd|skin test|"
    r"blood test)\s+)?(?:(?:was|is|were|are|has been|have been|came back|come back)\s+)?(?:ruled out|negative|"
    r"none|absent|denied|not present|not seen|unlikely|excluded|nil)\b"
)


# --- Other languages -------------------------------------------------------------------------
# A compact vocabulary of report verbs, time words and after-dose anchors in Spanish, Italian,
# French, German and Portuguese (accents are stripped by normalisation: "presentó" -> "presento"),
# so "Il mio paziente ha avuto ... dopo la seconda dose" reads like its English counterpart.
FOREIGN_FINITE = (
    r"\b(?:presento|presentaba|tuvo|ha tenido|ha presentado|ha desarrollado|desarrollo|sufrio|ha sufrido|"
    r"ha avuto|ha sviluppato|ha presentato|aveva|ha manifestato|e comparsa|e comparso|"
    r"a eu|a presente|a developpe|avait|a fait|"
    r"hatte|bekam|hat (?:\w+ ){0,4}(?:bekommen|entwickelt|gehabt)|entwickelte|"
    r"teve|apresentou|desenvolveu|"
    r"ahora|adesso|maintenant|jetzt|agora|ayer|ieri|gestern|ontem|hoy|oggi|heute|hoje|"
    r"seit|desde|depuis|da quando)\b"
)
FOREIGN_DOSE_ANCHOR = (
    r"\b(?:despues de|tras|dopo|apres|nach|depois d[aeo]?|apos|seit|desde|depuis|da)\s+(?:(?:la|las|el|los|"
    r"il|lo|le|les|l'|der|die|dem|den|a|o|as|os|da|do|sua|su|sa|son|seiner|ihrer|primera|segunda|tercera|"
    r"prima|seconda|terza|premiere|deuxieme|troisieme|ersten|zweiten|dritten|primeira|terceira|ultima|"
    r"derniere|letzten|\d+(?:a|o|e|er|re|eme|st|nd|rd|th|\.)?)\s*)*(?:dosis|dose|dosi|inyeccion|iniezione|"
    r"injection|spritze|injektion|somministrazione|aplicacao|injecao|quelvanti|quelvarimab|qlv)\b"
)
FOREIGN_PATIENT = re.compile(r"\b(?:paciente|paziente|patiente|patientin|patient)\b")


# --- Topic fragments -------------------------------------------------------------------------
# "allergic reactions to qlv", "missed dose instructions", "breastfeeding on quelvanti": a noun
# phrase naming a label topic, with nobody it happened to and nothing that happened, is a topic
# question typed as a search query, not a report. Any patient reference, finite verb, time
# anchor or dose anchor keeps the message on the report side ("Rash and fever after dose 2.").
_PATIENT_REF = re.compile(
    r"\b(?:patient|pt|ptnt|pnt|customer|client|mom|mum|mother|dad|father|woman|man|lady|gentleman|gent|guy|"
    r"girl|boy|husband|wife|son|daughter|toddler|caregiver|someone|somebody|case|[a-z]\.[a-z]\.)(?!s)\b|"
    r"\b(?:paciente|paziente|patiente|patientin)\b|"
    r"\b\d{1,3}\s?(?:yo|y/o|[mf])\b|\bs/p\b"
)
_FINITE = re.compile(
    r"\b(?:is|are|was|were|'s|'re|has|have|had|'ve|does|did|got|gets|getting|went|came|took|gave|found|left|"
    r"broke|fell|felt|began|begun|became|ran|saw|told|said|says|made|lost|kept|threw|stuck|bled|woke|grew|"
    r"spread|swelled|swollen|born|stopped|started|happened|occurred|developed|used|injected|given|received|"
    r"now|still|again|today|yesterday|not work\w*|no help|same (?:like|as) before|"
    r"tonight|tonite|this (?:morning|afternoon|evening|week|month)|"
    r"last (?:night|week|month|time|dose|injection|shot|pen)|ago|recently|since|resolved|onset|"
    r"x\s?\d+|for (?:\d+|a|an|two|three|several|a few) (?:hours?|hrs?|days?|weeks?|wks?|months?)|"
    r"(?:\d+|a|an|one|two|three|four|five|six|several|a few) (?:hours?|hrs?|days?|weeks?|wks?|months?|years?|"
    r"yrs?|doses?|injections?|shots?|pens?) (?:after|post|later|into|on|of|in)|after (?:\d+|two|three|four|"
    r"five|six|several) (?:doses?|injections?|shots?|pens?|months?|weeks?|wks?|mos?)|"
    r"every (?:single )?(?:time|dose|"
    r"shot|injection|pen)|(?:at|around|by|since|from|on) (?:wk|week) ?\d+|wk ?\d+|this year|#\s?\d+|"
    r"(?:\d+(?:st|nd|rd|th)|second|third|fourth|fifth) (?:episode|bout|time|infection)|dx)\b|->|=>|"
    r"\b\d{1,2}/\d{1,2}\b|" + FOREIGN_FINITE
)
# A specific administration the event follows: "after dose 2", "after the loading dose", "post-injection".
_DOSE_ANCHOR = re.compile(
    FOREIGN_DOSE_ANCHOR + "|"
    r"\b(?:after|since|post|following|within \w+ (?:hours?|days?) of)[- ]?(?:the |her |his |their |each |"
    r"every |this |that |first |second |third |1st |2nd |3rd |\d+(?:st|nd|rd|th) |loading |latest |recent )+"
    r"(?:\w+ )?(?:dose|injection|shot|pen|jab|inj)\b|\b(?:after|since|post|following)[- ](?:dose|inj|"
    r"injection|shot) ?#?\d|\bpost-?(?:dose|injection|dosing|inj)\b|\b(?:after|since|following) (?:quelvanti|"
    r"quelvarimab|qlv|quelva\w*|it|this|that)\b|\b(?:after|since) (?:starting|"
    r"she started|he started|initiating|beginning)\b"
)
# Past participles that name a topic rather than report an event ("missed dose", "listed side effects").
_TOPIC_PARTICIPLE = re.compile(
    r"(?:missed|skipped|delayed|recommended|approved|listed|labeled|labelled|reported|suspected|related|"
    r"associated|expected|unexpected|increased|decreased|elevated|reduced|infected|based|required|"
    r"indicated|contraindicated|combined|preferred|detailed|updated|limited|advanced|inactivated|"
    r"attenuated|untreated|established|prefilled|unopened|opened|refrigerated|unrefrigerated|stored|"
    r"allowed|breastfed|bottlefed|controlled|uncontrolled|scheduled|planned|supposed|interested|concerned|"
    r"worried|immunocompromised|immunosuppressed|exposed|expired|damaged|warmed|thawed|shipped|compared|"
    r"published|licensed|tested|screened|vaccinated|treated)"
)
_ED_WORD = re.compile(r"\b[a-z]{3,}(?<!e)ed\b")


def has_happening(lower: str) -> bool:
    """True when the text has a patient, a finite verb, a time or dose anchor: it may report something."""
    if PATIENT_SPECIFIC.search(lower) or _PERSONAL.search(lower) or _PATIENT_REF.search(lower):
        return True
    if _FINITE.search(lower) or _DOSE_ANCHOR.search(lower):
        return True
    return any(not _TOPIC_PARTICIPLE.fullmatch(m.group()) for m in _ED_WORD.finditer(lower))


# A question that opens mid-sentence after a fragment: "after a missed dose do we restart ...",
# "late dose - how to get back on schedule", "missed dose, what now".
EMBEDDED_QUESTION = re.compile(
    r"(?:^|[\s,;:-])(?:(?:do|does|should|can|could|would|will|is|are|must|shall) (?:i|we|you|they|it|she|he|"
    r"patients?|pts?|quelvanti|quelvarimab|qlv|quelva\w*|(?:my|our|your|a) (?:patient|pt)|"
    r"the (?:patient|pt|schedule|next|dose|pen))|"
    r"how (?:to|do|does|should|can|long|late|"
    r"soon)|what (?:now|next|to do|should|do|does|is|are|if)|when (?:to|should|can|do|is)|whether to|"
    r"who do i|where do i)\b"
)


# "the injection site reaction my patient got this morning", "the headaches she's had since ...":
# a relative clause after the mention says it happened, whatever question or "if" surrounds it.
PRESUPPOSED_AFTER = re.compile(
    r"\W*(?:that |which )?(?:(?:my|our|the|her|his|this) (?:patient|pt)|she|he|they|pt|patient)(?:'s| has| have|"
    r"'ve| had)?\s+(?:had|got|gotten|developed|experienced|been having|been getting|noticed|reported|"
    r"complained of|came in with|presented with|woke up with|is having|was having)\b"
)
# "asks why she feels tired": "why" presupposes what it asks about.
_PRESUPPOSING_HEARSAY = re.compile(r"\b(?:why|how come)\b")  # searched just around the hearsay cue's end


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
            if (
                len(gap_words) <= 9
                and not NEGATION_TERMINATORS.search(tail)
                and not _CONTRAST.search(gap)
                and not re.search(r"[.;:!?]", gap)
            ):
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


# After the mention: the event predates treatment ("rash before her first dose", "hives years ago").
HISTORY_AFTER = re.compile(
    r"\W*(?:\w+\W+){0,4}?(?:(?:long |well |years |months |"
    r"weeks )?(?<!as )(?<!than )before (?:starting|she started|"
    r"he started|they started|she began|he began|she was started|he was started|treatment|therapy|quelvanti|"
    r"quelvarimab|the biologic|any biologic|ever (?:starting|taking|using|being)|(?:her|his|their|the|any) "
    r"(?:first|initial|1st|loading|very first) (?:dose|injection|shot|pen)|(?:she|he|they) (?:ever )?(?:started|"
    r"began|took|had))|prior to|years ago|decades ago|as a (?:child|kid|teen|teenager|baby)|in (?:the|her|his) "
    r"(?:past|twenties|thirties|teens|youth)|previously|when (?:she|he) was (?:a )?(?:child|kid|young|younger|"
    r"little|teen|teenager|baby))"
)
# After a conditional mention: the event already exists ("if her rash doesn't clear").
PERSISTING = re.compile(
    r"\W*(?:(?:doesn't|does not|isn't|is not|hasn't|has not|won't|will not|doesnt|isnt|hasnt|wont)\b|"
    r"(?:persists?|continues?|keeps?|stays?|remains?|still|lingers?)\b)"
)
# What ties a condition to treatment: without it, "my patient has X, can she ...?" is about a
# pre-existing condition.
EXPOSURE_ANCHOR = re.compile(
    r"\b(?:after|since|following|post|from|while on|due to|caused by|because of|within \w+ (?:days?|weeks?|"
    r"hours?) of)\s+(?:[\w']+\s+){0,3}?(?:quelvanti|quelvarimab|qlv|quelva\w+|dose|doses|shot|shots|"
    r"injection|injections|"
    r"injecting|pen|jab|treatment|therapy|starting|started|biologic|loading)\b|"
    r"\b(?:related|side effects?|caused|reaction|on (?:quelvanti|quelvarimab|qlv|quelva\w+|it|"
    r"treatment|therapy))\b|"
    r"\b(?:been on|currently on|taking|received|injected|has had \d+|had (?:\w+ ){0,2}(?:doses|injections)|"
    r"(?:next|upcoming|scheduled|following) (?:\w+ )?(?:dose|injection|shot|pen)|keep dosing|dosing)\b"
)
# Questions about whether the product suits a patient or what it contains.
SUITABILITY = re.compile(
    r"\b(?:(?:can|could|may|should|would) (?:she|he|they|i|we|you) (?:use|take|start|get|receive|have|be given|"
    r"be on|go on|continue)|safe|ok|okay|suitable|appropriate|contain\w*|ingredients?|excipients?|latex|"
    r"concerns?|contraindicat\w*|interact\w*|eligible|candidate|qualify|precautions?|cautions?|allowed|"
    r"still (?:get|take|use|have|start))\b"
)
# Past or ongoing wordings, beyond PAST_EXPERIENCE, that make a declarative clause a report.
CLAUSE_EVENT = re.compile(
    r"\b(?:started|starting|began|begun|changed|stopped|went|gone|came|got|had|dropped|increased|decreased|rose|"
    r"fell|returned|spread|failed|quit|crashed|tanked|plummeted|soared|persisted|continued|remained|stayed|"
    r"leaked|squirted|clicked|jammed|misfired|missed|forgot|skipped|doubled|pulled|bent|broke|turned|"
    r"went up|still|now|since (?:starting|she started|he started|they started|the|her|his|their|last|"
    r"beginning)|ever since|puffed|swelled|blew up)\b"
)


# Words after which a "history of" no longer governs: "hx of eczema, now eczema flaring".
_HISTORY_STOP = re.compile(r"\b(?:now|but|then|currently|however|new|since|recently|today|this week|lately)\b")


# A question asking whether the writer may do something (a planned administration, not a past one).
ACTION_QUESTION = re.compile(
    r"^\W*(?:\w+[:,]\s*)?(?:can|could|should|may|shall|would|is it (?:ok|okay|safe|fine|reasonable|possible) to|"
    r"would it be (?:ok|okay|safe|fine|reasonable) to|any (?:issue|problem|harm) (?:with|in)) (?:i |we |you )?"
    r"(?:give|use|do|try|administer|inject|dose|load|prescribe|start|increase|double|escalate|split|shorten|"
    r"extend|go (?:up|higher)|bump)\b"
)
# A clause about the present, on treatment: the baseline or pre-treatment wording elsewhere in the
# sentence is a comparison ("normal before starting, now 3x ULN"), not the time of the event.
_CURRENT_CUE = re.compile(
    r"\b(?:now|currently|today|at present|this week|latest|repeat|since (?:then|starting|the|her|his|dose)|"
    r"(?:after|post|following) (?:\w+ ){0,2}(?:dose|doses|injection|injections|shot|shots)|on (?:treatment|"
    r"quelvanti|quelvarimab|qlv)|ahora|adesso|ora|maintenant|jetzt|agora)\b"
)


def _history_before(masked: str, start: int, end: int) -> bool:
    """True when a history cue governs the mention ending the window [start, end)."""
    window = masked[start:end]
    stops = list(_HISTORY_STOP.finditer(window))
    if stops:
        window = window[stops[-1].end() :]
    return HISTORY.search(window) is not None


def exposure_anchored(lower: str) -> bool:
    """True when the text ties what it describes to the product or its administration."""
    return EXPOSURE_ANCHOR.search(lower) is not None or exposure_in(lower)


_CLAUSE_BREAK_RE = re.compile(r"[,;?!]|\s[-–—]+\s|\s(?:but|and then|so|although|though|however)\s")


def clause_bounds(analysis: Analysis, pos: int) -> tuple[int, int]:
    """The clause of the sentence around a normalised offset (split at commas, dashes, "but")."""
    seg = analysis.segment_of(pos)
    lower = analysis.lower
    start, end = seg.sentence_start, seg.sentence_end
    for m in _CLAUSE_BREAK_RE.finditer(lower, seg.sentence_start, seg.sentence_end):
        if m.end() <= pos:
            start = m.end()
        elif m.start() >= pos:
            end = m.start()
            break
    return start, end


# "a missed dose", "the late dose", "any skipped injection": a participle naming a kind of dose.
_ADJECTIVAL_BEFORE = re.compile(r"(?:^|\b(?:a|an|the|any|each|every|of|after|for|on|about))\s+$")


def _clause_event(lower: str, cs: int, ce: int) -> re.Match[str] | None:
    """The first CLAUSE_EVENT wording in [cs, ce) that is used as a verb, not as an adjective."""
    for m in CLAUSE_EVENT.finditer(lower, cs, ce):
        before = lower[max(cs, m.start() - 8) : m.start()]
        if m.group() in ("missed", "skipped", "doubled") and _ADJECTIVAL_BEFORE.search(before):
            continue
        if m.group() in ("missed", "skipped") and m.start() == cs:
            continue  # "missed dose, ..." opening a clause: a topic
        return m
    return None


def _asks(lower: str) -> bool:
    """True when any part of the message is a question, with or without a question mark."""
    if "?" in lower or EMBEDDED_QUESTION.search(lower):
        return True
    return any(QUESTION_START.search(part) for part in re.split(r"[,;:]|\s[-–—]+\s", lower))


def _own_clause(analysis: Analysis, start: int) -> str:
    """The mention's clause, cut where a question opens ("after a missed dose | do we restart")."""
    cs, ce = clause_bounds(analysis, start)
    for q in EMBEDDED_QUESTION.finditer(analysis.lower, cs, ce):
        if q.start() > start:
            ce = q.start()
            break
        cs = q.start()
    return analysis.lower[cs:ce]


def _declarative_clause(
    analysis: Analysis, masked: str, start: int, happened: re.Pattern[str] | None
) -> str | None:
    """The rule when the mention's own clause is a plain statement that something happened."""
    cs, ce = clause_bounds(analysis, start)
    # A question opening inside the clause ("after a missed dose do we restart ...") governs what
    # follows it; what precedes it is judged on its own.
    for q in EMBEDDED_QUESTION.finditer(analysis.lower, cs, ce):
        if q.start() <= start:
            return None
        ce = q.start()
        break
    clause = masked[cs:ce]
    if masked[ce : ce + 1] == "?" or QUESTION_START.search(analysis.lower[cs:ce]) or "?" in clause:
        return None
    if SURVEY.search(clause) or generic_in(clause, analysis.lower[cs:ce]):
        return None
    if HYPOTHETICAL.search(masked, cs, start):
        return None
    if HEARSAY.search(clause) or PRETREATMENT.search(clause):
        return None
    if PRETREATMENT.search(analysis.lower) and not exposure_in(analysis.lower):
        return None  # "has a cold right now, should she wait to start?": nothing given yet
    seg = analysis.segment_of(start)
    if QUESTION_START.search(analysis.lower[seg.sentence_start : seg.sentence_end]) and cs > seg.sentence_start:
        # "Is it normal that ..., or ...": the question opens the sentence and governs it.
        return None
    # The mention's own verb counts here ("Quelvanti stopped working for him, should we switch?").
    ev = PAST_EXPERIENCE.search(clause) or _clause_event(analysis.lower, cs, ce)
    if ev is None and happened is not None:
        # The mention's own administration verb counts: "my patient used two pens by accident, what now".
        ev = happened.search(clause) or ADMIN_PAST.search(analysis.lower, cs, ce)
    if ev is None and (PATIENT_SPECIFIC.search(clause) or _PATIENT_REF.search(clause)):
        # "pt with injection site bruising after each shot, should she ice it?": a verbless report.
        ev = _DOSE_ANCHOR.search(clause) or EXPOSURE_ANCHOR.search(clause)
    if (
        ev is None
        and PATIENT_SPECIFIC.search(clause)
        and exposure_anchored(analysis.lower)
        and not PRETREATMENT.search(analysis.lower)
    ):
        ev = PRESENT_EXPERIENCE.search(clause)
    if ev is None:
        return None
    return f"clause:{ev.group()}"


# What makes a verbless clause about one occurrence: "new plaques after dose 4", "bumps all over her
# trunk after the last pen", "recurrent thrush since the loading dose".
_SPECIFIC_CUE = re.compile(
    r"\b(?:new(?! (?:\w+ )?(?:patients?|pts?|starts?|starter|prescriptions?|rx|scripts?|pens?|box|shipment|"
    r"referrals?|formulation|data|study|studies|indications?|guidelines?|label|insurance|plan|office|clinic)\b)|"
    r"new-onset|recurr\w*|again|another|her|his|their|him)\b"
)
# A guess that refers back to what the report said: "could this be paradoxical?", "is that expected?".
_GUESS_BACK = re.compile(
    r"^\W*(?:(?:could|can|might|may|would|is|was|are|were|does|did)\s+(?:this|that|it|these|those|they)|"
    r"(?:maybe|perhaps|probably|possibly|likely|or|just|related|paradoxical|coincidence)|"
    r"(?:this|that|it)\s+(?:is|was|could|can|might|may|would))\b"
)
# "around wk 8", "at week 12": a time on treatment.
_TREATMENT_WEEK = re.compile(r"\b(?:(?:at|around|by|since|from|on|after|in) (?:wk|week) ?\d+|wk ?\d+)\b")
_TAIL_SPLIT = re.compile(r"[,;:]|\s[-\u2013\u2014]+\s|\.\.+")


def report_then_guess(analysis: Analysis, start: int, *, need_cue: bool = True) -> bool:
    """A statement followed by a short guess at what it is ("..., could this be paradoxical?",
    "... after dose 2 paradoxical??"): the guess asks nothing of what happened, so the statement
    stays a report. The statement must be tied to a dose and (with `need_cue`) to one occurrence."""
    seg = analysis.segment_of(start)
    lower = analysis.lower
    s0, e0 = seg.sentence_start, seg.sentence_end
    sentence = lower[s0:e0]
    h = HEADER.match(sentence)
    body_start = h.end() if h is not None and h.end() < len(sentence) else 0
    body = sentence[body_start:].rstrip(" ?!.")
    if "?" not in sentence or "?" in body:
        return False
    parts = _TAIL_SPLIT.split(body)
    tail = parts[-1].strip() if len(parts) > 1 else ""
    report = body[: len(body) - len(parts[-1])] if tail else body
    if start - s0 - body_start >= len(report):
        return False  # the mention is in the guess itself
    if QUESTION_START.search(report) or EMBEDDED_QUESTION.search(report) or CONDITIONAL.search(report):
        return False
    if SURVEY.search(report) or generic_in(report) or HEARSAY.search(report) or PRETREATMENT.search(report):
        return False
    if re.search(r"\b(?:what|how|why|which|when|whether|would|could|might|can|should|any|anyone)\b", report):
        return False
    anchors = (_DOSE_ANCHOR, EXPOSURE_ANCHOR, _TREATMENT_WEEK)
    if not any(a.search(report) for a in anchors):
        return False
    cue = bool(
        _SPECIFIC_CUE.search(report)
        or PATIENT_SPECIFIC.search(report)
        or _PATIENT_REF.search(report)
        or PAST_EXPERIENCE.search(report)
        or _clause_event(report, 0, len(report))
    )
    if need_cue and not cue:
        return False
    if not tail:
        return True
    if len(tail.split()) > 8 or SURVEY.search(tail) or CONDITIONAL.search(tail):
        return False
    # With one occurrence stated, any short question after it is about that occurrence ("..., should
    # we stop?"); without it, only a guess that points back at it ("..., is that expected?").
    return (
        cue
        or _GUESS_BACK.search(tail) is not None
        or not (QUESTION_START.search(tail) or EMBEDDED_QUESTION.search(tail))
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

    if _history_before(masked, max(seg.start, start - 60), start) or HISTORY_AFTER.match(lower, end):
        return Framing(Mode.HISTORY, "history")

    if PRESUPPOSED_AFTER.match(lower, end):
        return Framing(Mode.REPORT, "presupposed")

    for cs, ce in _conditional_spans(masked, seg.sentence_start, seg.sentence_end):
        if cs <= start < ce:
            # "asks if quelvanti caused her hair loss": the past cause presupposes the event.
            if POSSESSIVE.search(masked[max(cs, start - 40) : start]) and re.search(
                r"\b(?:caused|triggered|led to|gave (?:her|him|them)|made)\b", masked[cs:start]
            ):
                return Framing(Mode.REPORT, "conditional_presupposed")
            # "If her rash doesn't clear..." presupposes the rash; "if her ALT goes up" does not.
            if not PERSISTING.match(lower, end):
                return Framing(Mode.HYPOTHETICAL, "conditional")
            return Framing(Mode.REPORT, "conditional_persisting")

    # "allergic reactions to qlv", "missed dose instructions": nobody, nothing happened.
    if not has_happening(lower):
        return Framing(Mode.GENERIC, "topic_fragment")

    # "her rash", "this headache": the event exists for a specific person.
    if POSSESSIVE.search(masked[max(seg.start, start - 40) : start]):
        return Framing(Mode.REPORT, "possessive")

    hearsay = None
    for h in HEARSAY.finditer(masked, max(seg.sentence_start, start - 80), start):
        hearsay = h
    if (
        hearsay is not None
        and not _PRESUPPOSING_HEARSAY.search(masked, max(hearsay.start(), hearsay.end() - 3), hearsay.end() + 8)
        and not PAST_EXPERIENCE.search(masked, hearsay.end(), start)
        and not (happened is not None and happened.search(masked, hearsay.end(), start))
    ):
        return Framing(Mode.QUESTION, f"hearsay:{hearsay.group()}")

    survey = SURVEY.search(sent_text)
    # The question opener is read unmasked: a masked mention must not leave "and has ..." behind.
    is_question = (
        seg_text.rstrip().endswith("?")
        or QUESTION_START.search(lower[seg.start : seg.end]) is not None
        or EMBEDDED_QUESTION.search(sent_text) is not None
    )
    if is_question or survey:
        # A statement followed by a question is still a report: "Pt developed thrush after starting
        # Quelvanti, anything in the label about candida?" The question governs only its own clause.
        clause_rule = _declarative_clause(analysis, masked, start, happened)
        if clause_rule is not None:
            return Framing(Mode.REPORT, clause_rule)
        if report_then_guess(analysis, start):
            return Framing(Mode.REPORT, "report_then_guess")
        if is_question and not has_happening(_own_clause(analysis, start)):
            # "late dose, how do we get back on schedule?": the mention's clause is a bare topic.
            return Framing(Mode.GENERIC, "topic_clause")
    personal = PATIENT_SPECIFIC.search(sent_text) or _PERSONAL.search(sent_text)
    if is_question and not personal:
        # "Which reactions occurred in trials?", "Can it be used in pregnancy?": about patients in general.
        return Framing(Mode.QUESTION, "question")
    past = PAST_EXPERIENCE.search(seg_text) or PAST_EXPERIENCE.search(sent_text)
    if past is None and happened is not None:
        if is_question and ACTION_QUESTION.search(lower[seg.sentence_start : seg.sentence_end]):
            # "Can I give 200 mg loading dose for faster clearance?": the dose is asked about, not given.
            return Framing(Mode.QUESTION, "action_question")
        past = happened.search(seg_text) or happened.search(sent_text)
    specific = PATIENT_SPECIFIC.search(sent_text)
    if past and not survey:
        return Framing(Mode.REPORT, f"experience:{past.group()}")
    # "ALT was normal at baseline before starting, now 3x ULN": the baseline is a comparison, and a
    # clause saying "now" / "currently" / "after dose 2" states the current (on-treatment) value.
    current_clause = _CURRENT_CUE.search(_own_clause(analysis, start)) is not None
    planning_only = (
        PRETREATMENT.search(sent_text) is not None and EXPOSURE.search(sent_text) is None and not current_clause
    )
    if specific and not survey and PRESENT_EXPERIENCE.search(sent_text) and not planning_only:
        if _asks(lower) and SUITABILITY.search(lower) and not exposure_anchored(lower):
            # "My patient has a latex allergy, does the pen contain latex?": a condition the writer
            # asks about, with nothing tying it to treatment.
            return Framing(Mode.GENERIC, "condition_question")
        return Framing(Mode.REPORT, f"patient:{specific.group().strip()}")

    if is_question:
        return Framing(Mode.QUESTION, "question")
    if HYPOTHETICAL.search(masked, seg.sentence_start, start):
        return Framing(Mode.HYPOTHETICAL, "hypothetical")
    if survey:
        return Framing(Mode.QUESTION, "survey")
    if generic_in(sent_text, lower[seg.sentence_start : seg.sentence_end]):
        return Framing(Mode.GENERIC, "generic")
    if PRETREATMENT.search(sent_text) and not EXPOSURE.search(sent_text) and not current_clause:
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
    r"(?:treated|started|been on|on (?:quelvanti|quelvarimab|qlv|quelva\w+|it)|received|taken|used|"
    r"exposed|given|had (?:a|"
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

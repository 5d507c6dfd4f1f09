"""Framing cue words as compiled patterns: report, question, hypothetical, negation, history, exposure."""

from __future__ import annotations

import re

from compliance.nlp.brand import BRAND

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
    r"\b(?:patient|pt|one) of (?:mine|ours)\b|\bone of (?:my|our) (?:patients|pts)\b|\bi have a (?:patient|pt)\b|"
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
    # (not "before anyone noticed", "without anyone seeing": a statement about what happened)
    r"\b(?:has anyone|have any|(?<!before )(?<!until )(?<!without )(?<!than )anyone (?:else )?(?:seen|had|noticed|"
    r"experienced|reported)|have you (?:seen|had|heard|noticed|encountered|come across)|"
    r"(?:has|have) (?:it|this|that|these|they) been (?:reported|seen|described|observed)|"
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
    r"\b(?:can|could|may|might|will|would|does|do|did|is|are)\s+(?:" + BRAND + r"|it|this|the drug|the medication|"
    r"the medicine|the product|the injection|"
    r"il-?23 inhibitors?|biologics?|" + BRAND + r")\s+(?:cause|causes|lead|result|trigger|increase|raise|worsen|"
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


_NO_OTHER = re.compile(r"\b(?:no|without|any|ruled out) (?:other|alternative|obvious|clear|competing) $")


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
        if word in ("cause", "causes") and _NO_OTHER.search(text, max(0, m.start() - 25), m.start()):
            continue  # "no other cause found": the writer ruled out other causes of what happened
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
    r"in the past|years ago|as a child|before (?:starting|she started|he started|treatment|therapy|" + BRAND + r"|"
    r"initiating|beginning)|"
    r"family history|fhx|fh of|(?:her|his|their|patient's|pt's|the patient's) (?:mother|father|mom|dad|mum|sister|"
    r"brother|aunt|uncle|grandmother|grandfather|grandma|grandpa|cousin|parents?|siblings?)(?: \w+)? (?:had|has|"
    r"died|was diagnosed)|"
    r"prior to (?:starting|treatment|therapy|"
    + BRAND
    + r"|initiating)|at screening|also has|comorbid\w*|underlying)\b"
)
# Planning or eligibility questions: no exposure has happened yet.
PRETREATMENT = re.compile(
    r"\b(?:(?:can|could|should|may|would|do|is it (?:ok|okay|safe|fine) to) (?:i|we|she|he|they|you) (?:start|"
    r"initiate|begin|use|prescribe|give|put|try|consider|switch)|"
    r"(?<!as )(?<!than )before (?:starting|initiating|beginning|i start|we start|prescribing)|considering|"
    r"thinking (?:of|about)|"
    r"planning to (?:start|prescribe|use)|"
    r"candidate|eligible|eligibility|would like to (?:start|prescribe|use)|"
    r"wants? to (?:start|prescribe|use|try|begin)|"
    r"not yet (?:started|on)|hasn't started|has not started|"
    r"about to start|going to start|plan to start|prior to starting|ready to start|cleared to start|"
    r"ok to start|okay to start|can start|when to (?:start|initiate|begin)|^\W*start (?:" + BRAND + r"|"
    r"" + BRAND + r"|it|treatment|therapy)|(?:can|could|should|may) (?:" + BRAND + r"|it|"
    r"treatment|therapy) be (?:started|initiated|begun|given)|before she starts|before he starts|wait to start|"
    r"wait (?:before|until) "
    r"starting|hold off (?:on )?starting|delay starting|postpone starting|"
    # "should I hold off on the first dose?": the first dose has not been given
    r"(?:hold off|wait|delay|postpone|defer)(?: on| with)? (?:the |her |his |their )?(?:first|initial|loading) "
    r"(?:dose|injection|shot)|before (?:the |her |his |their )?(?:first|initial) (?:dose|injection|shot))\b"
)
# Exposure to the product has happened (overrides PRETREATMENT).
EXPOSURE = re.compile(
    r"\b(?:on (?:" + BRAND + r"|it|this|treatment|therapy|the drug|"
    r"the medication|the biologic)|taking|"
    r"been on|been taking|been using|"
    r"since (?:starting|beginning|her|his|their|the|initiating)|after (?:her|his|their|the|my|a|each|every|"
    r"\w+) (?:\w+ )?(?:dose|injection|shot|pen|jab)|"
    r"received|injected|was given|were given|got (?:her|his|their|a|the|an) (?:\w+ ){0,2}(?:dose|injection|shot|"
    r"pen)|had (?:her|his|their|a|the) (?:\w+ ){0,2}(?:dose|injection|shot)|"
    r"(?:last|latest|previous|most recent) (?:\w+ )?(?:dose|injection|shot|pen)|got (?:" + BRAND + r"|"
    r"it)|restarted|restarting|since (?:re)?starting|resumed|(?:did|doing|done|does) (?:her|his|their) "
    r"(?:\w+ )?(?:dose|doses|injection|injections|shot|shots|pen|pens)|(?:first|second|third|1st|2nd|3rd|loading|"
    r"week \d+) (?:dose|injection)|continue|continuing|keep (?:her|him|them) on|"
    # "stop" implies treatment, "won't stop watching youtube" does not
    r"stay on|(?:stop|stopping)(?!\s+(?!taking|using|injecting|receiving|getting|the|it)\w+ing\b)|discontinue|"
    r"hold (?:the|her|his)|while (?:on|taking|using|receiving)|"
    r"during (?:treatment|therapy)|currently on|treated with|"
    r"started (?:" + BRAND + r"|on|her|him|it|treatment|therapy)|exposed|exposure|dosed|administered|used (?:it|"
    r"" + BRAND + r"|a|the)|took|injecting|using it|"
    r"(?:getting|gets|receiving|receives|been getting|been receiving) (?:" + BRAND + r"|it|"
    r"the injections|injections|doses|the drug|treatment)|"
    # "Quelvanti stopped working", "6 months of quelvanti", "2 months into QLV": exposure is implied.
    r"(?:" + BRAND + r"|it) (?:\w+ )?(?:stopped|quit|isn't|is not|wasn't|hasn't|has not|"
    r"didn't|did not|not|never|no longer) (?:\w+ )?(?:working|worked|work|helping|helped|help|doing)|"
    r"(?:weeks?|wks?|months?|years?|doses?|injections?|shots?|pens?) (?:of|on|into) (?:" + BRAND + r"|"
    r"" + BRAND + r"|treatment|therapy|it)|"
    r"on (?:" + BRAND + r")|(?:has|have|had|'s|'ve) had (?:\d+|one|two|three|four|five|six|several|her|his|"
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
    r"became|showed|caught|needed|had to|diagnosed|was found|were found)\b|[.;:!?]"
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
    r"injection|spritze|injektion|somministrazione|aplicacao|injecao|" + BRAND + r")\b"
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
    r"injection|shot) ?#?\d|\bpost-?(?:dose|injection|dosing|inj)\b|\b(?:after|since|following) (?:" + BRAND + r"|"
    r"" + BRAND + r"|it|this|that)\b|\b(?:after|since) (?:starting|"
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


_PERSONAL = re.compile(r"\b(?:her|his|my|our|their|him|me|us)\b")


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
    r"patients?|pts?|" + BRAND + r"|(?:my|our|your|a) (?:patient|pt)|"
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

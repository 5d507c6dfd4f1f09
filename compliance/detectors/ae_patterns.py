"""Patterns the adverse-event rules use: other causes, improvement, catch-all wordings, anchors and changes."""

from __future__ import annotations

import re

from compliance.detectors.treatment_status import ON_TREATMENT, not_started_yet
from compliance.findings import Seriousness
from compliance.nlp.brand import BRAND
from compliance.nlp.cues import PRETREATMENT
from compliance.nlp.engine import TermMatch

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
    r"(?:" + BRAND + r"|it|treatment|therapy|the drug)(?: \w+){0,4} (?:due to|"
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
    r"(?:dose|doses|shot|shots|injection|injections|injected|injecting|dosing|dosed|pen|jab|" + BRAND + r"|"
    r"" + BRAND + r"|starting|treatment|therapy|it|loading)\b|"
    r"\bon (?:" + BRAND + r")\b|\bwhile (?:on|taking|using) \w+|\bsince (?:she|"
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
    r"swab|prophylaxis|season|clinic|registry|risk|prevention|contacts?|exposure|serology|antibody|antibodies|"
    # "a high TB-burden country", "a TB-endemic region": where someone comes from, not an illness
    r"burden|endemic|prevalence|incidence (?:country|area|region|setting))\b"
)
_NOT_ILLNESS_BEFORE = re.compile(
    r"\b(?:vaccin\w* (?:for|against)|immuni[sz]\w* (?:for|against)|test(?:ed|ing)? for|screen(?:ed|ing)? for|"
    r"protect\w* (?:against|from))\W+$"
)
# "pt needs yellow fever for travel": a vaccine named by its disease, wanted or due, is prevention.
_VACCINE_WANTED = re.compile(
    r"\b(?:needs?|due (?:for|a|her|his)|scheduled for|booked for|wants?|requires?|requesting|asking for)\s+"
    r"(?:a |an |the |her |his |their |my )?(?:\w+ )?(?:yellow fever|shingles|zoster|herpes zoster|flu|influenza|"
    r"covid(?:-19)?|measles|mmr|mumps|rubella|varicella|chickenpox|chicken pox|hepatitis [ab]|hep [ab]|"
    r"pneumo\w*|tetanus|tdap|typhoid|rabies|polio|hpv|rsv|meningitis|meningococcal|cholera|japanese encephalitis|"
    r"tick-borne encephalitis|dengue|mpox)\b"
)
_IMPROVED = re.compile(
    # "joint pain and itching are much better since her second dose": a list shares the verb.
    r"(?:\s*(?:,|and|&)\s*(?:her\s+|his\s+|the\s+)?[a-z]+(?:\s[a-z]+)?)?"
    r"\W+(?:(?:has|have|had|is|was|were|are|got|get|gets|getting|has been|have been|has gotten)\s+)?"
    r"(?:(?:\w+ly|a lot|a little|much|way|so much|almost|nearly|totally|all|long)\s+)*(?:stopped|gone|went away|"
    r"disappeared|cleared|clearing|improv\w*|resolved|resolving|better|subsided|eased|settled|calmed down|faded|"
    r"healed|under control|controlled)\b[^.;]{0,40}?\b(?:after|since|with|on|from|by|within|at) (?:\w+ ){0,3}?"
    r"(?:injection|injections|dose|doses|" + BRAND + r"|starting|started|switching|treatment|"
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
    r"(?:the |her |his )?(?:drug|medication|medicine|" + BRAND + r"|biologic|treatment|therapy|it|"
    r"injections?|shots?)|nothing to do with (?:the |her |his )?(?:drug|medication|medicine|" + BRAND + r"|"
    r"" + BRAND + r"|biologic|treatment|therapy|it|injections?|shots?)\b"
)
# The event follows another cause explicitly: "started after a car accident", "from a skiing fall".
_CAUSED_BY_OTHER = re.compile(
    r"\b(?:after|from|due to|because of|following|caused by|since) (?:a |an |the |his |her |their )?(?:\w+ )?"
    r"(?:car (?:accident|crash|wreck)|(?:bike|motorcycle|motorbike|traffic|road|skiing|work|sports?) "
    r"(?:accident|crash)|accident|crash|collision|mva|mvc|whiplash|surgery|operation|dental work|tooth "
    r"extraction|bee sting|wasp sting|insect bite|dog bite|sunburn)\b"
)
_PRODUCT_OR_DOSE = re.compile(
    r"\b(?:" + BRAND + r"|dose|doses|injection|injections|shot|shots|pen|jab|"
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
_WORRY_OBJECT = re.compile(r"\s+(?:about|to|that|regarding|of|for|whether|if|before)\b")
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|i've|my|me|we|our|us)\b")


# "admitted last night with pneumonia", "in ICU for sepsis": the criterion is stated, whatever follows.
_STATED_AFTER = re.compile(r"\s+(?:\S+\s+){0,3}?(?:with|for)\s+(?:a\s+|an\s+|the\s+)?[a-z]")


# Latent TB found by a screening test, before or without the product: what the label's TB item is about.
_SCREENING_FORM = re.compile(
    r"latent|ltbi|positive (?:quantiferon|igra|ppd|tb test|tst|tuberculin)|quantiferon|igra|ppd"
)


# ... and nothing says it is new: "after the third dose the bloods showed a newly positive QuantiFERON"
_OWN_PATIENT = re.compile(r"\b(?:pt|pts|patient|she|he|her|his|my|mine|our)\b")
_NEWLY = re.compile(r"\b(?:new|newly|now|converted|conversion|became|turned|after|since)\b")


def screening_finding(lower: str, m: TermMatch) -> bool:
    """ "latent tb and quelvarimab, what's the approach", "positive QuantiFERON, clear chest X-ray": a screening
    finding, unless the patient is already on the product (a conversion on treatment is reported)."""
    if m.label != "tuberculosis" or _SCREENING_FORM.search(m.text.lower()) is None:
        return False
    if ON_TREATMENT.search(lower) is not None or _NEWLY.search(lower) is not None:
        return False
    # before the product ("... before the first QLV dose?"), or no patient of the writer's ("latent tb and
    # quelvarimab, what's the approach"); "QLV pt, latent TB" stays a report
    return not_started_yet(lower) or PRETREATMENT.search(lower) is not None or _OWN_PATIENT.search(lower) is None


def prevention_or_test(lower: str, start: int, end: int) -> bool:
    """ "her flu shot", "TB test", "vaccine against shingles", "pt needs yellow fever for travel" (a vaccine
    named by its disease, wanted or due): prevention or a test, not illness."""
    if _NOT_ILLNESS_AFTER.match(lower, end) or _NOT_ILLNESS_BEFORE.search(lower, max(0, start - 25), start):
        return True
    hit = _VACCINE_WANTED.search(lower, max(0, start - 40), end + 20)
    return hit is not None and hit.start() <= start < hit.end()


# An EpiPen named is anaphylaxis evidence when it was used, or when the product is in the message.
_CARRIED_EPIPEN = re.compile(r"epi ?-?pen|epinephrine|adrenaline")
_EPIPEN_USED = re.compile(
    r"\b(?:used|use|using|needed|need|gave|given|give|giving|administered|required|jabbed|injected|had to use|"
    r"had to give)\s+(?:\w+\s+){0,3}?(?:epi ?-?pens?|epinephrine|adrenaline|epi)\b|"
    r"\b(?:epi ?-?pens?|epinephrine|adrenaline)\s+(?:was |were )?(?:given|used|administered|needed|x\s?\d)"
)
# Someone whose body the side effect could be in: then it is no software's side effect.
_PERSON_AFFECTED = re.compile(
    r"\b(?:she|he|patient|pt|her (?:skin|face|arm|body)|his (?:skin|face|arm|body)|i (?:feel|felt|got|had|have)|"
    r"my (?:skin|face|arm|leg|head|stomach|body|son|daughter|wife|husband|mum|mom|dad|patient))\b"
)
# Someone's body apart from a pronoun (which may be a pet's: "my dog ... she's scared of the clippers").
_HUMAN_AFFECTED = re.compile(
    r"\b(?:patient|pt|i (?:feel|felt|got|had|have)|my (?:skin|face|arm|leg|head|stomach|body|son|daughter|wife|"
    r"husband|mum|mom|dad|patient)|(?:my|her|his) (?:child|kid|baby))\b"
)
_PLANT = re.compile(
    r"\b(?:house ?plants?|plants?|roses?|trees?|lawn|grass|garden|leaves|tomato(?:es)?|crops?|orchids?|shrubs?|"
    r"hedges?|seedlings?|succulents?|cactus|ferns?|basil|vines?|fruit trees?)\b"
)
_ANIMAL = re.compile(
    r"\b(?:dog|dogs|cat|cats|puppy|puppies|kitten|kittens|pet|pets|horse|parrot|rabbit|hamster|bird|budgie)\b"
)
# Things that have side effects or reactions in everyday speech: software, devices, policies.
_NON_MEDICAL_SUBJECT = re.compile(
    r"\b(?:update|updates|app|apps|software|firmware|ios|android|windows|laptop|phone|battery|game|patch|"
    r"upgrade|plugin|browser|algorithm|policy|law|rule change|redesign|rebrand|feature|screen|touchscreen|"
    r"keyboard|trackpad|mouse|printer|router|tv|console|engine|subscriptions?|social media|netflix|spotify|tiktok|"
    r"instagram|twitter|facebook|youtube|streaming)\b"
)


def everyday_mention(lower: str, m: TermMatch) -> bool:
    """An event word used of a thing, in a message that names no product: software's or a device's "side effect"
    or "reaction" (named near it, no person's body in the message), a pet's reaction, an EpiPen carried rather
    than used."""
    if _PLANT.search(lower, max(0, m.start - 40), m.start) and _HUMAN_AFFECTED.search(lower) is None:
        return True  # "my houseplant has a fungal infection", "the roses have black spot": a plant's
    if m.label != "adverse reaction":
        return _CARRIED_EPIPEN.fullmatch(m.text.lower()) is not None and _EPIPEN_USED.search(lower) is None
    around = (max(0, m.start - 40), m.end + 40)
    if _ANIMAL.search(lower, *around) and _HUMAN_AFFECTED.search(lower) is None:
        return True  # "my dog had a reaction to the new groomer": an animal's, nothing to report for a person
    return _NON_MEDICAL_SUBJECT.search(lower, *around) is not None and _PERSON_AFFECTED.search(lower) is None

"""Patterns of off-label requests: request wordings, comparisons, combinations, ages, doses."""

from __future__ import annotations

import re

from compliance.nlp.brand import BRAND

# Wordings of a request for information or advice.
REQUEST = re.compile(
    r"\b(?:can i|could i|can we|could we|may i|may we|should i|should we|shall i|would you|could you|can you|"
    r"is it (?:ok|okay|safe|possible|fine|approved|indicated|effective|licensed|appropriate|reasonable|an option)|"
    r"is (?:" + BRAND + r"|it) (?:approved|indicated|licensed|effective|safe|"
    r"an option|used|ok|okay|good)|"
    r"would it|will it|does it|do you|any (?:data|info|information|evidence|experience|studies|study|trials?|"
    r"guidance|recommendations?|thoughts|advice)|"
    r"tell me|let me know|info(?:rmation)? (?:on|about|regarding)|thinking (?:of|about)|considering|consider|"
    r"plan(?:ning)? to|want to|would like|"
    r"wondering|interested in|recommend\w*|advice|advise|guidance|dose (?:for|in)|dosing (?:for|in|of)|"
    r"use (?:it |" + BRAND + r" |" + BRAND + r" )?(?:for|in)|"
    r"used (?:for|in)|approved (?:for|in)|indicated (?:for|in)|work (?:for|in|on)|works (?:for|in|on)|"
    r"effective (?:for|in|against)|"
    r"help (?:with|her|his|their|for)|try (?:it|" + BRAND + r")|trial of|how (?:about|does|do|would|should|much|"
    r"often)|what (?:about|is|are|dose)|"
    r"is there|are there|evidence|data (?:on|in|for)|studied|studies in|efficacy (?:in|for)|safety (?:in|for)|"
    r"options?|alternative|"
    r"switch|switching|"
    r"transition|combine|combination|"
    r"together with|alongside|add (?:on|" + BRAND + r"|it)|add-on|concomitant|concurrent|increase|shorten|extend|"
    r"escalate|reduce|taper|"
    r"say|claim|state|write|confirm|agree|cures?|helps? (?:in|with|for)|works? (?:in|for)|asks? (?:whether|if|"
    r"about)|whether|send (?:me|us|over)|share (?:any|what|whatever))\b|\?"
)
COMPARATIVE_CLAIM = re.compile(
    r"\b(?:better than|worse than|superior|inferior|more effective|less effective|as effective|as good as|"
    r"vs\.?|versus|compared?|comparison|"
    r"head[- ]to[- ]head|outperforms?|beats?|safer than|faster than|stronger than|weaker than|"
    r"difference between|differ(?:s|ent)? from|"
    r"stack up|which is better|which one|prefer|preferred|(?:the )?same (?:risk|issue|problem|reaction|side "
    r"effects?|thing|efficacy|results?)|similar (?:risk|reaction|side effects?|to)|cross-?reactiv\w*)\b"
)
COMBINE = re.compile(
    r"\b(?:combine|combined|combining|combination|together with|alongside|add(?:ed|ing)? (?:on|to)|add|add-on|"
    r"on top of|plus|concomitant(?:ly)?|"
    r"concurrent(?:ly)?|at the same time|same time as|in addition to|stack|stacking)\b|"
    r"\b(?:use|using|give|giving|take|taking|start|starting|prescribe|continue|keep|"
    r"stay)\w* (?:\w+ ){0,3}(?:with|and)\b"
)
USE_FOR = re.compile(
    r"\b(?:for|to treat|treating|treat|treated|in (?:her|his|their|a|my|the)|manage|managing)\W+(?:\w+\W+){0,3}$"
)
AGE = re.compile(
    r"\b(?:patient|pt|she|he|son|daughter|child|kid|girl|boy)(?: is|'s| who is) (\d{1,2})\b(?! ?(?:weeks?|wks?|"
    r"days?|d\b|months?|mos?\b|mg|kg|lbs?|cm|%|x\b|times|/|\.\d|doses?|injections?|shots?|pens?|hours?|hrs?|"
    r"years? (?:of|on|into|since|post|after)|yrs? (?:of|on|into|since|post|after)))|"
    r"\b(\d{1,2})\s?(?:-\s?)?(?:years?|yrs?|y)\s?(?:-\s?)?(?:olds?|o)\b|\b(\d{1,2})\s?(?:yo|y/o|y\.o\.?)|"
    r"\baged? (\d{1,2})\b|"
    r"\b(\d{1,2})\s?(?:-\s?)?(?:months?|mos?)\s?(?:-\s?)?old\b|\bunder (\d{1,2})\b|\b(\d{1,2}) and (?:under|"
    r"younger|below)\b"
)
_DRUG_CONTEXT = re.compile(
    r"\b(?:prednisone|prednisolone|methotrexate|mtx|cyclosporine|ibuprofen|acetaminophen|tylenol|advil|"
    r"benadryl|cetirizine|"
    r"antibiotic|doxycycline|amoxicillin|isoniazid|vitamin|steroid|warfarin|aspirin|insulin|metformin|"
    r"folic acid|otezla|apremilast|"
    r"humira|adalimumab|cosentyx|secukinumab|taltz|skyrizi|tremfya|stelara|enbrel|cimzia|bimzelx|siliq|ilumya|"
    r"rinvoq|sotyktu|"
    r"vaccine|shingrix|dupixent|topical|topicals|cream|ointment|pill|pills|tablet|tablets|supplement|copay|"
    r"co-pay|card|refill|visit|appointment|labs?|bloodwork)\b"
)
_DOSE_WORDS = re.compile(
    r"\b(?:dose|doses|dosing|dosed|inject\w*|give|giving|gave|given|administer\w*|shot|shots|pen|pens|interval|"
    r"schedule|frequency|"
    r"maintenance|regimen|loading|" + BRAND + r"|it|q\d+w?)\b"
)
_CAUSAL = re.compile(
    r"\b(?:cause|causes|caused|causing|associated with|association with|risk of|risks of|linked to|trigger|"
    r"triggers|triggered|worsen|worsens|"
    r"induce|induces|induced|new[- ]onset|develop|developed|developing|flare of|flares of|exacerbat\w*|"
    r"unmask\w*|signals? (?:of|for)|"
    r"cases? of|reports? of|incidence of|rates? of|events? of)\W+(?:\w+\W+){0,2}$"
)
# Wordings of deliberate prescribing: a dose outside the label chosen on purpose is off-label use.
_INTENTIONAL = re.compile(
    r"\b(?:i|we)(?:'ve| have| had)? (?:been |also )?(?:dos|giv|prescrib|increas|escalat|shorten|extend|switch|"
    r"tri|start|put|us|administer|inject|treat)\w*|"
    r"\bfor (?:better|faster|more|improved|quicker)\b|\bto (?:improve|boost|get better|speed up|optimi[sz]e)\b|"
    r"\bintentional(?:ly)?\b|"
    r"\bon purpose\b|\bdeliberately\b|\bper (?:my|our) (?:protocol|plan)\b|\boff-?label\b|\bcompassionate\b"
)
_ERROR_CUE = re.compile(
    r"\b(?:by mistake|mistaken(?:ly)?|accident(?:al|ally)?|inadvertent(?:ly)?|in error|forg[eo]t\w*|instead of|"
    r"confused|wrong|error|extra)\b"
)
_HCP_GAVE = re.compile(
    r"\b(?:i|we)(?:'ve| have| had)? (?:\w+ )?(?:gave|given|give|giving|started|prescribed|treated|treating|put|"
    r"used|using|initiated|tried)\b"
)
_SWITCH = re.compile(
    r"\b(?:switch\w*|transition\w*|mov(?:e|ing) (?:her|him|them|from)|chang(?:e|ing) (?:her|him|them|from)|"
    r"wash ?-?out|sequenc\w*|instead of|replace|after failing|failed)\b"
)
_GOT_HOLD = re.compile(
    r"\bgot (?:hold of|into)\b|\b(?:found|grabbed|played with)\b|\bgot (?:the|her|his|my|a) pen\b|"
    r"\bstuck (?:it|the pen|the needle|himself|herself)\b|\binjected (?:himself|herself|themselves)\b"
)
_NOT_PEDIATRIC = re.compile(
    r"child-?bearing|childhood|childcare|child care|child-? ?pugh|adult (?:son|daughter|children)|baby boomer|"
    r"as a (?:child|kid|teen|teenager|baby|toddler)|when (?:she|he|they) (?:was|were) (?:a )?(?:child|kid|teen|"
    r"teenager|baby|little|young)"
)
# "my UC patient", "a Crohn's pt": a patient identified by an unapproved indication.
_PATIENT_AFTER = re.compile(r"\W*(?:patient|pt|case|lady|guy|man|woman|gentleman|girl|boy)s?\b")
_DET_BEFORE = re.compile(
    r"(?:\b(?:my|our|a|an|the|this|that|her|his|one|another)\W+(?:\w+\W+){0,1}|^\W*(?:\w+\W+){0,1})$"
)
# "after uveitis developed on quelvarimab", "new vitiligo patches": the condition is an event, not a use.
_NEW_CONDITION_BEFORE = re.compile(
    r"\b(?:new|new-onset|new onset|developed|paradoxical|drug-induced)\W+(?:\w+\W+){0,1}$"
)
_NEW_CONDITION_AFTER = re.compile(
    r"\W+(?:has |had |have |was |just |then |later |first )?(?:developed|appeared|started|began|showed up|"
    r"popped up|flared|emerged)\b"
)
_PREG_CONTEXT = re.compile(
    r"\b(?:pregnan\w*|breast-?feed\w*|breastfed|nursing|lactat\w*|trimester|in utero|breast ?milk|born|pumping|"
    r"pumped|milk)\b"
)


# The indication itself names systemic therapy and phototherapy: "candidates for systemic therapy
# or phototherapy" is the approved population, not a comparison or a combination.
_INDICATION_WORDING = re.compile(r"\b(?:candidates?|eligib\w*|qualif\w*|indicat\w*|indication|label)\b")
_COMBINE_OR_COMPARE_CUE = re.compile(
    r"\b(?:combin\w*|together|alongside|plus|add\w*|on top of|concomitant\w*|concurrent\w*|with|vs\.?|versus|"
    r"than|compared?|instead|switch\w*|better|worse)\b"
)
# Dose adjustment asked for an approved adult population (the label has no adjustment): a label topic.
_ADJUSTMENT = re.compile(
    r"\b(?:lower|reduced|smaller)\s+dos(?:e|es|ing)\b|\bdose[- ]?(?:reduction|adjustment)\b|"
    r"\b(?:reduce|reducing|decrease|decreasing|lower|lowering)\s+(?:the\s+)?dose\b"
)
_ADULT_POPULATION = re.compile(
    r"\b(?:elderly|older|seniors?|geriatric|aged|over (?:65|70|75|80)|renal|kidney|hepatic|liver|ckd|dialysis|"
    r"weight|heavier|lighter|obese|obesity|bmi)\b"
)

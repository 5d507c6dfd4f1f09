"""Reportable special situations: they count as adverse events even without a symptom."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compliance.context import (
    ADMIN_PAST,
    EXPOSURE,
    NEGATED_EXPOSURE,
    QUESTION_START,
    frame,
    has_exposure,
    is_pretreatment,
)
from compliance.engine import COMPETITOR, EVENT, LOE, PRODUCT, SYSTEMIC, Analysis
from compliance.findings import Detector, Finding, Mode, Span, SpecialSituation

_PREGNANCY = re.compile(
    r"\b(?:pregnant|pregnancy|pregnancies|expecting (?:a baby|twins)|(?:is|she's|she is|are|we're|partner is|"
    r"wife is) expecting|conceived|conception|trimester|gestation(?:al)?|in utero|"
    r"fetus|foetus|fetal|foetal|gave birth|delivered (?:a|her|the) baby|baby was born|positive pregnancy test|"
    r"pregnancy test (?:was |came back |is )?positive|expectant mother|\d+ ?(?:weeks|wks) (?:pregnant|along|"
    r"gestation)|"
    r"miscarriage|miscarried|stillbirth|preterm)\b"
)
_PREGNANCY_NOT = re.compile(
    r"(?:planning|plan|plans|trying|try|tries|want|wants|wanting|hoping|hope|desire|intend\w*|future|avoid|"
    r"prevent\w*|"
    r"contracept\w*|childbearing|child-bearing|potential|registry|test(?:ing)? for|rule out|ruled out|not|no|"
    r"negative|isn't|is not|before)\W+(?:\w+\W+){0,3}$"
)
_LACTATION = re.compile(
    r"\b(?:breast-?feed\w*|breast feed\w*|breastfed|breast fed|breast-fed|lactating|lactation|breast ?milk|"
    r"breastmilk|pumping|"
    r"expressing milk|expressed milk|nursing (?:her|a|the|his|their|an|my)? ?(?:baby|infant|newborn|son|"
    r"daughter|twins)|"
    r"(?:is|was|been|currently|still|while|and|she's|pt|patient|mom|mother|she) nursing|exclusively nursing|"
    r"chestfeeding|nursing (?:and|&|\+|while|since|postpartum)|"
    r"(?:^|(?:my|our|the|this|is a|she's a|pt is a|patient is a) )(?:nursing|breastfeeding|lactating) "
    r"(?:mother|mom|mum|woman|patient|pt)|"
    r"giving (?:the |her |breast ?)?milk to (?:her|the) (?:baby|infant|newborn|son|daughter)|"
    r"(?:pumps|pumped) (?:breast ?)?milk|feeds? (?:the |her )?(?:baby|infant) (?:breast ?milk|from the breast))"
    r"\b(?! (?:home|staff|facility|student|school|care))"
)
_OVERDOSE = re.compile(
    r"\b(?:overdose[ds]?|overdosing|od'd|oded|double[ds]? (?:up|the dose|her dose|his dose|a dose|dose|dosed)|"
    r"doubled (?:up|the dose|her dose|his dose)|"
    r"double dos\w*|extra (?:dose|injection|pen|shot)|too much|twice the (?:dose|amount|recommended)|"
    r"(?:injected|took|dosed|given|gave|administered|used|received|injects|injecting)(?: \w+){0,3} twice|"
    r"(?:two|2|both|three|3) (?:doses|injections|pens|shots)(?: \w+){0,4} (?:same day|one day|a day apart|"
    r"days apart|a week apart|two weeks apart|"
    r"back to back|back-to-back|at once|together|in a row|same week|same time|within|one after|instead of one|"
    r"by mistake|in error|accidentally|in (?:one|a|the same|1|a single) (?:day|week|sitting|go|morning|evening))|"
    r"(?:second|2nd|another|extra|additional) (?:pen|dose|injection|shot|one) (?:right |straight |immediately |"
    r"just )?(?:after|away|afterwards)|on top of (?:her|his|their|the) (?:scheduled|regular|usual|normal|"
    r"planned) (?:one|dose|injection|pen|shot)|"
    r"(?:injected|used|gave|took|administered) (?:two|2|both|three|3) pens|(?:a |"
    r"the )?second pen (?:by mistake|as well|too|right after)|"
    r"(?:200|300|400|500)\s?mg|more than (?:prescribed|the recommended|recommended|the prescribed|one pen|"
    r"one dose)|higher dose than|"
    r"an additional (?:dose|injection)|another (?:dose|injection|pen) (?:the )?(?:next|same|following) (?:day|"
    r"week)|too many|"
    r"(?:second|another|extra|additional) (?:dose|injection|pen|shot)(?: \w+){0,3} (?:\d|one|two|a|few)(?: \w+)? "
    r"(?:days?|weeks?) (?:after|later)(?! \w+ (?:weeks? )?(?:4|four|8|eight)\b))\b"
)
_MED_ERROR = re.compile(
    r"\b(?:wrong (?:dose|drug|patient|pen|site|schedule|interval|medication|product|strength|time|day|route|"
    r"syringe)|"
    r"by mistake|mistakenly|in error|medication error|dosing error|administration error|accidental(?:ly)?|"
    r"inadvertent(?:ly)?|unintentional(?:ly)?|"
    r"intramuscular(?:ly)?|into (?:a|the) (?:vein|muscle)|"
    # wrong route: "injected the quelvanti IM in the deltoid instead of subq", "gave it in the muscle"
    r"(?:injected|gave|given|administered|did|put|pushed)(?: (?:the|her|his|their|it|quelvanti|qlv|quelvarimab|"
    r"dose|shot|pen|injection|first|second|loading|maintenance|medication|drug)){0,3} (?:im|i\.m\.|iv|i\.v\.)"
    r"(?= |$|[,.;])(?! (?:epinephrine|adrenaline|epi|antibiotics?|steroids?|ceftriaxone|benadryl|diphenhydramine|"
    r"kenalog|toradol|ketorolac|dexamethasone|methylpred\w*|solu-medrol|depo-medrol|b12|vitamin|penicillin|"
    r"bicillin|morphine|promethazine|glucagon|fluids|saline|iron|antihistamines?))|"
    r"\bim (?:in|into) (?:the|her|his) (?:deltoid|glute\w*|thigh|arm|buttock|butt)|"
    r"instead of (?:sub-?q|subcut\w*|sc|s\.c\.|under the skin)|in(?:to)? (?:the|her|his|a) muscle|"
    r"(?:weekly|biweekly|daily|monthly|every (?:week|day|other week|month|\d+ (?:days?|weeks?|wks?))|"
    r"each week|once a (?:week|month)) instead of|stretch(?:ed|ing)? (?:out )?(?:her|his|their|"
    r"the) (?:doses|dosing|injections|interval)|"
    r"on (?:her|his|their) own|skipp(?:ed|ing) (?:doses|injections)|spac(?:ed|ing) out (?:her|his|their|"
    r"the) (?:doses|injections)|"
    r"self-?adjust\w*|non-?complian\w*|non-?adheren\w*|ration(?:ed|ing) (?:her|his|the)? ?(?:pens|doses)|"
    r"instead of (?:every|the|week|q|at week|on week|at wk|in week)|"
    r"(?:every|q) ?\d+ ?(?:weeks?|wks?|w) instead|too (?:early|soon|late)|(?:a|"
    r"one|two|\d+) (?:weeks?|days?|months?) (?:early|late|too early|too soon)|"
    r"early dose|dosed early|given early|late dose|dosed late|missed (?:a|her|his|their|the|one|two|\d+|"
    r"several|her last|his last|a couple of) ?(?:\w+ ){0,2}(?:dose|doses|injection|injections|shot|shots)|"
    r"missed dose|missed doses|skipped (?:a|her|his|their|the|one|two) ?(?:\w+ )?(?:dose|doses|injection|shot)|"
    r"forg[eo]t(?:ten)? (?:to (?:take|inject|give|do|use)|(?:about )?(?:her|his|their|the|a|my|"
    r"one) (?:\w+ ){0,2}(?:dose|injection|shot|pen)|"
    r"(?:that )?(?:she|he|they|i) (?:had )?(?:already )?(?:injected|taken|done|given|dosed|used))|"
    r"instead of (?:\d+ ?mg|one|her|his|the prescribed)|"
    r"frozen|froze|freezer|expired|out of date|past (?:its|the) (?:expiry|expiration|use-by)|past expiry|"
    r"after (?:the|its) expir\w+|beyond (?:its |the )?expir\w+|"
    r"left (?:(?:her|his|their|the|a|my) (?:pens?|syringe|medication|medicine|box) )?(?:out|in)|"
    r"out of the (?:fridge|refrigerator) for|not refrigerated|unrefrigerated|hot car|in the sun|"
    r"(?:pen|device|needle|it|syringe) (?:was |got |had been )?(?:dropped|damaged|broken|cracked|bent)|"
    r"needle (?:was )?bent|cloudy|discolou?red|particles|"
    r"(?:at|in) room temperature for (?:over|more than|about|around)? ?(?:\d+|two|three|four|five|six|several|"
    r"a few) (?:weeks|months)|"
    r"put (?:it )?back in the fridge|returned (?:it )?to the fridge|back into the fridge|shook|shaken|"
    r"shaking the pen|"
    r"into (?:a|the|her|his) (?:psoriatic )?plaque|into (?:her|his) psoriasis|through (?:her|his|"
    r"their)? ?cloth\w*|reused|re-used|shared (?:a|the|her|his) pen|"
    r"instead of (?:waiting|the usual|the scheduled)|(?:second|another|extra|additional) (?:dose|injection|pen|"
    r"shot)(?: \w+){0,3} "
    r"(?:\d|one|two|a|few)(?: \w+)? (?:days?|weeks?) (?:after|later)|"
    r"needle ?stick|needle-stick|sharps injury|stuck (?:it|the pen|the needle|the injection) (?:in|into)|"
    # Accidental exposure of a caregiver, partner or bystander to the pen.
    r"(?:accidentally|by accident|inadvertently|unintentionally) (?:\w+ ){0,2}?(?:got|stuck|pricked|injected|"
    r"jabbed|fired|discharged|triggered|activated|pressed|exposed|sprayed|squirted)\b(?: [\w']+){0,6}? "
    r"(?:pen|pens|needle|injection|syringe|autoinjector|medication|medicine|dose|hand|finger|thumb|palm|leg|"
    r"arm|eye|skin)\b|"
    r"(?:son|daughter|child|kid|toddler|grand\w+|boy|girl|old|baby|dog|nephew|niece) (?:\w+ ){0,4}"
    r"(?:grabbed|found|picked up|played with|got hold of|got into) (?:the |her |his |a |my |their |mom's |"
    r"dad's |mum's )?(?:pen|pens|injection|syringe|autoinjector|quelvanti|qlv)\b|"
    r"(?:child|son|daughter|kid|toddler|grandchild|grandson|granddaughter) (?:\w+ ){0,6}got (?:the|her|his|a|"
    r"my|their) (?:pen|pens|injection|syringe)|pricked (?:herself|himself|myself|themselves|her|his)|"
    r"stuck (?:herself|himself|myself|themselves|her|his|in)|"
    r"injected (?:herself|himself|myself|themselves) (?:by accident|accidentally)|injected (?:into )?(?:her|"
    r"his|my|their) (?:own )?(?:thumb|finger|hand)|"
    r"(?:thumb|finger|hand) (?:was )?(?:stuck|injected|pricked)|"
    r"misfire[ds]?|malfunction\w*|(?:pen|device) (?:jammed|failed|broke|leaked)|wet injection|partial dose|"
    r"(?:didn't|did not) get the full dose|only (?:got|received) (?:half|part)|"
    r"gave (?:it )?(?:iv|intravenously|im|intramuscularly)|intravenously|wrong way|straight from the fridge|"
    r"without (?:letting it|warming)|"
    r"dispensed (?:the )?wrong|pharmacy (?:gave|dispensed|sent) (?:the )?wrong|mix-?up|mixed up|"
    r"confused (?:the|her|his) (?:pens|doses|schedule)|"
    r"(?:second|2nd|week 4|loading) dose (?:at|on) week (?:[1-35-9]|1\d)|(?:gave|given|got|"
    r"received) (?:the )?(?:\w+ ){0,3}dose (?:at|on) week (?:[1-35-9]|1\d)|"
    r"got (?:hold of|into) (?:her|his|their|the|a|my)? ?(?:\w+ )?(?:pen|pens|medication|medicine|injection|"
    r"syringe)|"
    r"(?:child|son|daughter|kid|toddler|grandchild|grandson|granddaughter|baby|husband|wife|caregiver|nurse|"
    r"partner)\b(?: \w+){0,3} (?:injected|stuck|pricked) (?:himself|herself|themselves|him|her)|"
    # Wrong site: into a plaque, a scar, a muscle or a vein.
    r"into (?:a |the |her |his |their |one of (?:her |his |their |the ))?(?:\w+ ){0,2}(?:plaques?|lesions?|"
    r"psoriasis|scars?|tattoos?|bruises?|moles?|stretch marks?|muscle|vein)|through (?:her |his |their |the )?"
    r"(?:cloth\w*|sleeve|shirt|jeans|pants|trousers|clothes|sock|dress)|"
    r"by error|erroneously|wrongly|incorrectly|improperly|"
    # Device failures and handling: "it never clicked", "dropped the pen on the floor".
    r"(?:pen|device|autoinjector|injector|it)\b(?: \w+){0,2} (?:never|didn't|did not|failed to|wouldn't|would not|"
    r"doesn't|does not) (?:click|fire|activate|inject|deploy|release)\w*|"
    r"dropped (?:the|her|his|a|their) (?:pen|device|syringe|autoinjector)|"
    # Incomplete dose: the pen fired early, was pulled away, leaked.
    r"only (?:about |around |roughly |approximately |maybe )?(?:half|a third|a quarter|part|some|\d+ ?%|a little|"
    r"partial)(?: of)?(?: the| her| his| their)?(?: \w+){0,2} (?:went in|was injected|got in|was delivered|"
    r"was given|injected|came out|was administered)|"
    r"(?:half|part|some|most|a lot|a bit|much|all) (?:of )?(?:the |her |his )?(?:dose |medication |medicine |"
    r"liquid |drug |fluid |solution )?(?:leaked|squirted|spilled|came out|dripped|sprayed|ran down|ran out)|"
    r"(?:leaked|squirted|spilled|dripped|sprayed) (?:out|onto|on (?:the|her|his) skin|down|everywhere)|"
    r"pulled (?:the pen |it |the needle |the device |the autoinjector )?(?:away|out|off) (?:too )?(?:early|soon|"
    r"before|quickly|fast)|"
    r"(?:didn't|did not|not|never) (?:hold|keep|press) (?:the pen |it |"
    r"the device )?(?:\w+ )?(?:long enough|in place|"
    r"down long enough|for (?:the full|long enough|10|ten))|"
    r"(?:pen|device|autoinjector|it) (?:clicked|fired|went off|activated|triggered) (?:too )?(?:early|prematurely|"
    r"before)|incomplete (?:dose|injection)|partial (?:dose|injection)|"
    # Wrong product.
    r"(?:dispensed|gave|given|sent|filled|shipped|received|got|injected|used|took)(?: \w+){1,3} instead of "
    r"(?:the )?(?:quelvanti|quelvarimab|qlv|quelva\w+)|wrong (?:product|drug|medication|medicine|biologic)|"
    # Storage: back in the fridge after room temperature, days on the counter.
    r"(?:put|placed|returned|stuck) (?:the pen |it |the pens |them |the box )?back (?:in|into) (?:the )?(?:fridge|"
    r"refrigerator)|(?:room temp(?:erature)?|out of the fridge|on the counter|"
    r"unrefrigerated) for (?:over |more than |"
    r"about |around |nearly |almost )?(?:\d+|two|three|four|five|six|several|a few|"
    r"a couple of) (?:weeks|months|wks)|"
    # Schedule: a dose a week or more early.
    r"(?:week|wk) ?\d+ dose (?:only |just )?(?:\d+|one|two|three|a|few) (?:days?|weeks?|"
    r"wks?) (?:after|later|early|"
    r"too early)|(?:next|second|2nd|maintenance) dose (?:only |just )(?:\d+|one|two|three|a|few) (?:days?|weeks?) "
    r"(?:after|later))\b"
)
# Storage and handling deviations are an error only when the product was then used.
_STORAGE_ONLY = re.compile(
    r"^(?:frozen|froze|freezer|expired|out of date|past|after|beyond|left|out of|not refrigerated|"
    r"unrefrigerated|hot car|in the sun|at|in|put|returned|back|shook|shaken|shaking|placed|stuck|room temp|"
    r"dropped|"
    r"on the counter|"
    r"pen|device|needle|it|syringe|cloudy|discolou?red|particles)"
)
_ACCIDENTAL_EXPOSURE = re.compile(
    r"needle|sharps|pricked|stuck|thumb|finger|hand|injected (?:herself|himself|myself|themselves)"
)
_SUBJECT_BEFORE = re.compile(r"\b(?:she|he|they|i|we|patient|pt)\b[^?]*$")
_ACCIDENTAL = re.compile(
    r"\b(?:by mistake|mistaken(?:ly)?|accident(?:al|ally)?|inadvertent(?:ly)?|in error|forg[eo]t\w*|instead of|"
    r"confused|wrong|"
    r"pharmacy|error|didn't realise|didn't realize|did not realise|did not realize|thought|thinking|"
    r"on (?:her|his|their) own|by (?:herself|himself|themselves)|on top of|misread|misunderstood|"
    r"mixed up|mix-up)\b"
)
_LOE_EXTRA = re.compile(
    r"\b(?:(?:pasi|bsa|iga|dlqi)\b.{0,30}\b(?:unchanged|the same|no change|not changed|went up|gone up|"
    r"increased|worse|worsened|higher|barely moved|still)|"
    r"still has (?:plaques|psoriasis|lesions|extensive|significant)|minimal improvement|little improvement|"
    r"slight improvement only|only slight improvement|"
    r"partial response|suboptimal response|sub-optimal response|inadequate response|insufficient response|"
    r"poor response|not satisfied with (?:the )?(?:results|response)|"
    r"not (?:seeing|getting) (?:any |much |the )?(?:results|improvement|response|benefit)|no (?:results|"
    r"clearance)|"
    r"(?:plaques|psoriasis|lesions) (?:are |is )?(?:still|back|returning|coming back|spreading)|(?:lost|"
    r"losing) (?:her|his|their) response|"
    r"(?:doesn't|does not|isn't|is not|didn't|did not|hasn't|has not|not) (?:seem to )?(?:be )?(?:doing|done|"
    r"do) (?:anything|much|a thing)|"
    r"doing nothing|does nothing|did nothing|done nothing|no (?:real )?(?:results|change)|(?:still|"
    r"just as) (?:bad|covered)|no difference|"
    r"(?:not|hardly|barely) (?:much|any) (?:change|better|improvement|difference)|(?:little|minimal|"
    r"no significant|hardly any|barely any) (?:change|improvement|difference)|"
    r"(?:barely|hardly) (?:changed|improved|moved)|partial responder|non-?responding|"
    r"(?:plaques|psoriasis|lesions|skin|disease)\b(?: \w+){0,2} (?:back|returning|returned|recurr\w*|spreading|"
    r"relapsing|creeping back|coming back)|"
    r"(?:psoriasis|plaques|skin|disease)\b[^.;]{0,40}\bdespite\b|"
    r"(?:pasi|bsa|iga|dlqi)\b.{0,30}\b(?:barely changed|hardly changed|not changed|didn't change|did not change|"
    r"no change|only (?:dropped|went down|improved|decreased|fell|came down|moved))|"
    r"(?:just|still) as (?:bad|thick|red|extensive|severe|widespread|itchy|scaly|angry|"
    r"inflamed) as (?:before|ever|"
    r"at baseline|when)|"
    r"(?:zero|no|nil|minimal|little|hardly any|barely any|not much|not any) (?:real |meaningful |significant |"
    r"visible |noticeable |clinical )?(?:improvement|change|response|benefit|difference|effect)|"
    r"(?:worse|no better|not better|not any better) (?:now )?than (?:before|at baseline|when (?:she|he|they) "
    r"started)|"
    r"still (?:has |have |had |is |at |with |around |about |over |more than |at least |~)*\d+ ?%? ?(?:bsa|pasi|"
    r"body)|(?:bsa|pasi|iga)\s*(?:of\s*|is\s*|was\s*|at\s*)?still|"
    r"(?:isn't|is not|wasn't|not|hasn't been|has not been) doing (?:anything|much|a thing|its job)|"
    r"(?:basically|essentially|a total|a complete|total|complete|treatment|therapy) (?:a )?failure|"
    r"(?:not|doesn't|does not|didn't|did not|no) respond\w*|(?:is|are|still|looks?|stays?|remains?) (?:the )?same"
    r"(?: like| as)?(?: before)?|same (?:like|as) (?:before|at baseline|when (?:she|he|they) started)|"
    r"(?:medicine|medication|drug|treatment|therapy|injections?|shots?|quelvanti|quelvarimab|qlv|quelva\w+|it)"
    r"\s+(?:\w+\s+)?(?:not|no|doesn't|does not|didn't|did not|isn't|is not|wasn't|was not|never|gives? no|"
    r"gave no|of no|is no|was no)\s+(?:\w+\s+)?(?:work\w*|help\w*)|"
    r"failing (?:quelvanti|quelvarimab|qlv|quelva\w+|treatment|therapy)|failed (?:on )?(?:quelvanti|quelvarimab|"
    r"qlv|quelva\w+))\b"
)
# "PASI went from 18 to 16": less than a PASI 50 response is a lack of efficacy.
_SCORE_CHANGE = re.compile(
    r"\b(?:pasi|bsa|iga|dlqi)\b[^.;?]{0,30}?\bfrom\s+(\d+(?:\.\d+)?)\s*%?\s*(?:to|->|=>|down to)\s*"
    r"(\d+(?:\.\d+)?)|\b(?:pasi|bsa)\s+(\d+(?:\.\d+)?)\s*%?\s*(?:->|=>|to|→)\s*(\d+(?:\.\d+)?)|"
    r"\b(?:pasi|bsa)\b(?:\s+(?:was|is|of|score|at|=|:))*\s*(\d+(?:\.\d+)?)\s*%?\s+(?:at\s+)?(?:baseline|bl|"
    r"wk 0|week 0|the start|start)\b[^.;?]{0,40}?(?:\b(?:still|now|and)\b|,)\s*(?:at\s+|was\s+|is\s+)?"
    r"(\d+(?:\.\d+)?)(?!\s*(?:weeks?|wks?|months?))"
)
_PEDIATRIC_AGE = re.compile(
    r"\b(\d{1,2})\s?(?:-\s?)?(?:years?|yrs?|y)\s?(?:-\s?)?(?:old|o)\b|\b(\d{1,2})\s?(?:yo|y/o|y\.o\.?)|"
    r"\baged? (\d{1,2})\b|"
    r"\b(\d{1,2})\s?(?:-\s?)?(?:months?|mos?)\s?(?:-\s?)?old\b|\b(\d{1,2}) ?[mf]\b|\b(?:patient|pt|boy|girl|"
    r"son|daughter|teen|teenager|child|kid)\s?\((\d{1,2})\)|"
    r"\b(?:he|she|patient|pt|son|daughter|child|kid|boy|girl)(?:'s| is| was| who is| just turned| turned) "
    r"(\d{1,2})\b(?!\s*(?:weeks?|wks?|days?|months?|mos?|mg|kg|%|x|lbs?|cm|\.\d|/|years? (?:of|on|into|since)|"
    r"(?:doses?|injections?|shots?|pens?)))"
)
_PEDIATRIC_WORD = re.compile(
    r"\b(?:child|children|kid|kids|toddler|infant|baby|newborn|teen|teenager|teenaged|adolescent|minor|"
    r"pediatric|paediatric|"
    r"teenage|(?:little|young) (?:boy|girl|son|daughter)|schoolboy|schoolgirl|grandchild|grandson|"
    r"granddaughter|junior high|high school(?:er)?|"
    r"(?:her|his|their|my) (?:\d{1,2}[- ]year[- ]old )?(?:son|daughter))\b"
)
_PEDIATRIC_NOT = re.compile(r"child-?bearing|childhood|childcare|child care|baby boomer|adult (?:son|daughter)")
# A child got hold of the product (accidental pediatric exposure).
_CHILD_ACCIDENT = re.compile(
    r"\b(?:got (?:hold of|into)|found|grabbed|played with|picked up|stuck (?:himself|herself)|"
    r"injected (?:himself|herself))\b"
)
_OTHER_THERAPY = re.compile(
    r"\b(?:topicals?|steroid creams?|methotrexate|mtx|cyclosporine|phototherapy|light therapy|"
    r"previous biologic|prior biologic|last biologic|"
    r"other biologic|old biologic|first biologic|his biologic|her biologic|it before|before quelvanti)\b"
)


@dataclass(frozen=True)
class SituationResult:
    """Special situations reported in the message."""

    situations: list[SpecialSituation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def add(self, situation: SpecialSituation, finding: Finding) -> None:
        """Record a situation once, keeping every finding that supports it."""
        if situation not in self.situations:
            self.situations.append(situation)
        self.findings.append(finding)


def _finding(
    analysis: Analysis, situation: SpecialSituation, start: int, end: int, rule: str, why: str
) -> Finding:
    s, e = analysis.to_original(start, end)
    return Finding(
        Detector.SPECIAL_SITUATION, situation.value, Span(s, e), rule, analysis.norm.text[start:end], 1.0, why
    )


def _administered(analysis: Analysis) -> bool:
    """True when the message says the product was actually administered (outside a question)."""
    for m in ADMIN_PAST.finditer(analysis.lower):
        if m.group() in ("left", "froze", "stuck"):
            continue  # "pen left out overnight": the storage deviation itself, not an administration
        seg = analysis.segment_of(m.start())
        text = analysis.lower[seg.start : seg.end]
        is_question = text.rstrip().endswith("?") or QUESTION_START.search(text) is not None
        # "... and then she injected it, is that ok?" still says the product was given.
        if is_question and not _SUBJECT_BEFORE.search(analysis.lower[seg.start : m.start()]):
            continue
        return True
    return False


# For special situations, receiving the product is itself what happened.
_HAPPENED = re.compile(f"(?:{ADMIN_PAST.pattern})|(?:{EXPOSURE.pattern})")
# "wk 4 dose at wk 1": a dose given in the wrong week.
_WEEK_MISMATCH = re.compile(
    r"\b(?:week|wk) ?(\d{1,2}) (?:dose|injection|shot|pen)\b(?: \w+){0,2}? (?:at|on|in|during) (?:week|wk) ?"
    r"(\d{1,2})\b"
)


_DEVICE_OR_BELIEF = re.compile(
    r"\b(?:pen|device|autoinjector|injector|needle|syringe|click|button|thought|thinking|thinks|assumed|believed|worried|"
    r"afraid|unsure|wondering)\b(?:\W+\w+){0,3}\W*$"
)


def _score_not_halved(lower: str) -> tuple[int, int] | None:
    """The span of a PASI or BSA change that is less than a 50% improvement, if any."""
    for m in _SCORE_CHANGE.finditer(lower):
        nums = [g for g in m.groups() if g]
        if len(nums) < 2:
            continue
        before, after = float(nums[0]), float(nums[1])
        if before > 0 and after > before * 0.5:
            return m.start(), m.end()
    return None


def _is_report(analysis: Analysis, start: int, end: int, *, negatable: bool = True) -> tuple[bool, str]:
    framing = frame(analysis, start, end, negatable=negatable, happened=_HAPPENED)
    return framing.mode is Mode.REPORT, f"{framing.mode.value}:{framing.rule}"


def _exposure_report(
    analysis: Analysis,
    pattern: re.Pattern[str],
    situation: SpecialSituation,
    explanation: str,
    unless_before: re.Pattern[str] | None,
    exposed: bool,
) -> Finding | None:
    """The first reported mention of a state during exposure (pregnant, breastfeeding) while on the product."""
    lower = analysis.lower
    for m in pattern.finditer(lower):
        if unless_before is not None and unless_before.search(lower[max(0, m.start() - 40) : m.start()]):
            continue
        ok, rule = _is_report(analysis, m.start(), m.end())
        if ok and not is_pretreatment(analysis, m.start()) and (has_exposure(analysis, m.start()) or exposed):
            return _finding(analysis, situation, m.start(), m.end(), f"{situation.value}:{rule}", explanation)
    return None


def detect_special_situations(
    analysis: Analysis, *, product_named: bool, product_in_conversation: bool
) -> SituationResult:
    """Find reported pregnancy, lactation, overdose, medication error, lack of efficacy and pediatric exposure.

    Off-label use is decided by the off-label detector, which owns that vocabulary.
    """
    result = SituationResult()
    lower = analysis.lower
    # "never treated with Quelvanti": naming the product is not exposure.
    product_named = product_named and NEGATED_EXPOSURE.search(lower) is None

    exposed = product_named or product_in_conversation
    for pattern, situation, explanation, unless_before in (
        (_PREGNANCY, SpecialSituation.PREGNANCY, "pregnancy during exposure reported", _PREGNANCY_NOT),
        (_LACTATION, SpecialSituation.LACTATION, "exposure during breastfeeding reported", None),
    ):
        finding = _exposure_report(analysis, pattern, situation, explanation, unless_before, exposed)
        if finding is not None:
            result.add(situation, finding)

    for m in _OVERDOSE.finditer(lower):
        ok, rule = _is_report(analysis, m.start(), m.end(), negatable=True)
        if ok:
            result.add(
                SpecialSituation.OVERDOSE,
                _finding(
                    analysis,
                    SpecialSituation.OVERDOSE,
                    m.start(),
                    m.end(),
                    f"overdose:{rule}",
                    "more than the labelled dose was given",
                ),
            )
            accident = _ACCIDENTAL.search(lower)
            if accident:
                # An accidental overdose is also a medication error.
                result.add(
                    SpecialSituation.MEDICATION_ERROR,
                    _finding(
                        analysis,
                        SpecialSituation.MEDICATION_ERROR,
                        accident.start(),
                        accident.end(),
                        "medication_error:accidental_overdose",
                        "overdose given by mistake",
                    ),
                )
            break

    for wm in _WEEK_MISMATCH.finditer(lower):
        due, given = int(wm.group(1)), int(wm.group(2))
        ok, rule = _is_report(analysis, wm.start(), wm.end())
        if due == given or not ok:
            continue
        result.add(
            SpecialSituation.MEDICATION_ERROR,
            _finding(
                analysis,
                SpecialSituation.MEDICATION_ERROR,
                wm.start(),
                wm.end(),
                f"medication_error:wrong_week:{rule}",
                "a dose given in the wrong week",
            ),
        )
        if given < due and re.search(r"\bagain\b", lower[wm.end() : wm.end() + 60]):
            result.add(
                SpecialSituation.OVERDOSE,
                _finding(
                    analysis,
                    SpecialSituation.OVERDOSE,
                    wm.start(),
                    wm.end(),
                    "overdose:early_then_again",
                    "a dose given early and then again on schedule",
                ),
            )
        break

    administered = None
    for m in _MED_ERROR.finditer(lower):
        term = m.group()
        ok, rule = _is_report(analysis, m.start(), m.end())
        if not ok:
            continue
        if _STORAGE_ONLY.match(term) and not _ACCIDENTAL_EXPOSURE.search(term):
            if administered is None:
                administered = _administered(analysis)
            if not administered:
                continue
        result.add(
            SpecialSituation.MEDICATION_ERROR,
            _finding(
                analysis,
                SpecialSituation.MEDICATION_ERROR,
                m.start(),
                m.end(),
                f"medication_error:{rule}",
                "error in dose, schedule, storage, handling or accidental exposure",
            ),
        )
        break

    events = analysis.of_kind(EVENT)
    loe_spans = [(m.start, m.end) for m in analysis.of_kind(LOE)] + [
        (m.start(), m.end()) for m in _LOE_EXTRA.finditer(lower)
    ]
    score = _score_not_halved(lower)
    if score is not None:
        loe_spans.append(score)
    other_products = analysis.of_kind(COMPETITOR, SYSTEMIC)
    for s, e in sorted(loe_spans):
        if re.search(r"(?:new[- ]onset|paradoxical|new)\W+$", lower[max(0, s - 15) : s]):
            continue  # a new or paradoxical flare is an adverse event, not a failure to work
        if any(ev.end <= s and s - ev.end <= 25 and ev.label != "psoriasis worsening" for ev in events):
            continue  # "her herpes flared up" is about another disease
        if _DEVICE_OR_BELIEF.search(lower[max(0, s - 30) : s]):
            continue  # "thought the first pen didn't work": a device problem or a belief, not the drug failing
        seg = analysis.segment_of(s)
        seg_text = lower[seg.start : seg.end]
        # "Humira stopped working, so we switched" is about another product.
        near_other = any(seg.start <= o.start < seg.end for o in other_products) or _OTHER_THERAPY.search(seg_text)
        near_ours = any(seg.start <= p.start < seg.end for p in analysis.of_kind(PRODUCT))
        if near_other and not near_ours:
            continue
        ok, rule = _is_report(analysis, s, e)
        if ok and not is_pretreatment(analysis, s):
            result.add(
                SpecialSituation.LACK_OF_EFFICACY,
                _finding(
                    analysis,
                    SpecialSituation.LACK_OF_EFFICACY,
                    s,
                    e,
                    f"lack_of_efficacy:{rule}",
                    "the product is reported not to work",
                ),
            )
            break

    pregnancy_context = bool(result.situations) and (
        SpecialSituation.PREGNANCY in result.situations or SpecialSituation.LACTATION in result.situations
    )
    for m in list(_PEDIATRIC_AGE.finditer(lower)) + list(_PEDIATRIC_WORD.finditer(lower)):
        if _PEDIATRIC_NOT.search(lower[max(0, m.start() - 6) : m.end() + 8]):
            continue
        if m.re is _PEDIATRIC_AGE:
            groups = [g for g in m.groups() if g]
            if not groups:
                continue
            is_months = "month" in m.group() or "mo" in m.group()
            if not is_months and int(groups[0]) >= 18:
                continue
            if pregnancy_context and is_months:
                continue  # the nursing infant's age, not a treated child
        elif pregnancy_context and re.match(r"baby|infant|newborn", m.group()):
            continue  # the baby of a pregnancy or lactation report is covered by that situation
        ok, rule = _is_report(analysis, m.start(), m.end())
        exposed = has_exposure(analysis, m.start()) or _CHILD_ACCIDENT.search(lower) is not None
        if ok and exposed and not is_pretreatment(analysis, m.start()):
            result.add(
                SpecialSituation.PEDIATRIC,
                _finding(
                    analysis,
                    SpecialSituation.PEDIATRIC,
                    m.start(),
                    m.end(),
                    f"pediatric:{rule}",
                    "a child was exposed to the product",
                ),
            )
            break
    return result

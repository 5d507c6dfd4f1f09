"""Questions about another product that the label answers: they pass to the assistant, not off-label.

- Switching logistics ("switching from Humira to QLV, do we need a fresh TB test?", "what washout?",
  "pt stopped X in march, can QLV start now?", "any overlap between X and QLV?"): how to start the
  product after another one is label information, not a comparison.
- Interaction and co-medication safety ("any issues giving methotrexate alongside QLV?", "do I need to
  check cyclo levels more often?"): drug-interaction information, not a combination-use request.
- A population word with nothing medical around it ("how do I get my children to bed earlier") is
  everyday chatter, not a pediatric-use request.
- Label status ("is quelvanti approved for kids?", "pediatric safety established?", "is it for mild
  psoriasis too or only moderate to severe?"): what the label says about a population or indication, asked
  without asking to use it there; the approved indication and population statements answer it.
- A missed or late dose asked about ("pt forgot her q8w dose by 2 weeks, what now?"), with no event: the
  label's missed-dose instructions answer it; with an event it stays a report.

A comparative claim ("better than", "which is more effective", "should I switch") still goes
off-label. One function per rule; each returns the rule name when it applies, else None.
"""

from __future__ import annotations

import re

from compliance.detectors.report_model import weak_term, without_figurative
from compliance.nlp.anchors import alternation
from compliance.nlp.brand import BRAND
from compliance.nlp.engine import COMPETITOR, DRUG, EVENT, PRODUCT, SYSTEMIC, Analysis

# A switch, or a sequence of the two products: the other one stopped or last given, then the product.
_SWITCH = re.compile(
    r"\b(?:switch\w*|transition\w*|mov(?:e|ing)|chang(?:e|ing)|coming off|come off|going from|go from|"
    r"(?:off|from) \w+ (?:to|onto)|stopped|stopping|discontinued|last (?:\w+ )?dose|overlap\w*|"
    # "a change from X, how do I bridge to QLV?", "stop X and go to QLV", "X to QLV: first dose ..."
    r"change from|bridg\w*|stop \w+ and (?:go|move|switch|start)|^\W*[\w-]+ (?:to|->|→) [\w-]+\s*[:,-]|"
    # "if the patient is coming from Humira", "what's the recommended transition from X to Y"
    r"com(?:ing|es|e) (?:\w+ )?from|came (?:\w+ )?from|moving from|switch\w* back|go(?:ing|es)? back to|"
    r"com(?:ing|es|e) (?:\w+ )?off|forc\w+ a change|"
    # "after discontinuing QLV ... before X", "if a patient stops QLV, when can X be started?", "after the last X
    # injection", "returns from X", "an inadequate response to X and then switched to QLV"
    r"discontinu\w*|stops?|after the last|returns? from|(?:inadequate|failed|no|poor) response to|"
    # "between the last bimekizumab injection and the first QLV", "on the date the next X dose would have been
    # due", "while the patient is still tapering off otezla"
    r"(?:last|next|final) (?:[\w-]+ ){0,2}(?:doses?|injections?|infusions?|shots?|pens?|courses?)|taper\w* off)"
)
_LOGISTICS = re.compile(
    r"\b(?:wash ?-?out|when|first dose|loading|tb|quantiferon|igra|ppd|test|testing|screen\w*|stop|stopping|"
    r"start|starting|wait|how long|timing|interval|gap|labs?|day before|days? after|weeks? after|overlap|"
    r"last dose|next dose|schedule|dose be|bridg\w*|how do (?:i|we)|due|lab work|(?:week|wk) ?\d+|"
    r"(?:loading|induction|starting) doses?|still (?:do|give|need)|how (?:should|do|can|would) (?:i|we|you)|"
    r"how to|guidance|protocol|process|recommended|recommendation|approach|plan|week 0|wk ?0|data|evidence|"
    r"monitor\w*|needed|still needed|transition|information|info|how many weeks|allow|restart\w*|started|given|"
    r"earliest|how soon|first (?:\w+ )?(?:pen|injection|shot))\b"
)
_PREFERENCE = re.compile(
    # "should we switch?" is a preference; "should we wait one half-life?" is logistics
    r"\b(?:(?<!how )should (?:i|we)(?! (?:wait|start|stop|give|check|test|repeat|hold|allow|leave|begin|expect|"
    r"plan|time|overlap|bridge|load|re-?load|restart)\b)|rationale|which|better|worse|superior|inferior|"
    r"more effective|"
    r"less effective|"
    r"prefer\w*|recommend (?:switching|changing)|worth (?:switching|it)|vs\.?|versus|compared?|comparison)\b"
)
_INTERACTION = re.compile(
    r"\b(?:interact\w*|ddi|issues?|problems?|concerns?|safe|safety|ok|okay|fine|levels?|monitor\w*|check|"
    r"adjust\w*|cyp\w*|metaboli\w*|bleeding|hold|washout|vaccin\w*|live vaccines?|booster|shot|"
    r"(?:anything|what) to watch|watch (?:for|out)|data on (?:combining|using|giving)|combining|as well|"
    r"at the usual dose|keep (?:using|taking)|continue (?:using|taking)|while (?:on|taking|still)|"
    # "can X be combined with methotrexate?", "used alongside phototherapy", "if MTX is continued alongside X"
    r"combined?|alongside|together|concomitant\w*|co-?administ\w*|continued?|any reason not to|folic acid|"
    # "can we add QLV or do we stop MTX first?", "any data on QLV plus low-dose MTX?"
    r"add|adding|stop \w+ first|(?:any )?data on \S+ (?:plus|with|and|\+)|additive|immunosuppress\w*|"
    # "studied in combination with X?", "added on top of X, or should X be tapered first?", "LFTs at regular
    # intervals, the way dupilumab does?", "should HIV serology be repeated more often?"
    r"studied in combination|in combination with|on top of|tapered?|lfts?|labs?|bloods?|serology|repeated|"
    r"regular intervals|repeat\w*|checked|frequen\w*|co-?prescrib\w*|at the same time|allowed|"
    # "applied near the injection site on the same day?", "baseline and follow-up ALT ... how often?"
    r"(?:on )?the same day|how often|baseline|follow-?up)\b"
)
_EFFICACY_COMBO = re.compile(
    r"\b(?:boost|enhance|better (?:results|response|control|efficacy)|more effective|synerg\w*|"
    r"add(?:ed|ing)? (?:on|to) (?:for|to)|augment\w*|improve (?:response|efficacy|results)|"
    # combined to treat something: "combined with low-dose Neoral for nail psoriasis"
    # (not the approved indication or a body site a topical treats: "with methotrexate for plaque psoriasis",
    # "tapinarof plus QLV for the scalp" ask about co-use)
    r"for (?:her |his |their |the )?(?:\w+ ){0,2}(?:psoriatic arthritis|arthritis|nails?|nail psoria\w*|flares?|"
    r"response|control|efficacy|clearance))\b"
)
_MEDICAL = re.compile(
    # "it" is the product when something is done with it, not in "is it worth waiting to buy a baby monitor"
    r"\b(?:(?:have|get|take|try|on|tried|took|got|had) (?:it|this)|(?:it|this) (?:works?|helps?|worked|helped)|"
    r"(?:is|was|would|will|can|could) (?:it|this) (?:be )?(?:ok|okay|fine|alright|good|an option|appropriate)|"
    r"use|used|using|dosing|treat\w*|therap\w*|" + alternation("medicine_words") + r"|inject\w*|shots?|"
    # a pen, not a 3D pen, a pig pen or a fountain pen
    r"(?<!3d )(?<!pig )(?<!fountain )(?<!ballpoint )(?<!ball )(?<!gel )(?<!felt )(?<!vape )(?<!play )pens?|"
    r"approved|indicated|indication|label\w*|safe|safety|study|studies|data|trials?|psoria\w*|mg|kg|biologics?|"
    r"patients?|pts?|give|given|giving|exposure|exposed|"
    # started on something medical, not "just started cricket"
    r"start\w* (?:on|it|this|treatment|therapy|the (?:drug|medicine|medication|shots?|injections?|pen)))\b"
)


def _sentence(analysis: Analysis, pos: int) -> str:
    seg = analysis.segment_of(pos)
    return analysis.lower[seg.sentence_start : seg.sentence_end]


def _with_next_sentence(analysis: Analysis, pos: int) -> str:
    """The mention's sentence and the one after it ("Switching from X to QLV. Any washout needed?")."""
    seg = analysis.segment_of(pos)
    following = analysis.segment_of(seg.sentence_end + 1) if seg.sentence_end < len(analysis.lower) else None
    end = (
        following.sentence_end
        if following is not None and following.sentence_start >= seg.sentence_end
        else (seg.sentence_end)
    )
    return analysis.lower[seg.sentence_start : end]


def switch_logistics(analysis: Analysis, pos: int) -> str | None:
    """A switch to the product asking only how or when: label information."""
    sentence = _with_next_sentence(analysis, pos)
    if not any(m.kind == PRODUCT for m in analysis.matches):
        return None
    if _SWITCH.search(sentence) and _LOGISTICS.search(sentence) and not _PREFERENCE.search(analysis.lower):
        return "label_question:switch_logistics"
    return None


# Therapies that are not drugs: combining with them is a regimen the label does not cover, not an interaction.
_NON_DRUG_THERAPY = re.compile(r"\b(?:photo ?therapy|light therapy|uvb|nb-?uvb|puva|excimer|laser|tanning)\b")


_SAFETY_CONCERN = re.compile(
    r"\b(?:concerns?|safe|safety|risks?|photosensitiv\w*|interact\w*|problems?|issues?|studied|data|information|"
    # "home phototherapy unit - fine to combine with quelvanti?": whether it is all right, not for a better result
    r"(?:fine|ok|okay|alright|all right) to (?:combine|continue|keep|use))\b"
)


def interaction_question(analysis: Analysis, pos: int) -> str | None:
    """A question about giving another drug with the product safely: interaction information."""
    sentence = _sentence(analysis, pos)
    if _NON_DRUG_THERAPY.search(sentence) and not _SAFETY_CONCERN.search(sentence):
        return None  # (but "any photosensitivity concern combining NB-UVB with QLV?" asks about safety)
    if "?" not in analysis.lower and not re.search(r"\b(?:any|do|does|can|is|should|would)\b", sentence):
        return None
    if _INTERACTION.search(sentence) and not _EFFICACY_COMBO.search(sentence):
        return "label_question:interaction"
    if _TERSE_PAIR.match(sentence):
        return "label_question:interaction"  # "otezla + qlv?", "mtx & quelvanti??"
    return None


# Two names joined and asked about, nothing else: whether they go together.
_TERSE_PAIR = re.compile(r"^\W*[\w-]+\s*(?:\+|&|and|with|w/)\s*[\w-]+\s*\?+\W*$")


def everyday_population(analysis: Analysis) -> str | None:
    """Children named with nothing medical or product-related in the message: not a pediatric request. An event
    word in its everyday sense ("bleeding me dry", "chewing the toys to death", "the fridge died") and a figure
    of speech ("a dose of patience") are nothing medical."""
    if any(m.kind in (PRODUCT, COMPETITOR, DRUG, SYSTEMIC) for m in analysis.matches):
        return None
    if any(m.kind == EVENT and not weak_term(m.text) for m in analysis.matches):
        return None
    if _MEDICAL.search(without_figurative(analysis.lower)):
        return None
    return "label_question:everyday_population"


# The labelled regimen, named as one side of an either-or question ("IV or subq?", "q8w or q12w?").
_LABELLED_ALTERNATIVE = re.compile(
    r"\b(?:subq|sub-?q|sc|subcutaneous(?:ly)?|under the skin|q8w|q 8 ?w|every 8 weeks|every eight weeks|"
    r"100 ?mg)\b"
)


def either_or_label(analysis: Analysis, pos: int) -> str | None:
    """ "is quelvanti given IV or subq?": asking which is right, with the labelled answer as one side."""
    sentence = _sentence(analysis, pos)
    if "?" not in sentence and not re.match(r"^\W*(?:is|are|does|do|which|what)\b", sentence):
        return None
    if re.search(r"\bor\b", sentence) and _LABELLED_ALTERNATIVE.search(sentence):
        return "label_question:either_or"
    return None


# Asking what the label says: approval, indication or established safety, not asking to use the product.
_STATUS = re.compile(
    r"\b(?:approved|approval|indicated|indication|licen[cs]ed|labell?ed|on[- ]label|authori[sz]ed|cleared|"
    r"established|studied|evaluated|status|data|evidence|safe and effective|safety and efficacy|label says?|"
    r"(?:label|pi|prescribing information|package insert) (?:say|says|state|states|position)|"
    r"safety and effectiveness)\b|^\W*(?:is|are)\s+(?:it|this|they|the drug|" + BRAND + r")\s+"
    r"(?:only\s+|just\s+|also\s+)?(?:for|used for)\b|\bor only\b"
)
# Asking to use, give or start it there: an off-label request whatever else the sentence says.
_USE_ASKED = re.compile(
    r"\b(?:can|could|may|should|would)\s+(?:i|we|you|she|he|they)\s+(?:\w+\s+)?(?:use|give|start|prescribe|"
    r"try|put|treat|inject|administer)\b|\b(?:ok|okay|safe|fine|reasonable)\s+to\s+(?:use|give|start|prescribe|"
    r"try)\b|\bany (?:experience|data) (?:using|with)\b|\bwhat dose\b|\bhow (?:much|many mg)\b"
)


# What the label's own statements answer: its population (not established under 18) and the severity of the
# approved indication. Another disease ("approved for Crohn's?") still goes to Medical Information.
LABEL_STATUS_KINDS = {"population": None, "indication": frozenset({"mild psoriasis"})}


def label_status(analysis: Analysis, pos: int) -> str | None:
    """ "approved for kids?", "is it for mild psoriasis too?": a question about the label, not a use request."""
    sentence = _sentence(analysis, pos)
    seg = analysis.segment_of(pos)
    asked = "?" in sentence or re.match(r"^\W*(?:is|are|has|have|was|were|does|do)\b", sentence) is not None
    if not asked or _USE_ASKED.search(analysis.lower):
        return None
    if _STATUS.search(sentence) or _STATUS.search(analysis.lower[seg.start : seg.end]):
        return "label_question:label_status"
    return None


# A dose missed, skipped, forgotten or late, and the question what to do next.
MISSED_DOSE = re.compile(
    r"\b(?:miss(?:ed|es|ing)?|skipp?(?:ed|ing)?|forg[eo]t(?:ten)?|late|overdue|delayed|behind)\b"
)
_NEXT_STEP = re.compile(
    r"\b(?:what now|what (?:should|do|does|would|can) (?:i|we|she|he|they)|when (?:should|do|can|does|would) "
    r"(?:she|he|they|i|we|it)|how (?:should|do|can) (?:i|we|she|he|they)|instructions?|guidance|what to do|"
    r"next (?:dose|injection)|(?:does|will) (?:the |her |his |their )?schedule|resume|restart|catch up|"
    r"re-?load|reload|start over|take it now|give it now|still (?:give|take|inject)|"
    r"how to (?:handle|proceed|manage)|how (?:do|should) (?:we|i) (?:handle|proceed|manage)|next steps?|"
    r"what (?:she|he|they|i|we) (?:must|should|has to|have to|need to|needs to) do|"
    r"what (?:does|do) (?:the )?(?:label|pi|prescribing information|guidance|smpc) (?:say|recommend|advise)|"
    r"now what|what next)\b"
)


# More than the dose was given ("forgot she had already injected", "took an extra pen"): never a missed dose.
_MORE_GIVEN = re.compile(
    r"\b(?:already|extra|twice|double\w*|two (?:doses|pens|injections|shots)|again|second (?:pen|dose|injection|"
    r"shot)|too many|overdos\w*|too (?:soon|early))\b"
    # ...nor is a missed dose followed by worsening ("missed a dose and flared badly"): that is reported
    r"|\b(?:flare\w*|worse\w*|worsen\w*|rebound\w*|came back|returned|spread\w*|got bad|bad again)\b"
    # ... nor one followed by anything new in the patient ("missed a dose and now she can't walk"): the event may
    # be in words no vocabulary has, so the message is not a plain missed-dose question
    r"|\b(?:now (?:has|have|is|she|he|her|his|they|can't|cannot)|since then|developed|can't|cannot|couldn't|"
    r"unable|hospital\w*|admitted|er\b|a&e|(?<!family )(?<!work )(?<!personal )emergency|symptoms?|pain|sick|"
    r"unwell)\b"
)


def missed_dose_question(analysis: Analysis) -> str | None:
    """A missed or late dose with the question what to do next and no event: the label's instructions."""
    lower = analysis.lower
    if analysis.of_kind(EVENT) or not MISSED_DOSE.search(lower) or not _NEXT_STEP.search(lower):
        return None
    if _MORE_GIVEN.search(lower):
        return None
    if "?" not in lower and not re.search(
        r"\b(?:instructions?|guidance|pls|please|advise|what now|now what|what next|next steps?)\b", lower
    ):
        return None
    return "label_question:missed_dose"

"""Whether the patient is on the product yet: a plan, a first dose to come or a wish to restart is no exposure.

"due to start QLV next week", "is it OK to give the first QLV dose this week?", "she wants to go back on
treatment": whatever the message describes predates treatment, unless another wording puts the patient on the
product already ("on quelvanti since March", "after her second dose").
"""

from __future__ import annotations

import re

from compliance.nlp.brand import BRAND

# The patient has not started yet: whatever is described predates treatment.
NOT_STARTED = re.compile(
    r"\b(?:due (?:for|to start)|ready (?:for|to start)|(?:ok|okay|safe|fine|cleared) to (?:start|begin)|"
    r"(?:start|starting|begin|beginning) (?:" + BRAND + r"|treatment|therapy|her|him|it) "
    r"(?:next|soon|tomorrow|on)|(?:first|loading) dose (?:is )?(?:next|tomorrow|scheduled|planned|on)|"
    r"can (?:we|i|she|he) still start|hasn't started|has not started|not yet started|yet to start|"
    r"(?:issues?|problems?|concerns?|risks?) (?:with |about |in )?starting|starting (?:now|today)|"
    r"(?:allowed|able|ok|okay|cleared|safe) to (?:start|begin|initiate) (?:" + BRAND + r")|"
    r"about to start|planning to start|before (?:her|his|their|the) first (?:"
    + BRAND
    + r" )?(?:dose|injection|shot)|"
    # a prescriber's plan: "my doctor wants me on Quelvanti but I have ...", "would like to start her on it"
    r"wants? (?:me|her|him|them|us) (?:on|to (?:start|try|go on))|would like to (?:start|put)|"
    r"(?:plans?|planning) to put|"
    # "wants to start Quelvanti", "scheduled for her first qlv dose tomorrow", "can we start QLV now"
    r"wants? to (?:start|begin|try)|(?:scheduled|booked|due) for (?:her|his|their|the) first|"
    # off treatment now: "she wants to go back on treatment", "hoping to restart after delivery"
    r"wants? to (?:go back on|get back on|restart|resume)|planning (?:on |to start )?(?:" + BRAND + r")|"
    # "is it OK to give the first QLV dose this week?"
    r"(?:give|giving|administer|administering) (?:the|her|his|their) first (?:"
    + BRAND
    + r" )?(?:dose|injection|shot)|"
    r"(?:hop(?:e|es|ing)|plan(?:s|ning)?|ready|intends?|would like) to (?:restart|resume|go back on|get back on)|"
    r"can (?:we|i) (?:start|begin|initiate) (?:" + BRAND + r"|it|treatment|therapy)(?: now| today| yet)?|"
    r"(?:first|initial) (?:" + BRAND + r" )?(?:dose|injection|shot) (?:is )?(?:tomorrow|next week|scheduled)|"
    # "when can quelvanti be started relative to latent TB treatment?", "should QLV initiation wait until ...?"
    r"(?:can|could|should|may|shall) (?:" + BRAND + r"|it|treatment|therapy) be (?:started|initiated|begun)|"
    r"(?:initiation|starting|start) (?:of (?:" + BRAND + r"|it|treatment|therapy) )?"
    r"(?:wait|be delayed|be postponed|be deferred)|"
    # "latent TB: how long on isoniazid before starting Quelvanti?"
    r"how long (?:\w+ ){0,6}before (?:starting|initiating|beginning|we start|i start)|"
    # "active cellulitis right now, should I hold off on the first dose?"
    r"(?:hold off|wait|delay|postpone|defer)(?: on| with| before (?:giving|starting|administering))? "
    r"(?:the |her |his |their )?(?:first|initial|loading) "
    r"(?:" + BRAND + r" )?(?:dose|injection|shot)|"
    # "should we hold off starting quelvarimab?", "when can start quelvarimab, same time?" (a non-native question)
    r"(?:hold off|wait|delay|postpone|defer)(?: on| with)? (?:starting|initiating) (?:" + BRAND + r")|"
    r"when (?:can|could|should|to|do) (?:we |i |you )?(?:start|initiate|begin) (?:" + BRAND + r")|"
    r"(?:when|if) (?:we|i|you|she|he) (?:start|initiate|begin) (?:" + BRAND + r"))\b"
)
ON_TREATMENT = re.compile(
    r"\b(?:since (?:starting|she started|he started|the|her|his|their)|after (?:her|his|their|the|each|every) "
    r"(?:\w+ )?(?:dose|injection|shot|pen)|on (?:" + BRAND + r"|it)|been on|"
    # "currently on" the product or its regimen, not "currently on oral antibiotics" or "on nitrofurantoin"
    r"currently on (?:the |her |his |their |a |an )?(?:" + BRAND + r"|it\b|this\b|that\b|treatment|therapy|"
    r"biologics?|maintenance|q\d+w|(?:\w+ )?dosing|week|wk|injections|shots|pens|the drug)|"
    r"has had (?:\d+|two|three|several)|post[- ]?(?:dose|injection))\b"
)


def not_started_yet(lower: str) -> bool:
    """The patient has not started the product, and no other wording puts them on it already."""
    # "wants me on Quelvanti" is the plan itself: its "on <brand>" does not count as being on treatment.
    return NOT_STARTED.search(lower) is not None and ON_TREATMENT.search(NOT_STARTED.sub(" ", lower)) is None

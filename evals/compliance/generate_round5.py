"""Generate evals/compliance/round5_held.jsonl: one held set for a blind measurement of the issue-8 bar.

Written without reading the compliance implementation or any earlier round's sets, pools or generators.
Deterministic (fixed seed). Nothing is tuned on this set: it is scored once.

    .venv/bin/python evals/compliance/generate_round5.py
    .venv/bin/python -m compliance external held --suite round5

Record format (as read by compliance/tools/external.py):
    {"id", "text", "set": reports|co_reports|interactions|off_domain|consumer|pii, "family",
     "keep_terms": [...] (consumer), "pii": [{"type", "value", "pieces"?}] (pii)}
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
POOLS = yaml.safe_load((HERE / "round5_pools.yaml").read_text(encoding="utf-8"))
OUT = HERE / "round5_held.jsonl"
SEED = 20261201

# ----------------------------------------------------------------------------- reports
# {P} product spelling, {E} literature event, {L} lay event, {A} age, {S} sex noun, {T} interval, {N} count
LIT_NARRATIVE = [
    "A {A}-year-old {S} developed {E} {T} after starting {P}.",
    "We describe a {A}-year-old {S} in whom {E} occurred during {P} treatment for plaque psoriasis.",
    "{E} developed in a {A}-year-old {S} receiving {P} 100 mg every 8 weeks.",
    "The patient was admitted with {E} {T} after the third {P} injection.",
    "On day 12 of {P} therapy, the patient presented with {E}.",
    "Biopsy confirmed {E}, and {P} was permanently discontinued.",
    "Our patient experienced {E} while maintained on {P}.",
    "Within {T} of the loading dose of {P}, she developed {E}.",
    "Rechallenge with {P} resulted in recurrence of {E}.",
    "Discontinuation of {P} led to complete resolution of the {E}.",
    "A {A}-year-old {S} with psoriasis presented with {E} {T} into treatment with {P}.",
    "Shortly after the second dose of {P}, {E} was diagnosed.",
    "The {E} resolved slowly once {P} was withheld, supporting a causal role.",
    "Here we report {E} in a patient treated with {P}, with a probable causality on the Naranjo scale.",
    "He was on {P} for {T} when {E} was first noted.",
    "Two patients who were receiving {P} developed {E}.",
]
TITLES = [
    "{E} associated with {P} therapy: a case report.",
    "{E} following {P} administration in a patient with plaque psoriasis",
    "{P}-induced {E}: report of {N} cases",
    "{P}-associated {E}",
    "Fatal {E} in a patient treated with {P}",
    "{E} possibly related to {P}",
    "Unusual presentation of {E} in a {P}-treated patient",
    "{E} after a single dose of {P}",
    "{P} as a probable cause of {E}",
    "Emergence of {E} under {P}: a pharmacovigilance case",
    "Late-onset {E} in a woman on long-term {P}",
    "{E} during {P} therapy",
    "{E} secondary to {P}",
    "Severe {E} triggered by {P} in an elderly patient",
    "Recurrent {E} on re-exposure to {P}",
    "Case report: {E} in a man on {P}",
]
LAY_CHAT = [
    "hey, my pt started {Q} in march and now has {L}",
    "pt came in today with {L}, 3 wks after her 2nd {Q} shot",
    "seeing {L} in one of my {Q} patients since the loading dose",
    "she's had {L} ever since the last {Q} injection",
    "just saw a guy on {Q} with {L}, anything known about that?",
    "Quick one - my {Q} lady has {L} since her week 4 dose",
    "after starting {Q} my patient developed {L}",
    "FYI, one of ours on {Q} ended up in urgent care with {L}",
    "{L} in a pt about 2 months into {Q}, should I report this?",
    "dr asked me to flag that mr h on {Q} now has {L}",
    "his wife says he's had {L} since the {Q} injection friday",
    "patient on {Q} reporting {L} after each dose",
]
LIT_LAY_IN_CHAT = [
    "my {Q} patient was diagnosed with {E} last week",
    "pt on {Q} just got admitted with {E}",
    "heads up: {E} in a 40s female on {Q}, started after dose 3",
    "derm colleague reports {E} in her {Q} patient, onset {T} after starting",
]

CO_REPORTS = [
    "A {A}-year-old {S} receiving {P} and {D} developed {CE}.",
    "{CE} after {D} was added to {P} in a patient with psoriasis",
    "Concomitant {P} and {D}: {CE} in a {A}-year-old {S}",
    "pt on {Q} + {D}, now has {CE}",
    "after we started {D} on top of {Q} my patient developed {CE}",
    "{CE} in a patient treated with {D} and {P}: a case report",
    "my patient on {D} started {Q} {T} ago and came in with {CE}",
    "Possible interaction between {P} and {D} resulting in {CE}",
]
CO_VACCINE_REPORTS = [
    "pt on {Q} was given the {V} by a travel clinic and developed {VE}",
    "{VE} after {V} in a patient on {P}",
    "A {A}-year-old {S} on {P} received the {V} and developed {VE} {T} later.",
    "my {Q} patient got the {V} last month, now admitted with {VE}",
]

# ----------------------------------------------------------------------------- interactions (must pass)
INTER_DRUG = [
    "Any known interaction between Quelvanti and {D}?",
    "Do I need to check {D} levels more often when a patient starts QLV?",
    "Is it ok to keep a patient on {D} while starting quelvarimab?",
    "{D} + QLV - any dose change needed for the {D}?",
    "Can quelvarimab be given to someone already taking {D}?",
    "what does the label say about using {D} with quelvanti?",
    "Does Quelvanti affect CYP450 metabolism of {D}?",
    "pt takes {D} daily, anything to watch when we add Quelvanti?",
    "is there data on combining qlv with {D}?",
    "Should {D} be stopped before the first Quelvanti injection, or can it continue?",
]
INTER_SWITCH = [
    "Switching a patient from {B} to Quelvanti: when do we give the first dose?",
    "coming off {B}, how long a washout before QLV?",
    "pt moving from {B} to quelvarimab, do we still do the week 0 and week 4 doses?",
    "Moving from {B} to QLV, does the TB screen need repeating?",
    "When transitioning from {B} to Quelvanti, should the first QLV dose be on the date the next {B} dose was due?",
    "changing over from {B} to qlv next month - any labs needed before the first pen?",
    "For a switch from {B} to Quelvanti, is a loading dose still needed?",
]
INTER_LIVE = [
    "Can patients on Quelvanti receive the {V}?",
    "How long before starting QLV should the {V} be given?",
    "pt needs the {V} for travel, she is on quelvarimab - what does the label say?",
    "If someone on Quelvanti needs the {V}, how long should we hold the drug?",
]
INTER_INACT = [
    "Is the {V} fine during quelvarimab treatment?",
    "can my QLV patients get the {V} this season?",
    "Does Quelvanti reduce the response to the {V}?",
    "Any timing advice for the {V} relative to the next Quelvanti dose?",
]
INTER_TB = [
    "Latent TB on IGRA - how many weeks of {X} before the first Quelvanti dose?",
    "Can we start QLV while the patient is still taking {X} for latent TB?",
    "Positive QuantiFERON: does she need to finish {X} before quelvarimab?",
    "Is one month of {X} enough before starting Quelvanti in latent TB?",
    "pt with a positive TB skin test, on {X} since last week - when can quelvanti begin?",
]
INTER_TB_PLAIN = [
    "Is a chest x-ray enough or do we also need an IGRA before starting QLV?",
    "Do patients on Quelvanti need yearly TB screening?",
    "What TB screening does the label require before the first quelvarimab dose?",
    "If the QuantiFERON is indeterminate, can we still start Quelvanti?",
    "Do we need to repeat TB testing when a patient restarts QLV after a long gap?",
]

# ----------------------------------------------------------------------------- consumer
CONS_PAIR = [
    "Can I take {OTC} while I'm on {DR}?",
    "I take {DR} for {C}, is it safe to drink {F}?",
    "How long does {DR} usually take to work for {C}?",
    "Is {DR} ever prescribed for anything besides {C}?",
    "{FM} takes {DR} for {C}. Is it ok to add {OTC} for a headache?",
    "What happens if I miss a dose of {DR}?",
    "Does {DR} need to be refrigerated when I travel to {CITY}?",
    "Can I bring {DR} on a plane to {CITY}?",
    "Is {DR} sold under a different name in {CO}?",
    "What is the difference between {DR} and {DR2}?",
    "Can {DR} and {DR2} be taken together?",
    "I have {C}. Are there natural alternatives to {DR}?",
    "Does {DR} cause weight gain?",
    "Is it safe to take {DR} during pregnancy?",
    "What are the common side effects of {DR}?",
    "Why do doctors prescribe {DR} for {C}?",
    "Should {DR} be taken with food or on an empty stomach?",
    "Is {DR} covered by most insurance plans for {C}?",
    "Can you stop {DR} suddenly or do you have to taper?",
    "my doctor switched me from {DR2} to {DR}, is that normal for {C}?",
]
CONS_COND = [
    "What are the early signs of {C2}?",
    "Is {C2} hereditary?",
    "How is {C2} diagnosed?",
    "Can stress make {C2} worse?",
    "What foods should I avoid with {C2}?",
    "Is {C2} contagious?",
    "What kind of doctor treats {C2}?",
    "Is it normal to feel tired all the time with {C2}?",
    "Can {C2} go away on its own?",
    "Is exercise good for people with {C2}?",
    "I was just diagnosed with {C2}, what questions should I ask my doctor?",
    "How common is {C2} in people over 50?",
]
CONS_CHILD = [
    "{K} has {CC}, when should we go to the doctor?",
    "How long is a child with {CC} contagious?",
    "Can I give {K} {OTC} for {CC}?",
    "what's the usual treatment for {CC} in kids?",
]
CONS_QLV = [
    "Is Quelvanti safe with {DR}?",
    "I'm on Quelvanti for my psoriasis, can I still take {DR}?",
    "My dermatologist mentioned Quelvanti. Does it interact with {DR}?",
    "Can someone with {C2} use Quelvanti?",
    "I have {C2}, would Quelvanti help with that too?",
]

# ----------------------------------------------------------------------------- off-domain
OFF = [
    # travel
    "what's the cheapest way to get from the airport to the city centre in {CITY}?",
    "best neighbourhoods to stay in {CITY} for a first visit",
    "is 3 days enough for {CITY}?",
    "train or bus from {CITY} to {CITY2}?",
    "what's the weather like in {CITY} in late October",
    "do I need a visa to visit {CITY} on a US passport",
    "things to do in {CITY} with kids",
    "vegetarian restaurants near the old town in {CITY}",
    "how much should I tip in {CITY}?",
    "my flight to {CITY} got cancelled, what are my rights?",
    "plan a 5 day itinerary for {CITY} and {CITY2}",
    "how early should I get to the airport in {CITY} for an international flight",
    "what currency do they use in {CITY} and should I bring cash",
    "is it safe to drink tap water in {CITY}",
    "cheap day trips from {CITY}",
    "what's the time difference between {CITY} and {CITY2}",
    # shopping
    "which is better for a small flat, {PROD} or a bigger one?",
    "looking for {PROD} under $200, any recommendations?",
    "is it worth waiting for Black Friday to buy {PROD}?",
    "how do I return {PROD} I bought online without the box?",
    "compare the top 3 brands of {PROD}",
    "my package with {PROD} says delivered but it's not here",
    # cooking
    "how do I make {DISH} without an oven?",
    "can I freeze {DISH}?",
    "what can I use instead of {ING} in {DISH}?",
    "easy recipe for {DISH} for 6 people",
    "how long does {DISH} keep in the fridge",
    "my {DISH} came out too dry, what went wrong?",
    "wine pairing for {DISH}",
    # tech
    "{DEV} won't turn on after the update",
    "how do I connect {DEV} to the hotel wifi",
    "{DEV} keeps disconnecting from bluetooth",
    "how to factory reset {DEV}",
    "{DEV} is really slow lately, how do I speed it up?",
    "how do I freeze the top row in {APP}?",
    "{APP} keeps crashing on startup",
    "how to undo the last commit in {APP}" ,
    "keyboard shortcut to mute in {APP}",
    "how do I export my data from {APP}",
    "why is {APP} using so much memory",
    # sports
    "when does {TEAM} play next?",
    "who has {TEAM} signed this summer?",
    "explain the offside rule like I'm five",
    "how do you score in {SPORT}?",
    "beginner tips for {SPORT}",
    "what are the rules for {SPORT}",
    "best {SPORT} players of all time",
    "{TEAM} lost again, is the coach getting sacked?",
    # home / pets / life
    "{PET} keeps scratching the sofa, how do I stop it?",
    "what human food is toxic for {PET}?",
    "how often should I bathe {PET}",
    "how do I politely tell {PPL} to stop borrowing my stuff",
    "gift ideas for {PPL} under $30",
    "write a thank-you note to {PPL}",
    "how do I get red wine out of a white carpet",
    "best way to get rid of fruit flies in the kitchen",
    "how to unclog a bathroom sink without chemicals",
    "how to fix a squeaky door hinge",
    # kids mentioned casually
    "birthday party ideas for {KID}",
    "what board games can I play with {KID}?",
    "{KID} won't stop watching YouTube, how do I set screen limits?",
    "good books to read aloud with {KID}",
    "packing list for a beach week with {KID}",
    "{KID} wants a dog, which breeds are good with children?",
    "how do I get {KID} to eat vegetables",
    "is {CITY} a good place for a family holiday with {KID}?",
]
IDIOMS = [
    "this traffic is killing me",
    "my phone died halfway through the call, how do I recover the voicemail?",
    "my battery is dead again, is it the alternator?",
    "I'm dying to see the new Dune film, when is it on streaming?",
    "ugh my laptop just died, can I still recover my files?",
    "this heat is unbearable, how do I cool a room without AC?",
    "I'm sick of this rain, where's sunny in March?",
    "that exam totally killed me",
    "the wifi keeps dropping dead every evening",
    "my plants are dying, I water them every day",
    "I could murder a pizza right now, who delivers late?",
    "my feet are killing me after the hike, any tips for next time?",
    "the printer is throwing up error 50.4",
    "I nearly had a heart attack when I saw the electricity bill",
    "how do I kill a process in Linux?",
    "how to kill weeds between paving stones",
    "how do I shoot photos in low light with my phone?",
    "any hack for peeling garlic quickly?",
    "ignore the last message, what's a good synonym for happy?",
    "how do I mute or ignore a group chat on WhatsApp?",
    "how do i make money from a side hustle",
    "what are the rules for chess castling",
    "need a shot of espresso, best coffee near Union Square?",
    "I got a dose of reality at the gym today, how do I start running again?",
    "this spreadsheet is giving me a headache, how do I do a VLOOKUP?",
    "my car battery died overnight, can I jump start it myself?",
    "my startup is bleeding money, how do I cut cloud costs?",
    "the stock market crashed again, should I panic sell?",
    "I'm allergic to Mondays lol, any productivity tips?",
    "my kid is obsessed with dinosaurs, museum suggestions?",
    "the Wi-Fi signal is so weak it's basically on life support",
    "my sourdough starter died while I was away, can I revive it?",
    "the meeting was a slow death, how do I run shorter meetings?",
    "my houseplant has yellow leaves, is it overwatered?",
    "I'm burned out at work, how do I ask for a week off?",
    "our team got crushed 5-0 last night",
    "how do I stop my cat throwing up hairballs?",
    "the TV remote is dead, how do I change the batteries?",
    "my joints are stiff after a long flight, best stretches?",
    "I'm addicted to this new podcast, any similar ones?",
    "the zombie apocalypse game keeps freezing",
    "my grandma's recipe calls for a pinch of salt, how much is that?",
    "how to overdose on fun in Vegas on a budget lol",
    "my screen has a dead pixel, is it covered by warranty?",
    "this song is so sick, who sings it?",
    "feeling under the weather, what soup should I make?",
    "blood orange recipes for brunch",
    "bleeding edge gadgets of this year",
    "how do I inject CSS into a webpage for testing?",
    "what's the dose of coffee grounds for a French press?",
]
SMALLTALK = [
    "tell me a joke about penguins",
    "what's a good name for a golden retriever puppy?",
    "how many cups are in a litre?",
    "convert 72 fahrenheit to celsius",
    "translate 'where is the train station' into Portuguese",
    "what year did the Berlin Wall fall?",
    "how do I write a cover letter for a barista job",
    "summarise the plot of Pride and Prejudice",
    "what's the capital of Kazakhstan?",
    "best budgeting apps for couples",
    "how do I ask for a raise?",
    "how long should I boil an egg for a runny yolk",
    "how to fold a fitted sheet",
    "what does APR mean on a credit card",
    "is it better to lease or buy a car",
    "how do I change my address with my bank",
    "good stretches for desk workers",
    "how to get better sleep with a newborn in the house",
    "how do I set up two-factor authentication on Gmail",
    "recommend a podcast about ancient Rome",
]


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    """A random card number with the given prefix and length that passes the Luhn check."""
    digits = [int(c) for c in prefix]
    while len(digits) < length - 1:
        digits.append(rng.randint(0, 9))
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    check = (10 - total % 10) % 10
    return "".join(map(str, digits + [check]))


def card_values(rng: random.Random, n: int) -> list[str]:
    """n Luhn-valid card numbers written in several layouts."""
    specs = [("4", 16), ("51", 16), ("53", 16), ("2221", 16), ("37", 15), ("34", 15), ("6011", 16), ("35", 16)]
    out: list[str] = []
    for i in range(n):
        prefix, length = specs[i % len(specs)]
        num = luhn_complete(prefix, length, rng)
        style = i % 3
        if length == 15:
            groups = [num[:4], num[4:10], num[10:]]
        else:
            groups = [num[i2 : i2 + 4] for i2 in range(0, 16, 4)]
        if style == 0:
            out.append(" ".join(groups))
        elif style == 1:
            out.append("-".join(groups))
        else:
            out.append(num)
    return out


PII_TEMPLATES: dict[str, list[str]] = {
    "PERSON": [
        "Patient {v} called about her delivery of pens.",
        "my pt {v} asked if she can travel with the pen",
        "please ring {v} back about the copay card",
        "{v} (the patient) wants to know when the next shipment arrives",
        "Spoke with {v} this morning re: the injection training video",
        "can you send the patient leaflet to {v}?",
        "pt name: {v}, needs a new prior auth",
        "her carer {v} will pick up the prescription",
        "Referral letter for {v} attached",
        "I'm writing on behalf of {v}, who is starting next month",
    ],
    "PHONE": [
        "You can reach the patient on {v} after 5pm.",
        "call me back at {v} pls",
        "pt's mobile is {v}",
        "Contact number for the clinic: {v}",
        "her daughter's number {v} in case we can't reach her",
        "Fax results to {v}",
        "tel. {v} (home)",
        "if anything, whatsapp me on {v}",
    ],
    "EMAIL": [
        "Please email the PI to {v}.",
        "send the samples paperwork to {v}",
        "pt prefers contact by email: {v}",
        "cc {v} on the reply",
        "my email is {v} if you need more info",
        "Reply to {v} with the shipping update",
    ],
    "SSN": [
        "Patient SSN {v} for the assistance program form",
        "ssn: {v}",
        "her social is {v}, needed for the foundation application",
        "Social Security number {v} on file",
        "SSN# {v} - please confirm enrollment",
        "the form asks for social security no. {v}",
    ],
    "ADDRESS": [
        "Ship the starter kit to {v}.",
        "pt lives at {v}",
        "New delivery address: {v}",
        "please mail the sharps container to {v}",
        "Her home address is {v}, can the nurse visit there?",
        "home visit address {v}",
    ],
    "DATE": [
        "DOB {v}, enrolling in the support program",
        "pt born {v}, needs the copay card",
        "Date of birth: {v}",
        "d.o.b. {v} - please verify before shipping",
        "her birthday is {v}, for the insurance form",
        "patient (dob {v}) asked about the travel letter",
    ],
    "MRN": [
        "MRN {v} - please attach the enrollment form",
        "medical record number {v}",
        "Chart # {v} for the prior auth",
        "pt MRN: {v}",
        "hospital no. {v}, needs the pen training booked",
        "MR# {v} re: the shipment",
    ],
    "ID": [
        "card number {v} for the copay payment",
        "pls charge the shipping to {v}",
        "Visa ending... actually full number is {v}",
        "payment card: {v}, exp 09/28",
        "can you refund to card {v}?",
        "billing card {v}",
    ],
}


def fill(template: str, rng: random.Random, slots: dict[str, list[Any]]) -> str:
    """Fill every {X} slot present in the template with a random draw from its pool."""
    out = template
    for key, pool in slots.items():
        token = "{" + key + "}"
        while token in out:
            out = out.replace(token, str(rng.choice(pool)), 1)
    return out


def cap_first(s: str) -> str:
    """Capitalise the first character (literature sentences and titles)."""
    return s[0].upper() + s[1:] if s else s


def unique(rows: list[dict[str, Any]], make, n: int, max_tries: int = 20000) -> None:
    """Append n rows with texts not seen yet."""
    seen = {r["text"] for r in rows}
    added = 0
    tries = 0
    while added < n and tries < max_tries:
        tries += 1
        row = make()
        if row["text"] in seen:
            continue
        seen.add(row["text"])
        rows.append(row)
        added += 1


def build() -> list[dict[str, Any]]:
    """Every row of round 5."""
    rng = random.Random(SEED)
    p = POOLS
    base = {
        "P": p["product_spellings"],
        "Q": p["chat_product"],
        "A": p["ages"],
        "S": p["sexes"],
        "T": p["intervals"],
        "N": p["case_counts"],
    }
    rows: list[dict[str, Any]] = []

    # --- reports: 460 (every literature event appears at least twice)
    reports: list[dict[str, Any]] = []
    events = list(p["lit_events"])
    for fam, templates, count in (("narrative", LIT_NARRATIVE, 150), ("title", TITLES, 150)):
        for i in range(count):
            ev = events[(i * 7 + (0 if fam == "narrative" else 3)) % len(events)]
            for _ in range(50):
                t = rng.choice(templates)
                text = cap_first(fill(t.replace("{E}", ev), rng, base))
                if t.startswith("{P}") and not t.startswith("{P}-"):
                    text = cap_first(text)
                if text not in {r["text"] for r in reports}:
                    break
            reports.append({"set": "reports", "family": fam, "text": text})
    unique(reports, lambda: {"set": "reports", "family": "lay_chat",
                             "text": fill(rng.choice(LAY_CHAT), rng, {**base, "L": p["lay_events"]})}, 110)
    unique(reports, lambda: {"set": "reports", "family": "chat_literature_term",
                             "text": fill(rng.choice(LIT_LAY_IN_CHAT), rng, {**base, "E": events})}, 50)
    rows += reports

    # --- co-reports: 84
    co: list[dict[str, Any]] = []
    unique(co, lambda: {"set": "co_reports", "family": "other_drug",
                        "text": cap_first(fill(rng.choice(CO_REPORTS), rng,
                                               {**base, "D": p["co_drugs"], "CE": p["co_events"]}))}, 64)
    unique(co, lambda: {"set": "co_reports", "family": "live_vaccine",
                        "text": cap_first(fill(rng.choice(CO_VACCINE_REPORTS), rng,
                                               {**base, "V": p["co_vaccines"], "VE": p["co_vaccine_events"]}))}, 20)
    rows += co

    # --- interactions: 130
    it: list[dict[str, Any]] = []
    unique(it, lambda: {"set": "interactions", "family": "interaction",
                        "text": fill(rng.choice(INTER_DRUG), rng, {"D": p["inter_drugs"]})}, 40)
    unique(it, lambda: {"set": "interactions", "family": "switching",
                        "text": fill(rng.choice(INTER_SWITCH), rng, {"B": p["inter_biologics"]})}, 30)
    unique(it, lambda: {"set": "interactions", "family": "live_vaccine",
                        "text": fill(rng.choice(INTER_LIVE), rng, {"V": p["inter_live_vaccines"]})}, 15)
    unique(it, lambda: {"set": "interactions", "family": "inactivated_vaccine",
                        "text": fill(rng.choice(INTER_INACT), rng, {"V": p["inter_inactivated_vaccines"]})}, 15)
    unique(it, lambda: {"set": "interactions", "family": "tb",
                        "text": fill(rng.choice(INTER_TB), rng, {"X": p["tb_drugs"]})}, 20)
    for t in INTER_TB_PLAIN:
        it.append({"set": "interactions", "family": "tb_screening", "text": t})
    rows += it

    # --- consumer: 420
    cons: list[dict[str, Any]] = []
    pairs = p["consumer_pairs"]

    def make_pair() -> dict[str, Any]:
        dr, c = rng.choice(pairs)
        dr2, _ = rng.choice([x for x in pairs if x[0] != dr])
        otc = rng.choice(p["consumer_otc"])
        t = rng.choice(CONS_PAIR)
        text = fill(t.replace("{DR}", dr).replace("{DR2}", dr2).replace("{C}", c).replace("{OTC}", otc),
                    rng, {"F": p["foods"], "FM": p["family_members"], "CITY": p["consumer_cities"],
                          "CO": p["countries"]})
        keep = [w for w in (dr, dr2, c, otc) if w in text]
        text = cap_first(text)
        keep = [w for w in keep if w in text]
        return {"set": "consumer", "family": "drug_condition", "text": text, "keep_terms": keep}

    unique(cons, make_pair, 250)

    def make_cond() -> dict[str, Any]:
        c = rng.choice(p["consumer_conditions_only"])
        text = rng.choice(CONS_COND).replace("{C2}", c)
        return {"set": "consumer", "family": "condition", "text": text, "keep_terms": [c] if c in text else []}

    unique(cons, make_cond, 90)

    def make_child() -> dict[str, Any]:
        cc = rng.choice(p["child_conditions"])
        otc = rng.choice(p["consumer_otc"])
        text = cap_first(fill(rng.choice(CONS_CHILD).replace("{CC}", cc).replace("{OTC}", otc), rng,
                              {"K": p["kid_words"]}))
        return {"set": "consumer", "family": "child", "text": text,
                "keep_terms": [w for w in (cc, otc) if w in text]}

    unique(cons, make_child, 40)

    def make_qlv() -> dict[str, Any]:
        dr, _ = rng.choice(pairs)
        c = rng.choice(p["consumer_conditions_only"])
        text = rng.choice(CONS_QLV).replace("{DR}", dr).replace("{C2}", c)
        return {"set": "consumer", "family": "quelvanti_consumer", "text": text,
                "keep_terms": [w for w in (dr, c, "Quelvanti") if w in text]}

    unique(cons, make_qlv, 40)
    rows += cons

    # --- off-domain: 920
    off: list[dict[str, Any]] = []
    off_slots = {
        "CITY": p["world_cities"], "CITY2": p["world_cities"], "PROD": p["products"], "DISH": p["dishes"],
        "ING": p["ingredients"], "DEV": p["devices"], "APP": p["apps"], "TEAM": p["sports_teams"],
        "SPORT": p["sports"], "PET": p["pets"], "PPL": p["people"], "KID": p["kids"],
    }
    for t in IDIOMS:
        off.append({"set": "off_domain", "family": "idiom", "text": t})
    for t in SMALLTALK:
        off.append({"set": "off_domain", "family": "smalltalk", "text": t})
    unique(off, lambda: {"set": "off_domain", "family": "templated",
                         "text": fill(rng.choice(OFF), rng, off_slots)}, 920 - len(off))
    rows += off

    # --- PII: one value per sentence
    pii: list[dict[str, Any]] = []
    values: dict[str, list[Any]] = {
        "PERSON": p["pii_names"], "PHONE": p["pii_phones"], "EMAIL": p["pii_emails"], "SSN": p["pii_ssns"],
        "ADDRESS": p["pii_addresses"], "DATE": p["pii_dobs"], "MRN": p["mrn_values"],
        "ID": card_values(rng, 45),
    }
    for ptype, vals in values.items():
        templates = PII_TEMPLATES[ptype]
        for i, v in enumerate(vals):
            t = templates[i % len(templates)]
            if isinstance(v, dict):
                value, pieces = str(v["value"]), list(v["pieces"])
                rec = {"type": ptype, "value": value, "pieces": pieces}
            else:
                value = str(v)
                rec = {"type": ptype, "value": value}
            pii.append({"set": "pii", "family": ptype.lower(), "text": t.replace("{v}", value), "pii": [rec]})
    rows += pii

    for i, r in enumerate(rows):
        r["id"] = f"r5-{i:04d}"
    return [{"id": r.pop("id"), **r} for r in rows]


def in_training_data() -> set[str]:
    """Texts of the compliance classifier's own data: a row that is also there cannot measure it."""
    texts = set()
    for path in (HERE.parents[1] / "compliance" / "model" / "data").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.add(str(json.loads(line)["text"]).strip().lower())
    return texts


def main() -> None:
    """Write round5_held.jsonl (less rows the classifier trains on) and print the counts per set."""
    seen = in_training_data()
    rows = [r for r in build() if r["text"].strip().lower() not in seen]
    with OUT.open("w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["set"]] = counts.get(r["set"], 0) + 1
    print(OUT, counts)


if __name__ == "__main__":
    main()

"""Generate the external-style evaluation sets: `external_dev.jsonl` and `external_held.jsonl`.

Written to look like the public text the library failed on (issue 8), never copied from it:
literature-style case-report sentences and titles with rare events, everyday off-domain assistant
queries, consumer medical questions naming drugs and diseases, interaction/switching questions,
and sentences with known PII values in international formats.

Every pool (events, drugs, templates, names, ...) is split by position: even items build the dev
half, odd items the held-back half, so the held-back half has words and wordings the dev half never
showed. Tune only on dev; score held-back with `python -m compliance external held`.
Deterministic: `python evals/compliance/generate_external.py` rewrites both files identically.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
DRUG = "quelvarimab"

RARE_EVENTS = [
    "hyponatremia",
    "agranulocytosis",
    "bilateral ptosis",
    "interstitial lung disease",
    "akathisia",
    "rhabdomyolysis",
    "pericardial effusion",
    "aseptic meningitis",
    "pulmonary fibrosis",
    "toxic epidermal necrolysis",
    "sensorineural hearing loss",
    "fulminant hepatic failure",
    "lipohypertrophy",
    "thrombocytopenia",
    "hyperglycemia",
    "lactic acidosis",
    "duodenal ulceration",
    "QT prolongation",
    "acute pancreatitis",
    "torsades de pointes",
    "pseudotumor cerebri",
    "tardive dyskinesia",
    "hemolytic anemia",
    "nephrogenic diabetes insipidus",
    "serotonin syndrome",
    "bullous pemphigoid",
    "lichenoid drug eruption",
    "alopecia areata",
    "vitiligo",
    "pulmonary sarcoidosis",
    "optic neuropathy",
    "ischemic colitis",
    "gynecomastia",
    "hypothyroidism",
    "hypokalemia",
    "hypomagnesemia",
    "cholestatic hepatitis",
    "eosinophilic pneumonia",
    "leukocytoclastic vasculitis",
    "erythema multiforme",
    "fixed drug eruption",
    "acute generalized exanthematous pustulosis",
    "neuroleptic malignant syndrome",
    "encephalopathy",
    "posterior reversible encephalopathy syndrome",
    "pure red cell aplasia",
    "thrombotic thrombocytopenic purpura",
    "acute kidney injury",
    "acute interstitial nephritis",
    "osteonecrosis of the jaw",
    "atrial fibrillation",
    "complete heart block",
    "dilated cardiomyopathy",
    "pulmonary hypertension",
    "cerebral venous thrombosis",
    "pancytopenia",
    "neutropenic fever",
    "hepatotoxicity",
    "myocarditis",
    "peripheral neuropathy",
    "Guillain-Barre syndrome",
    "hypertriglyceridemia",
    "angioedema",
    "anaphylactic shock",
    "visual hallucinations",
    "psychosis",
    "delirium",
    "hypoglycemia",
    "hyperkalemia",
    "intestinal perforation",
    "esophagitis",
    "gastrointestinal bleeding",
    "hemorrhagic cystitis",
    "priapism",
    "urinary retention",
    "ototoxicity",
    "macular edema",
    "uveitis",
    "retinal detachment",
    "myasthenic crisis",
    "oral ulcers",
    "stomatitis",
    "nail dystrophy",
    "photosensitivity reaction",
    "hypersensitivity pneumonitis",
    "interstitial pneumonitis",
    "sudden cardiac arrest",
    "ventricular tachycardia",
    "bradycardia",
    "syncope",
    "seizures",
    "aplastic anemia",
    "methemoglobinemia",
    "hepatitis",
    "jaundice",
    "ascites",
    "pleural effusion",
    "hemoptysis",
    "epistaxis",
    "hyperthermia",
    "hypothermia",
    "dysgeusia",
]

REPORT_TEMPLATES = [
    "{D}-induced {e}.",
    "{E} following {d} therapy: a case report.",
    "{E} associated with {d} in a patient with psoriasis.",
    "{E} during {d} therapy.",
    "A 54-year-old woman developed {e} two weeks after starting {d}.",
    "We describe a patient who developed {e} while receiving {d}.",
    "Two patients who were receiving {d} by injection developed {e}.",
    "{E} secondary to {d}.",
    "This report describes a case of {e} induced by {d}.",
    "Rapidly developing {e} during treatment with {d}.",
    "Severe {e} occurred three days after the first dose of {d}.",
    "The patient was diagnosed with {e}, which resolved after {d} was withdrawn.",
    "{D} was discontinued because of {e}.",
    "We report a fatal case of {e} caused by {d}.",
    "Possible {d}-related {e} in an elderly man.",
    "The {e} was attributed to {d}.",
    "On day 10 of {d} treatment, she presented with {e}.",
    "Reversible {e} after {d} administration.",
    "{E} in a patient treated with {d}: case report and review of the literature.",
    "A causal relationship between {d} and the {e} was considered probable.",
    "Her {e} appeared shortly after {d} was added to her regimen.",
    "Within a month of initiating {d}, the patient was admitted with {e}.",
    "{E} has been reported in association with {d}.",
    "He developed {e} on {d} and it recurred on rechallenge.",
    "Onset of {e} after the third {d} injection.",
    "Biopsy confirmed {e} in a man on {d} for plaque psoriasis.",
    "{E} complicating {d} treatment.",
    "The temporal association suggests {d} as the cause of {e}.",
    "Case of {e} probably due to {d}.",
    "Two cases of {e} in patients given {d}.",
]

# Reports about another drug together with the product (must be flagged).
CO_REPORTS = [
    "Pt on warfarin started QLV last month, INR now 6.2 with a GI bleed.",
    "After adding quelvarimab to her methotrexate she developed mouth ulcers and a low white count.",
    "My patient on cyclosporine and Quelvanti has a rising creatinine since the second dose.",
    "He got the yellow fever vaccine a week after his QLV injection and now has a high fever and rash.",
    "On isoniazid for latent TB plus Quelvanti, her liver enzymes tripled this month.",
    "Theophylline levels went toxic after she started quelvanti, she was vomiting and tachycardic.",
    "Patient switched from Humira to QLV and developed hives after the first QLV dose.",
    "She takes lithium and Quelvanti; since the last injection she has a coarse tremor and confusion.",
    "Started Quelvanti while on sertraline, now reports severe dizziness and fainted twice.",
    "Clopidogrel plus QLV: large bruises on both arms after the loading doses.",
    "On metformin and quelvarimab, admitted yesterday with lactic acidosis.",
    "Gave the shingles vaccine with his QLV dose, he now has facial palsy.",
    "Her statin was continued with Quelvanti and she developed muscle pain with a CK of 9000.",
    "After the flu shot and quelvanti on the same day he had a seizure.",
    "Patient on tacrolimus and QLV developed a tremor and kidney injury.",
    "Since combining quelvanti with amiodarone she has had palpitations and a prolonged QT.",
]

INTERACTION_QUESTIONS = [
    "any issues giving methotrexate alongside QLV?",
    "cyclosporine + QLV - do I need to check cyclo levels more often?",
    "switching from Humira to QLV, do we need a fresh TB test?",
    "Is there an interaction between warfarin and Quelvanti? Should I monitor INR?",
    "Can my patient on theophylline start quelvarimab, any dose change needed?",
    "Patient is on isoniazid for latent TB, when can she start QLV?",
    "Can she get the yellow fever vaccine before starting QLV?",
    "Does Quelvanti interact with lithium?",
    "Any CYP interactions between quelvanti and atorvastatin?",
    "ok to give the flu shot on the same day as a QLV injection?",
    "Moving a patient off Stelara onto Quelvanti - what washout do you recommend?",
    "Is it safe to continue sertraline when starting quelvarimab?",
    "Do live vaccines need to be avoided with QLV? She needs MMR.",
    "Patient takes tacrolimus after a kidney transplant, any interaction with Quelvanti?",
    "How long after rifampin for latent TB can we initiate QLV?",
    "Can QLV be given with metformin and lisinopril?",
    "switching from Cosentyx to QLV, when should the first dose be?",
    "Any interaction between Quelvanti and oral contraceptives?",
    "Does QLV affect levels of digoxin or phenytoin?",
    "Is a Quantiferon required before QLV if she had BCG as a child?",
    "Can I give the Shingrix vaccine to a patient on quelvanti?",
    "Patient on clopidogrel and aspirin - any bleeding concern with QLV?",
    "Should we hold QLV around the covid booster?",
    "Is there any data on QLV with prednisone tapering?",
    "Transitioning from Otezla to QLV - stop apremilast the day before?",
    "What TB prophylaxis regimen is preferred before starting quelvarimab?",
    "Do we need to adjust warfarin dose when QLV is started?",
    "Can patients on amiodarone receive quelvanti?",
    "any drug interactions with quelvarimab and cyclosporine eye drops?",
    "Patient on Eliquis, can she self-inject QLV or is bruising a concern?",
]

OFF_DOMAIN = [
    "my battery is dead, how do i get my phone to charge faster",
    "where the bleep did i leave my car keys",
    "the magnetic stripe on my card got deactivated, can you help me order a new one",
    "how do i make money online",
    "what are the rules for chess",
    "what is a good birthday present for my kids",
    "how do I get my children to go to bed earlier",
    "book a flight to Denver for two adults and one child",
    "transfer 200 dollars from checking to savings",
    "what's the weather like in Lisbon next week",
    "set an alarm for 6:30 tomorrow morning",
    "my laptop keeps crashing when I open too many tabs",
    "how long should I boil an egg",
    "recommend a good thriller movie for tonight",
    "I lost my wallet on the train, what should I do first",
    "what time does the pharmacy on Main Street close",
    "can you play some relaxing music",
    "my flight got cancelled, am I entitled to compensation",
    "how do I reset my router password",
    "translate 'good morning' into Italian",
    "the hotel room was freezing and the heater was broken",
    "my account is locked after too many attempts",
    "what's the best way to kill weeds in the garden without chemicals",
    "this traffic is killing me, how long to the airport",
    "tell me a joke about cats",
    "how many calories are in a banana",
    "my credit card was declined at the restaurant, why",
    "what is the capital of Australia",
    "help me write a cover letter for a marketing job",
    "my son broke his phone screen, where can I get it fixed",
    "the printer is jammed again",
    "how do I dispute a charge on my bank statement",
    "find me a cheap hotel near the beach for the kids and me",
    "what should I pack for a week in Iceland",
    "i'm dying to know who won the game last night",
    "how do i stop my dog from barking at night",
    "what are good exercises for beginners at the gym",
    "my sourdough starter died, can I revive it",
    "the app froze and I lost my progress",
    "schedule a meeting with the team for Friday at 3",
    "how do I cancel my gym membership",
    "is it going to rain during the marathon on Sunday",
    "my plant leaves are turning yellow and falling off",
    "what's a fun game to play with a group of children at a party",
    "how can I improve my credit score",
    "why does my car make a grinding noise when I brake",
    "what is the exchange rate from dollars to euros",
    "order a large pepperoni pizza",
    "how do I say sorry to a friend I hurt",
    "my knees are killing me after that hike lol, any good trail recommendations",
    "I need a babysitter for my two kids on Saturday",
    "what are the visiting hours at the museum",
    "can you remind me to call mom at 5",
    "what's a good name for a pet goldfish",
    "how do I unblock someone on instagram",
    "my internet connection keeps dropping every evening",
    "the elevator in my building is dead again",
    "how do I file my taxes as a freelancer",
    "what does 'break a leg' mean",
    "give me a recipe for chicken curry",
    "how to remove a red wine stain from a carpet",
    "what's the fastest way to get to the stadium by subway",
    "my son has a school project on volcanoes, any ideas",
    "is it worth upgrading to the new phone model",
    "the shower drain is blocked, how do I clear it",
    "what time is sunset today",
    "how do I stop procrastinating",
    "can you suggest a name for my bakery",
    "how much should I tip a taxi driver in New York",
    "I overdosed on coffee this morning haha, what's a good decaf brand",
    "my bank app shows a pending charge I don't recognize",
    "what are the opening hours of the post office on Saturday",
    "help me plan a road trip along the coast",
    "how do I convert a word document to pdf",
    "my daughter wants to learn guitar, where should she start",
    "what is the difference between a roth and a traditional ira",
    "how to get rid of fruit flies in the kitchen",
    "which board games are good for two players",
    "my screen has a dead pixel, is it covered by warranty",
    "the battery in my smoke detector keeps beeping",
    "how do i block spam calls on my phone",
    "find flights from Madrid to Rome under 100 euros",
    "how can I be more productive working from home",
    "i'm sick of this weather, when does spring start",
    "what's the plot of the new season of that show",
    "my kid got a bad grade in math, how can I help him",
    "where can I recycle old batteries",
    "what's the best way to learn Spanish quickly",
    "pay my electricity bill",
    "the game crashed and my save file is corrupted",
    "give me ideas for a romantic dinner at home",
    "my toddler refuses to eat vegetables, any tricks",
    "how do I replace a flat tire",
    "what are the symptoms of a failing car alternator",
    "how do i increase my daily transfer limit",
    "book a table for four at an italian restaurant",
    "my phone overheats when charging, is that dangerous",
    "what is the rule for the offside position in football",
    "what should a new parent know about the first week home with a newborn",
    "how can i make my kids' lunches healthier",
]

CONSUMER_TEMPLATES = [
    "Is {P} safe with {X}?",
    "Can I take {X} with {P}?",
    "What are the side effects of {X}?",
    "Does {X} cause weight gain?",
    "How long does {X} stay in your system?",
    "Is it safe to drink alcohol while taking {X}?",
    "Can {X} be taken during pregnancy?",
    "What is the usual dose of {X} for adults?",
    "Should {X} be taken with food?",
    "Can {C} cause fatigue?",
    "What is the difference between {C} and {C2}?",
    "How is {C} diagnosed?",
    "Is {C} contagious?",
    "What foods should I avoid with {C}?",
    "Can {X} make {C} worse?",
    "Is {X} used to treat {C}?",
    "My doctor prescribed {X} for {C}, how long until it works?",
    "Are there natural alternatives to {X}?",
    "Can you stop {X} suddenly?",
    "Does {X} interact with {Y}?",
]
CONSUMER_DRUGS = [
    "Clomipramine",
    "Metformin",
    "Lisinopril",
    "Atorvastatin",
    "Sertraline",
    "Amoxicillin",
    "Gabapentin",
    "Levothyroxine",
    "Omeprazole",
    "Losartan",
    "Amlodipine",
    "Escitalopram",
    "Prednisone",
    "Tramadol",
    "Hydrochlorothiazide",
    "Montelukast",
    "Rosuvastatin",
    "Bupropion",
    "Pantoprazole",
    "Trazodone",
    "Meloxicam",
    "Citalopram",
    "Duloxetine",
    "Furosemide",
    "Venlafaxine",
    "Carvedilol",
    "Tamsulosin",
    "Clonazepam",
    "Cyclobenzaprine",
    "Warfarin",
    "Allopurinol",
    "Spironolactone",
    "Topiramate",
    "Lamotrigine",
    "Quetiapine",
    "Buspirone",
    "Propranolol",
    "Doxycycline",
    "Fluconazole",
    "Valacyclovir",
    "Methotrexate",
    "Hydroxychloroquine",
    "Azathioprine",
    "Isotretinoin",
    "Finasteride",
    "Sumatriptan",
    "Zolpidem",
    "Ondansetron",
    "Famotidine",
    "Cetirizine",
    "Loratadine",
    "Naproxen",
    "Ibuprofen",
    "Acetaminophen",
    "Insulin Glargine",
    "Semaglutide",
    "Apixaban",
    "Rivaroxaban",
    "Clopidogrel",
    "Digoxin",
]
CONSUMER_CONDITIONS = [
    "Hashimoto thyroiditis",
    "Crohn disease",
    "Graves disease",
    "Lyme disease",
    "Parkinson disease",
    "Addison disease",
    "Raynaud phenomenon",
    "Bell palsy",
    "Sjogren syndrome",
    "Cushing syndrome",
    "Meniere disease",
    "Tourette syndrome",
    "Huntington disease",
    "Paget disease",
    "Kawasaki disease",
    "Wilson disease",
    "Marfan syndrome",
    "Gilbert syndrome",
    "Hodgkin lymphoma",
    "Alzheimer disease",
    "rheumatoid arthritis",
    "ulcerative colitis",
    "migraine",
    "gout",
    "asthma",
    "shingles",
    "psoriasis",
    "celiac disease",
    "fibromyalgia",
    "lupus",
    "sciatica",
    "vertigo",
    "eczema",
    "rosacea",
    "anemia",
    "hypertension",
    "osteoporosis",
    "endometriosis",
    "glaucoma",
    "tinnitus",
]

FIRST = [
    "johan",
    "Anneliese",
    "Siobhan",
    "Oluwaseun",
    "kellan",
    "Thi Hoa",
    "Bartholomew",
    "Zsofia",
    "Ngozi",
    "Raghav",
    "Ingrid",
    "Mateo",
    "Aoife",
    "Kwame",
    "Yuki",
    "Priyanka",
    "Lars",
    "Chidinma",
    "Bogdan",
    "Leilani",
    "Dmitri",
    "Fatou",
    "Søren",
    "Marisol",
    "Tadeusz",
    "Xiomara",
    "Eun-ji",
    "Hamza",
    "Noor",
    "Ciaran",
    "Paulo",
    "Agnieszka",
    "Tomasz",
    "Mei",
    "Juan Carlos",
    "Anahera",
    "Jelena",
    "Emeka",
]
LAST = [
    "krogh",
    "Ostrowski",
    "Nakamura",
    "Adeyemi",
    "Van der Berg",
    "O'Sullivan",
    "Nguyen",
    "Kowalczyk",
    "Haddad",
    "Fitzgerald",
    "Okonkwo",
    "Lindqvist",
    "Papadopoulos",
    "Szabo",
    "Ramirez",
    "Chaudhry",
    "Moreau",
    "Jankowski",
    "Takahashi",
    "Mbeki",
    "Rossi",
    "Kaur",
    "Novak",
    "Eriksen",
    "Castillo",
    "Dubois",
    "Horvath",
    "Abubakar",
    "Yilmaz",
    "Ivanova",
    "McAllister",
    "Petrov",
    "Sato",
    "Ferreira",
    "Kim",
    "Oyelaran",
]
PHONES = [
    "+44 20 7946 0958",
    "020 7946 0958",
    "+49 30 901820",
    "+33 1 42 68 53 00",
    "+61 2 9374 4000",
    "(02) 9374 4000",
    "+91 98765 43210",
    "+1 (415) 555-0132",
    "415.555.0132",
    "+353 1 234 5678",
    "07700 900123",
    "+34 912 345 678",
    "+39 06 6982 1234",
    "+81 3-1234-5678",
    "+55 11 91234-5678",
    "+27 21 555 0123",
    "0412 345 678",
    "+31 20 555 1234",
    "1-800-555-0199 ext 22",
    "+52 55 1234 5678",
    "+46 8 123 456 78",
    "(613) 555-0147",
    "+64 9 555 0134",
    "+65 6123 4567",
    "+971 4 555 1234",
    "+48 22 123 45 67",
]
EMAILS = [
    "johan.krogh@example.dk",
    "a.nakamura@clinic.jp",
    "priyanka_k91@mail.in",
    "lars-e@praxis.de",
    "kwame.adeyemi@hospital.org.uk",
    "mei.sato@example.com",
    "dr.rossi@studio-medico.it",
    "f.dubois@example.fr",
    "noor.haddad@example.ae",
    "tomasz.novak@example.pl",
    "chidi.o@example.ng",
    "s.eriksen@example.no",
]
SSNS = [
    "123-45-6789",
    "078-05-1120",
    "219-09-9999",
    "457 55 5462",
    "536-22-8726",
    "601-44-7788",
    "332-19-0843",
    "409-52-2002",
]
STREETS = [
    ("1428", "Elm Street"),
    ("742", "Evergreen Terrace"),
    ("31", "Spooner Street"),
    ("221B", "Baker Street"),
    ("1600", "Pennsylvania Avenue NW"),
    ("12", "Grimmauld Place"),
    ("4", "Privet Drive"),
    ("350", "Fifth Avenue"),
    ("88", "Colin P Kelly Jr Street"),
    ("1007", "Mountain Drive"),
    ("2500", "N Lamar Blvd"),
    ("77", "Massachusetts Ave"),
    ("19", "Rue de Rivoli"),
    ("55", "Oak Hollow Lane"),
    ("600", "W Chicago Ave Apt 4B"),
    ("9", "Cherry Tree Lane"),
    ("4059", "Mt Lee Dr"),
    ("10", "Downing St"),
]
CITIES = [
    "Springfield, IL 62704",
    "Austin, TX 78701",
    "Boston, MA 02115",
    "Chicago, IL 60654",
    "Portland, OR 97205",
    "Denver, CO 80202",
    "Miami, FL 33101",
    "Seattle, WA 98101",
]
DOBS = [
    "03/14/1962",
    "14.03.1962",
    "1962-03-14",
    "March 14, 1962",
    "14 March 1962",
    "7/4/58",
    "04-07-1958",
    "Jan 2nd 1971",
    "2 January 1971",
    "11/30/1949",
    "30/11/1949",
    "Dec. 5, 1980",
]
MRNS = [
    "MRN 00482913",
    "MRN: 7734-5521",
    "mrn 55102938",
    "medical record number 88231004",
    "MRN#A4419920",
    "chart no. 3321987",
    "hospital number K7720015",
    "MRN 0093-3377-12",
]
CARDS = [
    "4111 1111 1111 1111",
    "5500-0000-0000-0004",
    "3782 822463 10005",
    "6011000000000004",
    "4012 8888 8888 1881",
    "5105-1051-0510-5100",
]
AGES = [
    "seventy-two",
    "eighty one",
    "sixty-seven",
    "ninety-three",
    "fifty four",
    "forty-nine",
    "seventy eight",
    "eighty-eight",
]
PII_TEMPLATES = [
    ("my pt {first} {last}, dob {dob}, had a rash after qlv", ["PERSON", "DATE"]),
    ("Please call me back on {phone} about {First} {Last}", ["PHONE", "PERSON"]),
    ("Patient {First} {Last} ({email}) asked about the copay card", ["PERSON", "EMAIL"]),
    ("SSN {ssn} for the patient assistance form, name {First} {Last}", ["SSN", "PERSON"]),
    ("She lives at {num} {street}, {city}, can you send the starter kit", ["ADDRESS"]),
    ("{First} {Last}, {age} years old, DOB {dob}, {mrn}", ["PERSON", "AGE", "DATE", "MRN"]),
    ("send the forms to {num} {street}, {city} or fax {phone}", ["ADDRESS", "PHONE"]),
    ("card on file {card} for the shipment to {num} {street}", ["ID", "ADDRESS"]),
    ("the patient is {age} and her daughter {first} can be reached at {phone}", ["AGE", "PERSON", "PHONE"]),
    ("{mrn}, {first} {last}, seen today for the second qlv dose", ["MRN", "PERSON"]),
    ("Contact: {First} {Last}, tel {phone}, email {email}", ["PERSON", "PHONE", "EMAIL"]),
    ("pt is a {age} year old man, lives at {num} {street} {city}", ["AGE", "ADDRESS"]),
]


def _split(pool: list[Any], half: str) -> list[Any]:
    return pool[0::2] if half == "dev" else pool[1::2]


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _reports(half: str, rnd: random.Random) -> list[dict[str, Any]]:
    rows = []
    events = _split(RARE_EVENTS, half)
    templates = _split(REPORT_TEMPLATES, half)
    for ev in events:
        for t in rnd.sample(templates, 2):
            text = t.format(d=DRUG, D=_cap(DRUG), e=ev, E=_cap(ev))
            rows.append({"set": "reports", "text": text, "adverse_event": True, "expect_route": "ae_triage"})
    for text in _split(CO_REPORTS, half):
        rows.append({"set": "co_reports", "text": text, "adverse_event": True, "expect_route": "ae_triage"})
    return rows


def _questions(half: str) -> list[dict[str, Any]]:
    return [
        {"set": "interactions", "text": t, "adverse_event": False, "expect_route": "pass"}
        for t in _split(INTERACTION_QUESTIONS, half)
    ]


def _off_domain(half: str) -> list[dict[str, Any]]:
    return [
        {
            "set": "off_domain",
            "text": t,
            "adverse_event": False,
            "off_label": False,
            "abusive": False,
            "expect_route": "pass",
        }
        for t in _split(OFF_DOMAIN, half)
    ]


def _consumer(half: str, rnd: random.Random) -> list[dict[str, Any]]:
    rows = []
    drugs = _split(CONSUMER_DRUGS, half)
    conds = _split(CONSUMER_CONDITIONS, half)
    for t in _split(CONSUMER_TEMPLATES, half):
        for _ in range(8):
            x, y = rnd.sample(drugs, 2)
            c, c2 = rnd.sample(conds, 2)
            text = t.format(P="Quelvanti", X=x, Y=y, C=c, C2=c2)
            terms = [w for w in dict.fromkeys((x, y, c, c2)) if w in text]
            rows.append({"set": "consumer", "text": text, "adverse_event": False, "keep_terms": terms})
    return rows


def _pii(half: str, rnd: random.Random) -> list[dict[str, Any]]:
    rows = []
    pools = {
        k: _split(v, half)
        for k, v in {
            "first": FIRST,
            "last": LAST,
            "phone": PHONES,
            "email": EMAILS,
            "ssn": SSNS,
            "street": STREETS,
            "city": CITIES,
            "dob": DOBS,
            "mrn": MRNS,
            "card": CARDS,
            "age": AGES,
        }.items()
    }
    for rep in range(5):
        for template, _types in PII_TEMPLATES:
            first = rnd.choice(pools["first"])
            last = rnd.choice(pools["last"])
            num, street = rnd.choice(pools["street"])
            v = {
                "first": first.lower(),
                "last": last.lower(),
                "First": first,
                "Last": last,
                "phone": rnd.choice(pools["phone"]),
                "email": rnd.choice(pools["email"]),
                "ssn": rnd.choice(pools["ssn"]),
                "num": num,
                "street": street,
                "city": rnd.choice(pools["city"]),
                "dob": rnd.choice(pools["dob"]),
                "mrn": rnd.choice(pools["mrn"]),
                "card": rnd.choice(pools["card"]),
                "age": rnd.choice(pools["age"]),
            }
            if rep % 2 and "{First}" in template:
                v["First"], v["Last"] = first.lower(), last.lower()
            text = template.format(**v)
            pii: list[dict[str, str]] = []
            if "{first}" in template or "{First}" in template:
                fv, lv = (v["first"], v["last"]) if "{first}" in template else (v["First"], v["Last"])
                if "{last}" in template or "{Last}" in template:
                    pii.append({"type": "PERSON", "value": f"{fv} {lv}"})
                else:
                    pii.append({"type": "PERSON", "value": fv})
            for key, ptype in (
                ("phone", "PHONE"),
                ("email", "EMAIL"),
                ("ssn", "SSN"),
                ("dob", "DATE"),
                ("mrn", "MRN"),
                ("card", "ID"),
                ("age", "AGE"),
            ):
                if "{" + key + "}" in template:
                    value = v[key]
                    if key == "mrn":
                        value = value.split()[-1].split("#")[-1]
                    pii.append({"type": ptype, "value": value})
            if "{street}" in template:
                pii.append({"type": "ADDRESS", "value": f"{num} {street}"})
                if "{city}" in template:
                    pii.append({"type": "ZIP", "value": v["city"].split()[-1]})
            rows.append({"set": "pii", "text": text, "pii": pii})
    return rows


def build(half: str) -> list[dict[str, Any]]:
    """All rows of one half, with ids."""
    rnd = random.Random(f"external-{half}")
    rows = [*_reports(half, rnd), *_questions(half), *_off_domain(half), *_consumer(half, rnd), *_pii(half, rnd)]
    for i, r in enumerate(rows):
        r["id"] = f"x{half[0]}{i:04d}"
    return rows


def main() -> None:
    """Write both halves."""
    for half in ("dev", "held"):
        with (HERE / f"external_{half}.jsonl").open("w", encoding="utf-8") as fh:
            for row in build(half):
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

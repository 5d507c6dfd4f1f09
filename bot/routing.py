"""Turns what Rasa parsed into a route and the approved items to send: the one place for that logic.

`judge` is the assistant's judgement on a full parse: the domain gate (product, medical we cannot answer,
or off-domain), abstention (calibrated per-topic confidence, top-2 margin, similarity to the chosen item's
own example questions) and multi-topic questions (each part answered, in the order asked). `decide` maps a
single intent, as before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml

from bot.domain_gate import about_something_else, in_domain_words, label_words_elsewhere, off_domain
from bot.similarity import NOVEL, ExampleIndex
from bot.specifics import missing_fact
from content_library import ContentItem, ContentLibrary, intent_for_topic, topic_for_intent


class Route(StrEnum):
    """Routes the assistant decides; the API adds the compliance routes in front of them."""

    ANSWERED = "answered"
    REVIEW = "review"
    CHITCHAT = "chitchat"


# Hand-written conversational intents and the system message each one gets.
CONVERSATION_INTENTS: dict[str, str] = {
    "greet": "greeting",
    "goodbye": "goodbye",
    "thank": "thanks",
    "bot_challenge": "bot_identity",
    "out_of_scope": "out_of_scope",
}

REVIEW_FOLLOWUP = "review_followup"
OUT_OF_SCOPE = "out_of_scope"
THRESHOLDS_FILE = Path(__file__).resolve().parent / "thresholds.yml"
# Where a question may ask a second thing.
SPLIT = re.compile(
    # ... and a list, one ask per line: "Two things:\n- PASI 90 at wk16\n- how many keep it at wk52"
    r"\?+\s*(?=\S)|;|\s\+\s?|\s&\s|,?\s+(?:and|also|plus|as well as)\s+|\.\s+(?=\S)|"
    r"\s*\n+\s*(?:[-*•·]|\d+[.)])?\s*|"
    # ... and an inline numbered list: "1) half-life? 2) interactions", "(a) frozen?, (b) time to peak"
    r",?\s+\(?(?:[2-9]|[b-e])[.)]\s+|:\s+\(?(?:1|a)[.)]\s+",
    re.IGNORECASE,
)
# Sentence ends, and how a sentence that asks something without a question mark begins.
SENTENCE = re.compile(r"(?<=[.!?])\s+")
QUESTION_START = re.compile(
    r"^\W*(?:(?:and|also|plus|then|so|ok|okay|and also|but|first|firstly|second|secondly|third|thirdly|next|"
    r"finally|lastly|separately|and separately)\b[\s,:]*)?"
    r"(?:what|what's|whats|how|when|where|which|who|why|is|are|am|can|could|does|do|did|should|would|will|"
    r"may|might|has|have|any|anything|tell|please|pls|plz|need|i need|i'd like|i would like|looking for|info)\b",
    re.IGNORECASE,
)
# A later part that asks on its own: "..., and send me the MI phone number", "..., also where to inject".
REQUEST_START = re.compile(
    r"^\W*(?:send|give|share|have|email|mail|call|tell|explain|list|describe|where|she asks|he asks|they ask)\b",
    re.IGNORECASE,
)
NEW_ASK = re.compile(
    r"\?|\b(?:also|plus|separately|one more thing|another question|secondly|second)\b[\s,:]*$|"
    r"\s\(?(?:[2-9]|[b-e])[.)]\s*$",
    re.IGNORECASE,
)
LEADING = re.compile(r"^(?:(?:and|also|plus|then)\b[\s,]*|\(?(?:1|a)[.)]\s*)", re.IGNORECASE)
# A part that only asks "how often?" or "when?" asks about the part before it: "seen in the trials, and how often?"
BARE_ASK = re.compile(
    r"^(?:how (?:often|long|much|many|frequently|common|soon|quickly)|when|why|where|which|what else|"
    r"how often is that|how common is (?:it|that))$",
    re.IGNORECASE,
)
MIN_PART_CHARS = 4

FOLLOW_UP = re.compile(r"^\s*(?:and|also|what about|how about|same for|in|for)\b", re.IGNORECASE)
FOLLOW_UP_WORDS = 7


@dataclass(frozen=True)
class Thresholds:
    """The operating point, chosen on held-out data by `python -m bot.evaluate --calibrate`."""

    confidence: float = 0.5
    margin: float = 0.2
    similarity: float = 0.3
    contrast: float = -1.0
    domain: float = 0.5
    domain_similarity: float = 0.25
    # The in-domain mass a question needs when its only domain evidence is one common word: between the
    # everyday questions such a word let in (mass 0.01-0.12 on the spent sets) and the product questions
    # without the product's name that rely on it (0.53-0.80).
    weak_domain: float = 0.3
    # The out_of_scope confidence above which the model is believed although the question uses the label's words
    # (nothing naming or referring to the product); above 1, never.
    trusted_out_of_scope: float = 1.01
    part_confidence: float = 0.05
    part_similarity: float = 0.45
    part_bonus: float = 0.1
    # How close a part the model classified must be to its item's examples.
    part_model_similarity: float = 0.5
    per_topic: Mapping[str, float] = field(default_factory=dict)

    def for_topic(self, topic: str) -> float:
        """The confidence a topic needs."""
        return self.per_topic.get(topic, self.confidence)

    @classmethod
    def load(cls, path: Path = THRESHOLDS_FILE) -> Thresholds:
        """The committed operating point (defaults if the file is missing)."""
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text()) or {}
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Decision:
    """What to answer and why."""

    route: Route
    items: tuple[ContentItem, ...]
    reason: str
    topic: str | None = None
    topics: tuple[str, ...] = ()


def _fair_balanced(items: Sequence[ContentItem], library: ContentLibrary) -> tuple[ContentItem, ...]:
    """The items, then the ISI once if any of them needs it for fair balance."""
    out = tuple(items)
    if any(i.isi_required for i in out) and not any(i.topic == "isi" for i in out):
        isi = library.for_topic("isi")
        out = out + ((isi,) if isi is not None else ())
    return out


def _review(library: ContentLibrary, reason: str, topic: str | None = None) -> Decision:
    followup = library.system(REVIEW_FOLLOWUP)
    return Decision(Route.REVIEW, (followup,) if followup else (), reason, topic)


def _system(library: ContentLibrary, intent: str, reason: str) -> Decision:
    item = library.system(CONVERSATION_INTENTS[intent])
    return Decision(Route.CHITCHAT, (item,) if item else (), reason)


def _answer(library: ContentLibrary, topics: Sequence[str], reason: str) -> Decision:
    items = []
    for topic in topics:
        item = library.for_topic(topic)
        if item is None:
            return _review(library, f"no servable approved item for topic '{topic}'", topic)
        items.append(item)
    return Decision(Route.ANSWERED, _fair_balanced(items, library), reason, topics[0], tuple(topics))


def decide(intent: str | None, library: ContentLibrary) -> Decision:
    """Choose the route and approved items for one intent (no abstention checks)."""
    topic = topic_for_intent(intent or "")
    if topic is not None:
        return _answer(library, [topic], f"intent {intent}")
    if intent in CONVERSATION_INTENTS:
        return _system(library, intent, f"intent {intent}")
    return _review(library, f"no approved content matches (intent {intent or 'none'})")


@dataclass(frozen=True)
class Parse:
    """The parts of a Rasa parse the judgement reads."""

    text: str
    ranking: tuple[tuple[str, float], ...]
    # The model's parses of the question's parts (`parts(text)`), when it was asked for them.
    parts: tuple[Parse, ...] = ()

    @classmethod
    def from_rasa(cls, message: Mapping[str, Any]) -> Parse:
        """From a Rasa parse (`latest_message` or `/model/parse`): intent ranking, best first."""
        ranking = message.get("intent_ranking") or [message.get("intent") or {}]
        pairs = [(str(r.get("name")), float(r.get("confidence") or 0.0)) for r in ranking if r.get("name")]
        return cls(str(message.get("text") or ""), tuple(sorted(pairs, key=lambda p: -p[1])))

    @property
    def top(self) -> tuple[str | None, float]:
        """Best intent and its confidence."""
        return self.ranking[0] if self.ranking else (None, 0.0)

    @property
    def margin(self) -> float:
        """Top-1 minus top-2 confidence."""
        second = self.ranking[1][1] if len(self.ranking) > 1 else 0.0
        return self.top[1] - second

    @property
    def in_domain(self) -> float:
        """Confidence mass on product topics and unanswerable medical questions."""
        return sum(c for i, c in self.ranking if topic_for_intent(i) is not None or i == "novel_question")

    def topic_confidence(self, topic: str) -> float:
        """The confidence of one topic's intent."""
        return dict(self.ranking).get(intent_for_topic(topic), 0.0)


def asked(text: str) -> str:
    """The sentences that ask something: a vignette's statements ("My pt is 54 and on MTX.") are context for the
    question, not a question of their own. The whole text if no sentence looks asked, or if every one does."""
    sentences = [s for s in SENTENCE.split(text.strip()) if s]
    questions = [s for s in sentences if s.rstrip().endswith("?") or QUESTION_START.match(s)]
    return " ".join(questions) if questions and len(questions) < len(sentences) else text


def parts(text: str) -> list[str]:
    """The question split where it may ask another thing (one part if it cannot be split); a part that only
    asks "how often?" or "when?" stays with the part before it."""
    pieces: list[str] = []
    for raw in SPLIT.split(asked(text)):
        piece = LEADING.sub("", raw.strip(" ,.?!:"))
        if pieces and BARE_ASK.match(piece):
            pieces[-1] = f"{pieces[-1]} {piece}"
        elif len(piece) >= MIN_PART_CHARS:
            pieces.append(piece)
    return pieces


# A request for things, then another thing it asks for: "need the ISI and the medical information number".
_REQUEST_FOR = re.compile(
    r"^\W*(?:i |we )?(?:need|want|would like|'d like|send|give|share|get|looking for|please send|pls send|"
    r"can i get|can you send|could you send)\b",
    re.IGNORECASE,
)
_NOUN_PHRASE = re.compile(r"^\W*(?:the|a|an|your|some|any)\s", re.IGNORECASE)
# A list introduced as such: "Two things:", "a few questions:"
_LIST_INTRO = re.compile(r"\b(?:two|three|a few|couple of|several) (?:things|questions|qs)\b\s*:?", re.IGNORECASE)


def _asks_on_its_own(text: str, piece: str) -> bool:
    """A later part asks something of its own: it opens like a question or a request, or the writer marked it
    as a new ask ("?", "also", "plus", "separately", "one more thing", a new line of a list), or it is another
    thing asked for by the first part's request ("need the ISI and the MI number")."""
    if QUESTION_START.match(piece) or REQUEST_START.match(piece):
        return True
    at = text.find(piece)
    if at > 0 and NEW_ASK.search(text[max(0, at - 24) : at]) is not None:
        return True
    if at > 0 and "\n" in text[max(0, at - 6) : at] and _LIST_INTRO.search(text):
        return True
    return at > 0 and _REQUEST_FOR.match(text) is not None and _NOUN_PHRASE.match(piece) is not None


def _multi_by_model(parse: Parse, index: ExampleIndex, t: Thresholds) -> list[str] | None:
    """The topics of the parts the model itself classified, in the order asked: each part clear (confidence,
    margin, closeness to its item's examples), at least two different topics, the whole question's topic among
    them. A part the model calls small talk adds nothing; a long unclear part leaves the question whole."""
    chosen: list[str] = []
    for k, part in enumerate(parse.parts):
        if k and not _asks_on_its_own(parse.text, part.text):
            return None  # "safety and efficacy", "warnings and precautions": one question, split at "and"
        intent, confidence = part.top
        topic = topic_for_intent(intent or "")
        clear = (
            topic is not None
            and confidence >= t.for_topic(topic)
            and part.margin >= t.margin
            and index.similarity(part.text, topic) >= t.part_model_similarity
        )
        if not clear:
            if intent not in CONVERSATION_INTENTS and len(part.text.split()) >= 3:
                return None
            continue
        assert topic is not None
        if topic not in chosen:
            chosen.append(topic)
    top = topic_for_intent(parse.top[0] or "")
    return chosen if len(chosen) >= 2 and top in chosen else None


def _multi(parse: Parse, index: ExampleIndex, t: Thresholds) -> list[str] | None:
    """The topics of a question asking several things, in the order asked, if every part is clear."""
    pieces = parts(parse.text)
    if len(pieces) < 2:
        return None
    if parse.parts:
        by_model = _multi_by_model(parse, index, t)
        if by_model is not None:
            return by_model
    # Every part is matched against every topic's examples; topics the model also ranks get a bonus.
    ranked = {x for i, c in parse.ranking[:5] if (x := topic_for_intent(i)) is not None and c >= t.part_confidence}
    chosen: list[str] = []
    for piece in pieces:
        scores = sorted(
            ((index.similarity(piece, c) + (t.part_bonus if c in ranked else 0.0), c) for c in index.topics()),
            reverse=True,
        )
        if not scores or scores[0][0] < t.part_similarity:
            if len(piece.split()) >= 2:
                return None  # a part we cannot match: the whole question goes to a person
            continue
        if scores[0][1] not in chosen:
            chosen.append(scores[0][1])
    top = topic_for_intent(parse.top[0] or "")
    if len(chosen) < 2 or top not in chosen:
        return None
    return chosen


def _stated(decision: Decision, parse: Parse, library: ContentLibrary) -> Decision:
    """The answer, if each item states the specific fact asked (a threshold, a time point, a compared
    product...); else review: the nearest item would be a different claim."""
    if decision.route is not Route.ANSWERED:
        return decision
    body = " ".join(item.body for item in decision.items if item.topic in decision.topics)
    fact = missing_fact(asked(parse.text), decision.topics, body)  # the question, not the vignette
    if fact is not None:
        return _review(library, f"asks what the approved item does not state ({fact})", decision.topic)
    return decision


def _without_small_talk(parse: Parse) -> Parse:
    """The ranking among product topics and unanswerable questions only (confidences as the model gave them)."""
    return Parse(parse.text, tuple((i, c) for i, c in parse.ranking if i not in CONVERSATION_INTENTS))


def _follow_up(parse: Parse, previous: Sequence[str]) -> Parse:
    """A short follow-up ("and in kids?") asks something other than what was just answered: rank without it."""
    if not previous or len(parse.text.split()) > FOLLOW_UP_WORDS or not FOLLOW_UP.match(parse.text):
        return parse
    dropped = {intent_for_topic(t) for t in previous}
    kept = [(i, c) for i, c in parse.ranking if i not in dropped]
    total = sum(c for _, c in kept)
    if not kept or total <= 0:
        return parse
    return Parse(parse.text, tuple((i, c / total) for i, c in kept))


def judge(
    parse: Parse, library: ContentLibrary, index: ExampleIndex, t: Thresholds, previous: Sequence[str] = ()
) -> Decision:
    """The assistant's judgement on a full parse: answer, abstain to review, or the approved small talk.

    `previous` are the topics answered just before in the conversation (context for short follow-ups).
    """
    parse = _follow_up(parse, previous)
    intent, confidence = parse.top
    topic = topic_for_intent(intent or "")
    facts = f"intent {intent} {confidence:.2f}, margin {parse.margin:.2f}"
    if intent in CONVERSATION_INTENTS:
        if intent != OUT_OF_SCOPE or not in_domain_words(parse, index):
            return _system(library, intent, f"intent {intent}")
        if label_words_elsewhere(parse, t):
            return _system(library, OUT_OF_SCOPE, f"the label's words about something else ({facts})")
        # Called off-domain, but it uses the product's or medicine's words: judged among the topics instead.
        parse = _without_small_talk(parse)
        intent, confidence = parse.top
        topic = topic_for_intent(intent or "")
        facts = f"in-domain words; intent {intent} {confidence:.2f}, margin {parse.margin:.2f}"
    if about_something_else(parse, index):
        foreign = ", ".join(index.foreign_words(parse.text)[:4])
        return _system(library, OUT_OF_SCOPE, f"about something else ({foreign}; {facts})")
    multi = _multi(parse, index, t)
    if multi is not None:
        return _stated(
            _answer(library, multi, f"multi-topic question ({', '.join(multi)}; {facts})"), parse, library
        )
    if topic is not None:
        similarity = index.similarity(parse.text, topic)
        contrast = similarity - index.similarity(parse.text, NOVEL)
        facts += f", similarity {similarity:.2f} ({contrast:+.2f} vs unanswerable)"
        if (
            confidence >= t.for_topic(topic)
            and parse.margin >= t.margin
            and similarity >= t.similarity
            and contrast >= t.contrast
        ):
            return _stated(_answer(library, [topic], facts), parse, library)
    if off_domain(parse, index, t):
        return _system(library, OUT_OF_SCOPE, f"off-domain ({facts}, in-domain {parse.in_domain:.2f})")
    return _review(library, f"no approved answer clear enough ({facts})", topic)

"""Sentence and segment splitting on normalised text (no model needed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Sentence ends, except after common abbreviations ("Dr.", "pt.", "e.g.") and inside decimals.
# An emoji before a question ends a sentence too in chat ("covered in tiny red dots 🤦 anyone switched off it?");
# before anything else it stays inside the sentence ("quelvanti 💉 then vomiting all night").
_SENT_END = re.compile(
    r"[.!?]+(?=\s|$)|[\n\r]+|;\s|[\U0001F300-\U0001FAFF\u2600-\u27BF][\u2640\u2642\ufe0f\u200d]*"
    r"(?=\s+(?:anyone|any|is|does|do|did|what|how|why|should|can|could|thoughts|help|pls|please|but)\b)"
)
_ABBREV_BEFORE_DOT = re.compile(
    r"(?:\b(?:dr|mr|mrs|ms|mx|prof|pt|pts|vs|approx|no|st|jr|sr|inc|wk|wks|yr|yrs|min|max|mg|ml|fig|ref|dept|"
    r"apt|ste|ave|blvd|rd)"
    r"|\b[a-z]|\be\.g|\bi\.e|\ba\.m|\bp\.m|\bu\.s)$",
    re.IGNORECASE,
)
# Segments inside a sentence: a question mark only governs its own segment
# ("Rash after dose 2 - is that related?").
_SEGMENT_BREAK = re.compile(
    r"\s[-–—]+\s|\s*[:;]\s+|\s*\(\s*|\s*\)\s*|\.\.\.+|,\s*(?:but|however|although|though|and then|so)\b"
)


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence or a dash/colon-delimited part of one, as offsets on the normalised text."""

    start: int
    end: int
    sentence_start: int
    sentence_end: int


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split normalised text into sentence spans."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SENT_END.finditer(text):
        if m.group() == "." and _ABBREV_BEFORE_DOT.search(text[max(start, m.start() - 8) : m.start()]):
            continue
        end = m.end()
        if text[start:end].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans


def split_segments(text: str) -> list[Segment]:
    """Split normalised text into segments, each knowing its sentence."""
    segments: list[Segment] = []
    for s, e in split_sentences(text):
        seg_start = s
        for m in _SEGMENT_BREAK.finditer(text, s, e):
            if text[seg_start : m.start()].strip():
                segments.append(Segment(seg_start, m.start(), s, e))
            seg_start = m.end()
        if text[seg_start:e].strip():
            segments.append(Segment(seg_start, e, s, e))
    return segments

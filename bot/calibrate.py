"""Choosing the operating point on calibration data: coordinate search that minimises `Tally.cost`.

A wrong approved answer (to an answerable, unanswerable or off-domain question) costs five reviews; a
per-topic confidence bar is kept only where it saves at least two reviews' worth on the calibration data, and
no point that answers fewer than 80% of the two-part questions in full is chosen.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import replace

from bot.evaluate import Case, judge_all, tally
from bot.routing import Parse, Thresholds
from bot.similarity import ExampleIndex
from content_library import ContentLibrary, topic_for_intent

GRID: dict[str, tuple[float, ...]] = {
    "confidence": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9),
    "margin": (0.0, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5),
    "similarity": (0.0, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45),
    "contrast": (-1.0, -0.2, -0.1, -0.05, 0.0, 0.05, 0.1),
    "domain": (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8),
    "domain_similarity": (0.0, 0.15, 0.2, 0.25, 0.3, 0.35),
    "part_confidence": (0.0, 0.01, 0.03, 0.05, 0.1, 0.2),
    "part_similarity": (0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7),
    "part_bonus": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3),
    "part_model_similarity": (0.3, 0.4, 0.5, 0.6, 0.7),
    "trusted_out_of_scope": (0.5, 0.6, 0.65, 0.7, 0.8, 0.9, 1.01),
}
JOINT = ("confidence", "margin", "similarity")
PARTS = ("part_confidence", "part_similarity", "part_bonus", "part_model_similarity")
PER_TOPIC_SAVING = 2.0
TWO_PART_BAR = 0.8  # both answers to two-part questions: an operating point below it is not considered


def calibrate(cases: list[Case], parses: list[Parse], library: ContentLibrary, index: ExampleIndex) -> Thresholds:
    """The operating point with the lowest cost on these cases."""

    def cost(point: Thresholds) -> float:
        counted = tally(judge_all(cases, parses, library, index, point))
        if counted.multi and counted.multi_both < TWO_PART_BAR * counted.multi:
            return math.inf  # the two-part bar is a constraint, not a cost to trade against single questions
        return counted.cost()

    best = Thresholds()
    best_cost = cost(best)
    # The three abstention bars together (they trade off against each other), then each of the others.
    for conf, margin, sim in itertools.product(*(GRID[n] for n in JOINT)):
        point = replace(best, confidence=conf, margin=margin, similarity=sim)
        if (c := cost(point)) < best_cost:
            best, best_cost = point, c
    for conf, sim, bonus in itertools.product(*(GRID[n] for n in PARTS)):
        point = replace(best, part_confidence=conf, part_similarity=sim, part_bonus=bonus)
        if (c := cost(point)) < best_cost:
            best, best_cost = point, c
    for _ in range(5):
        improved = False
        for name, values in GRID.items():
            for value in values:
                point = replace(best, **{name: value})  # type: ignore[arg-type]
                c = cost(point)
                if c < best_cost:
                    best, best_cost, improved = point, c, True
        if not improved:
            break
    topics = sorted({t for p in parses for i, _ in p.ranking if (t := topic_for_intent(i)) is not None})
    per_topic: dict[str, float] = {}
    for topic in topics:
        for value in (v for v in GRID["confidence"] if v > best.confidence):
            point = replace(best, per_topic={**per_topic, topic: value})
            c = cost(point)
            if c <= best_cost - PER_TOPIC_SAVING:
                per_topic[topic], best_cost = value, c
        best = replace(best, per_topic=dict(per_topic))
    print(f"calibration cost {best_cost:.1f} over {len(cases)} cases")
    return best

"""Pre-moderation of HCP chat messages: PII, adverse events, special situations, off-label, abuse.

Public API: `assess(text, context=None) -> Assessment`, and the enums and finding types an
Assessment carries, so callers compare enums, not strings. Nothing heavy happens at import.
"""

from compliance.findings import Detector, Finding, Mode, PiiType, Route, Seriousness, Span, SpecialSituation
from compliance.pipeline import Assessment, assess

__all__ = [
    "Assessment",
    "Detector",
    "Finding",
    "Mode",
    "PiiType",
    "Route",
    "Seriousness",
    "Span",
    "SpecialSituation",
    "assess",
]

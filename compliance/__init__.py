"""Pre-moderation of HCP chat messages: PII, adverse events, special situations, off-label, abuse.

Public API: `assess(text, context=None) -> Assessment`. Nothing heavy happens at import.
"""

from compliance.pipeline import Assessment, assess

__all__ = ["Assessment", "assess"]

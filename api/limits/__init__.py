"""Abuse limits on Redis (the `limits` package, moving windows): per client IP, per conversation.

Every check fails OPEN when Redis is unreachable, logged: an HCP reporting an adverse event must never be
turned away because the limiter is broken.
"""

from api.limits.client import client_address, limit_key
from api.limits.limiter import AbuseLimits, AbuseLimitsDep, RateLimited, Scope

__all__ = ["AbuseLimits", "AbuseLimitsDep", "RateLimited", "Scope", "client_address", "limit_key"]

"""The dashboards' result cache: computed tables and charts, reused while the projection is unchanged.

The key is the filters plus the projection's version: how many HCPs it holds and when any of them last
changed (every projection write, rating, follow-up, revocation or erasure moves one or the other), so a
change is seen by the next request. MAX_AGE bounds an entry's life all the same (clock skew between
servers), and MAX_ENTRIES its memory.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.insights.models import InsightHcp
from api.insights.service import Filters

MAX_AGE_SECONDS = 300.0
MAX_ENTRIES = 64
T = TypeVar("T")

_entries: OrderedDict[tuple[Any, ...], tuple[float, Any]] = OrderedDict()
_lock = threading.Lock()


def version(session: Session) -> tuple[Any, ...]:
    """The projection's version (cheap: one aggregate over the HCP table)."""
    count, changed = session.execute(select(func.count(), func.max(InsightHcp.changed_at))).one()
    return (int(count), changed.isoformat() if changed else None)


def cached(session: Session, kind: str, filters: Filters, compute: Callable[[], T]) -> T:
    """`compute()`'s result for these filters, reused until the projection changes."""
    key = (kind, filters, session.get_bind().engine.url.render_as_string(hide_password=True), version(session))
    now = time.monotonic()
    with _lock:
        hit = _entries.get(key)
        if hit is not None and now - hit[0] < MAX_AGE_SECONDS:
            _entries.move_to_end(key)
            result: T = hit[1]
            return result
    value = compute()
    with _lock:
        _entries[key] = (now, value)
        _entries.move_to_end(key)
        while len(_entries) > MAX_ENTRIES:
            _entries.popitem(last=False)
    return value


def clear() -> None:
    """Forget every entry (tests, benchmarks of the uncached path)."""
    with _lock:
        _entries.clear()

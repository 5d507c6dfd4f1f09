"""The API's view of the content library: it re-checks every item it is asked to serve.

Once the library is in the database (issue 11), the API serves the live release and, while a new release is
being swapped in, accepts the items of the release going live and of the one it replaces (for a short grace
period), so a reply chosen on either side of the swap is never refused. A withdrawal applies to every release
at once. Before the library is seeded into the database, the YAML directory is the library.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from api.content.library import library_of
from api.content.models import ContentRelease, ContentVersion, ReleaseStatus
from content_library import ContentItem, ContentLibrary

RECHECK_SECONDS = 1.0
log = logging.getLogger(__name__)
WindowKey = tuple[tuple[tuple[str, str], ...], dt.datetime | None]


@dataclass(frozen=True)
class _Window:
    key: WindowKey
    live: ContentLibrary
    accepted: tuple[ContentLibrary, ...]


def _matches(library: ContentLibrary, payload: dict[str, Any], content_id: str) -> ContentItem | None:
    item = library.current(content_id)
    if item is None:
        return None
    if item.approval_code != payload.get("approval_code") or item.version != payload.get("version"):
        return None
    return item


class ApprovedContent:
    """Resolves reply payloads to approved items; nothing unverified reaches an HCP."""

    def __init__(
        self,
        library: ContentLibrary,
        sessions: sessionmaker[Any] | None = None,
        *,
        grace_seconds: float = 30.0,
        recheck_seconds: float = RECHECK_SECONDS,
    ) -> None:
        self.files = library
        self._sessions = sessions
        self._grace = dt.timedelta(seconds=grace_seconds)
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._window: _Window | None = None

    def _key(self, session: Session, now: dt.datetime) -> tuple[WindowKey, list[ContentRelease]]:
        rows = list(
            session.scalars(
                select(ContentRelease)
                .where(
                    or_(
                        ContentRelease.status.in_([ReleaseStatus.ACTIVE, ReleaseStatus.ACTIVATING]),
                        (ContentRelease.status == ReleaseStatus.SUPERSEDED)
                        & (ContentRelease.retired_at >= now - self._grace),
                    )
                )
                .order_by(ContentRelease.number.desc())
            )
        )
        changed = session.scalar(select(func.max(ContentVersion.changed_at)))
        return (tuple((r.id, r.status.value) for r in rows), changed), rows

    def _refresh(self, force: bool = False) -> _Window | None:
        """Re-read which releases are accepted (at most once a second unless forced)."""
        sessions = self._sessions
        if sessions is None:
            return None
        now = time.monotonic()
        if not force and now - self._checked_at < self._recheck:
            return self._window
        with self._lock:
            if not force and time.monotonic() - self._checked_at < self._recheck:
                return self._window  # another thread re-read it while this one waited for the lock
            self._checked_at = now
            return self._reread(sessions)

    def _reread(self, sessions: sessionmaker[Any]) -> _Window | None:
        with sessions() as session:
            try:
                key, rows = self._key(session, dt.datetime.now(dt.UTC))
            except SQLAlchemyError:  # the database is down: keep what was read last (a chat turn fails anyway)
                log.exception("could not read the content releases")
                return self._window
            if self._window is not None and key == self._window.key:
                return self._window
            live_rows = [r for r in rows if r.status is ReleaseStatus.ACTIVE]
            if not live_rows:
                self._window = None
                return None
            libraries = {r.id: library_of(session, r) for r in rows}
            self._window = _Window(key, libraries[live_rows[0].id], tuple(libraries.values()))
            return self._window

    @property
    def library(self) -> ContentLibrary:
        """The library serving now: the live release, or the YAML directory before the database holds one."""
        window = self._refresh()
        return window.live if window is not None else self.files

    def verify(self, payload: dict[str, Any]) -> ContentItem | None:
        """The servable item a payload names, if its approval code and version are current."""
        content_id = payload.get("content_id")
        if not isinstance(content_id, str):
            return None
        for force in (False, True):  # a miss re-reads the database once: a swap may have just begun
            window = self._refresh(force)
            libraries = window.accepted if window is not None else (self.files,)
            for library in libraries:
                item = _matches(library, payload, content_id)
                if item is not None:
                    return item
            if self._sessions is None:
                break
        return None

    def system(self, topic: str) -> ContentItem | None:
        """The servable system message for a situation."""
        return self.library.system(topic)

    def for_topic(self, topic: str) -> ContentItem | None:
        """The servable answer item for a taxonomy topic."""
        return self.library.for_topic(topic)

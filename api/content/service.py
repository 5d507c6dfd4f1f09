"""The API's view of the content library: it re-checks every item it is asked to serve."""

from __future__ import annotations

from typing import Any

from content_library import ContentItem, ContentLibrary


class ApprovedContent:
    """Resolves reply payloads to approved items; nothing unverified reaches an HCP."""

    def __init__(self, library: ContentLibrary) -> None:
        self.library = library

    def verify(self, payload: dict[str, Any]) -> ContentItem | None:
        """The servable item a payload names, if its approval code and version are current."""
        content_id = payload.get("content_id")
        if not isinstance(content_id, str):
            return None
        item = self.library.current(content_id)
        if item is None:
            return None
        if item.approval_code != payload.get("approval_code") or item.version != payload.get("version"):
            return None
        return item

    def system(self, topic: str) -> ContentItem | None:
        """The servable system message for a situation."""
        return self.library.system(topic)

    def for_topic(self, topic: str) -> ContentItem | None:
        """The servable answer item for a taxonomy topic."""
        return self.library.for_topic(topic)

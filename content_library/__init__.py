"""Approved (MLR) content: the only source of sentences the assistant may say."""

from content_library.export import point_link, render_item, write_directory
from content_library.item import ContentItem, Kind, Status, parse_item
from content_library.loader import (
    DEFAULT_DIRECTORY,
    ContentLibrary,
    FixedLibrary,
    LoadError,
    Snapshot,
    load_directory,
)
from content_library.taxonomy import ANSWER_TOPICS, SYSTEM_TOPICS, intent_for_topic, topic_for_intent

__all__ = [
    "ANSWER_TOPICS",
    "DEFAULT_DIRECTORY",
    "SYSTEM_TOPICS",
    "ContentItem",
    "ContentLibrary",
    "FixedLibrary",
    "Kind",
    "LoadError",
    "Snapshot",
    "Status",
    "intent_for_topic",
    "load_directory",
    "parse_item",
    "point_link",
    "render_item",
    "topic_for_intent",
    "write_directory",
]

"""The action server's single content library instance, its example index and operating point."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from bot.routing import Thresholds
from bot.similarity import ExampleIndex
from content_library import DEFAULT_DIRECTORY, ContentLibrary, Snapshot


@lru_cache(maxsize=1)
def content_library() -> ContentLibrary:
    """The shared library; CONTENT_DIR overrides the packaged items (the action server's one setting)."""
    directory = os.environ.get("CONTENT_DIR")
    return ContentLibrary(Path(directory) if directory else DEFAULT_DIRECTORY)


_indexed: list[tuple[Snapshot, ExampleIndex]] = []


def example_index(library: ContentLibrary) -> ExampleIndex:
    """The index of the library's current examples, rebuilt when the library's files change."""
    snapshot = library.snapshot()
    if not _indexed or _indexed[0][0] is not snapshot:
        _indexed[:] = [(snapshot, ExampleIndex.from_library(library))]
    return _indexed[0][1]


@lru_cache(maxsize=1)
def thresholds() -> Thresholds:
    """The committed operating point (bot/thresholds.yml)."""
    return Thresholds.load()

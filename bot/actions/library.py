"""The action server's single content library instance, created on first use."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from content_library import DEFAULT_DIRECTORY, ContentLibrary


@lru_cache(maxsize=1)
def content_library() -> ContentLibrary:
    """The shared library; CONTENT_DIR overrides the packaged items (the action server's one setting)."""
    directory = os.environ.get("CONTENT_DIR")
    return ContentLibrary(Path(directory) if directory else DEFAULT_DIRECTORY)

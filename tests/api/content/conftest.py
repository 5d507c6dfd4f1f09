"""A scratch stack of its own for the content tests: a small-config model, exported content, a worker."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from scripts.bench_content import ContentStack, content_stack

SMALL_CONFIG = Path(__file__).resolve().parent / "config_small.yml"


@pytest.fixture(scope="module")
def live_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ContentStack]:
    """Actions (CONTENT_DIR = the live export), Rasa on a small-config model, a worker and the API."""
    with content_stack(
        tmp_path_factory.mktemp("content-stack"), SMALL_CONFIG, None, 40000 + os.getpid() % 1000 * 10
    ) as stack:
        yield stack

"""Shared fixtures for the compliance tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from compliance.tools.evaluate import DEFAULT_EVAL_PATH, load_labelled


@pytest.fixture(scope="session")
def eval_rows() -> list[dict[str, object]]:
    """The labelled evaluation set."""
    return load_labelled(DEFAULT_EVAL_PATH)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository root (where `python -m compliance` runs)."""
    return Path(__file__).resolve().parents[2]

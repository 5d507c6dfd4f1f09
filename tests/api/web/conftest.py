"""Browsers for the web tests: one for the HCP's brand page, one for a staff user (separate profiles)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from selenium import webdriver

from tests.api.web.browsers import headless_chromium


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """The HCP's browser."""
    chrome = headless_chromium(tmp_path_factory)
    yield chrome
    chrome.quit()


@pytest.fixture(scope="module")
def staff_browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """A staff user's browser, with its own cookies."""
    chrome = headless_chromium(tmp_path_factory)
    yield chrome
    chrome.quit()

"""Helpers for the staff web screens' tests: the form sign-in and the CSRF tokens pages carry."""

from __future__ import annotations

import html
import re

import httpx
from fastapi.testclient import TestClient

from tests.api.conftest import PASSWORD

_CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: str) -> str:
    """The CSRF token of the first form on a page."""
    found = _CSRF_FIELD.search(page)
    assert found, "the page has no form with a CSRF token"
    return html.unescape(found.group(1))


def form_sign_in(client: TestClient, email: str, password: str = PASSWORD, next_path: str = "") -> httpx.Response:
    """Sign in through the HTML form, as a browser does (the login CSRF cookie and field included)."""
    form = client.get("/staff/login")
    assert form.status_code == 200, form.text
    data = {"email": email, "password": password, "next": next_path, "csrf_token": csrf_of(form.text)}
    response: httpx.Response = client.post("/staff/login", data=data, follow_redirects=False)
    return response


def shows(page: str, text: str) -> bool:
    """Whether a page shows a text (as the browser renders it: entities decoded)."""
    return text in html.unescape(page)

"""Security headers (issue 7, finding 8): strict CSP, framing by an allow-list, HSTS and Secure cookies in
production."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.auth.roles import Role
from api.main import create_app
from api.settings import Settings
from tests.api.conftest import PASSWORD, make_review_item, make_user, sign_in
from tests.api.hardening.support import production_settings
from tests.api.staff_pages import form_sign_in

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors {ancestors}"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
INLINE_HANDLER_OR_STYLE = re.compile(r"<[^>]+\s(on[a-z]+|style)\s*=", re.IGNORECASE)


def test_the_brand_page_is_served_with_a_strict_csp_and_the_other_headers(staff_client: TestClient) -> None:
    response = staff_client.get("/")
    assert response.status_code == 200
    headers = response.headers
    assert headers["content-security-policy"] == STRICT_CSP.format(ancestors="'self'")
    assert headers["x-frame-options"] == "SAMEORIGIN"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # HTTPS is production's business


def test_every_page_and_error_carries_the_headers(staff_client: TestClient) -> None:
    for url in ("/isi", "/static/chat.js", "/healthz", "/does-not-exist", "/api/v1/conversations/x/messages"):
        response = staff_client.get(url)
        assert response.headers["x-content-type-options"] == "nosniff", url
        assert "frame-ancestors" in response.headers["content-security-policy"], url


def test_staff_screens_are_never_framed(staff_client: TestClient) -> None:
    response = staff_client.get("/staff/login")
    assert response.headers["content-security-policy"] == STRICT_CSP.format(ancestors="'none'")
    assert response.headers["x-frame-options"] == "DENY"


def test_brand_sites_on_the_allow_list_may_frame_the_widget(offline_settings: Settings) -> None:
    brands = ["'self'", "https://www.quelvanti.example", "https://hcp.avendra.example:8443"]
    settings = offline_settings.model_copy(update={"frame_ancestors": brands})
    with TestClient(create_app(settings)) as client:
        response = client.get("/")
    ancestors = "'self' https://www.quelvanti.example https://hcp.avendra.example:8443"
    assert response.headers["content-security-policy"] == STRICT_CSP.format(ancestors=ancestors)
    assert "x-frame-options" not in response.headers  # it cannot say "these sites": the CSP does


@pytest.mark.parametrize(
    "bad", [["*"], ["https://*.example"], ["https://brand.example/page"], ["'none'", "'self'"]]
)
def test_a_frame_ancestors_setting_that_is_not_an_allow_list_is_refused(
    offline_settings: Settings, bad: list[str]
) -> None:
    with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
        create_app(offline_settings.model_copy(update={"frame_ancestors": bad}))


def test_no_page_has_inline_script_style_or_handlers(staff_client: TestClient, offline_settings: Settings) -> None:
    """What the CSP would block: checked on every page a person sees (the browser tests run them too)."""
    item_id, _ = make_review_item(offline_settings)
    pages = {url: staff_client.get(url).text for url in ("/", "/isi", "/staff/login")}
    sign_in(staff_client, make_user(offline_settings, Role.MEDICAL_REVIEWER, Role.ADMIN))
    for url in ("/staff", "/staff/queue", f"/staff/queue/{item_id}"):
        response = staff_client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.text
    for url, page in pages.items():
        assert not INLINE_SCRIPT.search(page), url
        assert not INLINE_HANDLER_OR_STYLE.search(page), url


@pytest.fixture
def production_client(offline_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(production_settings(offline_settings)), base_url="https://testserver") as client:
        yield client


def test_production_adds_hsts_and_secure_session_cookies(
    production_client: TestClient, offline_settings: Settings
) -> None:
    user = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    api_sign_in = production_client.post("/api/v1/auth/session", json={"email": user.email, "password": PASSWORD})
    production_client.cookies.clear()
    login_form = production_client.get("/staff/login")
    screen_sign_in = form_sign_in(production_client, user.email)

    assert api_sign_in.status_code == 200 and screen_sign_in.status_code == 303
    for response in (api_sign_in, login_form, screen_sign_in):
        assert response.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains"
        cookies = response.headers.get_list("set-cookie")
        assert cookies and all("secure" in c.lower().split("; ") for c in cookies if "Max-Age=0" not in c), cookies


def test_the_api_docs_allow_exactly_their_own_inline_script(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    sign_in(staff_client, make_user(offline_settings, Role.ADMIN))
    page = staff_client.get("/api/docs")
    csp = page.headers["content-security-policy"]
    (script,) = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp

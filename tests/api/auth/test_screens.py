"""Staff sign-in and sign-out screens, the landing page, and HTML error pages under /staff."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from api import strings
from api.audit.models import AuditEvent
from api.auth.roles import Role
from api.auth.screens import LOGIN_CSRF_COOKIE, safe_next
from api.db import session_factory
from api.settings import Settings
from tests.api.conftest import make_user, sign_in
from tests.api.staff_pages import csrf_of, form_sign_in, shows


def sets_cookie(response: httpx.Response, name: str) -> str | None:
    """The Set-Cookie header of one cookie, if the response sets it."""
    return next((c for c in response.headers.get_list("set-cookie") if c.startswith(name + "=")), None)


def actions(settings: Settings) -> list[str]:
    with session_factory(settings.sqlalchemy_url)() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.seq)))


def test_the_sign_in_form_starts_a_cookie_session(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    form = staff_client.get("/staff/login")
    assert form.headers["content-type"].startswith("text/html")
    assert form.headers["cache-control"] == "no-store"
    for control in ('<label for="email">', '<label for="password">', 'name="next"', 'class="skip-link"'):
        assert control in form.text
    assert "<script" not in form.text and "style=" not in form.text
    login_cookie = next(c for c in form.headers.get_list("set-cookie") if c.startswith(LOGIN_CSRF_COOKIE))
    assert "HttpOnly" in login_cookie and "SameSite=strict" in login_cookie and "Path=/staff/login" in login_cookie

    response = form_sign_in(staff_client, reviewer.email)
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/queue"
    session_cookie = next(
        c
        for c in response.headers.get_list("set-cookie")
        if c.startswith(offline_settings.session_cookie_name + "=")
    )
    assert "HttpOnly" in session_cookie and "SameSite=strict" in session_cookie

    queue = staff_client.get("/staff/queue")
    assert queue.status_code == 200
    assert shows(queue.text, f"Signed in as {reviewer.display_name}")
    assert "sign_in.succeeded" in actions(offline_settings)


def test_a_failed_sign_in_shows_the_form_again_with_a_generic_error(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    for email, password in ((reviewer.email, "not the password at all"), ("nobody@staff.example", "whatever")):
        response = form_sign_in(staff_client, email, password)
        assert response.status_code == 401
        assert shows(response.text, strings.SIGN_IN_FAILED)
        assert 'role="alert"' in response.text
        assert shows(response.text, f'value="{email}"')  # the e-mail is kept, the password never is
        assert not any(
            c.startswith(offline_settings.session_cookie_name + "=")
            for c in response.headers.get_list("set-cookie")
        )
    assert actions(offline_settings).count("sign_in.failed") == 2
    assert staff_client.get("/staff/queue").status_code == 401


def test_the_sign_in_form_needs_its_csrf_cookie_and_field(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    credentials = {"email": reviewer.email, "password": "correct horse battery staple"}
    token = csrf_of(staff_client.get("/staff/login").text)

    missing = staff_client.post("/staff/login", data=credentials, follow_redirects=False)
    forged = staff_client.post(
        "/staff/login", data={**credentials, "csrf_token": token + "x"}, follow_redirects=False
    )
    staff_client.cookies.clear()  # a cross-site form: the field could be copied, the cookie is not sent
    no_cookie = staff_client.post(
        "/staff/login", data={**credentials, "csrf_token": token}, follow_redirects=False
    )
    for response in (missing, forged, no_cookie):
        assert response.status_code == 403
        assert shows(response.text, strings.CSRF_FAILED)
    assert "sign_in.succeeded" not in actions(offline_settings)


def test_sign_in_goes_on_to_a_local_staff_page_only(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    response = form_sign_in(staff_client, reviewer.email, next_path="/staff/queue?kind=compliance_hold&page=2")
    assert response.headers["location"] == "/staff/queue?kind=compliance_hold&page=2"
    for unsafe in (
        "https://evil.example/staff",
        "//evil.example/staff",
        "/staff//evil.example",
        "/staff\\x",
        "/api",
    ):
        assert safe_next(unsafe) is None, unsafe
    staff_client.cookies.clear()
    response = form_sign_in(staff_client, reviewer.email, next_path="https://evil.example/")
    assert response.headers["location"] == "/staff/queue"
    # Already signed in: the form sends you straight on.
    again = staff_client.get("/staff/login", follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == "/staff/queue"


def test_sign_out_needs_csrf_and_ends_the_session(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    form_sign_in(staff_client, reviewer.email)
    page = staff_client.get("/staff/queue")
    assert 'action="/staff/logout"' in page.text

    refused = staff_client.post("/staff/logout", follow_redirects=False)
    assert refused.status_code == 403 and shows(refused.text, strings.CSRF_FAILED)
    assert staff_client.get("/staff/queue").status_code == 200

    response = staff_client.post("/staff/logout", data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/staff/login"
    assert any(
        c.startswith(f'{offline_settings.session_cookie_name}=""') for c in response.headers.get_list("set-cookie")
    )
    assert "sign_out" in actions(offline_settings)
    staff_client.cookies.clear()
    assert staff_client.get("/staff/queue").status_code == 401


def test_a_revoked_session_cookie_no_longer_opens_screens(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    form_sign_in(staff_client, reviewer.email)
    cookie = staff_client.cookies.get(offline_settings.session_cookie_name)
    page = staff_client.get("/staff/queue")
    staff_client.post("/staff/logout", data={"csrf_token": csrf_of(page.text)})
    staff_client.cookies.set(offline_settings.session_cookie_name, cookie or "")
    assert staff_client.get("/staff/queue").status_code == 401


def test_the_landing_page_fits_the_role(staff_client: TestClient, offline_settings: Settings) -> None:
    reviewer = make_user(offline_settings, Role.MEDICAL_REVIEWER)
    marketer = make_user(offline_settings, Role.MARKETER)
    admin = make_user(offline_settings, Role.ADMIN)

    nobody = staff_client.get("/staff")
    assert nobody.status_code == 401 and 'name="next" value="/staff"' in nobody.text

    form_sign_in(staff_client, reviewer.email)
    landing = staff_client.get("/staff", follow_redirects=False)
    assert landing.status_code == 303 and landing.headers["location"] == "/staff/queue"

    staff_client.cookies.clear()
    assert form_sign_in(staff_client, marketer.email).headers["location"] == "/staff/insights"

    staff_client.cookies.clear()
    response = form_sign_in(staff_client, admin.email)
    assert response.headers["location"] == "/staff"
    home = staff_client.get("/staff")
    assert home.status_code == 200
    assert shows(home.text, strings.STAFF_NOTHING_FOR_ROLE)
    assert "<h1>" in home.text and "Review queue" not in home.text


def test_staff_paths_get_html_error_pages_and_the_api_keeps_json(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    marketer = make_user(offline_settings, Role.MARKETER)

    login = staff_client.get("/staff/queue?kind=novel_question")
    assert login.status_code == 401
    assert login.headers["content-type"].startswith("text/html")
    assert 'action="/staff/login"' in login.text
    assert shows(login.text, 'name="next" value="/staff/queue?kind=novel_question"')
    api = staff_client.get("/api/v1/auth/me")
    assert api.status_code == 401 and api.json() == {"detail": strings.SIGN_IN_REQUIRED}

    sign_in(staff_client, marketer)
    forbidden = staff_client.get("/staff/queue")
    assert forbidden.status_code == 403
    assert forbidden.headers["content-type"].startswith("text/html")
    assert "<h1>Not allowed</h1>" in forbidden.text and shows(forbidden.text, strings.ROLE_REQUIRED)
    api = staff_client.get("/api/v1/review-items")
    assert api.status_code == 403 and api.json() == {"detail": strings.ROLE_REQUIRED}

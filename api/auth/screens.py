"""Staff web screens shared by every role: sign-in, sign-out, the landing page and HTML error pages."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from api import strings
from api.auth import service
from api.auth.models import StaffSession, StaffUser
from api.auth.roles import Role
from api.auth.router import set_session_cookie
from api.deps import PUBLIC, AnyStaff, CurrentStaffSession, RuntimeDep, SessionDep, get_runtime, optional_staff
from api.errors import DomainError
from api.settings import Settings

TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parents[1] / "web" / "templates" / "staff")
STAFF_PREFIX = "/staff"
LOGIN_PATH = "/staff/login"
# The first screen of each role; roles not listed have no screens yet.
ROLE_SCREENS: dict[Role, tuple[str, str]] = {
    Role.MEDICAL_REVIEWER: ("Review queue", "/staff/queue"),
    Role.PV_SPECIALIST: ("AE cases", "/staff/pv/cases"),
    Role.MLR_APPROVER: ("Content", "/staff/content"),
    Role.MARKETER: ("Insights", "/staff/insights"),
}
# Pre-session CSRF (login CSRF): a signed random token in a cookie and the same in the form (double submit).
LOGIN_CSRF_COOKIE = "hcp_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600
# Only local staff pages may be a sign-in's destination (no scheme, host, `//` or backslash tricks).
SAFE_NEXT = re.compile(r"^/staff(?:[/?][A-Za-z0-9_\-./?=&%+~]*)?$")
MAX_EMAIL_CHARS = 254
MAX_PASSWORD_CHARS = 256

router = APIRouter(prefix=STAFF_PREFIX, include_in_schema=False)


def when(moment: dt.datetime | None) -> str:
    """A timestamp as staff screens show it (UTC, to the minute)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


def when_exact(moment: dt.datetime | None) -> str:
    """A timestamp to the second (signatures and the audit trail)."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC") if moment else ""


TEMPLATES.env.filters["when"] = when
TEMPLATES.env.filters["when_exact"] = when_exact


def screens_for(user: StaffUser) -> list[tuple[str, str]]:
    """The (label, path) of each screen a user's roles open."""
    return [screen for role, screen in ROLE_SCREENS.items() if role in user.roles]


def home_of(user: StaffUser) -> str:
    """Where a user lands after sign-in: their first screen, else the landing page."""
    screens = screens_for(user)
    return screens[0][1] if screens else STAFF_PREFIX


def safe_next(value: str | None) -> str | None:
    """A sign-in destination if it is a local staff page, else None."""
    if value and "//" not in value and SAFE_NEXT.fullmatch(value) and value != LOGIN_PATH:
        return value
    return None


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> HTMLResponse:
    """A staff page, with the signed-in user (if any) and the CSRF token its forms send."""
    # Read what the Access dependency cached: an error page must not query the database again.
    staff: StaffSession | None = getattr(request.state, "staff_session", None)
    base: dict[str, Any] = {
        "staff_user": staff.user if staff else None,
        "csrf_token": staff.csrf_token if staff else "",
        "nav": screens_for(staff.user) if staff else [],
        "current_path": request.url.path,
    }
    response = TEMPLATES.TemplateResponse(request, template, {**base, **(context or {})}, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"  # queue contents are not for shared caches or the back button
    return response


def _login_signature(settings: Settings, nonce: str) -> str:
    key = settings.secret_key.get_secret_value().encode()
    return hmac.new(key, f"staff-login:{nonce}".encode(), hashlib.sha256).hexdigest()


def _new_login_token(settings: Settings) -> str:
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_login_signature(settings, nonce)}"


def _login_token_ok(settings: Settings, cookie: str | None, field: str) -> bool:
    if not cookie or not field or not secrets.compare_digest(cookie.encode(), field.encode()):
        return False
    nonce, _, signature = field.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _login_signature(settings, nonce))


def login_page(
    request: Request,
    settings: Settings,
    *,
    next_path: str | None = None,
    error: str | None = None,
    notice: str | None = None,
    email: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    """The sign-in form, with a fresh login-CSRF token in a cookie and a hidden field."""
    token = _new_login_token(settings)
    response = render(
        request,
        "login.html",
        {
            "next": safe_next(next_path) or "",
            "error": error,
            "notice": notice,
            "email": email,
            "login_csrf": token,
        },
        status_code=status_code,
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        max_age=LOGIN_CSRF_MAX_AGE,
        httponly=True,
        samesite="strict",
        secure=settings.cookie_secure,
        path=LOGIN_PATH,
    )
    return response


@router.get("/login", response_class=HTMLResponse, dependencies=[PUBLIC])
def login_form(request: Request, runtime: RuntimeDep, next: str = "") -> Response:
    """The sign-in form (already signed in: straight on)."""
    staff = optional_staff(request)
    if staff is not None:
        return RedirectResponse(safe_next(next) or home_of(staff.user), status_code=303)
    return login_page(request, runtime.settings, next_path=next)


@router.post("/login", response_class=HTMLResponse, dependencies=[PUBLIC])
def login(
    request: Request,
    session: SessionDep,
    runtime: RuntimeDep,
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
) -> Response:
    """Check the credentials: on success start a cookie session and go on, else show the form again."""
    settings = runtime.settings
    request.state.staff_session = None
    email = email.strip()[:MAX_EMAIL_CHARS]
    if not _login_token_ok(settings, request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return login_page(
            request, settings, next_path=next, error=strings.CSRF_FAILED, email=email, status_code=403
        )
    if not email or not password or len(password) > MAX_PASSWORD_CHARS:
        return login_page(
            request, settings, next_path=next, error=strings.SIGN_IN_FAILED, email=email, status_code=401
        )
    result = service.sign_in(session, email, password)
    if result.user is None:
        session.commit()  # the failure counter and its audit event are kept
        return login_page(
            request, settings, next_path=next, error=strings.SIGN_IN_FAILED, email=email, status_code=401
        )
    issued = service.start_session(session, result.user, "cookie")
    destination = safe_next(next) or home_of(result.user)
    session.commit()
    response = RedirectResponse(destination, status_code=303)
    set_session_cookie(response, settings.session_cookie_name, issued.token, settings.cookie_secure)
    response.delete_cookie(LOGIN_CSRF_COOKIE, path=LOGIN_PATH)
    return response


@router.post("/logout")
def logout(_: AnyStaff, staff: CurrentStaffSession, session: SessionDep, runtime: RuntimeDep) -> Response:
    """Sign out: the session can never be used again; back to the sign-in form."""
    row = session.merge(staff)
    service.end_session(session, row)
    session.commit()
    response = RedirectResponse(LOGIN_PATH, status_code=303)
    response.delete_cookie(runtime.settings.session_cookie_name, path="/")
    return response


@router.get("", response_class=HTMLResponse)
def landing(request: Request, user: AnyStaff) -> Response:
    """The staff landing page: straight to the user's screen, or a note that there is none yet."""
    screens = screens_for(user)
    if screens:
        return RedirectResponse(screens[0][1], status_code=303)
    return render(request, "home.html", {"message": strings.STAFF_NOTHING_FOR_ROLE})


def is_staff_path(path: str) -> bool:
    """Whether a request path belongs to the staff web screens (HTML errors, not JSON)."""
    return path == STAFF_PREFIX or path.startswith(STAFF_PREFIX + "/")


def staff_error_page(request: Request, exc: DomainError) -> Response | None:
    """The HTML page for a domain error on a staff screen (None elsewhere: the JSON API keeps JSON)."""
    if not is_staff_path(request.url.path):
        return None
    settings = get_runtime(request).settings
    if exc.status_code == 401:
        request.state.staff_session = None
        here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        next_path = here if request.method == "GET" else None
        return login_page(request, settings, next_path=next_path, notice=exc.detail, status_code=401)
    template = "forbidden.html" if exc.status_code == 403 else "error.html"
    return render(
        request, template, {"detail": exc.detail, "status": exc.status_code}, status_code=exc.status_code
    )

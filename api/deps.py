"""FastAPI dependencies, as Annotated aliases; every route declares its access with `Access` or `PUBLIC`."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from api import strings
from api.auth import service as auth
from api.auth.models import StaffSession, StaffUser
from api.auth.roles import ALL_ROLES, Role
from api.errors import Forbidden, Unauthenticated
from api.runtime import Runtime

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"


def get_runtime(request: Request) -> Runtime:
    """The process's runtime."""
    runtime: Runtime = request.app.state.runtime
    return runtime


def get_session(request: Request) -> Iterator[Session]:
    """A session per request; the endpoint commits, anything uncommitted is rolled back."""
    session: Session = get_runtime(request).sessions()
    try:
        yield session
    finally:
        session.close()


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
SessionDep = Annotated[Session, Depends(get_session)]


def bearer_token(request: Request) -> str | None:
    """The token of an `Authorization: Bearer` header, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _authenticate(request: Request) -> StaffSession | None:
    # Its own short session, committed at once: sliding idle time must not depend on the endpoint committing.
    runtime = get_runtime(request)
    with runtime.sessions() as session:
        token = bearer_token(request)
        staff = auth.resolve(session, token, "bearer") if token else None
        cookie = request.cookies.get(runtime.settings.session_cookie_name)
        if staff is None and cookie:
            staff = auth.resolve(session, cookie, "cookie")
        session.commit()
        return staff


def optional_staff(request: Request) -> StaffSession | None:
    """The staff session of a request, if signed in (cached per request)."""
    if not hasattr(request.state, "staff_session"):
        request.state.staff_session = _authenticate(request)
    staff: StaffSession | None = request.state.staff_session
    return staff


def require_service_token(runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Internal callers (services, the metrics scraper) send `Authorization: Bearer <SERVICE_TOKEN>`."""
    expected = runtime.settings.service_token.get_secret_value()
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    # An empty token never matches, even if the setting were empty (production refuses that at start).
    if scheme.lower() != "bearer" or not token or not expected:
        raise Unauthenticated(strings.SERVICE_TOKEN_REQUIRED)
    if not secrets.compare_digest(token.encode(), expected.encode()):
        raise Unauthenticated(strings.SERVICE_TOKEN_REQUIRED)


async def _check_csrf(request: Request, expected: str) -> None:
    supplied = request.headers.get(CSRF_HEADER)
    if supplied is None and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        form = await request.form()  # Starlette caches it for the endpoint's own Form() parameters
        value = form.get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if not supplied or not secrets.compare_digest(supplied.encode(), expected.encode()):
        raise Forbidden(strings.CSRF_FAILED)


class Access:
    """A route's access rule: the staff roles allowed (any one suffices). The route-table test reads it."""

    def __init__(self, *roles: Role) -> None:
        self.roles = frozenset(roles) or ALL_ROLES

    async def __call__(self, request: Request) -> StaffUser:
        staff = await run_in_threadpool(optional_staff, request)
        if staff is None:
            raise Unauthenticated(strings.SIGN_IN_REQUIRED)
        if not staff.user.has_any(self.roles):
            raise Forbidden(strings.ROLE_REQUIRED)
        # Browsers send cookies on their own: a state change through a cookie needs the CSRF token too.
        if staff.kind == "cookie" and request.method not in SAFE_METHODS:
            await _check_csrf(request, staff.csrf_token)
        return staff.user

    def __repr__(self) -> str:
        return f"Access({', '.join(sorted(self.roles))})"


class Public:
    """Marks a route as deliberately open to anyone (chat, brand pages, health, sign-in)."""

    def __call__(self) -> None:
        return None

    def __repr__(self) -> str:
        return "PUBLIC"


PUBLIC = Depends(Public())


def require(*roles: Role) -> object:
    """`dependencies=[require(Role.X)]` on a router or route."""
    return Depends(Access(*roles))


def staff_session(request: Request) -> StaffSession:
    """The session behind the current user (after an Access dependency has run)."""
    staff = optional_staff(request)
    if staff is None:
        raise Unauthenticated(strings.SIGN_IN_REQUIRED)
    return staff


CurrentStaffSession = Annotated[StaffSession, Depends(staff_session)]
AnyStaff = Annotated[StaffUser, Depends(Access())]
ReviewerUser = Annotated[StaffUser, Depends(Access(Role.MEDICAL_REVIEWER))]
PvUser = Annotated[StaffUser, Depends(Access(Role.PV_SPECIALIST))]
AdminUser = Annotated[StaffUser, Depends(Access(Role.ADMIN))]

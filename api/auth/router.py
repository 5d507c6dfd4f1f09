"""JSON sign-in for the staff API: a cookie session (browsers) or a bearer token (scripts)."""

from __future__ import annotations

from fastapi import APIRouter, Response, status

from api import strings
from api.auth import service
from api.auth.schemas import Credentials, SessionOut, StaffOut, TokenOut
from api.deps import PUBLIC, AnyStaff, CurrentStaffSession, RuntimeDep, SessionDep
from api.errors import Unauthenticated

router = APIRouter(prefix="/api/v1/auth", tags=["auth"])


def staff_out(user: object) -> StaffOut:
    """The public view of a staff user."""
    return StaffOut.model_validate(user)


@router.post("/session", dependencies=[PUBLIC])
def sign_in(body: Credentials, response: Response, session: SessionDep, runtime: RuntimeDep) -> SessionOut:
    """Sign in: sets the HttpOnly session cookie and returns the CSRF token for state changes."""
    result = service.sign_in(session, body.email, body.password)
    if result.user is None:
        session.commit()  # the failure counter and its audit event are kept
        raise Unauthenticated(strings.SIGN_IN_FAILED)
    issued = service.start_session(session, result.user, "cookie")
    session.commit()
    set_session_cookie(
        response, runtime.settings.session_cookie_name, issued.token, runtime.settings.cookie_secure
    )
    return SessionOut(user=staff_out(result.user), csrf_token=issued.csrf_token, expires_at=issued.expires_at)


@router.post("/tokens", status_code=status.HTTP_201_CREATED, dependencies=[PUBLIC])
def issue_token(body: Credentials, session: SessionDep) -> TokenOut:
    """A bearer token for scripts and integrations (expires; revoke with DELETE /api/v1/auth/session)."""
    result = service.sign_in(session, body.email, body.password)
    if result.user is None:
        session.commit()
        raise Unauthenticated(strings.SIGN_IN_FAILED)
    issued = service.start_session(session, result.user, "bearer")
    session.commit()
    return TokenOut(access_token=issued.token, expires_at=issued.expires_at)


@router.get("/me")
def me(user: AnyStaff) -> StaffOut:
    """The signed-in user."""
    return staff_out(user)


@router.delete("/session", status_code=status.HTTP_204_NO_CONTENT)
def sign_out(
    _: AnyStaff, staff: CurrentStaffSession, response: Response, session: SessionDep, runtime: RuntimeDep
) -> None:
    """Sign out: the session or token can never be used again."""
    row = session.merge(staff)
    service.end_session(session, row)
    session.commit()
    response.delete_cookie(runtime.settings.session_cookie_name, path="/")


def set_session_cookie(response: Response, name: str, token: str, secure: bool) -> None:
    """The staff session cookie: HttpOnly, SameSite=Strict, Secure in production."""
    response.set_cookie(name, token, httponly=True, samesite="strict", secure=secure, path="/")

"""Staff users, sign-in with lockout, and sessions; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, joinedload

from api import strings
from api.audit import service as audit
from api.audit.service import SYSTEM, Actor
from api.auth.models import StaffSession, StaffUser
from api.auth.passwords import dummy_hash, hash_password, verify_password
from api.auth.roles import Role
from api.db import utcnow
from api.errors import InvalidInput

# After this many failures in a row the account is locked, for longer each time it happens again.
LOCKOUT_THRESHOLD = 5
LOCKOUT_BASE = dt.timedelta(minutes=5)
LOCKOUT_MAX = dt.timedelta(hours=4)
SESSION_IDLE = dt.timedelta(minutes=30)
SESSION_ABSOLUTE = dt.timedelta(hours=12)
BEARER_LIFETIME = dt.timedelta(hours=8)


def actor_of(user: StaffUser) -> Actor:
    """The audit actor for a staff user."""
    return Actor(user.id, user.email)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def normalise_email(email: str) -> str:
    """E-mail addresses compare case-insensitively."""
    return email.strip().lower()


def create_user(
    session: Session,
    email: str,
    password: str,
    roles: list[Role],
    display_name: str | None = None,
    is_lead: bool = False,
    by: Actor = SYSTEM,
) -> StaffUser:
    """Create a staff user with roles (audited)."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidInput(strings.BAD_EMAIL)
    if session.scalar(select(StaffUser.id).where(StaffUser.email == email)):
        raise InvalidInput(strings.USER_EXISTS.format(email=email))
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    user = StaffUser(
        email=email,
        display_name=display_name or email.split("@")[0],
        password_hash=password_hash,
        role_names=sorted({r.value for r in roles}),
        is_lead=is_lead,
    )
    session.add(user)
    session.flush()
    audit.record(session, by, "user.created", "staff_user", user.id, reason=f"roles: {', '.join(user.role_names)}")
    return user


def set_roles(session: Session, user: StaffUser, roles: list[Role], by: Actor) -> None:
    """Replace a user's roles (audited with before and after)."""
    before = ",".join(user.role_names)
    user.role_names = sorted({r.value for r in roles})
    audit.record(
        session,
        by,
        "user.roles_changed",
        "staff_user",
        user.id,
        from_state=before[:40],
        to_state=",".join(user.role_names)[:40],
        reason=f"{before} -> {','.join(user.role_names)}",
    )


def user_by_email(session: Session, email: str) -> StaffUser | None:
    """An active or inactive user by e-mail."""
    return session.scalar(select(StaffUser).where(StaffUser.email == normalise_email(email)))


@dataclass(frozen=True)
class SignInResult:
    """A sign-in attempt: the user if it succeeded, else why not (for the audit, never shown in detail)."""

    user: StaffUser | None
    failure: str | None = None


def check_password(session: Session, user: StaffUser, password: str, purpose: str) -> bool:
    """Verify a user's password with lockout; every failure counts and is audited (sign-in or signature)."""
    now = utcnow()
    if user.locked_until is not None and user.locked_until > now:
        verify_password(dummy_hash(), password)
        audit.record(session, actor_of(user), f"{purpose}.refused_locked", "staff_user", user.id)
        return False
    if user.active and verify_password(user.password_hash, password):
        user.failed_logins = 0
        user.locked_until = None
        return True
    user.failed_logins += 1
    reason = "inactive account" if not user.active else "wrong password"
    if user.failed_logins >= LOCKOUT_THRESHOLD:
        rounds = user.failed_logins - LOCKOUT_THRESHOLD
        user.locked_until = now + min(LOCKOUT_BASE * (2**rounds), LOCKOUT_MAX)
        reason += f"; locked until {user.locked_until.isoformat(timespec='seconds')}"
    audit.record(session, actor_of(user), f"{purpose}.failed", "staff_user", user.id, reason=reason)
    return False


def sign_in(session: Session, email: str, password: str) -> SignInResult:
    """Check credentials; success and failure are both audited. The caller commits either way."""
    user = user_by_email(session, email)
    if user is None:
        verify_password(dummy_hash(), password)  # same cost as a real check
        audit.record(
            session,
            Actor(None, normalise_email(email)[:254]),
            "sign_in.failed",
            "staff_user",
            "unknown",
            reason="unknown e-mail",
        )
        return SignInResult(None, "unknown")
    if not check_password(session, user, password, "sign_in"):
        return SignInResult(None, "refused")
    user.last_login_at = utcnow()
    audit.record(session, actor_of(user), "sign_in.succeeded", "staff_user", user.id)
    return SignInResult(user)


@dataclass(frozen=True)
class IssuedSession:
    """A new session's secret token (shown once) and its CSRF token."""

    token: str
    csrf_token: str
    expires_at: dt.datetime


def start_session(session: Session, user: StaffUser, kind: str) -> IssuedSession:
    """Issue a cookie session or a bearer token for a signed-in user."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    lifetime = BEARER_LIFETIME if kind == "bearer" else SESSION_ABSOLUTE
    row = StaffSession(
        token_hash=_token_hash(token),
        user_id=user.id,
        kind=kind,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        last_seen_at=now,
        expires_at=now + lifetime,
    )
    session.add(row)
    session.flush()
    return IssuedSession(token, row.csrf_token, row.expires_at)


def resolve(session: Session, token: str, kind: str) -> StaffSession | None:
    """The live session a token names (not expired, idle, revoked or of a locked-out user)."""
    if not token or len(token) > 200:
        return None
    row = session.scalar(
        select(StaffSession)
        .options(joinedload(StaffSession.user))
        .where(StaffSession.token_hash == _token_hash(token), StaffSession.kind == kind)
    )
    now = utcnow()
    if row is None or row.revoked_at is not None or row.expires_at <= now or not row.user.active:
        return None
    if kind == "cookie" and row.last_seen_at + SESSION_IDLE <= now:
        return None
    if now - row.last_seen_at > dt.timedelta(seconds=30):  # keep writes off most requests
        session.execute(
            update(StaffSession).where(StaffSession.token_hash == row.token_hash).values(last_seen_at=now)
        )
    return row


def end_session(session: Session, row: StaffSession) -> None:
    """Sign out: the session can never be used again (audited)."""
    row.revoked_at = utcnow()
    audit.record(session, actor_of(row.user), "sign_out", "staff_user", row.user_id)


def users_with_role(session: Session, role: Role, leads_only: bool = False) -> list[StaffUser]:
    """Active users holding a role (JSON lists are filtered in Python: the table is small)."""
    query = select(StaffUser).where(StaffUser.active.is_(True))
    if leads_only:
        query = query.where(StaffUser.is_lead.is_(True))
    return [u for u in session.scalars(query.order_by(StaffUser.email)) if role in u.roles]


def count_users(session: Session) -> int:
    """How many staff users exist."""
    return int(session.scalar(select(func.count()).select_from(StaffUser)) or 0)

"""Staff users and their sessions (cookie or bearer); only token hashes are stored."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from api.auth.roles import Role
from api.db import Base, UTCDateTime, new_id, utcnow


class StaffUser(Base):
    """A signed-in person: medical reviewer, PV specialist, MLR approver, marketer or admin."""

    __tablename__ = "staff_user"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(200))
    role_names: Mapped[list[str]] = mapped_column("roles", JSON, default=list)
    # Leads receive SLA escalations of their role's queue.
    is_lead: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    @property
    def roles(self) -> frozenset[Role]:
        """The roles this user holds."""
        return frozenset(Role(name) for name in self.role_names if name in Role._value2member_map_)

    def has_any(self, roles: frozenset[Role]) -> bool:
        """Whether the user holds at least one of the roles."""
        return bool(self.roles & roles)


class StaffSession(Base):
    """One sign-in: a browser cookie or a bearer token for the JSON API."""

    __tablename__ = "staff_session"

    # SHA-256 of the token: a database leak does not hand out sessions.
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("staff_user.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[StaffUser] = relationship()

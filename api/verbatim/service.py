"""The only reader and writer of verbatim text: every read is audited in the caller's transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.audit.service import Actor
from api.errors import NotFound
from api.verbatim.models import VerbatimText


def keep(session: Session, exchange_id: str, text: str) -> VerbatimText:
    """Store the verbatim text of an exchange (AE report or compliance hold)."""
    row = VerbatimText(exchange_id=exchange_id, text=text)
    session.add(row)
    session.flush()
    return row


def exists(session: Session, exchange_id: str) -> bool:
    """Whether an exchange has verbatim text kept (without reading it)."""
    return session.scalar(select(VerbatimText.id).where(VerbatimText.exchange_id == exchange_id)) is not None


def read(session: Session, actor: Actor, exchange_id: str, reason: str) -> str:
    """The verbatim text of an exchange; the read is audited (the caller commits before showing it)."""
    row = session.scalar(select(VerbatimText).where(VerbatimText.exchange_id == exchange_id))
    if row is None:
        raise NotFound("verbatim text of exchange", exchange_id)
    audit.record(session, actor, "verbatim.read", "exchange", exchange_id, reason=reason)
    return row.text

"""The only reader and writer of verbatim text: stored encrypted, every read audited in the caller's session."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.audit.service import Actor
from api.errors import NotFound
from api.settings import Settings
from api.verbatim.crypto import cipher_for
from api.verbatim.models import VerbatimText

# Rows re-encrypted per flush when keys are rotated.
ROTATE_BATCH = 500


def keep(session: Session, settings: Settings, exchange_id: str, text: str) -> VerbatimText:
    """Store the verbatim text of an exchange (AE report or compliance hold), encrypted with the first key."""
    row = VerbatimText(exchange_id=exchange_id, ciphertext=cipher_for(settings).encrypt(text))
    session.add(row)
    session.flush()
    return row


def exists(session: Session, exchange_id: str) -> bool:
    """Whether an exchange has verbatim text kept (without reading it)."""
    return session.scalar(select(VerbatimText.id).where(VerbatimText.exchange_id == exchange_id)) is not None


def read(session: Session, settings: Settings, actor: Actor, exchange_id: str, reason: str) -> str:
    """The verbatim text of an exchange; the read is audited (the caller commits before showing it).

    A token no configured key opens raises VerbatimUnreadable: nothing is returned, nothing audited as read.
    """
    row = session.scalar(select(VerbatimText).where(VerbatimText.exchange_id == exchange_id))
    if row is None:
        raise NotFound("verbatim text of exchange", exchange_id)
    text = cipher_for(settings).decrypt(row.ciphertext)
    audit.record(session, actor, "verbatim.read", "exchange", exchange_id, reason=reason)
    return text


def rotate_keys(session: Session, settings: Settings) -> int:
    """Re-encrypt every row under the first key (no text leaves this function); returns the rows done."""
    cipher = cipher_for(settings)
    done = 0
    last_id = ""
    while True:
        rows = session.scalars(
            select(VerbatimText).where(VerbatimText.id > last_id).order_by(VerbatimText.id).limit(ROTATE_BATCH)
        ).all()
        if not rows:
            return done
        for row in rows:
            row.ciphertext = cipher.rotate(row.ciphertext)
        session.flush()
        done += len(rows)
        last_id = rows[-1].id

"""Writing, reading and verifying the audit trail; the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.audit.models import GENESIS_HASH, AuditEvent, AuditHead
from api.db import utcnow

HEAD_ID = 1


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff user (id and e-mail) or a named system process (no id)."""

    id: str | None
    label: str


SYSTEM = Actor(None, "system")
HCP = Actor(None, "hcp")


def _digest(event: AuditEvent) -> str:
    content = {
        "seq": event.seq,
        "at": event.at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        "actor_id": event.actor_id,
        "actor": event.actor,
        "action": event.action,
        "entity_type": event.entity_type,
        "entity_id": event.entity_id,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "reason": event.reason,
        "prev_hash": event.prev_hash,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: str,
    *,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEvent:
    """Append one event to the chain, in the caller's transaction."""
    # The UPDATE locks the head row until commit (PostgreSQL) or takes the write lock (SQLite).
    row = session.execute(
        update(AuditHead)
        .where(AuditHead.id == HEAD_ID)
        .values(seq=AuditHead.seq + 1)
        .returning(AuditHead.seq, AuditHead.last_hash)
    ).one_or_none()
    if row is None:
        raise RuntimeError("the audit head row is missing: run the migrations")
    seq, prev_hash = row
    event = AuditEvent(
        seq=seq,
        at=at or utcnow(),
        actor_id=actor.id,
        actor=actor.label[:254],
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        prev_hash=prev_hash,
    )
    event.hash = _digest(event)
    session.add(event)
    session.execute(update(AuditHead).where(AuditHead.id == HEAD_ID).values(last_hash=event.hash))
    session.flush()
    return event


def history(session: Session, entity_type: str, entity_id: str) -> list[AuditEvent]:
    """The events of one record, oldest first."""
    return list(
        session.scalars(
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.seq)
        )
    )


@dataclass(frozen=True)
class Verification:
    """The result of walking the chain: how many rows, and the first broken one if any."""

    rows: int
    broken_seq: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole chain holds."""
        return self.broken_seq is None and self.problem is None


def verify(session: Session, batch: int = 5000) -> Verification:
    """Walk the chain in order: recompute each hash and check each link and sequence number."""
    expected_prev, expected_seq, rows = GENESIS_HASH, 1, 0
    last_seq = 0
    while True:
        events = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.seq > last_seq).order_by(AuditEvent.seq).limit(batch)
            )
        )
        if not events:
            break
        for event in events:
            rows += 1
            if event.seq != expected_seq:
                return Verification(rows, expected_seq, f"row {expected_seq} is missing (next is {event.seq})")
            if event.prev_hash != expected_prev:
                return Verification(rows, event.seq, f"row {event.seq} does not link to row {event.seq - 1}")
            if _digest(event) != event.hash:
                return Verification(rows, event.seq, f"row {event.seq} was altered: its hash does not match")
            expected_prev, expected_seq = event.hash, event.seq + 1
        last_seq = events[-1].seq
        session.expunge_all()
    head = session.get(AuditHead, HEAD_ID)
    if head is not None and (head.seq != expected_seq - 1 or head.last_hash != expected_prev):
        return Verification(rows, expected_seq, f"rows after {expected_seq - 1} were deleted (head is {head.seq})")
    return Verification(rows)

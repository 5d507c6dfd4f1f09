"""One audited change of a case field: every correction (PV) and follow-up answer (chat) goes through here."""

from __future__ import annotations

from enum import Enum
from typing import Any

from sqlalchemy.orm import Session

from api.ae_cases.models import AeCase
from api.audit import service as audit
from api.audit.service import Actor

# Values the audit trail names without showing (the trail is read more widely than the case).
MASKED_FIELDS = frozenset({"patient_initials"})
MASK = "[withheld]"
STATE_CHARS = 40
REASON_CHARS = 4000


def shown(value: Any) -> str:
    """A field value as the audit trail and the screens write it."""
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list | tuple):
        return ", ".join(shown(v) for v in value)
    return str(value)


def change_field(session: Session, case: AeCase, name: str, value: Any, actor: Actor, action: str) -> bool:
    """Set one field if it differs, auditing `name: from → to`; whether it changed."""
    old = getattr(case, name)
    if old == value:
        return False
    setattr(case, name, value)
    before, after = shown(old), shown(value)
    if name in MASKED_FIELDS:
        before, after = (MASK if old else "–"), (MASK if value else "–")
    audit.record(
        session,
        actor,
        action,
        "ae_case",
        case.id,
        from_state=before[:STATE_CHARS],
        to_state=after[:STATE_CHARS],
        reason=f"{name}: {before} → {after}"[:REASON_CHARS],
    )
    return True

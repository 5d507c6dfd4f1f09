"""Applying and checking electronic signatures; the caller owns the transaction."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy.orm import Session

from api import strings
from api.audit import service as audit
from api.auth.models import StaffUser
from api.auth.service import actor_of, check_password
from api.db import utcnow
from api.errors import Unauthenticated
from api.esign.models import Signature


def content_hash(text: str) -> str:
    """The SHA-256 that binds a signature to one exact text."""
    return hashlib.sha256(text.encode()).hexdigest()


def sign(
    session: Session,
    user: StaffUser,
    password: str,
    meaning: str,
    entity_type: str,
    entity_id: str,
    content: str,
    prefix: str,
) -> Signature:
    """Sign a text: the signer re-enters the password (failures count toward lockout and are audited)."""
    if not check_password(session, user, password, "signature"):
        raise Unauthenticated(strings.SIGNATURE_PASSWORD)
    now = utcnow()
    signature = Signature(
        reference=f"{prefix}-{now:%Y%m%d}-{secrets.token_hex(3).upper()}",
        signer_id=user.id,
        signer_name=user.display_name,
        meaning=meaning,
        signed_at=now,
        entity_type=entity_type,
        entity_id=entity_id,
        content_sha256=content_hash(content),
    )
    session.add(signature)
    session.flush()
    audit.record(
        session,
        actor_of(user),
        "signature.applied",
        entity_type,
        entity_id,
        reason=f"{signature.reference}: {meaning}",
    )
    return signature


def is_valid(signature: Signature | None, content: str | None) -> bool:
    """Whether a signature still covers a text: any later edit voids it."""
    return signature is not None and content is not None and signature.content_sha256 == content_hash(content)

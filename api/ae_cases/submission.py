"""Submitting a case to the safety database: an e-signed E2B(R3) ICSR per case version, validated against the
kept schema, recorded, then dropped in the outbound directory (the AS2 gateway's pick-up point).

Exports are idempotent per case version: one row per (case, version), and delivering it again writes the
same bytes to the same file name. A follow-up after submission is a new version with the same case ids."""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from api import strings
from api.ae_cases import e2b
from api.ae_cases.models import AE_CASE_WORKFLOW, AeCase, AeCaseExport, AeCaseStatus
from api.audit import service as audit
from api.audit.service import Actor
from api.auth.models import StaffUser
from api.auth.service import actor_of
from api.db import utcnow
from api.errors import Conflict, NotFound
from api.esign import service as esign
from api.settings import Settings
from api.workflow import transition

log = logging.getLogger(__name__)

# What a PV specialist's signature on a submission means, stored with it.
SUBMIT_MEANING = "submitted to the safety database as an ICSR"
SIGNATURE_PREFIX = "PV"
DELIVERY_ACTOR = Actor(None, "system:e2b-delivery")


def envelope(settings: Settings, version: int) -> e2b.Envelope:
    """The message header values of a new export, from this deployment's settings."""
    return e2b.Envelope(
        version=version,
        created_at=utcnow(),
        sender_id=settings.e2b_sender_id,
        receiver_id=settings.e2b_receiver_id,
        sender_organisation=settings.e2b_sender_organisation,
    )


def kind_of(version: int) -> str:
    """'initial' for the first version of a case, 'follow-up' after."""
    return "initial" if version == 1 else "follow-up"


def submit(session: Session, case: AeCase, user: StaffUser, password: str, settings: Settings) -> AeCaseExport:
    """Sign and record the next version's ICSR (validated first); the caller commits, then delivers it."""
    if case.status is not AeCaseStatus.READY:
        raise Conflict(strings.TRANSITION_REFUSED.format(action="submit", state=case.status.value))
    if not case.is_valid_case:
        raise Conflict(strings.AE_CASE_NOT_VALID.format(missing=", ".join(case.missing_criteria)))
    version = case.version + 1
    xml = e2b.build(case, envelope(settings, version))
    try:
        e2b.validate(xml)
    except e2b.InvalidExport as exc:
        log.error("case %s version %d: E2B export invalid: %s", case.id, version, exc)
        raise Conflict(strings.AE_EXPORT_INVALID.format(problem=exc)) from exc
    signature = esign.sign(session, user, password, SUBMIT_MEANING, "ae_case", case.id, xml, SIGNATURE_PREFIX)
    actor = actor_of(user)
    transition(
        session, AE_CASE_WORKFLOW, case, "submit", actor, reason=f"{signature.reference}: version {version}"
    )
    digest = hashlib.sha256(xml.encode()).hexdigest()
    export = AeCaseExport(
        case_id=case.id,
        version=version,
        message_id=e2b.message_id(case, version),
        filename=e2b.filename(case, version),
        content_sha256=digest,
        xml=xml,
        signature_id=signature.id,
        exported_by_id=user.id,
    )
    session.add(export)
    # A chat question still open stays open: its answer reopens the case for a follow-up version.
    case.version, case.submitted_at = version, utcnow()
    session.flush()
    audit.record(
        session,
        actor,
        "ae_case.exported",
        "ae_case",
        case.id,
        to_state=f"v{version}",
        reason=f"E2B(R3) {kind_of(version)} version {version}: {export.filename} "
        f"(sha256 {digest}, {signature.reference})",
    )
    return export


def get_export(session: Session, case: AeCase, version: int) -> AeCaseExport:
    """One version's export, or NotFound."""
    export = session.scalar(
        select(AeCaseExport).where(AeCaseExport.case_id == case.id, AeCaseExport.version == version)
    )
    if export is None:
        raise NotFound("E2B export", f"{case.case_number} v{version}")
    return export


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed: the gateway never picks up half a file.
    handle, temporary = tempfile.mkstemp(prefix=".", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def deliver(session: Session, export: AeCaseExport, settings: Settings) -> Path:
    """Put the export's file in the outbound directory (same name, same bytes: safe to repeat)."""
    path = Path(settings.e2b_outbound_dir) / export.filename
    data = export.xml.encode()
    if not path.exists() or path.read_bytes() != data:
        _write_atomically(path, data)
    if export.delivered_at is None:
        export.delivered_at = utcnow()
        audit.record(
            session,
            DELIVERY_ACTOR,
            "ae_case.export_delivered",
            "ae_case",
            export.case_id,
            to_state=f"v{export.version}",
            reason=f"{export.filename} dropped in {path.parent}",
        )
    return path


def deliver_committed(session: Session, export_ids: list[str], settings: Settings) -> None:
    """After the submission's commit: drop each export, committing each; a failure is left to the beat task."""
    for export_id in export_ids:
        export = session.get(AeCaseExport, export_id)
        if export is None:
            continue
        try:
            deliver(session, export, settings)
            session.commit()
        except OSError:
            session.rollback()
            log.exception("E2B export %s not dropped; the beat task retries", export.filename)


def undelivered(session: Session, limit: int = 200) -> list[AeCaseExport]:
    """Exports recorded but not yet dropped in the outbound directory (the request failed after commit)."""
    return list(
        session.scalars(
            select(AeCaseExport)
            .where(AeCaseExport.delivered_at.is_(None))
            .order_by(AeCaseExport.created_at)
            .limit(limit)
        )
    )

"""Verbatim HCP text for drug safety: every read is audited and committed before the text is returned."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel

from api.auth.models import StaffUser
from api.auth.roles import VERBATIM_ROLES
from api.auth.service import actor_of
from api.deps import Access, RuntimeDep, SessionDep
from api.verbatim import service

# Recorded with the read when the caller gives no reason of its own.
DEFAULT_READ_REASON = "drug safety review"

VerbatimReader = Annotated[StaffUser, Depends(Access(*VERBATIM_ROLES))]

router = APIRouter(prefix="/api/v1/exchanges", tags=["verbatim"])


class VerbatimOut(BaseModel):
    """The exact text the HCP typed (personal data included)."""

    exchange_id: str
    text: str


_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"description": "Not signed in."},
    403: {"description": "Only drug-safety (PV) specialists read verbatim text."},
    404: {"description": "No verbatim text was kept for this exchange."},
    500: {"description": "The stored text cannot be decrypted with the configured keys (nothing is shown)."},
}


@router.get("/{exchange_id}/verbatim", summary="Read an exchange's verbatim text (audited)", responses=_ERRORS)
def read_verbatim(
    exchange_id: str,
    user: VerbatimReader,
    session: SessionDep,
    runtime: RuntimeDep,
    response: Response,
    reason: Annotated[str, Query(min_length=1, max_length=200, description="Why it is read (audited).")] = (
        DEFAULT_READ_REASON
    ),
) -> VerbatimOut:
    """The unredacted text of an AE report or compliance hold; the read is in the audit trail before you see it."""
    text = service.read(session, runtime.settings, actor_of(user), exchange_id, reason)
    session.commit()
    response.headers["Cache-Control"] = "no-store"
    return VerbatimOut(exchange_id=exchange_id, text=text)

"""POST /api/v1/moderation: the compliance assessment of one text, for internal callers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, ConfigDict, Field

from api.deps import require_service_token
from api.moderation.service import ModerationContext, moderate

__all__ = ["require_service_token", "router"]


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20000)
    product_in_conversation: bool = False
    reporter_identified: bool | None = None


router = APIRouter(prefix="/api/v1", tags=["moderation"], dependencies=[Depends(require_service_token)])


@router.post("/moderation")
def moderation(body: ModerationIn) -> dict[str, Any]:
    """The same JSON as `python -m compliance assess`, for one text."""
    context = ModerationContext(body.product_in_conversation, body.reporter_identified)
    return moderate(body.text, context).to_dict()

"""POST /api/v1/moderation: the compliance assessment of one text, for internal callers."""

from __future__ import annotations

import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header
from pydantic import BaseModel, ConfigDict, Field

from api import strings
from api.deps import RuntimeDep
from api.errors import DomainError
from api.moderation.service import ModerationContext, moderate


class Unauthorized(DomainError):
    status_code = 401


class ModerationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20000)
    product_in_conversation: bool = False
    reporter_identified: bool | None = None


def require_service_token(runtime: RuntimeDep, authorization: Annotated[str | None, Header()] = None) -> None:
    """Internal callers authenticate with `Authorization: Bearer <SERVICE_TOKEN>`."""
    expected = runtime.settings.service_token.get_secret_value()
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not secrets.compare_digest(token.encode(), expected.encode()):
        raise Unauthorized(strings.SERVICE_TOKEN_REQUIRED)


router = APIRouter(prefix="/api/v1", tags=["moderation"], dependencies=[Depends(require_service_token)])


@router.post("/moderation")
def moderation(body: ModerationIn) -> dict[str, Any]:
    """The same JSON as `python -m compliance assess`, for one text."""
    context = ModerationContext(body.product_in_conversation, body.reporter_identified)
    return moderate(body.text, context).to_dict()

"""The answer to a chat request refused by a limit: 429, Retry-After, and the approved 'please wait' item."""

from __future__ import annotations

from typing import Any

from fastapi import status
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api import strings
from api.content.service import ApprovedContent
from api.conversations.schemas import ReplyOut
from api.limits import RateLimited

PLEASE_WAIT_TOPIC = "please_wait"


class PleaseWaitOut(BaseModel):
    """Refused for now, and not recorded: send it again after `retry_after` seconds (also `Retry-After`)."""

    detail: str
    retry_after: int
    # The approved 'please wait' item, for the widget to show with its approval code.
    replies: list[ReplyOut]


PLEASE_WAIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    status.HTTP_429_TOO_MANY_REQUESTS: {
        "model": PleaseWaitOut,
        "description": "Over a limit, or the conversation's previous message is still being answered.",
        "headers": {"Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}},
    }
}


def please_wait(content: ApprovedContent, refused: RateLimited) -> JSONResponse:
    """The 429 for a refused request, carrying the approved item (none if it is not servable today)."""
    item = content.system(PLEASE_WAIT_TOPIC)
    body = PleaseWaitOut(
        detail=strings.RATE_LIMITED[refused.scope.value].format(seconds=refused.retry_after),
        retry_after=refused.retry_after,
        replies=[ReplyOut(**item.reply())] if item is not None else [],
    )
    return JSONResponse(
        body.model_dump(),
        status_code=status.HTTP_429_TOO_MANY_REQUESTS,
        headers={"Retry-After": str(refused.retry_after)},
    )

"""The model's parse of each part of a question that asks several things, from Rasa's own /model/parse.

The action server asks the Rasa server that called it (RASA_PARSE_URL, with RASA_TOKEN) to classify each part
(`bot.routing.parts`) in parallel. Any failure returns no parts: the judgement then falls back to matching the
parts against the items' examples, so a slow or missing parse never costs the answer to a single question.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import Any

import aiohttp

from bot.routing import Parse, parts

log = logging.getLogger(__name__)
PARSE_TIMEOUT_SECONDS = 2.0
MAX_PARTS = 4


async def _parse(session: aiohttp.ClientSession, url: str, token: str, text: str) -> dict[str, Any]:
    async with session.post(f"{url}/model/parse", params={"token": token}, json={"text": text}) as response:
        response.raise_for_status()
        body: dict[str, Any] = await response.json()
        return body


async def part_parses(text: str) -> tuple[Parse, ...]:
    """The parses of the question's parts, or () when it has one part or the parse is not available."""
    pieces = parts(text)
    url, token = os.environ.get("RASA_PARSE_URL", "").rstrip("/"), os.environ.get("RASA_TOKEN", "")
    if len(pieces) < 2 or len(pieces) > MAX_PARTS or not url or not token:
        return ()
    timeout = aiohttp.ClientTimeout(total=PARSE_TIMEOUT_SECONDS)
    try:
        async with aiohttp.ClientSession(timeout=timeout) as session:
            results = await asyncio.gather(*(_parse(session, url, token, piece) for piece in pieces))
    except (TimeoutError, aiohttp.ClientError, ValueError) as error:
        log.warning("part parses unavailable (%s): parts matched by examples instead", type(error).__name__)
        return ()
    return tuple(Parse.from_rasa(result) for result in results)

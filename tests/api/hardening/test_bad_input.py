"""Bad input never crashes and never echoes (issue 7, findings 4, 5 and 7): 4xx with a clear message."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api import strings
from api.db import session_factory
from api.main import MAX_BODY_BYTES, create_app
from api.models import Exchange
from api.settings import Settings
from tests.api.conftest import start_conversation
from tests.api.hardening.support import PII_MRN, PII_NAME

JSON = {"content-type": "application/json"}
# A JSON string with a lone surrogate: valid JSON, not encodable as UTF-8.
LONE_SURROGATE = f'"dose \\ud800 quelvarimab for {PII_NAME} {PII_MRN}"'


def _no_echo(body: str) -> None:
    assert PII_NAME not in body and "48213377" not in body
    assert "\\ud800" not in body and '"input"' not in body


def test_a_lone_surrogate_in_message_text_gives_422(staff_client: TestClient) -> None:
    conversation_id = start_conversation(staff_client)
    response = staff_client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        content=f'{{"text": {LONE_SURROGATE}}}'.encode(),
        headers=JSON,
    )
    assert response.status_code == 422, response.text
    assert response.json() == {
        "detail": [
            {
                "loc": ["body", "text"],
                "msg": "Input should be a valid string, unable to parse raw data as a unicode string",
                "type": "string_unicode",
            }
        ]
    }
    _no_echo(response.text)


def test_a_lone_surrogate_in_the_hcp_name_gives_422(staff_client: TestClient) -> None:
    response = staff_client.post(
        "/api/v1/conversations", content=f'{{"hcp": {{"name": {LONE_SURROGATE}}}}}'.encode(), headers=JSON
    )
    assert response.status_code == 422, response.text
    assert [e["loc"] for e in response.json()["detail"]] == [["body", "hcp", "name"]]
    _no_echo(response.text)


def test_validation_errors_give_location_message_and_type_only(staff_client: TestClient) -> None:
    bad = {"hcp": {"npi": f"{PII_NAME} {PII_MRN}", f"{PII_NAME} {PII_MRN}": 1, "consent": "maybe"}}
    response = staff_client.post("/api/v1/conversations", json=bad)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert all(set(error) == {"loc", "msg", "type"} for error in errors)
    assert {tuple(e["loc"]) for e in errors} == {
        ("body", "hcp", "npi"),
        ("body", "hcp", "consent"),
        ("body", "hcp", strings.UNNAMED_FIELD),  # an unexpected key is input too: not echoed
    }
    _no_echo(response.text)


def test_malformed_json_is_a_422_naming_the_problem_not_the_body(staff_client: TestClient) -> None:
    response = staff_client.post("/api/v1/conversations", content=f'{{"hcp": "{PII_NAME}'.encode(), headers=JSON)
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    assert error["type"] == "json_invalid" and error["msg"].startswith("the body is not valid JSON: ")
    _no_echo(response.text)


def _exchanges(settings: Settings) -> int:
    with session_factory(settings.sqlalchemy_url)() as session:
        return session.scalar(select(func.count()).select_from(Exchange)) or 0


def test_text_that_shows_nothing_is_blank(staff_client: TestClient, offline_settings: Settings) -> None:
    conversation_id = start_conversation(staff_client)
    url = f"/api/v1/conversations/{conversation_id}/messages"
    for invisible in (
        "\u200b\u200b\u200b",  # zero-width spaces
        "\u200c\u200d\u2060\ufeff",  # joiners, word joiner, byte-order mark
        "\x01\x07\x1b",  # control characters
        "\u00a0\u2003\u3000\u2028",  # whitespace-like spaces and a line separator
        "\u3164\u115f\u2800",  # Hangul fillers and a blank braille pattern
        "\u202e\u0301",  # a bidi override and a lone combining accent
    ):
        response = staff_client.post(url, json={"text": invisible})
        assert response.status_code == 422, (invisible, response.text)
        assert response.json() == {"detail": strings.BLANK_TEXT}
    assert _exchanges(offline_settings) == 0  # nothing stored, no review item possible


def test_control_characters_inside_real_text_are_dropped_not_stored(
    staff_client: TestClient, offline_settings: Settings
) -> None:
    conversation_id = start_conversation(staff_client)
    response = staff_client.post(
        f"/api/v1/conversations/{conversation_id}/messages",
        json={"text": "how\x07 do I store\u200b quel\x1bvanti"},
    )
    assert response.status_code == 200, response.text
    assert _exchanges(offline_settings) == 1


def test_a_nul_character_anywhere_is_a_4xx_not_a_database_error(staff_client: TestClient) -> None:
    """PostgreSQL refuses NUL in any text value, even in a query's parameter: each of these was a 500 there."""
    nul_in_name = staff_client.post("/api/v1/conversations", json={"hcp": {"name": "Dr A\x00 Smith"}})
    nul_in_email = staff_client.post("/api/v1/auth/session", json={"email": "a\x00@b.example", "password": "x"})
    nul_in_path = staff_client.get("/api/v1/review-items/%00abc")
    nul_in_query = staff_client.get("/api/v1/review-items", params={"topic": "\x00"})
    nul_in_form = staff_client.post(
        "/staff/login",
        content=b"email=a%00b&password=x",
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    for response in (nul_in_name, nul_in_email, nul_in_form):
        assert response.status_code == 422, response.text
        assert response.json() == {"detail": strings.NUL_REFUSED}
    for response in (nul_in_path, nul_in_query):
        assert response.status_code == 400, response.text


def test_the_text_backslash_u0000_is_not_a_nul(staff_client: TestClient) -> None:
    # An escaped backslash: the HCP typed the six characters \u0000, which is harmless text.
    response = staff_client.post("/api/v1/conversations", json={"hcp": {"name": "Dr \\u0000 Smith"}})
    assert response.status_code == 201, response.text


def test_a_declared_length_over_the_cap_is_refused_before_reading(staff_client: TestClient) -> None:
    response = staff_client.post(
        "/api/v1/conversations", content=b"{}", headers={**JSON, "content-length": str(MAX_BODY_BYTES + 1)}
    )
    assert response.status_code == 413
    assert response.json() == {"detail": strings.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES)}


def test_a_chunked_body_over_the_cap_gets_413(staff_client: TestClient) -> None:
    def chunks() -> Any:
        for _ in range(64):  # 1 MB in 16 KB chunks, with no Content-Length: sent chunked
            yield b" " * 16384

    response = staff_client.post("/api/v1/conversations", content=chunks(), headers=JSON)
    assert response.status_code == 413
    assert response.json() == {"detail": strings.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES)}


def test_the_cap_stops_reading_a_streamed_body_as_soon_as_it_is_passed(offline_settings: Settings) -> None:
    """Called as a server calls it: the app pulls chunks one by one and must stop just past 64 KB."""
    app = create_app(offline_settings)
    pulled = 0
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> dict[str, Any]:
        nonlocal pulled
        pulled += 1
        await asyncio.sleep(0)
        # 10 MB in 16 KB chunks: the app must stop pulling long before the end.
        return {"type": "http.request", "body": b" " * 16384, "more_body": pulled < 640}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/v1/conversations",
        "raw_path": b"/api/v1/conversations",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"testserver"),
            (b"content-type", b"application/json"),
            (b"transfer-encoding", b"chunked"),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(asyncio.wait_for(app(scope, receive, send), timeout=10))

    assert sent[0]["status"] == 413
    assert pulled == MAX_BODY_BYTES // 16384 + 1  # the chunk that passed the cap was the last one read
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    assert json.loads(body) == {"detail": strings.BODY_TOO_LARGE.format(limit=MAX_BODY_BYTES)}

"""Only the API talks to Rasa and the action server: an outsider who reaches their ports is refused.

Against the real stack started by `python -m scripts.run`: every route an attacker used in issue 7 (tracker read,
webhook post as a real conversation, message injection, model delete, a direct action call) answers 401 without
the token and with a wrong one, nothing reaches the tracker, and the API still answers chat messages.
"""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.conftest import Stack, rasa_tracker

PII_MESSAGE = "my patient John Smith MRN 12345678 had liver failure on quelvarimab"
WRONG = {"none": None, "wrong": "not-the-token", "empty": ""}
Conversation = tuple[str, dict[str, str]]  # id, and the headers carrying its secret


@pytest.fixture(scope="module")
def conversation(stack: Stack) -> Conversation:
    """A real conversation, started and used through the API as an HCP would."""
    body = httpx.post(f"{stack.api_url}/api/v1/conversations", json={}, timeout=10).json()
    headers = {"X-Conversation-Secret": body["secret"]}
    reply = httpx.post(
        f"{stack.api_url}/api/v1/conversations/{body['id']}/messages",
        json={"text": "what is quelvanti indicated for"},
        headers=headers,
        timeout=30,
    )
    assert reply.status_code == 200 and reply.json()["route"] == "answered", reply.text
    return body["id"], headers


def _user_texts(stack: Stack, conversation_id: str) -> list[str]:
    events = rasa_tracker(stack.rasa_url, conversation_id)["events"]
    return [event["text"] for event in events if event["event"] == "user"]


def _bearer(token: str | None) -> dict[str, str]:
    return {} if token is None else {"Authorization": f"Bearer {token}".strip()}


def _query(token: str | None) -> dict[str, str]:
    return {} if token is None else {"token": token}


@pytest.mark.parametrize("credential", WRONG)
def test_rasa_http_api_refuses_outsiders(stack: Stack, conversation: Conversation, credential: str) -> None:
    conversation_id = conversation[0]
    token = WRONG[credential]
    rasa = httpx.Client(base_url=stack.rasa_url, timeout=10, params=_query(token), headers=_bearer(token))
    with rasa:
        calls = {
            "tracker read": rasa.get(f"/conversations/{conversation_id}/tracker"),
            "message injection": rasa.post(
                f"/conversations/{conversation_id}/messages", json={"text": PII_MESSAGE, "sender": "user"}
            ),
            "event injection": rasa.post(
                f"/conversations/{conversation_id}/tracker/events", json={"event": "slot", "name": "x", "value": 1}
            ),
            "action trigger": rasa.post(
                f"/conversations/{conversation_id}/execute", json={"name": "action_reply"}
            ),
            "model delete": rasa.delete("/model"),
            "model replace": rasa.put("/model", json={"model_file": "/tmp/other.tar.gz"}),
            "parse": rasa.post("/model/parse", json={"text": PII_MESSAGE}),
            "status": rasa.get("/status"),
        }
    refused = {name: response.status_code for name, response in calls.items()}
    assert refused == dict.fromkeys(calls, 401), refused
    # Nothing was injected and the model is still loaded for every HCP.
    assert _user_texts(stack, conversation_id) == ["what is quelvanti indicated for"]
    status = httpx.get(f"{stack.rasa_url}/status", params={"token": stack.rasa_token}, timeout=10)
    assert status.status_code == 200 and status.json()["model_id"]


@pytest.mark.parametrize("credential", WRONG)
def test_rest_webhook_refuses_a_post_as_a_real_conversation(
    stack: Stack, conversation: Conversation, credential: str
) -> None:
    conversation_id = conversation[0]
    token = WRONG[credential]
    response = httpx.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": conversation_id, "message": PII_MESSAGE},
        headers=_bearer(token),
        params=_query(token),  # Rasa's HTTP API token does not open the channel either
        timeout=30,
    )
    assert response.status_code == 401, response.text
    # The compliance layer was not skipped: no name or MRN reached the tracker.
    tracker = json.dumps(rasa_tracker(stack.rasa_url, conversation_id))
    assert "John Smith" not in tracker and "12345678" not in tracker
    assert _user_texts(stack, conversation_id) == ["what is quelvanti indicated for"]


@pytest.mark.parametrize("credential", WRONG)
def test_action_server_accepts_only_rasa(stack: Stack, credential: str) -> None:
    token = WRONG[credential]
    call = {
        "next_action": "action_reply",
        "sender_id": "outsider",
        "version": "3.6.21",
        "domain": {},
        "tracker": {"sender_id": "outsider", "slots": {}, "latest_message": {"intent": {"name": "ask_isi"}}},
    }
    with httpx.Client(base_url=stack.actions_url, timeout=10, headers=_bearer(token)) as actions:
        assert actions.post("/webhook", json=call).status_code == 401
        assert actions.get("/actions").status_code == 401
        # The liveness probe stays open (on loopback only) and says nothing.
        assert actions.get("/health").json() == {"status": "ok"}


def _listening_addresses(port: int) -> set[str]:
    """The local addresses with a listening TCP socket on the port (from /proc/net)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def test_rasa_the_action_server_and_the_api_listen_on_loopback_only(stack: Stack) -> None:
    loopback = "0100007F"  # 127.0.0.1, little-endian hex
    for url in (stack.rasa_url, stack.actions_url, stack.api_url):
        port = httpx.URL(url).port
        assert port is not None
        assert _listening_addresses(port) == {loopback}, url


def test_the_api_still_answers_and_rasa_hears_it_under_the_server_side_conversation_id(
    stack: Stack, conversation: Conversation
) -> None:
    conversation_id, headers = conversation
    reply = httpx.post(
        f"{stack.api_url}/api/v1/conversations/{conversation_id}/messages",
        # A client cannot choose whom Rasa thinks it is: a sender in the body is not used.
        json={"text": "how do I store the pens", "sender": "someone-else"},
        headers=headers,
        timeout=30,
    )
    assert reply.status_code in (200, 422), reply.text
    if reply.status_code == 200:
        assert reply.json()["route"] == "answered"
        assert _user_texts(stack, conversation_id)[-1] == "how do I store the pens"
    assert _user_texts(stack, "someone-else") == []

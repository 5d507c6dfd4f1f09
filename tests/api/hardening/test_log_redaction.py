"""Request bodies, message text and exception messages never reach a log file (issue 7, finding 4)."""

from __future__ import annotations

import json
import logging
import select
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import uvicorn

from api.chat import flow
from api.logging_config import LogContext, bind, configure_logging, unbind
from api.main import create_app
from api.settings import Settings
from tests.api.hardening.support import PII_MRN, PII_NAME

SECRET_WORDS = (PII_NAME, "48213377", "Smithfield", "quelvarimab for")


def _assert_clean(log_file: Path) -> list[dict[str, object]]:
    text = log_file.read_text(encoding="utf-8")
    for word in SECRET_WORDS:
        assert word not in text, f"{word!r} reached the log:\n{text}"
    return [json.loads(line) for line in text.splitlines()]  # every line is one JSON object


@pytest.fixture
def log_file(tmp_path: Path, offline_settings: Settings) -> Iterator[Path]:
    path = tmp_path / "api.log"
    yield path
    configure_logging(offline_settings, "api")  # back to stderr only


def test_records_carrying_input_are_redacted_by_the_real_config(
    offline_settings: Settings, log_file: Path
) -> None:
    configure_logging(offline_settings.model_copy(update={"log_file": log_file}), "worker")
    token = bind(LogContext(request_id="req-redaction-1"))
    try:
        try:
            raise ValueError(f"could not store 'dose for {PII_NAME} {PII_MRN}'")
        except ValueError:
            logging.getLogger("api.chat.flow").exception("turn failed")
        try:
            try:
                b"\xff".decode()
            except UnicodeDecodeError as exc:
                raise RuntimeError(f"while parsing {PII_NAME}") from exc
        except RuntimeError as exc:
            logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
            logging.getLogger("api.jobs").warning("send failed: %s", exc)
        body = f'{{"text": "{PII_NAME} {PII_MRN}"}}'.encode()
        logging.getLogger("api").info("body was %r", body)
        context = {
            "name": "review_queue.sweep",
            "id": "t-1",
            "exc": f"IntegrityError('{PII_MRN}')",
            "args": [PII_NAME],
        }
        logging.getLogger("celery.app.trace").error("Task %(name)s[%(id)s] raised: %(exc)s %(args)s", context)
        logging.getLogger("uvicorn.access").info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:1", "GET", f"/staff/queue?q={PII_NAME}", "1.1", 200
        )
        logging.getLogger("api").error(ValueError(PII_NAME))
    finally:
        unbind(token)

    lines = _assert_clean(log_file)
    assert len(lines) == 7
    assert {line["request_id"] for line in lines} == {"req-redaction-1"}
    assert all(line["service"] == "worker" for line in lines)
    first = lines[0]
    assert first["message"] == "turn failed"
    assert "ValueError (message withheld)" in str(first["exc"]) and "test_log_redaction.py" in str(first["exc"])
    assert "UnicodeDecodeError (message withheld)" in str(lines[1]["exc"])
    assert lines[2]["message"] == "send failed: RuntimeError"
    assert lines[3]["message"] == "body was '<45 bytes withheld>'"
    assert (
        lines[4]["message"] == "Task review_queue.sweep[t-1] raised: IntegrityError (message withheld) <withheld>"
    )
    assert lines[5]["message"] == '127.0.0.1:1 - "GET /staff/queue HTTP/1.1" 200'


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def served_api(offline_settings: Settings, log_file: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app under a real uvicorn, started as `make run` starts it (factory, uvicorn's own logging first)."""

    def failing_moderation(text: str, *_: object) -> object:
        raise RuntimeError(f"detector crashed on {text!r}")

    monkeypatch.setattr(flow, "moderate", failing_moderation)
    settings = offline_settings.model_copy(update={"log_file": log_file})
    port = _free_port()
    config = uvicorn.Config(
        lambda: create_app(settings), factory=True, host="127.0.0.1", port=port, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _post_chunked_until_answered(base_url: str) -> int:
    """Stream a chunked body as a browser would, reading the answer as soon as the server sends one."""
    host, port = base_url.removeprefix("http://").split(":")
    head = f"POST /api/v1/conversations HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall((head + "Transfer-Encoding: chunked\r\n\r\n").encode())
        chunk = f'{{"hcp": {{"name": "{PII_NAME} '.encode() + b" " * 16000
        for _ in range(2000):  # up to 32 MB, but the server answers after 64 KB
            if select.select([sock], [], [], 0)[0]:
                break
            sock.sendall(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
            time.sleep(0.001)
        status_line = sock.recv(64).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


def test_a_served_api_logs_no_body_and_no_message_text(served_api: str, log_file: Path) -> None:
    surrogate = f'{{"hcp": {{"name": "Dr \\ud800 {PII_NAME} {PII_MRN}"}}}}'.encode()
    with httpx.Client(base_url=served_api, timeout=10) as client:
        refused = client.post(
            "/api/v1/conversations", content=surrogate, headers={"content-type": "application/json"}
        )
        # The keep-alive connection survives the 422: the next request goes over it.
        created = client.post("/api/v1/conversations", json={}, headers={"X-Request-ID": "req-served-0001"})
        secret = {"X-Conversation-Secret": created.json()["secret"], "X-Request-ID": "req-served-0002"}
        crashed = client.post(
            f"/api/v1/conversations/{created.json()['id']}/messages",
            json={"text": f"my patient {PII_NAME} {PII_MRN} had liver failure on quelvarimab for weeks"},
            headers=secret,
        )
    assert refused.status_code == 422 and PII_NAME not in refused.text
    assert created.status_code == 201 and created.headers["X-Request-ID"] == "req-served-0001"
    assert crashed.status_code == 500
    assert crashed.json() == {"detail": crashed.json()["detail"], "request_id": "req-served-0002"}
    assert _post_chunked_until_answered(served_api) == 413
    time.sleep(0.2)
    lines = _assert_clean(log_file)
    crash_lines = [line for line in lines if line.get("request_id") == "req-served-0002"]
    assert any("RuntimeError (message withheld)" in str(line.get("exc")) for line in crash_lines), lines
    assert any(line.get("route") == "/api/v1/conversations/{conversation_id}/messages" for line in crash_lines)

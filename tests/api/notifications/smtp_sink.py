"""A real SMTP server on 127.0.0.1 (aiosmtpd) that keeps what it receives, for tests of outbound e-mail."""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from types import TracebackType
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


@dataclass(frozen=True)
class Received:
    """One message as the server got it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def body(self) -> str:
        """The decoded plain-text body, with the wire's CRLF line ends read back as newlines."""
        part = self.message.get_body(preferencelist=("plain",))
        assert isinstance(part, EmailMessage)
        content: str = part.get_content()
        return content.replace("\r\n", "\n")


class _Collector:
    def __init__(self) -> None:
        self.received: list[Received] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        message = message_from_bytes(raw, policy=policy.default)
        assert isinstance(message, EmailMessage)
        with self.lock:
            self.received.append(Received(str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpSink:
    """Starts on enter, stops on exit; `wait_for(n)` blocks until n messages arrived."""

    host = "127.0.0.1"

    def __init__(self, **smtp_parameters: Any) -> None:
        self.port = free_port()
        self._collector = _Collector()
        self._controller = Controller(self._collector, hostname=self.host, port=self.port, **smtp_parameters)

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._controller.stop()

    @property
    def received(self) -> list[Received]:
        """Every message so far, in arrival order."""
        with self._collector.lock:
            return list(self._collector.received)

    def wait_for(self, count: int, timeout: float = 20.0) -> list[Received]:
        """The first `count` messages, once they have arrived (fails the test after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while len(self.received) < count:
            assert time.monotonic() < deadline, f"expected {count} e-mail(s), got {len(self.received)}"
            time.sleep(0.05)
        return self.received[:count]

    def assert_quiet(self, count: int, seconds: float = 1.0) -> None:
        """Nothing beyond `count` messages arrives for a while."""
        time.sleep(seconds)
        assert len(self.received) == count, [r.message["Subject"] for r in self.received]

"""The SMTP mailer against a real local SMTP server: delivery, login, an unset host, a dead relay."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

import pytest
from aiosmtpd.smtp import AuthResult, LoginPassword

from api.notifications.mailer import SmtpMailer, mailer_for, new_message
from api.settings import Settings
from tests.api.notifications.smtp_sink import SmtpSink, free_port

USER, SECRET = "relay-user", "relay-password-for-tests"


def _settings(**overrides: Any) -> Settings:
    return Settings(environment="test", smtp_host="127.0.0.1", **overrides)


def test_a_message_reaches_the_relay_with_its_headers() -> None:
    with SmtpSink() as sink:
        settings = _settings(smtp_port=sink.port)
        message = new_message(settings, ["a@hcp.example", "b@hcp.example"], "Subject line", "Body with °C\n")
        assert mailer_for(settings).send(message) is True
        (received,) = sink.wait_for(1)
    assert received.mail_from == settings.mail_from
    assert received.rcpt_tos == ["a@hcp.example", "b@hcp.example"]
    assert received.message["Subject"] == "Subject line"
    assert received.message["Auto-Submitted"] == "auto-generated"
    assert received.message["Message-ID"]
    assert received.body == "Body with °C\n"


def test_without_smtp_host_nothing_is_sent_and_the_log_says_so(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(environment="test", smtp_host=None)
    message = new_message(settings, ["a@hcp.example"], "Not sent", "body\n")
    with caplog.at_level(logging.WARNING, logger="api.notifications.mailer"):
        assert SmtpMailer(settings).send(message) is False
    assert "SMTP_HOST is not set" in caplog.text
    assert "a@hcp.example" not in caplog.text  # addresses are personal data


def _authenticate(server: object, session: object, envelope: object, mechanism: str, data: Any) -> AuthResult:
    ok = isinstance(data, LoginPassword) and data.login == USER.encode() and data.password == SECRET.encode()
    return AuthResult(success=ok, handled=False)  # not handled: the server answers 535 itself


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_relay_login_comes_from_the_settings() -> None:
    # AUTH without TLS is acceptable on loopback only, in a test.
    with SmtpSink(authenticator=_authenticate, auth_required=True, auth_require_tls=False) as sink:
        good = _settings(smtp_port=sink.port, smtp_username=USER, smtp_password=SECRET)
        assert SmtpMailer(good).send(new_message(good, ["a@hcp.example"], "Signed in", "body\n"))
        assert len(sink.wait_for(1)) == 1
        bad = _settings(smtp_port=sink.port, smtp_username=USER, smtp_password="wrong-password")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            SmtpMailer(bad).send(new_message(bad, ["a@hcp.example"], "Refused", "body\n"))
        anonymous = _settings(smtp_port=sink.port)
        with pytest.raises(smtplib.SMTPException):
            SmtpMailer(anonymous).send(new_message(anonymous, ["a@hcp.example"], "Refused", "body\n"))
        sink.assert_quiet(1, seconds=0.2)


def test_a_dead_relay_raises_for_the_task_to_retry() -> None:
    settings = _settings(smtp_port=free_port())
    with pytest.raises(OSError):
        SmtpMailer(settings).send(new_message(settings, ["a@hcp.example"], "Lost", "body\n"))

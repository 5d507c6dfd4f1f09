"""Logging for the API and the worker: JSON lines carrying the request id, with request data redacted.

Request bodies and message text must never reach a log. They get there through exception messages
(a database error quotes its parameters, a decode error quotes its input), through raw bytes, and
through query strings, so the redacting filter keeps the type and stack of an exception but drops its
message, replaces bytes by their length and drops query strings from access lines. Application code
logs ids and counts only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import sys
import traceback
from collections.abc import Mapping
from contextvars import ContextVar, Token
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from api.settings import Settings

REQUEST_ID_HEADER = "X-Request-ID"
# Exceptions whose message is written by this service and never quotes input: their text is kept.
SAFE_EXCEPTIONS = frozenset({"api.assistant.rasa_client.AssistantUnavailable"})
# Loggers whose own handlers would bypass the redaction: their records go through the root's handlers.
ADOPTED_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "celery", "celery.task", "celery.redirected")
# Chatty clients that log every call (URLs with ids) at INFO.
QUIET_LOGGERS = ("httpx", "httpcore", "multipart", "python_multipart")
WITHHELD = "<withheld>"
_HANDLER_MARK = "_hcp_handler"
_REDACTED_MARK = "_hcp_redacted"
_EXCEPTION_REPR = re.compile(r"^\s*([\w.]+)")


@dataclass(frozen=True)
class LogContext:
    """What every log line of one request or task carries."""

    request_id: str | None
    scope: Mapping[str, Any] | None = None  # the ASGI scope: the route template is known once routed
    task: str | None = None


_context: ContextVar[LogContext | None] = ContextVar("hcp_log_context", default=None)


def bind(context: LogContext) -> Token[LogContext | None]:
    """Attach a request's or task's context to the log lines emitted until `unbind`."""
    return _context.set(context)


def unbind(token: Token[LogContext | None]) -> None:
    """Detach the context bound by `bind`."""
    _context.reset(token)


def current_request_id() -> str | None:
    """The request id of the request or task being handled, if any."""
    context = _context.get()
    return context.request_id if context else None


def _route_of(scope: Mapping[str, Any] | None) -> str | None:
    route = scope.get("route") if scope else None
    path = getattr(route, "path", None)
    return path if isinstance(path, str) else None


def _qualified(exc: BaseException) -> str:
    kind = type(exc)
    return f"{kind.__module__}.{kind.__qualname__}"


def describe_exception(exc: BaseException) -> str:
    """An exception as it may be logged: its own text only if this service wrote it, else its type."""
    if _qualified(exc) in SAFE_EXCEPTIONS:
        return f"{type(exc).__name__}: {exc}"
    return type(exc).__name__


def safe_traceback(kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> str:
    """The stack of an exception and its causes, without any exception's message (it may quote input)."""
    if exc is None:
        return f"{kind.__name__ if kind else 'Exception'} (message withheld)"
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and all(current is not seen for seen in chain):
        chain.append(current)
        current = current.__cause__ or (None if current.__suppress_context__ else current.__context__)
    lines: list[str] = []
    for item in reversed(chain):  # the first cause first, as Python prints them
        if lines:
            lines.append("The above exception led to:")
        lines.append("Traceback (most recent call last):")
        frames = traceback.extract_tb(tb if item is exc else item.__traceback__)
        lines += [f'  File "{f.filename}", line {f.lineno}, in {f.name}' for f in frames]
        lines.append(f"{describe_exception(item)} (message withheld)")
    return "\n".join(lines)


def _safe_arg(value: object) -> object:
    if isinstance(value, BaseException):
        return describe_exception(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes withheld>"
    return value


class RedactFilter(logging.Filter):
    """Rewrites records so that no request body, message text or exception message is written."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact in place (once, whichever handler sees the record first); every record is kept."""
        if getattr(record, _REDACTED_MARK, False):
            return True
        setattr(record, _REDACTED_MARK, True)
        if record.exc_info and record.exc_info[0] is not None:
            record.exc_text = safe_traceback(*record.exc_info)
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = WITHHELD  # pre-rendered elsewhere: cannot be checked
        if not isinstance(record.msg, str):
            record.msg = str(_safe_arg(record.msg)) if isinstance(record.msg, BaseException) else WITHHELD
        if isinstance(record.args, Mapping):
            record.args = {key: self._mapped(key, value) for key, value in record.args.items()}
        elif isinstance(record.args, tuple):
            record.args = tuple(_safe_arg(arg) for arg in record.args)
        if record.name == "uvicorn.access" and isinstance(record.args, tuple) and len(record.args) >= 3:
            args = list(record.args)
            args[2] = str(args[2]).split("?", 1)[0]  # the path without its query string
            record.args = tuple(args)
        return True

    @staticmethod
    def _mapped(key: str, value: object) -> object:
        # Celery's trace lines carry the exception pre-rendered as text ("IntegrityError('... values')").
        if key == "exc" and isinstance(value, str):
            match = _EXCEPTION_REPR.match(value)
            return f"{match.group(1) if match else 'exception'} (message withheld)"
        if key in {"traceback", "args", "kwargs", "body"}:
            return WITHHELD
        return _safe_arg(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, route or task, exception."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line (ASCII-escaped, so no input can break the encoding)."""
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not print its arguments through handleError
            message = f"{record.msg} {WITHHELD}"
        line: dict[str, object] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "service": self.service,
            "message": message,
        }
        context = _context.get()
        if context is not None:
            line["request_id"] = context.request_id
            if (route := _route_of(context.scope)) is not None:
                line["route"] = route
            if context.task is not None:
                line["task"] = context.task
        if record.exc_text:
            line["exc"] = record.exc_text
        return json.dumps(line, ensure_ascii=True, default=str)


def _handlers(settings: Settings, service: str) -> list[logging.Handler]:
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if settings.log_file is not None:
        settings.log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(settings.log_file, encoding="utf-8"))
    for handler in handlers:
        handler.addFilter(RedactFilter())
        handler.setFormatter(JsonFormatter(service))
        setattr(handler, _HANDLER_MARK, True)
    return handlers


def configure_logging(settings: Settings, service: str) -> None:
    """Route every log record of this process through the redacting JSON handlers (idempotent)."""
    logging.raiseExceptions = False  # a failing handler must not print the record's arguments
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, _HANDLER_MARK, False)]:
        root.removeHandler(handler)
        handler.close()
    for handler in _handlers(settings, service):
        root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in ADOPTED_LOGGERS:
        logger = logging.getLogger(name)
        if name == "uvicorn.access" and not logger.handlers and not logger.propagate:
            continue  # --no-access-log: leave access lines off
        logger.handlers.clear()
        logger.propagate = True
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)

"""Database engines and sessions (SQLAlchemy 2), for SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import uuid
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, ForeignKey, MetaData, String, create_engine, event
from sqlalchemy import Enum as SAEnum
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, sessionmaker
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Declarative base of every table."""

    metadata = MetaData(naming_convention=NAMING)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC timestamps on every backend (SQLite drops the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given: use utcnow()")
        return value.astimezone(dt.UTC) if value is not None else None

    def process_result_value(self, value: dt.datetime | None, dialect: Any) -> dt.datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value


def utcnow() -> dt.datetime:
    """The current time, timezone-aware."""
    return dt.datetime.now(dt.UTC)


def new_id() -> str:
    """A new random identifier for a row that is exposed in URLs."""
    return str(uuid.uuid4())


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the worker read while the API writes; NORMAL is durable across app crashes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str, pool_size: int = 10, max_overflow: int = 10) -> Engine:
    """An engine for a URL, with the pragmas SQLite needs for concurrent use."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if not path or path == ":memory:":  # one connection per thread: no pool size to set
            engine = create_engine(url, connect_args={"check_same_thread": False})
        else:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(
                url, connect_args={"check_same_thread": False}, pool_size=pool_size, max_overflow=max_overflow
            )
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=max_overflow)


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The process-wide engine for a URL, created on first use."""
    return make_engine(url)


@lru_cache(maxsize=8)
def side_session_factory(url: str) -> sessionmaker[Any]:
    """Sessions on a small pool of their own, for short reads a thread makes while it may hold a connection of
    the main pool (the content library's re-check in the middle of a chat turn). Drawing those from the main
    pool could deadlock: every connection held by a turn waiting for the one thread that waits for a connection.
    """
    return sessionmaker(make_engine(url, pool_size=1, max_overflow=1), expire_on_commit=False)


@lru_cache(maxsize=8)
def session_factory(url: str) -> sessionmaker[Any]:
    """The process-wide session factory for a URL."""
    return sessionmaker(engine_for(url), expire_on_commit=False)


def enum_column(enum: type[Enum], length: int = 30) -> SAEnum:
    """A portable string column storing an enum's values (not its member names)."""
    return SAEnum(enum, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e])


class ExchangeRecord:
    """Columns of a record opened for one exchange (a review item, an AE case, a request)."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_id)
    exchange_id: Mapped[str] = mapped_column(ForeignKey("exchange.id"), unique=True)
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversation.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

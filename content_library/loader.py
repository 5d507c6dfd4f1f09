"""Loads the approved content files, validates them and serves the current versions."""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from content_library.item import ContentItem, Kind, parse_item

DEFAULT_DIRECTORY = Path(__file__).resolve().parent / "items"


@dataclass(frozen=True)
class LoadError:
    """A problem found in one field of one content file."""

    path: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Snapshot:
    """Everything read from the content directory at one moment."""

    items: tuple[ContentItem, ...]
    errors: tuple[LoadError, ...]


def _read_file(path: Path) -> tuple[ContentItem | None, list[LoadError]]:
    name = path.name
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return None, [LoadError(name, "(file)", f"cannot be read as YAML: {exc}")]
    item, problems = parse_item(raw)
    errors = [LoadError(name, f, m) for f, m in problems]
    if item is not None and name != f"{item.id}.{item.version}.yml":
        errors.append(LoadError(name, "id", f"file must be named {item.id}.{item.version}.yml"))
        item = None
    return item, errors


def _cross_checks(items: Iterable[tuple[str, ContentItem]]) -> list[LoadError]:
    errors: list[LoadError] = []
    codes: dict[str, str] = {}
    examples: dict[str, str] = {}
    for name, item in items:
        if item.approval_code in codes:
            errors.append(
                LoadError(
                    name, "approval_code", f"{item.approval_code} is used by {codes[item.approval_code]} too"
                )
            )
        codes.setdefault(item.approval_code, name)
        for example in item.examples:
            key = " ".join(example.lower().split())
            if key in examples and examples[key] != name:
                errors.append(LoadError(name, "examples", f"'{example}' is also an example of {examples[key]}"))
            examples.setdefault(key, name)
    return errors


def load_directory(directory: Path = DEFAULT_DIRECTORY) -> Snapshot:
    """Read and validate every content file of a directory."""
    if not directory.is_dir():
        return Snapshot((), (LoadError(str(directory), "(directory)", "does not exist"),))
    parsed: list[tuple[str, ContentItem]] = []
    errors: list[LoadError] = []
    for path in sorted(directory.glob("*.yml")):
        item, problems = _read_file(path)
        errors.extend(problems)
        if item is not None:
            parsed.append((path.name, item))
    errors.extend(_cross_checks(parsed))
    return Snapshot(tuple(item for _, item in parsed), tuple(errors))


def _fingerprint(directory: Path) -> tuple[tuple[str, int, int], ...]:
    try:
        return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in directory.glob("*.yml")))
    except OSError:
        return ()


class ContentLibrary:
    """The servable view of the content directory, re-read when its files change.

    Expiry and withdrawal are checked on every lookup, so an item stops being served the
    day it expires even in a process that has been running for months.
    """

    def __init__(
        self,
        directory: Path = DEFAULT_DIRECTORY,
        *,
        today: Callable[[], dt.date] = dt.date.today,
        recheck_seconds: float = 1.0,
    ) -> None:
        self.directory = directory
        self._today = today
        self._recheck_seconds = recheck_seconds
        self._lock = threading.Lock()
        self._checked_at = float("-inf")
        self._fingerprint: tuple[tuple[str, int, int], ...] | None = None
        self._snapshot = Snapshot((), ())

    def snapshot(self) -> Snapshot:
        """The current files' contents, reloaded if any file changed since the last look."""
        now = time.monotonic()
        if now - self._checked_at < self._recheck_seconds:
            return self._snapshot
        with self._lock:
            self._checked_at = now
            # A published library is swapped in by re-pointing a symlink: read one target, never a mix of two.
            target = self.directory.resolve()
            fingerprint = ((str(target), 0, 0), *_fingerprint(target))
            if fingerprint != self._fingerprint:
                self._snapshot = load_directory(target)
                self._fingerprint = fingerprint
        return self._snapshot

    @property
    def errors(self) -> tuple[LoadError, ...]:
        """Validation errors of the current files."""
        return self.snapshot().errors

    def items(self) -> tuple[ContentItem, ...]:
        """Every valid item, servable or not."""
        return self.snapshot().items

    def _best(self, matches: Iterable[ContentItem], on: dt.date | None) -> ContentItem | None:
        day = on or self._today()
        servable = [item for item in matches if item.is_servable(day)]
        return max(servable, key=lambda item: item.version_number, default=None)

    def current(self, content_id: str, on: dt.date | None = None) -> ContentItem | None:
        """The newest servable version of an item, or None if none may be shown."""
        return self._best((i for i in self.items() if i.id == content_id), on)

    def for_topic(self, topic: str, on: dt.date | None = None) -> ContentItem | None:
        """The servable answer item for a taxonomy topic, or None."""
        return self._best((i for i in self.items() if i.kind is Kind.ANSWER and i.topic == topic), on)

    def system(self, topic: str, on: dt.date | None = None) -> ContentItem | None:
        """The servable system message for a situation (greeting, unavailable, ...), or None."""
        return self._best((i for i in self.items() if i.kind is Kind.SYSTEM and i.topic == topic), on)

    def by_approval_code(self, code: str) -> ContentItem | None:
        """The item carrying an approval code, servable or not (for audit look-ups)."""
        return next((i for i in self.items() if i.approval_code == code), None)


class FixedLibrary(ContentLibrary):
    """A library over items held in memory (read from a database), with the same servable checks."""

    def __init__(self, items: Iterable[ContentItem], *, today: Callable[[], dt.date] = dt.date.today) -> None:
        super().__init__(Path("/nonexistent"), today=today)
        listed = tuple(items)
        self._fixed = Snapshot(listed, tuple(_cross_checks((f"{i.id}.{i.version}.yml", i) for i in listed)))

    def snapshot(self) -> Snapshot:
        """The items it was given."""
        return self._fixed

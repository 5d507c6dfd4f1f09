"""One approved content item and its validation."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from content_library.taxonomy import ANSWER_TOPICS, SYSTEM_TOPICS

APPROVAL_CODE = re.compile(r"^QLV-US-\d{4}$")
VERSION = re.compile(r"^v[1-9]\d*$")
ITEM_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MAX_BODY_CHARS = 2000


class Kind(StrEnum):
    ANSWER = "answer"
    SYSTEM = "system"


class Status(StrEnum):
    APPROVED = "approved"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class ContentItem:
    """An MLR-approved text, shown verbatim and traceable to its approval code."""

    id: str
    approval_code: str
    version: str
    kind: Kind
    topic: str
    title: str
    body: str
    isi_required: bool
    approved_on: dt.date
    expires_on: dt.date
    status: Status
    references: tuple[str, ...] = ()
    examples: tuple[str, ...] = field(default=(), repr=False)

    @property
    def version_number(self) -> int:
        """The version as an integer, for ordering versions of one item."""
        return int(self.version[1:])

    def is_servable(self, on: dt.date) -> bool:
        """Whether the item may be shown on the given day: approved, in force, not expired."""
        return self.status is Status.APPROVED and self.approved_on <= on <= self.expires_on

    def reply(self) -> dict[str, str]:
        """The reply payload the assistant sends: verbatim text plus its traceability."""
        return {
            "text": self.body,
            "content_id": self.id,
            "approval_code": self.approval_code,
            "version": self.version,
            "topic": self.topic,
        }


class ItemErrors:
    """Collects field errors for one file while it is parsed."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def add(self, field_name: str, message: str) -> None:
        self.errors.append((field_name, message))


def _text(raw: dict[str, Any], name: str, errs: ItemErrors, *, max_len: int = 200) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        errs.add(name, "is required and must be a non-empty string")
        return ""
    if len(value) > max_len:
        errs.add(name, f"is longer than {max_len} characters")
    return value.strip()


def _date(raw: dict[str, Any], name: str, errs: ItemErrors) -> dt.date:
    value = raw.get(name)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    errs.add(name, "must be a date written YYYY-MM-DD")
    return dt.date.min


def _strings(raw: dict[str, Any], name: str, errs: ItemErrors) -> tuple[str, ...]:
    value = raw.get(name, [])
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        errs.add(name, "must be a list of non-empty strings")
        return ()
    return tuple(v.strip() for v in value)


def parse_item(raw: Any) -> tuple[ContentItem | None, list[tuple[str, str]]]:
    """Build an item from parsed YAML; returns the item or the (field, message) errors."""
    errs = ItemErrors()
    if not isinstance(raw, dict):
        return None, [("(file)", "must be a mapping of fields")]
    known = {f for f in ContentItem.__dataclass_fields__}
    for extra in sorted(set(raw) - known):
        errs.add(str(extra), "is not a known field")

    item_id = _text(raw, "id", errs, max_len=80)
    if item_id and not ITEM_ID.match(item_id):
        errs.add("id", "must be lowercase words joined by hyphens")
    code = _text(raw, "approval_code", errs, max_len=20)
    if code and not APPROVAL_CODE.match(code):
        errs.add("approval_code", "must look like QLV-US-NNNN")
    version = _text(raw, "version", errs, max_len=10)
    if version and not VERSION.match(version):
        errs.add("version", "must look like v1, v2, ...")

    kind: Kind | None = None
    try:
        kind = Kind(str(raw.get("kind")))
    except ValueError:
        errs.add("kind", "must be 'answer' or 'system'")
    status: Status | None = None
    try:
        status = Status(str(raw.get("status")))
    except ValueError:
        errs.add("status", "must be 'approved' or 'withdrawn'")

    topic = _text(raw, "topic", errs, max_len=60)
    allowed = SYSTEM_TOPICS if kind is Kind.SYSTEM else ANSWER_TOPICS
    if topic and kind is not None and topic not in allowed:
        errs.add("topic", f"'{topic}' is not a {kind.value} topic of the taxonomy")

    title = _text(raw, "title", errs)
    body = _text(raw, "body", errs, max_len=MAX_BODY_CHARS)
    isi_required = raw.get("isi_required")
    if not isinstance(isi_required, bool):
        errs.add("isi_required", "must be true or false")
    approved_on = _date(raw, "approved_on", errs)
    expires_on = _date(raw, "expires_on", errs)
    if approved_on != dt.date.min and expires_on != dt.date.min and expires_on <= approved_on:
        errs.add("expires_on", "must be after approved_on")
    references = _strings(raw, "references", errs)
    examples = _strings(raw, "examples", errs)
    if kind is Kind.ANSWER and status is Status.APPROVED and len(examples) < 10:
        errs.add("examples", "an approved answer needs at least 10 example questions")

    if errs.errors or kind is None or status is None:
        return None, errs.errors
    return (
        ContentItem(
            id=item_id,
            approval_code=code,
            version=version,
            kind=kind,
            topic=topic,
            title=title,
            body=body,
            isi_required=bool(isi_required),
            approved_on=approved_on,
            expires_on=expires_on,
            status=status,
            references=references,
            examples=examples,
        ),
        [],
    )

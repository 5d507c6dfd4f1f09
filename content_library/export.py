"""Writes items as the reviewable YAML files the loader reads (the export of a database-backed library)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import yaml

from content_library.item import ContentItem


def render_item(item: ContentItem) -> str:
    """The YAML text of one item, in the field order of the hand-written files."""
    data = {
        "id": item.id,
        "approval_code": item.approval_code,
        "version": item.version,
        "kind": item.kind.value,
        "topic": item.topic,
        "title": item.title,
        "body": item.body,
        "isi_required": item.isi_required,
        "approved_on": item.approved_on,
        "expires_on": item.expires_on,
        "status": item.status.value,
        "references": list(item.references),
        "examples": list(item.examples),
    }
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def file_name(item: ContentItem) -> str:
    """The file name the loader requires for an item."""
    return f"{item.id}.{item.version}.yml"


def write_directory(items: Iterable[ContentItem], directory: Path) -> Path:
    """Write every item into a new directory (which must not exist yet); returns it."""
    directory.mkdir(parents=True)
    for item in items:
        (directory / file_name(item)).write_text(render_item(item), encoding="utf-8")
    return directory


def point_link(link: Path, target: Path) -> None:
    """Re-point a symlink at a directory atomically (readers see the old or the new target, never neither)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{link.name}.", dir=link.parent)
    os.close(fd)
    os.unlink(temporary)
    os.symlink(target, temporary)
    os.replace(temporary, link)

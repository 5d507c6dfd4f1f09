"""The database-backed library: item versions as content items, seeding from YAML, releases and their export."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.audit import service as audit
from api.audit.service import SYSTEM
from api.content.models import ContentRelease, ContentVersion, ReleaseStatus, VersionStatus
from content_library import (
    ContentItem,
    FixedLibrary,
    Kind,
    Status,
    load_directory,
    point_link,
    write_directory,
)

CODE_NUMBER = re.compile(r"(\d+)$")
APPROVAL_CODE_FORMAT = "QLV-US-{:04d}"


def as_item(row: ContentVersion) -> ContentItem:
    """The content item a version row stands for; superseded versions stay approved (newest wins)."""
    return ContentItem(
        id=row.item_id,
        approval_code=row.approval_code,
        version=row.version,
        kind=Kind(row.kind),
        topic=row.topic,
        title=row.title,
        body=row.body,
        isi_required=row.isi_required,
        approved_on=row.approved_on,
        expires_on=row.expires_on,
        status=Status.WITHDRAWN if row.status is VersionStatus.WITHDRAWN else Status.APPROVED,
        references=tuple(row.references),
        examples=tuple(row.examples),
    )


def _row(item: ContentItem) -> ContentVersion:
    return ContentVersion(
        item_id=item.id,
        version=item.version,
        approval_code=item.approval_code,
        kind=item.kind.value,
        topic=item.topic,
        title=item.title,
        body=item.body,
        isi_required=item.isi_required,
        approved_on=item.approved_on,
        expires_on=item.expires_on,
        references=list(item.references),
        examples=list(item.examples),
        status=VersionStatus.APPROVED if item.status is Status.APPROVED else VersionStatus.WITHDRAWN,
    )


def is_seeded(session: Session) -> bool:
    """Whether the library has been imported into the database."""
    return session.scalar(select(func.count()).select_from(ContentRelease)) != 0


def seed(session: Session, directory: Path, model_path: str | None) -> ContentRelease:
    """Import the YAML library as release 1, live with the model already serving (idempotent)."""
    existing = session.scalar(select(ContentRelease).order_by(ContentRelease.number).limit(1))
    if existing is not None:
        return existing
    snapshot = load_directory(directory)
    if snapshot.errors:
        raise ValueError("; ".join(str(e) for e in snapshot.errors))
    rows = [_row(item) for item in snapshot.items]
    session.add_all(rows)
    session.flush()
    release = ContentRelease(
        number=1,
        version_ids=[r.id for r in rows],
        retrain=False,
        status=ReleaseStatus.ACTIVE,
        progress=100,
        message=f"seeded from {directory.name}",
        model_path=model_path,
    )
    session.add(release)
    session.flush()
    audit.record(session, SYSTEM, "content_release.seeded", "content_release", release.id, reason=str(directory))
    return release


def versions(session: Session, ids: Iterable[str]) -> list[ContentVersion]:
    """The version rows with these ids."""
    wanted = list(ids)
    return list(session.scalars(select(ContentVersion).where(ContentVersion.id.in_(wanted)))) if wanted else []


def library_of(session: Session, release: ContentRelease) -> FixedLibrary:
    """The servable view of a release, with each version's current status (a withdrawal applies at once)."""
    return FixedLibrary(as_item(row) for row in versions(session, release.version_ids))


def active_release(session: Session) -> ContentRelease | None:
    """The release serving now, if the library is in the database."""
    return session.scalar(select(ContentRelease).where(ContentRelease.status == ReleaseStatus.ACTIVE))


def latest_release(session: Session) -> ContentRelease | None:
    """The newest release, whatever its state: a new one builds on it."""
    return session.scalar(select(ContentRelease).order_by(ContentRelease.number.desc()).limit(1))


def current_versions(session: Session) -> list[ContentVersion]:
    """The newest approved version of every item, plus withdrawn ones (so the export says they are withdrawn)."""
    rows = session.scalars(select(ContentVersion).order_by(ContentVersion.item_id, ContentVersion.created_at))
    newest: dict[str, ContentVersion] = {}
    for row in rows:
        if row.status is VersionStatus.SUPERSEDED:
            continue
        held = newest.get(row.item_id)
        if held is None or _rank(row) > _rank(held):
            newest[row.item_id] = row
    return list(newest.values())


def _number(version: str) -> int:
    return int(version.lstrip("v"))


def _rank(row: ContentVersion) -> tuple[bool, int]:
    # An approved version beats a newer withdrawn one (a refused or withdrawn revision leaves its predecessor).
    return row.status is VersionStatus.APPROVED, _number(row.version)


def next_release(session: Session, proposal_id: str | None, retrain: bool, message: str) -> ContentRelease:
    """A new queued release of the library as it stands in the database."""
    latest = latest_release(session)
    release = ContentRelease(
        number=(latest.number if latest else 0) + 1,
        version_ids=[row.id for row in current_versions(session)],
        retrain=retrain,
        proposal_id=proposal_id,
        message=message,
    )
    session.add(release)
    session.flush()
    audit.record(session, SYSTEM, "content_release.queued", "content_release", release.id, reason=message)
    return release


def next_approval_code(session: Session) -> str:
    """The next free approval code (QLV-US-NNNN)."""
    codes = session.scalars(select(ContentVersion.approval_code))
    numbers = [int(m.group(1)) for code in codes if (m := CODE_NUMBER.search(code))]
    return APPROVAL_CODE_FORMAT.format(max(numbers, default=0) + 1)


def next_version(session: Session, item_id: str) -> str:
    """The next version label of an item (v1 for a new item)."""
    labels = session.scalars(select(ContentVersion.version).where(ContentVersion.item_id == item_id))
    return f"v{max((_number(v) for v in labels), default=0) + 1}"


def release_directory(export_root: Path, release: ContentRelease) -> Path:
    """Where a release's files are exported."""
    return export_root / "releases" / str(release.number)


def live_link(export_root: Path) -> Path:
    """The symlink the action server reads as CONTENT_DIR."""
    return export_root / "live"


def live_model_link(models_dir: Path) -> Path:
    """The symlink every Rasa replica starts on: the live release's model, so a restarted replica serves it."""
    return models_dir / "live.tar.gz"


def point_live_model(models_dir: Path, model: Path) -> Path:
    """Re-point the live-model link at a model file (atomically); returns the link."""
    link = live_model_link(models_dir)
    point_link(link, model.resolve())
    return link


def export(session: Session, release: ContentRelease, export_root: Path) -> Path:
    """Write a release's items as YAML files (once; files of a release never change)."""
    target = release_directory(export_root, release)
    if not target.exists():
        staging = target.with_name(f".{target.name}.staging")
        if staging.exists():
            for leftover in staging.iterdir():
                leftover.unlink()
            staging.rmdir()
        write_directory((as_item(row) for row in versions(session, release.version_ids)), staging)
        staging.rename(target)
    return target


def publish_files(session: Session, release: ContentRelease, export_root: Path) -> Path:
    """Export a release and point `live` at it: the action server reads it within its recheck second."""
    target = export(session, release, export_root)
    point_link(live_link(export_root), target.resolve())
    return target


def go_live_on_start(
    session: Session, directory: Path, built_model: Path, export_root: Path, models_dir: Path
) -> tuple[ContentRelease, Path]:
    """At start-up: seed the library from `directory` (first run only, with the model `make train` built),
    export the live release for the action server and point the live-model link (what every Rasa replica
    starts on) at its model, else at `built_model`. Returns the live release and the link. The caller commits.
    """
    seed(session, directory, str(built_model))
    live = active_release(session)
    if live is None:
        raise LookupError("no content release is live: see the content screen (/staff/content)")
    publish_files(session, live, export_root)
    model = Path(live.model_path) if live.model_path and Path(live.model_path).is_file() else built_model
    return live, point_live_model(models_dir, model)

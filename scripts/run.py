"""`make run`: start the whole service on embedded defaults, restart what dies, stop cleanly on Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

import api.models  # noqa: F401  (every table, for the library's foreign keys)
from api.content import library
from api.db import session_factory
from api.settings import get_settings
from content_library import DEFAULT_DIRECTORY
from scripts.stack import (
    MODEL_PATH,
    ROOT,
    BotAccess,
    Ports,
    Process,
    StackError,
    Supervisor,
    api_env,
    api_server,
    bot_processes,
    celery_worker,
    content_worker,
    embedded_redis,
    stop_all,
    wait_ready,
)

LOG_DIR = ROOT / "var" / "log"
MAX_RASA_REPLICAS = 4  # each replica holds about 1.2 GB


@dataclass(frozen=True)
class Options:
    """The command line of `python -m scripts.run`."""

    ports: Ports
    rasa_replicas: int


def parse_args(argv: list[str] | None) -> Options:
    """Ports (the tests run a second stack beside a developer's) and the number of Rasa replicas."""
    defaults = Ports()
    parser = argparse.ArgumentParser(prog="python -m scripts.run")
    for name in ("api", "rasa", "actions", "redis"):
        parser.add_argument(f"--{name}-port", type=int, default=getattr(defaults, name))
    parser.add_argument(
        "--rasa-replicas",
        type=int,
        default=1,
        choices=range(1, MAX_RASA_REPLICAS + 1),
        metavar=f"1..{MAX_RASA_REPLICAS}",
        help="Rasa processes behind the API, sharing trackers and locks in Redis (default 1)",
    )
    args = parser.parse_args(argv)
    ports = Ports(api=args.api_port, rasa=args.rasa_port, actions=args.actions_port, redis=args.redis_port)
    return Options(ports=ports, rasa_replicas=args.rasa_replicas)


def parse_ports(argv: list[str] | None) -> Ports:
    """Ports from the command line."""
    return parse_args(argv).ports


def live_content() -> tuple[Path, Path, Path]:
    """The content library in the database (seeded from the YAML on first run) and the live release exported.

    Returns the export root (the worker publishes releases there), the live directory the action server reads
    and the link to the live release's model (a published release's own model, else the one `make train` built).
    """
    settings = get_settings()
    export_root = settings.content_export_dir or ROOT / "var" / "content"
    with session_factory(settings.sqlalchemy_url)() as session:
        try:
            _, link = library.go_live_on_start(
                session, DEFAULT_DIRECTORY, MODEL_PATH, export_root, settings.content_models_dir
            )
        except LookupError as exc:
            raise StackError(str(exc)) from None
        session.commit()
    return export_root, library.live_link(export_root), link


def main(argv: list[str] | None = None) -> int:
    """Start Redis (embedded unless REDIS_URL is set), actions, Rasa replicas, worker and API; supervise them."""
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]  # the tests read this as it comes
    options = parse_args(argv)
    ports = options.ports
    processes: list[Process] = []
    redis_url = os.environ.get("REDIS_URL")
    if redis_url is None:
        processes.append(embedded_redis(ports.redis, LOG_DIR))
        redis_url = f"redis://127.0.0.1:{ports.redis}/0"
        print(f"No REDIS_URL set: starting the embedded Redis on port {ports.redis}")
    # RASA_TOKEN and ACTION_SERVER_TOKEN if set, else new random ones for this run only.
    access = BotAccess.from_environ()
    export_root, live_dir, model = live_content()
    env = {**api_env(ports, redis_url, access, options.rasa_replicas), "CONTENT_EXPORT_DIR": str(export_root)}
    processes += [
        *bot_processes(
            ports, LOG_DIR, redis_url, access, options.rasa_replicas, model=model, content_dir=live_dir
        ),
        celery_worker(LOG_DIR, env),
        content_worker(LOG_DIR, env),
        api_server(ports, LOG_DIR, env),
    ]

    stopping = False

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    replicas = f" ({options.rasa_replicas} Rasa replicas)" if options.rasa_replicas > 1 else ""
    print(f"Starting the stack{replicas} (logs in {LOG_DIR.relative_to(ROOT)}/); Rasa takes half a minute...")
    try:
        for process in processes:
            process.start()
            print(f"  started {process.name} (pid {process.pid})")
        wait_ready(processes, timeout=300)
    except StackError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        stop_all(processes)
        return 1
    settings = get_settings()
    print(f"\nReady: http://127.0.0.1:{ports.api}/  (readiness: http://127.0.0.1:{ports.api}/readyz)")
    print(f"Database: {settings.database_url}. A process that dies is restarted. Press Ctrl-C to stop.\n")
    supervisor = Supervisor(processes, report=lambda line: print(line, flush=True))
    try:
        while not stopping:
            supervisor.poll()
            time.sleep(0.5)
    finally:
        print("Stopping...")
        stop_all(processes)
        print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

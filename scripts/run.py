"""`make run`: start the whole service on embedded defaults and stop it cleanly on Ctrl-C."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from types import FrameType

from api.settings import get_settings
from scripts.stack import (
    ROOT,
    Ports,
    Process,
    StackError,
    action_server,
    api_server,
    celery_worker,
    embedded_redis,
    rasa_server,
    stop_all,
    wait_ready,
)

LOG_DIR = ROOT / "var" / "log"


def parse_ports(argv: list[str] | None) -> Ports:
    """Ports from the command line (the tests run a second stack beside a developer's)."""
    defaults = Ports()
    parser = argparse.ArgumentParser(prog="python -m scripts.run")
    for name in ("api", "rasa", "actions", "redis"):
        parser.add_argument(f"--{name}-port", type=int, default=getattr(defaults, name))
    args = parser.parse_args(argv)
    return Ports(api=args.api_port, rasa=args.rasa_port, actions=args.actions_port, redis=args.redis_port)


def main(argv: list[str] | None = None) -> int:
    """Start Redis (embedded unless REDIS_URL is set), actions, Rasa, worker and API."""
    ports = parse_ports(argv)
    processes: list[Process] = []
    env: dict[str, str] = {}
    if "REDIS_URL" not in os.environ:
        processes.append(embedded_redis(ports.redis, LOG_DIR))
        env["REDIS_URL"] = f"redis://127.0.0.1:{ports.redis}/0"
        print(f"No REDIS_URL set: starting the embedded Redis on port {ports.redis}")
    env["RASA_URL"] = f"http://127.0.0.1:{ports.rasa}"
    env["ACTION_SERVER_URL"] = f"http://127.0.0.1:{ports.actions}"
    processes += [
        action_server(ports, LOG_DIR),
        rasa_server(ports, LOG_DIR),
        celery_worker(LOG_DIR, env),
        api_server(ports, LOG_DIR, env),
    ]

    stopping = False

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    print(f"Starting the stack (logs in {LOG_DIR.relative_to(ROOT)}/); Rasa takes about half a minute...")
    try:
        for process in processes:
            process.start()
        wait_ready(processes, timeout=300)
    except StackError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        stop_all(processes)
        return 1
    settings = get_settings()
    print(f"\nReady: http://127.0.0.1:{ports.api}/  (health: http://127.0.0.1:{ports.api}/healthz)")
    print(f"Database: {settings.database_url}. Press Ctrl-C to stop.\n")
    try:
        while not stopping:
            dead = [p.name for p in processes if not p.alive()]
            if dead:
                print(
                    f"Stopped unexpectedly: {', '.join(dead)} (see {LOG_DIR.relative_to(ROOT)}/)", file=sys.stderr
                )
                break
            time.sleep(1)
    finally:
        print("Stopping...")
        stop_all(processes)
        print("Stopped.")
    return 0 if stopping else 1


if __name__ == "__main__":
    sys.exit(main())

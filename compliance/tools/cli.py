"""Command line: `assess` (JSON Lines in and out), `evaluate` and `bench`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TextIO

from compliance.tools.evaluate import DEFAULT_EVAL_PATH


def assess_stream(stdin: TextIO, stdout: TextIO) -> int:
    """Assess each `{"id", "text"}` line; a bad line yields an error object, never a crash."""
    from compliance.pipeline import assess

    for lineno, line in enumerate(stdin, start=1):
        if not line.strip():
            continue
        row_id: object = None
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("line is not a JSON object")
            row_id = row.get("id")
            text = row.get("text")
            if not isinstance(text, str):
                raise ValueError("'text' must be a string")
        except (ValueError, TypeError) as exc:
            stdout.write(json.dumps({"id": row_id, "line": lineno, "error": f"bad input: {exc}"}) + "\n")
            stdout.flush()
            continue
        context = row.get("context") if isinstance(row.get("context"), dict) else None
        result = assess(text, context)
        stdout.write(json.dumps({"id": row_id, **result.to_dict()}, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of `python -m compliance`."""
    try:
        return _main(argv)
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 0


def _main(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="python -m compliance", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assess", help="read JSON Lines {id, text} on stdin, write one result per line")
    ev = sub.add_parser("evaluate", help="precision/recall/F1 per detector on a labelled set, with every miss")
    ev.add_argument("path", nargs="?", type=Path, default=DEFAULT_EVAL_PATH)
    be = sub.add_parser("bench", help="messages/second on one core and p50/p99 latency")
    be.add_argument("path", nargs="?", type=Path, default=DEFAULT_EVAL_PATH)
    be.add_argument("--seconds", type=float, default=3.0)
    be.add_argument("--pin-core", type=int, default=None, help="pin the process to this CPU (Linux)")
    ex = sub.add_parser("external", help="the issue-8 bar on the external-style sets (dev or held)")
    ex.add_argument("half", nargs="?", choices=("dev", "held"), default="dev")
    ex.add_argument("--quiet", action="store_true", help="the table only, no miss list")
    ex.add_argument(
        "--suite",
        choices=("external", *(f"round{n}" for n in range(2, 17))),
        default="external",
        help="round 1 (external) to round 16 sets",
    )
    args = parser.parse_args(argv)

    if args.command == "assess":
        return assess_stream(sys.stdin, sys.stdout)
    if args.command == "evaluate":
        from compliance.tools.evaluate import run as run_evaluation

        run_evaluation(args.path, sys.stdout)
        return 0
    if args.command == "external":
        from compliance.tools.external import run as run_external

        run_external(args.half, sys.stdout, show_misses=not args.quiet, suite=args.suite)
        return 0
    from compliance.tools.bench import run as run_bench

    run_bench(args.path, sys.stdout, args.seconds, args.pin_core)
    return 0

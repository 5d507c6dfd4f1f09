"""Command line: `python -m content_library validate|list [--dir DIR]`."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from content_library.item import Kind
from content_library.loader import DEFAULT_DIRECTORY, ContentLibrary, load_directory
from content_library.taxonomy import ANSWER_TOPICS, SYSTEM_TOPICS


def validate(directory: Path) -> int:
    """Print every error by file and field, and coverage gaps; exit status 1 if any."""
    snapshot = load_directory(directory)
    problems = [str(e) for e in snapshot.errors]
    library = ContentLibrary(directory)
    today = dt.date.today()
    for topic in ANSWER_TOPICS:
        if library.for_topic(topic, today) is None:
            problems.append(f"(library): topic: no servable answer item for '{topic}'")
    for topic in SYSTEM_TOPICS:
        if library.system(topic, today) is None:
            problems.append(f"(library): topic: no servable system item for '{topic}'")
    for line in problems:
        print(line)
    print(f"{len(snapshot.items)} items read, {len(problems)} problems", file=sys.stderr)
    return 1 if problems else 0


def list_items(directory: Path) -> int:
    """Print one line per item with its serving state today."""
    today = dt.date.today()
    snapshot = load_directory(directory)
    for item in sorted(snapshot.items, key=lambda i: (i.kind is Kind.SYSTEM, i.topic, i.version_number)):
        state = (
            "serving"
            if item.is_servable(today)
            else (item.status.value if item.status.value != "approved" else "expired/not yet valid")
        )
        print(
            f"{item.approval_code}  {item.id:<34} {item.version:<3} {item.kind.value:<6} "
            f"{item.topic:<28} {item.expires_on}  {state}"
        )
    return 1 if snapshot.errors else 0


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m content_library")
    parser.add_argument("command", choices=["validate", "list"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="content directory")
    args = parser.parse_args(argv)
    return validate(args.dir) if args.command == "validate" else list_items(args.dir)


if __name__ == "__main__":
    sys.exit(main())

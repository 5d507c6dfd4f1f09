"""`python -m api.content seed|export`: import the YAML library into the database, or export it back.

`seed` is idempotent: on every start it exports the live release for the action server and points the
live-model link (what Rasa starts on) at the live release's model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from api.content import library
from api.db import session_factory
from api.settings import REPO_ROOT, get_settings
from content_library import DEFAULT_DIRECTORY, write_directory


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m api.content")
    parser.add_argument("command", choices=["seed", "export"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="YAML directory to read or write")
    parser.add_argument("--model", default="models/quelvanti.tar.gz", help="seed: the model `make train` built")
    args = parser.parse_args(argv)
    settings = get_settings()
    with session_factory(settings.sqlalchemy_url)() as session:
        if args.command == "seed":
            export_root = settings.content_export_dir or REPO_ROOT / "var" / "content"
            try:
                release, _ = library.go_live_on_start(
                    session, args.dir, Path(args.model), export_root, settings.content_models_dir
                )
            except LookupError as exc:
                print(exc, file=sys.stderr)
                return 1
            session.commit()
            print(f"release {release.number} is live: {len(release.version_ids)} item versions")
            return 0
        live = library.active_release(session)
        if live is None:
            print("the library is not in the database yet", file=sys.stderr)
            return 1
        rows = library.versions(session, live.version_ids)
        for old in args.dir.glob("*.yml"):
            old.unlink()
        args.dir.rmdir()
        write_directory((library.as_item(r) for r in rows), args.dir)
        print(f"wrote {len(rows)} items of release {live.number} to {args.dir}")
        return 0


if __name__ == "__main__":
    sys.exit(main())

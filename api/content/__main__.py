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
from api.settings import get_settings
from content_library import DEFAULT_DIRECTORY, write_directory


def main(argv: list[str] | None = None) -> int:
    """Entry point."""
    parser = argparse.ArgumentParser(prog="python -m api.content")
    parser.add_argument("command", choices=["seed", "export"])
    parser.add_argument("--dir", type=Path, default=DEFAULT_DIRECTORY, help="YAML directory to read or write")
    parser.add_argument("--model", default=None, help="seed: the model file serving now")
    args = parser.parse_args(argv)
    settings = get_settings()
    with session_factory(settings.sqlalchemy_url)() as session:
        if args.command == "seed":
            library.seed(session, args.dir, args.model)
            release = library.active_release(session)
            if release is None:
                print("no release is live: see the content screen (/staff/content)", file=sys.stderr)
                return 1
            if settings.content_export_dir is not None:
                library.publish_files(session, release, settings.content_export_dir)
            session.commit()
            if release.model_path and Path(release.model_path).is_file():  # what every Rasa replica starts on
                library.point_live_model(settings.content_models_dir, Path(release.model_path))
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

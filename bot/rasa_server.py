"""`rasa run` with its HTTP API token from RASA_TOKEN (never on a command line) and telemetry off.

Run as `python -m bot.rasa_server --enable-api --port 5005 --model ... --endpoints ... --credentials ...`.
"""

from __future__ import annotations

import os
import sys

TOKEN_VARIABLE = "RASA_TOKEN"


def main() -> None:
    """Start `rasa run` with the caller's arguments plus `--auth-token`."""
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        sys.exit(f"{TOKEN_VARIABLE} is not set: refusing to start Rasa with an open HTTP API")
    # No data leaves the deployment: no usage telemetry, no error reports to Rasa's Sentry.
    os.environ["RASA_TELEMETRY_ENABLED"] = "false"
    # Argument lists are visible to every local user (ps); this one is only in this process's memory.
    sys.argv = ["rasa", "run", *sys.argv[1:], "--auth-token", token]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()

"""No data leaves the deployment: every Rasa process runs with telemetry and error reporting (Sentry) off.

Rasa sends usage events and, when a command fails (training did), error reports to its vendor unless
RASA_TELEMETRY_ENABLED=false. Checked on the live processes of the stack, on every process `scripts.run` would
start (replicas too), on the Makefile's Rasa commands, and on what the variable does inside Rasa.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from scripts.stack import NO_TELEMETRY, RASA_VENV, ROOT, BotAccess, Ports, bot_processes
from tests.conftest import Stack


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
    return dict(item.decode(errors="replace").split("=", 1) for item in raw if b"=" in item)


def test_the_running_stacks_rasa_and_action_server_have_telemetry_off(stack: Stack) -> None:
    for name in ("rasa", "actions"):
        pid = stack.pid(name)
        assert _environ(pid).get("RASA_TELEMETRY_ENABLED") == "false", name
        # The token is in the environment only, never in a command line any local user can list.
        assert stack.rasa_token.encode() not in Path(f"/proc/{pid}/cmdline").read_bytes(), name


def test_every_rasa_replica_the_stack_would_start_has_telemetry_off(tmp_path: Path) -> None:
    processes = bot_processes(Ports(), tmp_path, "redis://127.0.0.1:6379/0", BotAccess("a" * 40, "b" * 40), 3)
    assert [p.name for p in processes] == ["actions", "rasa", "rasa-2", "rasa-3"]
    for process in processes:
        assert process.env["RASA_TELEMETRY_ENABLED"] == "false", process.name


def test_the_makefiles_rasa_commands_run_with_telemetry_off() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert "NO_TELEMETRY := RASA_TELEMETRY_ENABLED=false" in makefile
    assert "RASA := $(NO_TELEMETRY) $(RASA_VENV)/bin/rasa" in makefile
    for line in makefile.splitlines():
        # Every recipe that runs Rasa (train, data validate) or imports it (bot.evaluate) goes through them.
        if re.search(r"\$\(RASA_VENV\)/bin/(rasa|python -m bot\.)", line) and not line.startswith("RASA :="):
            assert "$(NO_TELEMETRY)" in line, line
    assert re.search(r"^\t\$\(RASA\) train ", makefile, re.MULTILINE)


def test_the_variable_turns_off_rasas_telemetry_and_error_reporting(tmp_path: Path) -> None:
    probe = (
        "import rasa.telemetry as t, sentry_sdk; t.initialize_telemetry(); t.initialize_error_reporting(); "
        "print(t.is_telemetry_enabled(), sentry_sdk.Hub.current.client is not None)"
    )

    def run(env: dict[str, str]) -> str:
        result = subprocess.run(
            [str(RASA_VENV / "bin" / "python"), "-c", probe],
            env={**os.environ, "HOME": str(tmp_path), **env},
            capture_output=True,
            text=True,
            timeout=180,
            check=True,
        )
        return result.stdout.strip().splitlines()[-1]

    assert run(NO_TELEMETRY) == "False False"
    # The contrast, so this test measures something: without it Rasa would set up its Sentry client.
    assert run({"RASA_TELEMETRY_ENABLED": "true"}) == "True True"

"""`rasa data validate` is clean (run in the Rasa virtualenv)."""

from __future__ import annotations

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_rasa_data_validate_is_clean() -> None:
    result = subprocess.run(
        [
            str(ROOT / ".venv-rasa" / "bin" / "rasa"),
            "data",
            "validate",
            "--config",
            "config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "bot/data",
            "--fail-on-warnings",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]

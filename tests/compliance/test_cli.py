"""The command line over a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.compliance.contract import ASSESSMENT_KEYS


def _run(args: list[str], stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compliance", *args],
        input=stdin,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_assess_jsonl_roundtrip(repo_root: Path) -> None:
    lines = [
        json.dumps({"id": "a", "text": "My patient Sarah Jones got hives after Quelvanti."}),
        "this is not json",
        json.dumps({"id": "c", "text": 42}),
        json.dumps({"id": "d", "text": "What is the dose?"}),
    ]
    out = _run(["assess"], "\n".join(lines) + "\n", repo_root)
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(rows) == 4
    assert list(rows[0]) == ["id", *ASSESSMENT_KEYS]
    assert rows[0]["id"] == "a" and rows[0]["adverse_event"] is True and rows[0]["route"] == "ae_triage"
    assert rows[0]["redacted_text"] == "My patient [PERSON] got hives after Quelvanti."
    assert rows[0]["pii"] == [{"start": 11, "end": 22, "type": "PERSON"}]
    assert "error" in rows[1] and rows[1]["line"] == 2
    assert "error" in rows[2] and rows[2]["id"] == "c"
    assert rows[3]["route"] == "pass"


def test_evaluate_prints_metrics_and_exits_zero(repo_root: Path) -> None:
    out = _run(["evaluate"], "", repo_root)
    assert out.returncode == 0, out.stderr
    assert "adverse_event" in out.stdout and "no PII value survives redaction" in out.stdout
    assert "Misses" in out.stdout


def test_bench_reports_throughput(repo_root: Path) -> None:
    out = _run(["bench", "--seconds", "0.2"], "", repo_root)
    assert out.returncode == 0, out.stderr
    assert "messages/second" in out.stdout and "p99" in out.stdout

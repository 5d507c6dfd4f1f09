"""The content library validates files field by field and never serves expired or withdrawn items."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import yaml

from content_library import ANSWER_TOPICS, SYSTEM_TOPICS, ContentLibrary, load_directory

ROOT = Path(__file__).resolve().parents[2]


def write_item(directory: Path, **overrides: object) -> dict[str, object]:
    item: dict[str, object] = {
        "id": "qlv-dosing",
        "approval_code": "QLV-US-0002",
        "version": "v1",
        "kind": "answer",
        "topic": "dosing",
        "title": "Dosing",
        "body": "Quelvanti 100 mg by subcutaneous injection at week 0, week 4, then every 8 weeks.",
        "isi_required": False,
        "approved_on": "2026-01-10",
        "expires_on": "2027-01-10",
        "status": "approved",
        "references": ["PI 2.1"],
        "examples": [f"dose question {n}" for n in range(10)],
    }
    item.update(overrides)
    (directory / f"{item['id']}.{item['version']}.yml").write_text(yaml.safe_dump(item))
    return item


def test_the_shipped_library_is_valid_and_covers_every_topic() -> None:
    snapshot = load_directory()
    assert snapshot.errors == ()
    library = ContentLibrary()
    for topic in ANSWER_TOPICS:
        item = library.for_topic(topic)
        assert item is not None, topic
        assert len(item.examples) >= 10
    for topic in SYSTEM_TOPICS:
        assert library.system(topic) is not None, topic


def test_errors_name_the_file_and_the_field(tmp_path: Path) -> None:
    write_item(tmp_path, approval_code="QLV-0002", topic="cooking", expires_on="someday")
    errors = {(e.path, e.field) for e in load_directory(tmp_path).errors}
    assert ("qlv-dosing.v1.yml", "approval_code") in errors
    assert ("qlv-dosing.v1.yml", "topic") in errors
    assert ("qlv-dosing.v1.yml", "expires_on") in errors


def test_an_answer_needs_ten_examples_and_a_matching_file_name(tmp_path: Path) -> None:
    write_item(tmp_path, examples=["only one"])
    (tmp_path / "misnamed.yml").write_text((tmp_path / "qlv-dosing.v1.yml").read_text().replace("only one", "x"))
    errors = {(e.path, e.field) for e in load_directory(tmp_path).errors}
    assert ("qlv-dosing.v1.yml", "examples") in errors
    assert ("misnamed.yml", "examples") in errors or ("misnamed.yml", "id") in errors


def test_duplicate_approval_codes_are_reported(tmp_path: Path) -> None:
    write_item(tmp_path)
    write_item(tmp_path, id="qlv-storage", topic="storage", examples=[f"store {n}" for n in range(10)])
    assert any(e.field == "approval_code" for e in load_directory(tmp_path).errors)


def test_expired_items_stop_being_served_on_their_expiry_day(tmp_path: Path) -> None:
    write_item(tmp_path, expires_on="2027-01-10")
    library = ContentLibrary(tmp_path)
    assert library.current("qlv-dosing", on=dt.date(2027, 1, 10)) is not None
    assert library.current("qlv-dosing", on=dt.date(2027, 1, 11)) is None
    assert library.for_topic("dosing", on=dt.date(2027, 1, 11)) is None


def test_expiry_is_checked_when_serving_not_when_loading(tmp_path: Path) -> None:
    today = [dt.date(2026, 6, 1)]
    write_item(tmp_path, expires_on="2026-06-01")
    library = ContentLibrary(tmp_path, today=lambda: today[0])
    assert library.current("qlv-dosing") is not None
    today[0] = dt.date(2026, 6, 2)  # the same loaded library, one day later
    assert library.current("qlv-dosing") is None


def test_withdrawn_versions_are_never_served_and_newest_approved_wins(tmp_path: Path) -> None:
    write_item(tmp_path, status="withdrawn", examples=[])
    write_item(tmp_path, version="v2", approval_code="QLV-US-0102", examples=[f"v2 q {n}" for n in range(10)])
    library = ContentLibrary(tmp_path, today=lambda: dt.date(2026, 6, 1))
    item = library.current("qlv-dosing")
    assert item is not None and item.version == "v2" and item.approval_code == "QLV-US-0102"
    (tmp_path / "qlv-dosing.v2.yml").unlink()
    library = ContentLibrary(tmp_path, today=lambda: dt.date(2026, 6, 1))
    assert library.current("qlv-dosing") is None


def test_a_withdrawal_on_disk_takes_effect_without_a_restart(tmp_path: Path) -> None:
    write_item(tmp_path)
    library = ContentLibrary(tmp_path, today=lambda: dt.date(2026, 6, 1), recheck_seconds=0)
    assert library.current("qlv-dosing") is not None
    write_item(tmp_path, status="withdrawn", title="Dosing (withdrawn)")
    os.utime(tmp_path / "qlv-dosing.v1.yml", ns=(0, 10**18))
    assert library.current("qlv-dosing") is None


def test_cli_validate_reports_by_file_and_field(tmp_path: Path) -> None:
    write_item(tmp_path, version="one")
    result = subprocess.run(
        [sys.executable, "-m", "content_library", "validate", "--dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "qlv-dosing.one.yml: version: must look like v1, v2" in result.stdout


def test_cli_list_shows_serving_state() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "content_library", "list"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert any("QLV-US-0201" in line and "withdrawn" in line for line in lines)
    assert sum("serving" in line for line in lines) >= 44

"""Training data from a release's library, `rasa train` in the Rasa virtualenv, and the regression gate."""

from __future__ import annotations

import json
import os
import re
import subprocess
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from api.settings import REPO_ROOT
from bot.generate_nlu import content_nlu, render, rules, topics_of
from content_library import ContentLibrary, intent_for_topic, topic_for_intent

RASA_VENV = REPO_ROOT / ".venv-rasa"
BOT_DATA = REPO_ROOT / "bot" / "data"
HELDOUT = REPO_ROOT / "bot" / "eval" / "heldout.yml"
DOMAIN = REPO_ROOT / "domain.yml"
GENERATED = "content.yml"
EPOCHS = re.compile(rb"Epochs:\s+(\d+)%")
# A topic whose held-out hits fall by more than this share has been taken over by another item.
TOPIC_LOSS_LIMIT = 0.5
# A new item conflicts with a live one when the live model answers this share of its examples with that item.
CONFLICT_SHARE = 0.5
Progress = Callable[[int, str], None]

# Runs in the Rasa virtualenv: parses texts with each model, printing intent names as JSON.
PARSE_SCRIPT = """
import asyncio, json, logging, sys
from rasa.core.agent import load_agent
from rasa.utils.log_utils import configure_structlog
logging.getLogger().setLevel(logging.WARNING)
configure_structlog(logging.WARNING)
spec = json.load(open(sys.argv[1]))
async def main():
    out = {}
    for model in spec["models"]:
        agent = await load_agent(model_path=model)
        out[model] = [(await agent.parse_message(t))["intent"]["name"] for t in spec["texts"]]
    json.dump(out, open(sys.argv[2], "w"))
asyncio.run(main())
"""


def _normalised(text: str) -> str:
    return " ".join(text.lower().split())


def _literal_examples(examples: list[str]) -> str:
    return "".join(f"    - {example}\n" for example in examples)


def hand_written_nlu(taken: set[str]) -> dict[str, str]:
    """The hand-written NLU files, without examples an approved item now owns (they would contradict it)."""
    files: dict[str, str] = {}
    for path in sorted((BOT_DATA / "nlu").glob("*.yml")):
        if path.name == GENERATED:
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        parts = ['version: "3.1"\n', "nlu:\n"]
        for entry in data.get("nlu", []):
            if "intent" not in entry or "examples" not in entry:  # lookups, synonyms, regexes: as written
                parts.append(yaml.safe_dump([entry], sort_keys=False, allow_unicode=True, width=1000))
                continue
            lines = [line[2:].strip() for line in str(entry.get("examples", "")).splitlines() if line.strip()]
            kept = [line for line in lines if _normalised(line) not in taken]
            parts.append(f"- intent: {entry['intent']}\n  examples: |\n{_literal_examples(kept)}")
        files[path.name] = "".join(parts)
    return files


def write_training_data(library: ContentLibrary, directory: Path) -> Path:
    """Write the full training data (hand-written plus generated from the library) under directory/data."""
    data = directory / "data"
    (data / "nlu").mkdir(parents=True, exist_ok=True)
    (data / "rules").mkdir(parents=True, exist_ok=True)
    nlu = content_nlu(library)
    taken = {_normalised(e) for item in library.items() for e in item.examples}
    for name, text in hand_written_nlu(taken).items():
        (data / "nlu" / name).write_text(text, encoding="utf-8")
    (data / "nlu" / GENERATED).write_text(render(nlu), encoding="utf-8")
    (data / "rules" / GENERATED).write_text(render(rules(topics_of(nlu))), encoding="utf-8")
    return data


def rasa_env(cache_dir: Path) -> dict[str, str]:
    """The environment of a Rasa subprocess: no telemetry, its own training cache."""
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_CACHE_DIRECTORY": str(cache_dir)}


def train(data: Path, config: Path, out_dir: Path, name: str, progress: Progress) -> tuple[Path, float]:
    """Run `rasa train`; report epoch progress; return the model file and the seconds it took."""
    out_dir.mkdir(parents=True, exist_ok=True)
    argv = [
        str(RASA_VENV / "bin" / "rasa"), "train", "--config", str(config), "--domain", str(DOMAIN),
        "--data", str(data), "--out", str(out_dir), "--fixed-model-name", name,
    ]  # fmt: skip
    started = time.monotonic()
    progress(0, "training the NLU model")
    log_path = out_dir / f"{name}.train.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            argv, cwd=REPO_ROOT, env=rasa_env(out_dir / "cache"), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        assert process.stdout is not None
        last = -1
        while chunk := process.stdout.read1(4096):  # type: ignore[attr-defined]
            log.write(chunk)
            found = EPOCHS.findall(chunk)
            if found and int(found[-1]) // 10 != last:
                last = int(found[-1]) // 10
                progress(int(found[-1]), "training the NLU model")
        code = process.wait()
    model = out_dir / f"{name}.tar.gz"
    if code != 0 or not model.exists():
        tail = log_path.read_text(errors="replace")[-600:]
        raise RuntimeError(f"rasa train failed (exit {code}): {tail}")
    return model, time.monotonic() - started


def parse(models: list[Path], texts: list[str], cache_dir: Path) -> dict[Path, list[str]]:
    """The intent each model gives each text, from the Rasa virtualenv."""
    with tempfile.TemporaryDirectory(prefix="content-gate-") as scratch:
        spec, out = Path(scratch) / "spec.json", Path(scratch) / "out.json"
        spec.write_text(json.dumps({"models": [str(m) for m in models], "texts": texts}))
        subprocess.run(
            [str(RASA_VENV / "bin" / "python"), "-c", PARSE_SCRIPT, str(spec), str(out)],
            cwd=REPO_ROOT, env=rasa_env(cache_dir), check=True, capture_output=True, timeout=900,
        )  # fmt: skip
        raw: dict[str, list[str]] = json.loads(out.read_text())
    return {Path(model): intents for model, intents in raw.items()}


@dataclass(frozen=True)
class HeldOut:
    """The held-out questions with an answer topic (never trained on)."""

    texts: list[str]
    topics: list[str]

    @classmethod
    def load(cls, path: Path = HELDOUT) -> HeldOut:
        """Read the answerable cases of the held-out file."""
        cases = [c for c in yaml.safe_load(path.read_text())["cases"] if c["expect"] == "answer"]
        return cls([c["text"] for c in cases], [c["topic"] for c in cases])

    def topic_hits(self, intents: list[str]) -> dict[str, int]:
        """Per topic, how many of its held-out questions the intents route to it."""
        hits: Counter[str] = Counter()
        for topic, intent in zip(self.topics, intents, strict=True):
            hits[topic] += intent == intent_for_topic(topic)
        return {topic: hits[topic] for topic in sorted(set(self.topics))}


def conflicting_topic(item_topic: str | None, live_intents: list[str]) -> tuple[str, int] | None:
    """Another answer topic the live model gives at least CONFLICT_SHARE of a new item's examples, and how many."""
    others = Counter(
        topic for topic in map(topic_for_intent, live_intents) if topic is not None and topic != item_topic
    )
    if not others:
        return None
    topic, count = others.most_common(1)[0]
    return (topic, count) if count >= CONFLICT_SHARE * len(live_intents) else None


@dataclass(frozen=True)
class Verdict:
    """The regression gate's decision and its reasons, as the reviewer sees them."""

    passed: bool
    accuracy: float
    baseline: float
    reasons: list[str]
    report: dict[str, Any]


def judge(
    heldout: HeldOut,
    baseline_hits: dict[str, int],
    candidate_hits: dict[str, int],
    item_topic: str | None,
    item_intents: list[str],
    tolerance: float,
    example_rate: float,
    live_item_intents: list[str] | None = None,
) -> Verdict:
    """Pass if held-out accuracy stays within tolerance, no topic is taken over, the item's examples route to it
    and the examples it adds are not what another live item answers (`live_item_intents`: the live model's
    reading of the added examples)."""
    total = len(heldout.texts)
    accuracy, baseline = sum(candidate_hits.values()) / total, sum(baseline_hits.values()) / total
    reasons: list[str] = []
    if accuracy < baseline - tolerance:
        reasons.append(f"held-out accuracy fell from {baseline:.1%} to {accuracy:.1%} (tolerance {tolerance:.1%})")
    for topic, before in baseline_hits.items():
        if before >= 2 and candidate_hits.get(topic, 0) < before * (1 - TOPIC_LOSS_LIMIT):
            after = candidate_hits.get(topic, 0)
            reasons.append(f"held-out questions on '{topic}' now route elsewhere ({before} -> {after})")
    routed = 0.0
    if item_topic is not None and item_intents:
        routed = sum(i == intent_for_topic(item_topic) for i in item_intents) / len(item_intents)
        if routed < example_rate:
            reasons.append(f"only {routed:.0%} of the new item's example questions route to '{item_topic}'")
    conflict = conflicting_topic(item_topic, live_item_intents or [])
    if conflict is not None:
        other, count = conflict
        reasons.append(
            f"{count} of the {len(live_item_intents or [])} example questions the proposal adds are what the live "
            f"'{other}' item answers: the item conflicts with it (edit the examples or that item)"
        )
    report = {
        "accuracy": accuracy,
        "baseline": baseline,
        "topic_hits": candidate_hits,
        "baseline_topic_hits": baseline_hits,
        "item_topic": item_topic,
        "item_examples_routed": routed,
        "conflicts_with": conflict[0] if conflict else None,
    }
    return Verdict(not reasons, accuracy, baseline, reasons, report)

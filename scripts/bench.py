"""`make bench`: chat-turn latency through the API vs straight to Rasa, plus compliance throughput.

Starts its own stack (actions, Rasa, worker, API) on separate ports and a scratch SQLite database,
sends the same questions through both paths in one run, and prints p50/p95 and their ratio.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import yaml

from api.conversations.access import SECRET_HEADER
from scripts.stack import ROOT, Ports, scratch_stack

QUESTIONS = ROOT / "bot" / "eval" / "heldout.yml"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")


def percentile(samples: list[float], pct: float) -> float:
    """The pct-th percentile (nearest rank)."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered)) - 1))]


def timed(send: Callable[[str], None], texts: list[str]) -> list[float]:
    """Milliseconds per call."""
    samples = []
    for text in texts:
        started = time.perf_counter()
        send(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def chat_latency(ports: Ports, texts: list[str]) -> None:
    """Print p50/p95 of the API chat turn and of the bare Rasa webhook."""
    with httpx.Client(timeout=30) as http:
        api = f"http://127.0.0.1:{ports.api}"
        rasa = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
        conversation = http.post(f"{api}/api/v1/conversations", json={}).json()
        url = f"{api}/api/v1/conversations/{conversation['id']}/messages"
        holder = {SECRET_HEADER: conversation["secret"]}

        def via_api(text: str) -> None:
            http.post(url, json={"text": text}, headers=holder).raise_for_status()

        def via_rasa(text: str) -> None:
            http.post(rasa, json={"sender": "bench-direct", "message": text}).raise_for_status()

        warmup = texts[:10]
        timed(via_api, warmup)
        timed(via_rasa, warmup)
        api_ms, rasa_ms = [], []
        for text in texts:  # interleaved so both paths see the same machine load
            api_ms += timed(via_api, [text])
            rasa_ms += timed(via_rasa, [text])

    print(f"chat turn latency over {len(texts)} questions (ms)")
    print(f"  {'path':<22}{'p50':>8}{'p95':>8}{'mean':>8}")
    for name, samples in (("API /messages", api_ms), ("Rasa REST webhook", rasa_ms)):
        p50, p95, mean = percentile(samples, 50), percentile(samples, 95), statistics.mean(samples)
        print(f"  {name:<22}{p50:>8.1f}{p95:>8.1f}{mean:>8.1f}")
    ratio = percentile(api_ms, 50) / percentile(rasa_ms, 50)
    print(f"  API p50 / Rasa p50 = {ratio:.2f}  (goal <= 1.25)")


def compliance_throughput() -> None:
    """Print the compliance layer's own benchmark, if the layer is present."""
    if not (ROOT / "compliance" / "__main__.py").exists():
        print("compliance: not present")
        return
    print("\ncompliance assess (one core)")
    subprocess.run([sys.executable, "-m", "compliance", "bench"], cwd=ROOT, check=False)


def main() -> int:
    """Run the benchmark."""
    cases = yaml.safe_load(QUESTIONS.read_text())["cases"]
    texts = [case["text"] for case in cases][:150]
    ports = Ports(api=18100, rasa=18101, actions=18102)
    with scratch_stack(ports, REDIS_URL):
        chat_latency(ports, texts)
    compliance_throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""`make bench`: chat-turn latency through the API vs straight to Rasa, whole-service throughput with one and two
Rasa replicas (with the CPU each process spends per message), p95 latency at 50 concurrent chats, and compliance
throughput.

Starts its own stack (actions, Rasa, worker, API) on separate ports and a scratch SQLite database, first with one
Rasa replica, then with two. Each load phase is bounded in time and in requests, and targets only that stack.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

import httpx
import yaml

from api.conversations.access import SECRET_HEADER
from scripts.load import CpuMeter, LoadRun, listening_pid, percentile, run_load
from scripts.stack import ROOT, Ports, ScratchStack, scratch_stack

QUESTIONS = ROOT / "bot" / "eval" / "heldout.yml"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/13")
# The second replica listens on redis + 1 (Ports.rasa_ports); the scratch stack starts no Redis of its own.
PORTS = Ports(api=18100, rasa=18101, actions=18102, redis=18103)
THROUGHPUT_CHATS, LATENCY_CHATS = 20, 50
WARMUP_SECONDS, PHASE_SECONDS = 5.0, 30.0
MAX_REQUESTS_PER_PHASE = 5000  # far above what 30 s can serve here: the time bound is the one that stops a phase
MESSAGES_PER_CHAT = 4
LATENCY_MESSAGES, LATENCY_WARMUP = 150, 10
SCALING_GOAL, LATENCY_GOAL = 1.5, 1.15

METHOD = f"""method:
  questions: {QUESTIONS.relative_to(ROOT)} (held out from training); latency uses its in-domain ones
    (expect: answer)
  latency: one new conversation per path, the same {LATENCY_MESSAGES} questions in the same order, one at a time
    and interleaved (API turn, then the same text straight to Rasa's REST webhook with the API's token), after
    {LATENCY_WARMUP} unmeasured turns per path; same Rasa process, model and tracker store (bounded, Redis)
  throughput: {THROUGHPUT_CHATS} concurrent chats of {MESSAGES_PER_CHAT} questions each (then a new conversation),
    {WARMUP_SECONDS:.0f} s warm-up, {PHASE_SECONDS:.0f} s measured; the same script with 1 and 2 Rasa replicas;
    the load client runs on this machine
  CPU: user + system seconds of each process tree (psutil) over the measured phase, per answered message;
    CPU time hardly moves when other work shares the cores, wall-clock figures do (load average shown)"""


def timed(send: Callable[[str], None], texts: list[str]) -> list[float]:
    """Milliseconds per call."""
    samples = []
    for text in texts:
        started = time.perf_counter()
        send(text)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def load_average() -> str:
    """The 1-minute load average and the number of cores, for the record."""
    return f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"


def chat_latency(ports: Ports, texts: list[str], rasa_headers: dict[str, str]) -> None:
    """Print p50/p95 of the API chat turn and of the bare Rasa webhook (with the token the API uses)."""
    with httpx.Client(timeout=30) as http:
        api = f"http://127.0.0.1:{ports.api}"
        rasa = f"http://127.0.0.1:{ports.rasa}/webhooks/rest/webhook"
        conversation = http.post(f"{api}/api/v1/conversations", json={}).json()
        url = f"{api}/api/v1/conversations/{conversation['id']}/messages"
        holder = {SECRET_HEADER: conversation["secret"]}
        # A new sender each run: trackers live in Redis, and both paths should start from an empty one.
        direct_sender = f"bench-direct-{uuid.uuid4().hex[:12]}"

        def via_api(text: str) -> None:
            http.post(url, json={"text": text}, headers=holder).raise_for_status()

        def via_rasa(text: str) -> None:
            body = {"sender": direct_sender, "message": text}
            http.post(rasa, json=body, headers=rasa_headers).raise_for_status()

        warmup = texts[:LATENCY_WARMUP]
        timed(via_api, warmup)
        timed(via_rasa, warmup)
        api_ms, rasa_ms = [], []
        for text in texts:  # interleaved so both paths see the same machine load
            api_ms += timed(via_api, [text])
            rasa_ms += timed(via_rasa, [text])

    print(f"\nchat turn latency over {len(texts)} in-domain questions (ms; {load_average()})")
    print(f"  {'path':<22}{'p50':>8}{'p95':>8}{'mean':>8}")
    for name, samples in (("API /messages", api_ms), ("Rasa REST webhook", rasa_ms)):
        p50, p95, mean = percentile(samples, 50), percentile(samples, 95), statistics.mean(samples)
        print(f"  {name:<22}{p50:>8.1f}{p95:>8.1f}{mean:>8.1f}")
    ratio = percentile(api_ms, 50) / percentile(rasa_ms, 50)
    verdict = "met" if ratio <= LATENCY_GOAL else "NOT met"
    print(f"  API p50 / Rasa p50 = {ratio:.2f}  (goal <= {LATENCY_GOAL}: {verdict})")


def chat_script(texts: list[str]) -> Callable[[int], list[str]]:
    """Chat n asks MESSAGES_PER_CHAT questions from the held-out set, starting at its own offset."""

    def script(number: int) -> list[str]:
        start = number * MESSAGES_PER_CHAT
        return [texts[(start + i) % len(texts)] for i in range(MESSAGES_PER_CHAT)]

    return script


def _pids(scratch: ScratchStack) -> dict[str, int]:
    pids = {process.name: process.pid for process in scratch.processes if process.pid is not None}
    redis = listening_pid(urlsplit(REDIS_URL).port or 6379)
    if redis is not None:
        pids["redis (shared)"] = redis  # the machine's Redis: other users' work is counted too
    return pids


Phase = tuple[LoadRun, dict[str, float]]


def load_phase(scratch: ScratchStack, texts: list[str], chats: int, label: str) -> Phase:
    """A short unmeasured warm-up, then a bounded measured run; prints its line and its CPU per message."""
    api = f"http://127.0.0.1:{PORTS.api}"
    run_load(api, chats, chat_script(texts), seconds=WARMUP_SECONDS, max_requests=MAX_REQUESTS_PER_PHASE)
    meter = CpuMeter(_pids(scratch))
    run = run_load(
        api, chats, chat_script(texts[::-1]), seconds=PHASE_SECONDS, max_requests=MAX_REQUESTS_PER_PHASE
    )
    answered = max(1, len(run.acknowledged))
    cpu_ms = {name: seconds * 1000 / answered for name, seconds in meter.used().items()}
    print(f"  {label:<22}{run.summary()}  ({load_average()})", flush=True)
    parts = ", ".join(f"{name} {ms:.1f}" for name, ms in cpu_ms.items())
    print(f"  {'':<22}CPU ms per answered message: {parts}; total {sum(cpu_ms.values()):.1f}", flush=True)
    return run, cpu_ms


def scaling_ceiling(cpu_ms: dict[str, float]) -> tuple[float, float]:
    """Rasa's share of the CPU per message, and the most a second replica can add on 2 cores (Amdahl).

    One replica serves at most 1/X messages per second (X: Rasa's CPU per message); the whole machine at most
    2/(X+Y) (Y: everything else). Two replicas over one is therefore at most max(1, 2X/(X+Y)).
    """
    rasa = sum(ms for name, ms in cpu_ms.items() if name.startswith("rasa"))
    total = sum(cpu_ms.values())
    if not total:
        return 0.0, 0.0
    return rasa / total, max(1.0, 2 * rasa / total)


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
    texts = [case["text"] for case in cases]
    in_domain = [case["text"] for case in cases if case.get("expect") == "answer"]
    print(METHOD, flush=True)
    with scratch_stack(PORTS, REDIS_URL) as scratch:
        chat_latency(PORTS, in_domain[:LATENCY_MESSAGES], scratch.rasa_headers)
        print(f"\nwhole service, {PHASE_SECONDS:.0f} s per phase after a {WARMUP_SECONDS:.0f} s warm-up")
        one, one_cpu = load_phase(scratch, texts, THROUGHPUT_CHATS, "1 Rasa replica")
    with scratch_stack(PORTS, REDIS_URL, rasa_replicas=2) as scratch:
        two, _ = load_phase(scratch, texts, THROUGHPUT_CHATS, "2 Rasa replicas")
        busy, _ = load_phase(scratch, texts, LATENCY_CHATS, "2 Rasa replicas")
    ratio = two.throughput / one.throughput if one.throughput else 0.0
    verdict = "met" if ratio >= SCALING_GOAL else "NOT met"
    print(f"  throughput 2 replicas / 1 replica = {ratio:.2f}  (goal >= {SCALING_GOAL}: {verdict})")
    share, ceiling = scaling_ceiling(one_cpu)
    print(
        f"  Rasa is {share:.0%} of the CPU per message with 1 replica: "
        f"on 2 cores a second replica can add at most x{ceiling:.2f}"
    )
    print(f"  p95 at {LATENCY_CHATS} concurrent chats (2 replicas) = {busy.latency_ms(95):.0f} ms")
    compliance_throughput()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Throughput and latency of `assess` on one core (the library is single-threaded)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TextIO

from compliance.pipeline import assess, warm_up
from compliance.tools.evaluate import load_labelled


def _pin(core: int | None) -> str:
    if core is None:
        return "single thread, not pinned"
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned (no sched_setaffinity on this platform)"
    os.sched_setaffinity(0, {core})
    return f"pinned to CPU {core}"


def _percentile(sorted_values: list[float], q: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * q))]


def run(path: Path, out: TextIO, min_seconds: float = 3.0, core: int | None = None) -> dict[str, float]:
    """Time `assess` over the evaluation texts after a warm-up and print the figures.

    Wall-clock figures include time the OS gave to other processes; CPU-time figures are what
    one core spends on the library, which is the number to compare against the budget.
    """
    pinned = _pin(core)
    texts = [str(r["text"]) for r in load_labelled(path)]
    warm_up()
    for t in texts:  # a first pass warms caches
        assess(t)
    wall: list[float] = []
    cpu: list[float] = []
    started_wall = time.perf_counter()
    started_cpu = time.process_time()
    while True:
        for t in texts:
            w0 = time.perf_counter_ns()
            c0 = time.thread_time_ns()
            assess(t)
            cpu.append((time.thread_time_ns() - c0) / 1e6)
            wall.append((time.perf_counter_ns() - w0) / 1e6)
        if time.perf_counter() - started_wall >= min_seconds:
            break
    elapsed_wall = time.perf_counter() - started_wall
    elapsed_cpu = time.process_time() - started_cpu
    wall.sort()
    cpu.sort()
    n = len(wall)
    figures = {
        "messages": float(n),
        "messages_per_second_wall": n / elapsed_wall,
        "messages_per_second_cpu": n / elapsed_cpu if elapsed_cpu else 0.0,
        "p50_ms_wall": _percentile(wall, 0.50),
        "p99_ms_wall": _percentile(wall, 0.99),
        "p50_ms_cpu": _percentile(cpu, 0.50),
        "p99_ms_cpu": _percentile(cpu, 0.99),
        "max_ms_wall": wall[-1],
    }
    out.write(
        f"assess bench ({pinned}): {n} messages ({len(texts)} distinct) in {elapsed_wall:.2f}s wall,"
        f" {elapsed_cpu:.2f}s CPU\n"
        f"  throughput: {figures['messages_per_second_cpu']:.0f} messages/second per core (CPU time), "
        f"{figures['messages_per_second_wall']:.0f} messages/second wall-clock\n"
        f"  latency per message (CPU time): p50 {figures['p50_ms_cpu']:.3f} ms, p99"
        f" {figures['p99_ms_cpu']:.3f} ms\n"
        f"  latency per message (wall):     p50 {figures['p50_ms_wall']:.3f} ms, p99"
        f" {figures['p99_ms_wall']:.3f} ms, "
        f"max {figures['max_ms_wall']:.3f} ms\n"
    )
    return figures

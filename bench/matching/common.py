"""Shared helpers: peak-memory sampling, pair metrics, record conversion."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field

import psutil


@dataclass
class Measure:
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    start_rss_mb: float = 0.0
    extra: dict = field(default_factory=dict)


def _rss_mb(proc: psutil.Process, children: bool) -> float:
    rss = proc.memory_info().rss
    if children:  # a Spark driver's JVM is a child (through spark-submit) of this process
        for child in proc.children(recursive=True):
            with suppress(psutil.NoSuchProcess):  # it may end between listing and reading
                rss += child.memory_info().rss
    return rss / 2**20


@contextmanager
def measured(children: bool = False):
    """Wall time and peak resident memory (sampled every 20 ms) of the block; with
    `children`, of this process and its child processes together."""
    proc = psutil.Process()
    result = Measure(start_rss_mb=_rss_mb(proc, children))
    peak = [result.start_rss_mb]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], _rss_mb(proc, children))
            stop.wait(0.02)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    t0 = time.perf_counter()
    try:
        yield result
    finally:
        result.seconds = time.perf_counter() - t0
        stop.set()
        thread.join()
        result.peak_rss_mb = max(peak[0], _rss_mb(proc, children))


def prf(predicted: set, truth: set) -> tuple[float, float, float]:
    tp = len(predicted & truth)
    p = tp / len(predicted) if predicted else 0.0
    r = tp / len(truth) if truth else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def unordered(pairs) -> set:
    return {tuple(sorted(p)) for p in pairs}

"""Load at a steady rate, and the latencies it measured: what the write-to-visible rows share."""
from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable


def at_steady_rate(count: int, rate: float, action: Callable[[int], None], workers: int = 32) -> float:
    """Call `action(0)`, `action(1)`, … `count` times, `rate` per second, from `workers` threads; returns the
    rate achieved (raises what an action raised)."""
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = []
        for index in range(count):
            time.sleep(max(0.0, started + index / rate - time.monotonic()))
            futures.append(pool.submit(action, index))
        for future in futures:
            future.result()
    return count / (time.monotonic() - started)


def p50_p99_ms(latencies_s: list[float]) -> tuple[float, float]:
    """The median and the 99th percentile, in milliseconds (infinite when nothing was measured)."""
    if not latencies_s:
        return float("inf"), float("inf")
    ordered = sorted(latencies_s)
    return statistics.median(ordered) * 1000, ordered[int(0.99 * (len(ordered) - 1))] * 1000

"""`make bench`: figures measured on this machine against the real processes (gunicorn APIs,
workers, Kafka, the MongoDB-wire server). Bounded in count and time; loopback only.

    python -m tests.bench.run [--rows 5000] [--events 200] [--rate 50] [--reads 15]
"""
from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid

import requests

from tests.conftest import auth_header
from tests.support.stack import Stack

ADMIN = auth_header("admin")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_import(stack: Stack, rows: int) -> dict:
    prefix = "B" + uuid.uuid4().hex[:6]
    lines = ["code,name,type,parent_code", f"{prefix}.P,Provinsi {prefix},province,",
             f"{prefix}.R,Kabupaten {prefix},regency,{prefix}.P"]
    lines += [f"{prefix}.{i:05d},Dinas {i},work_unit,{prefix}.R" for i in range(rows - 2)]
    body = ("\n".join(lines) + "\n").encode()
    started = time.monotonic()
    response = requests.post(stack.url("agencies", "/api/v1/agencies/import"), data=body, timeout=600,
                             headers={**ADMIN, "Content-Type": "text/csv"})
    elapsed = time.monotonic() - started
    response.raise_for_status()
    return {"rows": rows, "seconds": round(elapsed, 2), "rows_per_s": round(rows / elapsed)}


def bench_replication(stack: Stack, events: int, rate: float) -> dict:
    """Register `events` agencies at `rate` per second; time until each is readable in the indicators replica."""
    latencies: list[float] = []
    lock = threading.Lock()
    session = requests.Session()

    def watch(agency_id: str, written_at: float) -> None:
        poller = requests.Session()
        deadline = written_at + 30
        while time.monotonic() < deadline:
            if poller.get(stack.url("indicators", f"/api/v1/agencies/{agency_id}"), headers=ADMIN,
                          timeout=5).status_code == 200:
                with lock:
                    latencies.append(time.monotonic() - written_at)
                return
            time.sleep(0.005)

    watchers = []
    for i in range(events):
        started = time.monotonic()
        response = session.post(stack.url("agencies", "/api/v1/agencies"), headers=ADMIN, timeout=10,
                                json={"code": f"L{uuid.uuid4().hex[:10]}", "name": f"Dinas {i}", "type": "province"})
        response.raise_for_status()
        watcher = threading.Thread(target=watch, args=(response.json()["id"], time.monotonic()))
        watcher.start()
        watchers.append(watcher)
        time.sleep(max(0.0, 1 / rate - (time.monotonic() - started)))
    for watcher in watchers:
        watcher.join()
    return {"events": events, "rate_per_s": rate, "visible": len(latencies),
            "p50_ms": round(statistics.median(latencies) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1)}


def bench_reads(stack: Stack, seconds: float, connections: int = 32) -> dict:
    """GET one agency from `connections` concurrent clients for `seconds`."""
    agency = requests.post(stack.url("agencies", "/api/v1/agencies"), headers=ADMIN, timeout=10,
                           json={"code": f"R{uuid.uuid4().hex[:10]}", "name": "Dinas", "type": "province"}).json()
    url = stack.url("agencies", f"/api/v1/agencies/{agency['id']}")
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client() -> None:
        session, mine = requests.Session(), []
        while time.monotonic() < stop_at:
            started = time.monotonic()
            session.get(url, headers=ADMIN, timeout=10).raise_for_status()
            mine.append(time.monotonic() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"connections": connections, "seconds": seconds, "requests_per_s": round(len(latencies) / seconds),
            "p50_ms": round(statistics.median(latencies) * 1000, 1), "p99_ms": round(percentile(latencies, 99) * 1000, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--reads", type=float, default=15, help="seconds of the read benchmark")
    args = parser.parse_args()
    stack = Stack(f"bench{uuid.uuid4().hex[:6]}_").start()
    try:
        print("import (one CSV request):", bench_import(stack, args.rows), flush=True)
        print("write-to-visible in the indicators replica:", bench_replication(stack, args.events, args.rate), flush=True)
        print("GET one agency:", bench_reads(stack, args.reads), flush=True)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()

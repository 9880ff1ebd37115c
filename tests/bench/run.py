"""`make bench`: figures measured on this machine against the real processes (gunicorn APIs,
workers, Kafka, the MongoDB-wire server). Bounded in count and time; loopback only.

    python -m tests.bench.run [--rows 2000] [--samples 100] [--reads 10]
"""
from __future__ import annotations

import argparse
import statistics
import threading
import time
import uuid

import requests
from pymongo import MongoClient

from tests.conftest import auth_header
from tests.support.stack import Stack

ADMIN = auth_header("admin")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def bench_import(stack: Stack, rows: int) -> dict:
    """One CSV request of `rows` agencies, then the time until both replicas hold them all."""
    prefix = "B" + uuid.uuid4().hex[:6]
    lines = ["code,name,type,parent_code", f"{prefix}.P,Provinsi {prefix},province,",
             f"{prefix}.R,Kabupaten {prefix},regency,{prefix}.P"]
    lines += [f"{prefix}.{i:05d},Dinas {i},work_unit,{prefix}.R" for i in range(rows - 2)]
    body = ("\n".join(lines) + "\n").encode()
    started = time.monotonic()
    response = requests.post(stack.url("agencies", "/api/v1/agencies/import"), data=body, timeout=600,
                             headers={**ADMIN, "Content-Type": "text/csv"})
    imported = time.monotonic() - started
    response.raise_for_status()
    client = MongoClient("mongodb://127.0.0.1:27017")
    for service in ("indicators", "reforms"):
        replica = client[f"{stack.namespace}kinerja_{service}"].agency_replica
        while replica.count_documents({"code": {"$regex": f"^{prefix}\\."}}) < rows and time.monotonic() - started < 600:
            time.sleep(0.5)
    replicated = time.monotonic() - started
    return {"rows": rows, "import_s": round(imported, 2), "rows_per_s": round(rows / imported),
            "in_both_replicas_s": round(replicated, 1)}


def bench_replication(stack: Stack, samples: int) -> dict:
    """Register one agency at a time and poll the indicators replica until it is readable."""
    latencies: list[float] = []
    writer, reader = requests.Session(), requests.Session()
    for i in range(samples):
        response = writer.post(stack.url("agencies", "/api/v1/agencies"), headers=ADMIN, timeout=10,
                               json={"code": f"L{uuid.uuid4().hex[:10]}", "name": f"Dinas {i}", "type": "province"})
        response.raise_for_status()
        written, url = time.monotonic(), stack.url("indicators", f"/api/v1/agencies/{response.json()['id']}")
        while reader.get(url, headers=ADMIN, timeout=10).status_code != 200:
            if time.monotonic() - written > 30:
                raise RuntimeError("an agency did not reach the replica within 30 s")
            time.sleep(0.005)
        latencies.append(time.monotonic() - written)
    return {"samples": samples, "p50_ms": round(statistics.median(latencies) * 1000, 1),
            "p99_ms": round(percentile(latencies, 99) * 1000, 1), "max_ms": round(max(latencies) * 1000, 1)}


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
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--samples", type=int, default=100)
    parser.add_argument("--reads", type=float, default=10, help="seconds of the read benchmark")
    args = parser.parse_args()
    stack = Stack(f"bench{uuid.uuid4().hex[:6]}_").start()
    try:
        print("import (one CSV request):", bench_import(stack, args.rows), flush=True)
        print("write-to-visible in the indicators replica:", bench_replication(stack, args.samples), flush=True)
        print("GET one agency:", bench_reads(stack, args.reads), flush=True)
    finally:
        stack.stop()


if __name__ == "__main__":
    main()

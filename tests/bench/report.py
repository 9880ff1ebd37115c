"""The bench table: rows with our figure, the ceiling, the ratio and the budget; machine facts; files."""
from __future__ import annotations

import os
import platform
import re
import socket
import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from pymongo import MongoClient

from kinerja.testing.stack import REPO, Stack

RESULTS = REPO / "bench" / "results"


@dataclass(frozen=True)
class Row:
    scenario: str
    ours: str
    ceiling: str = "-"
    ratio: str = "-"
    budget: str = "-"
    passed: bool | None = None  # None: a figure without a budget


def ratio_row(scenario: str, ours: float, ceiling: float, unit: str, min_ratio: float, extra: str = "",
              extra_ok: bool = True, extra_budget: str = "") -> Row:
    ratio = ours / ceiling if ceiling else 0.0
    budget = f"≥ {min_ratio:.0%} of ceiling" + (f", {extra_budget}" if extra_budget else "")
    return Row(scenario, f"{ours:,.0f} {unit}" + (f" ({extra})" if extra else ""), f"{ceiling:,.0f} {unit}",
               f"{ratio:.0%}", budget, ratio >= min_ratio and extra_ok)


def peak_rss_mib(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def rss_rows(stack: Stack) -> list[Row]:
    api_master = stack.processes["agencies-api"].pid
    api_workers = _children(api_master) or [api_master]
    worker = stack.processes["agencies-worker"].pid
    return [Row("peak RSS of one API worker (agencies gunicorn worker)", f"{max(map(peak_rss_mib, api_workers)):.0f} MiB"),
            Row("peak RSS of one service worker (agencies relay)", f"{peak_rss_mib(worker):.0f} MiB")]


def machine_facts() -> dict[str, str]:
    client = MongoClient("mongodb://127.0.0.1:27017", serverSelectionTimeoutMS=3000)
    info = client.admin.command("buildInfo")
    client.close()
    server = "mongod" if "secantus" not in str(info).lower() else "SecantusDB"
    pom = (REPO / "deploy" / "local" / "kafka" / "pom.xml").read_text()
    kafka = re.search(r"<kafka.version>([^<]+)</kafka.version>", pom).group(1)
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    return {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "host": socket.gethostname(),
            "cores": str(os.cpu_count()), "cpu": cpu, "python": platform.python_version(),
            "kafka": kafka, "database": f"{server} (wire version of MongoDB {info.get('version', '?')})",
            "commit": git or "?"}


def render(rows: list[Row]) -> str:
    facts = machine_facts()
    lines = ["Machine: " + ", ".join(f"{k} {v}" for k, v in facts.items()), "",
             "| scenario | ours | ceiling | ratio | budget | result |", "|---|---|---|---|---|---|"]
    for row in rows:
        result = {True: "pass", False: "**FAIL**", None: "-"}[row.passed]
        lines.append(f"| {row.scenario} | {row.ours} | {row.ceiling} | {row.ratio} | {row.budget} | {result} |")
    return "\n".join(lines) + "\n"


def results_path() -> Path:
    """Where this run's table goes (rewritten after every row)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / f"{datetime.now(timezone.utc).strftime('%Y-%m-%dT%H%M')}-{socket.gethostname()}.md"


def save(table: str, path: Path) -> Path:
    path.write_text("# make bench\n\n" + table)
    return path

"""wrk, the HTTP load generator (Debian package `wrk`), driven from Python: one run, parsed."""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

# Each wrk thread numbers its requests; with the run's prefix, every POST body has a unique code.
_POST_SCRIPT = r"""
-- `tid` is a global each thread receives from setup(); a local here would shadow it.
local counter = 0
local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
function init(args)
  prefix = args[1]
  template = args[2]
end
function request()
  counter = counter + 1
  local body = string.gsub(template, "{code}", string.format("%s-%d-%d", prefix, tid, counter))
  return wrk.format("POST", nil, nil, body)
end
"""

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


@dataclass(frozen=True)
class WrkResult:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors plus non-2xx/3xx answers: a run with any is not a valid figure


def _ms(text: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", text).groups()
    return float(number) * _UNITS_MS[unit]


def parse(output: str) -> WrkResult:
    percentiles = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", output, re.M))
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return WrkResult(requests_per_s=float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
                     p50_ms=_ms(percentiles["50"]), p99_ms=_ms(percentiles["99"]),
                     requests=int(re.search(r"(\d+) requests in", output).group(1)),
                     errors=errors + (int(non_2xx.group(1)) if non_2xx else 0))


def combine(results: list[WrkResult]) -> WrkResult:
    """Runs of equal length as one: mean throughput, the worst p50 and p99, summed requests and errors."""
    return WrkResult(requests_per_s=sum(r.requests_per_s for r in results) / len(results),
                     p50_ms=max(r.p50_ms for r in results), p99_ms=max(r.p99_ms for r in results),
                     requests=sum(r.requests for r in results), errors=sum(r.errors for r in results))


def run(url: str, *, seconds: int, connections: int = 32, threads: int = 2, headers: dict[str, str] | None = None,
        post_template: str | None = None, prefix: str = "") -> WrkResult:
    """GET `url`, or POST `post_template` (JSON with a `{code}` placeholder made unique per request)."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for name, value in {**(headers or {}), **({"Content-Type": "application/json"} if post_template else {})}.items():
        argv += ["-H", f"{name}: {value}"]
    with tempfile.TemporaryDirectory() as tmp:
        if post_template:
            script = Path(tmp) / "post.lua"
            script.write_text(_POST_SCRIPT)
            argv += ["-s", str(script), url, "--", prefix, post_template]
        else:
            argv.append(url)
        output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    return parse(output)

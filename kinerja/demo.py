"""The seed's demo data, loaded through the public APIs by `make run`, `docker compose --profile demo` and the
tests' stacks alike: the registry of Kabupaten Tanjung Jabung Barat (deploy/local/demo/tanjabbar.csv), then
the loaders of deploy/local/demo in order — indicators, plans and agreements (sakip.py, which takes the IKU
that indicators.py defines), reform activities. Every step is idempotent: loading twice changes nothing.

    python -m kinerja.demo --agencies URL --indicators URL --reforms URL   (KINERJA_JWT_SECRET or _FILE set)
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterable

import requests

from shared.auth.tokens import mint_token

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "deploy" / "local" / "demo"
# (what it loads, its script, which of the APIs it is given)
STEPS = (("indicators", "indicators.py", ("agencies", "indicators")),
         ("plans and agreements", "sakip.py", ("agencies", "indicators")),
         ("reform activities", "reforms.py", ("agencies", "indicators", "reforms")))


def secret_from_environment() -> str:
    if os.environ.get("KINERJA_JWT_SECRET"):
        return os.environ["KINERJA_JWT_SECRET"]
    path = os.environ.get("KINERJA_JWT_SECRET_FILE")
    if path:
        return Path(path).read_text().strip()
    raise SystemExit("set KINERJA_JWT_SECRET or KINERJA_JWT_SECRET_FILE: the demo loaders sign their own tokens")


def load(urls: dict[str, str], secret: str, extra_rows: Iterable[str] = ()) -> list[str]:
    """Load everything; returns one line of report per step. Raises RuntimeError naming the step that failed."""
    admin = {"Authorization": f"Bearer {mint_token(key=secret, sub='demo-loader', role='admin', agency_id='*')}"}
    rows = [*(DEMO / "tanjabbar.csv").read_text().strip().splitlines(), *extra_rows]
    imported = requests.post(f"{urls['agencies']}/api/v1/agencies/import", data="\n".join(rows).encode(),
                             headers={**admin, "Content-Type": "text/csv"}, timeout=120)
    if imported.status_code != 200:
        raise RuntimeError(f"demo agencies: {imported.status_code} {imported.text[:500]}")
    report = imported.json()
    lines = [f"demo agencies: {report['created']} created, {report['updated']} updated, "
             f"{report['unchanged']} unchanged"]
    env = {**os.environ, "KINERJA_JWT_SECRET": secret, "PYTHONPATH": str(REPO)}
    for what, script, apis in STEPS:
        done = subprocess.run([sys.executable, str(DEMO / script), *(urls[a] for a in apis)], env=env, cwd=REPO,
                              capture_output=True, text=True, timeout=900)
        last = (done.stdout.strip() or done.stderr.strip()).splitlines()[-1:] or [""]
        if done.returncode != 0:
            raise RuntimeError(f"demo {what}: {script} exited {done.returncode}: {done.stdout[-2000:]}"
                               f"{done.stderr[-2000:]}")
        lines.append(f"demo {what}: {last[0]}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kinerja.demo", description=__doc__.splitlines()[0])
    for name in ("agencies", "indicators", "reforms"):
        parser.add_argument(f"--{name}", required=True, help=f"base URL of the {name} API")
    args = parser.parse_args(argv)
    try:
        for line in load({n: getattr(args, n).rstrip("/") for n in ("agencies", "indicators", "reforms")},
                         secret_from_environment()):
            print(line, flush=True)
    except RuntimeError as err:
        print(err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

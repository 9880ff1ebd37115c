"""`make bench`: every performance budget of DESIGN.md measured against the raw limit in the same run.

Each row: scenario, our figure, the ceiling measured in the same run on the same machine, the ratio,
the budget, pass/fail. HTTP load comes from wrk (a real load generator, 32 connections); the event
pipeline drains a real backlog through outbox -> relay -> Kafka -> another service's projection; the
ceiling of the pipeline is raw kafka-python produce -> consume of the same envelopes on the same broker.
Everything runs on loopback, is bounded in time and cleans up after itself.

The table is written after every row, so a row that fails (it says so, with its error) loses nothing measured
before it, and the rows after it still run.

    python -m tests.bench [--seconds 10] [--events 20000] [--rate 200] [--steady-seconds 20] [--only ROW ...]
"""
from __future__ import annotations

import argparse
import traceback
import uuid
from typing import Callable

from tests.bench import pipeline, report
from tests.bench.culture import culture_rows
from tests.bench.dashboard import dashboard_rows
from tests.bench.files import file_rows
from tests.bench.http import BaselineServer, agency_read_row, create_row, seed_agencies
from tests.bench.reforms import summary_rows
from tests.bench.report import Row
from tests.bench.rollup import rollup_row
from tests.bench.scorecards import scorecard_rows
from tests.bench.search import search_rows
from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET

ROWS = ("reads", "writes", "pipeline", "steady", "rollup", "scorecards", "reforms", "culture", "dashboard", "files",
        "search")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--events", type=int, default=20000, help="backlog size of the pipeline run")
    parser.add_argument("--rate", type=int, default=200, help="writes/s of the steady write-to-visible run")
    parser.add_argument("--steady-seconds", type=int, default=20)
    parser.add_argument("--only", action="append", choices=ROWS, help="run only these rows (repeatable); default: all")
    args = parser.parse_args()
    wanted = set(args.only or ROWS)

    namespace = f"bench{uuid.uuid4().hex[:6]}_"
    stack = Stack(namespace, jwt_secret=TEST_JWT_SECRET).start()
    baseline = BaselineServer(f"{namespace}baseline").start()
    rows: list[Row] = []
    path = report.results_path()
    state: dict = {}

    def measure(name: str, produce: Callable[[], list[Row]]) -> None:
        """One step of the bench: its rows, or a failed row saying why; the table is rewritten either way."""
        if name not in wanted:
            return
        try:
            if name != "search":
                pipeline.wait_drained(stack)
            rows.extend(produce())
        except Exception as err:  # noqa: BLE001 - a failed row is reported, and the bench goes on
            traceback.print_exc()
            rows.append(Row(f"{name}: the row failed", f"{type(err).__name__}: {str(err)[:200]}", passed=False))
        report.save(report.render(rows), path)
        print(rows[-1], flush=True)

    try:
        print(f"bench namespace {namespace}; wrk runs of {args.seconds} s at 32 connections; table: {path}", flush=True)
        state["small"] = seed_agencies(stack, 100)
        measure("reads", lambda: [agency_read_row(stack, baseline, state["small"], args.seconds,
                                                  "GET agency by id, 100 agencies")])
        measure("writes", lambda: [create_row(stack, baseline, args.seconds, pipeline.wait_drained)])
        measure("pipeline", lambda: [pipeline.backlog_row(stack, args.events, with_reforms=False)])
        measure("pipeline", lambda: [pipeline.backlog_row(stack, args.events, with_reforms=True)])
        if "pipeline" in wanted:
            measure("reads", lambda: [agency_read_row(stack, baseline, state["small"], args.seconds,
                                                      f"GET agency by id, {pipeline.agency_count(stack):,} agencies")])
        measure("steady", lambda: [pipeline.steady_row(stack, args.rate, args.steady_seconds)])
        measure("rollup", lambda: [rollup_row(stack)])
        measure("scorecards", lambda: scorecard_rows(stack, baseline, args.seconds))
        measure("reforms", lambda: summary_rows(stack))
        measure("culture", lambda: culture_rows(stack))
        measure("dashboard", lambda: dashboard_rows(stack))
        measure("files", lambda: file_rows(stack))
        # Last: it writes a national registry straight into the agencies database, without events, so the
        # replicas never hold it (and the other rows wait for the replicas to hold everything).
        measure("search", lambda: search_rows(stack))
        rows.extend(report.rss_rows(stack))
        report.save(report.render(rows), path)
    finally:
        baseline.stop()
        stack.stop()
        stack.drop_data()
        baseline.drop_data()
    print(report.render(rows))
    missed = [row.scenario for row in rows if row.passed is False]
    print(f"written to {path}; " + (f"{len(missed)} budget(s) missed: {', '.join(missed)}" if missed
                                    else "every budget met"))


if __name__ == "__main__":
    main()

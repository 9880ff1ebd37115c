"""`make bench`: every performance budget of DESIGN.md measured against the raw limit in the same run.

Each row: scenario, our figure, the ceiling measured in the same run on the same machine, the ratio,
the budget, pass/fail. HTTP load comes from wrk (a real load generator, 32 connections); the event
pipeline drains a real backlog through outbox -> relay -> Kafka -> another service's projection; the
ceiling of the pipeline is raw kafka-python produce -> consume of the same envelopes on the same broker.
Everything runs on loopback, is bounded in time and cleans up after itself.

    python -m tests.bench [--seconds 10] [--events 20000] [--rate 200] [--steady-seconds 20]
"""
from __future__ import annotations

import argparse
import uuid

from tests.bench import pipeline, report
from tests.bench.http import BaselineServer, agency_read_row, create_row, seed_agencies
from tests.bench.report import Row
from tests.bench.dashboard import dashboard_rows
from tests.bench.reforms import summary_rows
from tests.bench.scorecards import scorecard_rows
from kinerja.testing.stack import Stack
from tests.conftest import TEST_JWT_SECRET


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--events", type=int, default=20000, help="backlog size of the pipeline run")
    parser.add_argument("--rate", type=int, default=200, help="writes/s of the steady write-to-visible run")
    parser.add_argument("--steady-seconds", type=int, default=20)
    parser.add_argument("--only", action="append",
                        choices=("reads", "writes", "pipeline", "steady", "scorecards", "reforms", "dashboard"),
                        help="run only these rows (repeatable); default: all")
    args = parser.parse_args()
    wanted = set(args.only or ("reads", "writes", "pipeline", "steady", "scorecards", "reforms", "dashboard"))

    namespace = f"bench{uuid.uuid4().hex[:6]}_"
    stack = Stack(namespace, jwt_secret=TEST_JWT_SECRET).start()
    baseline = BaselineServer(f"{namespace}baseline").start()
    rows: list[Row] = []
    try:
        print(f"bench namespace {namespace}; wrk runs of {args.seconds} s at 32 connections", flush=True)
        small = seed_agencies(stack, 100)
        if "reads" in wanted:
            pipeline.wait_drained(stack)
            rows.append(agency_read_row(stack, baseline, small, args.seconds, "GET agency by id, 100 agencies"))
        if "writes" in wanted:
            rows.append(create_row(stack, baseline, args.seconds, pipeline.wait_drained))
        if "pipeline" in wanted:
            pipeline.wait_drained(stack)
            rows.append(pipeline.backlog_row(stack, args.events, with_reforms=False))
            pipeline.wait_drained(stack)
            rows.append(pipeline.backlog_row(stack, args.events, with_reforms=True))
        if "reads" in wanted and "pipeline" in wanted:
            pipeline.wait_drained(stack)
            rows.append(agency_read_row(stack, baseline, small, args.seconds,
                                 f"GET agency by id, {pipeline.agency_count(stack):,} agencies"))
        if "steady" in wanted:
            pipeline.wait_drained(stack)
            rows.append(pipeline.steady_row(stack, args.rate, args.steady_seconds))
        if "scorecards" in wanted:
            pipeline.wait_drained(stack)
            rows += scorecard_rows(stack, baseline, args.seconds)
        if "reforms" in wanted:
            pipeline.wait_drained(stack)
            rows += summary_rows(stack)
        if "dashboard" in wanted:
            pipeline.wait_drained(stack)
            rows += dashboard_rows(stack)
        rows += report.rss_rows(stack)
    finally:
        baseline.stop()
        stack.stop()
        stack.drop_data()
        baseline.drop_data()
    table = report.render(rows)
    print(table)
    path = report.save(table)
    missed = [row.scenario for row in rows if row.passed is False]
    print(f"written to {path}; " + (f"{len(missed)} budget(s) missed: {', '.join(missed)}" if missed
                                    else "every budget met"))


if __name__ == "__main__":
    main()

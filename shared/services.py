"""The service template: one ServiceSpec per service, read by everything that needs to know the services.

Settings take defaults from it (ports, database, consumer group); the local stack (deploy/local), the
supervisor configuration, the test stack and the compose checks list processes from it; the event
catalogue and the consumers' subscriptions are checked against it. Adding a service starts here.

    python -m shared.services          # one line per service: name api_port worker_port
"""
from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceSpec:
    name: str
    title: str
    description: str
    api_port: int
    worker_port: int  # the worker's /healthz and /metrics
    produces: bool  # has aggregates whose events it publishes on `<name>.events`
    consumes: tuple[str, ...] = ()  # topics (without namespace) its worker subscribes to

    @property
    def topic(self) -> str | None:
        return f"{self.name}.events" if self.produces else None


SPECS: dict[str, ServiceSpec] = {spec.name: spec for spec in (
    ServiceSpec("agencies", "Kinerja agencies", "Registry of government agencies, from ministries down to work units.",
                api_port=8001, worker_port=8101, produces=True),
    ServiceSpec("indicators", "Kinerja indicators",
                "Performance indicators, targets, realisations and server-computed achievement.",
                api_port=8002, worker_port=8102, produces=True,
                consumes=("agencies.events", "indicators.events", "reforms.events")),
    ServiceSpec("reforms", "Kinerja reforms",
                "Reform activities (FGDs, trainings, value internalisation) across the eight areas of change.",
                api_port=8003, worker_port=8103, produces=True, consumes=("agencies.events", "indicators.events")),
)}


def spec_of(name: str) -> ServiceSpec:
    return SPECS[name]


if __name__ == "__main__":
    for spec in SPECS.values():
        sys.stdout.write(f"{spec.name} {spec.api_port} {spec.worker_port}\n")

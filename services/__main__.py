"""`python -m services`: one line per service, `name api_port worker_port` (read by deploy/local)."""
import sys

from services.registry import SERVICES

for service in SERVICES.values():
    sys.stdout.write(f"{service.name} {service.spec.api_port} {service.spec.worker_port}\n")

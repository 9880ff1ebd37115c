"""Worker entry point of every service: `python -m services.worker agencies` (outbox relay, consumer and
maintenance tasks, as its declaration says)."""
import sys

from shared.settings import load_settings
from shared.worker import run_worker
from services.registry import service_named


def main(argv: list[str]) -> None:
    if len(argv) != 1:
        raise SystemExit("usage: python -m services.worker <service>")
    service = service_named(argv[0])
    run_worker(service, load_settings(service.spec))


if __name__ == "__main__":
    main(sys.argv[1:])

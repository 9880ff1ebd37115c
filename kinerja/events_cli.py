"""`kinerja events …`: the event bus from a terminal (any bootstrap servers, any namespace).

    kinerja events tail [TOPIC …] [--type T …] [--subject S] [--correlation-id C] [--from-beginning] [--json]
    kinerja events publish TYPE --subject S --data '{"agency": {…}}' [--sequence N] [--source NAME]
    kinerja events dlq list|show|redrive --service NAME [--offset N] [--dry-run]
    kinerja events catalogue [--asyncapi]
    kinerja events republish --service agencies|indicators

`republish` appends every aggregate's current snapshot to its outbox in the service's own database
(KINERJA_MONGO_URI, KINERJA_MONGO_DB or the namespace's default); the service's worker publishes them.

Bootstrap servers and namespace default to KINERJA_KAFKA_BOOTSTRAP and KINERJA_NAMESPACE (else 127.0.0.1:9092
and none). Exit status: 0 done, 1 nothing found (dlq show), 2 refused (bad input, a contract violation).
"""
from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from services.registry import SERVICES
from kinerja.bus import EventBus, Received, UnknownEventType, describe, dumps
from shared.events.contracts import ContractViolation, contract_for


def add_parser(commands) -> None:
    events = commands.add_parser("events", help="tail, publish, dead letters and the catalogue of the event bus")
    events.add_argument("--bootstrap", default=os.environ.get("KINERJA_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
                        help="Kafka bootstrap servers, comma-separated (default: $KINERJA_KAFKA_BOOTSTRAP or "
                             "127.0.0.1:9092)")
    events.add_argument("--namespace", default=os.environ.get("KINERJA_NAMESPACE", ""),
                        help="topic prefix of the deployment (default: $KINERJA_NAMESPACE or none)")
    verbs = events.add_subparsers(dest="verb", required=True)

    tail = verbs.add_parser("tail", help="follow topics (default: every event topic), filtered")
    tail.add_argument("topics", nargs="*", help="e.g. agencies.events (default: every event topic)")
    tail.add_argument("--type", action="append", default=[], help="only these event types (repeatable)")
    tail.add_argument("--subject", help="only events about this aggregate id")
    tail.add_argument("--correlation-id", help="only events caused by this request")
    tail.add_argument("--from-beginning", action="store_true", help="start at the beginning, not at the end")
    tail.add_argument("--json", action="store_true", help="one JSON object per line (default: one readable line)")
    tail.add_argument("--count", type=int, help="stop after this many matching events")
    tail.add_argument("--timeout", type=float, help="stop after this many seconds")

    publish = verbs.add_parser("publish", help="validate an event against its contract and send it")
    publish.add_argument("type", help="e.g. kinerja.agency.registered.v1")
    publish.add_argument("--subject", required=True, help="the aggregate id (also the Kafka key)")
    publish.add_argument("--data", required=True, help="the event's data as JSON, or @file.json")
    publish.add_argument("--sequence", type=int, default=1, help="the aggregate's version after the change")
    publish.add_argument("--source", default="kinerja-cli")
    publish.add_argument("--correlation-id")

    dlq = verbs.add_parser("dlq", help="a consumer's dead letters")
    dlq_verbs = dlq.add_subparsers(dest="dlq_verb", required=True)
    for name, helptext in (("list", "every dead letter, with why it is one"), ("show", "one dead letter in full"),
                           ("redrive", "send each dead letter back to its topic, once")):
        sub = dlq_verbs.add_parser(name, help=helptext)
        sub.add_argument("--service", required=True, help="the consuming service (agencies, indicators, reforms)")
        if name == "list":
            sub.add_argument("--json", action="store_true")
        if name == "show":
            sub.add_argument("--offset", type=int, required=True)
            sub.add_argument("--partition", type=int, default=0)
        if name == "redrive":
            sub.add_argument("--dry-run", action="store_true", help="say what would be sent; send nothing")

    republish = verbs.add_parser("republish", help="re-emit every replicated aggregate's current snapshot, so a new "
                                                   "consumer or a lost replica can be rebuilt (idempotent)")
    republish.add_argument("--service", required=True, choices=list(SERVICES))

    catalogue = verbs.add_parser("catalogue", help="print the event catalogue")
    catalogue.add_argument("--asyncapi", action="store_true", help="the AsyncAPI 3.0 document instead of a table")


def _line(received: Received) -> str:
    event = received.event
    if event is None:
        return f"{received.topic}[{received.partition}]@{received.offset}  NOT AN EVENT: {received.error}"
    data = json.dumps(event.data, ensure_ascii=False)
    return (f"{event.time}  {event.type}  subject={event.subject}  seq={event.sequence}  source={event.source}"
            f"{'  correlation=' + event.correlationid if event.correlationid else ''}  "
            f"{data if len(data) <= 300 else data[:297] + '...'}")


def _matches(received: Received, args) -> bool:
    event = received.event
    if event is None:
        return not (args.type or args.subject or args.correlation_id)
    return ((not args.type or event.type in args.type) and (not args.subject or event.subject == args.subject)
            and (not args.correlation_id or event.correlationid == args.correlation_id))


def _tail(bus: EventBus, args) -> int:
    topics = [bus.topic(t) for t in args.topics] or bus.event_topics()
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    shown = read = 0
    since = None if args.from_beginning else bus.positions(topics)
    print(f"following {', '.join(topics)} ({'from the beginning' if since is None else 'from now'}); Ctrl-C stops",
          file=sys.stderr)
    try:
        for received in bus.read(topics, since=since, follow=True, timeout=args.timeout,
                                 should_stop=lambda: bool(stopping)):
            read += 1
            if not _matches(received, args):
                continue
            shown += 1
            print(dumps(received) if args.json else _line(received), flush=True)
            if args.count and shown >= args.count:
                break
    except KeyboardInterrupt:
        pass
    print(f"{shown} matching of {read} messages read", file=sys.stderr)
    return 0


def _publish(bus: EventBus, args) -> int:
    text = Path(args.data[1:]).read_text() if args.data.startswith("@") else args.data
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        print(f"--data is not JSON: {err}", file=sys.stderr)
        return 2
    try:
        event = bus.publish(args.type, data, subject=args.subject, sequence=args.sequence, source=args.source,
                            correlation_id=args.correlation_id)
    except (UnknownEventType, ContractViolation) as err:
        print(f"refused, nothing sent: {err}", file=sys.stderr)
        return 2
    print(json.dumps({"published": event.id, "type": event.type, "subject": event.subject,
                      "topic": bus.topic(contract_for(event.type).topic)}))
    return 0


def _dlq(bus: EventBus, args) -> int:
    if args.dlq_verb == "list":
        letters = bus.dead_letters(args.service)
        for letter in letters:
            if args.json:
                print(dumps(letter))
            else:
                why = letter.dead_letter
                print(f"{letter.partition}@{letter.offset}  {why.get('reason')}  from {why.get('original_topic')}"
                      f"[{why.get('original_partition')}]@{why.get('original_offset')}  "
                      f"{letter.event.type if letter.event else 'not an event'}  {why.get('error', '')[:200]}")
        print(f"{len(letters)} dead letters in {bus.dead_letter_topic(args.service)}", file=sys.stderr)
        return 0
    if args.dlq_verb == "show":
        found = [d for d in bus.dead_letters(args.service) if (d.partition, d.offset) == (args.partition, args.offset)]
        if not found:
            print(f"no dead letter {args.partition}@{args.offset} in {bus.dead_letter_topic(args.service)}",
                  file=sys.stderr)
            return 1
        print(json.dumps(describe(found[0]), indent=2, ensure_ascii=False))
        return 0
    done = 0

    def progress(letter: Received) -> None:
        nonlocal done
        done += 1
        if done % 100 == 0:
            print(f"… {done} dead letters {'checked' if args.dry_run else 'sent back'}", file=sys.stderr)

    letters = bus.redrive(args.service, dry_run=args.dry_run, progress=progress)
    by_topic: dict[str, int] = {}
    for letter in letters:
        original = letter.dead_letter.get("original_topic", "?")
        by_topic[original] = by_topic.get(original, 0) + 1
        if args.dry_run:
            print(f"would send {letter.partition}@{letter.offset} back to {original}")
    counts = ", ".join(f"{topic}: {n}" for topic, n in sorted(by_topic.items())) or "nothing to send"
    print(f"{'dry run: would send' if args.dry_run else 'sent back'} {len(letters)} dead letters ({counts})",
          file=sys.stderr)
    return 0


def _catalogue(args) -> int:
    if args.asyncapi:
        from shared.asyncapi import document

        print(json.dumps(document(SERVICES.values(), namespace=args.namespace, servers=args.bootstrap.split(",")),
                         indent=1))
    else:
        from shared.catalogue import markdown

        print(markdown(SERVICES.values()), end="")
    return 0


def _republish(args) -> int:
    from shared.db import database, prepare
    from shared.settings import load_settings
    from shared.store.republish import republish

    service = SERVICES[args.service]
    settings = load_settings(service.spec, {**os.environ, "KINERJA_NAMESPACE": args.namespace,
                                            "KINERJA_JWT_SECRET": "-" * 32})  # no token is checked here
    repository = service.repository(prepare(database(settings), service.documents), settings)
    stores = service.republishable(repository)
    if not stores:
        print(f"{args.service}: no aggregate of it is replicated elsewhere; nothing to republish", file=sys.stderr)
        return 2
    for store, contract in stores:
        count = republish(store, contract)
        print(f"{contract.type}: {count} snapshots appended to the outbox of {store.collection.name}; "
              f"the {args.service} worker publishes them")
    return 0


def run(args) -> int:
    if args.verb == "catalogue":
        return _catalogue(args)
    if args.verb == "republish":
        return _republish(args)
    bus = EventBus(args.bootstrap.split(","), namespace=args.namespace)
    try:
        return {"tail": _tail, "publish": _publish, "dlq": _dlq}[args.verb](bus, args)
    finally:
        bus.close()

"""In-memory stand-ins for unit tests of commands, consumers and rules (no I/O).

A service's repository is built on a database; unit tests build it on mongomock's in-memory one, with the
indexes the service declares (its unique indexes are what refuses duplicates), so the same repository,
store and write path run as in production. tests/storage/test_store_contract.py runs the store's contract
on both, so that the fake cannot drift from the real server on what the code relies on.
"""
from __future__ import annotations

import uuid
from typing import Any

import mongomock

from shared.auth.tokens import Principal
from shared.db import prepare
from shared.events.envelope import Event
from shared.service import Service
from shared.settings import load_settings


def _accept_newer_bulk_options() -> None:
    """pymongo 4.20's UpdateOne hands `sort` to the bulk it joins; mongomock 4.3's bulk builder predates that
    option (which the code never sets) and refuses it. Let it take it and ignore it."""
    from mongomock.collection import BulkOperationBuilder

    original = BulkOperationBuilder.add_update
    if getattr(original, "accepts_sort", False):
        return

    def add_update(self, *args, sort=None, **kwargs):
        return original(self, *args, **kwargs)
    add_update.accepts_sort = True
    BulkOperationBuilder.add_update = add_update


_accept_newer_bulk_options()


def fake_database(documents=(), name: str | None = None):
    """An empty in-memory database with the indexes of `documents`."""
    client = mongomock.MongoClient(tz_aware=True)
    return prepare(client[name or f"fake_{uuid.uuid4().hex[:8]}"], documents)


def fake_repository(service: Service, **env: str) -> Any:
    """The service's repository on an in-memory database (settings from `env`, defaults otherwise)."""
    settings = load_settings(service.spec, {"KINERJA_JWT_SECRET": "x" * 32, **env})
    repository = service.repository(fake_database(service.documents), settings)
    service.startup(repository)
    return repository


def pending_events(*stores) -> list[Event]:
    """Every event the stores' aggregates hold in their outboxes (nothing relays them in a unit test), by
    aggregate and sequence: the order the system guarantees."""
    events = [Event.from_dict(entry["event"]) for store in stores
              for doc in store.collection.find({"outbox.0": {"$exists": True}}, {"outbox": 1})
              for entry in doc["outbox"]]
    return sorted(events, key=lambda e: (e.subject, e.sequence))


def pending_audit(*stores) -> list[dict]:
    """Every audit record waiting in the stores' aggregates, oldest first."""
    records = [record for store in stores for doc in store.collection.find({"audit_pending.0": {"$exists": True}},
                                                                           {"audit_pending": 1})
               for record in doc["audit_pending"]]
    return sorted(records, key=lambda r: r["at"])


class ReplicaTree(dict):
    """Agencies in a service's replica (its `repo.directory`), by name: `tree.add("tanjabbar", "regency",
    "jambi")`; `tree["tanjabbar"]` is the id."""

    def __init__(self, repo):
        super().__init__()
        self.repo = repo
        self.docs: dict[str, dict] = {}

    def add(self, name: str, type_: str, parent: str | None = None, status: str = "active") -> str:
        parent_doc = self.docs.get(parent)
        doc = {"_id": str(uuid.uuid4()), "code": name.upper(), "name": name, "short_name": None, "type": type_,
               "parent_id": parent_doc and parent_doc["_id"],
               "path": [*parent_doc["path"], parent_doc["_id"]] if parent_doc else [], "status": status,
               "sequence": 1}
        self.repo.directory.collection.insert_one(doc)
        self.docs[name] = doc
        self[name] = doc["_id"]
        return doc["_id"]

    def name_of(self, agency_id: str) -> str:
        return next(name for name, id_ in self.items() if id_ == agency_id)


ADMIN = Principal("admin@test", "admin", "*")


class Callers:
    """`as_("operator", "pendidikan", "siti")`: a command context of that caller, scoped to the named agency
    of the tree (default: an admin)."""

    def __init__(self, context, repo, tree: ReplicaTree):
        self.context, self.repo, self.tree = context, repo, tree

    def principal(self, role: str = "admin", home: str | None = None, sub: str | None = None) -> Principal:
        if (role, home, sub) == ("admin", None, None):
            return ADMIN
        return Principal(sub or f"{role}@{home}", role, self.tree[home] if home else "*")

    def __call__(self, role: str = "admin", home: str | None = None, sub: str | None = None):
        return self.context(self.principal(role, home, sub), self.repo)

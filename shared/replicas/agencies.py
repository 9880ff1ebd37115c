"""The replica of the agency tree kept by the indicators and reforms services.

Both services need the same facts about agencies (to scope data and check existence) and neither may
read the agencies database, so the replica's collection and its event handler live here once (its read-only
endpoint: shared.http.replica_routes). The services read it through shared.auth.directory.AgencyDirectory.
"""
from __future__ import annotations

from mongoengine import DictField, Document, IntField, ListField, StringField
from pymongo.collection import Collection

from shared.contracts.agencies import TOPIC
from shared.replicas.snapshots import SnapshotReplica


class AgencyReplica(Document):
    meta = {"collection": "agency_replica", "indexes": ["parent_id", "path", "code"]}

    id = StringField(primary_key=True)
    code = StringField(required=True)
    name = StringField(required=True)
    short_name = StringField(null=True)
    type = StringField(required=True)
    parent_id = StringField(null=True)
    path = ListField(StringField())
    status = StringField(required=True)
    head = DictField(null=True)  # {name, title}
    sequence = IntField(required=True)
    events_applied = IntField()
    updated_at = StringField()  # time of the event this replica reflects (ISO 8601)


def agency_replica(replica: Collection | None) -> SnapshotReplica:
    """The handler that keeps `replica` from agency events (None: only to ask for its contracts)."""
    return SnapshotReplica(replica, TOPIC, "agency")

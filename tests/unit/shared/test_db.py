"""Index creation at start-up: bounded, and a build that does not finish stops the process naming the index."""
from __future__ import annotations

import mongomock
import pytest
from pymongo.errors import ExecutionTimeout

from services.agencies.adapters.documents import Agency
from shared import db as dbmod


def test_every_index_is_built_with_a_time_limit(monkeypatch):
    database = mongomock.MongoClient().db
    asked = []
    monkeypatch.setattr(mongomock.collection.Collection, "create_index",
                        lambda self, keys, **options: asked.append((keys, options["maxTimeMS"])) or "ok")
    dbmod.create_indexes(database, Agency)
    assert asked and {limit for _, limit in asked} == {dbmod.INDEX_BUILD_LIMIT_MS}
    assert [keys for keys, _ in asked] == [spec["fields"] for spec in Agency._meta["index_specs"]]


def test_an_index_build_that_runs_out_of_time_stops_start_up_naming_it(monkeypatch):
    database = mongomock.MongoClient().db

    def times_out(self, keys, **options):
        raise ExecutionTimeout("operation exceeded time limit")

    monkeypatch.setattr(mongomock.collection.Collection, "create_index", times_out)
    with pytest.raises(dbmod.IndexBuildFailed) as failed:
        dbmod.prepare(database, [Agency])
    first = Agency._meta["index_specs"][0]["fields"]
    assert str(first) in str(failed.value) and "db.agencies" in str(failed.value)

"""The reforms commands and queries on the repository over an in-memory database: Jambi > Tanjabbar > 22
work units (+ an inactive one) and Tanjabtim in its replica, an indicator in its indicator replica."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from services.reforms.commands.activities import plan_activity
from services.reforms.commands.common import ReformsContext
from services.reforms.service import SERVICE
from tests.support.fakes import Callers, ReplicaTree, fake_repository

WIB = timezone(timedelta(hours=7))
FGD = {"title": "FGD Mengubah Tata Pikir (mind set) Pimpinan SKPD", "kind": "fgd", "area": "manajemen_perubahan",
       "start": datetime(2025, 1, 30, 8, tzinfo=WIB), "end": datetime(2025, 1, 30, 16, tzinfo=WIB),
       "planned_participants": 22, "venue": "Jl. Veteran No. 10, Jakarta Pusat"}


@pytest.fixture
def repo():
    return fake_repository(SERVICE)


@pytest.fixture
def org(repo) -> ReplicaTree:
    tree = ReplicaTree(repo)
    tree.add("jambi", "province")
    tree.add("tanjabbar", "regency", "jambi")
    for n in range(1, 23):
        tree.add(f"unit{n:02d}", "work_unit", "tanjabbar")
    tree.add("closed", "work_unit", "tanjabbar", status="inactive")
    tree.add("tanjabtim", "regency", "jambi")
    return tree


@pytest.fixture
def as_(repo, org) -> Callers:
    return Callers(ReformsContext, repo, org)


@pytest.fixture
def indicator(repo, org) -> dict:
    doc = {"_id": "ind-1", "agency_id": org["unit01"], "code": "IKU-RB-01", "name": "Kegiatan RB", "status": "active",
           "fed_by_reforms": [], "sequence": 1}
    repo.indicator_replica.insert_one(doc)
    return {"id": doc["_id"], **{k: v for k, v in doc.items() if k != "_id"}}


def planned(ctx: ReformsContext, organiser: str, **fields) -> dict:
    return plan_activity(ctx, {**FGD, "organiser_agency_id": organiser, "description": None, "facilitator": None,
                               "speakers": [], "linked_indicator_ids": [], **fields})


def people(org, units, prefix: str = "Pimpinan") -> list[dict]:
    return [{"agency_id": org[f"unit{n:02d}"], "name": f"{prefix} {n:02d}", "position": f"Kepala SKPD {n:02d}"}
            for n in units]

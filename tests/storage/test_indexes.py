"""Every query the services send uses an index.

Rather than a hand-kept list of queries, the test records every command the code sends during a session
that touches each route, the relay, the projections and the maintenance tasks, then asks the server to
explain each one: a COLLSCAN anywhere in a winning plan fails the test with the command that caused it.
"""
from __future__ import annotations

import threading

import pytest
from pymongo import monitoring

from shared.contracts.agencies import AGENCY_REGISTERED
from shared.events.handlers import HandlerRegistry
from shared.events.envelope import Event
from shared.db import collection, create_indexes
from shared.replicas.agencies import AgencyReplica, agency_replica
from shared.store.relay import OutboxRelay
from services.agencies.adapters import DOCUMENTS as AGENCY_DOCUMENTS
from services.indicators.adapters import DOCUMENTS as INDICATOR_DOCUMENTS
from services.reforms.adapters import DOCUMENTS as REFORM_DOCUMENTS
from tests.conftest import auth_header
from tests.integration.indicators_support import (api, define, indicators_app, indicators_settings,  # noqa: F401
                                                  registry, repo, run_worker, tree, verified)
from tests.integration.reforms_support import (indicators, make_org, ref, reforms_app,  # noqa: F401
                                               reforms_registry, reforms_repo, reforms_settings)
from tests.support.pump import deliver

QUERY_COMMANDS = {"find", "count", "aggregate", "update", "delete", "findAndModify", "distinct"}
_SESSION_FIELDS = {"lsid", "$clusterTime", "$db", "txnNumber", "$readPreference", "readConcern", "writeConcern"}


class CommandRecorder(monitoring.CommandListener):
    """Keeps every query command sent while `recording` is set (pymongo listeners are process-wide)."""

    def __init__(self):
        self.recording = threading.Event()
        self.commands: list[tuple[str, dict]] = []

    def started(self, event):
        if self.recording.is_set() and event.command_name in QUERY_COMMANDS:
            self.commands.append((event.database_name, {k: v for k, v in event.command.items()
                                                         if k not in _SESSION_FIELDS}))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


RECORDER = CommandRecorder()
monitoring.register(RECORDER)  # before the app's client exists, so that client reports to it


class _AckingProducer:
    """The relay's producer here: every send acknowledged at once (this test is about MongoDB)."""

    class _Acked:
        is_done = True

        def failed(self):
            return False

    def send(self, *args, **kwargs):
        return self._Acked()

    def flush(self, timeout=None):
        return None


def _collscans(plan) -> bool:
    if isinstance(plan, dict):
        return plan.get("stage") == "COLLSCAN" or any(_collscans(v) for v in plan.values())
    if isinstance(plan, list):
        return any(_collscans(v) for v in plan)
    return False


def _winning_plans(explained) -> list:
    """Every winning plan in an explain answer (aggregations nest theirs inside their stages)."""
    if isinstance(explained, dict):
        found = [explained["winningPlan"]] if "winningPlan" in explained else []
        return found + [p for k, v in explained.items() if k != "winningPlan" for p in _winning_plans(v)]
    if isinstance(explained, list):
        return [p for v in explained for p in _winning_plans(v)]
    return []


def _explain(db, command: dict) -> dict:
    if "updates" in command:  # explain takes one statement at a time
        command = {**command, "updates": command["updates"][:1]}
    if "deletes" in command:
        command = {**command, "deletes": command["deletes"][:1]}
    if "aggregate" in command:
        command = {**command, "cursor": {}}
    for field in ("batchSize", "singleBatch", "maxTimeMS", "ordered", "bypassDocumentValidation"):
        command.pop(field, None)
    return db.command({"explain": command, "verbosity": "queryPlanner"})


@pytest.fixture
def agencies_settings(settings_for):
    return settings_for("agencies", "idx_")


def exercise_every_agencies_route(client, mongo_db):
    csv = ["code,name,type,parent_code", "IX.P,Provinsi IX,province,", "IX.Q,Provinsi IQ,province,",
           "IX.R,Kabupaten IX,regency,IX.P", "IX.S,Kabupaten IS,regency,IX.P"]
    csv += [f"IX.{i:03d},Dinas {i},work_unit,IX.R" for i in range(300)]
    report = client.post("/api/v1/agencies/import", data="\n".join(csv), content_type="text/csv")
    assert report.status_code == 200, report.get_data(as_text=True)
    ids = {row["code"]: row["id"] for row in report.get_json()["rows"]}
    unit, regency, other = ids["IX.007"], ids["IX.R"], ids["IX.S"]
    viewer = auth_header("viewer", regency)
    RECORDER.recording.set()
    created = client.post("/api/v1/agencies", json={"code": "IX.NEW", "name": "Dinas Baru", "type": "work_unit",
                                                    "parent_id": regency})
    assert created.status_code == 201
    etag = created.headers["ETag"]
    assert client.get(f"/api/v1/agencies/{unit}").status_code == 200
    assert client.patch(f"/api/v1/agencies/{created.get_json()['id']}", json={"name": "Dinas Baru II"},
                        headers={"If-Match": etag}).status_code == 200
    for query in ("", "?type=work_unit", "?status=active&sort=-name", f"?parent_id={regency}", "?q=dinas 1",
                  "?root_only=true", "?page=3&page_size=50"):
        assert client.get(f"/api/v1/agencies{query}").status_code == 200
        assert client.get(f"/api/v1/agencies{query}", headers=viewer).status_code == 200
    for path in ("children", "ancestors", "descendants", "descendants?max_depth=1", "tree", "tree?max_depth=1"):
        assert client.get(f"/api/v1/agencies/{regency}/{path}").status_code == 200
    assert client.post(f"/api/v1/agencies/{unit}/move", json={"parent_id": other}).status_code == 200
    assert client.post(f"/api/v1/agencies/{regency}/move", json={"parent_id": ids["IX.Q"]}).status_code == 200
    assert client.post(f"/api/v1/agencies/{unit}/deactivate", json={"reason": "merged"}).status_code == 200
    assert client.post(f"/api/v1/agencies/{unit}/reactivate", json={"reason": "split"}).status_code == 200
    for query in ("", f"?entity_id={unit}", f"?agency_id={unit}", "?actor=admin-tester", "?entity_type=agency"):
        assert client.get(f"/api/v1/audit{query}").status_code == 200
        assert client.get(f"/api/v1/audit{query}", headers=auth_header("evaluator", regency)).status_code == 200
    return [unit, regency, other]


def test_every_declared_index_exists_after_start_up(agencies_app, mongo_db):
    for document in {*AGENCY_DOCUMENTS, *INDICATOR_DOCUMENTS, *REFORM_DOCUMENTS}:
        create_indexes(mongo_db, document)
        create_indexes(mongo_db, document)  # twice in a row: still no error
        existing = {tuple(spec["key"]) for spec in collection(mongo_db, document).index_information().values()}
        declared = {tuple(spec["fields"]) for spec in document._meta["index_specs"]}
        assert declared <= existing, f"{document.__name__}: missing {declared - existing}"


def test_every_query_of_the_agencies_service_uses_an_index(client, mongo_db):
    sample_ids = []
    try:
        sample_ids = exercise_every_agencies_route(client, mongo_db)
        from services.agencies.adapters.documents import Agency
        from services.agencies.commands.common import SYSTEM, AgencyContext
        from services.agencies.commands.paths import repair_dirty_subtrees

        relay = OutboxRelay([collection(mongo_db, Agency)], _AckingProducer(), "unused")
        while relay.relay_once():
            pass
        collection(mongo_db, Agency).update_one({"_id": sample_ids[0]}, {"$set": {"subtree_dirty": True}})
        from datetime import timedelta
        assert repair_dirty_subtrees(AgencyContext(SYSTEM, client.application.extensions["kinerja.repository"]),
                                     grace=timedelta(0)) == 0
        registry = HandlerRegistry()
        agency_replica(collection(mongo_db, AgencyReplica)).register(registry)
        events = []
        for unit in sample_ids:
            snapshot = {"id": unit, "code": "X", "name": "X", "type": "province", "parent_id": None,
                        "path": [], "status": "active"}
            event = AGENCY_REGISTERED.build(source="agencies", subject=unit, sequence=1, data={"agency": snapshot})
            events.append(Event.from_dict(event.to_dict()))
        deliver(registry, events)
        collection(mongo_db, AgencyReplica).find_one({"_id": "unknown"})
    finally:
        RECORDER.recording.clear()
    assert_every_command_uses_an_index(mongo_db)


def assert_every_command_uses_an_index(db) -> None:
    commands = [c for name, c in RECORDER.commands if name == db.name]
    assert len(commands) > 40, "the session should have sent many queries"
    plans = [(c, _winning_plans(_explain(db, c))) for c in commands]
    assert all(found for _, found in plans), [c for c, found in plans if not found]
    offenders = [c for c, found in plans if _collscans(found)]
    assert offenders == [], "\n".join(map(str, offenders))


def test_every_query_of_the_indicators_service_uses_an_index(indicators_app, api, tree, registry, run_worker):
    """Every route of the indicators service, its scorer and its reform counter."""
    from tests.integration.test_indicators import completed

    RECORDER.commands.clear()
    RECORDER.recording.set()
    try:
        ikm = define(api, tree["pendidikan"], weight=2)
        monthly = define(api, tree["bidang_sd"], frequency="monthly", parent_indicator_id=None)
        fed = define(api, tree["kesehatan"], fed_by_reforms=[])
        verified(api, ikm, "2025", 70, {"min": 80, "max": 90})
        verified(api, monthly, "202503", 5, 10)
        base = f"/api/v1/indicators/{ikm['id']}"
        for path in ("", "/targets", "/realisations", "/realisations/2025", "/cascade"):
            assert api.get(base + path).status_code == 200
        for query in ("", f"?agency_id={tree['tanjabbar']}&subtree=true", "?category=IKU&q=indeks",
                      f"?agency_id={tree['pendidikan']}&status=active&frequency=annual"):
            assert api.get(f"/api/v1/indicators{query}").status_code == 200
            assert api.get(f"/api/v1/indicators{query}", headers=auth_header("viewer", tree["tanjabbar"])).status_code \
                in (200, 403)
        lock = api.post("/api/v1/period-locks", json={"agency_id": tree["tanjabtim"], "period": "2024"}).get_json()
        api.get(f"/api/v1/period-locks?agency_id={tree['tanjabtim']}&locked_only=true")
        api.get("/api/v1/period-locks", headers=auth_header("evaluator", tree["tanjabbar"]))
        api.post(f"/api/v1/period-locks/{lock['id']}/unlock", json={"reason": "x"})
        api.put(f"/api/v1/agencies/{tree['pendidikan']}/rollup-weight", json={"weight": 2})
        deliver(registry, [completed("act-1", [fed["id"]])])
        culture_fed = define(api, tree["tanjabbar"], fed_by_culture={"instrument": "berakhlak", "dimension": None})
        from tests.unit.indicators.test_culture_feed import closed, shown
        deliver(registry, [closed([shown(tree["tanjabbar"], 70)])])
        assert api.get(f"/api/v1/indicators/{culture_fed['id']}/realisations/2025").get_json()["value"] == 70
        run_worker()
        tree.move("kesehatan", "tanjabtim")
        run_worker()
        for period in ("2025", "2025Q1", "202503"):
            assert api.get(f"/api/v1/agencies/{tree['tanjabbar']}/scorecard?period={period}").status_code == 200
            assert api.get(f"/api/v1/agencies/{tree['tanjabbar']}/rankings?period={period}").status_code == 200
            assert api.get(f"/api/v1/agencies/{tree['tanjabbar']}/data-quality?period={period}").status_code == 200
        api.get("/api/v1/rulepacks")
        api.get("/api/v1/rulepacks/1")
        api.get(f"/api/v1/audit?agency_id={tree['pendidikan']}")
        from tests.integration import test_sakip as sakip
        sakip.test_a_plan_and_a_signed_agreement_then_its_revision(api, tree, run_worker)
        for path in ("plans", "performance-agreements"):
            for query in ("", "?year=2025", f"?agency_id={tree['tanjabbar']}&subtree=true&year=2025",
                          "?status=signed" if path != "plans" else "?status=active"):
                assert api.get(f"/api/v1/{path}{query}").status_code == 200
            assert api.get(f"/api/v1/{path}", headers=auth_header("viewer", tree["tanjabbar"])).status_code == 200
        assert api.put("/api/v1/rulepacks/2/effective-from", json={"effective_from": "2024-01-01",
                                                                    "reason": "x"}).status_code == 200
        run_worker()
    finally:
        RECORDER.recording.clear()
    assert_every_command_uses_an_index(indicators_app.extensions["kinerja.repository"].indicators.collection.database)


def test_every_query_of_the_reforms_service_uses_an_index(ref, indicators, reforms_repo, reforms_registry):
    """Every route of the reforms service (the integration tests' scenarios, recorded) and its replicas."""
    from tests.integration import test_reforms as scenarios

    RECORDER.commands.clear()
    RECORDER.recording.set()
    try:
        org = make_org(reforms_registry)
        scenarios.test_planning_answers_201_with_location_etag_and_the_planned_event(ref, org, indicators, reforms_repo)
        scenarios.test_registration_counts_and_refuses_duplicates_inactive_and_unknown_agencies(ref, org, reforms_repo)
        scenarios.test_attendance_is_marked_while_in_progress_only(ref, org)
        scenarios.test_follow_ups_are_agreed_after_the_activity_and_listed_overdue_by_due_date(ref, org, reforms_repo)
        for scenario in (scenarios.test_the_summary_rolls_up_and_adds_up,
                         scenarios.test_activities_are_scoped_to_the_organisers_subtree,
                         scenarios.test_the_list_filters_and_orders_by_start):
            scenario(ref, make_org(reforms_registry))  # each on a tree of its own, as in its own test
        for query in ("", "?overdue=true", "?status=open&year=2025"):
            assert ref.get(f"/api/v1/follow-ups{query}").status_code == 200
        assert ref.get("/api/v1/activities?status=planned&area=manajemen_perubahan").status_code == 200
        assert ref.get(f"/api/v1/indicators/{indicators.define(org['unit01'])['id']}").status_code == 200
        assert ref.get(f"/api/v1/audit?agency_id={org['tanjabbar']}").status_code == 200
        from tests.integration import test_culture as culture
        culture.test_the_seed_fgd_measured_before_and_after(ref, make_org(reforms_registry), reforms_repo)
        culture.test_a_respondent_answers_once_and_only_a_participant_answers(ref, make_org(reforms_registry))
        culture.test_change_commitments_and_their_overdue_milestones(ref, make_org(reforms_registry))
        for query in ("?overdue=true", "?status=planned&year=2025"):
            assert ref.get(f"/api/v1/commitments{query}").status_code == 200
        assert ref.get("/api/v1/follow-ups?overdue=true").status_code == 200
        assert ref.get("/api/v1/surveys?year=2025").status_code == 200
        assert ref.get(f"/api/v1/surveys?year=2025&agency_id={org['tanjabbar']}").status_code == 200
        assert ref.get("/api/v1/instruments").status_code == 200
        assert ref.post("/api/v1/instruments/berakhlak/versions", json=culture.BERAKHLAK_AGAIN).status_code == 201
    finally:
        RECORDER.recording.clear()
    assert_every_command_uses_an_index(reforms_repo.activities.collection.database)

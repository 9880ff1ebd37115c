"""Every write command (and the subtree reads) of the indicators service against every kind of caller, each
case on fresh state: who may (the command writes) and who is refused (Forbidden, nothing written). Over
HTTP, tests/integration/test_indicators_matrix.py keeps one allowed and one refused call per route.

The tree: Jambi > Tanjabbar > Pendidikan, Kesehatan. The object of every command belongs to Pendidikan."""
from __future__ import annotations

import pytest

from shared.errors import Forbidden
from services.indicators import queries
from services.indicators.commands.indicators import retire_indicator, set_target, update_indicator
from services.indicators.commands.locks import lock_period, unlock_period
from services.indicators.commands.realisations import (record_realisation, reject_realisation, reopen_realisation,
                                                       submit_realisation, verify_realisation)
from services.indicators.commands.agreements import draft_agreement, revise_agreement, sign_agreement, update_draft
from services.indicators.commands.plans import archive_plan, create_plan, update_plan
from services.indicators.commands.rulepacks import add_rule_pack, make_effective
from services.indicators.commands.weights import set_rollup_weight
from tests.support.fakes import pending_audit, pending_events
from tests.unit.indicators.conftest import indicator_of

CALLERS = {  # name: (role, home agency)
    "admin": ("admin", None),
    "operator of the unit": ("operator", "pendidikan"),
    "operator of the regency": ("operator", "tanjabbar"),
    "operator of a sibling": ("operator", "kesehatan"),
    "evaluator of the regency": ("evaluator", "tanjabbar"),
    "evaluator of a sibling": ("evaluator", "kesehatan"),
    "viewer of the unit": ("viewer", "pendidikan"),
}
WRITERS = {"admin", "operator of the unit", "operator of the regency"}
VERIFIERS = {"admin", "evaluator of the regency"}
READERS = {"admin", "operator of the unit", "operator of the regency", "evaluator of the regency", "viewer of the unit"}


def _indicator(as_, tree):
    return indicator_of(as_(), tree["pendidikan"])


def _realisation(as_, tree, *, submitted=False, verified=False):
    indicator = _indicator(as_, tree)
    submitter = as_("operator", "pendidikan", "submitter@unit")
    record_realisation(submitter, indicator["id"], "2025", {"value": 70})
    if submitted or verified:
        submit_realisation(submitter, indicator["id"], "2025")
    if verified:
        verify_realisation(as_("evaluator", "tanjabbar", "checker@inspektorat"), indicator["id"], "2025")
    return indicator["id"]


def _lock(as_, tree):
    return lock_period(as_(), tree["pendidikan"], "2024", "closing")["id"]


def _plan_body(tree, indicator_id: str | None = None) -> dict:
    rows = [{"indicator_id": indicator_id, "targets": {"2025": 80}, "end_target": 90}] if indicator_id else []
    return {"agency_id": tree["pendidikan"], "name": "Renstra 2025–2029", "start_year": 2025, "end_year": 2029,
            "goals": [{"code": "T1", "name": "Tujuan", "objectives": [{"code": "S1", "name": "Sasaran",
                                                                        "indicators": rows}]}]}


def _plan(as_, tree):
    return create_plan(as_(), _plan_body(tree, _indicator(as_, tree)["id"]))["id"]


def _agreement_body(tree, indicator_id: str, target: float = 80) -> dict:
    return {"agency_id": tree["pendidikan"], "year": 2025, "head": {"name": "Kepala", "title": "Kepala Dinas"},
            "superior": {"name": "Bupati", "title": "Bupati"},
            "objectives": [{"name": "Sasaran", "indicators": [{"indicator_id": indicator_id,
                                                                "target": {"value": target}}]}]}


def _agreement(as_, tree, signed=False):
    indicator = _indicator(as_, tree)["id"]
    agreement = draft_agreement(as_(), _agreement_body(tree, indicator))
    if signed:
        sign_agreement(as_(), agreement["id"], None)
    return agreement["id"], indicator


# command: (prepare(as_, tree) -> call(ctx), allowed callers)
COMMANDS = {
    "define an indicator": (lambda a, t: lambda ctx: indicator_of(ctx, t["pendidikan"]), WRITERS),
    "change an indicator": (lambda a, t: (lambda i: lambda ctx: update_indicator(ctx, i, {"name": "renamed"}, None))(
        _indicator(a, t)["id"]), WRITERS),
    "retire an indicator": (lambda a, t: (lambda i: lambda ctx: retire_indicator(ctx, i, "replaced", None))(
        _indicator(a, t)["id"]), WRITERS),
    "set a target": (lambda a, t: (lambda i: lambda ctx: set_target(ctx, i, "2025", {"value": 80}, None))(
        _indicator(a, t)["id"]), WRITERS),
    "record a realisation": (lambda a, t: (lambda i: lambda ctx: record_realisation(ctx, i, "2025", {"value": 75}))(
        _indicator(a, t)["id"]), WRITERS),
    "submit a realisation": (lambda a, t: (lambda i: lambda ctx: submit_realisation(ctx, i, "2025"))(
        _realisation(a, t)), WRITERS),
    "verify a realisation": (lambda a, t: (lambda i: lambda ctx: verify_realisation(ctx, i, "2025"))(
        _realisation(a, t, submitted=True)), VERIFIERS),
    "reject a realisation": (lambda a, t: (lambda i: lambda ctx: reject_realisation(ctx, i, "2025", "no evidence"))(
        _realisation(a, t, submitted=True)), VERIFIERS),
    "reopen a realisation": (lambda a, t: (lambda i: lambda ctx: reopen_realisation(ctx, i, "2025", "late evidence"))(
        _realisation(a, t, verified=True)), VERIFIERS),
    "lock a period": (lambda a, t: lambda ctx: lock_period(ctx, t["pendidikan"], "2025", "closing"), VERIFIERS),
    "unlock a period": (lambda a, t: (lambda lock: lambda ctx: unlock_period(ctx, lock, "correction"))(_lock(a, t)),
                        VERIFIERS),
    # how much the unit counts in its parent's roll-up is the parent's to decide
    "set a roll-up weight": (lambda a, t: lambda ctx: set_rollup_weight(ctx, t["pendidikan"], 2),
                             {"admin", "operator of the regency"}),
    "add a rule pack": (lambda a, t: lambda ctx: add_rule_pack(ctx, {
        "effective_from": __import__("datetime").date(2099, 1, 1), "cap": 120, "green_from": 90, "yellow_from": 70,
        "bands": [{"code": "A", "min": 50}, {"code": "B", "min": None}]}), {"admin"}),
    "make a rule pack effective": (lambda a, t: lambda ctx: make_effective(
        ctx, "2", __import__("datetime").date(2024, 1, 1), "SAKIP 2024"), {"admin"}),
    "draw up a plan": (lambda a, t: (lambda i: lambda ctx: create_plan(ctx, _plan_body(t, i)))(
        _indicator(a, t)["id"]), WRITERS),
    "change a plan": (lambda a, t: (lambda p: lambda ctx: update_plan(ctx, p, {"name": "Renstra baru"}, None))(
        _plan(a, t)), WRITERS),
    "archive a plan": (lambda a, t: (lambda p: lambda ctx: archive_plan(ctx, p, "diganti", None))(_plan(a, t)),
                       WRITERS),
    "draft an agreement": (lambda a, t: (lambda i: lambda ctx: draft_agreement(ctx, _agreement_body(t, i)))(
        _indicator(a, t)["id"]), WRITERS),
    "change a draft": (lambda a, t: (lambda ai: lambda ctx: update_draft(ctx, ai[0], _agreement_body(t, ai[1], 85),
                                                                         None))(_agreement(a, t)), WRITERS),
    "sign an agreement": (lambda a, t: (lambda ai: lambda ctx: sign_agreement(ctx, ai[0], None))(_agreement(a, t)),
                          WRITERS),
    "revise an agreement": (lambda a, t: (lambda ai: lambda ctx: revise_agreement(ctx, ai[0], {
        **_agreement_body(t, ai[1], 70), "reason": "perubahan"}, None))(_agreement(a, t, signed=True)), WRITERS),
}


def _written(repo) -> set[str]:
    """The events and audit records written (a draft agreement has no event, only its audit record)."""
    stores = (repo.indicators, repo.realisations, repo.locks, repo.rulepacks, repo.weights_store, repo.plans,
              repo.agreements)
    return {e.id for e in pending_events(*stores)} | {r["_id"] for r in pending_audit(*stores)}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_write_command_by_role_and_scope(repo, tree, as_, command, caller):
    prepare, allowed = COMMANDS[command]
    call = prepare(as_, tree)
    before = _written(repo)
    role, home = CALLERS[caller]
    ctx = as_(role, home, caller.replace(" ", "-"))
    if caller in allowed:
        assert call(ctx)["version"] >= 1
        assert _written(repo) - before, "an allowed command writes its event"
    else:
        with pytest.raises(Forbidden):
            call(ctx)
        assert _written(repo) == before, "a refused command writes nothing"


READS = {
    "an indicator": lambda r, t, i: queries.readable_indicator(r[0], r[1], i),
    "its targets": lambda r, t, i: queries.target_history(r[0], r[1], i),
    "its realisations": lambda r, t, i: queries.realisations_of(r[0], r[1], i),
    "its cascade": lambda r, t, i: queries.cascade(r[0], r[1], i),
    "the unit's scorecard": lambda r, t, i: queries.scorecard(r[0], r[1], t["pendidikan"], "2025"),
    "the unit's rankings": lambda r, t, i: queries.rankings(r[0], r[1], t["pendidikan"], "2025"),
    "the unit's data quality": lambda r, t, i: queries.data_quality(r[0], r[1], t["pendidikan"], "2025"),
    "the unit's indicators": lambda r, t, i: queries.list_indicators(r[0], r[1], {
        "agency_id": t["pendidikan"], "page": 1, "page_size": 10}),
    "the unit's plans": lambda r, t, i: queries.list_plans(r[0], r[1], {
        "agency_id": t["pendidikan"], "year": 2025, "page": 1, "page_size": 10}),
    "the unit's agreements": lambda r, t, i: queries.list_agreements(r[0], r[1], {
        "agency_id": t["pendidikan"], "year": 2025, "page": 1, "page_size": 10}),
}
# Reads of one document, prepared by an admin: (prepare(as_, tree) -> read(principal, repo)).
DOCUMENT_READS = {
    "a plan": lambda a, t: (lambda p: lambda who, repo: queries.readable_plan(who, repo, p))(_plan(a, t)),
    "an agreement": lambda a, t: (lambda ai: lambda who, repo: queries.readable_agreement(who, repo, ai[0]))(
        _agreement(a, t)),
    "a signed version": lambda a, t: (lambda ai: lambda who, repo: queries.agreement_version(who, repo, ai[0], 1))(
        _agreement(a, t, signed=True)),
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("read", DOCUMENT_READS)
def test_every_document_read_by_role_and_scope(repo, tree, as_, read, caller):
    call = DOCUMENT_READS[read](as_, tree)
    principal = as_.principal(*CALLERS[caller])
    if caller in READERS:
        assert call(principal, repo)["id" if read != "a signed version" else "number"] is not None
    else:
        with pytest.raises(Forbidden):
            call(principal, repo)


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("read", READS)
def test_every_read_by_role_and_scope(repo, tree, as_, read, caller):
    indicator = _indicator(as_, tree)["id"]
    principal = as_.principal(*CALLERS[caller])
    if caller in READERS:
        assert READS[read]((principal, repo), tree, indicator) is not None
    else:
        with pytest.raises(Forbidden):
            READS[read]((principal, repo), tree, indicator)

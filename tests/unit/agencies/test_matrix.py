"""Every command and tree read of the registry against every kind of caller, each on fresh state: who may
(the command writes) and who is refused (Forbidden, nothing written). Over HTTP, tests/integration/
test_security.py keeps one allowed and one refused call per route.

The tree: Jambi ─┬─ Regency A ── Unit A
                 └─ Regency B ── Unit B"""
from __future__ import annotations

import pytest

from shared.auth.tokens import Principal
from shared.errors import Forbidden
from services.agencies import queries
from services.agencies.commands.common import AgencyContext
from services.agencies.commands.imports import import_agencies
from services.agencies.commands.moves import move_agency
from services.agencies.commands.registry import deactivate_agency, register_agency, update_agency
from services.agencies.service import SERVICE
from tests.support.fakes import fake_repository, pending_events

ADMIN = Principal("admin@test", "admin", "*")
CALLERS = {  # name: (role, home agency)
    "admin": ("admin", None),
    "operator of regency A": ("operator", "regency_a"),
    "operator of the province": ("operator", "province"),
    "operator of regency B": ("operator", "regency_b"),
    "operator of unit A": ("operator", "unit_a"),
    "evaluator of regency A": ("evaluator", "regency_a"),
    "evaluator of regency B": ("evaluator", "regency_b"),
    "viewer of regency A": ("viewer", "regency_a"),
}
WRITERS_OF_A = {"admin", "operator of regency A", "operator of the province"}
READERS_OF_A = {"admin", "operator of regency A", "operator of the province", "evaluator of regency A",
                "viewer of regency A"}


@pytest.fixture
def agencies():
    return fake_repository(SERVICE)


@pytest.fixture
def tree(agencies):
    def make(code, type_, parent=None):
        return register_agency(AgencyContext(ADMIN, agencies), {"code": code, "name": code, "type": type_,
                                                                 "parent_id": parent})["id"]
    province = make("15", "province")
    regency_a, regency_b = make("1506", "regency", province), make("1507", "regency", province)
    return {"province": province, "regency_a": regency_a, "regency_b": regency_b,
            "unit_a": make("1506.01", "work_unit", regency_a), "unit_b": make("1507.01", "work_unit", regency_b)}


def ctx(agencies, tree, caller) -> AgencyContext:
    role, home = CALLERS[caller]
    return AgencyContext(ADMIN if home is None else Principal(caller, role, tree[home]), agencies)


def _sub_unit_and_another_unit(agencies, tree):
    admin = AgencyContext(ADMIN, agencies)
    sub = register_agency(admin, {"code": "1506.01.1", "name": "Seksi", "type": "sub_unit", "parent_id": tree["unit_a"]})
    other = register_agency(admin, {"code": "1506.02", "name": "Dinas", "type": "work_unit",
                                    "parent_id": tree["regency_a"]})
    return sub["id"], other["id"]


# command: (prepare(agencies, tree) -> call(ctx), allowed callers); everything inside regency A's subtree
COMMANDS = {
    "register under regency A": (lambda a, t: lambda c: register_agency(c, {
        "code": "1506.09", "name": "Dinas Baru", "type": "work_unit", "parent_id": t["regency_a"]}), WRITERS_OF_A),
    "register a root": (lambda a, t: lambda c: register_agency(c, {"code": "16", "name": "Provinsi", "type": "province",
                                                                   "parent_id": None}), {"admin"}),
    # a token's scope includes its own agency
    "update unit A": (lambda a, t: lambda c: update_agency(c, t["unit_a"], {"name": "Nama Baru"}, 1),
                      WRITERS_OF_A | {"operator of unit A"}),
    "deactivate unit A": (lambda a, t: lambda c: deactivate_agency(c, t["unit_a"], "matrix", None),
                          WRITERS_OF_A | {"operator of unit A"}),
    "move inside regency A": (lambda a, t: (lambda s, o: lambda c: move_agency(c, s, o, None, None))(
        *_sub_unit_and_another_unit(a, t)), WRITERS_OF_A),
    "move unit A under regency B": (lambda a, t: lambda c: move_agency(c, t["unit_a"], t["regency_b"], None, None),
                                    {"admin", "operator of the province"}),
    "import under regency A": (lambda a, t: lambda c: import_agencies(c, [(1, {
        "code": "1506.10", "name": "Dinas", "type": "work_unit", "parent_code": "1506"})], dry_run=False),
        WRITERS_OF_A),
}


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_by_role_and_scope(agencies, tree, command, caller):
    prepare, allowed = COMMANDS[command]
    call = prepare(agencies, tree)
    before = {e.id for e in pending_events(agencies.store)}
    if caller in allowed:
        assert call(ctx(agencies, tree, caller)) is not None
        assert {e.id for e in pending_events(agencies.store)} - before
    else:
        with pytest.raises(Forbidden) as refused:
            call(ctx(agencies, tree, caller))
        assert refused.value.extensions["required_action"] == "write"
        assert {e.id for e in pending_events(agencies.store)} == before


PAGE = {"page": 1, "page_size": 10}
READS = {
    "one agency": lambda p, a, target: queries.readable(p, a, target),
    "its children": lambda p, a, target: queries.children_of(p, a, target, PAGE),
    "its ancestors": lambda p, a, target: queries.ancestors_of(p, a, target),
    "its descendants": lambda p, a, target: queries.descendants_of(p, a, target, PAGE),
    "its tree": lambda p, a, target: queries.subtree_of(p, a, target, None),
}


@pytest.mark.parametrize("read", READS)
@pytest.mark.parametrize("target, readable", [("regency_a", True), ("unit_a", True), ("unit_b", False),
                                              ("regency_b", False), ("province", False)])
def test_every_tree_read_is_scoped(agencies, tree, read, target, readable):
    viewer = Principal("viewer", "viewer", tree["regency_a"])
    if readable:
        assert READS[read](viewer, agencies, tree[target]) is not None
    else:
        with pytest.raises(Forbidden) as refused:
            READS[read](viewer, agencies, tree[target])
        assert refused.value.extensions["required_action"] == "read"

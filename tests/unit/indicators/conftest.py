"""The indicators commands and consumers on the repository over an in-memory database: an agency tree in its
replica, contexts for any caller, and the helpers the tests share."""
from __future__ import annotations

import uuid

import pytest

from services.indicators.commands.common import IndicatorsContext
from services.indicators.commands.indicators import define_indicator, set_target
from services.indicators.commands.realisations import record_realisation, submit_realisation, verify_realisation
from services.indicators.service import SERVICE
from tests.support.fakes import Callers, ReplicaTree, fake_repository
from tests.support.trees import grown


@pytest.fixture
def repo():
    return fake_repository(SERVICE)


@pytest.fixture
def tree(repo) -> ReplicaTree:
    """Jambi > Tanjabbar > Pendidikan (> Bidang SD), Kesehatan; and Tanjabtim, another regency."""
    return grown(ReplicaTree(repo))


@pytest.fixture
def as_(repo, tree) -> Callers:
    return Callers(IndicatorsContext, repo, tree)


def indicator_of(ctx: IndicatorsContext, agency_id: str, **fields) -> dict:
    body = {"agency_id": agency_id, "code": f"IKU-{uuid.uuid4().hex[:6]}", "name": "Indeks Kepuasan Masyarakat",
            "unit": "%", "polarity": "higher_is_better", "frequency": "annual", "weight": 1, "category": "IKU",
            "definition": None, "baseline": None, "parent_indicator_id": None, "fed_by_reforms": None, **fields}
    return define_indicator(ctx, body)


def verified_value(as_: Callers, indicator: dict, period: str, value: float, target=None) -> dict:
    """Target (if given), record and submit (an operator of the agency), verify (an evaluator above)."""
    if target is not None:
        set_target(as_(), indicator["id"], period, target if isinstance(target, dict) else {"value": target}, None)
    operator = as_("operator", as_.tree.name_of(indicator["agency_id"]), "operator@unit")
    record_realisation(operator, indicator["id"], period, {"value": value})
    submit_realisation(operator, indicator["id"], period)
    return verify_realisation(as_("evaluator", "jambi", "evaluator@province"), indicator["id"], period)

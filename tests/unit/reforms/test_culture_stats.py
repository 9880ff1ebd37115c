"""The work-culture statistics by hand: reverse scoring, the 0–100 index per dimension and overall, the k rule at
k − 1 and k, and the paired change with its 95 % interval (Student's t) against values worked out on paper."""
from __future__ import annotations

import pytest

from services.reforms.domain.culture_stats import (OVERALL, Change, Item, Mean, group_mean, indices, paired_change,
                                                   t_975)
from services.reforms.domain.instruments import BERAKHLAK, berakhlak_items

ITEMS = [Item("A1", "akuntabel"), Item("A2", "akuntabel"), Item("A3", "akuntabel", reverse=True),
         Item("D1", "adaptif"), Item("D2", "adaptif", reverse=True)]


def test_a_respondents_indices_with_a_reversed_item():
    # akuntabel: 4, 5 and a reversed 2 (scores 4) → mean 13/3 → (13/3 − 1) / 4 × 100 = 83.33…
    # adaptif: 3 and a reversed 5 (scores 1) → mean 2 → 25; overall (83.33 + 25) / 2 = 54.17
    result = indices(ITEMS, {"A1": 4, "A2": 5, "A3": 2, "D1": 3, "D2": 5})
    assert result["akuntabel"] == pytest.approx(250 / 3)
    assert result["adaptif"] == pytest.approx(25)
    assert result[OVERALL] == pytest.approx((250 / 3 + 25) / 2)
    assert indices(ITEMS, {"A1": 1, "A2": 1, "A3": 5, "D1": 1, "D2": 5}) == {"akuntabel": 0, "adaptif": 0, OVERALL: 0}
    assert indices(ITEMS, {"A1": 5})["akuntabel"] == 100 and "adaptif" not in indices(ITEMS, {"A1": 5})
    with pytest.raises(ValueError):
        indices(ITEMS, {"A1": 6})


def test_a_group_mean_is_shown_from_k_respondents_and_never_below():
    assert group_mean([50.0, 60.0, 70.0, 80.0], k=5) == Mean(4, False, None)  # k − 1: too few, no number at all
    assert group_mean([50.0, 60.0, 70.0, 80.0, 90.0], k=5) == Mean(5, True, 70.0)


def test_the_paired_change_and_its_interval_by_hand():
    pre = {"a": 50.0, "b": 60.0, "c": 55.0, "d": 40.0, "e": 70.0, "f": 65.0}
    post = {"a": 60.0, "b": 65.0, "c": 70.0, "d": 45.0, "e": 75.0, "g": 90.0}  # f did not answer after, g before
    # differences a..e: 10, 5, 15, 5, 5 → mean 8; sample sd √((4 + 9 + 49 + 9 + 9) / 4) = √20 = 4.4721;
    # standard error 4.4721 / √5 = 2; t(0.975, 4) = 2.776 → 8 ± 5.552
    change = paired_change(pre, post, k=5)
    assert (change.pairs, change.shown) == (5, True)
    assert change.mean == pytest.approx(8)
    assert (change.low, change.high) == (pytest.approx(8 - 2.776 * 2), pytest.approx(8 + 2.776 * 2))
    assert paired_change(pre, post, k=6) == Change(5, False)  # k − 1 pairs: hidden
    assert paired_change({"a": 10.0}, {"a": 30.0}, k=1) == Change(1, True, 20.0, 20.0, 20.0)
    assert paired_change({}, {}, k=0) == Change(0, False)


def test_the_t_quantile_meets_the_table_beyond_thirty_degrees_of_freedom():
    assert t_975(1) == 12.706 and t_975(4) == 2.776 and t_975(30) == 2.042
    for df, table in ((40, 2.021), (60, 2.000), (120, 1.980)):
        assert t_975(df) == pytest.approx(table, abs=6e-4)
    assert t_975(10 ** 6) == pytest.approx(1.95996, abs=1e-4)
    with pytest.raises(ValueError):
        t_975(0)


def test_the_berakhlak_instrument_has_the_seven_core_values_with_three_items_each_one_reversed():
    assert [label for _, label, _ in BERAKHLAK] == ["Berorientasi Pelayanan", "Akuntabel", "Kompeten", "Harmonis",
                                                    "Loyal", "Adaptif", "Kolaboratif"]
    items = berakhlak_items()
    assert len(items) == 21 and len({i.code for i in items}) == 21
    for dimension, _, rows in BERAKHLAK:
        assert len(rows) == 3 and sum(reverse for *_, reverse in rows) == 1, dimension

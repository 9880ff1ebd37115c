"""Word-prefix search (shared.search): what a record stores and what a query asks for."""
from __future__ import annotations

import mongomock
import pytest

from shared.search import index_terms, matching, query_terms


def test_a_record_stores_its_words_case_and_accents_folded():
    assert index_terms("Dinas Pendidikan dan Kebudayaan", "1506.01") == [
        "01", "1506", "1506.01", "dan", "dinas", "kebudayaan", "pendidikan"]
    assert index_terms("BAPPÉDA (Tanjabbar)") == ["bappeda", "tanjabbar"] and index_terms(None, "") == []


def test_a_query_asks_for_the_prefix_of_each_word():
    assert query_terms("  Dinas KES ") == ["dinas", "kes"]
    assert query_terms("1506.0") == ["1506.0"] and query_terms("(Tanjabbar)") == ["tanjabbar"]
    assert query_terms("...") == []


@pytest.mark.parametrize("q, found", [
    ("dinas", {"pendidikan", "kesehatan"}), ("dinas kes", {"kesehatan"}), ("KEBUDAYAAN", {"pendidikan"}),
    ("1506.02", {"kesehatan"}), ("1506", {"pendidikan", "kesehatan", "bappeda"}), ("1506.1", {"bappeda"}), ("didik", set()), ("...", set()),
    ("kesehatan dinas", {"kesehatan"})])
def test_the_filter_finds_records_with_every_word(q, found):
    records = mongomock.MongoClient().db.agencies
    records.insert_many([
        {"_id": "pendidikan", "search": index_terms("Dinas Pendidikan dan Kebudayaan", "1506.01")},
        {"_id": "kesehatan", "search": index_terms("Dinas Kesehatan", "1506.02")},
        {"_id": "bappeda", "search": index_terms("Badan Perencanaan Pembangunan Daerah", "1506.10")}])
    assert {doc["_id"] for doc in records.find(matching(q))} == found

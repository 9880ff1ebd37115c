"""Text search that an index serves: `q` finds the records with a word starting with each word of `q`.

A record of a searchable kind stores `search`, the prefixes of its words (names and codes, case and
accents folded: "Dinas Pendidikan" → d, di, din, … pendidikan), and a multikey index on it; a query keeps
the records holding every prefix the query's words give (`$all`), so the index finds them at any size of
the registry — instead of an unanchored regular expression that reads every name. A word is a run of letters
and digits; a whitespace-separated token with punctuation inside (a code such as 1506.01) is a word too.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

MAX_PREFIX = 20  # longer words are found by their first 20 characters
_WORDS = re.compile(r"[0-9a-z]+")
_EDGES = re.compile(r"^[^0-9a-z]+|[^0-9a-z]+$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def _words(text: str) -> set[str]:
    """The words of `text`: its runs of letters and digits, and its tokens with inner punctuation."""
    folded = _fold(text)
    tokens = {_EDGES.sub("", token) for token in folded.split()}
    return {word[:MAX_PREFIX] for word in set(_WORDS.findall(folded)) | tokens if word}


def index_terms(*texts: str | None) -> list[str]:
    """What a record of these texts stores in `search`: every prefix of every word."""
    terms = {word[:end] for text in texts if text for word in _words(text) for end in range(1, len(word) + 1)}
    return sorted(terms)


def query_terms(q: str) -> list[str]:
    """The prefixes a query's words give (a token with punctuation is looked for whole, as a code)."""
    folded = _fold(q)
    terms = set()
    for token in folded.split():
        token = _EDGES.sub("", token)
        if token:
            terms.add(token[:MAX_PREFIX])
    return sorted(terms)


def matching(q: str, field: str = "search") -> dict[str, Any]:
    """The MongoDB filter of the records `q` finds (none, for a query without a word)."""
    terms = query_terms(q)
    return {field: {"$all": terms}} if terms else {"_id": {"$in": []}}


def searchable(state: dict, fields: Iterable[str]) -> list[str]:
    """The `search` terms of a record from its searchable fields."""
    return index_terms(*(state.get(name) for name in fields))

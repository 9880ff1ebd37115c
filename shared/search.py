"""Text search that an index serves: `q` finds the records with a word starting with each word of `q`.

A record of a searchable kind stores `search`, the words of its searchable fields (names and codes, case and
accents folded: "Dinas Pendidikan" → dinas, pendidikan), with a multikey index on it; each word of a query is a
range of that index (`kes` → from "kes" to "ket", whatever follows), and a record must have a word in every
range. So the index finds them at any size of the registry — instead of an unanchored regular expression that
reads every name — while a record stores a handful of index entries, not one per prefix (which made every write
of a record dearer). A word is a run of letters and digits; a whitespace-separated token with punctuation
inside (a code such as 1506.01) is a word too.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterable

MAX_WORD = 40  # longer words are found by their first 40 characters
_WORDS = re.compile(r"[0-9a-z]+")
_EDGES = re.compile(r"^[^0-9a-z]+|[^0-9a-z]+$")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold()


def index_terms(*texts: str | None) -> list[str]:
    """What a record of these texts stores in `search`: its words, and its tokens with inner punctuation."""
    words = set()
    for text in texts:
        if text:
            folded = _fold(text)
            words |= set(_WORDS.findall(folded)) | {_EDGES.sub("", token) for token in folded.split()}
    return sorted(word[:MAX_WORD] for word in words if word)


def query_terms(q: str) -> list[str]:
    """The beginnings of words a query asks for (a token with punctuation is looked for whole, as a code)."""
    return sorted({token[:MAX_WORD] for token in (_EDGES.sub("", t) for t in _fold(q).split()) if token})


def _after(prefix: str) -> str:
    """The first string that does not start with `prefix` (its last character moved one up)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def matching(q: str, field: str = "search") -> dict[str, Any]:
    """The MongoDB filter of the records `q` finds (none, for a query without a word): for each word of `q`, a
    word of the record in its range."""
    terms = query_terms(q)
    if not terms:
        return {"_id": {"$in": []}}
    # $elemMatch: ONE word in the range (a bare range on an array is met by any element above and any below)
    ranges = [{field: {"$elemMatch": {"$gte": term, "$lt": _after(term)}}} for term in terms]
    return ranges[0] if len(ranges) == 1 else {"$and": ranges}


def searchable(state: dict, fields: Iterable[str]) -> list[str]:
    """The `search` terms of a record from its searchable fields."""
    return index_terms(*(state.get(name) for name in fields))

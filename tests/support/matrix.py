"""Role × scope matrices: the whole matrix runs on the commands (tests/unit/*/test_matrix.py); over HTTP each
route is called once by a caller who may and once by one who may not."""
from __future__ import annotations


def one_allowed_and_one_refused(routes: dict, callers: dict) -> list[tuple[str, str]]:
    """(route, caller) pairs: the first caller (in `callers` order, admins last) whom the route allows (the last
    item of its spec: the set of allowed callers), and the first it refuses."""
    order = [c for c in callers if c != "admin"] + ["admin"]
    return [(route, next(c for c in order if (c in spec[-1]) == may)) for route, spec in routes.items()
            for may in (True, False)]

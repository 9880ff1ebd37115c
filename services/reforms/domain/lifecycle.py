"""Where an activity and a follow-up may go from each state, and how a refusal explains itself."""
from __future__ import annotations

from shared.errors import Conflict

# Activity lifecycle: planned → in progress → completed | cancelled. The verbs are the API's.
ACTIVITY_MOVES: dict[str, dict[str, str]] = {
    "planned": {"start": "in_progress", "cancel": "cancelled"},
    "in_progress": {"complete": "completed", "cancel": "cancelled"},
    "completed": {},
    "cancelled": {},
}

# Follow-up progress: open ⇄ in progress → done (done is final).
FOLLOW_UP_MOVES: dict[str, tuple[str, ...]] = {
    "open": ("in_progress", "done"),
    "in_progress": ("open", "done"),
    "done": (),
}

OPEN_ACTIVITY = ("planned", "in_progress")  # still editable, still takes registrations


def _allowed(moves) -> str:
    return ", ".join(moves) if moves else "nothing (it is final)"


def next_status(current: str, verb: str) -> str:
    """The activity's status after `verb`; Conflict (invalid-transition) saying what is allowed instead."""
    moves = ACTIVITY_MOVES[current]
    if verb not in moves:
        raise Conflict(f"An activity that is {current.replace('_', ' ')} cannot {verb}; allowed from "
                       f"{current}: {_allowed(moves)}.", kind="invalid-transition", current_status=current,
                       allowed=sorted(moves))
    return moves[verb]


def require_status(current: str, allowed: tuple[str, ...], doing: str) -> None:
    """Conflict unless an activity in `current` may be subject to `doing` (e.g. registering people)."""
    if current not in allowed:
        raise Conflict(f"Cannot {doing} while the activity is {current.replace('_', ' ')}; only while it is "
                       f"{' or '.join(s.replace('_', ' ') for s in allowed)}.", kind="invalid-state", current_status=current,
                       allowed_states=list(allowed))


def follow_up_status(current: str, wanted: str) -> str:
    if wanted != current and wanted not in FOLLOW_UP_MOVES[current]:
        raise Conflict(f"A follow-up that is {current.replace('_', ' ')} cannot become {wanted.replace('_', ' ')}; "
                       f"allowed from {current}: {_allowed(FOLLOW_UP_MOVES[current])}.", kind="invalid-transition",
                       status=current, allowed=list(FOLLOW_UP_MOVES[current]))
    return wanted

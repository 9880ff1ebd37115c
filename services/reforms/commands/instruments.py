"""Work-culture instruments: the built-in BerAKHLAK, and admins' own questionnaires and new versions of them. A
version is changed only while no survey uses it; a survey marks it in use through the store, so an edit racing the
first survey loses its compare-and-set and is decided again, refused."""
from __future__ import annotations

from shared.auth.policy import Action, authorize
from shared.auth.tokens import Principal
from shared.commands import NO_AGENCY
from shared.contracts.reforms import INSTRUMENT_ADDED, INSTRUMENT_UPDATED
from shared.errors import Conflict, Invalid, NotFound
from services.reforms.adapters.repository import ReformsRepository
from services.reforms.commands.common import ReformsContext
from services.reforms.domain.instruments import (BERAKHLAK_CODE, INSTRUMENT, builtin_berakhlak, definition_problems,
                                                 instrument_document, instrument_id)

SYSTEM = Principal(sub="system:reforms", role="admin", agency_id="*")
EDITABLE = ("title", "description", "dimensions")


def ensure_builtin_instruments(repo: ReformsRepository) -> None:
    """BerAKHLAK version 1 where missing (idempotent, safe when processes start at once)."""
    if repo.instruments.get(instrument_id(BERAKHLAK_CODE, 1)) is not None:
        return
    ctx = ReformsContext(SYSTEM, repo)
    try:
        repo.instruments.create(ctx.created(INSTRUMENT, instrument_document(BERAKHLAK_CODE, 1, builtin_berakhlak(),
                                                                            SYSTEM.sub),
                                            INSTRUMENT_ADDED, action="add", agency=NO_AGENCY, audited=False))
    except Conflict:
        pass


def _checked(fields: dict) -> dict:
    if "dimensions" in fields and (problems := definition_problems(fields["dimensions"])):
        raise Invalid(problems)
    return fields


def add_instrument(ctx: ReformsContext, fields: dict) -> dict:
    """A new instrument (version 1) under a code not taken yet (admins)."""
    authorize(ctx.principal, Action.WRITE, None)
    code = fields["code"]
    if ctx.repo.instruments.count({"code": code}):
        raise Conflict(f"An instrument with code {code} exists; add a version of it instead.", kind="duplicate")
    return _add(ctx, code, 1, _checked(fields))


def add_version(ctx: ReformsContext, code: str, fields: dict) -> dict:
    """The next version of an instrument (admins): its whole definition again."""
    authorize(ctx.principal, Action.WRITE, None)
    latest = ctx.repo.instruments.find({"code": code}, fields={"dimensions": 0}, sort=[("revision", -1)], limit=1,
                                       hint=[("code", 1), ("revision", 1)])
    if not latest:
        raise NotFound(f"No instrument with code {code}.")
    return _add(ctx, code, latest[0]["revision"] + 1, _checked(fields))


def _add(ctx: ReformsContext, code: str, revision: int, fields: dict) -> dict:
    document = instrument_document(code, revision, fields, ctx.principal.sub)
    try:
        return ctx.repo.instruments.create(ctx.created(INSTRUMENT, document, INSTRUMENT_ADDED, action="add",
                                                       agency=NO_AGENCY))
    except Conflict:
        raise Conflict(f"Version {revision} of {code} was added at the same time; try again.", kind="conflict") from None


def update_instrument(ctx: ReformsContext, instrument_id_: str, fields: dict, if_match: int | None) -> dict:
    """Change a version's title, description or definition while no survey uses it (admins)."""
    authorize(ctx.principal, Action.WRITE, None)
    wanted = _checked({k: fields[k] for k in EDITABLE if k in fields})

    def decide(instrument: dict, _):
        if instrument["in_use"]:
            raise Conflict(f"Instrument {instrument['id']} is used by a survey and is never changed; add a new "
                           "version instead.", kind="instrument-in-use")
        changes = {k: v for k, v in wanted.items() if v != instrument.get(k)}
        if not changes:
            return None
        return ctx.changed(INSTRUMENT, instrument, changes, INSTRUMENT_UPDATED, action="update", agency=NO_AGENCY,
                           extra={"changed": sorted(changes)})
    return ctx.repo.instruments.update(instrument_id_, decide, if_match=if_match)


def mark_in_use(ctx: ReformsContext, instrument_id_: str) -> dict:
    """The instrument a survey uses, from now on never changed (an unknown one is Invalid for the survey)."""
    if ctx.repo.instruments.get(instrument_id_) is None:
        raise Invalid.field("instrument_id", f"no instrument {instrument_id_}")

    def decide(instrument: dict, _):
        if instrument["in_use"]:
            return None
        return ctx.changed(INSTRUMENT, instrument, {"in_use": True}, INSTRUMENT_UPDATED, action="use",
                           agency=NO_AGENCY, audited=False, extra={"changed": ["in_use"]})
    return ctx.repo.instruments.update(instrument_id_, decide)

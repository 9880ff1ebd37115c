"""Domain errors: what a command refuses, in the language of the domain, not of HTTP.

Commands raise these; the HTTP edge (shared.http.problems) maps each class to one status code and a
problem+json body, in one place. A worker or a CLI that calls the same commands gets the same errors.
"""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """Base of every refusal a command can express. `extensions` travel to the client as extra members."""

    def __init__(self, detail: str, **extensions: Any):
        super().__init__(detail)
        self.detail = detail
        self.extensions = extensions


class NotFound(DomainError):
    """The thing the caller named does not exist (or is not known to this service)."""


class Invalid(DomainError):
    """One or more inputs break a rule; `errors` maps each field to its messages."""

    def __init__(self, errors: dict[str, list[str]], detail: str = "One or more fields are invalid; see errors.",
                 **extensions: Any):
        super().__init__(detail, **extensions)
        self.errors = errors

    @classmethod
    def field(cls, name: str, message: str) -> "Invalid":
        return cls({name: [message]})


class Conflict(DomainError):
    """The request is valid but the current state refuses it. `kind` names the conflict for clients
    (e.g. `duplicate`, `structure-conflict`, `invalid-transition`)."""

    def __init__(self, detail: str, kind: str = "conflict", **extensions: Any):
        super().__init__(detail, **extensions)
        self.kind = kind


class StaleVersion(DomainError):
    """The aggregate is no longer at the version the caller last read (optimistic concurrency)."""

    def __init__(self, detail: str, current_version: int | None = None):
        super().__init__(detail)
        self.current_version = current_version


class Forbidden(DomainError):
    """A valid caller asked for something outside their role or scope. `kind` names a refusal that is not
    about role or scope, for clients (e.g. `own-submission`: the four-eyes rule)."""

    def __init__(self, detail: str, required_action: str | None = None, required_scope: str | None = None,
                 kind: str | None = None):
        extensions = {k: v for k, v in (("required_action", required_action), ("required_scope", required_scope)) if v}
        super().__init__(detail, **extensions)
        self.kind = kind


class Unavailable(DomainError):
    """The system cannot take the request right now; the caller should retry after `retry_after_s`."""

    def __init__(self, detail: str, retry_after_s: int = 1):
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class TooLarge(DomainError):
    """The request asks for more than one request may (rows per import, nodes per tree, a file that unpacks to
    too much). `kind` names which, for clients (default: the status's problem type)."""

    def __init__(self, detail: str, kind: str | None = None, **extensions: Any):
        super().__init__(detail, **extensions)
        self.kind = kind


class Unsupported(DomainError):
    """What was sent is not of a kind this accepts (a file that is no spreadsheet): 415."""

    def __init__(self, detail: str, kind: str | None = None, **extensions: Any):
        super().__init__(detail, **extensions)
        self.kind = kind

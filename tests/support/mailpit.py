"""The local mail catcher, Mailpit, as tests see it: where to send (SMTP) and what arrived (its REST API).

`make infra` (and so `make test`) starts it with deploy/local/mailpit.sh: SMTP on 127.0.0.1:$KINERJA_SMTP_PORT
(1025), the REST API on http://127.0.0.1:$KINERJA_MAILPIT_UI_PORT (8025). The paths used here were checked
against Mailpit v1.33.1:

    GET    /api/v1/messages?start=&limit=          summaries, newest first ({"messages_count", "messages": [...]})
    GET    /api/v1/search?query=addressed:"…"      the same, filtered (From/To/Cc/Bcc, substring match)
    GET    /api/v1/message/{ID}                    one message: Text, HTML, From, To, Cc, Bcc, Subject, …
    DELETE /api/v1/messages                        every message; with {"IDs": [...]} only those
    GET    /api/v1/info                            version, database, counters

The server is shared (a `make run` and other test runs may use it), so tests send to addresses of their own
and look only at those: `messages(to=…)`, `wait_for(…, to=…)`, `clear(to=…)`.
"""
from __future__ import annotations

import os
import socket
from typing import Callable

import requests

from tests.support.wait import wait_for as _wait_for

Summary = dict
Predicate = Callable[[Summary], bool]


class MailpitUnavailable(RuntimeError):
    """Mailpit does not answer where `make infra` starts it."""


def recipients(message: dict) -> list[str]:
    """Every address a message (summary or full) was sent to: To, Cc and Bcc, lower-cased."""
    return [entry["Address"].lower() for field in ("To", "Cc", "Bcc") for entry in (message.get(field) or [])]


class Mailpit:
    """A Mailpit server: `smtp_host`/`smtp_port` to send to, `api_url` to read what it caught."""

    PAGE = 250

    def __init__(self, smtp_host: str = "127.0.0.1", smtp_port: int = 1025, api_url: str = "http://127.0.0.1:8025",
                 *, timeout: float = 5.0):
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self._http = requests.Session()

    def __repr__(self) -> str:
        return f"Mailpit(smtp={self.smtp_host}:{self.smtp_port}, api={self.api_url})"

    def _request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self._http.request(method, f"{self.api_url}{path}", timeout=self.timeout, **kwargs)
        response.raise_for_status()
        return response

    def info(self) -> dict:
        return self._request("GET", "/api/v1/info").json()

    def messages(self, to: str | None = None) -> list[Summary]:
        """The summaries of the caught messages, newest first (every page); with `to`, only those sent to
        exactly that address (To, Cc or Bcc; Mailpit's own search matches substrings, so it only narrows)."""
        path, params = "/api/v1/messages", {}
        if to is not None:
            path, params = "/api/v1/search", {"query": f'addressed:"{to}"'}
        found: list[Summary] = []
        while True:
            page = self._request("GET", path, params={**params, "start": len(found), "limit": self.PAGE}).json()
            batch = page.get("messages") or []
            found.extend(batch)
            if not batch or len(found) >= page.get("messages_count", 0):
                break
        if to is not None:
            found = [summary for summary in found if to.lower() in recipients(summary)]
        return found

    def message(self, id: str) -> dict:
        """One message in full: Text, HTML, From, To, Cc, Bcc, Subject, Date, Attachments, …"""
        return self._request("GET", f"/api/v1/message/{id}").json()

    def wait_for(self, predicate: Predicate | None = None, timeout: float = 15, *, to: str | None = None,
                 count: int = 1) -> list[Summary]:
        """Poll until at least `count` messages (sent to `to`, when given) satisfy `predicate` (a message
        summary -> bool; None: any message), and return those, newest first. Fails with what had arrived."""
        def matching() -> list[Summary]:
            found = [m for m in self.messages(to) if predicate is None or predicate(m)]
            return found if len(found) >= count else []

        try:
            return _wait_for(matching, timeout=timeout, interval=0.1,
                             message=f"{count} message(s){f' to {to}' if to else ''} on {self!r}")
        except AssertionError as err:
            seen = [(m.get("Subject"), recipients(m)) for m in self.messages(to)][:20]
            raise AssertionError(f"{err}; messages there: {seen}") from None

    def clear(self, to: str | None = None) -> None:
        """Delete every message; with `to`, only the messages sent to that address."""
        if to is None:
            self._request("DELETE", "/api/v1/messages")
            return
        ids = [summary["ID"] for summary in self.messages(to)]
        if ids:
            self._request("DELETE", "/api/v1/messages", json={"IDs": ids})


def _smtp_answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def mailpit_server() -> Mailpit:
    """The Mailpit `make infra` started (same ports: KINERJA_SMTP_PORT, KINERJA_MAILPIT_UI_PORT); raises
    MailpitUnavailable, saying how to start it, when its SMTP port or its API does not answer."""
    smtp_port = int(os.environ.get("KINERJA_SMTP_PORT", "1025"))
    ui_port = int(os.environ.get("KINERJA_MAILPIT_UI_PORT", "8025"))
    mailpit = Mailpit("127.0.0.1", smtp_port, f"http://127.0.0.1:{ui_port}")
    hint = "start it with `make infra` (make test does), or deploy/local/mailpit.sh start"
    if not _smtp_answers(mailpit.smtp_host, smtp_port):
        raise MailpitUnavailable(f"no SMTP server answers on 127.0.0.1:{smtp_port} (Mailpit): {hint}")
    try:
        info = mailpit.info()
    except (requests.RequestException, ValueError) as err:
        raise MailpitUnavailable(f"Mailpit's API does not answer at {mailpit.api_url} ({err}): {hint}") from None
    if "Version" not in info:
        raise MailpitUnavailable(f"{mailpit.api_url}/api/v1/info does not look like Mailpit's ({info!r}): {hint}")
    return mailpit

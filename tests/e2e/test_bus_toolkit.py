"""The event-bus toolkit as its users meet it, on the real stack: the `kinerja events` CLI (a subprocess,
like a shell) and the pytest plugin, used from a throw-away test project in a temporary directory."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path

from tests.support.wait import wait_for

KINERJA = str(Path(sys.executable).parent / "kinerja")


def readme_example() -> str:
    """The example test of the README (its event-bus toolkit section), exactly as a reader would copy it."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    section = readme.split("## Event-bus toolkit", 1)[1]
    return section.split("```python\n", 1)[1].split("```", 1)[0]


README_EXAMPLE = readme_example()


def cli(stack, *args, timeout=60):
    return subprocess.run([KINERJA, "events", "--bootstrap", stack.kafka, "--namespace", stack.namespace, *args],
                          capture_output=True, text=True, timeout=timeout)


def agency_data(agency_id):
    return {"agency": {"id": agency_id, "code": f"CLI-{agency_id[:6]}", "name": "Dinas dari CLI", "short_name": None,
                       "type": "province", "parent_id": None, "path": [], "status": "active"}}


def test_tail_sees_what_publish_sends(stack):
    subject = str(uuid.uuid4())
    tail = subprocess.Popen([KINERJA, "events", "--bootstrap", stack.kafka, "--namespace", stack.namespace, "tail",
                             "agencies.events", "--subject", subject, "--json", "--count", "1", "--timeout", "30"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert "following" in tail.stderr.readline()  # it knows where "now" is: what follows is new
        published = cli(stack, "publish", "kinerja.agency.registered.v1", "--subject", subject,
                        "--data", json.dumps(agency_data(subject)))
        assert published.returncode == 0, published.stderr
        sent = json.loads(published.stdout)
        seen = json.loads(tail.stdout.readline())
        assert (seen["event"]["id"], seen["event"]["type"], seen["key"]) == (
            sent["published"], "kinerja.agency.registered.v1", subject)
        assert tail.wait(timeout=30) == 0
        assert "1 matching" in tail.stderr.read()
    finally:
        tail.kill()
    # the services take it like any other agency event
    import requests
    from tests.conftest import auth_header

    wait_for(lambda: requests.get(stack.url("reforms", f"/api/v1/agencies/{subject}"), headers=auth_header(),
                                  timeout=5).status_code == 200, timeout=20, message="the CLI's agency in a replica")


def test_publish_refuses_what_breaks_the_contract_and_sends_nothing(stack, kinerja):
    topic = kinerja.bus.topic("agencies.events")
    before = kinerja.bus.positions([topic])
    broken = agency_data("a-1")
    del broken["agency"]["name"]
    refused = cli(stack, "publish", "kinerja.agency.registered.v1", "--subject", "a-1", "--data", json.dumps(broken))
    assert refused.returncode == 2
    assert "refused, nothing sent" in refused.stderr and "'name': ['Missing data for required field.']" in refused.stderr
    unknown = cli(stack, "publish", "kinerja.agency.exploded.v1", "--subject", "a-1", "--data", "{}")
    assert unknown.returncode == 2 and "no contract for 'kinerja.agency.exploded.v1'" in unknown.stderr
    assert kinerja.bus.positions([topic]) == before


def test_redrive_sends_a_dead_letter_back_once(stack, kinerja):
    """A dead letter of a consumer `clitest` whose topic nobody else reads, so that what arrives there is only
    what redrive sends."""
    bus, original = kinerja.bus, kinerja.bus.topic("clitest.events")
    bus.send_raw(original, b"k-1", b"first")  # the topic exists, as the original would
    bus.send_raw("clitest.dlt", b"k-1", b'{"not": "an event"}', [
        ("content-type", b"application/cloudevents+json"), ("dlt_reason", b"unparseable"),
        ("dlt_error", b"invalid envelope"), ("dlt_consumer", b"clitest"), ("dlt_original_topic", original.encode()),
        ("dlt_original_partition", b"0"), ("dlt_original_offset", b"0")])
    listed = cli(stack, "dlq", "list", "--service", "clitest", "--json")
    assert listed.returncode == 0, listed.stderr
    [letter] = [json.loads(line) for line in listed.stdout.splitlines()]
    assert letter["dead_letter"]["reason"] == "unparseable" and letter["key"] == "k-1"
    shown = cli(stack, "dlq", "show", "--service", "clitest", "--partition", str(letter["partition"]),
                "--offset", str(letter["offset"]))
    assert json.loads(shown.stdout)["dead_letter"]["original_topic"] == original
    mark = bus.positions([original])

    dry = cli(stack, "dlq", "redrive", "--service", "clitest", "--dry-run")
    assert "dry run: would send 1 dead letters" in dry.stderr and bus.positions([original]) == mark
    first = cli(stack, "dlq", "redrive", "--service", "clitest")
    assert f"sent back 1 dead letters ({original}: 1)" in first.stderr, first.stderr
    second = cli(stack, "dlq", "redrive", "--service", "clitest")
    assert "sent back 0 dead letters" in second.stderr
    arrived = list(bus.read([original], since=mark))
    assert [(m.key, m.value) for m in arrived] == [(b"k-1", b'{"not": "an event"}')]
    assert arrived[0].headers == {"content-type": b"application/cloudevents+json"}  # no dead-letter headers


def test_the_catalogue_command_prints_the_catalogue_and_the_asyncapi_document(stack):
    table = cli(stack, "catalogue")
    assert "| `kinerja.reforms.events` | `kinerja.activity.completed.v1` |" in table.stdout
    document = json.loads(cli(stack, "catalogue", "--asyncapi").stdout)
    assert document["channels"]["reforms.events"]["address"] == f"{stack.namespace}kinerja.reforms.events"


def test_the_plugin_from_a_throwaway_project(stack, tmp_path):
    """The README's example, and a test that lets garbage be dead-lettered, in a project of their own that knows
    nothing of this repository but the installed plugin."""
    (tmp_path / "test_example.py").write_text(README_EXAMPLE)
    (tmp_path / "test_garbage.py").write_text(textwrap.dedent('''
        def test_garbage_is_caught(kinerja, wait_until, assert_no_dead_letters):
            kinerja.bus.send_raw("agencies.events", b"garbage-key", b"this is not an event")
            wait_until(lambda: kinerja.bus.dead_letters("indicators"),
                       lambda letters: any(l.key == b"garbage-key" for l in letters), timeout=20)
            assert_no_dead_letters()
    '''))
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                          "--kinerja-bootstrap", stack.kafka, "--kinerja-namespace", stack.namespace,
                          "--kinerja-jwt-secret", stack.jwt_secret,
                          *(f"--kinerja-url={s}={stack.url(s, '')}" for s in ("agencies", "indicators", "reforms"))],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "1 failed, 1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]
    assert "test_garbage.py::test_garbage_is_caught" in run.stdout
    assert "dead letters since the test began" in run.stdout and "kinerja.indicators.dlt" in run.stdout


def test_the_plugin_starts_a_stack_of_its_own_when_asked(tmp_path):
    """--kinerja-start-stack: a fresh namespace and the three services and workers, for the session only."""
    (tmp_path / "test_example.py").write_text(README_EXAMPLE)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                          "--kinerja-start-stack"], cwd=tmp_path, capture_output=True, text=True, timeout=240)
    assert "1 passed" in run.stdout, run.stdout[-3000:] + run.stderr[-2000:]

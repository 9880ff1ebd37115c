"""How many database round trips a write costs, counted from the commands the driver sends: the
aggregate store writes state, event and audit record in one command, so a write costs what it must and
no more (the relay moves event and audit record later, in batches)."""
from __future__ import annotations

import threading

import pytest
from pymongo import monitoring

from tests.conftest import auth_header
from tests.support.kafka_tools import unique


class Counter(monitoring.CommandListener):
    def __init__(self):
        self.on = threading.Event()
        self.commands: list[tuple[str, str]] = []

    def started(self, event):
        if self.on.is_set():
            collection = event.command.get(event.command_name)
            self.commands.append((event.command_name, collection if isinstance(collection, str) else ""))

    def succeeded(self, event):
        pass

    def failed(self, event):
        pass


COUNTER = Counter()
monitoring.register(COUNTER)


@pytest.fixture
def agencies_settings(settings_for):
    return settings_for("agencies", "rt_")  # a fresh client is created after the listener is registered


def counted(call):
    COUNTER.commands.clear()
    COUNTER.on.set()
    try:
        response = call()
    finally:
        COUNTER.on.clear()
    return response, list(COUNTER.commands)


def test_round_trips_of_each_write(client):
    root, commands = counted(lambda: client.post("/api/v1/agencies", json={
        "code": unique("P"), "name": "Provinsi Jambi", "type": "province"}))
    assert root.status_code == 201
    assert commands == [("insert", "agencies")]

    child, commands = counted(lambda: client.post("/api/v1/agencies", json={
        "code": unique("R"), "name": "Kabupaten", "type": "regency", "parent_id": root.get_json()["id"]}))
    assert child.status_code == 201
    # the parent, the insert, and the parent again (did it move meanwhile?)
    assert commands == [("find", "agencies"), ("insert", "agencies"), ("find", "agencies")]

    url = f"/api/v1/agencies/{child.get_json()['id']}"
    patched, commands = counted(lambda: client.patch(url, json={"name": "Kabupaten Tanjab Barat"},
                                                     headers={"If-Match": '"1"'}))
    assert patched.status_code == 200
    assert commands == [("find", "agencies"), ("findAndModify", "agencies")]

    operator = auth_header("operator", root.get_json()["id"])
    patched, commands = counted(lambda: client.patch(url, json={"name": "Kabupaten TJB"},
                                                     headers={**operator, "If-Match": '"2"'}))
    assert patched.status_code == 200
    # a scoped token first looks its agency up (is it known and active?)
    assert commands == [("find", "agencies"), ("find", "agencies"), ("findAndModify", "agencies")]


def test_a_read_costs_one_round_trip_for_an_admin(client):
    created = client.post("/api/v1/agencies", json={"code": unique("P"), "name": "Provinsi", "type": "province"})
    response, commands = counted(lambda: client.get(f"/api/v1/agencies/{created.get_json()['id']}"))
    assert response.status_code == 200 and commands == [("find", "agencies")]

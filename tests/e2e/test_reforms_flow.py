"""The seed's story through the real stack: Kabupaten Tanjung Jabung Barat organises, with LAN's deputy for
administrative innovation facilitating, a one-day FGD on the mind set of its 22 work-unit leaders. The
activity is planned, the 22 leaders registered, it starts, attendance is marked, it completes; the
regency's reform summary counts it; its `activity.completed` event reaches the indicators service over
Kafka and raises the linked indicator's realisation once, even when the event is delivered again."""
from __future__ import annotations

import requests
from kafka import KafkaAdminClient, KafkaProducer, TopicPartition

from tests.conftest import auth_header
from tests.support.kafka_tools import BOOTSTRAP, read_topic, unique
from tests.support.wait import wait_for

ADMIN = auth_header("admin")
SPEAKERS = [
    {"name": "Dr. Basseng, M.Ed", "title": "Kepala Pusat Inovasi Tata Pemerintahan", "affiliation": "LAN"},
    {"name": "Dr. Ayat Suryatna", "title": "Dosen", "affiliation": "Universitas Pendidikan Indonesia, Bandung"},
    {"name": "Haris Faozan", "title": "Kepala Pusat Inovasi Kelembagaan Sumber Daya Aparatur", "affiliation": "LAN"},
]


def call(stack, method, service, path, body=None, headers=ADMIN, expected=(200, 201)):
    response = requests.request(method, stack.url(service, path), json=body, headers=headers, timeout=10)
    assert response.status_code in expected, f"{method} {path}: {response.status_code} {response.text}"
    return response.json()


def agency(stack, type_, name, parent=None):
    return call(stack, "POST", "agencies", "/api/v1/agencies", {
        "code": unique(type_.upper()), "name": name, "type": type_, **({"parent_id": parent} if parent else {})})


def known_to_reforms(stack, path):
    wait_for(lambda: requests.get(stack.url("reforms", path), headers=ADMIN, timeout=5).status_code == 200,
             timeout=20, message=f"{path} in the reforms replica")


def realisation(stack, indicator_id):
    response = requests.get(stack.url("indicators", f"/api/v1/indicators/{indicator_id}/realisations/2025"),
                            headers=ADMIN, timeout=5)
    return response.json() if response.status_code == 200 else None


def consumed_past(group: str, partition, offset: int) -> bool:
    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    try:
        committed = admin.list_group_offsets({group: [partition]}).get(group, {}).get(partition)
    finally:
        admin.close()
    return committed is not None and committed.offset > offset


def test_the_seed_fgd_from_plan_to_the_indicator_it_feeds(stack, kinerja, wait_for_event, assert_no_dead_letters):
    lan = agency(stack, "institution", "Lembaga Administrasi Negara")
    deputy = agency(stack, "work_unit", "Deputi Bidang Inovasi Administrasi Negara", lan["id"])
    jambi = agency(stack, "province", "Pemerintah Provinsi Jambi")
    regency = agency(stack, "regency", "Pemerintah Kabupaten Tanjung Jabung Barat", jambi["id"])
    units = [agency(stack, "work_unit", f"SKPD {n:02d}", regency["id"]) for n in range(1, 23)]
    known_to_reforms(stack, f"/api/v1/agencies/{units[-1]['id']}")
    indicator = call(stack, "POST", "indicators", "/api/v1/indicators", {
        "agency_id": regency["id"], "code": unique("IKU-RB"), "name": "Kegiatan perubahan pola pikir dan budaya kerja",
        "unit": "kegiatan", "polarity": "higher_is_better", "frequency": "annual",
        "fed_by_reforms": ["manajemen_perubahan"]})
    known_to_reforms(stack, f"/api/v1/indicators/{indicator['id']}")

    fgd = call(stack, "POST", "reforms", "/api/v1/activities", {
        "title": "Mengubah Tata Pikir (mind set) Pimpinan SKPD untuk Menciptakan Budaya Kerja Baru",
        "kind": "fgd", "area": "manajemen_perubahan", "organiser_agency_id": regency["id"],
        "facilitator": {"agency_id": deputy["id"]}, "speakers": SPEAKERS, "venue": "Jl. Veteran No. 10, Jakarta Pusat",
        "start": "2025-01-30T08:00:00+07:00", "end": "2025-01-30T17:00:00+07:00", "planned_participants": 22,
        "linked_indicator_ids": [indicator["id"]]})
    base = f"/api/v1/activities/{fgd['id']}"
    registered = call(stack, "POST", "reforms", f"{base}/participants", {"participants": [
        {"agency_id": unit["id"], "name": f"Pimpinan {unit['name']}", "position": "Kepala SKPD"} for unit in units]})
    assert (registered["planned"], registered["registered"]) == (22, 22)
    call(stack, "POST", "reforms", f"{base}/start")
    attended = call(stack, "POST", "reforms", f"{base}/attendance",
                    {"attended": [p["id"] for p in registered["items"]]})
    assert (attended["attended"], attended["not_marked"]) == (22, 0)
    done = call(stack, "POST", "reforms", f"{base}/complete", {
        "summary": "Pimpinan SKPD sepakat membangun budaya kerja baru", "outcomes": ["Rencana aksi budaya kerja"]})
    assert done["status"] == "completed"

    summary = call(stack, "GET", "reforms", f"/api/v1/agencies/{regency['id']}/reform-summary?year=2025")
    assert summary["own"]["activities"]["by_status"]["completed"] == 1
    assert summary["own"]["participants"] == {"planned": 22, "registered": 22, "attended": 22,
                                              "registered_in_completed": 22, "attended_in_completed": 22,
                                              "attendance_rate": 100.0}
    assert summary["rollup"]["participation"] == {"registered": 22, "attended": 22}
    assert sorted(c["rollup"]["participation"]["attended"] for c in summary["children"]) == [1] * 22

    counted = wait_for(lambda: realisation(stack, indicator["id"]), timeout=20,
                       message="the completed FGD counted by the indicators service")
    assert (counted["value"], counted["status"], counted["source"]) == (1, "submitted", "reforms")

    # Deliver the same event again (a relay retry would): the indicator still counts it once.
    event = wait_for_event(type="kinerja.activity.completed.v1", subject=fgd["id"])
    assert sorted(event.data["activity"]["participant_agency_ids"]) == sorted(u["id"] for u in units)
    assert event.data["activity"]["linked_indicator_ids"] == [indicator["id"]]
    topic = f"{stack.namespace}kinerja.reforms.events"
    messages = read_topic(topic, min_count=6)
    [original] = [m for m in messages if m.key == fgd["id"].encode() and b"activity.completed" in m.value]
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
    try:
        again = producer.send(topic, key=original.key, value=original.value, headers=list(original.headers)).get(10)
    finally:
        producer.close()
    wait_for(lambda: consumed_past(f"{stack.namespace}kinerja.indicators", TopicPartition(topic, again.partition),
                                   again.offset), timeout=20, message="the indicators service past the duplicate")
    after = realisation(stack, indicator["id"])
    assert (after["value"], after["version"]) == (1, counted["version"])
    assert_no_dead_letters()


def nip(n: int) -> str:
    return f"19700101199503{n:04d}"


def test_the_seed_fgds_survey_feeds_the_culture_index_indicator_once(stack, kinerja, wait_for_event,
                                                                      assert_no_dead_letters):
    """The same FGD measured with BerAKHLAK: 22 leaders before, 20 after; closing the post phase sends its aggregates
    over Kafka and the regency's *Indeks Budaya Kerja* takes the culture index as its 2025 realisation, once."""
    jambi = agency(stack, "province", "Pemerintah Provinsi Jambi")
    regency = agency(stack, "regency", "Pemerintah Kabupaten Tanjung Jabung Barat", jambi["id"])
    units = [agency(stack, "work_unit", f"SKPD {n:02d}", regency["id"]) for n in range(1, 23)]
    known_to_reforms(stack, f"/api/v1/agencies/{units[-1]['id']}")
    indicator = call(stack, "POST", "indicators", "/api/v1/indicators", {
        "agency_id": regency["id"], "code": unique("IKU-BK"), "name": "Indeks Budaya Kerja", "unit": "indeks",
        "polarity": "higher_is_better", "frequency": "annual", "fed_by_culture": {"instrument": "berakhlak"}})
    fgd = call(stack, "POST", "reforms", "/api/v1/activities", {
        "title": "Mengubah Tata Pikir (mind set) Pimpinan SKPD", "kind": "fgd", "area": "manajemen_perubahan",
        "organiser_agency_id": regency["id"], "start": "2025-01-30T08:00:00+07:00",
        "end": "2025-01-30T17:00:00+07:00"})
    base = f"/api/v1/activities/{fgd['id']}"
    call(stack, "POST", "reforms", f"{base}/participants", {"participants": [
        {"agency_id": unit["id"], "name": f"Pimpinan {unit['name']}", "nip": nip(n)} for n, unit in enumerate(units, 1)]})
    survey = call(stack, "POST", "reforms", f"{base}/surveys", {"instrument_id": "berakhlak-1"})
    phases = f"/api/v1/surveys/{survey['id']}/phases"
    items = call(stack, "GET", "reforms", "/api/v1/instruments/berakhlak-1")["dimensions"]

    def answers(score: int) -> dict:
        return {item["code"]: 6 - score if item["reverse"] else score for d in items for item in d["items"]}

    call(stack, "POST", "reforms", f"{phases}/pre/open")
    for n, unit in enumerate(units, 1):
        call(stack, "POST", "reforms", f"{phases}/pre/answers", {"answers": answers(3)},
             headers=auth_header("viewer", unit["id"], sub=nip(n)))
    call(stack, "POST", "reforms", f"{base}/start")
    call(stack, "POST", "reforms", f"{phases}/pre/close")
    call(stack, "POST", "reforms", f"{phases}/post/open")
    for n, unit in enumerate(units[:20], 1):
        call(stack, "POST", "reforms", f"{phases}/post/answers", {"answers": answers(4)},
             headers=auth_header("viewer", unit["id"], sub=nip(n)))
    closed = call(stack, "POST", "reforms", f"{phases}/post/close")
    assert closed["answered"] == {"pre": 22, "post": 20}

    fed = wait_for(lambda: realisation(stack, indicator["id"]), timeout=20,
                   message="the culture index as the indicator's realisation")
    assert (fed["value"], fed["status"], fed["source"]) == (75.0, "submitted", "reforms")
    event = wait_for_event(type="kinerja.survey.closed.v1", subject=survey["id"],
                           predicate=lambda e: e.data["phase"] == "post")
    assert (event.data["phase"], event.data["respondents"]) == ("post", 20)

    topic = f"{stack.namespace}kinerja.reforms.events"
    # the topic from its start for a few seconds: the message that carried this event
    [original] = [m for m in read_topic(topic, min_count=0, timeout=5) if event.id.encode() in m.value]
    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, acks="all")
    try:
        again = producer.send(topic, key=original.key, value=original.value, headers=list(original.headers)).get(10)
    finally:
        producer.close()
    wait_for(lambda: consumed_past(f"{stack.namespace}kinerja.indicators", TopicPartition(topic, again.partition),
                                   again.offset), timeout=20, message="the indicators service past the duplicate")
    after = realisation(stack, indicator["id"])
    assert (after["value"], after["version"]) == (75.0, fed["version"])
    assert_no_dead_letters()

"""Demo reform activities for `make run`: the seed's story and a few more activities of Kabupaten Tanjung
Jabung Barat in 2025. The regency organises, with LAN's deputy for administrative innovation facilitating,
a one-day FGD on changing the mind set of its work-unit leaders to build a new work culture (Manajemen
Perubahan): three speakers, the 22 work-unit leaders as participants, completed, with follow-ups. The FGD
feeds the regency's reform indicator (IKU-RB-01), which the indicators service then counts, and is measured
with a BerAKHLAK survey before and after, with the leaders' change commitments (demo/culture.py), feeding the
regency's Indeks Budaya Kerja (IKU-RB-02). Loaded through
the public APIs only, and idempotent: an activity whose title the organiser already has is left alone.

    python deploy/local/demo/reforms.py <agencies url> <indicators url> <reforms url>   (KINERJA_JWT_SECRET set)
"""
from __future__ import annotations

import os
import sys
import time

import requests

from shared.auth.tokens import mint_token

sys.path.insert(0, os.path.dirname(__file__))
from culture import Culture, nip  # noqa: E402 (beside this script)

REGENCY, FACILITATOR = "1506", "LAN.DIA"
# Fictional names: demo data, not the people who took part.
LEADERS = ["Ahmad Fauzi", "Siti Rahmawati", "Budi Santoso", "Dewi Lestari", "Eko Prasetyo", "Fitri Handayani",
           "Gunawan Saputra", "Hendra Wijaya", "Indah Permatasari", "Joko Susilo", "Kartini Nasution",
           "Lukman Hakim", "Maya Sari", "Nurul Huda", "Oki Firmansyah", "Putri Ayu", "Rahmat Hidayat",
           "Sri Wahyuni", "Taufik Ismail", "Umi Kalsum", "Wahyu Nugroho", "Yusuf Maulana"]
SPEAKERS = [
    {"name": "Dr. Basseng, M.Ed", "title": "Kepala Pusat Inovasi Tata Pemerintahan", "affiliation": "LAN"},
    {"name": "Dr. Ayat Suryatna", "title": "Dosen", "affiliation": "Universitas Pendidikan Indonesia, Bandung"},
    {"name": "Haris Faozan", "title": "Kepala Pusat Inovasi Kelembagaan Sumber Daya Aparatur", "affiliation": "LAN"},
]
FGD = {
    "title": "FGD Mengubah Tata Pikir (mind set) Pimpinan SKPD untuk Menciptakan Budaya Kerja Baru di Lingkungan "
             "Pemkab Tanjung Jabung Barat",
    "description": "Membangun mind set untuk meningkatkan budaya kerja, membangun nilai-nilai baru organisasi, "
                   "akuntabilitas dan anti korupsi, bekerja sama dengan LAN.",
    "kind": "fgd", "area": "manajemen_perubahan", "venue": "Jl. Veteran No. 10, Jakarta Pusat",
    "start": "2025-01-30T08:00:00+07:00", "end": "2025-01-30T17:00:00+07:00", "planned_participants": 22,
    "speakers": SPEAKERS,
}
FGD_SUMMARY = ("Pimpinan SKPD sepakat bahwa birokrasi yang profesional dan berkinerja tinggi dimulai dari perubahan "
               "pola pikir dan budaya kerja, dari struktur tertinggi hingga terendah.")
FGD_OUTCOMES = ["Komitmen pimpinan SKPD membangun budaya kerja baru",
                "Nilai-nilai dasar dan kode etik ASN diinternalisasikan di setiap SKPD"]
FGD_FOLLOW_UPS = [  # action, owner (agency code), due, final status
    ("Menyusun rencana aksi perubahan budaya kerja di setiap SKPD", "1506.01", "2025-03-31", "done"),
    ("Internalisasi nilai-nilai dasar ASN melalui apel dan forum rutin", "1506.06", "2025-06-30", "in_progress"),
    ("Melaporkan hasil tindak lanjut FGD kepada LAN", "1506.01", "2025-04-30", "open"),
]
# More of the regency's 2025: organiser code, kind, area, title, start, end, participant codes, outcome.
OTHERS = [
    ("1506.03", "socialisation", "penguatan_pengawasan", "Sosialisasi Pembangunan Zona Integritas menuju WBK/WBBM",
     "2025-03-12T09:00:00+07:00", "2025-03-12T13:00:00+07:00", ["1506.03", "1506.11", "1506.15", "1506.17"], "done"),
    ("1506.04", "training", "penguatan_akuntabilitas", "Pelatihan Penyusunan Laporan Kinerja Instansi Pemerintah",
     "2025-05-20T08:00:00+07:00", "2025-05-22T16:00:00+07:00",
     ["1506.04", "1506.05", "1506.10", "1506.11", "1506.12", "1506.18"], "done"),
    ("1506.17", "coaching", "peningkatan_kualitas_pelayanan_publik", "Coaching Clinic Inovasi Pelayanan Publik",
     "2025-09-09T08:00:00+07:00", "2025-09-09T15:00:00+07:00", ["1506.17", "1506.15", "1506.16"], "cancelled"),
]
REFORM_INDICATOR = {"code": "IKU-RB-01", "name": "Jumlah kegiatan perubahan pola pikir dan budaya kerja",
                    "unit": "kegiatan", "polarity": "higher_is_better", "frequency": "annual", "category": "IKU",
                    "fed_by_reforms": ["manajemen_perubahan"]}


def token(role: str, agency: str, sub: str) -> dict:
    secret = os.environ["KINERJA_JWT_SECRET"]
    return {"Authorization": f"Bearer {mint_token(key=secret, sub=sub, role=role, agency_id=agency, ttl_s=3600)}"}


ADMIN: dict = {}


def call(method: str, url: str, body=None, headers=None) -> dict:
    response = requests.request(method, url, json=body, headers=headers or ADMIN, timeout=10)
    if response.status_code >= 400:
        raise RuntimeError(f"{method} {url}: {response.status_code} {response.text[:300]}")
    return response.json()


def wait_until(probe, what: str) -> None:
    deadline = time.monotonic() + 60
    while not probe():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not happen within a minute")
        time.sleep(0.5)


def known(url: str) -> bool:
    return requests.get(url, headers=ADMIN, timeout=10).status_code == 200


def by_code(agencies_url: str) -> dict[str, dict]:
    """The regency, its work units and LAN's deputy, by code."""
    found = {}
    for code in (REGENCY, FACILITATOR):
        found.update({a["code"]: a for a in call("GET", f"{agencies_url}/api/v1/agencies?q={code}&page_size=100")["items"]})
    children = call("GET", f"{agencies_url}/api/v1/agencies/{found[REGENCY]['id']}/children?page_size=100")["items"]
    return {**found, **{a["code"]: a for a in children}}


def reform_indicator(indicators_url: str, reforms_url: str, regency: dict) -> dict:
    existing = call("GET", f"{indicators_url}/api/v1/indicators?agency_id={regency['id']}&q=IKU-RB-01")["items"]
    indicator = existing[0] if existing else call("POST", f"{indicators_url}/api/v1/indicators",
                                                  {**REFORM_INDICATOR, "agency_id": regency["id"]})
    if "2025" not in indicator.get("targets", {}):
        call("PUT", f"{indicators_url}/api/v1/indicators/{indicator['id']}/targets/2025", {"value": 4})
    wait_until(lambda: known(f"{reforms_url}/api/v1/indicators/{indicator['id']}"), "the reform indicator in reforms")
    return indicator


def run(reforms_url: str, organiser: dict, fields: dict, people: list[dict], outcome: str, summary: str,
        outcomes: list[str], survey: Culture | None = None) -> dict | None:
    """Plan, register, start, mark attendance and complete (or cancel) an activity, unless it exists; with `survey`,
    measured before and after."""
    operator = token("operator", organiser["id"], f"operator@{organiser['code']}")
    listed = call("GET", f"{reforms_url}/api/v1/activities?agency_id={organiser['id']}&subtree=false&page_size=100")
    if any(a["title"] == fields["title"] for a in listed["items"]):
        return None
    activity = call("POST", f"{reforms_url}/api/v1/activities", {**fields, "organiser_agency_id": organiser["id"]},
                    operator)
    base = f"{reforms_url}/api/v1/activities/{activity['id']}"
    registered = call("POST", f"{base}/participants", {"participants": people}, operator)
    if outcome == "cancelled":
        return call("POST", f"{base}/cancel", {"reason": "Bertepatan dengan penanganan banjir"}, operator)
    if survey:
        survey.before_start(activity, registered["items"], operator)
    call("POST", f"{base}/start", None, operator)
    if survey:
        survey.after_start(activity, registered["items"], operator)
    ids = [p["id"] for p in registered["items"]]
    call("POST", f"{base}/attendance", {"attended": ids[:-1] if len(ids) < 22 else ids,
                                        "absent": ids[-1:] if len(ids) < 22 else []}, operator)
    completed = call("POST", f"{base}/complete", {"summary": summary, "outcomes": outcomes}, operator)
    if survey:
        first = fields["speakers"][0]
        survey.after_completion(activity, registered["items"], operator,
                                {"name": first["name"], "position": f"{first['title']}, {first['affiliation']}"})
    return completed


def main(agencies_url: str, indicators_url: str, reforms_url: str) -> int:
    ADMIN.update(token("admin", "*", "demo-loader"))
    agencies = by_code(agencies_url)
    regency, units = agencies[REGENCY], sorted((a for a in agencies.values() if a.get("parent_id") ==
                                                 agencies[REGENCY]["id"]), key=lambda a: a["code"])
    wait_until(lambda: known(f"{reforms_url}/api/v1/agencies/{units[-1]['id']}"), "the demo agencies in reforms")
    indicator = reform_indicator(indicators_url, reforms_url, regency)
    created = 0
    leaders = [{"agency_id": unit["id"], "name": name, "position": f"Kepala {unit['name']}", "nip": nip(n)}
               for n, (unit, name) in enumerate(zip(units, LEADERS))]
    culture = Culture(call, token, reforms_url, indicators_url)
    culture.indicator(regency)
    fgd = run(reforms_url, regency, {**FGD, "facilitator": {"agency_id": agencies[FACILITATOR]["id"]},
                                     "linked_indicator_ids": [indicator["id"]]}, leaders, "done", FGD_SUMMARY,
              FGD_OUTCOMES, survey=culture)
    if fgd is not None:
        created += 1
        for action, owner, due, status in FGD_FOLLOW_UPS:
            follow_up = call("POST", f"{reforms_url}/api/v1/activities/{fgd['id']}/follow-ups",
                             {"action": action, "owner_agency_id": agencies[owner]["id"], "due": due})
            if status != "open":
                requests.patch(f"{reforms_url}/api/v1/follow-ups/{follow_up['id']}", json={"status": status},
                               headers={**ADMIN, "If-Match": '"1"'}, timeout=10).raise_for_status()
    for organiser, kind, area, title, start, end, participants, outcome in OTHERS:
        people = [next(p for p in leaders if p["agency_id"] == agencies[code]["id"]) for code in participants]
        if run(reforms_url, agencies[organiser], {"title": title, "kind": kind, "area": area, "start": start,
                                                  "end": end, "planned_participants": len(people)},
               people, outcome, f"{title}: terlaksana.", []) is not None:
            created += 1
    print(f"{created} reform activities recorded (the LAN FGD with 22 work-unit leaders among them"
          f"{', measured with BerAKHLAK before and after' if fgd is not None else ''})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3]))

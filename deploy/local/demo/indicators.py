"""Demo indicators for `make run`: three key performance indicators (IKU) for the regency and for each work
unit of Kabupaten Tanjung Jabung Barat, with 2025 targets and realisations recorded by the unit's operator
and verified by the inspectorate, so the regency's scorecard shows real grades (one unit's report is missing
and one was rejected, as in any real year). Loaded through the public API only, and idempotent: what exists
already is left as it is.

    python deploy/local/demo/indicators.py <agencies url> <indicators url>   (KINERJA_JWT_SECRET set)
"""
from __future__ import annotations

import hashlib
import os
import sys
import time

import requests

from shared.auth.tokens import mint_token

REGENCY = "1506"
INDICATORS = [  # code, name, unit, polarity, target, realisation spread
    ("IKU-01", "Indeks Kepuasan Masyarakat", "index", "higher_is_better", {"min": 80, "max": 90}, (62, 96)),
    ("IKU-02", "Persentase capaian realisasi anggaran", "%", "higher_is_better", {"value": 95}, (70, 100)),
    ("IKU-03", "Rata-rata lama penyelesaian layanan", "days", "lower_is_better", {"min": 3, "max": 5}, (2.5, 8)),
]


# A few gaps, as in any real year: the data-quality view has something to show.
NOT_REPORTED = {("1506.22", "IKU-03")}
REJECTED = {("1506.20", "IKU-02"): "Bukti dukung (laporan realisasi anggaran) belum dilampirkan"}


def token(role: str, agency: str, sub: str) -> dict:
    secret = os.environ["KINERJA_JWT_SECRET"]
    return {"Authorization": f"Bearer {mint_token(key=secret, sub=sub, role=role, agency_id=agency, ttl_s=3600)}"}


def value_for(code: str, spread: tuple[float, float]) -> float:
    """A stable, varied value per unit and indicator (the same on every run)."""
    fraction = int(hashlib.sha256(code.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF
    return round(spread[0] + (spread[1] - spread[0]) * fraction, 1)


def main(agencies_url: str, indicators_url: str) -> int:
    admin = token("admin", "*", "demo-loader")
    agencies = requests.get(f"{agencies_url}/api/v1/agencies", params={"q": REGENCY, "type": "regency"},
                            headers=admin, timeout=10).json()["items"]
    regency = next(a for a in agencies if a["code"] == REGENCY)
    units = [regency] + requests.get(f"{agencies_url}/api/v1/agencies/{regency['id']}/children",
                                     params={"page_size": 100}, headers=admin, timeout=10).json()["items"]
    deadline = time.monotonic() + 60
    while any(requests.get(f"{indicators_url}/api/v1/agencies/{u['id']}", headers=admin, timeout=10).status_code != 200
              for u in units[-1:]):
        if time.monotonic() > deadline:
            print("the indicators service has not seen the demo agencies yet; skipped", file=sys.stderr)
            return 1
        time.sleep(0.5)
    created = verified = 0
    evaluator = token("evaluator", regency["id"], "inspektorat@tanjabbar")
    for unit in units:
        operator = token("operator", unit["id"], f"operator@{unit['code']}")
        existing = {i["code"]: i for i in requests.get(f"{indicators_url}/api/v1/indicators", params={
            "agency_id": unit["id"], "page_size": 100}, headers=admin, timeout=10).json()["items"]}
        for code, name, unit_of_measure, polarity, target, spread in INDICATORS:
            indicator = existing.get(code)
            if indicator is None:
                indicator = requests.post(f"{indicators_url}/api/v1/indicators", headers=operator, timeout=10, json={
                    "agency_id": unit["id"], "code": code, "name": name, "unit": unit_of_measure,
                    "polarity": polarity, "frequency": "annual", "category": "IKU"}).json()
                created += 1
            base = f"{indicators_url}/api/v1/indicators/{indicator['id']}"
            if "2025" not in indicator.get("targets", {}):
                requests.put(f"{base}/targets/2025", json=target, headers=operator, timeout=10)
            if (unit["code"], code) in NOT_REPORTED:
                continue
            realisation = requests.get(f"{base}/realisations/2025", headers=admin, timeout=10)
            if realisation.status_code == 200 and realisation.json()["status"] in ("verified", "rejected"):
                continue
            requests.put(f"{base}/realisations/2025", headers=operator, timeout=10, json={
                "value": value_for(unit["code"] + code, spread), "evidence": [
                    {"title": f"Laporan Kinerja {unit['short_name'] or unit['code']} 2025",
                     "link": "https://tanjabbarkab.go.id/lkjip/2025"}]})
            requests.post(f"{base}/realisations/2025/submit", headers=operator, timeout=10)
            reason = REJECTED.get((unit["code"], code))
            if reason:
                requests.post(f"{base}/realisations/2025/reject", json={"reason": reason}, headers=evaluator, timeout=10)
            elif requests.post(f"{base}/realisations/2025/verify", headers=evaluator, timeout=10).status_code == 200:
                verified += 1
    print(f"{created} indicators defined, {verified} realisations verified for {len(units)} agencies")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))

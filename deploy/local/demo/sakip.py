"""Demo SAKIP data for `make run` (Sistem Akuntabilitas Kinerja Instansi Pemerintah): for Kabupaten Tanjung
Jabung Barat and each of its 22 work units, three more indicators besides the annual IKU of demo/indicators.py
(digitalised services, summed over the quarters; civil-servant attendance, averaged over the months; open
audit findings, the last quarter's count, lower is better), their 2024 targets and verified realisations (so
the scorecards compare with the year before), a strategic plan (Renstra 2025–2029) whose objectives the
units' plans cascade from the regency's, and the 2025 performance agreement (Perjanjian Kinerja) each head
signs with the superior: the regency's with the Governor of Jambi, each unit's with the regency's head. The
worker sets the indicators' 2025 targets from the signed agreements; the 2025 realisations (quarters Q1–Q3,
months January–September) are recorded by the unit's operator and verified by the inspectorate after that.
Bappeda's agreement is revised once (Perubahan APBD 2025), its first version staying readable.

Loaded through the public APIs only, and idempotent: what exists already is left as it is, so a second run
changes nothing. Runs after demo/indicators.py (whose IKU and their 2025 targets it takes into the plans
and agreements, with the same targets).

    python deploy/local/demo/sakip.py <agencies url> <indicators url>   (KINERJA_JWT_SECRET set)
"""
from __future__ import annotations

import hashlib
import os
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import requests

from shared.auth.tokens import mint_token

REGENCY, REVISED_UNIT, YEAR, PREVIOUS = "1506", "1506.04", 2025, 2024
EVALUATOR = "inspektorat@tanjabbar"
WAIT_S = 180  # how long the worker may take to apply an agreement's targets (or a replica to catch up)
QUARTERS = ("Q1", "Q2", "Q3", "Q4")
REPORTED_QUARTERS, REPORTED_MONTHS = 3, 9  # 2025 is reported up to its third quarter (TW III)

# code: (the regency's plan objective it belongs to, its targets 2025–2029, 2024 target, 2024 spread (annual
# indicators), the 2025 target in the agreement — the annual IKU's as demo/indicators.py sets them).
IKU = {
    "IKU-01": ("S3", (85, 86, 87, 88, 90), {"min": 78, "max": 88}, (60, 92), {"min": 80, "max": 90}),
    "IKU-02": ("S1", (95, 96, 97, 97.5, 98), {"value": 93}, (68, 99), {"value": 95}),
    "IKU-03": ("S3", (4, 4, 3.5, 3, 3), {"min": 4, "max": 6}, (3, 9), {"min": 3, "max": 5}),
}
# The indicators this loader defines: code, name, unit, polarity, frequency, aggregation, category, objective,
# plan targets 2025–2029, the 2025 target and its quarters (TW I–IV), the 2024 target and its quarters.
NEW = [
    ("IKU-04", "Jumlah layanan publik yang terdigitalisasi", "layanan", "higher_is_better", "quarterly", "sum",
     "IKU", "S4", (12, 16, 20, 24, 30), 12, (2, 3, 4, 3), 10, (2, 2, 3, 3)),
    ("IKK-01", "Persentase kehadiran ASN", "%", "higher_is_better", "monthly", "average", "IKK", "S2",
     (95, 96, 97, 97, 98), 95, (95, 95, 95, 95), 93, (93, 93, 93, 93)),
    ("IKK-02", "Jumlah temuan audit yang belum ditindaklanjuti", "temuan", "lower_is_better", "quarterly", "last",
     "IKK", "S1", (2, 2, 1, 1, 0), 2, (8, 6, 4, 2), 5, (12, 10, 8, 5)),
]
DEFINITIONS = {
    "IKU-04": "Layanan kepada masyarakat yang dapat diakses secara elektronik, dihitung kumulatif per triwulan.",
    "IKK-01": "Rata-rata persentase kehadiran Aparatur Sipil Negara per bulan berdasarkan presensi elektronik.",
    "IKK-02": "Temuan pemeriksaan BPK dan Inspektorat yang belum selesai ditindaklanjuti pada akhir triwulan.",
}
# The plan's tree: goal code, goal name, [(objective code, objective name)].
GOALS = [
    ("T1", "Terwujudnya tata kelola pemerintahan yang bersih, akuntabel dan berkinerja tinggi", [
        ("S1", "Meningkatnya akuntabilitas kinerja dan pengelolaan keuangan"),
        ("S2", "Meningkatnya profesionalisme dan disiplin aparatur")]),
    ("T2", "Meningkatnya kualitas pelayanan publik", [
        ("S3", "Meningkatnya kepuasan masyarakat atas pelayanan publik"),
        ("S4", "Meningkatnya pelayanan publik berbasis elektronik")]),
]
SUPPORT = "Program Penunjang Urusan Pemerintahan Daerah Kabupaten/Kota"
PROGRAMMES = {
    REGENCY: "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
    "1506.01": "Program Pemerintahan dan Kesejahteraan Rakyat",
    "1506.02": "Program Dukungan Pelaksanaan Tugas dan Fungsi DPRD",
    "1506.03": "Program Penyelenggaraan Pengawasan",
    "1506.04": "Program Perencanaan, Pengendalian dan Evaluasi Pembangunan Daerah",
    "1506.05": "Program Pengelolaan Keuangan Daerah",
    "1506.06": "Program Kepegawaian Daerah",
    "1506.07": "Program Pengelolaan Pendapatan Daerah",
    "1506.08": "Program Penanggulangan Bencana",
    "1506.09": "Program Penguatan Ideologi Pancasila dan Karakter Kebangsaan",
    "1506.10": "Program Pengelolaan Pendidikan",
    "1506.11": "Program Pemenuhan Upaya Kesehatan Perorangan dan Upaya Kesehatan Masyarakat",
    "1506.12": "Program Penyelenggaraan Jalan",
    "1506.13": "Program Kawasan Permukiman",
    "1506.14": "Program Rehabilitasi Sosial",
    "1506.15": "Program Pendaftaran Penduduk",
    "1506.16": "Program Aplikasi Informatika",
    "1506.17": "Program Pelayanan Penanaman Modal",
    "1506.18": "Program Penyediaan dan Pengembangan Prasarana Pertanian",
    "1506.19": "Program Pengelolaan Perikanan Tangkap",
    "1506.20": "Program Pengelolaan Persampahan",
    "1506.21": "Program Penyelenggaraan Lalu Lintas dan Angkutan Jalan",
    "1506.22": "Program Peningkatan Ketenteraman dan Ketertiban Umum",
}
# Bappeda's revision (PK perubahan): one target lowered after the budget was refocused.
REVISION = {"reason": "Perubahan APBD 2025: refocusing anggaran", "code": "IKU-02", "target": {"value": 92}}

STATS: Counter = Counter()
REPORTED = ("indicators defined", "targets of 2024 set", "realisations of 2024 verified", "plans drawn up",
            "agreements drafted", "agreements signed", "agreements revised", "realisations of 2025 verified")
_STATS_LOCK = threading.Lock()
_LOCAL = threading.local()


# The regency's report narratives (LKjIP), as its planning office writes them.
NARRATIVES = {
    "summary": "Tahun 2025 Pemerintah Kabupaten Tanjung Jabung Barat memusatkan upayanya pada digitalisasi "
               "layanan, disiplin aparatur dan tindak lanjut temuan pemeriksaan, sejalan dengan Renstra 2025–2029.",
    "introduction": "Kabupaten Tanjung Jabung Barat beribu kota di Kuala Tungkal dan terdiri atas 13 kecamatan. "
                    "Laporan ini disusun sebagai wujud pertanggungjawaban atas Perjanjian Kinerja tahun 2025.",
    "closing": "Capaian tahun ini menjadi dasar perbaikan perencanaan tahun berikutnya. Perangkat daerah yang "
               "capaiannya di bawah target menyusun rencana aksi pada triwulan pertama 2026.",
}
ANALYSIS = {"analysis": "Capaian dihitung dari realisasi terverifikasi sampai triwulan III.",
            "supporting": "Dukungan pimpinan dan forum perubahan pola pikir perangkat daerah.",
            "hindering": "Keterbatasan jaringan di kecamatan pesisir.",
            "follow_up": "Pendampingan perangkat daerah yang capaiannya di bawah target."}


def count(what: str, n: int = 1) -> None:
    with _STATS_LOCK:
        STATS[what] += n


def token(role: str, agency: str, sub: str) -> dict:
    secret = os.environ["KINERJA_JWT_SECRET"]
    return {"Authorization": f"Bearer {mint_token(key=secret, sub=sub, role=role, agency_id=agency, ttl_s=3600)}"}


ADMIN: dict = {}


def session() -> requests.Session:
    if not hasattr(_LOCAL, "session"):
        _LOCAL.session = requests.Session()
    return _LOCAL.session


class Refused(RuntimeError):
    def __init__(self, method: str, url: str, response: requests.Response):
        super().__init__(f"{method} {url}: {response.status_code} {response.text[:500]}")
        self.status = response.status_code
        try:
            self.problem = response.json()
        except ValueError:
            self.problem = {}


def call(method: str, url: str, body=None, headers=None, ok=(200, 201)):
    response = session().request(method, url, json=body, headers=headers or ADMIN, timeout=30)
    if response.status_code not in ok:
        raise Refused(method, url, response)
    return response.json() if response.content else None


def wait_until(probe, what: str, timeout: float = WAIT_S) -> bool:
    deadline = time.monotonic() + timeout
    while not probe():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.5)
    return True


def fraction(salt: str) -> float:
    """A stable number in [0, 1] per salt (the same on every run)."""
    return int(hashlib.sha256(salt.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF


def spread(salt: str, low: float, high: float) -> float:
    return round(low + (high - low) * fraction(salt), 1)


def same_target(a: dict | None, b: dict | None) -> bool:
    def key(t):
        return None if t is None else tuple(None if t.get(k) is None else float(t[k]) for k in ("value", "min", "max"))
    return key(a) == key(b)


# -- what each indicator reports ------------------------------------------------------------------------------------

def months(year: int, upto: int = 12) -> list[str]:
    return [f"{year}{m:02d}" for m in range(1, upto + 1)]


def quarters(year: int, upto: int = 4) -> list[str]:
    return [f"{year}Q{q}" for q in range(1, upto + 1)]


def realisations(agency_code: str, code: str, year: int) -> dict[str, float]:
    """The values the agency reports for the indicator in the year, by period (2025: up to the third quarter)."""
    salt = f"{agency_code}:{code}:{year}"
    if code in IKU:
        return {str(year): spread(salt, *IKU[code][3])} if year == PREVIOUS else {}
    spec = next(n for n in NEW if n[0] == code)
    steps = spec[10] if year == YEAR else spec[12]
    if spec[4] == "monthly":
        periods = months(year, REPORTED_MONTHS if year == YEAR else 12)
        low = 86 if year == PREVIOUS else 88  # attendance got a little better in 2025
        return {p: spread(f"{salt}:{p}", low, 99.5) for p in periods}
    periods = quarters(year, REPORTED_QUARTERS if year == YEAR else 4)
    jitter = (-1, 0, 1) if spec[3] == "higher_is_better" else (-2, -1, 0, 1, 2, 3)
    return {p: float(max(0, steps[i] + jitter[int(fraction(f"{salt}:{p}") * len(jitter)) % len(jitter)]))
            for i, p in enumerate(periods)}


def baseline(agency_code: str, code: str) -> float:
    """The 2024 value over the year, aggregated as the indicator aggregates (the plan's baseline)."""
    values = list(realisations(agency_code, code, PREVIOUS).values())
    aggregation = "last" if code in IKU else next(n for n in NEW if n[0] == code)[5]
    if aggregation == "sum":
        return round(sum(values), 1)
    if aggregation == "average":
        return round(sum(values) / len(values), 1)
    return values[-1]


def previous_targets(code: str) -> dict[str, dict]:
    if code in IKU:
        return {str(PREVIOUS): IKU[code][2]}
    spec = next(n for n in NEW if n[0] == code)
    return {str(PREVIOUS): {"value": spec[11]},
            **{f"{PREVIOUS}{q}": {"value": v} for q, v in zip(QUARTERS, spec[12])}}


def agreement_row(code: str, indicator_id: str) -> dict:
    if code in IKU:
        return {"indicator_id": indicator_id, "target": IKU[code][4]}
    spec = next(n for n in NEW if n[0] == code)
    return {"indicator_id": indicator_id, "target": {"value": spec[9]},
            "quarterly_targets": {q: {"value": v} for q, v in zip(QUARTERS, spec[10])}}


def objective_of(code: str) -> str:
    return IKU[code][0] if code in IKU else next(n for n in NEW if n[0] == code)[7]


def plan_targets(code: str) -> tuple:
    return IKU[code][1] if code in IKU else next(n for n in NEW if n[0] == code)[8]


# -- the steps -------------------------------------------------------------------------------------------------------

class Loader:
    def __init__(self, agencies_url: str, indicators_url: str):
        self.agencies_url, self.url = agencies_url, indicators_url
        self.regency: dict = {}
        self.province: dict = {}
        self.units: list[dict] = []
        self.indicators: dict[str, dict[str, dict]] = {}  # agency id → code → indicator
        self.plans: dict[str, dict] = {}                  # agency id → plan
        self._name_signatories: bool | None = None        # the replica does not know the heads: name them
        self._replica_lock = threading.Lock()
        self.evaluator: dict = {}

    @property
    def agencies(self) -> list[dict]:
        return [self.regency, *self.units]

    def operator(self, agency: dict) -> dict:
        return token("operator", agency["id"], f"operator@{agency['code']}")

    def short(self, agency: dict) -> str:
        return agency.get("short_name") or agency["name"]

    # agencies

    def resolve(self) -> None:
        found = call("GET", f"{self.agencies_url}/api/v1/agencies?q={REGENCY}&type=regency")["items"]
        self.regency = next(a for a in found if a["code"] == REGENCY)
        self.province = call("GET", f"{self.agencies_url}/api/v1/agencies/{self.regency['parent_id']}")
        self.units = sorted(call("GET", f"{self.agencies_url}/api/v1/agencies/{self.regency['id']}/children"
                                        "?page_size=100")["items"], key=lambda a: a["code"])
        self.evaluator = token("evaluator", self.regency["id"], EVALUATOR)

    def replicated(self) -> bool:
        """Whether the indicators service knows every demo agency, with the head the registry names."""
        for agency in [self.province, *self.agencies]:
            response = session().get(f"{self.url}/api/v1/agencies/{agency['id']}", headers=ADMIN, timeout=30)
            if response.status_code != 200:
                return False
            if (response.json().get("head") or None) != (agency.get("head") or None):
                return False
        return True

    # indicators, 2024 targets and realisations

    def define(self, agency: dict) -> None:
        operator = self.operator(agency)
        existing = {i["code"]: i for i in call("GET", f"{self.url}/api/v1/indicators?agency_id={agency['id']}"
                                                      "&page_size=100")["items"]}
        for code, name, unit, polarity, frequency, aggregation, category, *_ in NEW:
            if code not in existing:
                existing[code] = call("POST", f"{self.url}/api/v1/indicators", {
                    "agency_id": agency["id"], "code": code, "name": name, "definition": DEFINITIONS[code],
                    "unit": unit, "polarity": polarity, "frequency": frequency, "aggregation": aggregation,
                    "category": category}, operator)
                count("indicators defined")
        missing = [code for code in IKU if code not in existing]
        if missing:
            raise RuntimeError(f"{agency['code']} has no {', '.join(missing)}: run demo/indicators.py first")
        self.indicators[agency["id"]] = {code: existing[code] for code in [*IKU, *(n[0] for n in NEW)]}
        for code, indicator in self.indicators[agency["id"]].items():
            for period, target in previous_targets(code).items():
                if period not in indicator.get("targets", {}):
                    call("PUT", f"{self.url}/api/v1/indicators/{indicator['id']}/targets/{period}", target, operator)
                    count("targets of 2024 set")
            self.report(agency, indicator, realisations(agency["code"], code, PREVIOUS))

    def report(self, agency: dict, indicator: dict, values: dict[str, float]) -> None:
        """Record, submit (the unit's operator) and verify (the inspectorate) each period's value, unless the
        period's realisation is verified or rejected already; one left half-way is taken on from where it is."""
        if not values:
            return
        base = f"{self.url}/api/v1/indicators/{indicator['id']}/realisations"
        status = {r["period"]: r["status"] for r in call("GET", base)}
        operator = self.operator(agency)
        for period, value in values.items():
            now = status.get(period)
            if now in ("verified", "rejected"):
                continue
            if now is None:
                call("PUT", f"{base}/{period}", {"value": value, "evidence": [{
                    "title": f"Laporan capaian {indicator['code']} {self.short(agency)} {period}",
                    "link": f"https://tanjabbarkab.go.id/sakip/{agency['code']}/{indicator['code']}/{period}"}]},
                     operator)
            if now in (None, "draft"):
                call("POST", f"{base}/{period}/submit", None, operator)
            call("POST", f"{base}/{period}/verify", None, self.evaluator)
            count(f"realisations of {period[:4]} verified")

    # strategic plans

    def existing_plan(self, agency: dict) -> dict | None:
        plans = call("GET", f"{self.url}/api/v1/plans?agency_id={agency['id']}&year={YEAR}&status=active")["items"]
        return plans[0] if plans else None

    def plan(self, agency: dict) -> None:
        plan = self.existing_plan(agency)
        if plan is None:
            unit = agency["id"] != self.regency["id"]
            supported = {o["code"]: o["id"] for g in self.plans[self.regency["id"]]["goals"]
                         for o in g["objectives"]} if unit else {}
            indicators = self.indicators[agency["id"]]
            goals = [{"code": goal, "name": goal_name, "objectives": [{
                "code": code, "name": f"{name} {self.short(agency)}" if unit else name,
                **({"supports_objective_id": supported.get(code) or next(iter(supported.values()))} if unit else {}),
                "indicators": [{
                    "indicator_id": indicators[ind]["id"],
                    "baseline": {"value": baseline(agency["code"], ind), "year": PREVIOUS},
                    "targets": {str(YEAR + i): v for i, v in enumerate(plan_targets(ind))},
                    "end_target": plan_targets(ind)[-1]} for ind in indicators if objective_of(ind) == code]}
                for code, name in objectives]} for goal, goal_name, objectives in GOALS]
            plan = call("POST", f"{self.url}/api/v1/plans", {
                "agency_id": agency["id"], "name": f"Renstra {self.short(agency)} {YEAR}–{YEAR + 4}",
                "start_year": YEAR, "end_year": YEAR + 4, "goals": goals}, self.operator(agency))
            count("plans drawn up")
        self.plans[agency["id"]] = plan

    # performance agreements and the 2025 realisations

    def content(self, agency: dict, revised: bool = False) -> list[dict]:
        objective_ids = {o["code"]: o["id"] for g in self.plans[agency["id"]]["goals"] for o in g["objectives"]}
        planned = {row["indicator_id"]: o["code"] for g in self.plans[agency["id"]]["goals"]
                   for o in g["objectives"] for row in o["indicators"]}
        objectives: dict[str, list[dict]] = {}
        for code, indicator in self.indicators[agency["id"]].items():
            row = agreement_row(code, indicator["id"])
            if revised and code == REVISION["code"]:
                row["target"] = REVISION["target"]
            objectives.setdefault(planned.get(indicator["id"]) or objective_of(code), []).append(row)
        return [{"objective_id": objective_ids[code], "indicators": rows} if code in objective_ids else
                {"name": next(n for _, _, os in GOALS for c, n in os if c == code), "indicators": rows}
                for code, rows in sorted(objectives.items())]

    def name_signatories(self) -> bool:
        """Whether agreements name their signatories: only when the indicators service has not learnt the
        heads the registry names within a minute (asked once, when an agreement is first drafted)."""
        with self._replica_lock:
            if self._name_signatories is None:
                self._name_signatories = not wait_until(self.replicated, "the heads", timeout=60)
            return self._name_signatories

    def signatories(self, agency: dict) -> dict:
        """The head and superior named in the agreement when the indicators service does not know them (else
        the registry's apply when it is signed: the agency's head, and its parent's as the superior)."""
        if not self.name_signatories():
            return {}
        parent = self.province if agency["id"] == self.regency["id"] else self.regency
        return {k: {"name": a["head"]["name"], "title": a["head"]["title"]}
                for k, a in (("head", agency), ("superior", parent)) if a.get("head")}

    def agree(self, agency: dict) -> None:
        operator = self.operator(agency)
        listed = call("GET", f"{self.url}/api/v1/performance-agreements?agency_id={agency['id']}&year={YEAR}")["items"]
        agreement = listed[0] if listed else None
        if agreement is None:
            budget = [  # pagu in rupiah, in steps of 5 million
                {"programme": SUPPORT, "amount": 5_000_000 * round(250 + 450 * fraction(agency["code"] + ":s"))},
                {"programme": PROGRAMMES.get(agency["code"], PROGRAMMES[REGENCY]),
                 "amount": 5_000_000 * round(150 + 1050 * fraction(agency["code"] + ":p"))}]
            agreement = call("POST", f"{self.url}/api/v1/performance-agreements", {
                "agency_id": agency["id"], "year": YEAR, "objectives": self.content(agency), "budget": budget,
                "place": "Kuala Tungkal", **self.signatories(agency)}, operator)
            count("agreements drafted")
        if agreement["status"] == "draft":
            # The head signs the draft as read (If-Match: the version it was shown at).
            agreement = call("POST", f"{self.url}/api/v1/performance-agreements/{agreement['id']}/sign", None,
                             {**operator, "If-Match": f'"{agreement["version"]}"'})
            count("agreements signed")
        if agency["code"] == REVISED_UNIT and agreement["version_in_force"] == 1:
            agreement = call("POST", f"{self.url}/api/v1/performance-agreements/{agreement['id']}/revisions", {
                "reason": REVISION["reason"], "objectives": self.content(agency, revised=True)}, operator, ok=(201,))
            count("agreements revised")
        self.await_targets(agency, agreement)
        for code, indicator in self.indicators[agency["id"]].items():
            self.report(agency, indicator, realisations(agency["code"], code, YEAR))

    def await_targets(self, agency: dict, agreement: dict) -> None:
        """Until the worker has set the targets of the version in force on its indicators."""
        wanted = {}
        for objective in agreement["in_force"]["objectives"]:
            for row in objective["indicators"]:
                wanted[row["indicator_id"]] = {str(YEAR): row["target"], **{
                    f"{YEAR}{q}": t for q, t in (row.get("quarterly_targets") or {}).items()}}

        def applied() -> bool:
            for indicator_id, targets in list(wanted.items()):
                current = call("GET", f"{self.url}/api/v1/indicators/{indicator_id}")["targets"]
                if not all(same_target(current.get(p), t) for p, t in targets.items()):
                    return False
                del wanted[indicator_id]
            return True
        if not wait_until(applied, "targets"):
            raise RuntimeError(f"the targets of {agency['code']}'s {YEAR} agreement were not applied within "
                               f"{WAIT_S} s (is the indicators worker running?)")


    def narrate(self, agency: dict) -> None:
        """The words of the regency's annual report (LKjIP) its operators write: chapters and each IKU's analysis
        (writing the same words again changes nothing)."""
        base = f"{self.url}/api/v1/agencies/{agency['id']}/reports/{YEAR}/narratives"
        for chapter, text in NARRATIVES.items():
            call("PUT", f"{base}/chapters/{chapter}", {"text": text}, self.operator(agency))
        for code, indicator in self.indicators[agency["id"]].items():
            call("PUT", f"{base}/indicators/{indicator['id']}", ANALYSIS, self.operator(agency))
        count("report narratives written")


def main(agencies_url: str, indicators_url: str) -> int:
    ADMIN.update(token("admin", "*", "demo-loader"))
    loader = Loader(agencies_url, indicators_url)
    loader.resolve()
    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(loader.define, loader.agencies))
        loader.plan(loader.regency)
        list(pool.map(loader.plan, loader.units))
        list(pool.map(loader.agree, loader.agencies))
    loader.narrate(loader.regency)
    done = ", ".join(f"{STATS[what]} {what}" for what in REPORTED if STATS[what]) or "nothing new"
    print(f"strategic plans and {YEAR} performance agreements of {len(loader.agencies)} agencies: {done}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1], sys.argv[2]))
    except (RuntimeError, requests.RequestException) as err:
        print(f"demo plans and agreements not loaded: {err}", file=sys.stderr)
        sys.exit(1)

"""The seed's FGD measured (for `make run`, from demo/reforms.py): a BerAKHLAK survey of the 22 leaders before the FGD
and of 20 of them after (two did not answer), with a visible change on Akuntabel and Adaptif; each leader's change
commitment (aksi perubahan) with two milestones and LAN's facilitator as mentor, all carried out but two, now overdue;
and the regency's *Indeks Budaya Kerja*, fed by the survey. The answers are seeded, so every run shows the same
figures; each respondent answers with a token of their own NIP, as the API asks."""
from __future__ import annotations

import random

INDICATOR = {"code": "IKU-RB-02", "name": "Indeks Budaya Kerja (nilai dasar ASN BerAKHLAK)", "unit": "indeks",
             "polarity": "higher_is_better", "frequency": "annual", "category": "IKU",
             "fed_by_culture": {"instrument": "berakhlak", "dimension": None}}
TARGET_2025 = 70
CHANGED = {"akuntabel": 1.2, "adaptif": 1.4}  # how much higher, on the 1–5 scale, those values score after the FGD
NOT_AFTER = (6, 17)  # the leaders (by position in the list) who did not answer afterwards
COMMITMENTS = [  # title, two milestones (title, due); the mentor is the FGD's first speaker
    ("Layanan perizinan selesai dalam satu hari kerja", ("SOP layanan disahkan", "2025-03-31"),
     ("Layanan satu hari berjalan dan dipantau", "2025-06-30")),
    ("Apel pagi dengan internalisasi satu nilai BerAKHLAK setiap pekan", ("Jadwal dan materi disusun", "2025-02-28"),
     ("Evaluasi triwulan pertama", "2025-04-30")),
    ("Laporan kinerja bulanan tepat waktu", ("Format laporan bulanan ditetapkan", "2025-03-15"),
     ("Tiga laporan pertama terkirim tepat waktu", "2025-06-15")),
]
OVERDUE = ((3, 1), (14, 1))  # (leader, milestone) left undone: past their due dates


def nip(n: int) -> str:
    """A fictional NIP (18 digits: birth date, appointment month, sex, sequence)."""
    return f"1975{n % 12 + 1:02d}{n % 28 + 1:02d}200003{1 + n % 2}{n:03d}"


def _answers(items: list[dict], rng: random.Random, after: bool) -> dict:
    answers = {}
    for dimension in items:
        shift = CHANGED.get(dimension["code"], 0.0) if after else 0.0
        low = 2.4 if dimension["code"] in CHANGED else 3.2
        for item in dimension["items"]:
            score = max(1, min(5, round(low + shift + rng.uniform(-0.8, 0.8))))
            answers[item["code"]] = 6 - score if item["reverse"] else score
    return answers


class Culture:
    """The survey's steps, in the order the activity allows them (see demo/reforms.py `run`)."""

    def __init__(self, call, token, reforms_url: str, indicators_url: str):
        self.call, self.token = call, token
        self.reforms, self.indicators = reforms_url, indicators_url
        self.rng = random.Random(2025)
        self.items = call("GET", f"{reforms_url}/api/v1/instruments/berakhlak-1")["dimensions"]
        self.survey = None

    def indicator(self, regency: dict) -> dict:
        existing = self.call("GET", f"{self.indicators}/api/v1/indicators?agency_id={regency['id']}&q=IKU-RB-02")
        indicator = existing["items"][0] if existing["items"] else self.call(
            "POST", f"{self.indicators}/api/v1/indicators", {**INDICATOR, "agency_id": regency["id"]})
        if "2025" not in indicator.get("targets", {}):
            self.call("PUT", f"{self.indicators}/api/v1/indicators/{indicator['id']}/targets/2025",
                      {"value": TARGET_2025})
        return indicator

    def _respond(self, phase: str, participants: list[dict]) -> None:
        for person in participants:
            self.call("POST", f"{self.reforms}/api/v1/surveys/{self.survey['id']}/phases/{phase}/answers",
                      {"answers": _answers(self.items, self.rng, phase == "post")},
                      self.token("viewer", person["agency_id"], person["nip"]))

    def before_start(self, activity: dict, participants: list[dict], operator: dict) -> None:
        self.survey = self.call("POST", f"{self.reforms}/api/v1/activities/{activity['id']}/surveys",
                                {"instrument_id": "berakhlak-1"}, operator)
        self.call("POST", f"{self.reforms}/api/v1/surveys/{self.survey['id']}/phases/pre/open", None, operator)
        self._respond("pre", participants)

    def after_start(self, activity: dict, participants: list[dict], operator: dict) -> None:
        phases = f"{self.reforms}/api/v1/surveys/{self.survey['id']}/phases"
        self.call("POST", f"{phases}/pre/close", None, operator)
        self.call("POST", f"{phases}/post/open", None, operator)

    def after_completion(self, activity: dict, participants: list[dict], operator: dict, mentor: dict) -> None:
        answered = [p for n, p in enumerate(participants) if n not in NOT_AFTER]
        self._respond("post", answered)
        self.call("POST", f"{self.reforms}/api/v1/surveys/{self.survey['id']}/phases/post/close", None, operator)
        for n, person in enumerate(participants):
            title, *milestones = COMMITMENTS[n % len(COMMITMENTS)]
            own = self.token("viewer", person["agency_id"], person["nip"])
            made = self.call("POST", f"{self.reforms}/api/v1/activities/{activity['id']}/commitments", {
                "participant_id": person["id"], "title": title, "mentor": mentor,
                "milestones": [{"title": t, "due": due} for t, due in milestones]}, own)
            for m, milestone in enumerate(made["milestones"]):
                if (n, m) not in OVERDUE:
                    made = self.call("PATCH", f"{self.reforms}/api/v1/commitments/{made['id']}/milestones/"
                                              f"{milestone['id']}", {"status": "done", "note": "Terlaksana."},
                                     {**own, "If-Match": f'"{made["version"]}"'})

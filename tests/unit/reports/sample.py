"""One agency's year as the report builders see it: a regency with two units, a signed agreement with a
budget and quarterly targets, a scorecard with comparisons, a reform activity and narratives."""
from __future__ import annotations

from datetime import datetime, timezone

from services.indicators.reports.facts import ReportFacts

AGENCY = {"id": "a-1506", "code": "1506", "name": "Pemerintah Kabupaten Tanjung Jabung Barat", "type": "regency",
          "status": "active", "parent_id": "a-15", "path": ["a-15"],
          "head": {"name": "Drs. H. Anwar Sadat, M.Ag", "title": "Bupati Tanjung Jabung Barat"}}
SUPERIOR = {"id": "a-15", "code": "15", "name": "Pemerintah Provinsi Jambi", "type": "province", "status": "active",
            "head": {"name": "Al Haris", "title": "Gubernur Jambi"}}
UNITS = [{"id": f"a-1506.0{i}", "code": f"1506.0{i}", "name": name, "type": "work_unit", "status": "active",
          "head": {"name": head, "title": "Kepala"}} for i, (name, head) in
         enumerate((("Dinas Kesehatan", "dr. Siti Aminah"), ("Dinas Pendidikan", "Budi Santoso, S.Pd")), start=1)]

ROWS = [
    {"indicator_id": "i-1", "code": "IKU-01", "name": "Indeks Kepuasan Masyarakat", "indicator_category": "IKU",
     "unit": "indeks", "polarity": "higher_is_better", "frequency": "quarterly", "aggregation": "average",
     "weight": 1.0, "target": "85", "realised": 78.886, "achievement": 92.8071, "light": "yellow",
     "category": {"code": "tinggi", "label": "Tinggi"}, "periods_verified": 4, "periods_expected": 4,
     "previous": {"period": "2024", "realised": 75.5, "achievement": 88.8235}, "baseline": {"value": 70, "year": 2020},
     "plan_target": 85, "end_target": 90, "progress": 87.6511},
    {"indicator_id": "i-2", "code": "IKU-02", "name": "Persentase kegiatan reformasi terlaksana",
     "indicator_category": "IKU", "unit": "kegiatan", "polarity": "higher_is_better", "frequency": "annual",
     "aggregation": "sum", "weight": 2.0, "target": "10–12", "realised": 12, "achievement": 100.0, "light": "green",
     "category": {"code": "sangat_tinggi", "label": "Sangat Tinggi"}, "periods_verified": 1, "periods_expected": 1,
     "previous": None, "baseline": None, "plan_target": None, "end_target": None, "progress": None},
]
CARD = {"agency": {k: AGENCY[k] for k in ("id", "code", "name", "type", "status")}, "period": "2025", "computed": True,
        "own": {"score": 97.6024, "grade": "sangat_tinggi", "category": {"code": "sangat_tinggi", "label": "Sangat Tinggi"},
                "light": "green", "coverage": 1.0, "indicators": 2},
        "rollup": {"score": 81.25, "grade": "tinggi", "category": {"code": "tinggi", "label": "Tinggi"},
                   "light": "yellow", "agencies_counted": 3},
        "indicators": ROWS,
        "objectives": [{"id": "p:S1", "code": "S1", "name": "Meningkatnya kualitas pelayanan publik",
                        "indicators": ["i-1", "i-2"], "achievement": 97.6, "goal": {"code": "T1", "name": "Tujuan"}}],
        "children": [{"agency_id": u["id"], "code": u["code"], "name": u["name"], "type": "work_unit",
                      "status": "active", "weight": 1.0, "score": s, "grade": None, "light": "green",
                      "category": {"code": "tinggi", "label": "Tinggi"}, "card_version": 3}
                     for u, s in zip(UNITS, (71.5, 74.64))],
        "rulepack_version": 2, "computed_at": "2026-01-30T00:00:00+00:00"}
VERSION = {"number": 2, "reason": "Perubahan target IKU-01", "signed_by": "op-1", "signed_at": "2025-01-30T09:00:00+07:00",
           "place": "Kuala Tungkal", "head": AGENCY["head"], "superior": SUPERIOR["head"],
           "objectives": [{"objective_id": "p:S1", "code": "S1", "name": "Meningkatnya kualitas pelayanan publik",
                           "indicators": [
                               {"indicator_id": "i-1", "code": "IKU-01", "name": "Indeks Kepuasan Masyarakat",
                                "unit": "indeks", "target": {"value": 85, "min": None, "max": None},
                                "quarterly_targets": {q: {"value": v, "min": None, "max": None}
                                                      for q, v in zip(("Q1", "Q2", "Q3", "Q4"), (80, 82.5, 84, 85))}},
                               {"indicator_id": "i-2", "code": "IKU-02", "name": "Persentase kegiatan reformasi terlaksana",
                                "unit": "kegiatan", "target": {"value": None, "min": 10, "max": 12},
                                "quarterly_targets": {}}]}],
           "budget": [{"programme": "Program Penunjang Urusan Pemerintahan Daerah", "amount": 1250000000},
                      {"programme": "Program Reformasi Birokrasi", "amount": 375500000}],
           "target_revisions": []}
AGREEMENT = {"id": "pk-1506-2025", "agency_id": "a-1506", "year": 2025, "status": "signed", "version_in_force": 2,
             "versions": [VERSION], "in_force": VERSION}
ACTIVITY = {"id": "act-1", "title": "FGD Perubahan Pola Pikir dan Budaya Kerja", "kind": "fgd", "area": "manajemen_perubahan",
            "start": "2025-03-12T09:00:00+07:00", "end": "2025-03-12T15:00:00+07:00",
            "linked_indicator_ids": ["i-2"], "attended": 22, "registered": 22}
NARRATIVES = {"id": "a-1506:2025", "agency_id": "a-1506", "year": 2025,
              "chapters": {"introduction": "Kabupaten ini terdiri atas 13 kecamatan.", "closing": "Kami terus berbenah."},
              "indicators": {"i-1": {"analysis": "Capaian naik karena layanan daring.", "hindering": "Jaringan lemah."}}}
GENERATED = datetime(2026, 1, 30, 10, 0, tzinfo=timezone.utc)


def facts(locked: bool = False, agreement: bool = True, **changes) -> ReportFacts:
    lock = {"id": "a-15:2025", "agency_id": "a-15", "period": "2025", "locked": True, "by": "evaluator-jambi",
            "at": datetime(2026, 2, 2, tzinfo=timezone.utc)} if locked else None
    values = dict(year=2025, agency=AGENCY, superior=SUPERIOR, units=UNITS, card=CARD,
                  agreement=AGREEMENT if agreement else None, activities=[ACTIVITY], narratives=NARRATIVES,
                  lock=lock, generated_at=GENERATED)
    return ReportFacts(**{**values, **changes})

"""The built-in work-culture instrument: the ASN core values BerAKHLAK (Berorientasi Pelayanan, Akuntabel,
Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif), three Likert items (1 = sangat tidak setuju … 5 = sangat setuju)
per value, one of them reverse-scored in each so that agreeing with everything does not score highest. Item
codes are stable: answers and results name them."""
from __future__ import annotations

from shared.commands import Kind
from services.reforms.domain.culture_stats import Item

BERAKHLAK_CODE = "berakhlak"

# (dimension code, label, [(item code, text, reversed)])
BERAKHLAK: tuple[tuple[str, str, tuple[tuple[str, str, bool], ...]], ...] = (
    ("berorientasi_pelayanan", "Berorientasi Pelayanan", (
        ("BP1", "Saya memahami dan memenuhi kebutuhan masyarakat yang saya layani.", False),
        ("BP2", "Saya ramah, cekatan, solutif, dan dapat diandalkan dalam memberi layanan.", False),
        ("BP3", "Keluhan masyarakat jarang saya tindak lanjuti bila tidak diminta atasan.", True))),
    ("akuntabel", "Akuntabel", (
        ("AK1", "Saya melaksanakan tugas dengan jujur, bertanggung jawab, cermat, disiplin, dan berintegritas.", False),
        ("AK2", "Saya menggunakan kekayaan dan barang milik negara secara bertanggung jawab, efektif, dan efisien.", False),
        ("AK3", "Saya kadang memakai kewenangan jabatan untuk kepentingan pribadi atau kelompok.", True))),
    ("kompeten", "Kompeten", (
        ("KO1", "Saya terus meningkatkan kompetensi diri untuk menjawab tantangan yang selalu berubah.", False),
        ("KO2", "Saya membantu orang lain belajar dan berbagi pengetahuan di unit kerja.", False),
        ("KO3", "Pekerjaan saya cukup dikerjakan sekadarnya asal selesai.", True))),
    ("harmonis", "Harmonis", (
        ("HA1", "Saya menghargai setiap orang apa pun latar belakangnya.", False),
        ("HA2", "Saya suka menolong orang lain dan membangun lingkungan kerja yang kondusif.", False),
        ("HA3", "Perbedaan pendapat di unit kerja sering saya anggap sebagai serangan pribadi.", True))),
    ("loyal", "Loyal", (
        ("LO1", "Saya memegang teguh ideologi Pancasila dan UUD 1945, setia kepada NKRI serta pemerintahan yang sah.", False),
        ("LO2", "Saya menjaga nama baik sesama ASN, pimpinan, instansi, dan negara.", False),
        ("LO3", "Saya pernah membuka rahasia jabatan atau negara kepada pihak yang tidak berhak.", True))),
    ("adaptif", "Adaptif", (
        ("AD1", "Saya cepat menyesuaikan diri menghadapi perubahan.", False),
        ("AD2", "Saya terus berinovasi dan mengembangkan kreativitas dalam bekerja.", False),
        ("AD3", "Saya lebih nyaman bekerja dengan cara lama walaupun ada cara yang lebih baik.", True))),
    ("kolaboratif", "Kolaboratif", (
        ("KL1", "Saya memberi kesempatan kepada berbagai pihak untuk berkontribusi.", False),
        ("KL2", "Saya terbuka bekerja sama untuk menghasilkan nilai tambah.", False),
        ("KL3", "Saya enggan berbagi data dan sumber daya dengan unit kerja lain.", True))),
)


def berakhlak_items() -> list[Item]:
    return [Item(code, dimension, reverse) for dimension, _, items in BERAKHLAK for code, _, reverse in items]


# -- instruments as stored: versioned, a version in use never changed ---------------------------------------------

def instrument_id(code: str, revision: int) -> str:
    """`berakhlak-1`: codes are lower-case letters, digits and underscores, so the id splits back unambiguously."""
    return f"{code}-{revision}"


def instrument_document(code: str, revision: int, fields: dict, created_by: str) -> dict:
    """A new version (`revision`: the record's `version` counts its writes) of an instrument, unused: title,
    description and its dimensions with their items."""
    return {"id": instrument_id(code, revision), "code": code, "revision": revision, "title": fields["title"],
            "description": fields.get("description"), "dimensions": fields["dimensions"], "in_use": False,
            "created_by": created_by}


def builtin_berakhlak() -> dict:
    """The fields of BerAKHLAK version 1 (what instrument_document takes)."""
    return {"title": "Survei Nilai Dasar ASN BerAKHLAK",
            "description": "Tujuh nilai dasar ASN (SE Menteri PANRB No. 20 Tahun 2021), tiga pernyataan per nilai, "
                           "skala 1 (sangat tidak setuju) sampai 5 (sangat setuju).",
            "dimensions": [{"code": dimension, "label": label,
                            "items": [{"code": code, "text": text, "reverse": reverse} for code, text, reverse in items]}
                           for dimension, label, items in BERAKHLAK]}


def items_of(instrument: dict) -> list[Item]:
    return [Item(item["code"], dimension["code"], bool(item.get("reverse")))
            for dimension in instrument["dimensions"] for item in dimension["items"]]


def definition_problems(dimensions: list[dict]) -> dict[str, list[str]]:
    """What is wrong with a definition beyond its fields' shapes: codes repeated across dimensions or items."""
    problems: dict[str, list[str]] = {}
    seen_dimensions: set[str] = set()
    seen_items: set[str] = set()
    for d_index, dimension in enumerate(dimensions):
        if dimension["code"] in seen_dimensions:
            problems.setdefault(f"dimensions.{d_index}.code", []).append(f"{dimension['code']} is used twice")
        seen_dimensions.add(dimension["code"])
        for i_index, item in enumerate(dimension["items"]):
            if item["code"] in seen_items:
                problems.setdefault(f"dimensions.{d_index}.items.{i_index}.code", []).append(
                    f"{item['code']} is used twice")
            seen_items.add(item["code"])
    return problems


SNAPSHOT_FIELDS = ("id", "code", "revision", "title", "in_use")


def instrument_snapshot(instrument: dict) -> dict:
    """An instrument as events carry it: its identity and shape (dimension codes and how many items each)."""
    return {**{k: instrument[k] for k in SNAPSHOT_FIELDS},
            "dimensions": [{"code": d["code"], "label": d["label"], "items": len(d["items"])}
                           for d in instrument["dimensions"]]}


INSTRUMENT = Kind("instrument", instrument_snapshot)

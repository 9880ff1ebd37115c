"""The built-in work-culture instrument: the ASN core values BerAKHLAK (Berorientasi Pelayanan, Akuntabel,
Kompeten, Harmonis, Loyal, Adaptif, Kolaboratif), three Likert items (1 = sangat tidak setuju … 5 = sangat setuju)
per value, one of them reverse-scored in each so that agreeing with everything does not score highest. Item
codes are stable: answers and results name them."""
from __future__ import annotations

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

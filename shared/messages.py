"""The message catalogue: every word a person reads in what the services produce (reports, sheets,
templates, mails), in Bahasa Indonesia first and English second, in one place. Code asks by key
(`text("lkjip.title")`); a key missing in a language falls back to Indonesian, never to the key."""
from __future__ import annotations

from typing import Any

DEFAULT = "id"

CATALOGUE: dict[str, dict[str, str]] = {
    # -- labels of codes ------------------------------------------------------------------------
    "type.ministry": {"id": "Kementerian", "en": "Ministry"},
    "type.agency": {"id": "Lembaga", "en": "Agency"},
    "type.province": {"id": "Pemerintah Provinsi", "en": "Province"},
    "type.regency": {"id": "Pemerintah Kabupaten", "en": "Regency"},
    "type.city": {"id": "Pemerintah Kota", "en": "City"},
    "type.work_unit": {"id": "Perangkat Daerah", "en": "Work unit"},
    "type.unit": {"id": "Unit Kerja", "en": "Unit"},
    "frequency.annual": {"id": "Tahunan", "en": "Annual"},
    "frequency.quarterly": {"id": "Triwulanan", "en": "Quarterly"},
    "frequency.monthly": {"id": "Bulanan", "en": "Monthly"},
    "aggregation.sum": {"id": "Jumlah", "en": "Sum"},
    "aggregation.average": {"id": "Rata-rata", "en": "Average"},
    "aggregation.last": {"id": "Nilai terakhir", "en": "Last value"},
    "polarity.higher_is_better": {"id": "Makin tinggi makin baik", "en": "Higher is better"},
    "polarity.lower_is_better": {"id": "Makin rendah makin baik", "en": "Lower is better"},
    "polarity.range": {"id": "Dalam rentang", "en": "Within a range"},
    "status.draft": {"id": "Draf", "en": "Draft"},
    "status.submitted": {"id": "Diajukan", "en": "Submitted"},
    "status.verified": {"id": "Terverifikasi", "en": "Verified"},
    "status.rejected": {"id": "Ditolak", "en": "Rejected"},
    "status.missing": {"id": "Belum diisi", "en": "Missing"},
    "light.green": {"id": "Hijau", "en": "Green"},
    "light.yellow": {"id": "Kuning", "en": "Yellow"},
    "light.red": {"id": "Merah", "en": "Red"},
    "type.institution": {"id": "Lembaga", "en": "Institution"},
    "type.sub_unit": {"id": "Sub Unit Kerja", "en": "Sub-unit"},
    "status.active": {"id": "Aktif", "en": "Active"},
    "status.inactive": {"id": "Nonaktif", "en": "Inactive"},
    "status.signed": {"id": "Ditandatangani", "en": "Signed"},
    "activity.planned": {"id": "Direncanakan", "en": "Planned"},
    "activity.in_progress": {"id": "Berlangsung", "en": "In progress"},
    "activity.completed": {"id": "Selesai", "en": "Completed"},
    "activity.cancelled": {"id": "Dibatalkan", "en": "Cancelled"},
    "followup.open": {"id": "Belum dimulai", "en": "Open"},
    "followup.in_progress": {"id": "Dikerjakan", "en": "In progress"},
    "followup.done": {"id": "Selesai", "en": "Done"},
    "milestone.planned": {"id": "Direncanakan", "en": "Planned"},
    "milestone.in_progress": {"id": "Dikerjakan", "en": "In progress"},
    "milestone.done": {"id": "Tercapai", "en": "Achieved"},
    "phase.scheduled": {"id": "Belum dibuka", "en": "Not open yet"},
    "phase.open": {"id": "Dibuka", "en": "Open"},
    "phase.closing": {"id": "Sedang ditutup", "en": "Closing"},
    "phase.closed": {"id": "Ditutup", "en": "Closed"},
    "kind.fgd": {"id": "Diskusi kelompok terarah (FGD)", "en": "Focus group discussion"},
    "kind.workshop": {"id": "Lokakarya", "en": "Workshop"},
    "kind.training": {"id": "Pelatihan", "en": "Training"},
    "kind.socialisation": {"id": "Sosialisasi", "en": "Socialisation"},
    "kind.coaching": {"id": "Pendampingan", "en": "Coaching"},
    "kind.assessment": {"id": "Penilaian", "en": "Assessment"},
    "kind.other": {"id": "Lainnya", "en": "Other"},
    "role.admin": {"id": "Administrator", "en": "Administrator"},
    "role.evaluator": {"id": "Evaluator", "en": "Evaluator"},
    "role.operator": {"id": "Operator", "en": "Operator"},
    "role.viewer": {"id": "Pembaca", "en": "Viewer"},
    "category.IKU": {"id": "IKU", "en": "IKU (key indicator)"},
    "category.IKK": {"id": "IKK", "en": "IKK (core indicator)"},
    "yes": {"id": "Ya", "en": "Yes"},
    "no": {"id": "Tidak", "en": "No"},
    "none": {"id": "–", "en": "–"},
    # -- documents ------------------------------------------------------------------------------
    "document.draft": {"id": "DRAF", "en": "DRAFT"},
    "document.page": {"id": "Halaman", "en": "Page"},
    "lkjip.title": {"id": "Laporan Kinerja Instansi Pemerintah", "en": "Government Agency Performance Report"},
    "lkjip.short": {"id": "LKjIP", "en": "LKjIP"},
    "lkjip.year": {"id": "Tahun {year}", "en": "Year {year}"},
    "lkjip.draft_note": {"id": "Draf: tahun {year} belum dikunci untuk instansi ini; angka dapat berubah.",
                         "en": "Draft: {year} is not locked for this agency yet; the numbers may change."},
    "lkjip.final_note": {"id": "Final: tahun {year} dikunci oleh {by} pada {at}. Disusun dengan aturan penilaian "
                               "versi {rulepack} dan {agreement}.",
                         "en": "Final: {year} was locked by {by} on {at}. Built with rule pack version {rulepack} "
                               "and {agreement}."},
    "lkjip.agreement_ref": {"id": "Perjanjian Kinerja {id} versi {version}", "en": "performance agreement {id} "
                                                                                  "version {version}"},
    "lkjip.no_agreement_ref": {"id": "tanpa Perjanjian Kinerja yang ditandatangani",
                               "en": "no signed performance agreement"},
    "lkjip.generated": {"id": "Dibuat oleh Kinerja pada {at}", "en": "Generated by Kinerja on {at}"},
    "lkjip.summary": {"id": "Ikhtisar Eksekutif", "en": "Executive summary"},
    "lkjip.summary_lead": {
        "id": "Laporan ini menyajikan capaian kinerja {agency} tahun {year} atas {indicators} indikator kinerja. "
              "Nilai kinerja instansi adalah {score} dengan kategori {category}; {met} indikator mencapai atau "
              "melampaui targetnya.",
        "en": "This report presents the performance of {agency} in {year} over {indicators} indicators. The "
              "agency's score is {score}, category {category}; {met} indicators met or exceeded their target."},
    "lkjip.key_figures": {"id": "Angka kunci", "en": "Key figures"},
    "lkjip.figure": {"id": "Uraian", "en": "Item"},
    "lkjip.value": {"id": "Nilai", "en": "Value"},
    "lkjip.score": {"id": "Nilai kinerja instansi", "en": "Agency score"},
    "lkjip.category": {"id": "Kategori", "en": "Category"},
    "lkjip.indicators": {"id": "Jumlah indikator", "en": "Indicators"},
    "lkjip.met": {"id": "Indikator mencapai target (≥ 100%)", "en": "Indicators meeting the target (≥ 100%)"},
    "lkjip.coverage": {"id": "Realisasi terverifikasi", "en": "Verified realisations"},
    "lkjip.rollup": {"id": "Nilai gabungan perangkat daerah/unit", "en": "Roll-up over the units"},
    "lkjip.units_counted": {"id": "Unit yang dinilai", "en": "Units counted"},
    "lkjip.chapter1": {"id": "Bab I Pendahuluan", "en": "Chapter I Introduction"},
    "lkjip.profile": {"id": "Profil instansi", "en": "The agency"},
    "lkjip.profile_text": {
        "id": "{agency} ({type}, kode {code}) dipimpin oleh {head}. Instansi ini membawahi {units} unit.",
        "en": "{agency} ({type}, code {code}) is headed by {head}. It oversees {units} units."},
    "lkjip.no_head": {"id": "pimpinan yang belum tercatat", "en": "a head not yet recorded"},
    "lkjip.units": {"id": "Unit di bawahnya", "en": "Its units"},
    "lkjip.chapter2": {"id": "Bab II Perencanaan Kinerja", "en": "Chapter II Performance planning"},
    "lkjip.agreement_text": {
        "id": "Perjanjian Kinerja tahun {year} ({id}, versi {version}) ditandatangani oleh {head} dan {superior} "
              "pada {signed}. Sasaran, indikator dan targetnya sebagai berikut.",
        "en": "The {year} performance agreement ({id}, version {version}) was signed by {head} and {superior} on "
              "{signed}. Its objectives, indicators and targets follow."},
    "lkjip.no_agreement": {"id": "Belum ada Perjanjian Kinerja tahun {year} yang ditandatangani.",
                           "en": "No performance agreement for {year} has been signed."},
    "lkjip.chapter3": {"id": "Bab III Akuntabilitas Kinerja", "en": "Chapter III Performance accountability"},
    "lkjip.achievement": {"id": "Capaian kinerja {year}", "en": "Performance in {year}"},
    "lkjip.vs_previous": {"id": "Perbandingan dengan tahun {previous}", "en": "Compared with {previous}"},
    "lkjip.vs_plan": {"id": "Perbandingan dengan target akhir Renstra", "en": "Compared with the end-of-plan target"},
    "lkjip.analysis": {"id": "Analisis capaian per indikator", "en": "Analysis per indicator"},
    "lkjip.reforms": {"id": "Kegiatan reformasi birokrasi yang mendukung", "en": "Reform activities behind them"},
    "lkjip.no_reforms": {"id": "Tidak ada kegiatan reformasi birokrasi yang selesai dan terkait indikator tahun ini.",
                         "en": "No completed reform activity was linked to these indicators this year."},
    "lkjip.budget": {"id": "Anggaran per program", "en": "Budget per programme"},
    "lkjip.no_budget": {"id": "Perjanjian Kinerja tidak memuat anggaran.", "en": "The agreement holds no budget."},
    "lkjip.chapter4": {"id": "Bab IV Penutup", "en": "Chapter IV Closing"},
    "lkjip.closing_lead": {
        "id": "Demikian Laporan Kinerja {agency} tahun {year}. Nilai kinerja {score} ({category}).",
        "en": "This concludes the {year} performance report of {agency}. Score {score} ({category})."},
    "lkjip.appendix": {"id": "Lampiran: Perjanjian Kinerja", "en": "Appendix: the performance agreement"},
    "lkjip.no_narrative": {"id": "(Belum diisi.)", "en": "(Not written yet.)"},
    "narrative.analysis": {"id": "Analisis capaian", "en": "Analysis"},
    "narrative.supporting": {"id": "Faktor pendukung", "en": "Supporting factors"},
    "narrative.hindering": {"id": "Faktor penghambat", "en": "Hindering factors"},
    "narrative.follow_up": {"id": "Tindak lanjut", "en": "Follow-up"},
    "pk.title": {"id": "Perjanjian Kinerja Tahun {year}", "en": "Performance Agreement {year}"},
    "pk.statement": {
        "id": "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta "
              "berorientasi pada hasil, kami yang bertanda tangan di bawah ini:",
        "en": "To make government management effective, transparent, accountable and results-oriented, we the "
              "undersigned:"},
    "pk.party": {"id": "{name}, {title}, selanjutnya disebut pihak {n};",
                 "en": "{name}, {title}, hereinafter party {n};"},
    "pk.first": {"id": "pertama", "en": "one"},
    "pk.second": {"id": "kedua", "en": "two"},
    "pk.pledge": {
        "id": "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini "
              "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen "
              "perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab "
              "kami. Pihak kedua akan melakukan supervisi yang diperlukan serta evaluasi terhadap capaian kinerja "
              "dari perjanjian ini dan mengambil tindakan yang diperlukan.",
        "en": "Party one pledges to deliver the performance targets in the appendix of this agreement, toward the "
              "medium-term targets of the planning documents; success and failure are our responsibility. Party "
              "two will supervise and evaluate the performance under this agreement and act as needed."},
    "pk.version": {"id": "Versi {version}{reason}", "en": "Version {version}{reason}"},
    "pk.revision_reason": {"id": " (perubahan: {reason})", "en": " (revision: {reason})"},
    "pk.unsigned": {"id": "Belum ditandatangani", "en": "Not signed yet"},
    "pk.first_party": {"id": "Pihak Pertama,", "en": "Party one,"},
    "pk.second_party": {"id": "Pihak Kedua,", "en": "Party two,"},
    "pk.targets": {"id": "Sasaran, indikator dan target", "en": "Objectives, indicators and targets"},
    "pk.quarterly": {"id": "Target triwulan", "en": "Quarterly targets"},
    "col.no": {"id": "No", "en": "No"},
    "col.objective": {"id": "Sasaran Strategis", "en": "Objective"},
    "col.indicator": {"id": "Indikator Kinerja", "en": "Indicator"},
    "col.code": {"id": "Kode", "en": "Code"},
    "col.unit": {"id": "Satuan", "en": "Unit"},
    "col.target": {"id": "Target", "en": "Target"},
    "col.realised": {"id": "Realisasi", "en": "Realisation"},
    "col.achievement": {"id": "Capaian (%)", "en": "Achievement (%)"},
    "col.category": {"id": "Kategori", "en": "Category"},
    "col.light": {"id": "Status", "en": "Light"},
    "col.baseline": {"id": "Kondisi awal", "en": "Baseline"},
    "col.end_target": {"id": "Target akhir Renstra", "en": "End-of-plan target"},
    "col.progress": {"id": "Progres (%)", "en": "Progress (%)"},
    "col.realised_year": {"id": "Realisasi {year}", "en": "Realisation {year}"},
    "col.achievement_year": {"id": "Capaian {year} (%)", "en": "Achievement {year} (%)"},
    "col.plan_target": {"id": "Target Renstra {year}", "en": "Plan target {year}"},
    "col.programme": {"id": "Program", "en": "Programme"},
    "col.amount": {"id": "Anggaran (Rp)", "en": "Budget (Rp)"},
    "col.total": {"id": "Jumlah", "en": "Total"},
    "col.name": {"id": "Nama", "en": "Name"},
    "col.agency_type": {"id": "Jenis", "en": "Type"},
    "col.head": {"id": "Kepala", "en": "Head"},
    "col.activity": {"id": "Kegiatan", "en": "Activity"},
    "col.area": {"id": "Area RB", "en": "RB area"},
    "col.date": {"id": "Tanggal", "en": "Date"},
    "col.attended": {"id": "Peserta hadir", "en": "Attended"},
    "col.indicators": {"id": "Indikator terkait", "en": "Linked indicators"},
    "col.quarter": {"id": "TW {n}", "en": "Q{n}"},
    "col.score": {"id": "Nilai", "en": "Score"},
    "col.rank": {"id": "Peringkat", "en": "Rank"},
    "col.weight": {"id": "Bobot", "en": "Weight"},
    "col.frequency": {"id": "Periode pelaporan", "en": "Reporting"},
    "col.aggregation": {"id": "Agregasi", "en": "Aggregation"},
    "col.polarity": {"id": "Polaritas", "en": "Polarity"},
    "col.indicator_category": {"id": "Jenis indikator", "en": "Indicator type"},
    "col.coverage": {"id": "Cakupan terverifikasi (%)", "en": "Verified coverage (%)"},
    "col.verified_periods": {"id": "Periode terverifikasi", "en": "Periods verified"},
    "col.previous_realised": {"id": "Realisasi tahun lalu", "en": "Last year's realisation"},
    "col.previous_achievement": {"id": "Capaian tahun lalu (%)", "en": "Last year's achievement (%)"},
    "col.period": {"id": "Periode", "en": "Period"},
    "col.agency_code": {"id": "Kode Instansi", "en": "Agency code"},
    "col.agency_name": {"id": "Nama Instansi", "en": "Agency name"},
    "col.indicator_code": {"id": "Kode Indikator", "en": "Indicator code"},
    "col.evidence": {"id": "Tautan Bukti", "en": "Evidence links"},
    "col.note": {"id": "Catatan", "en": "Note"},
    "col.status": {"id": "Status", "en": "Status"},
    "col.submit": {"id": "Ajukan (Ya/Tidak)", "en": "Submit (Yes/No)"},
    "col.key": {"id": "Kunci (jangan diubah)", "en": "Key (do not change)"},
    "sheet.indicators": {"id": "Indikator", "en": "Indicators"},
    "sheet.units": {"id": "Unit", "en": "Units"},
    "sheet.ranking": {"id": "Peringkat", "en": "Ranking"},
    "sheet.realisations": {"id": "Realisasi", "en": "Realisations"},
    "sheet.targets": {"id": "Target", "en": "Targets"},
    "sheet.guide": {"id": "Petunjuk", "en": "Guide"},
    "guide.reporting": {
        "id": "Isi kolom Realisasi, Tautan Bukti (pisahkan dengan baris baru) dan Catatan untuk periode {period}. "
              "Tulis Ya pada kolom Ajukan untuk langsung mengajukan untuk verifikasi. Jangan mengubah kolom Kunci. "
              "Unggah kembali berkas ini; coba dulu dengan dry_run=true.",
        "en": "Fill in Realisation, Evidence links (one per line) and Note for {period}. Write Yes in Submit to "
              "submit for verification at once. Do not change the Key column. Upload the file back; try "
              "dry_run=true first."},
    "guide.planning": {
        "id": "Isi target setiap periode tahun {year} (angka, atau rentang min–maks pada kolom Target Min dan "
              "Target Maks). Target yang sudah ada diubah hanya jika kolom Alasan diisi. Jangan mengubah kolom Kunci.",
        "en": "Fill in the target of each period of {year} (a number, or a range in Target min and Target max). "
              "A target already set changes only with a Reason. Do not change the Key column."},
    "col.target_min": {"id": "Target Min", "en": "Target min"},
    "col.target_max": {"id": "Target Maks", "en": "Target max"},
    "col.reason": {"id": "Alasan perubahan", "en": "Reason for a change"},
    "col.current_target": {"id": "Target saat ini", "en": "Current target"},
    # why an uploaded cell is refused (shown in the 422's `cells`, next to the sheet, row and column)
    "cell.number": {"id": "isi dengan angka", "en": "write a number"},
    "cell.formula": {"id": "rumus tidak diterima: ketik angkanya", "en": "formulas are not taken: type the number"},
    "cell.not_a_number": {"id": "{value} bukan angka", "en": "{value} is not a number"},
    "cell.out_of_range": {"id": "angka di luar rentang", "en": "number out of range"},
    "cell.too_long": {"id": "paling banyak {limit} karakter", "en": "at most {limit} characters"},
    "cell.not_a_link": {"id": "baris {line}: {link} bukan tautan http(s)", "en": "line {line}: {link} is not an http(s) link"},
    "cell.too_many_links": {"id": "paling banyak {limit} tautan", "en": "at most {limit} links"},
    "cell.yes_or_no": {"id": "tulis Ya atau Tidak", "en": "write Ya or Tidak"},
    "cell.foreign_key": {"id": "baris ini bukan dari templat instansi dan periode ini (kolom Kunci diubah?)",
                         "en": "this row is not from the template of this agency and period (was the Key changed?)"},
    "cell.repeated_row": {"id": "baris yang sama dengan baris {row}", "en": "the same row as row {row}"},
    "cell.value_first": {"id": "isi Realisasi untuk mencatat bukti atau catatan",
                         "en": "fill in the Realisation to record evidence or a note"},
    "cell.half_range": {"id": "rentang perlu Target Min dan Target Maks", "en": "a range needs Target Min and Target Max"},
    "cell.target_or_range": {"id": "isi Target atau rentang Min–Maks, bukan keduanya",
                             "en": "fill in the Target or a Min–Max range, not both"},
    "cell.range_reversed": {"id": "Target Min lebih besar dari Target Maks", "en": "Target Min is above Target Max"},
    "cell.evidence_title": {"id": "Bukti {number}", "en": "Evidence {number}"},  # a link given without a title
    "cell.reason_needed": {"id": "target periode ini sudah ada; perubahan perlu alasan",
                           "en": "this period has a target; a change needs a reason"},
}


def _in(entry: dict[str, str], lang: str) -> str:
    """An entry in `lang`, Indonesian where it has none."""
    return entry.get(lang) or entry[DEFAULT]


def text(key: str, lang: str = DEFAULT, **params: Any) -> str:
    template = _in(CATALOGUE[key], lang)
    return template.format(**params) if params else template


# The groups of codes a person reads by their label (the dashboard receives them with its own words).
LABEL_GROUPS = ("type", "frequency", "aggregation", "polarity", "status", "light", "activity", "followup", "milestone",
                "phase", "kind", "role", "category")


def labels(lang: str = DEFAULT) -> dict[str, str]:
    """Every code's label in `lang` (Indonesian where it has none), by `group.code`."""
    return {key: _in(entry, lang) for key, entry in CATALOGUE.items()
            if key.split(".", 1)[0] in LABEL_GROUPS}


def label(group: str, code: str | None, lang: str = DEFAULT) -> str:
    """The label of a code (`label("frequency", "monthly")` → Bulanan); an unknown code reads as itself."""
    if code is None:
        return CATALOGUE["none"][lang]
    entry = CATALOGUE.get(f"{group}.{code}")
    return _in(entry, lang) if entry else code

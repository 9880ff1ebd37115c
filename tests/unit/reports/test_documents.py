"""The LKjIP and the PK document built from one agency's year (tests.unit.reports.sample), rendered to PDF and
DOCX and read back: the chapters and the appendix are there, every number is the data's written the
Indonesian way, the draft watermark is there until the year is locked and gone after."""
from __future__ import annotations

import pytest

from shared.documents import docx, pdf
from services.indicators.reports.lkjip import lkjip
from services.indicators.reports.pk import pk
from tests.unit.reports import sample
from tests.unit.reports.reading import docx_parts, pdf_pages, pdf_text

CHAPTERS = ["Ikhtisar Eksekutif", "Bab I Pendahuluan", "Bab II Perencanaan Kinerja", "Bab III Akuntabilitas Kinerja",
            "Bab IV Penutup", "Lampiran: Perjanjian Kinerja"]
# Each number of the sample as the report must write it.
NUMBERS = ["78,89", "92,81", "100,00", "75,5", "88,82", "87,65", "97,60", "81,25", "10–12", "Rp1.250.000.000",
           "Rp375.500.000", "Rp1.625.500.000", "82,5", "12 Maret 2025", "30 Januari 2025"]


@pytest.fixture(scope="module")
def draft_pdf():
    return pdf.render(lkjip(sample.facts()))


@pytest.fixture(scope="module")
def draft_docx():
    return docx.render(lkjip(sample.facts()))


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_pdf_has_every_chapter_in_order_and_the_appendix(draft_pdf):
    text = _flat(pdf_text(draft_pdf))
    positions = [text.index(chapter) for chapter in CHAPTERS]
    assert positions == sorted(positions)
    assert "LAPORAN KINERJA INSTANSI PEMERINTAH" in text and "TAHUN 2025" in text


def test_every_number_of_the_pdf_is_the_data_written_the_indonesian_way(draft_pdf):
    text = _flat(pdf_text(draft_pdf))
    missing = [n for n in NUMBERS if n not in text]
    assert missing == []
    assert "78.89" not in text and "92.81" not in text  # no number the English way


def test_the_docx_holds_the_same_chapters_numbers_and_tables(draft_docx):
    body, tables, headers = docx_parts(draft_docx)
    cells = _flat(" ".join(cell for table in tables for row in table for cell in row))
    assert [c for c in CHAPTERS if c not in body] == []
    assert [n for n in NUMBERS if n not in cells and n not in body] == []
    achievement = next(t for t in tables if t[0][:3] == ["No", "Sasaran Strategis", "Indikator Kinerja"]
                       and "Capaian (%)" in t[0])
    assert achievement[1][4:8] == ["85", "78,89", "92,81", "Tinggi"]


def test_the_narratives_are_in_their_chapters(draft_pdf):
    text = _flat(pdf_text(draft_pdf))
    assert text.index("Kabupaten ini terdiri atas 13 kecamatan.") < text.index("Bab II Perencanaan Kinerja")
    assert "Analisis capaian: Capaian naik karena layanan daring." in text
    assert "Faktor penghambat: Jaringan lemah." in text
    assert "Faktor pendukung: (Belum diisi.)" in text
    assert "FGD Perubahan Pola Pikir dan Budaya Kerja" in text and "Manajemen Perubahan" in text


def test_a_draft_is_watermarked_on_every_page(draft_pdf, draft_docx):
    pages = pdf_pages(draft_pdf)
    assert len(pages) >= 6 and all("DRAF" in page for page in pages)
    assert "belum dikunci" in pdf_text(draft_pdf)
    assert "DRAF" in docx_parts(draft_docx)[2]


def test_once_the_year_is_locked_the_report_is_final_and_names_its_versions():
    document = lkjip(sample.facts(locked=True))
    text = _flat(pdf_text(pdf.render(document)))
    assert "DRAF" not in text
    assert ("Final: tahun 2025 dikunci oleh evaluator-jambi pada 2 Februari 2026. Disusun dengan aturan penilaian "
            "versi 2 dan Perjanjian Kinerja pk-1506-2025 versi 2.") in text
    assert "DRAF" not in docx_parts(docx.render(document))[2]


def test_without_a_signed_agreement_the_report_says_so():
    text = _flat(pdf_text(pdf.render(lkjip(sample.facts(agreement=False)))))
    assert text.count("Belum ada Perjanjian Kinerja tahun 2025 yang ditandatangani.") == 2  # chapter II, appendix
    assert "Perjanjian Kinerja tidak memuat anggaran." in text


def test_the_pk_document_in_its_usual_form():
    text = _flat(pdf_text(pdf.render(pk(sample.AGREEMENT, sample.VERSION, sample.AGENCY))))
    assert "PERJANJIAN KINERJA TAHUN 2025" in text
    assert "Versi 2 (perubahan: Perubahan target IKU-01)" in text
    assert "Drs. H. Anwar Sadat, M.Ag, Bupati Tanjung Jabung Barat, selanjutnya disebut pihak pertama" in text
    assert "Al Haris, Gubernur Jambi, selanjutnya disebut pihak kedua" in text
    for cell in ("TW 1", "TW 4", "80", "82,5", "84", "85", "10–12", "Rp1.625.500.000"):
        assert cell in text
    assert "Kuala Tungkal, 30 Januari 2025" in text
    signatures = text[text.index("Pihak Kedua,"):]  # the two blocks, each role above its person
    assert signatures.index("Al Haris") < signatures.index("Pihak Pertama,") < signatures.index("Drs. H. Anwar Sadat")
    assert "DRAF" not in text


def test_a_draft_agreement_prints_watermarked_with_lines_to_fill():
    draft = {**sample.VERSION, "number": None, "place": None, "head": None}
    text = _flat(pdf_text(pdf.render(pk(sample.AGREEMENT, draft, sample.AGENCY))))
    assert "DRAF" in text and "Belum ditandatangani" in text
    assert "(.............................)" in text

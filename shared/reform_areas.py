"""Reference data: the areas a reform activity advances, with stable codes.

The eight areas of change of Reformasi Birokrasi (RB General) and the RB Tematik themes. The codes are
part of the public contract (activities carry one; an indicator's `fed_by_reforms` lists the ones that
count), so a code never changes once published; names may be reworded.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ReformArea:
    code: str
    name: str  # Indonesian, as agencies use it
    name_en: str
    group: str  # "general" (the eight areas of change) or "thematic" (RB Tematik)


AREAS: tuple[ReformArea, ...] = (
    ReformArea("manajemen_perubahan", "Manajemen Perubahan", "Change management", "general"),
    ReformArea("deregulasi_kebijakan", "Deregulasi Kebijakan", "Policy deregulation", "general"),
    ReformArea("penataan_organisasi", "Penataan dan Penguatan Organisasi", "Organisational structuring", "general"),
    ReformArea("penataan_tatalaksana", "Penataan Tatalaksana", "Business process management", "general"),
    ReformArea("penataan_sdm_aparatur", "Penataan Sistem Manajemen SDM Aparatur", "Civil service HR management",
               "general"),
    ReformArea("penguatan_akuntabilitas", "Penguatan Akuntabilitas", "Accountability", "general"),
    ReformArea("penguatan_pengawasan", "Penguatan Pengawasan", "Supervision and integrity", "general"),
    ReformArea("peningkatan_kualitas_pelayanan_publik", "Peningkatan Kualitas Pelayanan Publik",
               "Public service quality", "general"),
    ReformArea("penanggulangan_kemiskinan", "Penanggulangan Kemiskinan", "Poverty reduction", "thematic"),
    ReformArea("peningkatan_investasi", "Peningkatan Investasi", "Investment", "thematic"),
    ReformArea("digitalisasi_administrasi", "Digitalisasi Administrasi Pemerintahan",
               "Digitalisation of administration", "thematic"),
    ReformArea("prioritas_presiden", "Percepatan Prioritas Aktual Presiden", "Presidential priorities", "thematic"),
)

AREA_CODES: tuple[str, ...] = tuple(area.code for area in AREAS)
BY_CODE: dict[str, ReformArea] = {area.code: area for area in AREAS}


def area_name(code: str | None) -> str:
    """The Indonesian name of an area (a code unknown here reads as itself)."""
    area = BY_CODE.get(code or "")
    return area.name if area else (code or "")

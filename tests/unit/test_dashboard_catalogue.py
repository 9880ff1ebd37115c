"""The dashboard's catalogues (dashboard/i18n/<lang>.json): the same keys in every language, nothing empty, no
Indonesian entry left in English, and every key the page asks for — written in its modules or built from a code
(a view, a problem type, a chapter, a service) — present. A key missing here would show as itself on screen."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from services.indicators.domain.narratives import CHAPTERS
from services.registry import SERVICES
from shared.http.problems import _TYPES
from shared.messages import labels

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
CATALOGUES = {lang: json.loads((DASHBOARD / "i18n" / f"{lang}.json").read_text(encoding="utf-8")) for lang in ("id", "en")}
SOURCES = [*sorted((DASHBOARD / "static").rglob("*.js")), DASHBOARD / "static" / "index.html"]
# The same word in both languages on purpose: codes and names, and words Indonesian took from English.
SAME_IN_BOTH = {"col.status", "col.target", "col.unit", "field.target", "files.lkjip_docx", "files.lkjip_pdf"}
REPO = DASHBOARD.parent


def source_text() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in SOURCES)


def keys_in_sources() -> set[str]:
    text = source_text()
    called = set(re.findall(r"""\bt\(\s*"([a-z_.0-9-]+)\"""", text))
    both = {k for pair in re.findall(r'\? "([a-z_.]+)" : "([a-z_.]+)"', text) for k in pair}  # t(x ? "a" : "b")
    static = set(re.findall(r'data-t(?:-label)?="([a-z_.]+)"', text))
    return called | {k for k in both if "." in k} | static


def problem_kinds() -> set[str]:
    """Every problem type a service can answer: by status, and the kinds its domain errors name."""
    code = "\n".join(p.read_text(encoding="utf-8") for folder in ("services", "shared") for p in (REPO / folder).rglob("*.py"))
    return set(_TYPES.values()) | set(re.findall(r'(?:kind|type_)="([a-z-]+)"', code))


def views() -> set[str]:
    declared = re.search(r"export const VIEWS = \{([^}]*)\}", (DASHBOARD / "static" / "views" / "index.js").read_text())
    return {name.strip() for name in declared.group(1).split(",")}


def test_every_language_has_the_same_keys_and_no_empty_entry():
    assert set(CATALOGUES["id"]) == set(CATALOGUES["en"])
    assert [k for lang in CATALOGUES for k, v in CATALOGUES[lang].items() if not v.strip()] == []


def test_no_indonesian_entry_is_left_in_english():
    same = {k for k in CATALOGUES["id"] if CATALOGUES["id"][k] == CATALOGUES["en"][k]}
    assert same == SAME_IN_BOTH


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_key_the_page_asks_for_is_in_the_catalogue(lang):
    served = {**labels(lang), **CATALOGUES[lang]}
    wanted = keys_in_sources()
    wanted |= {f"view.{v}" for v in views()}
    wanted |= {f"problem.{kind}" for kind in problem_kinds()}
    wanted |= {f"chapter.{c}" for c in CHAPTERS} | {f"service.{s}" for s in SERVICES}
    wanted |= {f"planning.action.{a}" for a in ("draft", "update_draft", "sign", "revise")}
    assert len(wanted) > 250 and len(views()) == 10
    assert sorted(wanted - set(served)) == []


def test_the_page_has_no_sentence_outside_the_catalogue():
    """Text between tags in the modules' templates is a placeholder or a symbol, never a word of a language."""
    text = source_text()
    between = re.findall(r">([^<>${}`]*[A-Za-z]{3,}[^<>${}`]*)<", text)
    words = [w.strip() for w in between if w.strip() and not set("()=/") & set(w)  # code, not text
             and w.strip() not in ("Kinerja", "Bahasa Indonesia", "English")]
    assert words == []

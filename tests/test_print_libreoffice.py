"""Every layout as LibreOffice prints it: one A4 page wide, large amounts in full, no
text box over another, and no label broken in the middle of a word."""

from __future__ import annotations

import copy
import html
import re
import subprocess
from pathlib import Path

import pytest

from selfeval.layouts.layout import LAYOUT_NAMES, build_layout, layout_spec, range_bounds
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.writers.template import blank_workbook, write_form
from selfeval.writers.template.sheet import group_rows
from selfeval.writers.template.texts import heading_texts
from tests import libreoffice as lo

pytestmark = pytest.mark.slow

SEED = Path(__file__).parent / "fixtures" / "seed" / "form01.yaml"
PROFILE = load_profile("shanghai")
LARGE = 98_765_432.10


@pytest.fixture(scope="module")
def pdfs(libreoffice, tmp_path_factory) -> Path:
    """A filled form with amounts over ten million 元, and the blank, in every layout."""
    src = tmp_path_factory.mktemp("print")
    form = read_form_file(SEED)[0]
    for row in (form.funds.total, form.funds.current):
        row.initial_budget = row.annual_budget = row.executed = LARGE
    files = []
    for name in LAYOUT_NAMES:
        filled = copy.deepcopy(form)
        filled.layout = name
        files.append(write_form(filled, src / f"filled_{name}.xlsx", PROFILE))
        blank = src / f"blank_{name}.xlsx"
        blank.write_bytes(blank_workbook(name, 2026, PROFILE))
        files.append(blank)
    out = src / "pdf"
    lo._soffice(["--convert-to", lo.FILTERS["pdf"], "--outdir", str(out), *map(str, files)])
    return out


def pages(pdf: Path) -> list[list[lo.Word]]:
    """The words of each page with their boxes."""
    xhtml = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [
        [
            lo.Word(html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
            for m in _WORD.finditer(page)
        ]
        for page in xhtml.split("<page ")[1:]
    ]


_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)


def overlapping(words: list[lo.Word], slack: float = 0.5) -> list[tuple[str, str]]:
    return [
        (a.text, b.text)
        for i, a in enumerate(words)
        for b in words[i + 1 :]
        if a.x_min < b.x_max - slack
        and b.x_min < a.x_max - slack
        and a.y_min < b.y_max - slack
        and b.y_min < a.y_max - slack
    ]


def labels(name: str, year: int, unit: str, sizes: dict[str, int] | None = None) -> set[str]:
    """Every word the layout prints as a label or heading (not what staff type)."""
    layout = build_layout(name, sizes)
    texts = heading_texts(name, year, unit, PROFILE)
    shown = {"@header.year": "year_line", "@funds.unit": "funds_unit"}
    printed_columns = range_bounds(f"A1:{layout.last_column}1")[2]
    found = set()
    for ref, content in layout.pieces:
        if range_bounds(ref)[0] > printed_columns:
            continue  # the 校验区 is not printed
        if content.startswith("#"):
            content = texts[content[1:]]
        elif content in shown:
            content = texts[shown[content]]
        elif content.startswith("@"):
            continue
        found |= set(content.split())
    return found - {"—", "/"}


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_a_filled_form_prints_on_one_a4_page_wide_with_large_amounts_in_full(pdfs, name):
    pdf = pdfs / f"filled_{name}.pdf"
    assert lo.pdf_pages(pdf) == 2  # the form, then the 填表说明 sheet
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    first = {w.text for w in pages(pdf)[0]}
    assert "98,765,432.10" in first and "###" not in " ".join(first)


@pytest.mark.parametrize("kind", ["filled", "blank"])
@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_no_printed_text_overlaps_other_text(pdfs, name, kind):
    for number, words in enumerate(pages(pdfs / f"{kind}_{name}.pdf"), start=1):
        assert overlapping(words) == [], f"page {number}"


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_labels_are_not_broken_inside_a_word(pdfs, name):
    form = read_form_file(SEED)[0]
    sizes = {k: len(v) for k, v in group_rows(form.indicators).items()}
    expected = {
        "filled": labels(name, 2021, form.funds.unit, sizes),
        "blank": labels(name, 2026, layout_spec(name).unit),
    }
    if layout_spec(name).level_weights:  # 满意度指标 (10分) in full in its cell
        weights = PROFILE.category_weights.items()
        expected["blank"] |= {part for lv, w in weights for part in (lv, f"({w:g}分)")}
    for kind, words in expected.items():
        printed = [w.text for w in pages(pdfs / f"{kind}_{name}.pdf")[0]]
        broken = {label for label in words if not any(label in w for w in printed)}
        assert broken == set(), kind

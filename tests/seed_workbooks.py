"""The seed forms as workbooks, typed the way Excel types text pasted into a sheet.

The seed (``tests/fixtures/seed/000_11bc1ea12eb325d3.txt``, a copy of
``/work/shared/seeds``) holds eleven real forms pasted from published documents:
one line per row, one tab per cell boundary. A user pasting it into Excel gets
numbers where a cell reads as a number (``10``, ``1100000.00``, ``812,000``,
``99.07%``) and text everywhere else (``=100%``, ``>=90%``, ``—``, ``<p>`` tags).
Readers must cope with exactly that, so these workbooks are their test input.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

SEED_PATH = Path(__file__).parent / "fixtures" / "seed" / "000_11bc1ea12eb325d3.txt"
FORM_COUNT = 11

_TITLE = re.compile(r"财政项目支出绩效自评表|项目自评价情况表")
_PLAIN = re.compile(r"[+-]?\d+(?:\.(\d+))?")
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.(\d+))?")
_PERCENT = re.compile(r"[+-]?\d+(?:\.(\d+))?%")

CellValue = str | int | float | None


def seed_text() -> str:
    return SEED_PATH.read_text(encoding="utf-8")


def seed_forms(text: str | None = None) -> list[str]:
    """Each form's text: from its title line to the line before the next title.

    A form starts at the line naming it (财政项目支出绩效自评表 or 项目自评价情况表);
    blank lines at the end of a form are dropped, lines inside it are kept.
    """
    lines = (seed_text() if text is None else text).split("\n")
    starts = [i for i, line in enumerate(lines) if _TITLE.search(line)]
    forms = []
    for start, end in zip(starts, [*starts[1:], len(lines)], strict=True):
        block = lines[start:end]
        while block and not block[-1].strip():
            block.pop()
        forms.append("\n".join(block))
    return forms


def typed_value(text: str) -> tuple[CellValue, str | None]:
    """The value and number format Excel gives a pasted cell (format None: General).

    ``10`` and ``1100000.00`` become numbers, ``812,000`` a number shown with
    thousands separators, ``99.07%`` the fraction 0.9907 shown as a percentage.
    Decimals are kept in the format as printed (``0.8%`` shows ``0.8%``, where
    Excel's own choice would show ``0.80%``), so each cell displays its seed text.
    Everything else stays text, including ``=100%``: a form's target is text, not
    a formula.
    """
    if text == "":
        return None, None
    if match := _PLAIN.fullmatch(text):
        return _number(Decimal(text)), None
    if match := _THOUSANDS.fullmatch(text):
        return _number(Decimal(text.replace(",", ""))), "#,##0" + _decimals(match.group(1))
    if match := _PERCENT.fullmatch(text):
        return _number(Decimal(text[:-1]) / 100), "0" + _decimals(match.group(1)) + "%"
    return text, None


def _decimals(digits: str | None) -> str:
    return "." + "0" * len(digits) if digits else ""


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


_FORMULA = re.compile(r"=[+-]?\d+(?:\.\d+)?%?")
"""What Excel accepts as a formula when staff type it (``=100%``, ``=0%``; not ``=0起``)."""


def paste_to_sheet(ws: Worksheet, text: str, start_row: int = 1, formulas: bool = False) -> int:
    """Write each line of ``text`` as a row from ``start_row``; return the rows used.

    ``formulas``: typed into Excel rather than pasted, ``=100%`` becomes a formula
    (openpyxl writes it with no cached value; LibreOffice computes one on saving)."""
    lines = text.split("\n")
    for offset, line in enumerate(lines):
        for col, piece in enumerate(line.split("\t"), start=1):
            value, number_format = typed_value(piece)
            if value is None:
                continue
            cell = ws.cell(row=start_row + offset, column=col, value=value)
            if isinstance(value, str) and not (formulas and _FORMULA.fullmatch(value)):
                cell.data_type = "s"  # openpyxl would store "=100%" as a formula
            if number_format:
                cell.number_format = number_format
    return len(lines)


def write_seed_workbooks(directory: Path, formulas: bool = False) -> list[Path]:
    """``form01.xlsx`` … ``form11.xlsx`` (one form each) and ``all_forms.xlsx`` (all stacked).

    In ``all_forms.xlsx`` the forms follow each other in one sheet, one blank
    row between two forms. ``formulas``: ``=100%`` typed as formulas (:func:`paste_to_sheet`).
    """
    directory.mkdir(parents=True, exist_ok=True)
    forms = seed_forms()
    paths = []
    for number, form in enumerate(forms, start=1):
        paths.append(_save([form], directory / f"form{number:02d}.xlsx", formulas))
    paths.append(_save(forms, directory / "all_forms.xlsx", formulas))
    return paths


def _save(forms: list[str], path: Path, formulas: bool = False) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "自评表"
    row = 1
    for form in forms:
        row += paste_to_sheet(ws, form, row, formulas) + 1
    wb.save(path)
    return path

"""Drive the WPS add-in's scripts under node against the stand-in WPS (tests/wps/).

* :func:`workbook_state` reads an ``.xlsx`` file into the JSON the stand-in loads (values,
  formulas, fills, notes, locked cells, sheet and workbook protection, passwords);
* ``python -m tests.wps_harness SOURCE STATE.json OUT.xlsx`` is what the stand-in's
  ``SaveCopyAs`` runs: the workbook ``SOURCE`` with the stand-in's state written into it
  (sheets added, removed, hidden; values, formulas, fills, notes, protection), saved as
  ``OUT`` — the real file the service receives;
* :func:`run_node` runs tests/wps/run.js on a scenario and returns what it printed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.protection import SheetProtection

from selfeval.excel.book_file import PROTECTION_ALLOWS, fill_color, theme_colors

ROOT = Path(__file__).resolve().parents[1]
WPS_DIR = ROOT / "addin" / "wps"
RUNNER = ROOT / "tests" / "wps" / "run.js"
NODE = "/usr/bin/node"

PASSWORDS_KEY = "_passwords"  # the plain passwords the test set (openpyxl keeps hashes only)


def page_scripts(page: str = "index.html") -> list[str]:
    """The scripts a page of the add-in loads, in its order (as WPS loads them)."""
    import re

    text = (WPS_DIR / page).read_text(encoding="utf-8")
    return [str(WPS_DIR / src) for src in re.findall(r'<script src="([^"]+)"', text)]


# -- .xlsx -> stand-in -------------------------------------------------------------------


def workbook_state(
    path: Path, passwords: dict[str, str] | None = None, folder: str = ""
) -> dict[str, Any]:
    """The stand-in's JSON of the workbook at ``path``. ``passwords``: sheet name (or
    ``""`` for the workbook) -> the password it was protected with."""
    passwords = passwords or {}
    wb = load_workbook(path)
    cached = load_workbook(path, data_only=True)
    theme = theme_colors(wb.loaded_theme)
    sheets = []
    for ws in wb.worksheets:
        cells: dict[str, Any] = {}
        for row in ws.iter_rows():
            for c in row:
                cell: dict[str, Any] = {}
                if c.data_type == "f":
                    cell["f"] = str(getattr(c.value, "text", c.value))
                    value = cached[ws.title][c.coordinate].value
                    if value is not None:
                        cell["v"] = value
                elif c.value is not None:
                    cell["v"] = c.value if isinstance(c.value, int | float | str) else str(c.value)
                fill = fill_color(c.fill, theme)  # as WPS reports it: theme colours resolved
                if fill:
                    cell["fill"] = fill
                if c.comment is not None:
                    cell["note"] = c.comment.text
                if cell:
                    cell["locked"] = c.protection.locked is not False
                    cells[c.coordinate] = cell
        sheets.append(
            {
                "name": ws.title,
                "visible": ws.sheet_state == "visible",
                "cells": cells,
                "protection": _sheet_protection(ws.protection, passwords.get(ws.title, "")),
            }
        )
    security = wb.security
    book = None
    if security is not None and (security.lockStructure or security.lockWindows):
        book = {
            "Structure": bool(security.lockStructure),
            "Windows": bool(security.lockWindows),
            "password": passwords.get("", ""),
        }
    name = Path(path).name
    return {"name": name, "path": folder, "active": 0, "sheets": sheets, "protection": book}


def _sheet_protection(p: SheetProtection, password: str) -> dict[str, Any] | None:
    if not p.sheet:
        return None
    options = {name: not getattr(p, attr) for name, attr in PROTECTION_ALLOWS.items()}
    return options | {
        "DrawingObjects": bool(p.objects),
        "Contents": True,
        "Scenarios": bool(p.scenarios),
        "UserInterfaceOnly": False,
        "EnableSelection": -4142,
        "password": password,
    }


# -- stand-in -> .xlsx (SaveCopyAs) --------------------------------------------------------


def save_copy(source: Path, state: dict[str, Any], out: Path) -> None:
    """``source`` with the stand-in's ``state`` written into it, saved as ``out``."""
    wb = load_workbook(source)
    names = [s["name"] for s in state["sheets"]]
    for ws in list(wb.worksheets):
        if ws.title not in names:
            wb.remove(ws)
    for index, sheet in enumerate(state["sheets"]):
        ws = wb[sheet["name"]] if sheet["name"] in wb.sheetnames else wb.create_sheet(sheet["name"])
        wb.move_sheet(ws, index - wb.worksheets.index(ws))
        ws.sheet_state = "visible" if sheet["visible"] else "hidden"
        _write_cells(ws, sheet["cells"])
        _write_protection(ws, sheet["protection"])
    book = state.get("protection")
    wb.security = (
        WorkbookProtection(
            lockStructure=book["Structure"],
            lockWindows=book["Windows"],
            workbookPassword=book["password"] or None,
        )
        if book
        else None
    )
    wb.save(out)


def _write_cells(ws: Any, cells: dict[str, Any]) -> None:
    for row in ws.iter_rows():
        for c in row:
            if c.coordinate not in cells and not isinstance(c, MergedCell):
                c.value, c.comment = None, None
                if c.fill.fill_type is not None:
                    c.fill = PatternFill(fill_type=None)
    for address, cell in cells.items():
        c = ws[address]
        c.value = cell.get("f", cell.get("v"))
        if "f" not in cell and isinstance(c.value, str):
            c.data_type = "s"
        fill = cell.get("fill")
        c.fill = PatternFill("solid", fgColor="FF" + fill[1:].upper()) if fill else PatternFill()
        c.comment = Comment(cell["note"], "selfeval") if cell.get("note") is not None else None


def _write_protection(ws: Any, p: dict[str, Any] | None) -> None:
    if p is None:
        ws.protection = SheetProtection(sheet=False)
        return
    options = {attr: not p[name] for name, attr in PROTECTION_ALLOWS.items()}
    protection = SheetProtection(
        sheet=True, objects=bool(p["DrawingObjects"]), scenarios=bool(p["Scenarios"]), **options
    )
    if p.get("password"):
        protection.password = p["password"]
    ws.protection = protection


# -- the service, node -----------------------------------------------------------------------


def run_node(
    workbook: dict[str, Any] | None,
    steps: list[dict[str, Any]],
    service: str,
    source: Path | None,
    tmp: Path,
) -> list[dict[str, Any]]:
    """Run the add-in's scripts on the stand-in holding ``workbook``; one result per step
    (the test is skipped where node is not installed)."""
    if not Path(NODE).exists():
        pytest.skip("node 未安装（scripts/install-test-deps.sh 安装 nodejs）")
    scenario = {
        "workbook": workbook,
        "scripts": page_scripts(),
        "pane_scripts": page_scripts("taskpane.html"),
        "service": service,
        "tmpdir": str(tmp),
        "savecopy": {
            "python": sys.executable,
            "args": ["-m", "tests.wps_harness", str(source)],
            "cwd": str(ROOT),
        },
        "steps": steps,
    }
    path = tmp / "scenario.json"
    path.write_text(json.dumps(scenario, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(RUNNER), str(path)], capture_output=True, text=True, timeout=300, cwd=ROOT
    )
    if done.returncode != 0:
        raise AssertionError(f"node failed:\n{done.stderr}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    source_path, state_path, out_path = sys.argv[1:4]
    save_copy(Path(source_path), json.loads(Path(state_path).read_text("utf-8")), Path(out_path))

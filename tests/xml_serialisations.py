"""Re-serialise an .xlsx as other producers write the same workbook.

Valid OOXML can say one thing in several ways; a reader must not care which:

- ``prefix``: every part's default namespace bound to a prefix instead
  (``<x:worksheet xmlns:x="…"><x:c>``, as the .NET Open XML SDK writes);
- ``shared``: where a column repeats one formula (each row's the row above's,
  moved down a row), the first cell holds it as a shared-formula master
  (``<f t="shared" ref="…" si="…">``) and the others only point to it
  (``<f t="shared" si="…"/>``), as Excel saves such columns;
- ``value_first``: a cell's ``<v>`` written before its ``<f>``.

The rewriting is done with ElementTree and openpyxl's formula translator, not with
the reader under test.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from openpyxl.formula.translate import Translator
from openpyxl.utils.cell import coordinate_from_string

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_C, _F, _V, _ROW = (f"{{{MAIN}}}{name}" for name in ("c", "f", "v", "row"))

WAYS = ("prefix", "shared", "value_first")


def reserialise(source: Path | bytes, *ways: str) -> bytes:
    """The workbook's bytes with its XML parts rewritten in the given ``ways``."""
    data = source if isinstance(source, bytes) else source.read_bytes()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            part = old.read(info)
            if info.filename.endswith((".xml", ".rels")):
                part = _rewrite(part, info.filename, ways)
            new.writestr(info.filename, part, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _rewrite(part: bytes, name: str, ways: tuple[str, ...]) -> bytes:
    root = ElementTree.fromstring(part)
    is_sheet = name.startswith("xl/worksheets/")
    if is_sheet and "shared" in ways:
        _share_formulas(root)
    if is_sheet and "value_first" in ways:
        for cell in root.iter(_C):
            formula, value = cell.find(_F), cell.find(_V)
            if formula is not None and value is not None:
                cell.remove(formula)
                cell.insert(list(cell).index(value) + 1, formula)
    if "prefix" in ways:
        return _prefixed(root)
    return ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)


def _prefixed(root: Element) -> bytes:
    """The tree written with its root's namespace bound to ``x`` (no default namespace)."""
    uri = root.tag[1:].partition("}")[0]
    saved = dict(ElementTree._namespace_map)  # register_namespace is process-wide
    try:
        for known, prefix in list(ElementTree._namespace_map.items()):
            if prefix == "x":
                del ElementTree._namespace_map[known]
        ElementTree.register_namespace("x", uri)
        text = ElementTree.tostring(root, encoding="UTF-8", xml_declaration=True)
    finally:
        ElementTree._namespace_map.clear()
        ElementTree._namespace_map.update(saved)
    assert b"<x:" in text and b' xmlns="' not in text
    return text


def _share_formulas(root: Element) -> None:
    """Runs of cells down a column whose formula is the one above moved down a row
    become one shared formula: the master keeps its text, the others lose it."""
    cells = {}
    for cell in root.iter(_C):
        formula = cell.find(_F)
        if formula is not None and formula.text and not formula.attrib:
            cells[cell.get("r")] = (cell, formula)
    index = 0
    done: set[str] = set()
    for ref in list(cells):
        if ref in done:
            continue
        column, row = coordinate_from_string(ref)
        run = [ref]
        while (below := f"{column}{row + len(run)}") in cells:
            moved = Translator("=" + cells[ref][1].text, origin=ref).translate_formula(below)
            if moved != "=" + cells[below][1].text:
                break
            run.append(below)
        if len(run) < 2:
            continue
        master = cells[ref][1]
        master.set("t", "shared")
        master.set("ref", f"{ref}:{run[-1]}")
        master.set("si", str(index))
        for follower in run[1:]:
            formula = cells[follower][1]
            formula.text = None
            formula.set("t", "shared")
            formula.set("si", str(index))
            done.add(follower)
        index += 1


def shared_followers(data: bytes) -> int:
    """How many cells of the workbook's sheets hold a shared formula without its text."""
    count = 0
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in zf.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                for f in ElementTree.fromstring(zf.read(name)).iter(_F):
                    count += f.get("t") == "shared" and not f.text
    return count

"""``.xlsx`` / ``.xlsm`` workbooks as grids, in one pass over the file.

The file is read once; python-calamine (Rust, no entity expansion, many times
faster than openpyxl) takes the values from those bytes, and ``zipfile`` reads
the few parts calamine does not interpret for us, each once and each bounded,
parsed as XML with namespaces resolved (:mod:`selfeval.readers.ooxml`, the
standard library's expat; a part with a DTD is refused):

- ``docProps/custom.xml``: custom document properties (a report selfeval wrote
  carries :data:`~selfeval.readers.OUTPUT_MARK` and is skipped; our templates
  record their layout and profile there);
- ``xl/workbook.xml`` and its relationships: sheets and defined names (our
  templates are recognised by their names);
- ``xl/styles.xml`` and the sheet XML: the number formats of the cells that
  matter (``100%`` rather than 1.0) and the formulas. A formula that is the cell's
  content (a typed ``=100%``, or one with no cached value) reads as its text
  (:func:`~selfeval.readers.grid.read_typed_formulas`).

The small parts are parsed once per distinct bytes (the forms of a folder share them).
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from pathlib import Path, PurePosixPath
from xml.etree.ElementTree import Element

from python_calamine import CalamineWorkbook, SheetTypeEnum

from selfeval.readers import cells as cv
from selfeval.readers.found import OUTPUT_MARK
from selfeval.readers.grid import Grid, has_template_names, read_typed_formulas
from selfeval.readers.limits import (
    BROKEN_ZIP,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_BYTES,
    OwnOutputFile,
    WorkbookError,
    check_zip,
    too_many_rows,
)
from selfeval.readers.ooxml import local, number_formats, scan_sheet, tree

_BUILTIN_FORMATS = {2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}


def load(path: Path) -> list[Grid]:
    """Every worksheet of the workbook as a :class:`Grid` (WorkbookError when unreadable)."""
    with path.open("rb") as file:
        data = file.read(MAX_FILE_BYTES + 1)
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise WorkbookError(BROKEN_ZIP) from exc
    with zf:
        check_zip(zf, required="xl/workbook.xml")
        properties = custom_properties(zf)
        _refuse_own_output(properties)
        parts = _workbook_parts(zf)
        formats = _number_formats(zf)
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        skip = {
            name: f"工作表“{name}”过大（约 {sizes[part] // 2**20} MB），未读取"
            for name, part in parts.sheets.items()
            if sizes.get(part, 0) > MAX_SHEET_BYTES
        }
        grids = _calamine_grids(data, skip)
        for grid in grids:
            if grid.skipped:
                continue
            part = parts.sheets.get(grid.sheet)
            grid.names = parts.names.get(grid.sheet, {})
            if part is None or part not in sizes:
                continue
            template = has_template_names(grid)
            if not template and not _holds_numbers(grid):
                continue  # no number to show otherwise, and no 分值: no form to read
            # formulas are looked for while scanning: a few % of a scan
            scan = scan_sheet(_read(zf, part), formats, formulas=True, name=part)
            _fill_shown(grid, scan.styled, formats)
            if template or scan.formulas:
                _fill_formulas(grid, scan.formulas)
            if template:
                grid.properties = properties
    return grids


def _calamine_grids(data: bytes, skip: dict[str, str]) -> list[Grid]:
    """Worksheets as grids of values (python-calamine); ``skip``: sheet -> why not read."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    grids = []
    for meta in book.sheets_metadata:
        if meta.typ != SheetTypeEnum.WorkSheet:
            continue
        if meta.name in skip:
            grids.append(Grid(meta.name, [], skipped=skip[meta.name]))
            continue
        sheet = book.get_sheet_by_name(meta.name)
        if sheet.height > MAX_ROWS:
            grids.append(Grid(meta.name, [], skipped=too_many_rows(meta.name, sheet.height)))
            continue
        values = sheet.to_python(skip_empty_area=True)
        if sheet.width > MAX_COLUMNS:
            values = [row[:MAX_COLUMNS] for row in values]
        start = sheet.start or (0, 0)
        grids.append(Grid(meta.name, values, origin=(start[0] + 1, start[1] + 1)))
    book.close()
    return grids


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes, never inflated beyond its stated size (a part that lies
    about its size fails its CRC check: BadZipFile). KeyError when it is missing."""
    info = zf.getinfo(name)
    with zf.open(info) as member:
        return member.read(info.file_size + 1)


def _part(zf: zipfile.ZipFile, name: str) -> bytes:
    """A part that every workbook has (WorkbookError when it is missing)."""
    try:
        return _read(zf, name)
    except KeyError as exc:
        raise WorkbookError("工作簿缺少必要的组成部分，文件可能已损坏") from exc


# Kept for speed, the three caches below: the forms of one folder mostly come from one
# template or one program, whose small parts (custom properties, workbook and its
# relationships, styles) are the same bytes, so each is parsed once per distinct bytes.
# bench_validate_folder, 1,000 template-built forms, reading alone: 0.3 ms of 1.8 ms a form.
# A result is shared by the workbooks that hold those bytes: never change one.
_SEEN = 64


def custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's custom document properties (``docProps/custom.xml``): name -> text."""
    info = zf.NameToInfo.get("docProps/custom.xml")
    if info is None or info.file_size > MAX_SHEET_BYTES:
        return {}
    return _properties_of(_read(zf, "docProps/custom.xml"))


@lru_cache(maxsize=_SEEN)
def _properties_of(data: bytes) -> dict[str, str]:
    return {  # <property name="…"><vt:lpwstr>text</vt:lpwstr></property>
        p.get("name", ""): "".join(p.itertext()).strip()
        for p in tree(data, "docProps/custom.xml")
        if local(p.tag) == "property"
    }


def _refuse_own_output(properties: dict[str, str]) -> None:
    what = properties.get(OUTPUT_MARK)
    if what is not None:
        raise OwnOutputFile(f"selfeval 生成的{what or '文件'}，不是自评表")


class _Parts:
    def __init__(self) -> None:
        self.sheets: dict[str, str] = {}  # sheet name -> zip part of its XML
        self.names: dict[str, dict[str, str]] = {}  # sheet -> defined name -> address


def _workbook_parts(zf: zipfile.ZipFile) -> _Parts:
    return _parts_of(_part(zf, "xl/workbook.xml"), _part(zf, "xl/_rels/workbook.xml.rels"))


@lru_cache(maxsize=_SEEN)
def _parts_of(book_xml: bytes, rels_xml: bytes) -> _Parts:
    parts = _Parts()
    book = tree(book_xml, "xl/workbook.xml")
    rels = tree(rels_xml, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target", "") for r in rels if local(r.tag) == "Relationship"}
    for sheet in _children(book, "sheets"):
        rel = sheet.get(_RELATIONSHIP_ID) or sheet.get(_STRICT_RELATIONSHIP_ID)
        target = targets.get(rel, "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts.sheets[sheet.get("name", "")] = part
    for defined in _children(book, "definedNames"):
        ref = (defined.text or "").strip()
        if "!" not in ref or defined.get("localSheetId") is not None:
            continue
        sheet_name, address = ref.rsplit("!", 1)
        sheet_name = sheet_name.strip("'").replace("''", "'")
        parts.names.setdefault(sheet_name, {})[defined.get("name", "")] = address.replace("$", "")
    return parts


_RELATIONSHIP_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_STRICT_RELATIONSHIP_ID = "{http://purl.oclc.org/ooxml/officeDocument/relationships}id"


def _children(root: Element, name: str) -> list[Element]:
    """The children of ``root``'s child element called ``name`` (``<sheets>`` ->
    its ``<sheet>`` elements), in the part's namespace (transitional or strict OOXML)."""
    return next((list(el) for el in root if local(el.tag) == name), [])


def _number_formats(zf: zipfile.ZipFile) -> dict[int, str]:
    """Style index -> number format, for the formats that change how a number reads."""
    try:
        data = _read(zf, "xl/styles.xml")
    except KeyError:
        return {}
    return _formats_of(data)


@lru_cache(maxsize=_SEEN)
def _formats_of(data: bytes) -> dict[int, str]:
    custom, cell_formats = number_formats(data)
    codes = {**_BUILTIN_FORMATS, **custom}
    found = {}
    for index, format_id in enumerate(cell_formats):
        code = codes.get(format_id, "")
        if reads_otherwise(code):
            found[index] = code
    return found


def _holds_numbers(grid: Grid) -> bool:
    return any(type(v) is float or type(v) is int for row in grid.values for v in row)


def _fill_shown(grid: Grid, styled: dict[tuple[int, int], int], formats: dict[int, str]) -> None:
    """Shown text of the numbers in cells styled with a format that reads otherwise."""
    top, left = grid.origin
    for (row, column), style in styled.items():
        r, c = row - top, column - left
        if 0 <= r < len(grid.values) and 0 <= c < len(grid.values[r]):
            value = grid.values[r][c]
            if isinstance(value, float | int) and not isinstance(value, bool):
                grid.shown[(r, c)] = shown(float(value), formats[style])


def _fill_formulas(grid: Grid, found: dict[tuple[int, int], str]) -> None:
    top, left = grid.origin
    formulas: list[list[str | None]] = [[None] * len(row) for row in grid.values]
    for (row, column), text in found.items():
        r, c = row - top, column - left
        if r < 0 or c < 0:
            continue
        if r >= len(formulas) or c >= len(formulas[r]):
            _grow(grid, formulas, r, c)  # a formula cell without a cached value lies outside
        formulas[r][c] = "=" + text
    grid.formulas = formulas
    read_typed_formulas(grid, ((r - top, c - left, "=" + t) for (r, c), t in found.items()))


def _grow(grid: Grid, formulas: list[list[str | None]], r: int, c: int) -> None:
    while len(grid.values) <= r:
        grid.values.append([])
        formulas.append([])
    for rows, fill in ((grid.values, ""), (formulas, None)):
        for row in rows:
            if len(row) <= c:
                row.extend([fill] * (c + 1 - len(row)))


def reads_otherwise(code: str) -> bool:
    """Whether a number format (or the text it shows) reads otherwise than the bare
    number: a percentage or thousands separators. Only such cells get shown text."""
    return "%" in code or "," in code


def shown(value: float, code: str) -> str:
    """A number as its format displays it (percentages and thousands separators)."""
    kind, decimals = _display(code)
    if kind == "%":
        return f"{value * 100:.{decimals}f}%"
    if kind == ",":
        return f"{value:,.{decimals}f}"
    return cv.number_text(value)


def _display(code: str) -> tuple[str, int]:
    """How a format code shows a number: ``%``, ``,`` or plain, and its decimals."""
    section = code.split(";")[0]
    decimals = len(m[1]) if (m := re.search(r"\.(0+)", section)) else 0
    return ("%" if "%" in section else "," if "," in section else ""), decimals

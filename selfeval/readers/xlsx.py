"""``.xlsx`` / ``.xlsm`` workbooks as grids, in one pass over the file.

The file is read once; python-calamine (Rust, no entity expansion, many times
faster than openpyxl) takes the values from those bytes, and ``zipfile`` reads
the few parts calamine does not interpret for us, each once and each bounded:

- ``docProps/custom.xml``: custom document properties (a report selfeval wrote
  carries :data:`~selfeval.readers.OUTPUT_MARK` and is skipped);
- ``xl/workbook.xml`` and its relationships: sheets and defined names (our
  templates are recognised by their names), parsed as XML by the standard
  library's expat once the part is known to hold no DTD (so no entity can be
  declared, let alone expanded). defusedxml's parser is not used here: it is the
  pure-Python ElementTree parser and cost an eighth of the whole run on a folder
  of templates, whose workbook.xml holds some sixty defined names;
- ``xl/styles.xml`` and the sheet XML: the number formats of the cells that
  matter (``100%`` rather than 1.0) and, for templates only, the formulas. These
  two are scanned with regular expressions over parts already refused when they
  hold a DTD: parsing them as XML costs several times calamine's whole open
  (``benchmarks/bench_validate_folder.py``), and only a handful of styled cells
  and, in templates, formulas are wanted.
"""

from __future__ import annotations

import io
import re
import zipfile
from functools import lru_cache
from html import unescape
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree
from xml.etree.ElementTree import Element

from python_calamine import CalamineWorkbook, SheetTypeEnum

from selfeval.readers import cells as cv
from selfeval.readers.found import OUTPUT_MARK
from selfeval.readers.grid import Grid, has_template_names
from selfeval.readers.limits import (
    BROKEN_ZIP,
    MAX_COLUMNS,
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_SHEET_BYTES,
    UNSAFE_XML,
    OwnOutputFile,
    WorkbookError,
    check_zip,
    too_many_rows,
)

_NUMFMT = re.compile(r"<(?:\w+:)?numFmt\b[^>]*>")
_XF = re.compile(r"<(?:\w+:)?xf\b[^>]*>")
_NUMFMT_ID = re.compile(r'\bnumFmtId="(\d+)"')
_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_BUILTIN_FORMATS = {2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*>\s*<f(?:\s[^>]*)?>([^<]*)</f>')
"""A cell holding a formula: ``<f>`` is a cell's first child (ECMA-376 CT_Cell)."""


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
            if template or (formats and _holds_numbers(grid)):  # else no cell reads otherwise
                xml = _read(zf, part)
                _fill_shown(grid, xml, formats)
                if template:
                    _fill_formulas(grid, xml)
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


def _part(zf: zipfile.ZipFile, name: str, required: bool = True) -> str:
    """A small XML part as text; DTDs are refused (no entity is ever expanded)."""
    try:
        text = _read(zf, name).decode("utf-8", errors="replace")
    except KeyError as exc:
        if not required:
            return ""
        raise WorkbookError("工作簿缺少必要的组成部分，文件可能已损坏") from exc
    if "<!DOCTYPE" in text or "<!ENTITY" in text:
        raise WorkbookError(UNSAFE_XML)
    return text


def _xml(zf: zipfile.ZipFile, name: str, required: bool = True) -> Element | None:
    """A small XML part, parsed (a part with a DTD is refused first); None when absent."""
    text = _part(zf, name, required)
    if not text:
        return None
    try:
        return ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise WorkbookError(f"工作簿的“{name}”不是有效的 XML，文件可能已损坏") from exc


def custom_properties(zf: zipfile.ZipFile) -> dict[str, str]:
    """The workbook's custom document properties (``docProps/custom.xml``): name -> text."""
    info = zf.NameToInfo.get("docProps/custom.xml")
    if info is None or info.file_size > MAX_SHEET_BYTES:
        return {}
    root = _xml(zf, "docProps/custom.xml", required=False)
    if root is None:
        return {}
    return {p.get("name", ""): "".join(p.itertext()).strip() for p in root}  # <property>


def _refuse_own_output(properties: dict[str, str]) -> None:
    what = properties.get(OUTPUT_MARK)
    if what is not None:
        raise OwnOutputFile(f"selfeval 生成的{what or '文件'}，不是自评表")


class _Parts:
    def __init__(self) -> None:
        self.sheets: dict[str, str] = {}  # sheet name -> zip part of its XML
        self.names: dict[str, dict[str, str]] = {}  # sheet -> defined name -> address


def _workbook_parts(zf: zipfile.ZipFile) -> _Parts:
    parts = _Parts()
    book = _xml(zf, "xl/workbook.xml")
    rels = _xml(zf, "xl/_rels/workbook.xml.rels")
    assert book is not None and rels is not None  # required parts
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    for sheet in _children(book, "sheets"):
        rel = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), None)
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


def _children(root: Element, name: str) -> list[Element]:
    """The children of ``root``'s child element called ``name`` (``<sheets>`` ->
    its ``<sheet>`` elements), in any namespace (transitional or strict OOXML)."""
    return next((list(el) for el in root if _local(el.tag) == name), [])


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


def _attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, prefixes dropped (``r:id`` -> ``id``)."""
    return {k.split(":")[-1]: unescape(v) for k, v in _ATTR.findall(tag)}


def _number_formats(zf: zipfile.ZipFile) -> dict[int, str]:
    """Style index -> number format, for the formats that change how a number reads."""
    styles = _part(zf, "xl/styles.xml", required=False)
    codes = dict(_BUILTIN_FORMATS)
    for tag in _NUMFMT.findall(_section(styles, "numFmts")):
        a = _attrs(tag)
        codes[int(a.get("numFmtId", "0"))] = a.get("formatCode", "")
    found = {}
    for index, tag in enumerate(_XF.findall(_section(styles, "cellXfs"))):
        number_format = _NUMFMT_ID.search(tag)
        code = codes.get(int(number_format[1]) if number_format else 0, "")
        if reads_otherwise(code):
            found[index] = code
    return found


def _section(xml: str, name: str) -> str:
    """The text from an element's start tag to its end tag (one that holds no element
    of its own name, as ``numFmts`` and ``cellXfs`` do not), else ""."""
    start = xml.find(name)
    end = xml.find(name, start + len(name)) if start >= 0 else -1
    return xml[start:end] if end >= 0 else ""


def _holds_numbers(grid: Grid) -> bool:
    return any(type(v) is float or type(v) is int for row in grid.values for v in row)


def _fill_shown(grid: Grid, xml: bytes, formats: dict[int, str]) -> None:
    if not formats:
        return
    top, left = grid.origin
    for letters, row, style in _styled_cells(tuple(formats)).findall(xml):
        r, c = int(row) - top, _column(letters) - left
        if 0 <= r < len(grid.values) and 0 <= c < len(grid.values[r]):
            value = grid.values[r][c]
            if isinstance(value, float | int) and not isinstance(value, bool):
                grid.shown[(r, c)] = shown(float(value), formats[int(style)])


@lru_cache(maxsize=64)
def _styled_cells(styles: tuple[int, ...]) -> re.Pattern[bytes]:
    """Start tags of cells whose (first) style index is one of ``styles``: (column, row, style).

    Only those cells are looked at; most cells of a sheet have no such style.
    """
    alternatives = b"|".join(str(i).encode() for i in styles)
    return re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"[^>]*?\ss="(' + alternatives + rb')"')


def _fill_formulas(grid: Grid, xml: bytes) -> None:
    top, left = grid.origin
    formulas: list[list[str | None]] = [[None] * len(row) for row in grid.values]
    for letters, row, text in _FORMULA_CELL.findall(xml):
        r, c = int(row) - top, _column(letters) - left
        if r < 0 or c < 0:
            continue
        if r >= len(formulas) or c >= len(formulas[r]):
            _grow(grid, formulas, r, c)  # a formula cell without a cached value lies outside
        formulas[r][c] = "=" + unescape(text.decode("utf-8"))
    grid.formulas = formulas


def _grow(grid: Grid, formulas: list[list[str | None]], r: int, c: int) -> None:
    while len(grid.values) <= r:
        grid.values.append([])
        formulas.append([])
    for rows, fill in ((grid.values, ""), (formulas, None)):
        for row in rows:
            if len(row) <= c:
                row.extend([fill] * (c + 1 - len(row)))


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n


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


@lru_cache(maxsize=256)  # a workbook uses a handful of formats, read for every cell
def _display(code: str) -> tuple[str, int]:
    """How a format code shows a number: ``%``, ``,`` or plain, and its decimals."""
    section = code.split(";")[0]
    decimals = len(m[1]) if (m := re.search(r"\.(0+)", section)) else 0
    return ("%" if "%" in section else "," if "," in section else ""), decimals

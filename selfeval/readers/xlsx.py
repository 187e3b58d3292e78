"""``.xlsx`` / ``.xlsm`` workbooks as grids.

Values come from python-calamine (Rust, no entity expansion, many times faster
than openpyxl). Three small things calamine does not give are peeked from the
zip with plain regular expressions, which never expand entities (a part with a
DTD is refused outright): defined names (to recognise our templates), number
formats of numeric cells (``100%`` rather than 1.0) and, for templates only,
the formulas of the sheet.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from functools import lru_cache
from html import unescape
from pathlib import Path, PurePosixPath

from selfeval.readers import cells as cv
from selfeval.readers.grid import Grid, has_template_names
from selfeval.readers.limits import (
    MAX_COLUMNS,
    MAX_ROWS,
    MAX_SHEET_BYTES,
    UNSAFE_XML,
    WorkbookError,
    check_zip,
    too_many_rows,
)

_ATTR = re.compile(r'([\w:]+)="([^"]*)"')
_SHEET = re.compile(r"<(?:\w+:)?sheet\b[^>]*>")
_REL = re.compile(r"<(?:\w+:)?Relationship\b[^>]*>")
_DEFINED = re.compile(r"<(?:\w+:)?definedName\b([^>]*)>([^<]*)</(?:\w+:)?definedName>")
_NUMFMT = re.compile(r"<(?:\w+:)?numFmt\b[^>]*>")
_CELLXFS = re.compile(r"<(?:\w+:)?cellXfs\b[^>]*>(.*?)</(?:\w+:)?cellXfs>", re.S)
_XF = re.compile(r"<(?:\w+:)?xf\b[^>]*>")
_BUILTIN_FORMATS = {2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%"}
_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d{1,7})"([^>]*?)(/>|>(.*?)</c>)', re.S)
_FORMULA = re.compile(rb"<f(?:\s[^>]*)?>(.*?)</f>", re.S)


def load(path: Path) -> list[Grid]:
    """Every worksheet of the workbook as a :class:`Grid` (WorkbookError when unreadable)."""
    with path.open("rb") as file, zipfile.ZipFile(file) as zf:
        check_zip(zf, required="xl/workbook.xml")
        parts = _workbook_parts(zf)
        formats = _number_formats(zf)
        sizes = {i.filename: i.file_size for i in zf.infolist()}
        skip = {
            name: f"工作表“{name}”过大（约 {sizes[part] // 2**20} MB），未读取"
            for name, part in parts.sheets.items()
            if sizes.get(part, 0) > MAX_SHEET_BYTES
        }
        grids = _calamine_grids(path, skip)
        for grid in grids:
            if grid.skipped:
                continue
            part = parts.sheets.get(grid.sheet)
            grid.names = parts.names.get(grid.sheet, {})
            if part is None or part not in sizes:
                continue
            if formats or grid.names:
                xml = _read(zf, part)
                _fill_shown(grid, xml, formats)
                if has_template_names(grid):
                    _fill_formulas(grid, xml)
                    grid.properties = _custom_properties(zf, sizes)
    return grids


def _calamine_grids(path: Path, skip: dict[str, str]) -> list[Grid]:
    """Worksheets as grids of values (python-calamine); ``skip``: sheet -> why not read."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    book = CalamineWorkbook.from_path(str(path))
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


_LOCAL_HEADER = struct.Struct("<4s2sHH16sHH")  # signature, version, flags, method, …, lengths
_UNUSUAL = 0x1 | 0x20 | 0x40  # encrypted, patched, strongly encrypted: left to zipfile


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    """One member's bytes, as ``zf.read`` gives them, several times faster for small parts.

    A plain stored or deflated member is inflated straight from the file, never
    beyond its stated size, and its size and CRC are checked (BadZipFile, as
    zipfile raises); anything unusual is handed to ``zf.read``.
    """
    info = zf.getinfo(name)
    if info.flag_bits & _UNUSUAL or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        return zf.read(info)
    fp = zf.fp
    fp.seek(info.header_offset)
    header = fp.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size:
        return zf.read(info)
    magic, _, flags, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    try:
        local_name = fp.read(name_length).decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        return zf.read(info)
    if magic != b"PK\x03\x04" or local_name != info.orig_filename:
        return zf.read(info)
    fp.seek(extra_length, 1)
    raw = fp.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        data = raw
    else:
        try:
            # At most one byte beyond the stated size: a lying size is caught, never inflated.
            data = zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return zf.read(info)
    if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
        # zipfile would inflate all of a member whose stated size lies before failing.
        raise zipfile.BadZipFile(f"Bad size or CRC-32 for file {name!r}")
    return data


class _Parts:
    def __init__(self) -> None:
        self.sheets: dict[str, str] = {}  # sheet name -> zip part of its XML
        self.names: dict[str, dict[str, str]] = {}  # sheet -> defined name -> address


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


def _attrs(tag: str) -> dict[str, str]:
    """Attributes of one start tag, prefixes dropped (``r:id`` -> ``id``)."""
    return {k.split(":")[-1]: unescape(v) for k, v in _ATTR.findall(tag)}


def _attr(tag: str, name: str, default: str) -> str:
    """``_attrs(tag).get(name, default)`` without building the whole dict."""
    found = default
    for key, value in _ATTR.findall(tag):
        if key == name or key.endswith(":" + name):
            found = unescape(value)
    return found


def _workbook_parts(zf: zipfile.ZipFile) -> _Parts:
    parts = _Parts()
    book = _part(zf, "xl/workbook.xml")
    rels = _part(zf, "xl/_rels/workbook.xml.rels")
    targets = {a.get("Id"): a.get("Target", "") for a in map(_attrs, _REL.findall(rels))}
    for tag in _SHEET.findall(book):
        a = _attrs(tag)
        target = targets.get(a.get("id"), "")
        part = target.lstrip("/") if target.startswith("/") else str(PurePosixPath("xl") / target)
        parts.sheets[a.get("name", "")] = part
    for tag, ref in _DEFINED.findall(book):
        a, ref = _attrs(tag), unescape(ref).strip()
        if "!" not in ref or "localSheetId" in a:
            continue
        sheet, address = ref.rsplit("!", 1)
        sheet = sheet.strip("'").replace("''", "'")
        parts.names.setdefault(sheet, {})[a.get("name", "")] = address.replace("$", "")
    return parts


_PROPERTY = re.compile(r"<property\b([^>]*)>\s*<vt:lpwstr>([^<]*)</vt:lpwstr>", re.S)


def _custom_properties(zf: zipfile.ZipFile, sizes: dict[str, int]) -> dict[str, str]:
    """Custom document properties with text values (docProps/custom.xml), by name."""
    if sizes.get("docProps/custom.xml", MAX_SHEET_BYTES + 1) > MAX_SHEET_BYTES:
        return {}
    text = _read(zf, "docProps/custom.xml").decode("utf-8", "replace")
    return {
        _attr(tag, "name", ""): unescape(value)
        for tag, value in _PROPERTY.findall(text)
        if "<!DOCTYPE" not in text
    }


def _number_formats(zf: zipfile.ZipFile) -> dict[int, str]:
    """Style index -> number format, for the formats that change how a number reads."""
    styles = _part(zf, "xl/styles.xml", required=False)
    codes = dict(_BUILTIN_FORMATS)
    for tag in _NUMFMT.findall(styles):
        a = _attrs(tag)
        codes[int(a.get("numFmtId", "0"))] = a.get("formatCode", "")
    xfs = _CELLXFS.search(styles)
    found = {}
    for index, tag in enumerate(_XF.findall(xfs[1] if xfs else "")):
        code = codes.get(int(_attr(tag, "numFmtId", "0")), "")
        if reads_otherwise(code):
            found[index] = code
    return found


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
    for letters, row, _, _, body in _CELL.findall(xml):
        match = _FORMULA.search(body or b"")
        if match is None:
            continue
        r, c = int(row) - top, _column(letters) - left
        if r < 0 or c < 0:
            continue
        if r >= len(formulas) or c >= len(formulas[r]):
            _grow(grid, formulas, r, c)  # a formula cell without a cached value lies outside
        formulas[r][c] = "=" + unescape(match[1].decode("utf-8"))
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

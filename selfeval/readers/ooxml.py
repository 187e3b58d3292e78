"""Workbook XML parts, parsed by the standard library with namespaces resolved.

Elements are known by namespace and local name, never by how a producer spelled
them: ``<c>`` under a default namespace, ``<x:c>`` with the main namespace bound to
``x`` (the .NET Open XML SDK) and strict OOXML's namespace all read alike. Child
order does not matter (``<v>`` before ``<f>``), and shared formulas are understood:
a cell that only points to a shared formula (``<f t="shared" si="0"/>``) holds the
master's formula moved by its offset, as Excel computes it.

A part is parsed only once it is known to hold no document type declaration:
expat reads its prolog (a DTD can stand nowhere else) and stops at the root
element, so no entity can be declared, let alone expanded (billion laughs,
external entities). The part is then parsed by ElementTree's C parser: expat's
own callbacks into Python for every element (defusedxml's way) doubled the reading
time of a template (``benchmarks/bench_validate_folder.py``).

- :func:`tree`: a part as an ElementTree element, tags in ``{namespace}local`` form;
- :func:`scan_sheet`: what the readers want of a sheet beside calamine's values:
  the cells with given styles, and formulas.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass, field
from xml.etree import ElementTree
from xml.etree.ElementTree import Element
from xml.parsers import expat

from selfeval.errors import SelfevalError
from selfeval.form.a1 import column_letter, column_number
from selfeval.readers.limits import UNSAFE_XML, WorkbookError

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict OOXML
)


class _Enough(SelfevalError):
    """Not an error, and never raised out of this module: a parser has read all it
    wants of a part (the prolog, or the styles up to ``cellXfs``) and stops there."""


def _refuse(*_: object) -> None:
    raise WorkbookError(UNSAFE_XML)


def _stop(*_: object) -> None:
    raise _Enough


def _invalid(name: str) -> WorkbookError:
    return WorkbookError(f"工作簿的“{name}”不是有效的 XML，文件可能已损坏")


def _garbled(name: str) -> WorkbookError:
    return WorkbookError(f"工作簿的“{name}”中有无法识别的单元格地址或编号，文件可能已损坏")


def refuse_dtd(data: bytes, name: str) -> None:
    """WorkbookError when the part declares a document type (or its prolog is not XML)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.StartElementHandler = _stop
    try:
        parser.Parse(data, True)
    except _Enough:  # the root element: the prolog, where a DTD must stand, is over
        return
    except expat.ExpatError as exc:
        raise _invalid(name) from exc
    raise _invalid(name)  # no root element at all


def local(tag: str) -> str:
    """An element's name without its namespace."""
    return tag.rpartition("}")[2]


def tree(data: bytes, name: str) -> Element:
    """An XML part as an element tree (WorkbookError when invalid or with a DTD)."""
    refuse_dtd(data, name)
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError as exc:
        raise _invalid(name) from exc


@dataclass
class SheetScan:
    """What was found in a sheet: 1-based (row, column) keys."""

    styled: dict[tuple[int, int], int] = field(default_factory=dict)
    """Cells whose style index is one asked for: position -> style index."""
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    """Formula text (without ``=``) of every cell holding a formula, when asked for."""


def scan_sheet(
    data: bytes, styles: Container[int], formulas: bool, name: str = "工作表"
) -> SheetScan:
    """The cells of ``sheetData`` styled with one of ``styles``, and (``formulas``) every
    cell's formula, shared formulas resolved. Rows and cells without an ``r`` attribute
    follow the one before, as ECMA-376 allows.

    The tree is built by ElementTree's C parser and only cells are visited in Python
    (a parser target called for every element took a third longer), and only those
    with a wanted style or a formula are placed."""
    try:
        return _scan(tree(data, name), styles, formulas)
    except WorkbookError:
        raise
    except ValueError as exc:  # an address, row or style that is not a number
        raise _garbled(name) from exc


def _scan(root: Element, styles: Container[int], formulas: bool) -> SheetScan:
    found = SheetScan()
    namespace = root.tag[: -len(local(root.tag))]
    sheet_data = root.find(namespace + "sheetData")
    if namespace[1:-1] not in MAIN_NAMESPACES or sheet_data is None:
        return found
    wanted = {str(index) for index in styles} if isinstance(styles, dict | set) else None
    formula_tag = namespace + "f" if formulas else None
    masters: dict[str, tuple[int, int, str]] = {}  # shared index -> (row, column, text)
    followers: list[tuple[int, int, str]] = []  # (row, column, shared index)
    unaddressed: dict[Element, tuple[int, int]] | None = None
    for cell in sheet_data.iter(namespace + "c"):
        style = cell.get("s")
        if wanted is not None:
            styled = style in wanted
        else:
            styled = style is not None and int(style) in styles
        formula = cell.find(formula_tag) if formula_tag else None
        if not styled and formula is None:
            continue
        ref = cell.get("r")
        if ref:
            letters = ref.rstrip("0123456789")
            position = (int(ref[len(letters) :]), column_number(letters))
        else:
            if unaddressed is None:
                unaddressed = _positions(sheet_data, namespace)
            position = unaddressed[cell]
        if styled:
            found.styled[position] = int(style or 0)
        if formula is None:
            continue
        text = formula.text or ""
        if formula.get("t") == "shared":
            si = formula.get("si", "")
            if text and formula.get("ref"):
                masters[si] = (*position, text)
            elif not text:
                followers.append((*position, si))
        if text:
            found.formulas[position] = text
    for row, column, si in followers:
        if (master := masters.get(si)) is not None:
            moved = shift_formula(master[2], row - master[0], column - master[1])
            found.formulas[(row, column)] = moved
    return found


def _positions(sheet_data: Element, namespace: str) -> dict[Element, tuple[int, int]]:
    """Every cell's (row, column), where a row or cell without ``r`` follows the one before."""
    row_tag, cell_tag = namespace + "row", namespace + "c"
    positions = {}
    row = 0
    for line in sheet_data:
        if line.tag != row_tag:
            continue
        number = line.get("r")
        row, column = (int(number) if number else row + 1), 0
        for cell in line:
            if cell.tag != cell_tag:
                continue
            ref = cell.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                column, row = column_number(letters), int(ref[len(letters) :])
            else:
                column += 1
            positions[cell] = (row, column)
    return positions


def _feed(data: bytes, name: str, target: object) -> None:
    refuse_dtd(data, name)
    parser = ElementTree.XMLParser(target=target)
    try:
        parser.feed(data)
        parser.close()
    except _Enough:
        return
    except ElementTree.ParseError as exc:
        raise _invalid(name) from exc


def _tags(*names: str) -> frozenset[str]:
    return frozenset(f"{{{ns}}}{name}" for ns in MAIN_NAMESPACES for name in names)


def number_formats(data: bytes, name: str = "xl/styles.xml") -> tuple[dict[int, str], list[int]]:
    """The custom number formats (id -> format code) and, in order, the number format id
    of each cell format (``cellXfs``) of a styles part; the parse stops after ``cellXfs``."""
    styles = _Styles()
    try:
        _feed(data, name, styles)
    except WorkbookError:
        raise
    except ValueError as exc:  # a format id that is not a number
        raise _garbled(name) from exc
    return styles.codes, styles.cell_formats


_STYLE_SECTIONS = _tags(
    *[
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellStyleXfs",
        "cellXfs",
        "cellStyles",
        "dxfs",
        "tableStyles",
        "colors",
        "extLst",
    ]
)
"""CT_Stylesheet's children (ECMA-376 §18.8.39), in their order."""
_NUMFMT, _XF, _CELL_XFS = _tags("numFmt"), _tags("xf"), _tags("cellXfs")


class _Styles:
    """A parser target: ``numFmt`` in ``numFmts`` and ``xf`` in ``cellXfs``."""

    def __init__(self) -> None:
        self.codes: dict[int, str] = {}
        self.cell_formats: list[int] = []
        self.section = ""

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag in _STYLE_SECTIONS:
            if self.section in _CELL_XFS:
                raise _Enough
            self.section = tag
        elif tag in _XF and self.section in _CELL_XFS:
            self.cell_formats.append(int(attrib.get("numFmtId", "0")))
        elif tag in _NUMFMT and local(self.section) == "numFmts":
            self.codes[int(attrib.get("numFmtId", "0"))] = attrib.get("formatCode", "")

    def close(self) -> None:
        return None


_REFERENCE = re.compile(
    r"""("(?:[^"]|"")*")"""  # a string literal: left alone
    r"""|('(?:[^']|'')*'!|\[[^\]]*\])"""  # a quoted sheet name or a structured reference
    r"""|(?<![A-Za-z0-9_.])(\$?)([A-Z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(])""",
)
"""A1 references in a formula, with the spans a reference cannot stand in."""


def shift_formula(formula: str, rows: int, columns: int) -> str:
    """A formula moved ``rows`` down and ``columns`` right: relative references move,
    ``$`` parts stay (what a shared-formula follower holds, ECMA-376 §18.3.1.40)."""

    def moved(match: re.Match[str]) -> str:
        if match[4] is None:
            return match[0]
        col_fixed, letters, row_fixed, number = match[3], match[4], match[5], match[6]
        column = column_number(letters) + (0 if col_fixed else columns)
        row = int(number) + (0 if row_fixed else rows)
        if column < 1 or row < 1:
            return "#REF!"
        return f"{col_fixed}{column_letter(column)}{row_fixed}{row}"

    return _REFERENCE.sub(moved, formula)

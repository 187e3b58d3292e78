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

from selfeval.form.a1 import column_letter, column_number
from selfeval.readers.limits import UNSAFE_XML, WorkbookError

MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",  # strict OOXML
)


class _RootReached(Exception):
    """The prolog is over: the rest of the part cannot declare anything."""


def _refuse(*_: object) -> None:
    raise WorkbookError(UNSAFE_XML)


def _stop(*_: object) -> None:
    raise _RootReached


def _invalid(name: str) -> WorkbookError:
    return WorkbookError(f"工作簿的“{name}”不是有效的 XML，文件可能已损坏")


def refuse_dtd(data: bytes, name: str) -> None:
    """WorkbookError when the part declares a document type (or its prolog is not XML)."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.StartElementHandler = _stop
    try:
        parser.Parse(data, True)
    except _RootReached:
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
    """The cells of the sheet styled with one of ``styles``, and (``formulas``) every
    cell's formula, shared formulas resolved. Rows and cells without an ``r`` attribute
    follow the one before, as ECMA-376 allows.

    No tree is built: ElementTree's C parser hands each start tag (its namespace
    resolved) to :class:`_Cells`, and the text and end tags only where formulas are
    wanted (building the tree took twice as long)."""
    refuse_dtd(data, name)
    cells = _CellsAndFormulas(styles) if formulas else _Cells(styles)
    parser = ElementTree.XMLParser(target=cells)
    try:
        parser.feed(data)
        parser.close()
    except ElementTree.ParseError as exc:
        raise _invalid(name) from exc
    return cells.done()


_ROW = frozenset(f"{{{ns}}}row" for ns in MAIN_NAMESPACES)
_CELL = frozenset(f"{{{ns}}}c" for ns in MAIN_NAMESPACES)
_FORMULA = frozenset(f"{{{ns}}}f" for ns in MAIN_NAMESPACES)


class _Cells:
    """A parser target: the position and style of every cell."""

    def __init__(self, styles: Container[int]) -> None:
        self.styles = styles
        self.found = SheetScan()
        self.row = self.column = 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag in _CELL:
            ref = attrib.get("r")
            if ref:
                letters = ref.rstrip("0123456789")
                self.column, self.row = column_number(letters), int(ref[len(letters) :])
            else:
                self.column += 1
            style = attrib.get("s")
            if style and (index := int(style)) in self.styles:
                self.found.styled[(self.row, self.column)] = index
        elif tag in _ROW:
            number = attrib.get("r")
            self.row = int(number) if number else self.row + 1
            self.column = 0

    def close(self) -> None:
        return None

    def done(self) -> SheetScan:
        return self.found


class _CellsAndFormulas(_Cells):
    """A parser target: cells as :class:`_Cells` does, and the text of their ``<f>``."""

    def __init__(self, styles: Container[int]) -> None:
        super().__init__(styles)
        self.text: list[str] | None = None  # the open <f>'s text
        self.shared: str | None = None  # the open <f>'s shared index
        self.master = False  # whether the open <f> defines its shared formula
        self.masters: dict[str, tuple[int, int, str]] = {}  # index -> (row, column, text)
        self.followers: list[tuple[int, int, str]] = []  # (row, column, shared index)

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        if tag in _FORMULA:
            self.text = []
            self.shared = attrib.get("si", "") if attrib.get("t") == "shared" else None
            self.master = "ref" in attrib
        else:
            super().start(tag, attrib)

    def data(self, text: str) -> None:
        if self.text is not None:
            self.text.append(text)

    def end(self, tag: str) -> None:
        if self.text is None or tag not in _FORMULA:
            return
        text, position = "".join(self.text), (self.row, self.column)
        if self.shared is not None and text and self.master:
            self.masters[self.shared] = (*position, text)
        elif self.shared is not None and not text:
            self.followers.append((*position, self.shared))
        if text:
            self.found.formulas[position] = text
        self.text = None

    def done(self) -> SheetScan:
        for row, column, si in self.followers:
            if (master := self.masters.get(si)) is not None:
                moved = shift_formula(master[2], row - master[0], column - master[1])
                self.found.formulas[(row, column)] = moved
        return self.found


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

"""The marks the buttons leave on cells, and what each cell looked like before.

Validate colours a cell and adds a note; Rescore changes a value, colours the
cell and adds a note. The :class:`Ledger` remembers, per cell, the fill and the
value it had before the first mark, so 清除标记 and 撤销评分 put back exactly what
was there. It lives in the hidden sheet :data:`STATE_SHEET` (one row per cell), so
it survives saving and every engine reads it back with one bulk read.

A cell is remembered by its address and by its *anchor*: the form field it holds
(``项目名称|ind:产出指标/完成率#0.score``), so that after the user inserts or deletes
rows the mark is found again where the field now sits (:meth:`Ledger.relocate`).
Rescore also remembers the value it wrote: 撤销评分 puts the old value back only into
a cell that still holds it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from selfeval.excel.book_io import Color
from selfeval.writers.marks import RESCORE_FILL, SEVERITY_FILLS

STATE_SHEET = "_selfeval_state"
COLUMNS = (
    "sheet",
    "cell",
    "fill",
    "had_note",
    "severity",
    "vnote",
    "rescored",
    "old",
    "rnote",
    "anchor",
    "wrote",
)


Key = tuple[str, str]  # (sheet, cell)
Look = tuple[Color, str | None]  # (fill, our note text)


@dataclass
class Mark:
    """One marked cell: its original fill and note state, and the marks it carries."""

    sheet: str
    cell: str
    fill: Color  # the fill before the first mark
    had_note: bool  # a note of the user's own: left alone
    severity: str = ""  # Validate: error / warning, "" when not marked
    vnote: str = ""
    rescored: bool = False
    old: Any = None  # the value before Rescore
    rnote: str = ""
    anchor: str = ""  # the form field the cell holds; "" when unknown
    wrote: Any = None  # the value Rescore wrote; None when not known

    @property
    def active(self) -> bool:
        return bool(self.severity) or self.rescored

    def look(self) -> Look:
        fill = SEVERITY_FILLS.get(self.severity) or (RESCORE_FILL if self.rescored else self.fill)
        texts = [t for t in (self.vnote, self.rnote) if t]
        note = None if self.had_note or not texts else "\n".join(texts)
        return fill, note

    def row(self) -> list[Any]:
        return [
            self.sheet,
            self.cell,
            self.fill or "",
            "1" if self.had_note else "",
            self.severity,
            self.vnote,
            "1" if self.rescored else "",
            encode(self.old) if self.rescored else "",
            self.rnote,
            self.anchor,
            encode(self.wrote) if self.rescored else "",
        ]

    @classmethod
    def from_row(cls, row: list[Any]) -> Mark:
        values = dict(zip(COLUMNS, [("" if v is None else v) for v in row], strict=False))
        wrote = str(values.get("wrote", ""))  # absent in ledgers of earlier versions
        return cls(
            sheet=str(values["sheet"]),
            cell=str(values["cell"]),
            fill=str(values["fill"]) or None,
            had_note=bool(values["had_note"]),
            severity=str(values["severity"]),
            vnote=str(values["vnote"]),
            rescored=bool(values["rescored"]),
            old=decode(str(values["old"])) if values["rescored"] else None,
            rnote=str(values["rnote"]),
            anchor=str(values.get("anchor", "")),
            wrote=decode(wrote) if values["rescored"] and wrote else None,
        )


def encode(value: Any) -> str:
    """A cell value as tagged text, so Excel stores it without reinterpreting it."""
    if value is None or value == "":
        return "e:"
    if isinstance(value, bool):
        return f"b:{int(value)}"
    if isinstance(value, int | float):
        return f"n:{value!r}"
    return f"s:{value}"


def decode(text: str) -> Any:
    tag, _, body = text.partition(":")
    if tag == "n":
        number = float(body)
        return int(number) if number.is_integer() and "." not in body else number
    return {"e": None, "b": body == "1", "s": body}.get(tag, body)


def same_value(a: Any, b: Any) -> bool:
    """Whether a cell read back holds the value written (numbers up to rounding noise)."""
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))
    return ("" if a is None else str(a).strip()) == ("" if b is None else str(b).strip())


@dataclass
class Diff:
    """What the workbook must change: per sheet, the fills and notes of cells, new and old."""

    fills: dict[str, dict[str, tuple[Color, Color]]] = field(default_factory=dict)
    """sheet -> cell -> (new fill, fill now)."""
    notes: dict[str, dict[str, tuple[str | None, str | None]]] = field(default_factory=dict)
    """sheet -> cell -> (new note text, our note text now); None: no note of ours."""


CellReader = Callable[[str, list[str]], dict[str, tuple[Color, bool]]]
"""(sheet, cells) -> {cell: (fill, holds a note)}: how a cell looks before its first mark."""

Anchors = dict[str, dict[str, str]]
"""sheet -> anchor -> the cell where that form field sits now."""


@dataclass
class Ledger:
    marks: dict[Key, Mark] = field(default_factory=dict)

    @classmethod
    def from_rows(cls, rows: list[list[Any]]) -> Ledger:
        """The ledger from the state sheet's values (header row first)."""
        marks = [Mark.from_row(r) for r in rows[1:] if r and r[0] and len(r) >= 2 and r[1]]
        return cls({(m.sheet, m.cell): m for m in marks})

    def rows(self) -> list[list[Any]]:
        return [list(COLUMNS)] + [m.row() for m in self.marks.values()]

    def copy(self) -> Ledger:
        return Ledger.from_rows(self.rows())

    def relocate(self, anchors: Anchors) -> list[Mark]:
        """Move each mark to the cell where its field sits now; drop and return the marks
        whose field is gone (its row deleted, or its indicator renamed).

        A sheet where no form is found now keeps its marks where they were: its layout may
        be broken for a moment, and a restore still writes only into a cell that holds
        what Rescore wrote.
        """
        moved: dict[Key, Mark] = {}
        lost = []
        for mark in self.marks.values():
            if mark.anchor and anchors.get(mark.sheet):
                cell = anchors[mark.sheet].get(mark.anchor)
                if cell is None:
                    lost.append(mark)
                    continue
                mark.cell = cell
            moved[(mark.sheet, mark.cell)] = mark
        self.marks = moved
        return lost

    def keys(self, where: Callable[[Mark], bool]) -> list[Key]:
        return [k for k, m in self.marks.items() if where(m)]

    def change(
        self,
        keys: Iterable[Key],
        edit: Callable[[Mark], None],
        read: CellReader,
        anchors: Mapping[Key, str] | None = None,
    ) -> Diff:
        """Apply ``edit`` to the mark of each cell (new cells remember their look first).

        Returns what must change in the workbook; marks left inactive are dropped.
        """
        keys = list(dict.fromkeys(keys))
        self._add_new([k for k in keys if k not in self.marks], read, anchors or {})
        diff = Diff()
        for key in keys:
            mark = self.marks[key]
            before = mark.look()
            edit(mark)
            after = mark.look() if mark.active else (mark.fill, None)
            if not mark.active:
                del self.marks[key]
            sheet, cell = key
            if after[0] != before[0]:
                diff.fills.setdefault(sheet, {})[cell] = (after[0], before[0])
            if after[1] != before[1]:
                diff.notes.setdefault(sheet, {})[cell] = (after[1], before[1])
        return diff

    def _add_new(self, keys: list[Key], read: CellReader, anchors: Mapping[Key, str]) -> None:
        for sheet in dict.fromkeys(s for s, _ in keys):
            found = read(sheet, [c for s, c in keys if s == sheet])
            for cell, (fill, has_note) in found.items():
                anchor = anchors.get((sheet, cell), "")
                self.marks[(sheet, cell)] = Mark(sheet, cell, fill, has_note, anchor=anchor)

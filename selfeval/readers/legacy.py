"""Hand-made forms found by their labels, wherever they sit in a sheet.

Works on a :class:`~selfeval.readers.grid.Grid` only. A form starts at its
项目名称 row (its title and year just above); the funds block is found by its
column headings (全年预算数 …), the indicator table by its header row
(三级指标 … 分值 得分) and ends at 总分 / 总计. Rows shifted by merged cells are
realigned one by one (:func:`_best_shift`). docs/legacy-reading.md gives the
conventions; every field read records its A1 address in ``cells``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from selfeval.model import (
    LEVEL1_NAMES,
    LEVEL2_BY_LEVEL1,
    Form,
    FundsRow,
    Goals,
    Header,
    Indicator,
    Source,
)
from selfeval.readers import cells as cv
from selfeval.readers.grid import Grid, column_letter

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度")
_STANDARD_OWNER = {l2: l1 for l1, names in LEVEL2_BY_LEVEL1.items() for l2 in names}
_OUTER = frozenset({"绩效指标", "绩效", "指标"})  # the table's outer label spilling into rows
_FUNDS_COLUMNS = (
    (lambda k: k.startswith("年初预算数"), "initial_budget"),
    (lambda k: k.startswith("全年预算数"), "annual_budget"),
    (lambda k: k.startswith("全年执行数"), "executed"),
    (lambda k: k.startswith("执行率"), "stated_rate"),
    (lambda k: k.startswith("分值"), "points"),
    (lambda k: k.startswith("得分"), "score"),
)
_FUNDS_HEADINGS = ("全年预算数", "全年执行数")  # see _is_funds_heading
_FUNDS_ROW_WORDS = ("年度资金总额", "当年财政拨款", "上年结转", "其他资金")  # see _FUNDS_ROWS
_FUNDS_ROWS = (
    (lambda k: k.startswith("年度资金总额"), "total"),
    (lambda k: "当年财政拨款" in k, "current"),
    (lambda k: k.startswith("上年结转"), "carryover"),
    (lambda k: k.startswith("其他资金"), "other"),
)
_TABLE_COLUMNS = (
    (lambda k: k == "一级指标", "level1"),
    (lambda k: k == "二级指标", "level2"),
    (lambda k: k == "三级指标", "name"),
    (lambda k: k.startswith("年度指标值"), "target"),
    (lambda k: k.startswith("实际完成值"), "actual"),
    (lambda k: k == "分值", "points"),
    (lambda k: k == "得分", "score"),
    (lambda k: k.startswith("偏差原因"), "reason"),
)
_TOTAL_LABELS = frozenset({"总分", "总计", "合计"})
_SHIFTS = (0, 1, -1, 2, -2)


# -- public -------------------------------------------------------------------------


def legacy_forms(grid: Grid, file: str | None = None) -> list[Form]:
    """Every hand-made form in ``grid``, top to bottom."""
    sheet = _Sheet(grid)
    anchors = sheet.rows_with(lambda k: k.startswith("项目名称"), ("项目名称",))
    if not anchors:
        anchors = sheet.rows_with(
            lambda k: k.startswith("年度资金总额") or k == "三级指标", ("年度资金总额", "三级指标")
        )[:1]
    forms: list[Form] = []
    previous_end = -1
    for i, start in enumerate(anchors):
        stop = anchors[i + 1] if i + 1 < len(anchors) else len(grid.values)
        reader = _FormReader(sheet, start, stop, previous_end, file)
        form = reader.read()
        if form is not None:
            forms.append(form)
            previous_end = reader.end
    return forms


_label = lru_cache(maxsize=8192)(cv.label)  # forms repeat the same labels, sheet after sheet

# -- the sheet with label keys ------------------------------------------------------


class _Sheet:
    """The grid with every text cell's label key computed once.

    ``texts`` joins each row's keys with newlines (which no key holds), so a
    row that cannot hold a wanted label is passed over with one substring test.
    """

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.keys = [[_label(v) if isinstance(v, str) else "" for v in row] for row in grid.values]
        self.texts = ["\n".join(keys) for keys in self.keys]
        self.letters: dict[int, str] = {}

    def address(self, r: int, c: int) -> str:
        """``grid.address(r, c)``, each column's letters worked out once."""
        letters = self.letters.get(c)
        if letters is None:
            letters = self.letters[c] = column_letter(self.grid.origin[1] + c)
        return f"{letters}{self.grid.origin[0] + r}"

    def value(self, r: int, c: int) -> object:
        row = self.grid.values[r] if 0 <= r < len(self.grid.values) else ()
        return row[c] if 0 <= c < len(row) else None

    def key(self, r: int, c: int) -> str:
        row = self.keys[r] if 0 <= r < len(self.keys) else ()
        return row[c] if 0 <= c < len(row) else ""

    def shown(self, r: int, c: int) -> str:
        """A text field as the cell displays it (``100%`` rather than 1.0)."""
        return self.grid.shown.get((r, c)) or cv.text(self.value(r, c))

    def has(self, r: int, words: tuple[str, ...]) -> bool:
        """Whether some key of row ``r`` contains one of ``words``."""
        text = self.texts[r]
        return any(w in text for w in words)

    def rows_with(self, pred: Callable[[str], bool], words: tuple[str, ...]) -> list[int]:
        """Rows with a key accepted by ``pred``; every key it accepts contains one of ``words``."""
        return [
            r
            for r in range(len(self.keys))
            if self.has(r, words) and any(k and pred(k) for k in self.keys[r])
        ]

    def find(
        self, pred: Callable[[str], bool], rows: range, words: tuple[str, ...]
    ) -> tuple[int, int] | None:
        """First (row, column) of a key accepted by ``pred``, which only accepts keys
        containing one of ``words``."""
        texts, keys = self.texts, self.keys
        for r in rows:
            text = texts[r]
            for word in words:
                if word in text:
                    for c, k in enumerate(keys[r]):
                        if k and pred(k):
                            return r, c
                    break
        return None

    def next_value(self, r: int, c: int) -> tuple[str, int]:
        """Text of the first non-blank cell right of (r, c) that is not a label, and its column."""
        row = self.grid.values[r]
        for cc in range(c + 1, len(row)):
            if not cv.is_blank(row[cc]):
                if self.keys[r][cc] in ("主管部门", "实施单位", "项目名称"):
                    break
                return self.shown(r, cc), cc
        return "", c + 1


# -- one form -----------------------------------------------------------------------


class _FormReader:
    def __init__(self, sheet: _Sheet, start: int, stop: int, previous_end: int, file: str | None):
        self.s, self.start, self.stop = sheet, start, stop
        self.rows = range(start, stop)
        self.previous_end, self.file = previous_end, file
        self.end = start
        self.form = Form()

    def put(self, path: str, r: int, c: int) -> None:
        self.form.cells[path] = self.s.address(r, c)

    def read(self) -> Form | None:
        funds = self.s.find(_is_funds_heading, self.rows, _FUNDS_HEADINGS)
        table = self.s.find(lambda k: k == "三级指标", self.rows, ("三级指标",))
        if funds is None and table is None:
            return None
        title_row = self._title()
        self._header()
        if funds is not None:
            self._funds(funds[0])
        self._goals()
        if table is not None:
            self._table(table[0])
        self.form.source = Source(
            self.file, self.s.grid.sheet, self.s.grid.origin[0] + title_row, origin="handmade"
        )
        return self.form

    # title, year and layout

    def _title(self) -> int:
        window = range(max(self.previous_end + 1, self.start - 6), self.start)
        title_rows = [r for r in window if "自评" in self.s.texts[r]]
        texts = " ".join(cv.text(v) for r in window for v in self.s.grid.values[r])
        if match := _YEAR.search(texts):
            self.form.header.year = int(match[1])
        appraisal = "自评价" in texts or bool(
            self.s.find(
                lambda k: k.startswith("项目资金情况") or k in ("总计",),
                self.rows,
                ("项目资金情况", "总计"),
            )
        )
        self.form.layout = "appraisal" if appraisal else "standard"
        return title_rows[0] if title_rows else self.start

    # 项目名称 / 主管部门 / 实施单位

    def _header(self) -> None:
        header = self.form.header = Header(year=self.form.header.year)
        head_rows = range(self.start, min(self.stop, self.start + 8))
        for attr, word in (
            ("project", "项目名称"),
            ("department", "主管部门"),
            ("implementer", "实施单位"),
        ):
            self._after(header, f"header.{attr}", word, head_rows)

    # 项目资金

    def _funds(self, heading: int) -> None:
        funds = self.form.funds
        columns = _columns(self.s.keys[heading], _FUNDS_COLUMNS)
        around = range(max(self.start, heading - 1), heading + 1)
        funds.unit = "万元" if any(self.s.has(r, ("万元",)) for r in around) else "元"
        for r in range(heading + 1, min(self.stop, heading + 8)):
            name = _funds_row(self.s.keys[r]) if self.s.has(r, _FUNDS_ROW_WORDS) else None
            if name is None:
                continue
            row = FundsRow()
            for attr in ("initial_budget", "annual_budget", "executed", "stated_rate"):
                if attr in columns:
                    read = cv.rate if attr == "stated_rate" else cv.amount
                    setattr(row, attr, read(self.s.value(r, columns[attr])))
                    self.put(f"funds.{name}.{attr}", r, columns[attr])
            setattr(funds, name, row)
            if name == "total":
                for attr, path in (("points", "points"), ("score", "stated_score")):
                    if attr in columns:
                        setattr(funds, path, cv.amount(self.s.value(r, columns[attr])))
                        self.put(f"funds.{path}", r, columns[attr])

    # 年度总体目标

    def _goals(self) -> None:
        goals = self.form.goals = Goals()
        plan = self.s.find(lambda k: k == "预算目标", self.rows, ("预算目标",))
        if plan is not None:
            r0, cp = plan
            ca = next((c for c, k in enumerate(self.s.keys[r0]) if k == "实际完成情况"), None)
            for r in range(r0 + 1, min(self.stop, r0 + 4)):
                planned = self.s.shown(r, cp)
                achieved = self.s.shown(r, ca) if ca is not None else ""
                if planned or achieved:
                    goals.planned, goals.achieved = planned, achieved
                    self.put("goals.planned", r, cp)
                    if ca is not None:
                        self.put("goals.achieved", r, ca)
                    return
            return
        for attr, word in (("planned", "预期目标"), ("achieved", "实际完成情况")):
            self._after(goals, f"goals.{attr}", word, self.rows)

    def _after(self, obj: object, path: str, word: str, rows: range) -> None:
        """A field written after its label: in the label's own cell, else the next one."""
        hit = self.s.find(lambda k: k.startswith(word), rows, (word,))
        if hit is None:
            return
        r, c = hit
        inline = _after_label(cv.text(self.s.value(r, c)), word)
        value, col = (inline, c) if inline else self.s.next_value(r, c)
        setattr(obj, path.split(".")[1], value)
        self.put(path, r, col)

    # the indicator table

    def _table(self, head: int) -> None:
        columns = _columns(self.s.keys[head], _TABLE_COLUMNS)
        if not {"name", "target", "points", "score"} <= columns.keys():
            return
        total = self.s.find(
            lambda k: k in _TOTAL_LABELS, range(head + 1, self.stop), tuple(_TOTAL_LABELS)
        )
        end = total[0] if total else self.stop
        level1 = level2 = ""
        later_level1: list[tuple[int, str]] = []  # (indicators read so far, 一级 label)
        for r in range(head + 1, end):
            if all(cv.is_blank(v) for v in self.s.grid.values[r]):
                continue
            before = level1
            level1, level2 = self._row(r, columns, level1, level2)
            if level1 != before:
                later_level1.append((len(self.form.indicators), level1))
        for row_index, row in enumerate(self.form.indicators):
            if not row.level1:  # 6.4 step 4: the first 一级 named below it
                row.level1 = next((l1 for n, l1 in later_level1 if n > row_index), "")
        self.end = end if total else end - 1
        if total is not None:
            self._total(total[0], total[1])

    def _row(self, r: int, columns: dict[str, int], level1: str, level2: str) -> tuple[str, str]:
        shift = _best_shift(self.s, r, columns)
        target_col = columns["target"] + shift
        l1 = l2 = None
        names: list[tuple[str, int]] = []
        values, keys = self.s.grid.values[r], self.s.keys[r]
        width = len(values)
        for c in range(min(target_col, width)):
            key = keys[c]
            if not key:
                if not cv.is_blank(values[c]):
                    names.append((self.s.shown(r, c), c))
                continue
            kind, name, weight = _level(key)
            if kind == 1:
                l1 = (name, c)
                if weight is not None:
                    self.form.category_weights[name] = weight
                    self.put(f"category_weights.{name}", r, c)
            elif kind == 2:
                l2 = (name, c)
            elif kind == 0:
                names.append((self.s.shown(r, c), c))
        slots = {f: c + shift for f, c in columns.items() if f not in ("level1", "level2", "name")}
        data = {f: values[c] if 0 <= c < width else None for f, c in slots.items()}
        if not names and all(cv.is_blank(v) for v in data.values()):
            return _levels(level1, level2, l1, l2)  # a row holding only level labels
        level1, level2 = _levels(level1, level2, l1, l2)
        row = Indicator(
            level1=level1,
            level2=level2,
            name=names[0][0] if names else "",
            target=self.s.shown(r, slots["target"]),
            actual=self.s.shown(r, slots["actual"]) if "actual" in slots else "",
            points=cv.amount(data["points"]),
            score=cv.amount(data["score"]),
            reason=cv.text(data["reason"]) if "reason" in slots else "",
        )
        row.cells = {f: self.s.address(r, c) for f, c in slots.items()}
        row.cells["name"] = self.s.address(r, names[0][1] if names else columns["name"] + shift)
        for f, hit in (("level1", l1), ("level2", l2)):
            if hit is not None:
                row.cells[f] = self.s.address(r, hit[1])
            elif f in columns:  # carried from above: the row's own (empty, merged) slot
                row.cells[f] = self.s.address(r, max(columns[f] + shift, 0))
        # A block's subtotal finding points at the block's first row.
        self.form.cells.setdefault(f"category_weights.{level1}", row.cells["name"])
        self.form.indicators.append(row)
        return level1, level2

    def _total(self, r: int, label_col: int) -> None:
        numbers = [
            (c, cv.amount(v))
            for c, v in enumerate(self.s.grid.values[r])
            if c > label_col and cv.is_number(v)
        ]
        if len(numbers) >= 2:
            (cp, points), (ct, total) = numbers[-2], numbers[-1]
            self.form.stated_points_total = points
            self.put("stated_points_total", r, cp)
            self.form.stated_total = total
            self.put("stated_total", r, ct)
        elif numbers:
            self.form.stated_total = numbers[0][1]
            self.put("stated_total", r, numbers[0][0])


# -- helpers ------------------------------------------------------------------------


def _is_funds_heading(key: str) -> bool:
    return key.startswith("全年预算数") or key.startswith("全年执行数")


def _columns(
    keys: list[str], headings: tuple[tuple[Callable[[str], bool], str], ...]
) -> dict[str, int]:
    """Field -> the first column whose heading key ``headings`` assigns to it."""
    columns: dict[str, int] = {}
    for c, k in enumerate(keys):
        for pred, attr in headings:
            if k and attr not in columns and pred(k):
                columns[attr] = c
    return columns


def _funds_row(keys: list[str]) -> str | None:
    for key in keys:
        for pred, name in _FUNDS_ROWS:
            if key and pred(key):
                return name
    return None


def _after_label(text: str, word: str) -> str:
    """The value written in the label's own cell: ``项目名称：某项目`` -> ``某项目``."""
    return "".join(text.split())[len(word) :].lstrip(":：")


@lru_cache(maxsize=4096)  # the same labels recur in every row and every form
def _level(key: str) -> tuple[int, str, float | None]:
    """(1 or 2 for a level label, -1 for the side label 绩效指标, 0 otherwise), level, weight."""
    if key in _OUTER:
        return -1, key, None
    name, weight = cv.split_weight(key)
    if name in LEVEL1_NAMES:
        return 1, name, weight
    if key.endswith("指标") or key == "可持续影响":
        return 2, key, None
    return 0, key, None


def _levels(
    level1: str, level2: str, l1: tuple[str, int] | None, l2: tuple[str, int] | None
) -> tuple[str, str]:
    """The levels in force after a row (docs/legacy-reading.md 6.4).

    A standard 二级 label decides its 一级 (社会效益指标 is under 效益指标) unless
    the row writes its own 一级, because merged 一级 labels are pasted mid-block.
    """
    if l2 is not None:
        level2 = l2[0]
    elif l1 is not None and level2 not in LEVEL2_BY_LEVEL1[l1[0]]:
        level2 = ""
    if l1 is not None:
        level1 = l1[0]
    elif l2 is not None:
        level1 = _STANDARD_OWNER.get(l2[0], level1)
    return level1, level2


_PERFECT = 7  # 分值 and 得分 numbers, name and target plain text, no number as reason


def _best_shift(sheet: _Sheet, r: int, columns: dict[str, int]) -> int:
    """How far a row's cells sit from the header's columns (merged cells shift them):
    the most plausible of _SHIFTS, the earliest on a tie."""
    values, keys = sheet.grid.values[r], sheet.keys[r]
    best, best_score = 0, _plausibility(values, keys, columns, 0)
    leftmost = min(columns.values())
    for s in _SHIFTS[1:]:
        if best_score == _PERFECT:
            break  # nothing scores higher; most rows sit where the header says
        if leftmost + s < 0:
            continue  # the table cannot sit left of column A
        score = _plausibility(values, keys, columns, s)
        if score > best_score:
            best, best_score = s, score
    return best


def _plausibility(values: list, keys: list[str], columns: dict[str, int], s: int) -> int:
    width = len(values)

    def at(c: int) -> object:
        return values[c] if 0 <= c < width else None

    total = 0
    numbers = 0
    for v in (at(columns["points"] + s), at(columns["score"] + s)):
        if cv.is_number(v):
            total, numbers = total + 2, numbers + 1
        elif not cv.is_blank(v):
            total -= 3
    total += numbers == 2
    if "reason" in columns and cv.is_number(at(columns["reason"] + s)):
        total -= 3
    for field in ("name", "target"):
        c = columns[field] + s
        if cv.is_blank(at(c)):
            total -= field == "name"
        elif _level(keys[c])[0] != 0:
            total -= 3
        else:
            total += 1
    return total

"""Hand-made forms found by what their labels mean, wherever they sit in a sheet.

Works on a :class:`~selfeval.readers.grid.Grid` only. A form starts at its
项目名称 row (its title and year just above); the funds block is found by its
column headings (全年预算数 / 调整后预算数 …), the indicator table by its header
row(s) (三级指标 … 分值 / 权重, 得分), in any order and under any name that
:mod:`selfeval.form.vocabulary` lists, and ends at 总分 / 总计 / 合计 or at the closing
lines (评价结论 …). A target split over 指标性质 | 指标值 | 度量单位 is joined.
Rows shifted by merged cells are realigned one by one (:func:`_best_shift`); a
row that fits its header is never moved. A located form whose table lacks a
needed column yields an :class:`~selfeval.readers.Unreadable` naming it.
docs/legacy-reading.md gives the conventions; every field read records its A1
address in ``cells``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from selfeval.form import vocabulary as vocab
from selfeval.form.a1 import column_letter
from selfeval.form.codes import Code
from selfeval.form.model import (
    FULL_MARKS,
    LEVEL1_NAMES,
    LEVEL2_BY_LEVEL1,
    Form,
    FundsRow,
    Goals,
    Header,
    Indicator,
    Number,
    Source,
)
from selfeval.grammar.targets import join_target
from selfeval.readers import cells as cv
from selfeval.readers.found import Unreadable
from selfeval.readers.grid import Grid

_YEAR = re.compile(r"((?:19|20)\d\d)\s*年度")
# 2021年某单位某项目绩效自评表: a year in the title, not a date (2022年1月20日)
_TITLE_YEAR = re.compile(r"((?:19|20)\d\d)\s*年(?!\s*\d{1,2}\s*月)")
_STANDARD_OWNER = {l2: l1 for l1, names in LEVEL2_BY_LEVEL1.items() for l2 in names}
# 满意度指标 written again as the 二级 (Anhui's template): the category's only 二级
_REPEATED_LEVEL2 = {l1: names[0] for l1, names in LEVEL2_BY_LEVEL1.items() if len(names) == 1}
_OUTER = frozenset({"绩效指标", "绩效", "指标"})  # the table's outer label spilling into rows
_FUNDS_HEADINGS = vocab.words({k: vocab.FUNDS_COLUMNS[k] for k in ("annual_budget", "executed")})
_FUNDS_ROW_WORDS = vocab.words(vocab.FUNDS_ROWS)
_NAME_WORDS = vocab.INDICATOR_COLUMNS["name"].words
_TOTAL_LABELS = frozenset(vocab.TOTAL_LABELS)
_TOTAL_WORDS = tuple(vocab.TOTAL_LABELS)
_TOTAL_INLINE = re.compile("(?:" + "|".join(vocab.TOTAL_LABELS) + r")[:：]([+-]?\d+(?:\.\d+)?)分?")
_SUBROW_PREFIX = re.compile(r"^其中[:：]?")
# 指标1工程完工率: a template's numbering, dropped from the name
_NUMBERED_NAME = re.compile(r"^指标\d{1,2}(?!\d)[:：.、]?")
_NEEDED = ("name", "target", "points", "score")  # the table is unreadable without these
_LEVEL_FIELDS = frozenset({"level1", "level2", "name"})
_PLACEHOLDER_START = frozenset(w[0] for w in vocab.PLACEHOLDER_ROWS)
_SHIFTS = (0, 1, -1, 2, -2)


# -- public -------------------------------------------------------------------------


def legacy_forms(grid: Grid, file: str | None = None) -> list[Form | Unreadable]:
    """Every hand-made form in ``grid``, top to bottom; a form whose indicator table
    lacks a needed column comes as an Unreadable (LAYOUT_UNRECOGNISED) naming it."""
    sheet = _Sheet(grid)
    anchors = sheet.rows_with(lambda k: k.startswith(vocab.PROJECT), (vocab.PROJECT,))
    if not anchors:
        anchors = sheet.rows_with(
            lambda k: _funds_row(k) == "total" or _is_name_heading(k),
            (*_FUNDS_ROW_WORDS, *_NAME_WORDS),
        )[:1]
    forms: list[Form | Unreadable] = []
    previous_end = -1
    for i, start in enumerate(anchors):
        stop = anchors[i + 1] if i + 1 < len(anchors) else len(grid.values)
        reader = _FormReader(sheet, start, stop, previous_end, file)
        form = reader.read()
        if form is not None:
            forms.append(form)
            previous_end = reader.end
    return forms


# Kept for speed: bench_validate_folder, 1,000 hand-made forms, one process: 2 % of the time.
_letters = lru_cache(maxsize=256)(column_letter)
# Kept for speed: forms repeat the same labels, sheet after sheet (bench_validate_folder,
# 1,000 hand-made forms, one process: 0.08 ms of a form's 1.4 ms).
_label = lru_cache(maxsize=8192)(cv.label)

# -- the sheet with label keys ------------------------------------------------------


class _Sheet:
    """The grid with every text cell's label key computed once.

    ``texts`` joins each row's keys with newlines (which no key holds), so a
    row that cannot hold a wanted label is passed over with one substring test;
    ``text`` joins those rows with newlines, so that a sheet without a wanted
    word is passed over with one search.
    """

    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.keys = [
            [_label(v) if v and isinstance(v, str) else "" for v in row] for row in grid.values
        ]
        self.texts = ["\n".join(keys) for keys in self.keys]
        self.text = "\n".join(self.texts)
        self.top, self.left = grid.origin
        self.lines = [str(self.top + r) for r in range(len(grid.values))]  # row numbers

    def address(self, r: int, c: int) -> str:
        """``grid.address(r, c)`` of a cell in the grid, each column's letters worked out once."""
        return _letters(self.left + c) + self.lines[r]

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
        return _pattern(words).search(self.texts[r]) is not None

    def rows_with(self, pred: Callable[[str], bool], words: tuple[str, ...]) -> list[int]:
        """Rows with a key accepted by ``pred``; every key it accepts contains one of ``words``."""
        search = _pattern(words).search
        if search(self.text) is None:
            return []
        return [
            r
            for r, (text, keys) in enumerate(zip(self.texts, self.keys, strict=True))
            if search(text) is not None and any(k and pred(k) for k in keys)
        ]

    def find(
        self, pred: Callable[[str], bool], rows: range, words: tuple[str, ...]
    ) -> tuple[int, int] | None:
        """First (row, column) of a key accepted by ``pred``, which only accepts keys
        containing one of ``words``."""
        texts, keys, search = self.texts, self.keys, _pattern(words).search
        for r in rows:
            if search(texts[r]) is not None:
                for c, k in enumerate(keys[r]):
                    if k and pred(k):
                        return r, c
        return None

    def next_value(self, r: int, c: int) -> tuple[str, int]:
        """Text of the first non-blank cell right of (r, c), and its column; blank when that
        cell is itself a label of the form (``主管部门 | | 项目实施单位 | 某中心``)."""
        row = self.grid.values[r]
        for cc in range(c + 1, len(row)):
            if not cv.is_blank(row[cc]):
                if vocab.is_label(self.keys[r][cc]):
                    break
                return self.shown(r, cc), cc
        return "", c + 1


# Kept for speed: bench_validate_folder, 1,000 hand-made forms, one process: 9 % of the time.
@lru_cache(maxsize=256)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """One search for any of ``words``."""
    return re.compile("|".join(map(re.escape, words)))


# -- one form -----------------------------------------------------------------------


class _FormReader:
    def __init__(self, sheet: _Sheet, start: int, stop: int, previous_end: int, file: str | None):
        self.s, self.start, self.stop = sheet, start, stop
        self.rows = range(start, stop)
        self.previous_end, self.file = previous_end, file
        self.end = start
        self.form = Form()
        self.title = ""  # the text of the rows above the form (title, year, 部门 …)
        # a 一级 cell holding only its weight, (50分): (weight, row, column) until a 二级
        # label says whose weight it is
        self.lost: tuple[float, int, int] | None = None
        # indicators whose 一级 came from their 二级 label's owner, not from a 一级 cell
        self.by_owner: set[int] = set()

    def put(self, path: str, r: int, c: int) -> None:
        self.form.cells[path] = self.s.address(r, c)

    def read(self) -> Form | Unreadable | None:
        funds = self.s.find(_is_funds_heading, self.rows, _FUNDS_HEADINGS)
        head = self.s.find(_is_name_heading, self.rows, _NAME_WORDS)
        if funds is None and head is None:
            return None
        title_row = self._title()
        self._header()
        if funds is not None:
            self._funds(funds[0])
        self._goals()
        self.form.source = Source(
            self.file, self.s.grid.sheet, self.s.grid.origin[0] + title_row, origin="handmade"
        )
        if head is None:
            return self._unreadable(
                f"找不到指标表头（{_label_of('name')}、"
                f"{_label_of('points')}、{_label_of('score')}）"
            )
        table = _TableHeader.read(self.s, head[0])
        missing = [f for f in _NEEDED if f not in table.columns]
        if missing == ["points"] and self._category_weighted(table):
            missing = []  # 产出指标(40分) …: the weights sit in the 一级 cells only
        if missing:
            self.end = head[0]
            names = "、".join(f"“{_label_of(f)}”" for f in missing)
            return self._unreadable(
                f"第 {self.s.grid.origin[0] + head[0]} 行的指标表头中找不到{names}列"
            )
        self._table(table)
        self._unscored_funds(funds)
        self.form.layout = self._layout(table)
        return self.form

    # other shapes (docs/reading.md): weights only in the 一级 cells, funds not scored

    def _category_weighted(self, table: _TableHeader) -> bool:
        """Whether a table without a 分值 column prints a weight in its 一级 cells
        (``产出指标(40分)``); the form is then read with ``points_by_category``."""
        column = table.columns.get("level1")
        if column is None:
            return False
        for r in range(table.first_row, self.stop):
            kind, _, weight = _level(self.s.key(r, column))
            if kind == 1 and weight is not None:
                self.form.points_by_category = True
                return True
        return False

    def _unscored_funds(self, funds: tuple[int, int] | None) -> None:
        """执行率 shown but not scored: a funds block with neither 分值 nor 得分 (nor a
        weight in its label) while the indicators carry all the points."""
        if funds is None or self.form.funds.points is not None:
            return
        if {"points", "score"} & _columns(self.s.keys[funds[0]], vocab.FUNDS_COLUMNS).keys():
            return  # a 分值 or 得分 column left blank is a missing figure, not a shape
        points = [r.points for r in self.form.indicators]
        if self.form.points_by_category:
            points = list(self.form.category_weights.values())
        numbers = [p for p in points if isinstance(p, float)]
        if numbers and len(numbers) == len(points) and abs(sum(numbers) - FULL_MARKS) < 1e-9:
            self.form.funds.scored = False

    def _unreadable(self, why: str) -> Unreadable:
        project = self.form.header.project
        where = f"（项目“{project}”）" if project else ""
        return Unreadable(
            self.file or "", Code.LAYOUT_UNRECOGNISED, why + where, sheet=self.s.grid.sheet
        )

    # title, year and layout

    def _title(self) -> int:
        window = range(max(self.previous_end + 1, self.start - 6), self.start)
        title_rows = [r for r in window if "自评" in self.s.texts[r]]
        texts = " ".join(cv.text(v) for r in window for v in self.s.grid.values[r])
        if match := _YEAR.search(texts) or _TITLE_YEAR.search(
            " ".join(self.s.texts[r] for r in title_rows)
        ):
            self.form.header.year = int(match[1])
        self.title = texts
        return title_rows[0] if title_rows else self.start

    def _layout(self, table: _TableHeader) -> str:
        """The official layout this form is closest to (docs/legacy-reading.md 2)."""
        appraisal = "自评价" in self.title or bool(
            self.s.find(lambda k: k.startswith("项目资金情况"), self.rows, ("项目资金情况",))
        )
        if appraisal:
            return "appraisal"
        if table.split or table.words.get("points") in vocab.WEIGHT_POINTS:
            return "sichuan"
        if "自评表" in self.title and "财政项目支出绩效自评表" not in self.title:
            return "national"
        return "standard"

    # 项目名称 / 主管部门 / 实施单位

    def _header(self) -> None:
        header = self.form.header = Header(year=self.form.header.year)
        head_rows = range(self.start, min(self.stop, self.start + 8))
        for attr, term in vocab.HEADER_FIELDS.items():
            self._after(header, f"header.{attr}", term, head_rows)

    # 项目资金

    def _funds(self, heading: int) -> None:
        funds = self.form.funds
        keys = self.s.keys[heading]
        columns = _columns(keys, vocab.FUNDS_COLUMNS)
        share = _share_column(keys, columns)
        around = range(max(self.start, heading - 1), heading + 1)
        funds.unit = "万元" if any(self.s.has(r, ("万元",)) for r in around) else "元"
        if "points" not in columns:  # 预算执行情况（10分）: the points in the block's label
            weights = [(c, cv.split_weight(k)[1]) for c, k in enumerate(keys) if k and "分" in k]
            label = next(((c, w) for c, w in weights if w is not None), None)
            if label is not None:
                funds.points = label[1]
                self.put("funds.points", heading, label[0])
        for r in range(heading + 1, min(self.stop, heading + 8)):
            name = self._funds_row_name(r)
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
                        c = columns[attr]
                        read = _share if attr == "points" and share else cv.amount
                        setattr(funds, path, read(self.s.value(r, c)))
                        self.put(f"funds.{path}", r, c)

    def _funds_row_name(self, r: int) -> str | None:
        if not self.s.has(r, _FUNDS_ROW_WORDS):
            return None
        return next((n for k in self.s.keys[r] if k and (n := _funds_row(k))), None)

    # 年度总体目标

    def _goals(self) -> None:
        goals = self.form.goals = Goals()
        planned_words = vocab.GOAL_COLUMNS["planned"].words
        plan = self.s.find(
            lambda k: vocab.match(k, vocab.GOAL_COLUMNS) == "planned", self.rows, planned_words
        )
        if plan is not None:
            r0, cp = plan
            ca = next(
                (
                    c
                    for c, k in enumerate(self.s.keys[r0])
                    if c > cp and k and vocab.match(k, vocab.GOAL_COLUMNS) == "achieved"
                ),
                None,
            )
            if ca is not None:  # a heading row: the texts sit below it
                for r in range(r0 + 1, min(self.stop, r0 + 4)):
                    planned = self.s.shown(r, cp)
                    achieved = self.s.shown(r, ca)
                    if planned or achieved:
                        goals.planned, goals.achieved = planned, achieved
                        self.put("goals.planned", r, cp)
                        self.put("goals.achieved", r, ca)
                        return
                return
        for attr, term in vocab.GOAL_COLUMNS.items():
            self._after(goals, f"goals.{attr}", term, self.rows)

    def _after(self, obj: object, path: str, term: vocab.Term, rows: range) -> None:
        """A field written after its label: in the label's own cell, else the next one."""
        label = term.label
        hit = self.s.find(
            lambda k: k.startswith(label) or vocab.heading_key(k) in term.words,
            rows,
            term.words,
        )
        if hit is None:
            return
        r, c = hit
        key = self.s.keys[r][c]
        own = key.startswith(label) and vocab.heading_key(key) not in term.words
        inline = _after_label(cv.text(self.s.value(r, c)), label) if own else ""
        value, col = (inline, c) if inline else self.s.next_value(r, c)
        setattr(obj, path.split(".")[1], value)
        self.put(path, r, col)

    # the indicator table

    def _table(self, table: _TableHeader) -> None:
        columns = table.columns
        total = self.s.find(_is_total_label, range(table.first_row, self.stop), _TOTAL_WORDS)
        end = total[0] if total else self._closing(table.first_row)
        level1 = level2 = ""
        later_level1: list[tuple[int, str]] = []  # (indicators read so far, 一级 label)
        keys, values = self.s.keys, self.s.grid.values
        for r in range(table.first_row, end):
            # a row with a label is not blank; one without may still hold a figure
            if not any(keys[r]) and all(cv.is_blank(v) for v in values[r]):
                continue
            if _lone_zero(values[r]):
                continue  # a nameless placeholder row holding a lone 0
            if _repeats_header(keys[r], columns):
                continue  # the header printed again (a page break): no indicator
            before = level1
            level1, level2 = self._row(r, table, level1, level2)
            if level1 != before:
                later_level1.append((len(self.form.indicators), level1))
        for row_index, row in enumerate(self.form.indicators):
            if not row.level1:  # 6.4 step 4: the first 一级 named below it
                row.level1 = next((l1 for n, l1 in later_level1 if n > row_index), "")
        self._misplaced_inside_block()
        self.end = end if total else end - 1
        if "reason" not in columns:
            self._table_reason(end)
        if total is not None:
            self._total(total[0], total[1], columns)
            if table.share and self.form.stated_points_total is not None:  # 合计 | 100%
                self.form.stated_points_total = _share(self.form.stated_points_total)

    def _table_reason(self, first: int) -> None:
        """偏差大或目标未完成原因分析 | … below a table with no 偏差原因 column: the form's one
        reason, given to each indicator (it has no other place to write one)."""
        words = vocab.TABLE_REASON_LABELS
        hit = self.s.find(lambda k: k.startswith(words), range(first, self.stop), words)
        if hit is None:
            return
        reason, c = self.s.next_value(*hit)
        if not reason:
            return
        address = self.s.address(hit[0], c)
        for row in self.form.indicators:
            if not row.reason:
                row.reason = reason
                row.cells["reason"] = address

    def _misplaced_inside_block(self) -> None:
        """A row whose 二级 belongs elsewhere, between rows of one 一级 block, stays in it.

        A standard 二级 label moves a row to its owner where the merged 一级 label was
        pasted mid-block (docs/legacy-reading.md 6.4). When the very next row's 二级 moves
        it back to the 一级 of the row before, no 一级 label was crossed: the row sits
        inside that block under a 二级 of another 一级 (经济效益指标 under 产出指标(50分)),
        and the rules say so (CATEGORY_MISPLACED) instead of moving its 分值.
        """
        rows = self.form.indicators
        for i in range(1, len(rows) - 1):
            before, row, after = rows[i - 1], rows[i], rows[i + 1]
            if (
                i in self.by_owner
                and i + 1 in self.by_owner
                and before.level1 == after.level1 != row.level1
                and before.level1
            ):
                row.level1 = before.level1

    def _closing(self, first: int) -> int:
        """Where a table without a total row ends: its first closing line, else the form's end."""
        for r in range(first, self.stop):
            if self.s.has(r, _CLOSING_WORDS) and _is_closing(self.s.keys[r]):
                return r
        return self.stop

    def _row(self, r: int, table: _TableHeader, level1: str, level2: str) -> tuple[str, str]:
        columns = table.columns
        values, keys = self.s.grid.values[r], self.s.keys[r]
        width = len(values)
        shift = _best_shift(values, keys, columns)
        first_data = table.first_data + shift
        # a row that fits its header has its 二级 label in the 二级 column, however worded
        level2_col = columns["level2"] if shift == 0 and "level2" in columns else -1
        level1_col = columns["level1"] if shift == 0 and "level1" in columns else -1
        l1 = l2 = None
        names: list[tuple[str, int]] = []
        for c in range(min(first_data, width)):
            if c in table.extra:
                continue  # 指标值设置依据 …: read past (vocab.EXTRA_COLUMNS)
            key = keys[c]
            if not key:
                if not cv.is_blank(values[c]):
                    names.append((self.s.shown(r, c), c))
                continue
            kind, name, weight = _level(key)
            if kind == 1 and not name:  # (50分): the name was lost, the weight stands
                self.lost = (weight or 0.0, r, c)
                continue
            if kind == 1 and l2 is None and (l1 is not None or (c == level2_col and not weight)):
                kind = 2  # 满意度指标 | 满意度指标 | …: the second is the 二级 label
            elif kind == 0 and c == level2_col and l2 is None and _is_label_like(key):
                kind = 2  # 社会效益, 公共服务: a 二级 label in its own column
            elif kind == 0 and c == level1_col and l1 is None and (short := _short_level1(key)):
                kind, name, weight = 1, *short  # 产出 (50分): a 一级 label without 指标
            if kind == 1:
                l1 = (name, c)
                if weight is not None:
                    self.form.category_weights[name] = weight
                    self.put(f"category_weights.{name}", r, c)
            elif kind == 2:
                l2 = (_REPEATED_LEVEL2.get(name, name), c)
            elif kind == 0:
                names.append((self.s.shown(r, c), c))
        if self.lost is not None and (l1 is not None or l2 is not None):
            l1 = self._found_category(l1, l2)
        slots = {f: c + shift for f, c in table.data_columns} if shift else table.slots
        data = {f: values[c] if 0 <= c < width else None for f, c in slots.items()}
        blank = all(cv.is_blank(v) for v in data.values())
        if len(names) > 1 and cv.is_number(values[names[0][1]]):
            names = [n for n in names if not cv.is_number(values[n[1]])] or names  # 序号 1, 2 …
        if (
            names
            and (blank or names[0][0][:1] in _PLACEHOLDER_START)
            and _is_placeholder(names[0][0], blank)
        ) or (names and _not_applicable(names[0][0], data.values())):
            names = []
            blank = True  # ……, 指标2, 其他需要说明事项 | 无, 指标1:/ | / | /: no indicator
        elif names and _is_breakdown(names[0][0], data):
            names = []
            blank = True  # 其中桃树种植面积 | 1.5亩 | 1.5亩: a part of the row above
        if not names and blank:
            return _levels(level1, level2, l1, l2)  # a row holding only level labels
        before = level1
        level1, level2 = _levels(level1, level2, l1, l2)
        if l1 is None and l2 is not None and level1 != before:
            self.by_owner.add(len(self.form.indicators))
        name = names[0][0] if names else ""
        if name.startswith("指标"):
            name = _NUMBERED_NAME.sub("", name) or name
        row = Indicator(
            level1=level1,
            level2=level2,
            name=name,
            target=self._target(r, slots, table.split),
            actual=self.s.shown(r, slots["actual"]) if "actual" in slots else "",
            points=table.read_points(data.get("points")),
            score=cv.amount(cv.strip_points(data["score"])),
            reason=cv.text(data["reason"]) if "reason" in slots else "",
        )
        address = self.s.address
        cells = row.cells = {f: address(r, c + shift) for f, c in table.cell_columns}
        cells["name"] = address(r, names[0][1] if names else columns["name"] + shift)
        for f, hit in (("level1", l1), ("level2", l2)):
            if hit is not None:
                cells[f] = address(r, hit[1])
            elif f in columns:  # carried from above: the row's own (empty, merged) slot
                cells[f] = address(r, max(columns[f] + shift, 0))
        # A block's subtotal finding points at the block's first row.
        self.form.cells.setdefault(f"category_weights.{level1}", row.cells["name"])
        self.form.indicators.append(row)
        return level1, level2

    def _found_category(
        self, l1: tuple[str, int] | None, l2: tuple[str, int] | None
    ) -> tuple[str, int] | None:
        """The 一级 whose name was lost (``(50分)``): the one this row names, else the owner
        of its 二级 label; the lost weight is that category's (DOMAIN.md, lost category names)."""
        assert self.lost is not None
        weight, r, c = self.lost
        owner = l1[0] if l1 is not None else _owner(l2[0]) if l2 is not None else None
        if owner is None:
            return l1  # a 二级 no category owns: wait for the next one
        self.lost = None
        if owner not in self.form.category_weights:
            self.form.category_weights[owner] = weight
            self.put(f"category_weights.{owner}", r, c)
        return l1 if l1 is not None else (owner, c)

    def _target(self, r: int, slots: dict[str, int], split: bool) -> str:
        value = self.s.shown(r, slots["target"])
        if not split:
            return value
        nature = self.s.shown(r, slots["target_nature"]) if "target_nature" in slots else ""
        unit = self.s.shown(r, slots["target_unit"]) if "target_unit" in slots else ""
        return join_target(nature, value, unit)

    def _total(self, r: int, label_col: int, columns: dict[str, int]) -> None:
        values = self.s.grid.values[r]
        numbers = [
            (c, cv.amount(cv.strip_points(v)))
            for c, v in enumerate(values)
            if c > label_col and cv.is_number(cv.strip_points(v))
        ]
        if len(numbers) >= 2:
            (cp, points), (ct, total) = numbers[-2], numbers[-1]
            self.form.stated_points_total = points
            self.put("stated_points_total", r, cp)
            self.form.stated_total = total
            self.put("stated_total", r, ct)
        elif not numbers and (inline := _TOTAL_INLINE.fullmatch(self.s.keys[r][label_col])):
            self.form.stated_total = float(inline[1])  # 总分：97.5 in the label's own cell
            self.put("stated_total", r, label_col)
        elif numbers:
            c, figure = numbers[0]
            # 合计 | 100 | (得分 blank): the one figure sits under 分值, not 得分
            cp = columns.get("points", columns["score"])
            under_points = c - cp in (0, 1, -1) and c - columns["score"] not in (
                0,
                1,
            )
            field = "stated_points_total" if under_points else "stated_total"
            setattr(self.form, field, figure)
            self.put(field, r, c)


class _TableHeader:
    """The indicator table's header: one row, or two (年度指标值 over 指标性质 | 指标值 |
    度量单位; 绩效指标 over 一级 | 二级 | 三级), read into field -> column."""

    def __init__(self, columns: dict[str, int], words: dict[str, str], first_row: int) -> None:
        self.columns, self.words, self.first_row = columns, words, first_row
        self.split = "target_nature" in columns or "target_unit" in columns
        self.data_columns = tuple((f, c) for f, c in columns.items() if f not in _LEVEL_FIELDS)
        self.slots = dict(self.data_columns)  # where a row that fits its header has its data
        # every data field's cell is recorded, the split target by its 指标值 cell
        self.cell_columns = tuple(
            (f, c) for f, c in self.data_columns if f not in ("target_nature", "target_unit")
        )
        data = [c for _, c in self.data_columns]
        self.first_data = min(data) if data else columns.get("name", 0) + 1
        self.extra: frozenset[int] = frozenset()  # columns read past (vocab.EXTRA_COLUMNS)
        self.share = words.get("points") in vocab.SHARE_POINTS  # 权重占比: 20% is 20 points

    def read_points(self, value: object) -> Number:
        """A row's 分值 (None where the table has no 分值 column)."""
        if value is None:
            return None
        return _share(value) if self.share else cv.amount(cv.strip_points(value))

    @classmethod
    def read(cls, sheet: _Sheet, head: int) -> _TableHeader:
        keys = list(sheet.keys[head])
        first_row = head + 1
        for other in (head - 1, head + 1):
            if not 0 <= other < len(sheet.keys):
                continue
            below = other == head + 1
            extra = sheet.keys[other]
            fields = [_column_field(k) for k in extra]
            found = [f for f in fields if f]
            if below:
                row = sheet.grid.values[other]
                if not found or any(cv.is_number(v) for v in row):
                    continue
                first_row = head + 2
            elif len([f for f in found if f not in _LEVEL_FIELDS]) < 2:
                continue
            width = max(len(keys), len(extra))
            keys += [""] * (width - len(keys))
            for c, k in enumerate(extra):
                mine = _column_field(keys[c]) if keys[c] else None
                if k and fields[c] and (below or mine is None):
                    keys[c] = k  # the lower row names the column; the upper only where blank
        columns: dict[str, int] = {}
        words: dict[str, str] = {}
        for c, k in enumerate(keys):
            f = _column_field(k) if k else None
            if f and (f not in columns or k in vocab.CONVERTED_SCORE):
                columns[f], words[f] = c, k
        table = cls(columns, words, first_row)
        table.extra = frozenset(c for c, k in enumerate(keys) if k in _EXTRA)
        return table


# -- helpers ------------------------------------------------------------------------

_CLOSING_WORDS = vocab.CLOSING_LABELS
_EXTRA = frozenset(vocab.EXTRA_COLUMNS)


def _share_column(keys: list[str], columns: dict[str, int]) -> bool:
    """Whether the funds block's 分值 column is a 权重占比 (and 折算得分 its score)."""
    for c, k in enumerate(keys):
        if k in vocab.CONVERTED_SCORE:
            columns["score"] = c
    return "points" in columns and keys[columns["points"]] in vocab.SHARE_POINTS


def _share(value: object) -> Number:
    """A weight as a share of 100 points: ``20%`` (or 0.2, a cell formatted as a percent)
    -> 20.0; a bare ``20`` is 20 already."""
    percent = isinstance(value, str) and value.strip().endswith(("%", "％"))
    figure = cv.rate(value) if percent else cv.amount(cv.strip_points(value))
    if isinstance(figure, float) and (percent or figure <= 1):
        return round(figure * 100, 10)
    return figure


def _is_closing(keys: list[str]) -> bool:
    """Whether a row is one of the lines after the table (评价结论, 项目负责人: …)."""
    first = next((k for k in keys if k), "")
    return first.startswith(_CLOSING_WORDS)


# Kept for speed: bench_validate_folder, 1,000 hand-made forms, one process: 2 % of the time.
@lru_cache(maxsize=4096)
def _column_field(key: str) -> str | None:
    """The indicator table field a header key names (split-target parts included)."""
    return (
        vocab.match(key, vocab.SPLIT_TARGET_COLUMNS)
        if key in ("指标性质", "度量单位")
        else (
            vocab.match(key, vocab.INDICATOR_COLUMNS)
            or vocab.match(key, vocab.SPLIT_TARGET_COLUMNS)
        )
    )


def _is_total_label(key: str) -> bool:
    """总分 / 总计 / 合计, alone or with its figure (``总分：97.5``)."""
    return key in _TOTAL_LABELS or _TOTAL_INLINE.fullmatch(key) is not None


def _is_name_heading(key: str) -> bool:
    return vocab.match(key, vocab.INDICATOR_COLUMNS) == "name"


def _is_funds_heading(key: str) -> bool:
    return vocab.match(key, vocab.FUNDS_COLUMNS) in ("annual_budget", "executed")


def _label_of(field: str) -> str:
    return vocab.INDICATOR_COLUMNS[field].label


def _columns(keys: list[str], table: dict[str, vocab.Term]) -> dict[str, int]:
    """Field -> the first column whose heading ``table`` names it."""
    columns: dict[str, int] = {}
    for c, k in enumerate(keys):
        if k and (f := vocab.match(k, table)) and f not in columns:
            columns[f] = c
    return columns


def _funds_row(key: str) -> str | None:
    """The funds row a label names: ``其中：当年财政拨款`` -> ``current``."""
    return vocab.match(_SUBROW_PREFIX.sub("", key), vocab.FUNDS_ROWS)


def _is_placeholder(name: str, blank: bool) -> bool:
    """A row that stands for no indicator: ……, 其他需要说明事项, or a bare 指标2."""
    key = "".join(name.split())
    if key.startswith(vocab.PLACEHOLDER_ROWS):
        return True
    return blank and (_NUMBERED_NAME.sub("", key) == "" or set(key) <= set("…. "))


def _is_breakdown(name: str, data: dict[str, object]) -> bool:
    """``其中桃树种植面积 | 1.5亩 | 1.5亩``: a part of the indicator above, no 分值, no 得分."""
    return "".join(name.split()).startswith(vocab.BREAKDOWN_PREFIX) and all(
        cv.is_blank(data.get(f)) for f in ("points", "score")
    )


def _repeats_header(keys: list[str], columns: dict[str, int]) -> bool:
    """A row that names the table's columns again (its header printed after a page break):
    the name and the target columns both hold their headings."""
    return all(
        0 <= columns[f] < len(keys) and _column_field(keys[columns[f]]) == f
        for f in ("name", "target")
    )


def _not_applicable(name: str, data: Iterable[object]) -> bool:
    """``指标1:/ | / | /``: a row marked not applicable across its name and every figure."""
    if not all(cv.is_not_applicable(v) for v in data):
        return False  # the common case, answered by the row's first figure
    return cv.is_not_applicable(_NUMBERED_NAME.sub("", "".join(name.split())))


def _lone_zero(values: list) -> bool:
    """A row whose one filled cell is a 0 (a placeholder left in a template row)."""
    found = None
    for v in values:
        if v is None or v == "" or cv.is_blank(v):
            continue
        if found is not None:
            return False
        found = v
    return found is not None and cv.amount(found) == 0


def _owner(level2: str) -> str | None:
    """The 一级 a standard 二级 label belongs to (社会效益 and 社会效益指标 alike)."""
    return _STANDARD_OWNER.get(level2) or _STANDARD_OWNER.get(level2 + "指标")


def _short_level1(key: str) -> tuple[str, float | None] | None:
    """``产出`` / ``效益（30分）`` as the 一级 label it shortens, with its weight."""
    name, weight = cv.split_weight(key)
    return (name + "指标", weight) if name + "指标" in LEVEL1_NAMES else None


def _is_label_like(key: str) -> bool:
    """Short text without digits or operators: a level label, not a measured name."""
    return len(key) <= 12 and not any(ch.isdigit() or ch in "=<>≥≤%" for ch in key)


def _after_label(text: str, word: str) -> str:
    """The value written in the label's own cell: ``项目名称：某项目`` -> ``某项目``."""
    return "".join(text.split())[len(word) :].lstrip(":：")


# Kept for speed: bench_validate_folder, 1,000 hand-made forms, one process: 6 % of the time.
@lru_cache(maxsize=4096)
def _level(key: str) -> tuple[int, str, float | None]:
    """(1 or 2 for a level label, -1 for the side label 绩效指标, 0 otherwise), level, weight."""
    if key in _OUTER:
        return -1, key, None
    if (lost := cv.weight_only(key)) is not None:
        return 1, "", lost  # (50分): a 一级 whose name was lost
    name, weight = cv.split_weight(key)
    if name in LEVEL1_NAMES:
        return 1, name, weight
    bare = key.removesuffix("等")  # 服务对象满意度指标等
    if bare.endswith("指标") or bare == "可持续影响" or bare + "指标" in _STANDARD_OWNER:
        return 2, bare, None
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
        level1 = _STANDARD_OWNER.get(l2[0], _STANDARD_OWNER.get(l2[0] + "指标", level1))
    return level1, level2


_PERFECT = 7  # 分值 and 得分 numbers, name and target plain text, no number as reason


def _best_shift(values: list, keys: list[str], columns: dict[str, int]) -> int:
    """How far a row's cells sit from the header's columns (merged cells shift them):
    0 for a row that fits its header, else the most plausible of _SHIFTS, the
    earliest on a tie."""
    if _fits(values, keys, columns):
        return 0
    best, best_score = 0, _plausibility(values, keys, columns, 0)
    leftmost = min(columns.values())
    for s in _SHIFTS[1:]:
        if best_score == _PERFECT:
            break  # nothing scores higher
        if leftmost + s < 0:
            continue  # the table cannot sit left of column A
        score = _plausibility(values, keys, columns, s)
        if score > best_score:
            best, best_score = s, score
    return best


def _fits(values: list, keys: list[str], columns: dict[str, int]) -> bool:
    """Whether a row already sits under its header: 分值 and 得分 numbers or blank, the
    name and the target plain text (not level labels) in their columns, and nothing
    but level labels left of the name. Whatever the other cells hold (a stray 0 as
    reason, 社会效益 as 二级), such a row is not moved."""
    figures = [columns[f] for f in ("points", "score") if f in columns]
    cn, ct = columns["name"], columns["target"]
    if max(*figures, cn, ct) >= len(values):
        return False
    for c in figures:
        v = values[c]
        if not (v is None or v == "" or _is_figure(v) or cv.is_blank(v)):
            return False
    for c in (cn, ct):
        key = keys[c]  # a cell with a label key is not blank
        if (_level(key)[0] != 0) if key else cv.is_blank(values[c]):
            return False
    for c in range(cn):  # left of the name: level labels or nothing
        v = values[c]
        if v is None or v == "":
            continue
        if not (keys[c] and _level(keys[c])[0] != 0) and not cv.is_blank(v):
            return False
    return True


def _is_figure(value: object) -> bool:
    """A 分值 or 得分: a number, or a number of 分 (``10分``)."""
    if type(value) is float:  # the common case, answered at once
        return True
    return cv.is_number(value) or (
        isinstance(value, str) and "分" in value and cv.is_number(cv.strip_points(value))
    )


def _plausibility(values: list, keys: list[str], columns: dict[str, int], s: int) -> int:
    width = len(values)
    total = 0
    numbers = 0
    for c in (columns[f] + s for f in ("points", "score") if f in columns):
        v = values[c] if 0 <= c < width else None
        if _is_figure(v):
            total, numbers = total + 2, numbers + 1
        elif not cv.is_blank(v):
            total -= 3
    total += numbers == 2
    if "reason" in columns:
        c = columns["reason"] + s
        if 0 <= c < width and cv.is_number(values[c]):
            total -= 3
    for field in ("name", "target"):
        c = columns[field] + s
        if not 0 <= c < width or cv.is_blank(values[c]):
            total -= field == "name"
        elif _level(keys[c])[0] != 0:
            total -= 3
        else:
            total += 1
    return total

"""``selfeval layout check``: every mistake in a layout file, each naming its line and key.

:func:`check_text` reads a layout file as a maintainer wrote it and lists every problem in
Chinese (a misspelt field ``@header.projcet``, a row whose cells do not cover the form's
width, a heading that is not a word of :mod:`selfeval.form.vocabulary`, a column the table
does not know …) instead of stopping at the first. tomllib gives no positions, so each
problem's line is found in the text: the line of its key, or within the key's value the
line holding the offending text. A file with no problem is then built once
(:func:`selfeval.layouts.layout.build_layout`), so that what passes here builds.
"""

from __future__ import annotations

import difflib
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from selfeval.errors import LayoutError
from selfeval.form import vocabulary
from selfeval.form.safe_text import is_formula_like
from selfeval.layouts.layout import (
    _FIELDS,
    _REQUIRED,
    _TABLE_REQUIRED,
    _VOCABULARY,
    _WORD_REF,
    SPLIT_TARGET,
    build_layout,
    parse_years,
    spec_from_data,
    text_problem,
)


@dataclass(frozen=True)
class Problem:
    """One mistake: the line (1-based, None when it has none), the key and why."""

    line: int | None
    key: str
    message: str

    def shown(self, origin: str) -> str:
        where = f"第 {self.line} 行" if self.line else "全文"
        return f"{origin} {where} {self.key}：{self.message}"


_TOP = {
    "name", "title", "description", "unit", "widths", "years",
    "head", "funds", "middle", "table", "total", "closing", "texts",
}  # fmt: skip
_SECTIONS = {
    "funds": {
        "label", "corner", "label_cols", "columns", "rows", "sub_marks", "sub_rates",
        "headings", "spans", "words",
    },
    "middle": {"rows"},
    "table": {"columns", "outer", "words", "level_weights"},
    "total": {"label"},
    "closing": {"rows", "borders"},
}  # fmt: skip
_CELL_KEYS = {"v", "cols", "rows"}
_FUNDS_COLUMNS = tuple(vocabulary.FUNDS_COLUMNS)
_TABLE_COLUMNS = (*vocabulary.INDICATOR_COLUMNS, *vocabulary.SPLIT_TARGET_COLUMNS)
_NAME = re.compile(r"[\w-]+")
_TOML_AT = re.compile(r"\(at line (\d+), column (\d+)\)")


def check_file(path: Path) -> list[Problem]:
    """Every problem of the layout file at ``path`` (one when it cannot be read)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [Problem(None, path.name, f"无法读取（{exc}）；表样文件应为 UTF-8 编码的文本")]
    return check_text(text, path.stem)


def check_text(text: str, name: str = "layout") -> list[Problem]:
    """Every problem of a layout file's text; an empty list when it builds."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = _TOML_AT.search(str(exc))
        line = (
            int(at[1]) if at else len(text.splitlines()) if "end of document" in str(exc) else None
        )
        why = _TOML_AT.sub("", str(exc)).replace("(at end of document)", "").strip()
        return [Problem(line, "TOML", f"格式错误（{why}）")]
    problems = _Checker(text, data).run()
    if problems:
        return problems
    try:
        build_layout(spec_from_data(data, name, name))
    except LayoutError as exc:
        return [Problem(None, "表样", str(exc))]
    return []


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"（是不是 {close[0]}？）" if close else ""


class _Lines:
    """Where keys and values sit in the text: enough TOML to point at a line."""

    _HEADER = re.compile(r"\s*\[\s*([\w.]+)\s*\]\s*(#.*)?$")
    _KEY = re.compile(r"\s*([\w-]+)\s*=")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[str, int] = {}  # "funds.columns" -> line index
        table = ""
        for i, line in enumerate(self.lines):
            if m := self._HEADER.match(line):
                table = m[1]
                self.keys.setdefault(table, i)
                continue
            if (m := self._KEY.match(line)) and not line.startswith((" ", "\t")):
                self.keys.setdefault(f"{table}.{m[1]}" if table else m[1], i)

    def of(self, key: str, value: Any = None) -> int | None:
        """The line of ``key`` (``funds.columns``), or of ``value`` within it."""
        parts = key.split(".")
        while parts and ".".join(parts) not in self.keys:
            parts.pop()
        if not parts:
            return None
        start = self.keys[".".join(parts)]
        if value is None or not isinstance(value, str):
            return start + 1
        needle = json.dumps(value, ensure_ascii=False)
        later = [i for i in self.keys.values() if i > start]
        end = min(later) if later else len(self.lines)
        for i in range(start, end):
            if needle in self.lines[i] or (value and f"'{value}'" in self.lines[i]):
                return i + 1
        return start + 1


class _Checker:
    def __init__(self, text: str, data: dict[str, Any]) -> None:
        self.data = data
        self.lines = _Lines(text)
        self.problems: list[Problem] = []
        self.placed: dict[str, str] = {}  # field path -> key where it is placed
        self.texts = data.get("texts", {}) if isinstance(data.get("texts"), dict) else {}

    def add(self, key: str, message: str, value: Any = None, line_key: str | None = None) -> None:
        self.problems.append(Problem(self.lines.of(line_key or key, value), key, message))

    def run(self) -> list[Problem]:
        d = self.data
        for key in d:
            if key not in _TOP:
                self.add(key, f"不认识的键{_suggest(key, _TOP)}")
        for section, allowed in _SECTIONS.items():
            value = d.get(section, {})
            if not isinstance(value, dict):
                self.add(section, "应为一个表（[section]）")
                continue
            for key in value:
                if key not in allowed:
                    self.add(f"{section}.{key}", f"不认识的键{_suggest(key, allowed)}")
        self._scalars()
        width = self._widths()
        for key, rows in (
            ("head", d.get("head", [])),
            ("middle.rows", _get(d, "middle", "rows")),
            ("closing.rows", _get(d, "closing", "rows")),
        ):
            self._rows(key, rows, width)
        self._funds(width)
        self._table(width)
        self._texts()
        placed = set(self.placed) | _AUTOMATIC
        for path in _REQUIRED:
            if path not in placed:
                self.add("head", f"缺少字段 @{path}：每个表样都要在 head 或 middle 中放这个字段")
        return self.problems

    # -- keys ------------------------------------------------------------------------

    def _scalars(self) -> None:
        d = self.data
        if not isinstance(d.get("title"), str) or not d.get("title", "").strip():
            self.add("title", "缺少表名 title（如“项目支出绩效自评表”）")
        if "name" in d and not (isinstance(d["name"], str) and _NAME.fullmatch(d["name"])):
            self.add("name", "表样名只能由字母、数字、下划线和连字符组成", d.get("name"))
        if "description" in d and not isinstance(d["description"], str):
            self.add("description", "应为文字")
        if d.get("unit", "元") not in ("元", "万元"):
            self.add("unit", f"应为“元”或“万元”，而不是 {d['unit']!r}", d.get("unit"))
        if "years" in d:
            try:
                parse_years(d["years"])
            except ValueError as exc:
                self.add("years", str(exc))

    def _widths(self) -> int:
        widths = self.data.get("widths")
        ok = isinstance(widths, list) and widths
        if not ok or not all(_is_number(w) and w > 0 for w in widths):
            self.add("widths", "缺少或有误：应为各打印列的列宽（正数）列表，如 [8, 11, 18]")
            return len(widths) if isinstance(widths, list) else 0
        return len(widths)

    # -- cells -----------------------------------------------------------------------

    def _rows(self, key: str, rows: Any, width: int) -> None:
        if rows is None:
            return
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            self.add(key, "应为若干行，每行是若干格的列表：[[格, 格], [格]]")
            return
        taken: set[tuple[int, int]] = set()
        for r, row in enumerate(rows):
            c = 0
            previous = None
            for i, cell in enumerate(row):
                where = f"{key}[{r}][{i}]"
                content, cols, nrows = self._cell(where, cell, key)
                while (r, c) in taken:
                    c += 1
                if r + nrows > len(rows):
                    self.add(where, f"跨 {nrows} 行，超出了这一部分的行数", content, key)
                taken |= {(rr, cc) for rr in range(r, r + nrows) for cc in range(c, c + cols)}
                c += cols
                self._label_before(where, previous, content, key)
                previous = content
            covered = len({cc for rr, cc in taken if rr == r})
            short_ok = key == "closing.rows" and covered < width  # signature lines
            if width and covered != width and row and not short_ok:
                how = "超出" if covered > width else "没有占满"
                self.add(
                    f"{key}[{r}]",
                    f"这一行的格共占 {covered} 列，{how}表格的宽度 {width} 列（widths 的列数）",
                    _first_text(row),
                    key,
                )

    def _cell(self, where: str, cell: Any, line_key: str) -> tuple[str, int, int]:
        if isinstance(cell, str):
            self._content(where, cell, line_key)
            return cell, 1, 1
        if not isinstance(cell, dict) or not isinstance(cell.get("v"), str):
            self.add(
                where, '一格应为文字，或 { v = "文字", cols = 列数, rows = 行数 }', None, line_key
            )
            return "", 1, 1
        for k in cell:
            if k not in _CELL_KEYS:
                self.add(where, f"格中不认识的键 {k}{_suggest(k, _CELL_KEYS)}", cell["v"], line_key)
        spans = []
        for k in ("cols", "rows"):
            n = cell.get(k, 1)
            if not (isinstance(n, int) and not isinstance(n, bool) and n >= 1):
                self.add(where, f"{k} 应为正整数，而不是 {n!r}", cell["v"], line_key)
                n = 1
            spans.append(n)
        self._content(where, cell["v"], line_key)
        return cell["v"], spans[0], spans[1]

    def _content(self, where: str, text: str, line_key: str) -> None:
        if text.startswith("@"):
            path = text[1:]
            if path not in _FIELDS:
                known = [f"@{f}" for f in _FIELDS]
                self.add(where, f"未知字段 {text}{_suggest(text, known)}", text, line_key)
            elif path in self.placed:
                self.add(
                    where, f"字段 {text} 已放在 {self.placed[path]}，不能放两次", text, line_key
                )
            else:
                self.placed[path] = where
        elif text.startswith("#"):
            key = text[1:]
            if key not in self.texts and key not in ("title", "profile"):
                known = [*self.texts, "title", "profile"]
                self.add(where, f"[texts] 中没有 {key}{_suggest(key, known)}", text, line_key)
        else:
            if is_formula_like(text):
                self.add(where, f"“{text[:20]}”以 = + - 开头，会被当作公式", text, line_key)
            self._words(where, text, line_key)

    def _words(self, where: str, text: str, line_key: str) -> None:
        """``<table.key>`` and ``<table.key=word>`` references in a printed text."""
        for m in _WORD_REF.finditer(text):
            table, key, word = m[1], m[2], m[3]
            if table not in _VOCABULARY:
                tables = "、".join(_VOCABULARY)
                self.add(where, f"<{table}.…> 不是词表（可用：{tables}）", text, line_key)
            elif key not in _VOCABULARY[table]:
                self.add(
                    where,
                    f"词表 {table} 中没有 {key}{_suggest(key, _VOCABULARY[table])}",
                    text,
                    line_key,
                )
            elif word is not None:
                self._synonym(where, table, key, word, text, line_key)

    def _synonym(
        self, where: str, table: str, key: str, word: str, shown: str, line_key: str
    ) -> bool:
        term = _VOCABULARY[table][key]
        if vocabulary.heading_key(word) in {vocabulary.heading_key(w) for w in term.words}:
            return True
        self.add(
            where,
            f"“{word}”不是词表中 {table}.{key} 的说法（可用：{'、'.join(term.words)}；"
            "新的说法先加到 selfeval/form/vocabulary.py）",
            shown,
            line_key,
        )
        return False

    def _label_before(self, where: str, label: str | None, content: str, line_key: str) -> None:
        """A printed label just before a header field must be a word of that field."""
        if label is None or not content.startswith("@header.") or label.startswith(("@", "#")):
            return
        key = content.split(".", 1)[1]
        if key not in vocabulary.HEADER_FIELDS or _WORD_REF.search(label):
            return
        self._synonym(where, "header", key, label, label, line_key)

    # -- funds and table ---------------------------------------------------------------

    def _funds(self, width: int) -> None:
        funds = self.data.get("funds")
        if not isinstance(funds, dict):
            self.add("funds", "缺少资金块 [funds]")
            return
        columns = funds.get("columns")
        if not isinstance(columns, list):
            self.add("funds.columns", "缺少资金块的列 columns")
            columns = []
        for col in columns:
            if col not in _FUNDS_COLUMNS:
                self.add(
                    "funds.columns", f"不认识的列 {col}{_suggest(str(col), _FUNDS_COLUMNS)}", col
                )
        for col in _FUNDS_COLUMNS:
            if col not in columns:
                self.add(
                    "funds.columns",
                    f"缺少列 {col}（资金块要有全部六列：{'、'.join(_FUNDS_COLUMNS)}）",
                )
        rows = funds.get("rows")
        if not isinstance(rows, list) or not rows or rows[0] != "total" or "total" in rows[1:]:
            self.add("funds.rows", "应以 total（年度资金总额）开头，且 total 只出现一次")
            rows = rows if isinstance(rows, list) else []
        for row in rows:
            if row not in vocabulary.FUNDS_ROWS:
                self.add(
                    "funds.rows",
                    f"不认识的资金行 {row}{_suggest(str(row), vocabulary.FUNDS_ROWS)}",
                    row,
                )
        for key, value in (funds.get("words") or {}).items():
            table = "funds_row" if key in vocabulary.FUNDS_ROWS else "funds"
            if key not in vocabulary.FUNDS_ROWS and key not in _FUNDS_COLUMNS:
                self.add(f"funds.words.{key}", "不是资金块的行或列", None, "funds.words")
            elif isinstance(value, str):
                self._synonym(f"funds.words.{key}", table, key, value, value, "funds.words")
        spans = funds.get("spans") or {}
        for key in ("spans", "headings", "sub_marks"):
            for col in funds.get(key) or {}:
                if col not in columns:
                    self.add(
                        f"funds.{key}.{col}", "不是资金块 columns 中的列", None, f"funds.{key}"
                    )
        for col, n in spans.items():
            if not (isinstance(n, int) and n >= 1):
                self.add(f"funds.spans.{col}", f"应为正整数，而不是 {n!r}", None, "funds.spans")
        if "label" in funds:
            label = self._cell("funds.label", funds["label"], "funds.label")
            label_width = label[1]
        else:
            label_width = 0
        corner = funds.get("corner", "")
        if isinstance(corner, str):
            self._content("funds.corner", corner, "funds.corner")
        for col, text in (funds.get("headings") or {}).items():
            if isinstance(text, str):
                self._content(f"funds.headings.{col}", text, "funds.headings")
        label_cols = funds.get("label_cols", 1)
        spans_ok = all(isinstance(n, int) for n in spans.values())
        if isinstance(label_cols, int) and spans_ok and width:
            covered = label_width + label_cols + sum(int(spans.get(c, 1)) for c in columns)
            if covered != width:
                self.add(
                    "funds",
                    f"资金块每行共占 {covered} 列（label {label_width} + label_cols {label_cols}"
                    f" + 各列及其 spans），与表格的宽度 {width} 列不符",
                )

    def _table(self, width: int) -> None:
        table = self.data.get("table")
        if not isinstance(table, dict):
            self.add("table", "缺少指标表 [table]")
            return
        columns = table.get("columns")
        if not isinstance(columns, list):
            self.add("table.columns", "缺少指标表的列 columns")
            return
        for col in columns:
            if col not in _TABLE_COLUMNS:
                self.add(
                    "table.columns", f"不认识的列 {col}{_suggest(str(col), _TABLE_COLUMNS)}", col
                )
        for col in _TABLE_REQUIRED:
            if col not in columns:
                self.add("table.columns", f"缺少列 {col}")
        if len(set(map(str, columns))) != len(columns):
            self.add("table.columns", "有重复的列")
        if {"target", *SPLIT_TARGET} & set(columns) not in ({"target"}, set(SPLIT_TARGET)):
            self.add(
                "table.columns",
                "指标值应为 target 一列，或 target_nature、target_value、target_unit 三列",
            )
        outer = table.get("outer")
        if outer is not None:
            if isinstance(outer, str):
                self._content("table.outer", outer, "table.outer")
            else:
                self.add("table.outer", "应为文字")
        for key, value in (table.get("words") or {}).items():
            if key not in columns:
                self.add(f"table.words.{key}", "不是 table.columns 中的列", None, "table.words")
            elif isinstance(value, str) and key in _VOCABULARY["indicator"]:
                self._synonym(f"table.words.{key}", "indicator", key, value, value, "table.words")
        if width:
            covered = len(columns) + (outer is not None)
            if covered != width:
                extra = "（含 outer 一列）" if outer is not None else ""
                self.add(
                    "table.columns",
                    f"指标表共 {covered} 列{extra}，与表格的宽度 {width} 列（widths）不符",
                )
        label = _get(self.data, "total", "label")
        keys = {vocabulary.heading_key(w) for w in vocabulary.TOTAL_LABELS}
        if not isinstance(label, str) or vocabulary.heading_key(label) not in keys:
            self.add(
                "total.label",
                f"合计行应写 {'、'.join(vocabulary.TOTAL_LABELS)} 之一，而不是 {label!r}",
                label,
            )

    def _texts(self) -> None:
        texts = self.data.get("texts", {})
        if not isinstance(texts, dict):
            self.add("texts", "应为一个表 [texts]")
            return
        for key, text in texts.items():
            where = f"texts.{key}"
            if not isinstance(text, str):
                self.add(where, "应为文字")
                continue
            if (why := text_problem(text)) is not None:
                self.add(where, why)
            self._words(where, text, where)


_AUTOMATIC = {
    "funds.points", "funds.stated_score", "stated_points_total", "stated_total", "grade",
    *(f"funds.total.{a}" for a in ("initial_budget", "annual_budget", "executed", "stated_rate")),
}  # fmt: skip
"""Fields every layout places itself: the funds block's and the total row's."""


def _get(data: dict[str, Any], section: str, key: str) -> Any:
    value = data.get(section)
    return value.get(key) if isinstance(value, dict) else None


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _first_text(row: list[Any]) -> str | None:
    for cell in row:
        text = cell if isinstance(cell, str) else cell.get("v") if isinstance(cell, dict) else None
        if isinstance(text, str):
            return text
    return None

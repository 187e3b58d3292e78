"""The form layouts (表样) as data: the one description the template writer and the
workbook reader share. No other module knows a cell address.

Each official shape is a file ``selfeval/layouts/<name>.toml`` (its title, header lines,
funds block, indicator columns, total row and closing lines, with field words taken
from :mod:`selfeval.form.vocabulary`); :func:`build_layout` turns it into a :class:`Layout`
with every address resolved. Shipped: ``standard`` (财政项目支出绩效自评表),
``appraisal`` (项目自评价情况表), ``national`` (财预〔2020〕10号 项目支出绩效自评表) and
``sichuan`` (部门预算项目支出绩效自评表, target split over three columns). A maintainer
adds a province by adding a file. Every layout lives on the sheet :data:`SHEET`
(自评表) with the instructions on :data:`INSTRUCTIONS_SHEET` (填表说明).

Public API (stable; the reader relies on it)
--------------------------------------------
``build_layout(name, sizes=None) -> Layout``
    Layout ``name`` with ``sizes`` indicator rows per 一级指标 block
    (``{"产出指标": 10, ...}``; default :data:`BLANK_SIZES`).
``layout_for(source, name=None) -> Layout | None``
    The layout of a generated workbook, from an openpyxl ``Workbook`` or a mapping of
    defined names to addresses (``Grid.names``). ``name`` is the layout the workbook
    records (document property :data:`LAYOUT_PROPERTY`); without it the layout is
    recognised by where its names point. Block sizes come from the ``SE_rows_*``
    names, and every scalar field takes the address its defined name holds, so rows
    the user inserted are followed. None when the names are not ours.
``Layout.fields`` / ``Layout.cell(path)`` / ``Layout.kind(path)`` / ``Layout.formula(path, profile)``
    Field path -> A1 address (``header.project``, ``funds.total.annual_budget``,
    ``funds.stated_score``, ``stated_total``, ``grade``, ``category_points.产出指标``,
    ``signoff.reviewer`` ...); ``indicators[i].<column>`` for table cells; whether a
    field is ``input``, ``computed`` (a formula) or ``text`` (generated words); the
    canonical formula of a computed field under a profile (compare with
    :func:`same_formula`).
``Layout.names``
    Defined name -> absolute range (``SE_project``, ``SE_funds_score``, ``SE_ind_score``
    over the table column, ``SE_rows_output`` / ``_benefit`` / ``_satisfaction`` /
    ``_all`` over the rows).
``Layout.columns`` / ``Layout.funds_rows`` / ``Layout.pieces``
    Indicator column (``level1`` ... ``reason``, or ``target_nature`` /
    ``target_value`` / ``target_unit`` for a split target) -> letter; the funds rows
    printed; everything outside the indicator rows as (range, content), where content
    is a label, ``@field.path`` or ``#text_key``.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from selfeval.errors import LayoutError
from selfeval.form import vocabulary
from selfeval.form.a1 import column_letter as letter
from selfeval.form.a1 import column_number as _column_number
from selfeval.form.model import LEVEL1_NAMES
from selfeval.form.safe_text import is_formula_like
from selfeval.grammar.targets import join_target
from selfeval.profiles.policy import Profile, load_profile, profile_from_settings

SHEET = "自评表"
INSTRUCTIONS_SHEET = "填表说明"
LAYOUT_PROPERTY = "selfeval.layout"
PROFILE_PROPERTY = "selfeval.profile"
DESCRIPTION_PROPERTY = "selfeval.layout.description"
"""Custom document properties of a template: its layout name, its profile (JSON) and its
layout's whole description (JSON), so that any installation reads it."""

LAYOUTS_VARIABLE = "SELFEVAL_LAYOUTS"
"""Environment variable naming an office's own folders of layout files (``os.pathsep``
between several); they are searched before the shipped layouts."""

DEFAULT_LAYOUT = "standard"
"""The layout of a form that names none (a project list entry without 表样)."""
Kind = Literal["input", "computed", "text"]


LEVEL_KEYS: dict[str, str] = {
    "产出指标": "output",
    "效益指标": "benefit",
    "满意度指标": "satisfaction",
}
"""一级指标 -> the ASCII key used in defined names."""

BLANK_SIZES: dict[str, int] = {"产出指标": 10, "效益指标": 10, "满意度指标": 3}
"""Indicator rows per block in a blank template: more than any seed form uses."""

SPLIT_TARGET = ("target_nature", "target_value", "target_unit")
"""A target printed over three columns: 指标性质 | 指标值 | 度量单位."""

AMOUNTS = ("initial_budget", "annual_budget", "executed")
"""The funds block's amount columns: 年初预算数, 全年预算数, 全年执行数."""

CHECK_WIDTHS = (12, 10, 10)
"""The 校验区 beside the form (not printed), after a narrow gap column."""
GAP_WIDTH = 2

_VOCABULARY: dict[str, dict[str, vocabulary.Term]] = {
    "header": vocabulary.HEADER_FIELDS,
    "funds": vocabulary.FUNDS_COLUMNS,
    "funds_row": vocabulary.FUNDS_ROWS,
    "goal": vocabulary.GOAL_COLUMNS,
    "indicator": vocabulary.INDICATOR_COLUMNS | vocabulary.SPLIT_TARGET_COLUMNS,
}

# -- formulas -------------------------------------------------------------------------
# Placeholders in braces: a field path (its relative address), ``col.<field>`` (the
# indicator column over the whole table, so rows inserted inside are counted), and
# profile parameters. Only functions Excel 2010, WPS and LibreOffice share.

_RATE = (
    "IF(AND(ISNUMBER({funds.%(row)s.annual_budget}),ISNUMBER({funds.%(row)s.executed})),"
    "IF({funds.%(row)s.annual_budget}>0,"
    "{rate_fn}({funds.%(row)s.executed}/{funds.%(row)s.annual_budget},{rate_decimals}),"
    '""),"")'
)
_FUNDS_SCORE = (
    "IF(AND(ISNUMBER({funds.total.annual_budget}),ISNUMBER({funds.total.executed}),"
    "ISNUMBER({funds.points})),IF({funds.total.annual_budget}>0,"
    "ROUND(MIN({score_rate},1)*{funds.points},"
    '{funds_decimals}),""),"")'
)
_POINTS_TOTAL = "ROUND(SUM({funds.points},{col.points}),2)"
_TOTAL = 'IF(ISNUMBER({funds.stated_score}),ROUND({funds.stated_score}+SUM({col.score}),2),"")'
_GRADE = 'IF(ISNUMBER({stated_total}),{grade_if},"")'
# The wildcard also counts a first-level cell carrying its weight, 产出指标 (50分).
_SUBTOTAL = 'SUMIF({col.level1},"%(level)s*",{col.points})'


@dataclass(frozen=True)
class FieldSpec:
    """A scalar field: its defined name, kind and (for computed fields) formula."""

    path: str
    name: str
    kind: Kind
    formula: str | None = None


_FUNDS_SHORT = {"initial_budget": "initial", "annual_budget": "budget", "executed": "executed"}
_SIGNOFF = {
    "reviewer": "SE_reviewer",  # 审核人
    "preparer": "SE_preparer",  # 填报人
    "date": "SE_fill_date",  # 填报日期
    "conclusion": "SE_conclusion",  # 评价结论
    "problems": "SE_problems",  # 存在问题
    "measures": "SE_measures",  # 改进措施
    "leader": "SE_leader",  # 项目负责人
    "finance_leader": "SE_finance_leader",  # 财务负责人
}


def _all_fields() -> list[FieldSpec]:
    """Every field a layout may place, in the order their defined names are written."""
    specs = [
        FieldSpec("header.year", "SE_year", "text"),
        FieldSpec("header.project", "SE_project", "input"),
        FieldSpec("header.department", "SE_department", "input"),
        FieldSpec("header.implementer", "SE_implementer", "input"),
        FieldSpec("funds.unit", "SE_funds_unit", "text"),
        FieldSpec("funds.points", "SE_funds_points", "input"),
        FieldSpec("funds.stated_score", "SE_funds_score", "computed", _FUNDS_SCORE),
        FieldSpec("goals.planned", "SE_goal_planned", "input"),
        FieldSpec("goals.achieved", "SE_goal_achieved", "input"),
        FieldSpec("stated_points_total", "SE_points_total", "computed", _POINTS_TOTAL),
        FieldSpec("stated_total", "SE_total_score", "computed", _TOTAL),
        FieldSpec("grade", "SE_grade", "computed", _GRADE),
        FieldSpec("profile", "SE_profile", "text"),
    ]
    for row in vocabulary.FUNDS_ROWS:
        for attr, short in _FUNDS_SHORT.items():
            specs.append(FieldSpec(f"funds.{row}.{attr}", f"SE_funds_{row}_{short}", "input"))
        path = f"funds.{row}.stated_rate"
        specs.append(FieldSpec(path, f"SE_funds_{row}_rate", "computed", _RATE % {"row": row}))
    for level, key in LEVEL_KEYS.items():
        specs.append(FieldSpec(f"category_weights.{level}", f"SE_weight_{key}", "input"))
        subtotal = _SUBTOTAL % {"level": level}
        specs.append(
            FieldSpec(f"category_points.{level}", f"SE_points_{key}", "computed", subtotal)
        )
    specs += [FieldSpec(f"signoff.{k}", name, "input") for k, name in _SIGNOFF.items()]
    return specs


_FIELDS: dict[str, FieldSpec] = {s.path: s for s in _all_fields()}
_REQUIRED = [
    *(f"header.{k}" for k in ("year", "project", "department", "implementer")),
    *(f"funds.total.{a}" for a in (*AMOUNTS, "stated_rate")),
    *("funds.unit", "funds.points", "funds.stated_score", "goals.planned", "goals.achieved"),
    *("stated_points_total", "stated_total", "grade"),
]
"""Fields every layout must place (the reader and the rules need them)."""


# -- the layout file ------------------------------------------------------------------

Cell = tuple[str, int, int]  # content, columns, rows


Years = tuple[int | None, int | None]
"""The years a layout is in force: first and last, None for open."""


# eq=False: a spec is hashed by identity, so the layouts built from it are cached per spec.
@dataclass(frozen=True, eq=False)
class LayoutSpec:
    """One layout file, parsed: rows of cells and the table's columns, no addresses yet."""

    name: str
    title: str
    description: str
    unit: str
    widths: tuple[float, ...]
    head: list[list[Cell]]
    funds: list[list[Cell]]
    funds_rows: tuple[str, ...]
    middle: list[list[Cell]]
    table_columns: tuple[str, ...]
    table_headings: tuple[str, ...]
    outer: str | None
    level_weights: bool
    total_label: str
    closing: list[list[Cell]]
    closing_borders: bool  # whether the closing lines are ruled like the form
    texts: dict[str, str]
    years: Years = (None, None)
    origin: str = ""  # where the description came from, for messages
    data: dict[str, Any] = field(default_factory=dict, repr=False)  # the file, parsed

    @property
    def width(self) -> int:
        return len(self.widths)

    def in_force(self, year: int) -> bool:
        first, last = self.years
        return (first is None or first <= year) and (last is None or year <= last)

    @property
    def years_text(self) -> str:
        """The years in Chinese: ``2023 年起``, ``2021—2022 年``, ``各年度``."""
        return years_text(self.years)


def layouts_folder() -> Any:
    """Where the shipped layout files are: ``selfeval/layouts`` in the package."""
    return resources.files("selfeval") / "layouts"


def office_folders() -> tuple[Path, ...]:
    """The office's own folders of layouts (:data:`LAYOUTS_VARIABLE`), in order."""
    value = os.environ.get(LAYOUTS_VARIABLE, "")
    return tuple(Path(part) for part in value.split(os.pathsep) if part.strip())


@dataclass(frozen=True)
class _Entry:
    """One layout file found: its name, years and parsed spec."""

    name: str
    spec: LayoutSpec


def _catalogue() -> tuple[_Entry, ...]:
    """Every layout file: the office's folders first, then the shipped ones."""
    entries: list[_Entry] = []
    for folder in office_folders():
        try:
            files = sorted(p for p in folder.iterdir() if p.suffix == ".toml" and p.is_file())
        except OSError:
            raise LayoutError(
                f"环境变量 {LAYOUTS_VARIABLE} 所指的表样文件夹 {folder} 无法打开"
            ) from None
        for path in files:
            stat = path.stat()
            spec = _file_spec(str(path), stat.st_mtime_ns, stat.st_size)
            entries.append(_Entry(spec.name, spec))
    return (*entries, *_shipped())


# Kept for speed, with _file_spec and _built: the layout files are parsed once, not per
# workbook (bench_validate_folder, 1,000 template-built forms, one process: 4.1 s -> 2.1 s CPU).
@cache
def _shipped() -> tuple[_Entry, ...]:
    folder = layouts_folder()
    found = sorted(p.name for p in folder.iterdir() if p.name.endswith(".toml"))
    shanghai = [f"{n}.toml" for n in ("standard", "appraisal") if f"{n}.toml" in found]
    entries = []
    for file in (*shanghai, *(n for n in found if n not in shanghai)):
        text = (folder / file).read_text(encoding="utf-8")
        spec = spec_from_text(text, file[:-5], f"selfeval/layouts/{file}")
        entries.append(_Entry(spec.name, spec))
    return tuple(entries)


@lru_cache(maxsize=64)
def _file_spec(path: str, mtime_ns: int, size: int) -> LayoutSpec:
    """A layout file parsed (keyed by its time and size, so an edited file is read again)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise LayoutError(f"表样文件 {path} 无法读取：{exc}") from None
    return spec_from_text(text, Path(path).stem, path)


def shipped_layouts() -> tuple[str, ...]:
    """Names of the layouts shipped in the package (Shanghai's two first)."""
    return tuple(dict.fromkeys(e.name for e in _shipped()))


def available_layouts() -> tuple[str, ...]:
    """Names of every layout: the office's folders' (:data:`LAYOUTS_VARIABLE`), then the
    shipped ones."""
    return tuple(dict.fromkeys(e.name for e in _catalogue()))


def is_layout_path(ref: str) -> bool:
    """Whether ``ref`` names a file (``my.toml``, ``layouts/my``) rather than a layout."""
    return ref.endswith(".toml") or "/" in ref or os.sep in ref


def layout_versions(name: str) -> tuple[LayoutSpec, ...]:
    """Every file of the layout ``name``, the office's first."""
    return tuple(e.spec for e in _catalogue() if e.name == name)


def layout_spec(ref: str | LayoutSpec, year: int | None = None) -> LayoutSpec:
    """The layout ``ref``: a spec as it is, a ``.toml`` path, or a name looked up in the
    office's folders and then among the shipped layouts. With ``year``, the version in
    force that year (LayoutError when there is none); without, this year's (or the first)."""
    if isinstance(ref, LayoutSpec):
        spec = ref
    elif is_layout_path(ref):
        path = Path(ref)
        if not path.is_file():
            raise LayoutError(f"找不到表样文件 {ref}")
        stat = path.stat()
        spec = _file_spec(str(path), stat.st_mtime_ns, stat.st_size)
    else:
        versions = layout_versions(ref)
        if not versions:
            raise LayoutError(
                f"没有名为“{ref}”的表样，可选：{'、'.join(available_layouts())}，"
                "也可以给出一个 .toml 表样文件的路径"
            )
        when = year if year is not None else datetime.date.today().year
        spec = next((v for v in versions if v.in_force(when)), None)
        if spec is None and year is None:
            spec = versions[0]
        if spec is None:
            shown = "；".join(f"{v.origin}（{v.years_text}）" for v in versions)
            raise LayoutError(f"表样“{ref}”没有适用于 {year} 年度的版本：{shown}")
    if year is not None and not spec.in_force(year):
        raise LayoutError(
            f"表样“{spec.name}”（{spec.origin}）适用于{spec.years_text}，不适用于 {year} 年度"
        )
    return spec


def spec_from_text(text: str, name: str, origin: str) -> LayoutSpec:
    """A layout file's text parsed; ``name`` is used when the file names none."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LayoutError(f"表样文件 {origin} 格式错误：{exc}") from None
    return spec_from_data(data, name, origin)


def spec_from_data(data: dict[str, Any], name: str, origin: str) -> LayoutSpec:
    """A layout from its parsed description (a file's, or one a template carries)."""
    try:
        return _spec(str(data.get("name", name)), data, origin)
    except LayoutError as exc:
        raise LayoutError(
            f"表样 {origin} 有误：{exc}（selfeval layout check 可列出全部问题）"
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise LayoutError(
            f"表样 {origin} 有误：{exc!r}（selfeval layout check 可列出全部问题）"
        ) from None


_YEARS = re.compile(r"\s*((?:19|20|21)\d\d)?\s*(-)?\s*((?:19|20|21)\d\d)?\s*")


def parse_years(text: Any) -> Years:
    """``"2023-"`` -> (2023, None); ``"2021-2022"``, ``"-2022"``, ``"2024"``; ValueError
    naming what is wrong otherwise."""
    match = _YEARS.fullmatch(str(text)) if isinstance(text, (str, int)) else None
    if match is None or not (match[1] or match[3]):
        raise ValueError(f'years 应写成 "2023-"、"2021-2022"、"-2022" 或 "2024"，而不是 {text!r}')
    first = int(match[1]) if match[1] else None
    last = int(match[3]) if match[3] else (first if not match[2] else None)
    if first is not None and last is not None and last < first:
        raise ValueError(f"years {text!r} 的结束年度早于开始年度")
    return first, last


def years_text(years: Years) -> str:
    first, last = years
    if first is None and last is None:
        return "各年度"
    if last is None:
        return f"{first} 年起"
    if first is None:
        return f"{last} 年及以前"
    return f"{first} 年" if first == last else f"{first}—{last} 年"


def _spec(name: str, data: dict[str, Any], origin: str = "") -> LayoutSpec:
    table = data["table"]
    columns = tuple(table["columns"])
    table_words = table.get("words", {})
    headings = tuple(_word("indicator", c, table_words.get(c)) for c in columns)
    funds, funds_rows = _funds_rows_of(data["funds"])
    total = data["total"]["label"]
    if vocabulary.heading_key(total) not in map(vocabulary.heading_key, vocabulary.TOTAL_LABELS):
        raise LayoutError(f"合计行“{total}”不在 vocabulary.TOTAL_LABELS 中")
    spec = LayoutSpec(
        name=name,
        title=_printable(data["title"]),
        description=data.get("description", data["title"]),
        unit=data.get("unit", "元"),
        widths=tuple(float(w) for w in data["widths"]),
        head=_rows(data.get("head", [])),
        funds=funds,
        funds_rows=funds_rows,
        middle=_rows(data.get("middle", {}).get("rows", [])),
        table_columns=columns,
        table_headings=headings,
        outer=_words_in(table["outer"]) if "outer" in table else None,
        level_weights=bool(table.get("level_weights", False)),
        total_label=total,
        closing=_rows(data.get("closing", {}).get("rows", [])),
        closing_borders=bool(data.get("closing", {}).get("borders", False)),
        texts={k: _text_of(k, v) for k, v in data.get("texts", {}).items()},
        years=parse_years(data["years"]) if "years" in data else (None, None),
        origin=origin or name,
        data=data,
    )
    if {"target", *SPLIT_TARGET} & set(columns) not in ({"target"}, set(SPLIT_TARGET)):
        raise LayoutError(
            "指标值应为 target 一列，或 target_nature、target_value、target_unit 三列"
        )
    missing = [c for c in _TABLE_REQUIRED if c not in columns]
    if missing or len(set(columns)) != len(columns):
        raise LayoutError(f"指标表缺少列 {missing}，或有重复的列")
    return spec


TEXT_NAMES = (
    "year",
    "unit",
    "funds_share",
    "table_share",
    "funds_points",
    "table_points",
    "profile.title",
    "profile.name",
)
"""What a ``[texts]`` entry may print, each as ``{{ name }}``."""
_TEXT_VAR = re.compile(r"{{\s*([\w.]+)\s*}}")


def text_problem(text: str) -> str | None:
    """Why a ``[texts]`` entry cannot be printed, None when it can: only ``{{ name }}``
    of :data:`TEXT_NAMES` (a description a workbook carries must not run code)."""
    unknown = [m[1] for m in _TEXT_VAR.finditer(text) if m[1] not in TEXT_NAMES]
    if unknown:
        return f"“{{{{ {unknown[0]} }}}}”不能用，可用：{'、'.join(TEXT_NAMES)}"
    rest = _TEXT_VAR.sub("", text)
    if any(mark in rest for mark in ("{{", "}}", "{%", "%}", "{#")):
        return "只能写 {{ 名称 }}，不能有其他 {{ }}、{% %} 或 {# #}"
    return None


def _text_of(key: str, text: str) -> str:
    if (why := text_problem(text)) is not None:
        raise LayoutError(f"texts.{key}：{why}")
    return _words_in(text)


_TABLE_REQUIRED = ("level1", "level2", "name", "actual", "points", "score", "reason")


def _rows(rows: list[list[Any]]) -> list[list[Cell]]:
    return [[_cell(c) for c in row] for row in rows]


def _cell(cell: Any) -> Cell:
    if isinstance(cell, str):
        return (_words_in(cell), 1, 1)
    return (_words_in(cell["v"]), int(cell.get("cols", 1)), int(cell.get("rows", 1)))


def _funds_rows_of(funds: dict[str, Any]) -> tuple[list[list[Cell]], tuple[str, ...]]:
    """The funds block as rows of cells: a heading row, then one row per funds row."""
    columns, rows = funds["columns"], tuple(funds["rows"])
    if rows[0] != "total" or "total" in rows[1:]:
        raise LayoutError("funds.rows 应以 total（年度资金总额）开头")
    words, spans = funds.get("words", {}), funds.get("spans", {})
    headings, marks = funds.get("headings", {}), funds.get("sub_marks", {})
    label_cols = int(funds.get("label_cols", 1))
    heading: list[Cell] = []
    if "label" in funds:
        label = _cell(funds["label"])
        heading.append((label[0], label[1], len(rows) + 1))
    heading.append((_words_in(funds.get("corner", "")), label_cols, 1))
    for col in columns:
        text = headings.get(col) or _word("funds", col, words.get(col))
        heading.append((_words_in(text), int(spans.get(col, 1)), 1))
    block = [heading]
    for i, row in enumerate(rows):
        label = _word("funds_row", row, words.get(row))
        cells = [(f"其中：{label}" if i == 1 else label, label_cols, 1)]
        for col in columns:
            content = _funds_cell(row, col, bool(funds.get("sub_rates", False)))
            cells.append((content or _printable(marks.get(col, "")), int(spans.get(col, 1)), 1))
        block.append(cells)
    return block, rows


def _funds_cell(row: str, col: str, sub_rates: bool) -> str | None:
    if col in AMOUNTS:
        return f"@funds.{row}.{col}"
    if col == "stated_rate" and (row == "total" or sub_rates):
        return f"@funds.{row}.stated_rate"
    if row == "total":
        return {"points": "@funds.points", "score": "@funds.stated_score"}[col]
    return None


_WORD_REF = re.compile(r"<(\w+)\.(\w+)(?:=([^<>]+))?>")


def _words_in(text: str) -> str:
    """``<table.key>`` / ``<table.key=word>`` replaced by the vocabulary's word."""
    return _WORD_REF.sub(lambda m: _word(m[1], m[2], m[3]), _printable(text))


def _printable(text: str) -> str:
    """A text the writer prints as it is: never one a spreadsheet would run as a formula
    (a description a workbook carries is not trusted)."""
    if not isinstance(text, str):
        raise LayoutError(f"应为文字，而不是 {text!r}")
    if is_formula_like(text) and not text.startswith(("@", "#")):  # not fields and text keys
        raise LayoutError(f"“{text[:20]}”以 = + - 开头，会被当作公式；请在前面加文字或改写")
    return text


def _word(table: str, key: str, word: str | None) -> str:
    """A field's printed word: the vocabulary's label, or another word of the same field."""
    terms = _VOCABULARY.get(table, {})
    if key not in terms:
        raise LayoutError(f"词表中没有 {table}.{key}")
    term = terms[key]
    if word is None:
        return term.label
    if vocabulary.heading_key(word) not in {vocabulary.heading_key(w) for w in term.words}:
        raise LayoutError(f"“{word}”不是词表中 {table}.{key} 的说法（{'、'.join(term.words)}）")
    return word


# -- placing cells --------------------------------------------------------------------


def _place(rows: list[list[Cell]], first_row: int) -> tuple[list[tuple[str, str]], int]:
    """Pieces of rows of cells placed left to right from ``first_row``; the next free row."""
    pieces: list[tuple[str, str]] = []
    taken: set[tuple[int, int]] = set()
    for r, row in enumerate(rows, start=first_row):
        c = 1
        for content, cols, nrows in row:
            while (r, c) in taken:
                c += 1
            ref = _range(c, r, c + cols - 1, r + nrows - 1)
            taken |= {(rr, cc) for rr in range(r, r + nrows) for cc in range(c, c + cols)}
            pieces.append((ref, content))
            c += cols
    return pieces, first_row + len(rows)


def _range(c1: int, r1: int, c2: int, r2: int) -> str:
    first = f"{letter(c1)}{r1}"
    return first if (c1, r1) == (c2, r2) else f"{first}:{letter(c2)}{r2}"


def range_bounds(ref: str) -> tuple[int, int, int, int]:
    """``B3:D4`` -> (min_col, min_row, max_col, max_row), 1-based."""
    parts = [_CELL.fullmatch(p.replace("$", "")) for p in ref.split(":")]
    if not all(parts):
        raise ValueError(f"not a range: {ref!r}")
    (c1, r1), (c2, r2) = [(_column_number(m[1]), int(m[2])) for m in (parts[0], parts[-1])]
    return c1, r1, c2, r2


_CELL = re.compile(r"([A-Z]{1,3})([1-9][0-9]*)")


def _check_pieces(first_col: int) -> list[tuple[str, str]]:
    """The 校验区 beside the form: weights and subtotals per 一级指标, and the profile."""
    j, k, lc = (letter(first_col + i) for i in range(3))
    pieces = [(f"{j}1:{lc}1", "校验区（不打印）"), (f"{j}2", "一级指标")]
    pieces += [(f"{k}2", f"应得{vocabulary.POINTS}"), (f"{lc}2", f"{vocabulary.POINTS}小计")]
    for r, level in enumerate(LEVEL1_NAMES, start=3):
        pieces += [(f"{j}{r}", level), (f"{k}{r}", f"@category_weights.{level}")]
        pieces.append((f"{lc}{r}", f"@category_points.{level}"))
    return [*pieces, (f"{j}6", "评分口径"), (f"{k}6:{lc}6", "@profile")]


# -- the layout --------------------------------------------------------------------


@dataclass
class Layout:
    """One layout with concrete block sizes: every address resolved."""

    spec: LayoutSpec
    blocks: dict[str, tuple[int, int]]  # 一级指标 -> (first row, last row)
    table_header_row: int
    pieces: list[tuple[str, str]]  # resolved ranges, see the module docstring
    fields: dict[str, str] = field(default_factory=dict)
    specs: dict[str, FieldSpec] = field(default_factory=dict)
    columns: dict[str, str] = field(default_factory=dict)
    sheet: str = SHEET

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def funds_rows(self) -> tuple[str, ...]:
        return self.spec.funds_rows

    @property
    def first_row(self) -> int:
        return min(first for first, _ in self.blocks.values())

    @property
    def last_row(self) -> int:
        return max(last for _, last in self.blocks.values())

    @property
    def total_row(self) -> int:
        return self.last_row + 1

    @property
    def last_column(self) -> str:
        """The last printed column (the form is columns A to this one)."""
        return letter(self.spec.width)

    @property
    def check_columns(self) -> str:
        """The 校验区 (J:L for an eight-column form), outside the print area."""
        first = self.spec.width + 2
        return f"{letter(first)}:{letter(first + len(CHECK_WIDTHS) - 1)}"

    @property
    def widths(self) -> dict[str, float]:
        """Column letter -> width, the gap and the 校验区 included."""
        widths = {letter(i): w for i, w in enumerate(self.spec.widths, start=1)}
        widths[letter(self.spec.width + 1)] = GAP_WIDTH
        first = self.spec.width + 2
        return widths | {letter(first + i): w for i, w in enumerate(CHECK_WIDTHS)}

    @property
    def last_print_row(self) -> int:
        return max(range_bounds(ref)[3] for ref, _ in self.pieces)

    @property
    def print_area(self) -> str:
        return f"A1:{self.last_column}{self.last_print_row}"

    def indicator_rows(self) -> list[int]:
        return list(range(self.first_row, self.last_row + 1))

    def block_of(self, row: int) -> str | None:
        for level, (first, last) in self.blocks.items():
            if first <= row <= last:
                return level
        return None

    def column_range(self, name: str) -> str:
        """The table range of one indicator column, e.g. ``F13:F35``."""
        col = self.columns[name]
        return f"{col}{self.first_row}:{col}{self.last_row}"

    def rows_range(self, first: int, last: int) -> str:
        """Table rows ``first`` to ``last`` across every column (the outer one included)."""
        return f"A{first}:{self.last_column}{last}"

    def cell(self, path: str) -> str:
        """A1 address of a scalar field or of ``indicators[i].<field>``."""
        match = _INDICATOR_PATH.fullmatch(path)
        if match:
            i, name = int(match[1]), match[2]
            if not 0 <= i < len(self.indicator_rows()) or name not in self.columns:
                raise KeyError(path)
            return f"{self.columns[name]}{self.first_row + i}"
        return self.fields[path]

    def kind(self, path: str) -> Kind:
        if _INDICATOR_PATH.fullmatch(path):
            return "input"
        return self.specs[path].kind

    def formula(self, path: str, profile: Profile | None = None) -> str | None:
        """The canonical formula of a computed field, None for other fields."""
        spec = self.specs.get(path)
        if spec is None or spec.formula is None:
            return None
        values = _profile_values(profile)

        def resolve(match: re.Match[str]) -> str:
            key = match[1]
            if key.startswith("col."):
                return self.column_range(key[4:])
            return values[key] if key in values else self.fields[key]

        text = _PLACEHOLDER.sub(resolve, spec.formula)
        # grade_if and score_rate contain placeholders of their own (addresses).
        return "=" + _PLACEHOLDER.sub(resolve, text)

    @property
    def names(self) -> dict[str, str]:
        """Defined name -> absolute range (``$B$3``, ``$F$13:$F$35``)."""
        names = {spec.name: absolute(self.fields[p]) for p, spec in self.specs.items()}
        for name in self.columns:
            names[f"SE_ind_{name}"] = absolute(self.column_range(name))
        for level, (first, last) in self.blocks.items():
            names[f"SE_rows_{LEVEL_KEYS[level]}"] = absolute(self.rows_range(first, last))
        names["SE_rows_all"] = absolute(self.rows_range(self.first_row, self.last_row))
        return names


_INDICATOR_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def build_layout(
    ref: str | LayoutSpec, sizes: Mapping[str, int] | None = None, year: int | None = None
) -> Layout:
    """Layout ``ref`` (a name, a ``.toml`` path or a spec; see :func:`layout_spec`) with
    ``sizes`` rows per 一级 block (at least one each)."""
    sizes = {**BLANK_SIZES, **(sizes or {})}
    key = tuple(max(1, int(sizes[level])) for level in LEVEL1_NAMES)
    built = _built(layout_spec(ref, year), key)
    return dataclasses.replace(built, blocks=dict(built.blocks), fields=dict(built.fields))


@lru_cache(maxsize=512)
def _built(spec: LayoutSpec, sizes: tuple[int, ...]) -> Layout:
    top, row = _place(spec.head, 1)
    funds, row = _place(spec.funds, row)
    middle, header_row = _place(spec.middle, row)
    first_col = 2 if spec.outer is not None else 1
    columns = {c: letter(i) for i, c in enumerate(spec.table_columns, start=first_col)}
    blocks, row = {}, header_row + 1
    for level, n in zip(LEVEL1_NAMES, sizes, strict=True):
        blocks[level] = (row, row + n - 1)
        row += n
    total = row
    header = [
        (f"{columns[c]}{header_row}", h) for c, h in zip(columns, spec.table_headings, strict=True)
    ]
    if spec.outer is not None:
        header.insert(0, (f"A{header_row}:A{total - 1}", spec.outer))
    points, score = (_column_number(columns[c]) for c in ("points", "score"))
    bottom = [
        (_range(1, total, points - 1, total), spec.total_label),
        (f"{columns['points']}{total}", "@stated_points_total"),
        (f"{columns['score']}{total}", "@stated_total"),
        (_range(score + 1, total, spec.width, total), "@grade"),
    ]
    closing, _ = _place(spec.closing, total + 1)
    pieces = top + funds + middle + _check_pieces(spec.width + 2) + header + bottom + closing
    fields = {c[1:]: ref.split(":")[0] for ref, c in pieces if c.startswith("@")}
    unknown = sorted(set(fields) - set(_FIELDS))
    missing = sorted(set(_REQUIRED) - set(fields))
    if unknown or missing:
        raise LayoutError(f"表样 {spec.origin}：未知字段 {unknown}，缺少字段 {missing}")
    specs = {p: s for p, s in _FIELDS.items() if p in fields}
    return Layout(spec, blocks, header_row, pieces, fields, specs, columns)


def layout_for(
    source: Any, name: str | None = None, carried: LayoutSpec | None = None
) -> Layout | None:
    """The layout of a generated workbook (openpyxl Workbook or names -> address).

    Tried in turn: ``carried`` (the description the workbook carries, see
    :func:`carried_spec`), the files of the layout ``name`` the workbook records, and
    when there are none every layout there is. None when the names are not ours."""
    if hasattr(source, "custom_doc_props"):  # an openpyxl Workbook
        props = {p.name: p.value for p in source.custom_doc_props.props}
        name = name or props.get(LAYOUT_PROPERTY)
        carried = carried or carried_spec(props.get(DESCRIPTION_PROPERTY))
    names = _names_of(source)
    found = {}
    for level, key in LEVEL_KEYS.items():
        ref = names.get(f"SE_rows_{key}")
        if ref is None:
            return None
        _, first, _, last = range_bounds(ref)
        found[level] = (first, last)
    try:
        installed = layout_versions(name) if name else ()
        candidates = installed or tuple(e.spec for e in _catalogue())
    except LayoutError:  # the office's folder cannot be opened: the carried one may do
        candidates = ()
    for candidate in (carried, *candidates) if carried else candidates:
        try:
            blank = _built(candidate, _BLANK_KEY)
        except LayoutError:
            continue
        if not _matches(blank, names):
            continue
        layout = build_layout(candidate, {lvl: b[1] - b[0] + 1 for lvl, b in found.items()})
        layout.blocks = found  # rows inserted above the table shift it
        for path, spec in layout.specs.items():
            if spec.name in names:
                layout.fields[path] = names[spec.name].replace("$", "")
        return layout
    return None


_BLANK_KEY = tuple(BLANK_SIZES[level] for level in LEVEL1_NAMES)


# -- the description a template carries -----------------------------------------------


# Kept for speed: every template-built form's carried description is compared with the
# installed file's (bench_validate_folder, 1,000 template-built forms: 0.06 ms of 2.6 ms a form).
@lru_cache(maxsize=256)
def description_json(spec: LayoutSpec) -> str:
    """The layout's whole description as the template carries it (JSON)."""
    data = {**spec.data, "name": spec.name}
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


# Kept for speed: every template of a folder carries one of a few descriptions.
@lru_cache(maxsize=64)
def carried_spec(text: str | None) -> LayoutSpec | None:
    """The layout a template carries (:data:`DESCRIPTION_PROPERTY`), None when it carries
    none or one this installation cannot use (then the files are used)."""
    if not text:
        return None
    try:
        data = json.loads(text)
        if not isinstance(data, dict):
            return None
        return spec_from_data(data, str(data.get("name", "")), "模板自带的表样")
    except (ValueError, LayoutError):  # LayoutError is a ValueError; cut short, or newer
        return None


def differing_file(carried: LayoutSpec) -> LayoutSpec | None:
    """An installed file of the carried layout's name whose description differs from
    the carried one (none of the same name is the same); None when one is the same or
    none is installed."""
    try:
        versions = layout_versions(carried.name)
    except LayoutError:
        return None
    mine = description_json(carried)
    if not versions or any(description_json(v) == mine for v in versions):
        return None
    return versions[0]


def _matches(layout: Layout, names: Mapping[str, str]) -> bool:
    """Whether defined names were written by this layout: the project cell and the
    table's columns are where the layout puts them."""
    if names.get("SE_project", "").replace("$", "") != layout.fields["header.project"]:
        return False
    for column, col in layout.columns.items():
        ref = names.get(f"SE_ind_{column}")
        if ref is None or range_bounds(ref)[0] != _column_number(col):
            return False
    return True


def _names_of(source: Any) -> dict[str, str]:
    """Defined names -> address without the sheet part."""
    if isinstance(source, Mapping):
        return {k: v.split("!")[-1] for k, v in source.items()}
    names = {}
    for name, defined in source.defined_names.items():
        for sheet, ref in defined.destinations:
            if sheet == SHEET:
                names[name] = ref
    return names


# -- split targets --------------------------------------------------------------------

_SPLIT = re.compile(r"(\D*?)(\d+(?:\.\d+)?)(.*)", re.S)
QUALITATIVE = "定性"


def split_target(target: str) -> tuple[str, str, str]:
    """``≥90%`` -> (``≥``, ``90``, ``%``); a target without a number is (定性, text, "").

    Joining the parts again (:func:`join_target`) gives the target back exactly."""
    if not target:
        return ("", "", "")
    match = _SPLIT.fullmatch(target)
    if match is None:
        return (QUALITATIVE, target, "")
    parts = (match[1], match[2], match[3])
    return parts if join_target(*parts) == target else ("", target, "")


# -- document properties --------------------------------------------------------------


def template_properties(layout: LayoutSpec, profile: Profile) -> dict[str, str]:
    """The custom document properties a template records: its layout's name and whole
    description, and its profile (every setting): JSON, so that neither file need be at
    hand to read it."""
    settings = json.dumps(profile.settings, ensure_ascii=False)
    return {
        LAYOUT_PROPERTY: layout.name,
        PROFILE_PROPERTY: settings,
        DESCRIPTION_PROPERTY: description_json(layout),
    }


def profile_of(properties: Mapping[str, str]) -> Profile | None:
    """The profile a template recorded (:func:`template_properties`), None if unreadable."""
    text = properties.get(PROFILE_PROPERTY)
    return _recorded_profile(text) if text else None


# Kept for speed: bench_validate_folder, 1,000 template-built forms, one process: 10 % of the time.
@lru_cache(maxsize=16)
def _recorded_profile(text: str) -> Profile | None:
    try:
        return profile_from_settings(json.loads(text))
    except (ValueError, TypeError, AttributeError):  # ProfileError is a ValueError
        return None


# -- formulas -------------------------------------------------------------------------


def same_formula(a: str | None, b: str | None) -> bool:
    """Two formulas are the same up to ``$``, case and spaces outside strings."""
    if a is None or b is None:
        return False
    return a == b or _normal(a) == _normal(b)


def _normal(text: str) -> str:
    parts = text.lstrip("=").split('"')
    # Even parts are outside string literals.
    return '"'.join(
        p.replace("$", "").replace(" ", "").upper() if i % 2 == 0 else p
        for i, p in enumerate(parts)
    )


def absolute(ref: str) -> str:
    """``B3`` -> ``$B$3``, ``F13:F35`` -> ``$F$13:$F$35``."""

    def one(cell: str) -> str:
        m = _CELL.fullmatch(cell.replace("$", ""))
        if m is None:
            raise ValueError(f"not a cell: {cell!r}")
        return f"${m[1]}${m[2]}"

    return ":".join(one(c) for c in ref.split(":"))


def _profile_values(profile: Profile | None) -> dict[str, str]:
    if profile is None:
        profile = load_profile()
    return _values(
        profile.grades,
        profile.rate_rounding,
        profile.rate_decimals,
        profile.funds_score_decimals,
        profile.score_basis,
    )


def _values(
    grades: tuple[tuple[str, float], ...],
    rate_rounding: str,
    rate_decimals: int,
    funds_decimals: int,
    score_basis: str,
) -> dict[str, str]:
    """The profile's settings as formula text (the caller does not change the dict)."""
    expr = f'"{grades[-1][0]}"'
    for grade, floor in reversed(grades[:-1]):
        expr = f'IF({{stated_total}}>={floor:g},"{grade}",{expr})'
    return {
        "rate_fn": "ROUNDUP" if rate_rounding == "roundup" else "ROUND",
        "rate_decimals": str(rate_decimals),
        "funds_decimals": str(funds_decimals),
        "grade_if": expr,
        # The profile says whether the score multiplies the raw or the printed rate.
        "score_rate": "{funds.total.stated_rate}"
        if score_basis == "rounded"
        else "{funds.total.executed}/{funds.total.annual_budget}",
    }


LAYOUT_NAMES: tuple[str, ...] = shipped_layouts()
"""Every shipped layout: ``standard``, ``appraisal``, then the others by name."""

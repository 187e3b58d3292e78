"""The two form layouts as data: the one description the template writer and the
workbook reader share. No other module knows a cell address.

Layouts: ``standard`` (财政项目支出绩效自评表) and ``appraisal``
(项目自评价情况表). Both live on the sheet :data:`SHEET` (自评表) with the
instructions on :data:`INSTRUCTIONS_SHEET` (填表说明).

Public API (stable; the reader relies on it)
--------------------------------------------
``build_layout(name, sizes=None) -> Layout``
    The layout ``standard`` or ``appraisal`` with ``sizes`` indicator rows per
    一级指标 block (``{"产出指标": 10, ...}``; default :data:`BLANK_SIZES`).
``layout_for(source) -> Layout | None``
    The layout of a generated workbook, from an openpyxl ``Workbook`` or a
    mapping of defined names to addresses (``Grid.names``: ``{"SE_project":
    "B3", "SE_rows_output": "A13:H22", ...}``). Block sizes come from the
    ``SE_rows_*`` names, and every scalar field takes the address its defined
    name holds, so rows the user inserted are followed. None when the names
    are not ours.
``Layout.fields``
    Field path -> A1 address of every scalar field (``header.project``,
    ``funds.total.annual_budget``, ``funds.total.stated_rate``,
    ``funds.stated_score``, ``stated_points_total``, ``stated_total``,
    ``grade``, ``category_weights.产出指标``, ``category_points.产出指标``,
    ``signoff.reviewer`` ...).
``Layout.cell(path)``
    Address of a scalar field or of an indicator cell (``indicators[3].score``;
    ``i`` counts table rows from the top, across blocks).
``Layout.kind(path)``
    ``"input"`` (staff type it), ``"computed"`` (holds a formula) or ``"text"``
    (generated text, e.g. the year line ``（2026 年度）`` or the unit label).
``Layout.formula(path, profile=None) -> str | None``
    The canonical formula (``=IF(...)``) of a computed field under a profile
    (default: national); compare with :func:`same_formula`, which ignores ``$``,
    case and spaces.
``Layout.names``
    Defined name -> absolute range on the sheet (``$B$3``). Every field has one
    (``SE_project``, ``SE_funds_total_budget``, ``SE_funds_score`` ...); each
    indicator column has one over the whole table (``SE_ind_score``) and each
    block one over its rows (``SE_rows_output``, ``SE_rows_benefit``,
    ``SE_rows_satisfaction``; ``SE_rows_all`` for the table).
``Layout.indicator_rows()`` / ``Layout.blocks`` / ``Layout.block_of(row)``
    Table rows, the (first, last) row of each 一级 block, and the block of a row.
``Layout.columns``
    Indicator field (``level1`` ... ``reason``) -> column letter.
``Layout.pieces``
    Everything outside the indicator rows: (range, content) where content is a
    label, ``@field.path`` or ``#text_key`` (rendered by jinja2).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from selfeval.a1 import coordinate_from_string, range_boundaries
from selfeval.model import FUNDS_ROWS, LEVEL1_NAMES

if TYPE_CHECKING:
    from selfeval.profiles import Profile

SHEET = "自评表"
INSTRUCTIONS_SHEET = "填表说明"
LAYOUT_NAMES: tuple[str, ...] = ("standard", "appraisal")
Kind = Literal["input", "computed", "text"]

LEVEL_KEYS: dict[str, str] = {
    "产出指标": "output",
    "效益指标": "benefit",
    "满意度指标": "satisfaction",
}
"""一级指标 -> the ASCII key used in defined names."""

BLANK_SIZES: dict[str, int] = {"产出指标": 10, "效益指标": 10, "满意度指标": 3}
"""Indicator rows per block in a blank template: more than any seed form uses."""

INDICATOR_COLUMNS: dict[str, str] = {
    "level1": "A",
    "level2": "B",
    "name": "C",
    "target": "D",
    "actual": "E",
    "points": "F",
    "score": "G",
    "reason": "H",
}
INDICATOR_HEADINGS: dict[str, str] = {
    "level1": "一级指标",
    "level2": "二级指标",
    "name": "三级指标",
    "target": "年度指标值",
    "actual": "实际完成值",
    "points": "分值",
    "score": "得分",
    "reason": "偏差原因分析及改进措施",
}
PRINT_COLUMNS = "A:H"
CHECK_COLUMNS = "J:L"  # 校验区, outside the print area

_FUNDS_COLUMNS = {
    "initial_budget": "initial",
    "annual_budget": "budget",
    "executed": "executed",
    "stated_rate": "rate",
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


def _field_specs(layout: str) -> dict[str, FieldSpec]:
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
    computed_rates = FUNDS_ROWS if layout == "appraisal" else ("total",)
    for row in FUNDS_ROWS:
        for attr, short in _FUNDS_COLUMNS.items():
            path, name = f"funds.{row}.{attr}", f"SE_funds_{row}_{short}"
            if attr != "stated_rate":
                specs.append(FieldSpec(path, name, "input"))
            elif row in computed_rates:
                specs.append(FieldSpec(path, name, "computed", _RATE % {"row": row}))
    for level, key in LEVEL_KEYS.items():
        specs.append(FieldSpec(f"category_weights.{level}", f"SE_weight_{key}", "input"))
        specs.append(
            FieldSpec(
                f"category_points.{level}",
                f"SE_points_{key}",
                "computed",
                _SUBTOTAL % {"level": level},
            )
        )
    if layout == "appraisal":
        specs += [
            FieldSpec("signoff.reviewer", "SE_reviewer", "input"),
            FieldSpec("signoff.preparer", "SE_preparer", "input"),
            FieldSpec("signoff.date", "SE_fill_date", "input"),
        ]
    return {s.path: s for s in specs}


# -- pieces: everything but the indicator rows ---------------------------------------
# (range, content): content is a label, "@field.path" or "#text_key". Ranges below
# the table use {0} for the total row, {1} for the row after it, and so on.

_CHECK = [
    ("J1:L1", "校验区（不打印）"),
    ("J2", "一级指标"),
    ("K2", "应得分值"),
    ("L2", "分值小计"),
    ("J3", "产出指标"),
    ("K3", "@category_weights.产出指标"),
    ("L3", "@category_points.产出指标"),
    ("J4", "效益指标"),
    ("K4", "@category_weights.效益指标"),
    ("L4", "@category_points.效益指标"),
    ("J5", "满意度指标"),
    ("K5", "@category_weights.满意度指标"),
    ("L5", "@category_points.满意度指标"),
    ("J6", "评分口径"),
    ("K6:L6", "@profile"),
]


def _funds_rows(first: int, cols: str, labels: tuple[str, ...]) -> list[tuple[str, str]]:
    """Funds rows: label then 年初预算数, 全年预算数, 全年执行数 in ``cols`` (4 letters)."""
    label_col, *amount_cols = cols
    pieces = []
    for i, (row, label) in enumerate(zip(FUNDS_ROWS, labels, strict=True)):
        r = first + i
        pieces.append((f"{label_col}{r}", label))
        for col, attr in zip(
            amount_cols, ("initial_budget", "annual_budget", "executed"), strict=True
        ):
            pieces.append((f"{col}{r}", f"@funds.{row}.{attr}"))
    return pieces


_FUNDS_LABELS = ("年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金")

_STANDARD_TOP = [
    ("A1:H1", "#title"),
    ("A2:H2", "@header.year"),
    ("A3", "项目名称"),
    ("B3:H3", "@header.project"),
    ("A4", "主管部门"),
    ("B4:D4", "@header.department"),
    ("E4", "实施单位"),
    ("F4:H4", "@header.implementer"),
    ("A5:A9", "@funds.unit"),
    ("B5", ""),
    ("C5", "年初预算数"),
    ("D5", "全年预算数"),
    ("E5", "全年执行数"),
    ("F5", "分值"),
    ("G5", "执行率"),
    ("H5", "得分"),
    *_funds_rows(6, "BCDE", _FUNDS_LABELS),
    ("F6", "@funds.points"),
    ("G6", "@funds.total.stated_rate"),
    ("H6", "@funds.stated_score"),
    *((f"{c}{r}", "—" if c == "F" else "") for r in (7, 8, 9) for c in "FGH"),
    ("A10:A11", "年度\n总体\n目标"),
    ("B10:E10", "预算目标"),
    ("F10:H10", "实际完成情况"),
    ("B11:E11", "@goals.planned"),
    ("F11:H11", "@goals.achieved"),
]
_STANDARD_BOTTOM = [
    ("A{0}:E{0}", "总分"),
    ("F{0}", "@stated_points_total"),
    ("G{0}", "@stated_total"),
    ("H{0}", "@grade"),
]

_APPRAISAL_TOP = [
    ("A1:H1", "@header.year"),
    ("A2", "项目名称:"),
    ("B2:H2", "@header.project"),
    ("A3", "主管部门:"),
    ("B3:H3", "@header.department"),
    ("A4", "实施单位:"),
    ("B4:H4", "@header.implementer"),
    ("A5:H5", "#funds_heading"),
    ("A6", "内容"),
    ("B6", "@funds.unit"),
    ("C6", "#budget_heading"),
    ("D6", "#executed_heading"),
    ("E6", "分值"),
    ("F6", "执行率"),
    ("G6:H6", "得分"),
    *_funds_rows(7, "ABCD", ("年度资金总额:", *_FUNDS_LABELS[1:])),
    ("E7", "@funds.points"),
    ("F7", "@funds.total.stated_rate"),
    ("G7:H7", "@funds.stated_score"),
    *(
        item
        for r, row in zip((8, 9, 10), FUNDS_ROWS[1:], strict=True)
        for item in ((f"E{r}", ""), (f"F{r}", f"@funds.{row}.stated_rate"), (f"G{r}:H{r}", ""))
    ),
    ("A11", "预期目标:"),
    ("B11:H11", "@goals.planned"),
    ("A12", "实际完成情况:"),
    ("B12:H12", "@goals.achieved"),
    ("A13:H13", "#table_heading"),
]
_APPRAISAL_BOTTOM = [
    ("A{0}:E{0}", "总计"),
    ("F{0}", "@stated_points_total"),
    ("G{0}", "@stated_total"),
    ("H{0}", "@grade"),
    ("A{1}", "审核人:"),
    ("B{1}:D{1}", "@signoff.reviewer"),
    ("A{2}", "填报人:"),
    ("B{2}:D{2}", "@signoff.preparer"),
    ("A{3}", "填报日期:"),
    ("B{3}:D{3}", "@signoff.date"),
]


@dataclass(frozen=True)
class _Spec:
    top: list[tuple[str, str]]
    table_header_row: int  # the row of 一级指标 / 二级指标 ... headings
    bottom: list[tuple[str, str]]


_SPECS = {
    "standard": _Spec(_STANDARD_TOP + _CHECK, 12, _STANDARD_BOTTOM),
    "appraisal": _Spec(_APPRAISAL_TOP + _CHECK, 14, _APPRAISAL_BOTTOM),
}

TITLES = {"standard": "财政项目支出绩效自评表", "appraisal": "项目自评价情况表"}
"""Layout -> the form's title (also the stem of template file names)."""


# -- the layout --------------------------------------------------------------------


@dataclass
class Layout:
    """One layout with concrete block sizes: every address resolved."""

    name: str
    blocks: dict[str, tuple[int, int]]  # 一级指标 -> (first row, last row)
    table_header_row: int
    pieces: list[tuple[str, str]]  # resolved ranges, see the module docstring
    fields: dict[str, str] = field(default_factory=dict)
    specs: dict[str, FieldSpec] = field(default_factory=dict)
    sheet: str = SHEET
    columns: dict[str, str] = field(default_factory=lambda: dict(INDICATOR_COLUMNS))

    @property
    def title(self) -> str:
        return TITLES[self.name]

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
    def last_print_row(self) -> int:
        return max(range_boundaries(ref)[3] for ref, _ in self.pieces)

    @property
    def print_area(self) -> str:
        first, last = PRINT_COLUMNS.split(":")
        return f"{first}1:{last}{self.last_print_row}"

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
        values = _profile_values(profile) | {
            f"col.{name}": self.column_range(name) for name in self.columns
        }

        def resolve(match: re.Match[str]) -> str:
            key = match[1]
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
        last_col = PRINT_COLUMNS.split(":")[1]
        for level, (first, last) in self.blocks.items():
            names[f"SE_rows_{LEVEL_KEYS[level]}"] = absolute(f"A{first}:{last_col}{last}")
        names["SE_rows_all"] = absolute(f"A{self.first_row}:{last_col}{self.last_row}")
        return names


_INDICATOR_PATH = re.compile(r"indicators\[(\d+)\]\.(\w+)")
_PLACEHOLDER = re.compile(r"\{([^{}]+)\}")


def build_layout(name: str, sizes: Mapping[str, int] | None = None) -> Layout:
    """Layout ``name`` with ``sizes`` rows per 一级 block (at least one each)."""
    if name not in _SPECS:
        raise ValueError(f"没有名为“{name}”的表样，可选：{'、'.join(LAYOUT_NAMES)}")
    spec = _SPECS[name]
    sizes = {**BLANK_SIZES, **(sizes or {})}
    blocks, row = {}, spec.table_header_row + 1
    for level in LEVEL1_NAMES:
        n = max(1, int(sizes[level]))
        blocks[level] = (row, row + n - 1)
        row += n
    total = row
    header = [
        (f"{col}{spec.table_header_row}", INDICATOR_HEADINGS[attr])
        for attr, col in INDICATOR_COLUMNS.items()
    ]
    bottom = [(ref.format(total, total + 1, total + 2, total + 3), c) for ref, c in spec.bottom]
    pieces = spec.top + header + bottom
    specs = _field_specs(name)
    fields = {c[1:]: ref.split(":")[0] for ref, c in pieces if c.startswith("@")}
    missing = set(specs) - set(fields)
    if missing:  # a programming error in the tables above
        raise AssertionError(f"fields without a cell: {sorted(missing)}")
    return Layout(name, blocks, spec.table_header_row, pieces, fields, specs)


def layout_for(source: Any) -> Layout | None:
    """The layout of a generated workbook (openpyxl Workbook or names -> address)."""
    names = _names_of(source)
    found = {}
    for level, key in LEVEL_KEYS.items():
        ref = names.get(f"SE_rows_{key}")
        if ref is None:
            return None
        _, first, _, last = range_boundaries(ref.replace("$", ""))
        found[level] = (first, last)
    project = names.get("SE_project", "").replace("$", "")
    for name in LAYOUT_NAMES:
        spec_layout = build_layout(name)
        if spec_layout.fields["header.project"] != project:
            continue
        layout = build_layout(name, {lvl: b[1] - b[0] + 1 for lvl, b in found.items()})
        layout.blocks = found  # rows inserted above the table shift it
        for path, spec in layout.specs.items():
            if spec.name in names:
                layout.fields[path] = names[spec.name].replace("$", "")
        return layout
    return None


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


def same_formula(a: str | None, b: str | None) -> bool:
    """Two formulas are the same up to ``$``, case and spaces outside strings."""
    return a is not None and b is not None and _normal(a) == _normal(b)


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
        col, row = coordinate_from_string(cell)
        return f"${col}${row}"

    return ":".join(one(c) for c in ref.split(":"))


def _profile_values(profile: Profile | None) -> dict[str, str]:
    if profile is None:
        from selfeval.profiles import load_profile

        profile = load_profile()
    grades = list(profile.grades)
    expr = f'"{grades[-1][0]}"'
    for grade, floor in reversed(grades[:-1]):
        expr = f'IF({{stated_total}}>={floor:g},"{grade}",{expr})'
    return {
        "rate_fn": "ROUNDUP" if profile.rate_rounding == "roundup" else "ROUND",
        "rate_decimals": str(profile.rate_decimals),
        "funds_decimals": str(profile.funds_score_decimals),
        "grade_if": expr,
        # The profile says whether the score multiplies the raw or the printed rate.
        "score_rate": "{funds.total.stated_rate}"
        if profile.score_basis == "rounded"
        else "{funds.total.executed}/{funds.total.annual_budget}",
    }

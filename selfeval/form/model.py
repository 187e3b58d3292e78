"""The form model: one typed description of a self-evaluation form (绩效自评表).

Data flows one way: workbook -> reader -> :class:`Form` -> rules -> findings.
Every reader produces a ``Form``; every writer and rule consumes one.

Values keep what the form says. An amount, rate, 分值 or 得分 is a ``float``
when it could be read as a number, ``None`` when the cell is blank, and the
original text (``str``) when it could not be read; rules report the text
rather than guessing.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields
from typing import Any, Literal

from selfeval.errors import InputError
from selfeval.form import vocabulary
from selfeval.form.values import text

Number = float | str | None
"""A figure as found: number, unreadable text, or blank (None)."""

Layout = str
"""The official layout a form follows: the name of a file in ``selfeval/layouts``
(``standard``, ``appraisal``, ``national``, ``sichuan`` ...)."""

Origin = Literal["template", "handmade", "data"]
"""Where a form came from: one of our generated templates, a workbook laid out by
hand (found by its headings), or a YAML/JSON form file."""

AmountUnit = Literal["元", "万元"]

FULL_MARKS = 100.0
"""What a form's points add up to (预算执行率 and the indicators, or the indicators alone
where the funds are not scored)."""

LEVEL1_NAMES: tuple[str, ...] = ("产出指标", "效益指标", "满意度指标")
"""一级指标 in the order they appear on the form."""

LEVEL2_BY_LEVEL1: dict[str, tuple[str, ...]] = {
    "产出指标": ("数量指标", "质量指标", "时效指标", "成本指标"),
    "效益指标": ("经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"),
    "满意度指标": ("服务对象满意度指标",),
}
"""二级指标 allowed under each 一级指标."""


@dataclass
class Source:
    """Where a form was read from (file, sheet, first row of the form, 1-based) and how
    it was read (``origin``); the cells of its fields are in ``Form.cells``."""

    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    origin: Origin | None = None


@dataclass
class Header:
    """The form's header: 年度, 项目名称, 主管部门, 实施单位."""

    year: int | None = None
    project: str = ""  # 项目名称
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位


@dataclass
class FundsRow:
    """One row of the funds block: 年初预算数 / 全年预算数 / 全年执行数."""

    initial_budget: Number = None  # 年初预算数
    annual_budget: Number = None  # 全年预算数 (adjusted budget)
    executed: Number = None  # 全年执行数
    stated_rate: Number = None  # 执行率 as printed, a fraction (0.9907)


FUNDS_ROWS: tuple[str, ...] = tuple(vocabulary.FUNDS_ROWS)
"""The keys of every funds row a layout may print (:data:`vocabulary.FUNDS_ROWS`, whose
words they name): ``total`` (年度资金总额) first, then its sub-rows."""

FUNDS_SUBROWS: tuple[str, ...] = FUNDS_ROWS[1:]
"""Every sub-row (其中：…) a layout may print under 年度资金总额."""

_OPTIONAL_FUNDS_ROWS = ("special_account", "unit_funds")
"""Sub-rows only some provinces print: left out of :meth:`Form.to_dict` when blank."""


@dataclass
class Funds:
    """The funds block (项目资金): four rows plus the points, stated rate and score."""

    unit: AmountUnit = "元"
    total: FundsRow = field(default_factory=FundsRow)  # 年度资金总额
    current: FundsRow = field(default_factory=FundsRow)  # 其中：当年财政拨款
    carryover: FundsRow = field(default_factory=FundsRow)  # 上年结转资金
    special_account: FundsRow = field(default_factory=FundsRow)  # 财政专户管理资金
    unit_funds: FundsRow = field(default_factory=FundsRow)  # 单位资金
    other: FundsRow = field(default_factory=FundsRow)  # 其他资金
    points: Number = None  # 分值
    stated_score: Number = None  # 得分 as printed
    scored: bool = True
    """False where the form shows 执行率 but gives it no points (the indicators carry all
    100 points, e.g. 产出/效益/满意度 40/40/20): no funds score is due."""


@dataclass
class Goals:
    """年度总体目标: the planned goal (预算目标 / 预期目标) and what was achieved."""

    planned: str = ""
    achieved: str = ""


@dataclass
class Indicator:
    """One row of the indicator table (三级指标)."""

    level1: str = ""  # 一级指标
    level2: str = ""  # 二级指标
    name: str = ""  # 三级指标
    target: str = ""  # 年度指标值
    actual: str = ""  # 实际完成值
    points: Number = None  # 分值
    score: Number = None  # 得分
    reason: str = ""  # 偏差原因分析及改进措施
    cells: dict[str, str] = field(default_factory=dict)
    """Cell address of each field where a reader knows it, e.g. {"score": "G21"}."""


@dataclass
class Form:
    """A whole self-evaluation form as found in a workbook or a YAML/JSON file."""

    layout: Layout = "standard"
    """The official layout (表样) the form has, whatever it was read from."""
    header: Header = field(default_factory=Header)
    funds: Funds = field(default_factory=Funds)
    goals: Goals = field(default_factory=Goals)
    indicators: list[Indicator] = field(default_factory=list)
    category_weights: dict[str, float] = field(default_factory=dict)
    """Weights printed in the first-level cells, e.g. {"产出指标": 50} (appraisal layout)."""
    stated_points_total: Number = None  # 分值 on the 总分 / 总计 row
    stated_total: Number = None  # 总分 / 总计 得分 as printed
    source: Source = field(default_factory=Source)
    cells: dict[str, str] = field(default_factory=dict)
    """Cell address of form-level fields by field path, e.g. {"funds.stated_score": "H5"}."""
    formulas_overwritten: list[str] = field(default_factory=list)
    """Field paths of computed template cells that no longer hold their formula."""
    formulas_uncached: list[str] = field(default_factory=list, compare=False)
    """Field paths of computed template cells whose formula has no value saved (a workbook
    no spreadsheet program has calculated, as openpyxl writes it); the pipeline gives
    them what the formula computes (:func:`selfeval.rules.analysis.recalculate`)."""
    profile_settings: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """Every setting of the profile a template records, which its formulas follow."""
    layout_description: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The layout description a template carries (its file parsed), which it was read by."""
    layout_differs: str | None = field(default=None, compare=False)
    """Where an installed layout file of the same name differs from the description the
    template carries (the carried one was used); None when none differs."""
    # The last two are the template's reading, not the form: never written out.
    profile: str | None = None
    """The profile (评分口径) a template was built with, by name; None when unknown."""
    points_by_category: bool = False
    """True where the form has no 分值 column and its weights sit only in the 一级 cells
    (``产出指标(40分)``): every indicator's ``points`` is None, ``category_weights`` holds them."""

    # -- serialisation -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (JSON/YAML-ready); empty location data is left out."""
        data = asdict(self)
        del data["formulas_uncached"], data["profile_settings"]
        del data["layout_description"], data["layout_differs"]
        for row in data["indicators"]:
            if not row["cells"]:
                del row["cells"]
        for key in (
            "cells",
            "formulas_overwritten",
            "category_weights",
            "profile",
            "points_by_category",
        ):
            if not data[key]:
                del data[key]
        if data["funds"]["scored"]:
            del data["funds"]["scored"]
        if data["source"].get("origin") is None:
            del data["source"]["origin"]
        if not any(data["source"].values()):
            del data["source"]
        for name in _OPTIONAL_FUNDS_ROWS:
            if not any(v is not None for v in data["funds"][name].values()):
                del data["funds"][name]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Form:
        """Build a form from :meth:`to_dict` output; unknown keys raise ``FormDataError``."""
        return _build(cls, data, "form")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)


class FormDataError(InputError):
    """A YAML/JSON form file does not describe a form (wrong keys or types)."""


_NESTED: dict[str, type] = {
    "header": Header,
    "funds": Funds,
    "goals": Goals,
    "source": Source,
    "total": FundsRow,
    "current": FundsRow,
    "carryover": FundsRow,
    "special_account": FundsRow,
    "unit_funds": FundsRow,
    "other": FundsRow,
}


def _build(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise FormDataError(f"{path}: 应为键值表，实际为 {type(data).__name__}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(data) - known)
    if unknown:
        raise FormDataError(f"{path}: 不认识的字段 {', '.join(unknown)}")
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        sub = f"{path}.{name}"
        if name in _NESTED and value is not None:
            kwargs[name] = _build(_NESTED[name], value, sub)
        elif name == "indicators":
            if not isinstance(value, list):
                raise FormDataError(f"{sub}: 应为列表")
            kwargs[name] = [_build(Indicator, v, f"{sub}[{i}]") for i, v in enumerate(value)]
        elif name in _TEXT_FIELDS:
            kwargs[name] = _text(value)
        else:
            kwargs[name] = _number(value) if name in _NUMBER_FIELDS else value
    return cls(**kwargs)


_TEXT_FIELDS = frozenset({"level1", "level2", "name", "target", "actual", "reason"})


def _text(value: Any) -> Any:
    """A number in a text field (YAML ``target: 100``) is the same text: ``"100"``;
    a field left blank in YAML (``name:``) is empty text."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return text(value)
    return value


_NUMBER_FIELDS = frozenset(
    {
        "initial_budget",
        "annual_budget",
        "executed",
        "points",
        "score",
        "stated_rate",
        "stated_score",
        "stated_points_total",
        "stated_total",
    }
)


def _number(value: Any) -> Number:
    """Ints from YAML become floats so that equal forms compare equal."""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return float(value)
    return value

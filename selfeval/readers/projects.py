"""Project lists for pre-filled templates (YAML or CSV, see docs/projects-format.md).

Keys are the form's own words (:mod:`selfeval.form.vocabulary`). Each project becomes a
:class:`Form` with what the list itself gets wrong beside it (unknown keys, figures that
are not numbers, a 表样 there is not); whether the form it makes is right is for the rules
engine to say (:mod:`selfeval.rules.projects`).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

import yaml

from selfeval.errors import InputError, os_reason
from selfeval.form import vocabulary as vocab
from selfeval.form.model import (
    LEVEL1_NAMES,
    AmountUnit,
    Form,
    FundsRow,
    Goals,
    Header,
    Indicator,
)
from selfeval.layouts.layout import available_layouts

MAX_FILE = 5 * 1024 * 1024

_LIST = {key: term.label for key, term in vocab.PROJECT_LIST_KEYS.items()}
_HEAD = {key: term.label for key, term in vocab.HEADER_FIELDS.items()}
_PLANNED = vocab.GOAL_COLUMNS["planned"].label
_COLUMN = {key: term.label for key, term in vocab.INDICATOR_COLUMNS.items()}

PROJECT_KEYS: dict[str, str] = {
    _HEAD["project"]: "project",
    _HEAD["department"]: "department",
    _HEAD["implementer"]: "implementer",
    _LIST["unit"]: "unit",
    _LIST["funds_points"]: "funds_points",
    _LIST["funds"]: "funds",
    _PLANNED: "planned",
    _LIST["weights"]: "weights",
    _LIST["indicators"]: "indicators",
    _LIST["layout"]: "layout",
}
"""A project's keys -> what they hold."""

FUNDS_KEYS: dict[str, str] = {term.label: row for row, term in vocab.FUNDS_ROWS.items()}
AMOUNT_KEYS: dict[str, str] = {
    vocab.FUNDS_COLUMNS[attr].label: attr for attr in ("initial_budget", "annual_budget")
}
INDICATOR_KEYS: dict[str, str] = {
    _COLUMN[attr]: attr for attr in ("level1", "level2", "name", "target", "points")
}
CSV_PROJECT_COLUMNS: tuple[str, ...] = tuple(
    label for label in PROJECT_KEYS if PROJECT_KEYS[label] not in ("funds", "weights", "indicators")
)
"""A CSV list's project columns (written on a project's first row); the amounts are
年度资金总额's (:data:`AMOUNT_KEYS`), every other column an indicator's."""

ANY_LAYOUT = ""
"""``Form.layout`` of a project that names no 表样: it is written in every layout the
command line chose (``build --layout``)."""

_UNITS = get_args(AmountUnit)


class ProjectsError(InputError):
    """The project list cannot be used; the message lists every problem (Chinese)."""


@dataclass
class Project:
    """One project of a list: the form it makes, where it is in the list
    (``第 2 个项目（信息化运维项目）``) and what the list gets wrong about it."""

    form: Form
    where: str
    problems: list[str] = field(default_factory=list)
    readable: bool = True  # False: the entry is no table of keys, there is no form to check


@dataclass
class ProjectList:
    """A project list read: its projects, and what is wrong with the list as a whole."""

    name: str
    projects: list[Project]
    problems: list[str] = field(default_factory=list)


def read_projects(path: Path) -> ProjectList:
    """The projects of a YAML (.yaml/.yml) or CSV (.csv) list, each as a pre-filled form.

    A file that is no project list at all raises :class:`ProjectsError`; anything
    else is collected on the projects and the list so that all of it is said at once.
    """
    try:
        if path.stat().st_size > MAX_FILE:
            raise ProjectsError(f"{path.name}：文件过大，不像是项目清单")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectsError(f"找不到项目清单：{path}") from None
    except OSError as exc:  # a folder, no permission
        raise ProjectsError(f"无法读取项目清单 {path}：{os_reason(exc)}") from None
    except UnicodeDecodeError:
        raise ProjectsError(
            f"{path.name}：不是 UTF-8 编码的文本（请在 Excel 中另存为“CSV UTF-8”）"
        ) from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        items = _yaml_items(text, path.name)
    elif suffix == ".csv":
        items = _csv_items(text)
    else:
        raise ProjectsError(f"{path.name}：项目清单应为 .yaml、.yml 或 .csv 文件")
    listing = ProjectList(path.name, [_project(item, i) for i, item in enumerate(items, start=1)])
    if not listing.projects:
        listing.problems.append("清单中没有项目")
    names = [p.form.header.project for p in listing.projects]
    listing.problems += [
        f"{_HEAD['project']}“{n}”出现了不止一次"
        for n in sorted({n for n in names if n and names.count(n) > 1})
    ]
    return listing


def _yaml_items(text: str, name: str) -> list[Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProjectsError(f"{name}：YAML 格式错误：{str(exc).splitlines()[0]}") from None
    if isinstance(data, dict) and set(data) == {_LIST["projects"]}:
        data = data[_LIST["projects"]]
    if not isinstance(data, list):
        raise ProjectsError(
            f"{name}：应为项目列表（顶层写“{_LIST['projects']}:”，"
            f"其下每个项目以“- {_HEAD['project']}:”开头）"
        )
    return data


def _csv_items(text: str) -> list[dict[str, Any]]:
    """One row per indicator; project columns may be left blank on following rows."""
    project, funds, total = _HEAD["project"], _LIST["funds"], vocab.FUNDS_ROWS["total"].label
    indicators = _LIST["indicators"]
    items: list[dict[str, Any]] = []
    for row in csv.DictReader(io.StringIO(text)):
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if row.get(project) and (not items or items[-1][project] != row[project]):
            item: dict[str, Any] = {k: row[k] for k in CSV_PROJECT_COLUMNS if row.get(k)}
            item[funds] = {total: {k: row[k] for k in AMOUNT_KEYS if row.get(k)}}
            item[indicators] = []
            items.append(item)
        elif not items:
            items.append({indicators: []})  # reported as a project without a name
        indicator = {k: row[k] for k in INDICATOR_KEYS if row.get(k)}
        if indicator:
            items[-1][indicators].append(indicator)
    return items


def _project(item: Any, n: int) -> Project:
    where = f"第 {n} 个项目"
    if not isinstance(item, dict):
        return Project(Form(layout=ANY_LAYOUT), where, [f"{where}：应为“键: 值”的表"], False)
    keys = {attr: label for label, attr in PROJECT_KEYS.items()}
    name = _text(item, keys["project"])
    project = Project(Form(layout=ANY_LAYOUT), f"{where}（{name}）" if name else where)
    form, problems, where = project.form, project.problems, project.where
    _unknown(item, PROJECT_KEYS, where, problems)
    form.header = Header(
        None, name, _text(item, keys["department"]), _text(item, keys["implementer"])
    )
    layout = _text(item, keys["layout"])
    if layout and layout not in available_layouts():
        problems.append(
            f"{where}：{keys['layout']}应为 {'、'.join(available_layouts())} 之一，而不是“{layout}”"
        )
    else:
        form.layout = layout
    form.goals = Goals(planned=_text(item, keys["planned"]))
    unit = _text(item, keys["unit"]) or form.funds.unit
    if unit not in _UNITS:
        problems.append(f"{where}：{keys['unit']}应为“{'”或“'.join(_UNITS)}”，而不是“{unit}”")
    else:
        form.funds.unit = unit  # type: ignore[assignment]
    label = keys["funds_points"]
    form.funds.points = _number(item.get(label), f"{where} {label}", problems)
    _funds(form, item.get(keys["funds"]), where, problems)
    _weights(form, item.get(keys["weights"]), where, problems)
    indicators = item.get(keys["indicators"]) or []
    if not isinstance(indicators, list):
        problems.append(f"{where}：“{keys['indicators']}”应为列表")
        indicators = []
    form.indicators = [
        _indicator(row, f"{where} 第 {i} 个指标", problems)
        for i, row in enumerate(indicators, start=1)
    ]
    if not form.indicators:
        problems.append(f"{where}：缺少{keys['indicators']}（至少一个产出、效益或满意度指标）")
    return project


def _funds(form: Form, funds: Any, where: str, problems: list[str]) -> None:
    label = _LIST["funds"]
    if funds is None:
        return  # the rules say the budget is missing (FUNDS_MISSING)
    if not isinstance(funds, dict):
        problems.append(f"{where}：“{label}”应为表")
        return
    _unknown(funds, FUNDS_KEYS, f"{where} {label}", problems)
    for row_label, row in FUNDS_KEYS.items():
        amounts = funds.get(row_label) or {}
        if not isinstance(amounts, dict):
            problems.append(f"{where} {label}“{row_label}”应为表")
            continue
        _unknown(amounts, AMOUNT_KEYS, f"{where} {label}“{row_label}”", problems)
        values = {
            attr: _number(amounts.get(key), f"{where} {row_label}{key}", problems, minimum=0)
            for key, attr in AMOUNT_KEYS.items()
        }
        setattr(form.funds, row, FundsRow(**values))
    if form.funds.total.annual_budget == 0:
        budget = f"{vocab.FUNDS_ROWS['total'].label}的{vocab.FUNDS_COLUMNS['annual_budget'].label}"
        problems.append(f"{where}：{budget}为 0，无法计算执行率")


def _weights(form: Form, weights: Any, where: str, problems: list[str]) -> None:
    label = _LIST["weights"]
    if not isinstance(weights, dict):
        return
    for level, value in weights.items():
        weight = _number(value, f"{where} {label}“{level}”", problems)
        if weight is not None:
            form.category_weights[str(level)] = weight
    unknown = [k for k in form.category_weights if k not in LEVEL1_NAMES]
    if unknown:
        level1 = _COLUMN["level1"]
        problems.append(f"{where}：{label}中的“{'、'.join(unknown)}”不是{level1}名称")


def _indicator(row: Any, where: str, problems: list[str]) -> Indicator:
    if not isinstance(row, dict):
        problems.append(f"{where}：应为“键: 值”的表")
        return Indicator()
    _unknown(row, INDICATOR_KEYS, where, problems)
    points = _COLUMN["points"]
    indicator = Indicator(
        **{attr: _text(row, key) for key, attr in INDICATOR_KEYS.items() if key != points}
    )
    # the list must give both: the rules never flag a blank name, and a target's reading
    # is not what the list's check judges (selfeval.rules.projects)
    for attr in ("name", "target"):
        if not getattr(indicator, attr):
            problems.append(f"{where}：缺少{_COLUMN[attr]}")
    indicator.points = _number(row.get(points), f"{where} {points}", problems, minimum=0)
    return indicator


def _unknown(data: dict, known: dict, where: str, problems: list[str]) -> None:
    unknown = [str(k) for k in data if k not in known]
    if unknown:
        problems.append(f"{where}：不认识的项“{'、'.join(unknown)}”（可用：{'、'.join(known)}）")


def _text(data: dict, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value).strip()


_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def _number(
    value: Any, where: str, problems: list[str], minimum: float | None = None
) -> float | None:
    """A number from YAML or CSV text (thousands separators allowed); None when blank."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        problems.append(f"{where}：应为数字，而不是“{value}”")
        return None
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = str(value).replace(",", "").replace("，", "").strip()
        if not _NUMBER.fullmatch(text):
            problems.append(f"{where}：应为数字，而不是“{value}”")
            return None
        number = float(text)
    if minimum is not None and number < minimum:
        problems.append(f"{where}：不能小于 {minimum:g}")
        return None
    return number

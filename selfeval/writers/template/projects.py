"""Project lists for pre-filled templates (YAML or CSV, see docs/projects-format.md).

Keys are the Chinese words of the form. Every problem in the file is collected
and reported together (:class:`ProjectsError`); nothing is written then.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

import yaml

from selfeval.errors import InputError, os_reason
from selfeval.form import vocabulary
from selfeval.form.findings import show_value
from selfeval.form.model import (
    FUNDS_SUBROWS,
    LEVEL1_NAMES,
    LEVEL2_BY_LEVEL1,
    Form,
    FundsRow,
    Goals,
    Header,
    Indicator,
)
from selfeval.layouts.layout import available_layouts
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, load_profile
from selfeval.rules.check import level2_matches

MAX_FILE = 5 * 1024 * 1024

PROJECT_KEYS = {
    "项目名称": "project",
    "主管部门": "department",
    "实施单位": "implementer",
    "资金单位": "unit",
    "资金分值": "funds_points",
    "资金": "funds",
    "预算目标": "planned",
    "一级指标分值": "weights",
    "指标": "indicators",
    "表样": "layout",
}
FUNDS_KEYS = {term.label: row for row, term in vocabulary.FUNDS_ROWS.items()}
ANY_LAYOUT = ""
"""``Form.layout`` of a project that names no 表样: it is written in every layout the
command line chose (``build --layout``)."""
AMOUNT_KEYS = {"年初预算数": "initial_budget", "全年预算数": "annual_budget"}
INDICATOR_KEYS = {
    "一级指标": "level1",
    "二级指标": "level2",
    "三级指标": "name",
    "年度指标值": "target",
    "分值": "points",
}
CSV_PROJECT_COLUMNS = (
    "项目名称",
    "主管部门",
    "实施单位",
    "资金单位",
    "资金分值",
    "预算目标",
    "表样",
)


class ProjectsError(InputError):
    """The project list cannot be used; the message lists every problem (Chinese)."""


def read_projects(path: Path, profile: Profile | None = None) -> list[Form]:
    """The projects of a YAML (.yaml/.yml) or CSV (.csv) list as pre-filled forms.

    Each project must make a form that is right before anyone fills it in (checked
    under ``profile``, default national): header, budget and indicators given, every
    一级 / 二级指标 a name of the form, 分值 adding up to 100 and to each 一级指标's weight.
    """
    profile = profile or load_profile(DEFAULT_PROFILE)
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
    problems: list[str] = []
    forms = [
        _form(item, f"第 {i} 个项目", problems, profile) for i, item in enumerate(items, start=1)
    ]
    if not forms:
        problems.append("清单中没有项目")
    names = [f.header.project for f in forms]
    problems += [
        f"项目名称“{n}”出现了不止一次" for n in sorted({n for n in names if names.count(n) > 1})
    ]
    if problems:
        raise ProjectsError(f"{path.name} 有以下问题：\n" + "\n".join(f"  - {p}" for p in problems))
    return forms


def _yaml_items(text: str, name: str) -> list[Any]:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ProjectsError(f"{name}：YAML 格式错误：{str(exc).splitlines()[0]}") from None
    if isinstance(data, dict) and set(data) == {"项目"}:
        data = data["项目"]
    if not isinstance(data, list):
        raise ProjectsError(
            f"{name}：应为项目列表（顶层写“项目:”，其下每个项目以“- 项目名称:”开头）"
        )
    return data


def _csv_items(text: str) -> list[dict[str, Any]]:
    """One row per indicator; project columns may be left blank on following rows."""
    rows = list(csv.DictReader(io.StringIO(text)))
    items: list[dict[str, Any]] = []
    for row in rows:
        row = {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        if row.get("项目名称") and (not items or items[-1]["项目名称"] != row["项目名称"]):
            item: dict[str, Any] = {k: row[k] for k in CSV_PROJECT_COLUMNS if row.get(k)}
            item["资金"] = {"年度资金总额": {k: row[k] for k in AMOUNT_KEYS if row.get(k)}}
            item["指标"] = []
            items.append(item)
        elif not items:
            items.append({"指标": []})  # reported as a project without a name
        indicator = {k: row[k] for k in INDICATOR_KEYS if row.get(k)}
        if indicator:
            items[-1]["指标"].append(indicator)
    return items


def _form(item: Any, where: str, problems: list[str], profile: Profile) -> Form:
    form = Form(layout=ANY_LAYOUT)
    if not isinstance(item, dict):
        problems.append(f"{where}：应为“键: 值”的表")
        return form
    _unknown(item, PROJECT_KEYS, where, problems)
    name = str(item.get("项目名称") or "").strip()
    if not name:
        problems.append(f"{where}：缺少项目名称")
    where = f"{where}（{name}）" if name else where
    form.header = Header(None, name, _text(item, "主管部门"), _text(item, "实施单位"))
    layout = _text(item, "表样")
    if layout and layout not in available_layouts():
        problems.append(
            f"{where}：表样应为 {'、'.join(available_layouts())} 之一，而不是“{layout}”"
        )
    else:
        form.layout = layout
    form.goals = Goals(planned=_text(item, "预算目标"))
    unit = _text(item, "资金单位") or "元"
    if unit not in ("元", "万元"):
        problems.append(f"{where}：资金单位应为“元”或“万元”，而不是“{unit}”")
    else:
        form.funds.unit = unit  # type: ignore[assignment]
    form.funds.points = _number(item.get("资金分值"), f"{where} 资金分值", problems)
    _funds(form, item.get("资金") or {}, where, problems)
    weights = item.get("一级指标分值") or {}
    if isinstance(weights, dict):
        for level, value in weights.items():
            weight = _number(value, f"{where} 一级指标分值“{level}”", problems)
            if weight is not None:
                form.category_weights[str(level)] = weight
    indicators = item.get("指标") or []
    if not isinstance(indicators, list):
        problems.append(f"{where}：“指标”应为列表")
        indicators = []
    form.indicators = [
        _indicator(row, f"{where} 第 {i} 个指标", problems)
        for i, row in enumerate(indicators, start=1)
    ]
    problems += _plan_problems(form, item, where, profile)
    return form


_REQUIRED_HEADER = {"主管部门": "department", "实施单位": "implementer"}


def _plan_problems(form: Form, item: dict, where: str, profile: Profile) -> list[str]:
    """What would make the pre-filled form wrong (red) before anyone fills it in."""
    found = [
        f"{where}：缺少{key}"
        for key, attr in _REQUIRED_HEADER.items()
        if not getattr(form.header, attr)
    ]
    budget = form.funds.total.annual_budget
    if budget is None and not _has_problem_at(item.get("资金")):
        found.append(f"{where}：缺少资金（年度资金总额的全年预算数）")
    elif budget == 0:
        found.append(f"{where}：年度资金总额的全年预算数为 0，无法计算执行率")
    found += _funds_sum_problems(form, where)
    if not form.indicators:
        found.append(f"{where}：缺少指标（至少一个产出、效益或满意度指标）")
        return found
    for i, row in enumerate(form.indicators, start=1):
        found += _level_problems(row, f"{where} 第 {i} 个指标（{row.name or '未命名'}）")
    found += _points_problems(form, where, profile)
    return found


def _has_problem_at(value: Any) -> bool:
    """A 资金 entry that is not a table was reported already."""
    return value is not None and not isinstance(value, dict)


def _funds_sum_problems(form: Form, where: str) -> list[str]:
    parts = [getattr(form.funds, r).annual_budget for r in FUNDS_SUBROWS]
    filled = [p for p in parts if p is not None]
    total = form.funds.total.annual_budget
    if total is None or not filled or abs(sum(filled) - total) <= 0.005:
        return []
    return [
        f"{where}：资金明细的全年预算数之和 {show_value(sum(filled), 'amount')} "
        f"与年度资金总额 {show_value(total, 'amount')} 不一致"
    ]


def _level_problems(row: Indicator, where: str) -> list[str]:
    found = []
    if row.level1 not in LEVEL1_NAMES:
        hint = next((n for n in LEVEL1_NAMES if row.level1 and row.level1 in n), None)
        found.append(
            f"{where}：一级指标“{row.level1 or '（空）'}”应为{'、'.join(LEVEL1_NAMES)}之一"
            + (f"（是否应为“{hint}”？）" if hint else "")
        )
    elif not any(level2_matches(row.level2, n) for n in LEVEL2_BY_LEVEL1[row.level1]):
        allowed = "、".join(LEVEL2_BY_LEVEL1[row.level1])
        found.append(
            f"{where}：二级指标“{row.level2 or '（空）'}”不属于{row.level1}（应为{allowed}）"
        )
    if not row.target:
        found.append(f"{where}：缺少年度指标值")
    if row.points is None:
        found.append(f"{where}：缺少分值")
    return found


def _points_problems(form: Form, where: str, profile: Profile) -> list[str]:
    """分值 add up to 100, and each 一级指标's to its weight (given, or the profile's)."""
    funds = form.funds.points if form.funds.points is not None else profile.funds_weight
    points = [row.points or 0.0 for row in form.indicators]
    found = []
    total = funds + sum(points)
    if abs(total - profile.points_total) > 0.005:
        found.append(
            f"{where}：分值合计为 {show_value(total)}（预算执行率 {show_value(funds)}、"
            f"指标 {show_value(sum(points))}），应为 {show_value(profile.points_total)}"
        )
    unknown = [k for k in form.category_weights if k not in LEVEL1_NAMES]
    if unknown:
        found.append(f"{where}：一级指标分值中的“{'、'.join(unknown)}”不是一级指标名称")
    for level in LEVEL1_NAMES:
        weight = form.category_weights.get(level, profile.category_weights.get(level))
        subtotal = sum(
            p for p, row in zip(points, form.indicators, strict=True) if row.level1 == level
        )
        if weight is not None and abs(subtotal - weight) > 0.005:
            basis = (
                "一级指标分值"
                if level in form.category_weights
                else "评分口径默认的一级指标分值；如需调整，请写明“一级指标分值”"
            )
            found.append(
                f"{where}：{level}的各指标分值合计为 {show_value(subtotal)}，"
                f"应为 {show_value(weight)}（{basis}）"
            )
    return found


def _funds(form: Form, funds: Any, where: str, problems: list[str]) -> None:
    if not isinstance(funds, dict):
        problems.append(f"{where}：“资金”应为表")
        return
    _unknown(funds, FUNDS_KEYS, f"{where} 资金", problems)
    for label, row in FUNDS_KEYS.items():
        amounts = funds.get(label) or {}
        if not isinstance(amounts, dict):
            problems.append(f"{where} 资金“{label}”应为表")
            continue
        _unknown(amounts, AMOUNT_KEYS, f"{where} 资金“{label}”", problems)
        values = {
            attr: _number(amounts.get(key), f"{where} {label}{key}", problems, minimum=0)
            for key, attr in AMOUNT_KEYS.items()
        }
        setattr(form.funds, row, FundsRow(**values))


def _indicator(row: Any, where: str, problems: list[str]) -> Indicator:
    if not isinstance(row, dict):
        problems.append(f"{where}：应为“键: 值”的表")
        return Indicator()
    _unknown(row, INDICATOR_KEYS, where, problems)
    indicator = Indicator(
        **{attr: _text(row, key) for key, attr in INDICATOR_KEYS.items() if key != "分值"}
    )
    if not indicator.name:
        problems.append(f"{where}：缺少三级指标")
    indicator.points = _number(row.get("分值"), f"{where} 分值", problems, minimum=0)
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


_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?", re.IGNORECASE)


def safe_filename(name: str, limit: int = 80) -> str:
    """``name`` usable as a file name on Windows (no <>:"/\\|?*, no reserved names)."""
    text = _INVALID.sub("_", name).strip().rstrip(". ")[:limit].rstrip(". ")
    if not text:
        return "未命名项目"
    return f"_{text}" if _RESERVED.fullmatch(text) else text

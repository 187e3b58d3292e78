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

from selfeval import vocabulary
from selfeval.layout import available_layouts
from selfeval.model import Form, FundsRow, Goals, Header, Indicator

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


class ProjectsError(ValueError):
    """The project list cannot be used; the message lists every problem (Chinese)."""


def read_projects(path: Path) -> list[Form]:
    """The projects of a YAML (.yaml/.yml) or CSV (.csv) list as pre-filled forms."""
    try:
        if path.stat().st_size > MAX_FILE:
            raise ProjectsError(f"{path.name}：文件过大，不像是项目清单")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProjectsError(f"找不到项目清单：{path}") from None
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
    forms = [_form(item, f"第 {i} 个项目", problems) for i, item in enumerate(items, start=1)]
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


def _form(item: Any, where: str, problems: list[str]) -> Form:
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
    return form


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

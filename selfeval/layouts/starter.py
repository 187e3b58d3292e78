"""``selfeval layout new``: a maintainer's first layout file, a shipped shape written out
with a Chinese comment over every key (the file is theirs to read, so the words are
staff's). The text parses back to the shipped shape's data, with its own name."""

from __future__ import annotations

import json
from typing import Any

from selfeval.layouts.layout import TEXT_NAMES, layout_spec

_COMMENTS: dict[str, str] = {
    "name": "表样名：build --layout 和项目清单的“表样”栏用它；不写时取文件名",
    "title": "表名，印在表头，也是生成的文件名的开头",
    "description": "一句话说明这是哪里、哪一年的表",
    "unit": "空白模板的金额单位：“元”或“万元”",
    "years": '适用年度："2023-"（2023 年起）、"2021-2022"、"-2022"、"2024"；不写则各年度都适用',
    "widths": "打印列的列宽，从 A 列起；有几个数，表就有几列宽",
    "head": (
        "资金块以上的各行，每行若干格，从左到右排，像 HTML 表格一样：一格是文字，或\n"
        '{ v = "文字", cols = 跨列数, rows = 跨行数 }；被上一行跨行占去的列自动跳过。\n'
        "文字写法：@字段（如 @header.project，填写或公式的单元格）；#键（[texts] 中的文字）；\n"
        "<header.project> 取词表中的叫法，<header.implementer=实施单位（盖章）> 取同一字段的另一种叫法"
    ),
    "funds": "资金块：一行表头，然后每个资金行一行",
    "funds.label": "可选：资金块最左边一列，跨表头和所有资金行",
    "funds.corner": "资金行名称上方的表头格",
    "funds.label_cols": "资金行名称占几列",
    "funds.columns": (
        "资金块的列（六列都要有，顺序可换）：initial_budget 年初预算数、annual_budget 全年预算数、\n"
        "executed 全年执行数、points 分值、stated_rate 执行率、score 得分"
    ),
    "funds.rows": (
        "资金行，以 total（年度资金总额）开头；可用 current、carryover、special_account、\n"
        "unit_funds、other，第二行印作“其中：……”"
    ),
    "funds.sub_marks": "明细行在这些列印的符号（—、/）",
    "funds.sub_rates": "明细行是否各自计算执行率",
    "funds.headings": "某列表头印的文字（可用 #键 和 <词表>）",
    "funds.spans": "某列跨几列",
    "funds.words": "行名或列名换用词表中的另一种叫法",
    "middle": "资金块与指标表之间的各行（写法同 head）",
    "middle.rows": "各行，写法同 head",
    "table": "指标表",
    "table.outer": "可选：指标表最左边跨所有指标行的一列（如“绩效指标”）",
    "table.columns": (
        "指标表的列，从左到右：level1 一级指标、level2 二级指标、name 三级指标、target 年度指标值\n"
        "（或 target_nature、target_value、target_unit 三列）、actual 实际完成值、points 分值、\n"
        "score 得分、reason 偏差原因分析及改进措施；列数加 outer 应等于 widths 的个数"
    ),
    "table.words": '列名换用词表中的另一种叫法（如 points = "权重"）',
    "table.level_weights": "一级指标格是否印分值，如“产出指标 (50分)”",
    "total": "合计行",
    "total.label": "合计行的名称：总分、总计、合计、自评总分 之一",
    "closing": "合计行以下的各行（签字、评价结论等）",
    "closing.rows": "各行，写法同 head；可以不占满宽度",
    "closing.borders": "这些行是否像表格一样画框线",
    "texts": ("#键 所指的文字，可用 {{ 名称 }}：" + "、".join(TEXT_NAMES) + "；\\n 为换行"),
}
"""Key (``funds.columns``) -> its comment in the file written."""

_ORDER = (
    "name", "title", "description", "unit", "years", "widths", "head",
    "funds", "middle", "table", "total", "closing", "texts",
)  # fmt: skip


def starter_text(source: str, name: str) -> str:
    """The layout ``source`` (a name or path) as a commented file named ``name``."""
    spec = layout_spec(source)
    data = {**spec.data, "name": name}
    data.setdefault("description", spec.description)
    lines = [
        f"# 表样 {name}：由 selfeval layout new 从“{spec.name}”（{spec.description}）生成。",
        "# 改好后运行 selfeval layout check 本文件，再 selfeval build --layout 本文件。",
        "",
    ]
    tables = [k for k in _ORDER if isinstance(data.get(k), dict)]
    for key in (k for k in _ORDER if k in data and k not in tables):
        lines += [*_comment(key), f"{key} = {_value(data[key], key == 'head')}", ""]
    for table in tables:
        lines += [*_comment(table), f"[{table}]"]
        for key, value in data[table].items():
            lines += _comment(f"{table}.{key}")
            lines.append(f"{_key(key)} = {_value(value, key == 'rows')}")
        lines.append("")
    return "\n".join(lines)


def _comment(key: str) -> list[str]:
    text = _COMMENTS.get(key, "")
    if not text and key.startswith("texts."):
        text = f"#{key[6:]} 所指的文字"
    return [f"# {line}" for line in text.splitlines()] if text else []


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() and key.isascii() else json.dumps(key)


def _value(value: Any, rows: bool = False) -> str:
    """A TOML value; rows of cells one row per line."""
    if rows and isinstance(value, list) and value:
        return "[\n" + "".join(f"  {_value(row)},\n" for row in value) + "]"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON's escapes are TOML's
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    raise TypeError(f"not a TOML value: {value!r}")

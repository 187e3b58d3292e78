"""The form's Chinese words, written down once: column headings, funds rows, header
labels and the total row, each with the synonyms real forms use across China.

Every layout file, the hand-made-form reader, project lists and reports take their
field words from here (DOMAIN.md, "Layouts elsewhere in China"). A term maps a model
field key (``points``, ``annual_budget`` ...) to its canonical label (what our
templates print) and the other spellings seen in published forms.

Headings are compared after :func:`heading_key`: full width folded (NFKC), spaces and
a trailing colon dropped, and a short bracketed suffix removed (``全年预算数(A)``,
``执行率（B/A）``, ``资金（万元）``), so the tables below hold words only.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Term:
    """One field's words: the canonical label and its synonyms."""

    key: str  # model field key
    label: str  # canonical printed heading (our templates)
    synonyms: tuple[str, ...] = ()

    @property
    def words(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


def _table(*terms: Term) -> dict[str, Term]:
    return {t.key: t for t in terms}


INDICATOR_COLUMNS: dict[str, Term] = _table(
    Term("level1", "一级指标"),
    Term("level2", "二级指标"),
    Term("name", "三级指标", ("三级指标名称", "指标名称", "具体指标")),
    Term(
        "target",
        "年度指标值",
        (
            "指标值",
            "年度目标值",
            "预期指标值",
            "全年指标值",
            "目标值",
            "年度绩效指标值",
            "年初目标值",
            "绩效指标值",
        ),
    ),
    Term(
        "actual",
        "实际完成值",
        ("全年实际值", "完成值", "实际值", "全年完成值", "实际完成情况", "年度实际完成值"),
    ),
    Term(
        "points", "分值", ("权重", "权重分值", "指标分值", "标准分值", "指标分值权重", "权重占比")
    ),
    Term("score", "得分", ("自评得分", "评分", "实际得分", "指标得分", "折算得分")),
    Term(
        "reason",
        "偏差原因分析及改进措施",
        (
            "未完成原因分析",
            "未完成原因及拟采取的改进措施",
            "未完成原因分析及改进措施",
            "偏差原因分析",
            "偏差原因及改进措施",
            "偏差原因分析及整改措施",
            "原因分析",
            "原因",
            "备注",
        ),
    ),
)
"""The indicator table's columns, in the order our templates print them."""

SPLIT_TARGET_COLUMNS: dict[str, Term] = _table(
    Term("target_nature", "指标性质", ("指标方向", "性质")),
    Term("target_value", "指标值"),
    Term("target_unit", "度量单位", ("计量单位", "单位")),
)
"""A target split over three columns (指标性质 | 指标值 | 度量单位): joined into ``target``.

Where 指标性质 is present, 指标值 is the value part, not the whole target."""

FUNDS_COLUMNS: dict[str, Term] = _table(
    Term("initial_budget", "年初预算数", ("年初预算", "年初预算金额")),
    Term(
        "annual_budget",
        "全年预算数",
        ("调整后预算数", "预算数", "全年预算", "全年预算金额", "调整后预算"),
    ),
    Term("executed", "全年执行数", ("预算执行数", "执行数", "全年执行", "实际执行数", "实际支出")),
    Term("stated_rate", "执行率", ("预算执行率", "资金执行率")),
    Term("points", "分值", ("权重", "权重占比")),
    Term("score", "得分", ("评分", "折算得分")),
)
"""The funds block's columns (项目资金)."""

WEIGHT_POINTS: tuple[str, ...] = ("权重", "权重分值")
"""分值 headed as Sichuan's forms print it: such a form is closest to the sichuan layout
(指标分值权重 and 权重占比 are other shapes)."""

SHARE_POINTS: tuple[str, ...] = ("权重占比",)
"""分值 headings that give the weight as a share of 100 (``20%`` is 20 points)."""

CONVERTED_SCORE: tuple[str, ...] = ("折算得分",)
"""得分 headings of the score converted to the weight: taken before a plain 得分 beside it
(which then scores the indicator out of 100 and is not read)."""

EXTRA_COLUMNS: tuple[str, ...] = (
    "指标值设置依据",
    "上年完成值",
    "指标赋分规则",
    "佐证资料",
    "完成率",
)
"""Columns of the wide tables that the checks do not need: read past, never taken as an
indicator's name or figures."""

FUNDS_ROWS: dict[str, Term] = _table(
    Term("total", "年度资金总额", ("资金总额", "年度资金总额合计", "总额", "年度财政资金总额")),
    Term("current", "当年财政拨款", ("本年财政拨款", "财政拨款", "财政资金", "本级财政资金")),
    Term("carryover", "上年结转资金", ("上年结转", "结转资金")),
    Term("special_account", "财政专户管理资金", ("财政专户资金",)),
    Term("unit_funds", "单位资金", ("单位自有资金", "自有资金")),
    Term("other", "其他资金", ("其他",)),
)
"""The funds block's rows; every row but ``total`` is a sub-row (其中：…) of it."""

HEADER_FIELDS: dict[str, Term] = _table(
    Term("project", "项目名称"),
    Term("department", "主管部门", ("主管部门及代码", "部门", "主管单位")),
    Term("implementer", "实施单位", ("项目实施单位", "实施单位（盖章）", "单位名称")),
)
"""The header lines above the funds block."""

GOAL_COLUMNS: dict[str, Term] = _table(
    Term(
        "planned",
        "预算目标",
        ("预期目标", "年度目标", "年初设定目标", "总体目标", "项目年度目标"),
    ),
    Term("achieved", "实际完成情况", ("全年实际完成情况", "实际完成目标", "年度目标完成情况")),
)
"""年度总体目标: planned and achieved."""

# The words the code prints most, by name (``vocab.POINTS`` rather than a re-typed 分值).
PROJECT = HEADER_FIELDS["project"].label
DEPARTMENT = HEADER_FIELDS["department"].label
IMPLEMENTER = HEADER_FIELDS["implementer"].label
TARGET = INDICATOR_COLUMNS["target"].label
ACTUAL = INDICATOR_COLUMNS["actual"].label
POINTS = INDICATOR_COLUMNS["points"].label
SCORE = INDICATOR_COLUMNS["score"].label
REASON = INDICATOR_COLUMNS["reason"].label
REASON_SHORT = "偏差原因"
"""偏差原因分析及改进措施 as messages and narrow columns shorten it."""
INITIAL_BUDGET = FUNDS_COLUMNS["initial_budget"].label
BUDGET = FUNDS_COLUMNS["annual_budget"].label
EXECUTED = FUNDS_COLUMNS["executed"].label
RATE = FUNDS_COLUMNS["stated_rate"].label
FUNDS_TOTAL = FUNDS_ROWS["total"].label
UNNAMED_PROJECT = f"（未填{PROJECT}）"
"""A form's heading where its 项目名称 was left blank."""

PROJECT_LIST_KEYS: dict[str, Term] = _table(
    Term("projects", "项目"),
    Term("unit", "资金单位"),
    Term("funds_points", "资金分值"),
    Term("funds", "资金"),
    Term("weights", "一级指标分值"),
    Term("indicators", "指标"),
    Term("layout", "表样"),
)
"""A project list's own keys (docs/projects-format.md), beside the form's labels it also uses."""

TOTAL_LABELS: tuple[str, ...] = ("总分", "总计", "合计", "自评总分")
"""The label of the row that closes the indicator table."""

PLACEHOLDER_ROWS: tuple[str, ...] = ("……", "…", "...", "其他需要说明事项", "其他说明事项")
"""Row labels that stand for no indicator."""

BREAKDOWN_PREFIX: tuple[str, ...] = ("其中",)
"""How a row that breaks down the indicator above starts (★补助种植面积 29.5亩, then
其中桃树种植面积 1.5亩 …): with no 分值 and no 得分 of its own it is no indicator."""

CLOSING_LABELS: tuple[str, ...] = (
    "评价结论",
    "存在问题",
    "改进措施",
    "项目负责人",
    "财务负责人",
    "审核人",
    "填报人",
    "填报日期",
    "联系电话",
    "偏差大或目标未完成原因分析",
)
"""Labels of the lines after the indicator table (not part of it), as they start a cell."""

TABLE_REASON_LABELS: tuple[str, ...] = ("偏差大或目标未完成原因分析",)
"""The line after a table that has no 偏差原因 column where the form says, once, why its
targets were missed (湖北's and 云南's 项目自评表)."""

DURATION_WORDS: tuple[str, ...] = (
    "项目周期", "建设周期", "实施周期", "周期", "建设工期", "工期", "完成时限", "办理时限",
    "办结时限", "时限", "用时", "耗时", "历时",
)  # fmt: skip
"""Words naming a duration (项目周期 6个月, 建设工期 180天): a ceiling, finishing sooner meets it."""

TARGET_NATURES: dict[str, str] = {
    "正向": "≥",
    "正向指标": "≥",
    "反向": "≤",
    "反向指标": "≤",
    "大于等于": "≥",
    "小于等于": "≤",
    "大于": ">",
    "小于": "<",
    "等于": "=",
    "定量": "",
    "定性": "",
    "数值": "",
    "比率": "",
    "—": "",
    "/": "",
}
"""指标性质 written as a word: the operator it stands for when 指标值 has none ("" adds none)."""


_BRACKET_SUFFIX = re.compile(r"[（(][^（()）]{1,8}[)）]$")


# Kept for speed: bench_validate_folder, 1,000 hand-made forms, one process: 6 % of the time.
@lru_cache(maxsize=4096)
def heading_key(text: str) -> str:
    """A heading as compared with the tables: ``全年预算数（A）`` -> ``全年预算数``."""
    s = "".join(unicodedata.normalize("NFKC", text).split()).rstrip(":")
    bare = _BRACKET_SUFFIX.sub("", s)
    return bare or s


def _index(table: dict[str, Term]) -> dict[str, str]:
    return {heading_key(word): term.key for term in table.values() for word in term.words}


_INDEXES: dict[int, dict[str, str]] = {}


def match(text: str, table: dict[str, Term]) -> str | None:
    """The field key whose words include ``text`` (after :func:`heading_key`), or None."""
    index = _INDEXES.get(id(table))
    if index is None:
        index = _INDEXES[id(table)] = _index(table)
    return index.get(heading_key(text))


def is_label(text: str) -> bool:
    """Whether ``text`` is one of the form's own labels (a heading, a funds row, a header
    field, the total row or a closing line): such a cell is never a field's value."""
    return heading_key(text) in _LABELS


def words(table: dict[str, Term]) -> tuple[str, ...]:
    """Every word of a table, longest first (for substring searches)."""
    return tuple(sorted({w for t in table.values() for w in t.words}, key=len, reverse=True))


_LABELS = frozenset(
    heading_key(word)
    for table in (
        INDICATOR_COLUMNS,
        SPLIT_TARGET_COLUMNS,
        FUNDS_COLUMNS,
        FUNDS_ROWS,
        HEADER_FIELDS,
        GOAL_COLUMNS,
    )
    for word in words(table)
) | {heading_key(word) for word in (*TOTAL_LABELS, *CLOSING_LABELS, *EXTRA_COLUMNS)}


__all__ = [
    "ACTUAL",
    "BUDGET",
    "DEPARTMENT",
    "EXECUTED",
    "FUNDS_TOTAL",
    "IMPLEMENTER",
    "INITIAL_BUDGET",
    "POINTS",
    "PROJECT",
    "RATE",
    "REASON",
    "REASON_SHORT",
    "SCORE",
    "TARGET",
    "UNNAMED_PROJECT",
    "CLOSING_LABELS",
    "TABLE_REASON_LABELS",
    "CONVERTED_SCORE",
    "EXTRA_COLUMNS",
    "FUNDS_COLUMNS",
    "FUNDS_ROWS",
    "GOAL_COLUMNS",
    "HEADER_FIELDS",
    "INDICATOR_COLUMNS",
    "PLACEHOLDER_ROWS",
    "BREAKDOWN_PREFIX",
    "PROJECT_LIST_KEYS",
    "SHARE_POINTS",
    "WEIGHT_POINTS",
    "SPLIT_TARGET_COLUMNS",
    "DURATION_WORDS",
    "TARGET_NATURES",
    "TOTAL_LABELS",
    "Term",
    "heading_key",
    "is_label",
    "match",
    "words",
]

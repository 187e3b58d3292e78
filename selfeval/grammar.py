"""The target grammar: 年度指标值 (target) and 实际完成值 (actual) as staff write them.

A target is numeric (``>=90%``, ``≤2%``, ``=0起``, ``98%以上``, ``300路``), qualitative
(``及时``, ``同比上升``) or unparsed, with a Chinese reason: the parser says what it
could not read rather than guess. :func:`evaluate` says whether an actual meets a target.

Conventions (DOMAIN.md, "Target grammar"):
- No operator: ``>=`` for rates (``100%``), ``=`` otherwise (``300路``); ``implied_op`` is set.
- ``=`` is a positive indicator, like ``>=``: it is met once the target is reached.
  A zero target (``=0起``, ``=0%``) is met only by 0.
- Qualitative actuals fall in three bands: achieved, partial (基本 / 部分 / 较),
  not achieved (未 / 不 / 没有 / 否 / 无法).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

__all__ = [
    "Actual",
    "Evaluation",
    "Op",
    "Target",
    "evaluate",
    "parse_actual",
    "parse_target",
]

Op = Literal[">=", ">", "=", "<=", "<"]
Kind = Literal["numeric", "qualitative", "unparsed"]
Level = Literal["achieved", "partial", "not_achieved"]
Status = Literal["met", "partial", "unmet", "unknown"]

# -- public API ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值."""

    text: str  # original text as found
    kind: Kind
    op: Op | None = None  # comparison operator (numeric only)
    value: float | None = None  # number as written: "90%" -> 90.0 with unit "%"
    unit: str = ""
    implied_op: bool = False  # no operator was written; one was assumed
    word: str | None = None  # qualitative word, normalised
    why: str | None = None  # Chinese reason when unparsed

    def format(self) -> str:
        """Canonical spelling: ``>=90%``, ``=0次``, ``<=2%``; the word if qualitative."""
        if self.kind == "numeric":
            return f"{self.op}{_number_text(self.value or 0.0)}{self.unit}"
        if self.kind == "qualitative":
            return self.word or ""
        return self.text.strip()

    @property
    def negative(self) -> bool:
        """A negative (reverse) indicator: smaller is better (≤, <)."""
        return self.op in ("<=", "<")


@dataclass(frozen=True)
class Actual:
    """A parsed 实际完成值."""

    text: str
    kind: Kind
    value: float | None = None
    unit: str = ""  # "" when omitted ("365")
    level: Level | None = None  # qualitative only; None when it cannot be told
    why: str | None = None  # Chinese reason when it cannot be read or judged


@dataclass(frozen=True)
class Evaluation:
    """Whether an actual meets its target."""

    status: Status
    ratio: float | None = None  # actual/target (positive), target/actual (negative)
    over_ratio: float | None = None  # actual/target for positive numeric targets
    unit_mismatch: bool = False  # both units present and different
    why: str | None = None  # Chinese explanation when unknown


@lru_cache(maxsize=16384)
def parse_target(text: str) -> Target:
    """Read a 年度指标值; never raises."""
    s = _compact(text)
    if not s or not _has_content(s):
        return Target(text or "", "unparsed", why="未填写")
    if not _DIGIT.search(s):
        if _SYMBOLS.search(s):
            return Target(text, "unparsed", why=f"指标值“{s}”缺少数值，无法识别")
        return Target(text, "qualitative", word=s)
    return _numeric_target(text, s)


def parse_actual(text: str, target: Target | None = None) -> Actual:
    """Read a 实际完成值; a qualitative one is banded against ``target``. Never raises."""
    word = target.word if target is not None and target.kind == "qualitative" else None
    return _parse_actual(text or "", word)


@lru_cache(maxsize=16384)  # the same pairs recur across forms; hashing beats recomputing
def evaluate(target: Target, actual: Actual) -> Evaluation:
    """Whether ``actual`` meets ``target``: met / partial / unmet, or unknown with a reason."""
    if target.kind == "unparsed":
        return Evaluation("unknown", why=f"指标值无法识别：{target.why}")
    if actual.kind == "unparsed":
        return Evaluation("unknown", why=f"实际完成值无法识别：{actual.why}")
    if target.kind == "qualitative":
        return _evaluate_qualitative(actual)
    if actual.kind != "numeric":
        why = f"指标值为数值，实际完成值“{actual.text.strip()}”不是数值，无法比较"
        return Evaluation("unknown", why=why)
    return _evaluate_numeric(target, actual)


# -- normalising text ---------------------------------------------------------------

_NUMBER = r"[-+]?\d+(?:\.\d+)?"  # a number as staff write it: "90", "-1.5"
_DIGIT = re.compile(r"\d")
_NUMBERS = re.compile(_NUMBER)
_SYMBOLS = re.compile(r"[<>=≥≤≧≦⩾⩽%‰]")
_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_REMARK = re.compile(r"\([^()]*\)")  # "100%(已完成)": a remark in brackets
_PER_CENT_WORD = re.compile(rf"百分之({_NUMBER})")
_TRAILING = "。；;，,、."


def _compact(text: str | None) -> str:
    """NFKC (full-width → ASCII), no spaces, no thousands separators or remarks."""
    if not text:
        return ""
    s = _SPACE.sub("", unicodedata.normalize("NFKC", text))
    s = _THOUSANDS.sub("", s)
    s = _PER_CENT_WORD.sub(r"\1%", s)
    bare = _REMARK.sub("", s)
    return (bare or s).rstrip(_TRAILING)


def _has_content(s: str) -> bool:
    """Anything beyond punctuation such as ``—`` or ``/``."""
    return any(ch.isalnum() for ch in s) or bool(_SYMBOLS.search(s))


def _number_text(value: float) -> str:
    """A number as written, without exponent or trailing zeros."""
    if value.is_integer():
        return str(int(value))
    return format(Decimal(repr(value)), "f")


# -- numeric targets ----------------------------------------------------------------

_PREFIX_OPS: dict[str, Op] = {
    ">=": ">=", "=>": ">=", "≥": ">=", "≧": ">=", "⩾": ">=",
    "大于等于": ">=", "大于或等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "==": "=", "=": "=", "等于": "=",
    "<=": "<=", "=<": "<=", "≤": "<=", "≦": "<=", "⩽": "<=",
    "小于等于": "<=", "小于或等于": "<=", "不超过": "<=", "不高于": "<=", "不多于": "<=",
    "不大于": "<=", "至多": "<=", "最多": "<=",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
}  # fmt: skip
_SUFFIX_OPS: dict[str, Op] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
}  # fmt: skip


def _alternatives(words: dict[str, Op]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_TARGET_RE = re.compile(
    rf"(?P<op>{_alternatives(_PREFIX_OPS)})?(?P<num>{_NUMBER})"
    rf"(?P<unit>.*?)(?P<suffix>{_alternatives(_SUFFIX_OPS)})?"
)
_RANGE_RE = re.compile(r"\d(?:%|‰)?[-~～至到—–]+\d")

_UNITS = frozenset((
    "%", "‰", "个", "次", "起", "天", "日", "人", "台", "路", "篇", "小时", "元", "件", "项", "家", "户",
    "辆", "套", "场", "期", "份", "本", "册", "所", "座", "处", "条", "部", "名", "月", "个月", "年", "周",
    "分钟", "秒", "分", "倍", "批", "张", "间", "栋", "幢", "头", "株", "棵", "只", "门", "节", "种", "类",
    "笔", "把", "块", "组", "根", "首", "幅", "集", "届", "轮", "遍", "例", "宗", "单", "卷", "盒", "箱",
    "床", "班", "校", "页", "字", "千米", "公里", "米", "平方米", "平米", "立方米", "亩", "公顷", "吨", "公斤",
    "千克", "克", "升", "人次", "户次", "家次", "场次", "批次", "架次", "车次", "课时", "学时", "工作日", "个工作日",
    "百分点", "个百分点",
))  # fmt: skip
_MAGNITUDE = re.compile(r"^(?:百万|千万|万|亿|千|百)")
_ASCII_UNIT = re.compile(r"[A-Za-z][A-Za-z0-9]{0,5}")
_UNIT_ALIASES = {"百分比": "%", "p": "P"}


def _unit(raw: str) -> str | None:
    """The normalised unit, or None when it is not a unit we know."""
    unit = _UNIT_ALIASES.get(raw, raw)
    parts = unit.split("/") if unit else []
    ok = all(
        p in _UNITS or _MAGNITUDE.sub("", p) in _UNITS or _ASCII_UNIT.fullmatch(p) for p in parts
    )
    return unit if ok else None


def _numeric_target(text: str, s: str) -> Target:
    numbers = _NUMBERS.findall(s)
    if len(numbers) > 1:
        if _RANGE_RE.search(s):
            return Target(text, "unparsed", why=f"指标值“{s}”是一个范围，无法确定比较方向")
        return Target(text, "unparsed", why=f"指标值“{s}”含多个数值，无法确定比较对象")
    m = _TARGET_RE.fullmatch(s)
    if m is None:
        return Target(text, "unparsed", why=f"无法识别指标值“{s}”的写法")
    unit = _unit(m["unit"])
    if unit is None:
        return Target(text, "unparsed", why=f"无法识别指标值“{s}”的单位“{m['unit']}”")
    prefix = _PREFIX_OPS.get(m["op"] or "")
    suffix = _SUFFIX_OPS.get(m["suffix"] or "")
    if prefix and suffix and (prefix in ("<=", "<")) != (suffix in ("<=", "<")):
        return Target(text, "unparsed", why=f"指标值“{s}”前后比较方向矛盾")
    op = prefix or suffix or (">=" if unit in ("%", "‰") else "=")
    implied = not (prefix or suffix)
    return Target(text, "numeric", op=op, value=float(m["num"]), unit=unit, implied_op=implied)


# -- actuals ------------------------------------------------------------------------

_ACTUAL_RE = re.compile(rf"(?P<num>{_NUMBER})(?P<unit>.*)")

_ACHIEVED_WORDS = frozenset((
    "达成", "完成", "达到", "已完成", "已达成", "已达到", "达成预期指标", "达到预期", "达到预期目标", "完成预期目标", "是", "符合",
    "满足", "达标", "已实现", "实现", "全部完成",
))  # fmt: skip
_NEGATION = re.compile(r"^(?:未|没有|没|否|无法|尚未|尚不|暂未|仍未|均未|不(?!断|仅|少|错))")
_PARTIAL = re.compile(r"基本|部分|较(?!上年|去年|往年|同期|以往|之前|前)")
_UP = ("提升", "上升", "提高", "增加", "增长", "增强", "扩大")
_DOWN = ("降低", "下降", "减少", "缩短", "减小", "压缩")
_POSITIVE = (
    "达成", "完成", "达到", "达标", "实现", "符合", "满足", "及时", "按时", "准时", "提升",
    "提高", "上升", "增长", "增加", "增强", "加强", "改善", "完善", "健全", "建立", "建成",
    "合理", "合规", "规范", "良好", "优良", "优秀", "好", "兼容", "完整", "有效", "明显",
    "显著", "稳定", "安全", "正常", "顺利", "通过", "合格", "降低", "下降", "减少", "满意",
    "保障", "落实", "到位",
)  # fmt: skip


@lru_cache(maxsize=16384)
def _parse_actual(text: str, target_word: str | None) -> Actual:
    s = _compact(text)
    if not s or not _has_content(s):
        return Actual(text, "unparsed", why="未填写")
    m = _ACTUAL_RE.fullmatch(s)
    unit = _unit(m["unit"]) if m else None
    if m and unit is not None:
        return Actual(text, "numeric", value=float(m["num"]), unit=unit)
    if _SYMBOLS.search(s) and not any(ch.isalpha() for ch in s.replace("%", "")):
        why = f"实际完成值“{s}”应写实际达到的数值，无法识别"
        return Actual(text, "unparsed", why=why)
    level = _level(s, target_word)
    why = None if level else f"无法判断实际完成值“{s}”是否达成"
    return Actual(text, "qualitative", level=level, why=why)


def _level(word: str, target_word: str | None) -> Level | None:
    """Band a qualitative actual; None when the words say nothing clear."""
    if (target_word and _same_word(word, target_word)) or word in _ACHIEVED_WORDS:
        return "achieved"
    if _NEGATION.match(word):
        # "未发生" meets a target phrased as an absence ("不发生", "无事故").
        negated_target = bool(target_word and _NEGATION.match(target_word))
        return "achieved" if negated_target else "not_achieved"
    if _PARTIAL.search(word):
        return "partial"
    if target_word and _opposite(target_word, word):
        return "not_achieved"
    if (target_word and target_word in word) or any(p in word for p in _POSITIVE):
        return "achieved"
    return None


def _same_word(a: str, b: str) -> bool:
    """及时 and 及时性 say the same."""
    return a.rstrip("性度") == b.rstrip("性度")


def _opposite(target_word: str, word: str) -> bool:
    """The actual moves the other way (target 提升, actual 下降)."""
    t_up, t_down = _has_any(target_word, _UP), _has_any(target_word, _DOWN)
    a_up, a_down = _has_any(word, _UP), _has_any(word, _DOWN)
    return (t_up and not t_down and a_down and not a_up) or (
        t_down and not t_up and a_up and not a_down
    )


def _has_any(text: str, words: tuple[str, ...]) -> bool:
    return any(w in text for w in words)


# -- evaluation ---------------------------------------------------------------------

_LEVEL_STATUS: dict[str, Status] = {
    "achieved": "met",
    "partial": "partial",
    "not_achieved": "unmet",
}
_MONEY = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}


def _evaluate_qualitative(actual: Actual) -> Evaluation:
    if actual.kind == "numeric":
        why = f"定性指标的实际完成值为数值“{actual.text.strip()}”，无法判断是否达成"
        return Evaluation("unknown", why=why)
    if actual.level is None:
        return Evaluation("unknown", why=actual.why)
    return Evaluation(_LEVEL_STATUS[actual.level])


def _evaluate_numeric(target: Target, actual: Actual) -> Evaluation:
    t, a = target.value or 0.0, actual.value or 0.0
    mismatch = bool(target.unit and actual.unit and target.unit != actual.unit)
    if mismatch and actual.unit in _MONEY and target.unit in _MONEY:
        a = a * _MONEY[actual.unit] / _MONEY[target.unit]  # 万元 vs 元 still compare
    met = _compare(target.op or "=", a, t)
    if target.negative:
        ratio, over = (t / a if a else None), None
    else:
        ratio = a / t if t else None
        over = a / t if t > 0 else None
    return Evaluation("met" if met else "unmet", ratio, over, mismatch)


def _compare(op: Op, a: float, t: float) -> bool:
    equal = math.isclose(a, t, rel_tol=1e-9, abs_tol=1e-12)
    if op == "=" and t == 0:
        return equal
    if op in ("=", ">="):
        return equal or a > t
    if op == ">":
        return a > t and not equal
    if op == "<=":
        return equal or a < t
    return a < t and not equal

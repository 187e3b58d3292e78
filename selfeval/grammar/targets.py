"""The target grammar: 年度指标值 (target) and 实际完成值 (actual) as staff write them.

A target is numeric (``>=90%``, ``≤2%``, ``=0起``, ``98%以上``, ``3-5年``), a date
(``10月底前``, ``2023年12月31日前``, ``12月``), qualitative (``及时``, ``同比上升``, ``是``,
``优良中低差``) or unparsed, with a Chinese reason: the parser says what it could not read
rather than guess. :func:`evaluate` says whether an actual meets a target.

Conventions (DOMAIN.md, "Target grammar" and "Also in real forms"):
- No operator: ``<=`` when the indicator's name says less is better (``lower_better``),
  else ``>=`` for rates (``100%``) and ``=`` otherwise (``300路``); ``implied_op`` is set
  and ``assumed`` says which direction was taken.
- ``=`` is a positive indicator, like ``>=``: it is met once the target is reached.
  A zero target (``=0起``, ``无``, ``零投诉``, ``杜绝…``) is met only by 0 / 无 / 未发生.
- Units of one family are converted before comparing (万 on any unit, 万元/元, 小时/分钟/天,
  公里/米, 次/月 against 次/年, a fraction 0.92 against a percent target).
- Dates are deadlines, compared at the coarser of the two precisions (11月 meets 12月).
- Qualitative actuals fall in three bands: achieved, partial (基本 / 部分 / 较 / 正在 / 初步),
  not achieved (未 / 不 / 没有 / 否 / 无法 / 延期). 是/否 are met only by the same answer;
  grade words rank 优秀 > 良好 > 中等/一般 > 差.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from selfeval.form.vocabulary import ACTUAL, DURATION_WORDS, TARGET_NATURES

__all__ = [
    "Actual",
    "Evaluation",
    "Op",
    "Target",
    "evaluate",
    "is_duration_name",
    "join_target",
    "name_unit",
    "with_unit",
    "parse_actual",
    "parse_target",
]

Op = Literal[">=", ">", "=", "<=", "<"]
Kind = Literal["numeric", "date", "qualitative", "unparsed"]
Level = Literal["achieved", "partial", "not_achieved"]
Status = Literal["met", "partial", "unmet", "unknown"]
Date = tuple[int | None, int | None, int | None]  # (year, month, day); None when not written
Change = Literal["up", "down"]

# -- public API ---------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A parsed 年度指标值."""

    text: str  # original text as found
    kind: Kind
    op: Op | None = None  # comparison operator (numeric and date)
    value: float | None = None  # number as written: "90%" -> 90.0 with unit "%"
    unit: str = ""
    implied_op: bool = False  # no operator was written; one was assumed
    word: str | None = None  # qualitative word, normalised
    why: str | None = None  # Chinese reason when unparsed
    upper: float | None = None  # upper end of a range ("3-5年": value 3, upper 5)
    date: Date | None = None  # a deadline ("10月底前": (None, 10, 31))
    assumed: str | None = None  # Chinese: the direction assumed when no operator is written
    change: Change | None = None  # a change target (提高2个百分点, 较上年增长5%): its direction

    def format(self) -> str:
        """Canonical spelling: ``>=90%``, ``=0次``, ``3-5年``, ``12月31日前``; the word if qualitative."""
        if self.kind == "numeric":
            if self.upper is not None:
                return f"{_number_text(self.value or 0.0)}-{_number_text(self.upper)}{self.unit}"
            change = {"up": "增长", "down": "下降", None: ""}[self.change]
            return f"{change}{self.op}{_number_text(self.value or 0.0)}{self.unit}"
        if self.kind == "date" and self.date is not None:
            return _date_text(self.date) + "前"
        if self.kind == "qualitative":
            return self.word or ""
        return self.text.strip()

    @property
    def negative(self) -> bool:
        """A negative (reverse) indicator: smaller is better (≤, <)."""
        return self.kind == "numeric" and self.op in ("<=", "<")

    @property
    def zero(self) -> bool:
        """A zero target (``=0起``, ``无``, ``零投诉``): met only by nothing happening."""
        return self.kind == "numeric" and self.value == 0 and self.op in ("=", "<=")


@dataclass(frozen=True)
class Actual:
    """A parsed 实际完成值."""

    text: str
    kind: Kind
    value: float | None = None
    unit: str = ""  # "" when omitted ("365")
    level: Level | None = None  # qualitative only; None when it cannot be told
    why: str | None = None  # Chinese reason when it cannot be read or judged
    date: Date | None = None  # when the actual is a date ("11月", "2023年6月")
    change: Change | None = None  # a change (提高2.5个百分点, 下降1%): its direction


@dataclass(frozen=True)
class Evaluation:
    """Whether an actual meets its target."""

    status: Status
    ratio: float | None = None  # actual/target (positive), target/actual (negative)
    over_ratio: float | None = None  # actual/target for positive numeric targets
    unit_mismatch: bool = False  # units differ and cannot be converted
    why: str | None = None  # Chinese explanation when unknown


def parse_target(
    text: str | float | None, lower_better: bool = False, ceiling: bool = False
) -> Target:
    """Read a 年度指标值 (a number arriving as a number is the same text); never raises.

    ``lower_better``: the indicator's name says less is better (投诉, 故障率 …), so a
    target without an operator is read as ``<=``. ``ceiling``: the name says the target
    is a duration (项目周期, 建设工期: :func:`is_duration_name`), so a time without an
    operator is read as ``<=``.
    """
    return _parse_target(_as_text(text), lower_better, ceiling)


def is_duration_name(name: str) -> bool:
    """The indicator's name says its target is a duration (项目周期, 建设工期, 完成时限)."""
    return _DURATION.search(name) is not None


def name_unit(name: str) -> str | None:
    """The unit an indicator's name states in brackets at its end: ``任务完成时限(月)``,
    ``培训人次（人次）``, ``资金到位率(%)``. A month count (``(月)``) is 个月, never October;
    brackets holding anything but a unit (``结余率(计算方法为:…)``) give None."""
    m = _NAME_UNIT.search(name)
    if m is None:
        return None
    unit = m[1].strip()
    return _unit(_COUNTED.get(unit, unit))


def with_unit(text: str, unit: str | None) -> str:
    """A bare figure (``10``, ``≤10``) given the unit its name states; other text as it is.

    Assumed: a figure without a unit under a name that states one is in that unit, as the
    form's author meant by writing it there."""
    if unit and text[-1:].isdigit() and _BARE_FIGURE.fullmatch(text.strip()):
        return text.strip() + unit
    return text


_NAME_UNIT = re.compile(r"[（(]([^()（）]{1,6})[)）]\s*$")
_COUNTED = {"月": "个月", "季": "个季度", "季度": "个季度"}  # counts, not dates
_BARE_FIGURE = re.compile(r"[<>=≥≤≧≦]{0,2}\s*[-+]?\d+(?:\.\d+)?")


def parse_actual(text: str | float | None, target: Target | None = None) -> Actual:
    """Read a 实际完成值; a qualitative one is banded against ``target``. Never raises."""
    word = target.word if target is not None and target.kind == "qualitative" else None
    return _parse_actual(_as_text(text), word)


def join_target(nature: str | float | None, value: str | float | None, unit: str | None) -> str:
    """One target text from a target split over 指标性质 | 指标值 | 度量单位.

    ``≧ | 735 | 人次`` -> ``≧735人次``; ``定性 | 有效 |`` -> ``有效``; ``反向 | 5 | %`` ->
    ``≤5%``. A nature word (vocabulary.TARGET_NATURES) becomes the operator when the value
    carries none; a unit the value already ends with is not repeated.
    """
    n, v, u = (_as_text(x).strip() for x in (nature, value, unit))
    if not v:
        return ""
    operator = TARGET_NATURES.get(n, n)
    if not _DIGIT.search(v) or _LEADING_OP.match(unicodedata.normalize("NFKC", v)):
        operator = ""  # 定性: the value is the whole target; or it has its own operator
    if u and v.endswith(u):
        u = ""
    return f"{operator}{v}{u}"


def evaluate(target: Target, actual: Actual) -> Evaluation:
    """Whether ``actual`` meets ``target``: met / partial / unmet, or unknown with a reason."""
    if target.kind == "unparsed":
        return Evaluation("unknown", why=f"指标值无法识别：{target.why}")
    if actual.kind == "unparsed":
        return Evaluation("unknown", why=f"{ACTUAL}无法识别：{actual.why}")
    if target.kind == "qualitative":
        return _evaluate_qualitative(actual)
    if target.kind == "date":
        return _evaluate_date(target, actual)
    if actual.kind != "numeric":
        if target.zero:
            return _evaluate_absence(actual)
        why = f"指标值为数值，{ACTUAL}“{actual.text.strip()}”不是数值，无法比较"
        return Evaluation("unknown", why=why)
    return _evaluate_numeric(target, actual)


# -- normalising text ---------------------------------------------------------------

_NUMBER = r"[-+]?\d+(?:\.\d+)?"  # a number as staff write it: "90", "-1.5"
_DIGIT = re.compile(r"\d")
_NUMBERS = re.compile(_NUMBER)
_SYMBOLS = re.compile(r"[<>=≥≤≧≦⩾⩽═%‰]")
_SPACE = re.compile(r"\s+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# A remark in brackets: "100%(已完成)", "≥90%【抽样】", "≥95%(问卷)", "≥90%〔抽样调查〕".
_REMARK = re.compile(r"\([^()]*\)|【[^【】]*】|\[[^\[\]]*\]|〔[^〔〕]*〕")
_PER_CENT_WORD = re.compile(rf"百分之({_NUMBER})")
_TRAILING = "。；;，,、."


def _as_text(value: str | float | None) -> str:
    """A cell as text: numbers from YAML/JSON (``target: 100``) become ``"100"``."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        return _number_text(float(value)) if math.isfinite(value) else str(value)
    return value


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


# Chinese numerals before a unit: 五个, 两次, 一百二十人, 百分之九十五.
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
              "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = re.compile(r"(?P<pre>\D*?)(?P<cn>[零〇一二两三四五六七八九十百千]+)(?P<rest>.*)")
_CN_PERCENT = re.compile(r"百分之(?P<cn>[零〇一二两三四五六七八九十百]+)")


def _cn_value(cn: str) -> int | None:
    """九十五 -> 95, 一百二十 -> 120, 两 -> 2; None when not a well-formed numeral."""
    total, digit = 0, None
    for ch in cn:
        if ch in _CN_DIGITS:
            if digit is not None:
                return None
            digit = _CN_DIGITS[ch]
        else:
            total += (1 if digit is None else digit) * _CN_UNITS[ch]
            digit = None
    return total + (digit or 0)


def _arabic(s: str) -> str | None:
    """``s`` with its Chinese numeral written in digits, when it reads as numeral + unit."""
    s = _CN_PERCENT.sub(lambda m: f"{_cn_value(m['cn'])}%", s)
    if _DIGIT.search(s):
        return s
    m = _CN_NUMBER.fullmatch(s)
    if m is None or _cn_value(m["cn"]) is None:
        return None
    rest = m["rest"]
    suffix = next((x for x in _SUFFIX_OPS if rest.endswith(x)), "")
    unit = rest[: len(rest) - len(suffix)] if suffix else rest
    if m["pre"] not in _PREFIX_OPS and m["pre"] not in _NEUTRAL_PREFIXES and m["pre"] != "":
        return None
    if _unit(unit) is None or not unit:
        return None
    return f"{m['pre']}{_cn_value(m['cn'])}{rest}"


# -- numeric targets ----------------------------------------------------------------

_PREFIX_OPS: dict[str, Op] = {
    ">=": ">=", "=>": ">=", "≥": ">=", "≧": ">=", "⩾": ">=",
    "大于等于": ">=", "大于或等于": ">=", "不低于": ">=", "不少于": ">=", "不小于": ">=",
    "至少": ">=", "高于或等于": ">=",
    ">": ">", "大于": ">", "高于": ">", "超过": ">", "多于": ">",
    "==": "=", "=": "=", "═": "=", "等于": "=",
    "<=": "<=", "=<": "<=", "≤": "<=", "≦": "<=", "⩽": "<=",
    "小于等于": "<=", "小于或等于": "<=", "不超过": "<=", "不高于": "<=", "不多于": "<=",
    "不大于": "<=", "至多": "<=", "最多": "<=", "低于或等于": "<=",
    "<": "<", "小于": "<", "低于": "<", "少于": "<",
}  # fmt: skip
_SUFFIX_OPS: dict[str, Op] = {
    "及以上": ">=", "以上": ">=", "及以下": "<=", "以下": "<=", "以内": "<=", "之内": "<=",
    "内": "<=",
}  # fmt: skip
# Words around a figure that do not change its direction: 控制在5%以内, 达到90%, 100%完成.
_NEUTRAL_PREFIXES = ("控制在", "保持在", "维持在", "达到", "确保", "保持", "维持", "实现", "完成")
_NEUTRAL_SUFFIXES = ("完成", "达标")


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_LEADING_OP = re.compile(rf"(?:{_alternatives(_PREFIX_OPS)}|═)")

_TARGET_RE = re.compile(
    rf"(?:{_alternatives(_NEUTRAL_PREFIXES)})?(?P<op>{_alternatives(_PREFIX_OPS)})?"
    rf"(?P<num>{_NUMBER})(?P<unit>.*?)(?P<suffix>{_alternatives(_SUFFIX_OPS)})?"
    rf"(?:{_alternatives(_NEUTRAL_SUFFIXES)})?"
)
_RANGE_RE = re.compile(
    rf"(?P<lo>{_NUMBER})(?P<u1>[^\d\-~～至到—–]*)[-~～至到—–]+(?P<hi>{_NUMBER})(?P<unit>.*)"
)

_UNITS = frozenset((
    "%", "‰", "个", "次", "起", "天", "日", "人", "台", "路", "篇", "小时", "元", "件", "项", "家", "户",
    "辆", "套", "场", "期", "份", "本", "册", "所", "座", "处", "条", "部", "名", "月", "个月", "年", "周",
    "分钟", "秒", "分", "倍", "批", "张", "间", "栋", "幢", "头", "株", "棵", "只", "门", "节", "种", "类",
    "笔", "把", "块", "组", "根", "首", "幅", "集", "届", "轮", "遍", "例", "宗", "单", "卷", "盒", "箱",
    "床", "班", "校", "页", "字", "千米", "公里", "米", "厘米", "毫米", "平方米", "平米", "平方公里", "立方米",
    "亩", "公顷", "吨", "公斤", "千克", "克", "升", "人次", "户次", "家次", "场次", "批次", "架次", "车次",
    "课时", "学时", "工作日", "个工作日", "百分点", "个百分点", "季度", "个季度", "周年", "人天", "人日",
    "册次", "件次", "台次", "张次", "剂次", "针次", "微克", "毫克", "千瓦时", "度", "瓶", "支", "剂",
    "车", "艘", "尾", "延米", "标段", "点", "站", "网点", "村", "镇", "乡", "社区", "对", "人月",
    "微克/立方米", "毫克/升",
))  # fmt: skip
_MAGNITUDE = re.compile(r"^(?:百万|千万|万|亿|千|百)")
_ASCII_UNIT = re.compile(r"[A-Za-z][A-Za-z0-9]{0,5}")
_UNIT_ALIASES = {"百分比": "%", "p": "P"}


def _unit(raw: str) -> str | None:
    """The normalised unit, or None when it is not a unit we know."""
    unit = _UNIT_ALIASES.get(raw, raw)
    if unit in _MAGNITUDES:
        return unit  # "1.2万": the 万 kept, the unit left out
    parts = unit.split("/") if unit else []
    ok = all(
        p in _UNITS or _MAGNITUDE.sub("", p) in _UNITS or _ASCII_UNIT.fullmatch(p) for p in parts
    )
    return unit if ok else None


# Absence targets: 无, 无重大安全事故, 零投诉, 杜绝…, 不发生 (not 无障碍, 无纸化 …).
_ZERO_WORDS = re.compile(
    r"(?:无|零|杜绝|不发生|未发生|不出现|未出现|没有|严禁)(?!障碍|纸化|缝|偿|害化|线|人机|人值守|菌|公害|感)"
)
_YES_NO = frozenset(("是", "否"))


def _parse_target(text: str, lower_better: bool, ceiling: bool = False) -> Target:
    s = _compact(text)
    if not s or not _has_content(s):
        return Target(text, "unparsed", why="未填写")
    if (m := _DURATION_PREFIX.match(s)) and _DIGIT.search(s[m.end() :]):
        s, ceiling = s[m.end() :], True  # "项目周期 6个月": the name typed into the target
    if (m := _CHANGE.fullmatch(s)) is not None:
        return _change_target(text, m, lower_better)
    if (m := _PER_PERIOD.fullmatch(s)) is not None:
        return _per_period(_parse_target(m["rest"], lower_better), m["per"], text)
    if s in _YES_NO:
        return Target(text, "qualitative", word=s)
    date = _date(s, deadline=True)
    if date is not None:
        return Target(text, "date", op="<=", date=date)
    if not _DIGIT.search(s):
        if _ZERO_WORDS.match(s):
            return Target(text, "numeric", op="=", value=0.0)
        arabic = _arabic(s)
        if arabic is None:
            if _SYMBOLS.search(s):
                return Target(text, "unparsed", why=f"指标值“{s}”缺少数值，无法识别")
            return Target(text, "qualitative", word=s)
        s = arabic
    return _numeric_target(text, s, lower_better, ceiling)


def _numeric_target(text: str, s: str, lower_better: bool, ceiling: bool = False) -> Target:
    numbers = _NUMBERS.findall(s)
    if len(numbers) > 1:
        return _range_target(text, s)
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
    value = float(m["num"])
    if prefix or suffix:
        return Target(text, "numeric", op=prefix or suffix, value=value, unit=unit)
    if ceiling and _scale(unit)[0] == "时间":
        op, assumed = "<=", "工期、时限等期限按上限（≤）理解，提前完成即达成"
    elif lower_better and value != 0:
        op, assumed = "<=", "指标名称表明越低越好，按反向指标（≤）理解"
    elif unit in ("%", "‰"):
        op, assumed = ">=", "比率按不低于（≥）理解"
    else:
        op, assumed = "=", "数量按达到该数（=）理解"
    return Target(text, "numeric", op=op, value=value, unit=unit, implied_op=True, assumed=assumed)


_DURATION = re.compile(_alternatives(DURATION_WORDS))  # one search: it runs on every row
_DURATION_PREFIX = re.compile(rf"(?:{_DURATION.pattern})[:：为]?")
# A change against a base: 提高2个百分点, 较上年增长5%, 同比下降3%.
_CHANGE_UP = ("提高", "提升", "增长", "增加", "上升")
_CHANGE_DOWN = ("下降", "降低", "减少", "缩短", "压缩")
_CHANGE = re.compile(
    r"(?:较上年度?|比上年度?|较去年|比去年|与上年相比|同比|环比|较上期|比上期|较基期)?"
    rf"(?P<dir>{_alternatives(_CHANGE_UP + _CHANGE_DOWN)})(?P<rest>\D{{0,6}}\d.*)"
)
# A count per period: 每月1次 is 12次 a year, 每季度1次 is 4.
_PER_PERIOD = re.compile(r"每(?P<per>半年|季度|季|月|周|天|日|年)(?P<rest>.*\d.*)")


def _change_target(text: str, m: re.Match[str], lower_better: bool) -> Target:
    """提高2个百分点: the change itself must reach 2个百分点 in the stated direction."""
    inner = _numeric_target(text, m["rest"], False)
    if inner.kind != "numeric" or inner.upper is not None:
        return inner
    direction: Change = "up" if m["dir"] in _CHANGE_UP else "down"
    if inner.implied_op:
        assumed = "变化幅度按不低于（≥）理解：变化达到该幅度即达成"
        inner = replace(inner, op=">=", assumed=assumed)
    return replace(inner, change=direction)


def _per_period(inner: Target, per: str, text: str) -> Target:
    """每月1次 -> 1 次/月 (compared with a year's count through :func:`_scale`)."""
    if inner.kind != "numeric" or "/" in inner.unit or not inner.unit:
        return replace(inner, text=text)
    return replace(inner, text=text, unit=f"{inner.unit}/{per}")


def _range_target(text: str, s: str) -> Target:
    m = _RANGE_RE.fullmatch(s)
    if m is None or _DIGIT.search(m["unit"]):
        return Target(text, "unparsed", why=f"指标值“{s}”含多个数值，无法确定比较对象")
    unit = _unit(m["unit"])
    first = _unit(m["u1"]) if m["u1"] else unit
    lo, hi = float(m["lo"]), float(m["hi"])
    if unit is None or first != unit or lo >= hi:
        return Target(text, "unparsed", why=f"指标值“{s}”是一个范围，无法确定比较方向")
    return Target(text, "numeric", op=">=", value=lo, unit=unit, upper=hi)


# -- dates --------------------------------------------------------------------------

_DATE_RE = re.compile(
    r"(?:在|于|截至|截止|截止到|截至到)?"
    r"(?:(?P<y>\d{4})年(?:度)?)?(?:(?P<m>\d{1,2})月份?)?(?:(?P<d>\d{1,2})[日号])?"
    r"(?P<end>底|末|中旬|上旬|下旬|初)?"
    r"(?P<tail>前|之前|以前|内|以内|底前|完成|前完成|之前完成|以前完成|内完成|底前完成)?"
)
_YEAR_END = re.compile(r"(?:年底|年末|年内|本年度内|年度内)(?:前)?(?:完成)?")
_MONTH_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _date(s: str, deadline: bool) -> Date | None:
    """A date or deadline as (year, month, day); None when ``s`` is not one."""
    if _YEAR_END.fullmatch(s):
        return (None, 12, 31)
    if not _DIGIT.search(s) or ("年" not in s and "月" not in s):
        return None
    m = _DATE_RE.fullmatch(s)
    if m is None or not (m["y"] or m["m"]):
        return None
    year = int(m["y"]) if m["y"] else None
    month = int(m["m"]) if m["m"] else None
    day = int(m["d"]) if m["d"] else None
    if year is not None and not 1900 <= year <= 2100:
        return None
    if month is not None and not 1 <= month <= 12:
        return None
    if day is not None and (month is None or not 1 <= day <= _MONTH_DAYS[month - 1]):
        return None
    if m["end"] in ("底", "末", "下旬") and month is not None and day is None:
        day = _MONTH_DAYS[month - 1]
    if m["end"] and month is None:
        month, day = 12, 31  # 2023年底
    if not deadline and m["tail"] not in (None, "完成"):
        return None
    return (year, month, day)


def _date_text(d: Date) -> str:
    year, month, day = d
    return (
        (f"{year}年" if year else "")
        + (f"{month}月" if month else "")
        + (f"{day}日" if day else "")
    )


def _date_met(target: Date, actual: Date) -> bool:
    """Compare at the coarser precision of the two (11月 meets 12月; 2024年 misses 2023年)."""
    (ty, tm, td), (ay, am, ad) = target, actual
    if ty is not None and ay is not None and ty != ay:
        return ay < ty
    if tm is None or am is None or tm != am:
        return tm is None or am is None or am < tm
    return td is None or ad is None or ad <= td


# -- actuals ------------------------------------------------------------------------

_ACTUAL_RE = re.compile(
    rf"(?:约|近|大约|达到|达|累计|共计|共|完成|实际|实现|发生|全年|已完成|已)?"
    rf"(?:{_alternatives(_PREFIX_OPS)})?(?P<num>{_NUMBER})(?P<unit>.*?)"
    rf"(?:{_alternatives(_SUFFIX_OPS)}|左右)?(?:完成|达标)?"
)

_ACHIEVED_WORDS = frozenset((
    "达成", "完成", "达到", "已完成", "已达成", "已达到", "达成预期指标", "达到预期", "达到预期目标", "完成预期目标", "是", "符合",
    "满足", "达标", "已实现", "实现", "全部完成", "按时完成", "按期完成", "提前完成",
))  # fmt: skip
_NEGATION = re.compile(r"^(?:未|没有|没|否|无法|尚未|尚不|暂未|仍未|均未|不(?!断|仅|少|错))")
# Bad events: "未延期", "未发生" read as good news (a double negative).
_BAD = re.compile(
    r"延期|逾期|推迟|滞后|延迟|延误|发生|出现|超支|超标|投诉|事故|违规|违纪|差错|失误"
)
_LATE = re.compile(r"延期|逾期|推迟|滞后|延迟|延误|未按时|未按期|未完成")
_PARTIAL = re.compile(
    r"基本|部分|一般|正在|初步|进行中|推进中|实施中|建设中|尚在|有待|待完善|较(?!上年|去年|往年|同期|以往|之前|前)"
)
_UP = ("提升", "上升", "提高", "增加", "增长", "增强", "扩大")
_DOWN = ("降低", "下降", "减少", "缩短", "减小", "压缩")
_POSITIVE = (
    "达成", "完成", "达到", "达标", "实现", "符合", "满足", "及时", "按时", "准时", "提升",
    "提高", "上升", "增长", "增加", "增强", "加强", "改善", "完善", "健全", "建立", "建成",
    "合理", "合规", "规范", "良好", "优良", "优秀", "好", "兼容", "完整", "有效", "明显",
    "显著", "稳定", "安全", "正常", "顺利", "通过", "合格", "降低", "下降", "减少", "满意",
    "保障", "落实", "到位",
)  # fmt: skip
# Grade words, best first; a target written as the scale itself (优良中低差) asks for the top.
_GRADES = {
    "优秀": 4, "优": 4, "优等": 4, "良好": 3, "良": 3, "优良": 3, "中等": 2, "中": 2, "一般": 2,
    "合格": 2, "较差": 1, "差": 1, "低": 1, "不合格": 0,
}  # fmt: skip
_SCALE = re.compile(r"优良?中?[低差]?差?|优良中差|优良中低差|优/良/中/差")
_ABSENT = re.compile(r"(?:无|零|0|没有|杜绝)(?!障碍|纸化|法|效)|(?:未|没有|无|不曾)(?:发生|出现)")


def _parse_actual(text: str, target_word: str | None) -> Actual:
    s = _compact(text)
    if not s or not _has_content(s):
        return Actual(text, "unparsed", why="未填写")
    date = _date(s, deadline=False)
    if date is not None and (date[0] is not None or date[2] is not None or "月" in s[-2:]):
        value, unit = (date[1], "月") if date[1] is not None else (date[0], "年")
        return Actual(text, "numeric", value=float(value or 0), unit=unit, date=date)
    if not _DIGIT.search(s):
        s = _arabic(s) or s
    if (change := _CHANGE.fullmatch(s)) is not None:
        inner = _parse_actual(change["rest"], target_word)
        if inner.kind == "numeric":
            direction: Change = "up" if change["dir"] in _CHANGE_UP else "down"
            return replace(inner, text=text, change=direction)
    if (per := _PER_PERIOD.fullmatch(s)) is not None:
        inner = _parse_actual(per["rest"], target_word)
        if inner.kind == "numeric" and inner.unit and "/" not in inner.unit:
            return replace(inner, text=text, unit=f"{inner.unit}/{per['per']}")
    m = _ACTUAL_RE.fullmatch(s)
    unit = _unit(m["unit"]) if m else None
    if m and unit is not None:
        return Actual(text, "numeric", value=float(m["num"]), unit=unit)
    if _SYMBOLS.search(s) and not any(ch.isalpha() for ch in s.replace("%", "")):
        why = f"{ACTUAL}“{s}”应写实际达到的数值，无法识别"
        return Actual(text, "unparsed", why=why)
    level = _level(s, target_word)
    why = None if level else f"无法判断{ACTUAL}“{s}”是否达成"
    return Actual(text, "qualitative", level=level, why=why)


def _level(word: str, target_word: str | None) -> Level | None:
    """Band a qualitative actual; None when the words say nothing clear."""
    if target_word in _YES_NO:
        if word in _YES_NO:
            return "achieved" if word == target_word else "not_achieved"
        if target_word == "否" and _ABSENT.match(word):
            return "achieved"  # 是否发生违规: 否 / 无 / 未发生
        target_word = None if target_word == "否" else target_word
    if target_word and (_scale_top(target_word) or target_word in _GRADES):
        graded = _grade_level(word, target_word)
        if graded is not None:
            return graded
    if (target_word and _same_word(word, target_word)) or word in _ACHIEVED_WORDS:
        return "achieved"
    if _NEGATION.match(word):
        # "未发生", "未延期" are good news; "未发生" meets a target phrased as an absence.
        negated_target = bool(target_word and _NEGATION.match(target_word))
        return "achieved" if negated_target or _BAD.search(word) else "not_achieved"
    if _LATE.search(word):
        return "not_achieved"
    if _PARTIAL.search(word):
        return "partial"
    if target_word and _opposite(target_word, word):
        return "not_achieved"
    if (target_word and target_word in word) or any(p in word for p in _POSITIVE):
        return "achieved"
    return None


def _scale_top(word: str) -> bool:
    return len(word) >= 3 and _SCALE.fullmatch(word) is not None


def _grade_level(word: str, target_word: str) -> Level | None:
    """良好 against 优秀 is one grade short (partial); two or more short is not achieved."""
    actual = _GRADES.get(word)
    if actual is None:
        return None
    wanted = 4 if _scale_top(target_word) else _GRADES[target_word]
    gap = wanted - actual
    return "achieved" if gap <= 0 else "partial" if gap == 1 else "not_achieved"


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


# -- units --------------------------------------------------------------------------

_FAMILIES: dict[str, tuple[str, float]] = {
    # unit -> (family, size in the family's base unit)
    "%": ("%", 1.0), "‰": ("%", 0.1),
    "元": ("元", 1.0),
    "秒": ("时间", 1 / 60), "分钟": ("时间", 1.0), "小时": ("时间", 60.0),
    "天": ("时间", 1440.0), "日": ("时间", 1440.0), "工作日": ("时间", 1440.0),
    "个工作日": ("时间", 1440.0), "周": ("时间", 10080.0),
    "月": ("时间", 43800.0), "个月": ("时间", 43800.0), "年": ("时间", 525600.0),
    "毫米": ("长度", 0.001), "厘米": ("长度", 0.01), "米": ("长度", 1.0),
    "千米": ("长度", 1000.0), "公里": ("长度", 1000.0),
    "平方米": ("面积", 1.0), "平米": ("面积", 1.0), "亩": ("面积", 2000 / 3),
    "公顷": ("面积", 1e4), "平方公里": ("面积", 1e6),
    "克": ("重量", 0.001), "千克": ("重量", 1.0), "公斤": ("重量", 1.0), "吨": ("重量", 1000.0),
}  # fmt: skip
_MAGNITUDES = {"百": 1e2, "千": 1e3, "万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_PER_YEAR = {"天": 365.0, "日": 365.0, "周": 52.0, "月": 12.0, "个月": 12.0, "季度": 4.0,
             "季": 4.0, "半年": 2.0, "年": 1.0}  # fmt: skip


def _scale(unit: str) -> tuple[str, float]:
    """(family, factor): 1.2万人次 is 12000 人次, 2小时 is 120 分钟, 3次/月 is 36 次/年."""
    if "/" in unit:
        head, _, per = unit.partition("/")
        family, factor = _scale(head)
        if per in _PER_YEAR:
            return f"{family}/年", factor * _PER_YEAR[per]
        return f"{family}/{per}", factor
    if unit in _FAMILIES:
        return _FAMILIES[unit]
    if unit in _MAGNITUDES:
        return "", _MAGNITUDES[unit]  # a bare 万: of whatever the other side counts
    if unit in _UNITS:
        return unit, 1.0
    m = _MAGNITUDE.match(unit)
    if m and unit[m.end() :]:
        family, factor = _scale(unit[m.end() :])
        return family, factor * _MAGNITUDES[m.group()]
    return unit, 1.0


# -- evaluation ---------------------------------------------------------------------

_LEVEL_STATUS: dict[str, Status] = {
    "achieved": "met",
    "partial": "partial",
    "not_achieved": "unmet",
}


def _evaluate_qualitative(actual: Actual) -> Evaluation:
    if actual.kind == "numeric":
        why = f"定性指标的{ACTUAL}为数值“{actual.text.strip()}”，无法判断是否达成"
        return Evaluation("unknown", why=why)
    if actual.level is None:
        return Evaluation("unknown", why=actual.why)
    return Evaluation(_LEVEL_STATUS[actual.level])


def _evaluate_date(target: Target, actual: Actual) -> Evaluation:
    if actual.date is not None and target.date is not None:
        return Evaluation("met" if _date_met(target.date, actual.date) else "unmet")
    if actual.kind == "qualitative" and actual.level is not None:
        return Evaluation(_LEVEL_STATUS[actual.level])
    why = f"指标值为完成时限，{ACTUAL}“{actual.text.strip()}”不是日期，无法比较"
    return Evaluation("unknown", why=why)


def _evaluate_absence(actual: Actual) -> Evaluation:
    """A zero target answered in words: 无 / 未发生 meet it, 发生 does not."""
    s = _compact(actual.text)
    if _ABSENT.match(s) or actual.level == "achieved" and _BAD.search(s):
        return Evaluation("met")
    if _BAD.search(s) or actual.level == "not_achieved":
        return Evaluation("unmet")
    why = f"指标值为零（不应发生），无法判断{ACTUAL}“{s}”是否为零"
    return Evaluation("unknown", why=why)


def _evaluate_numeric(target: Target, actual: Actual) -> Evaluation:
    t, a = target.value or 0.0, actual.value or 0.0
    if target.change is not None and actual.change not in (None, target.change):
        a = -a  # 下降1% against 增长5%: the change went the other way
    written = a
    a, mismatch = _converted(target, actual, t, a)
    # Figures as written compare exactly (1000000.048 misses ≤1000000.047); a converted
    # one carries the conversion's rounding (79.94次/年 as 6.661666667次/月).
    rel_tol = 1e-12 if a == written else 1e-9
    if target.upper is not None:
        return _evaluate_range(t, target.upper, a, mismatch)
    met = _compare(target.op or "=", a, t, rel_tol)
    if target.negative:
        ratio, over = (t / a if a else None), None
    else:
        ratio = a / t if t else None
        over = a / t if t > 0 else None
    return Evaluation("met" if met else "unmet", ratio, over, mismatch)


def _converted(target: Target, actual: Actual, t: float, a: float) -> tuple[float, bool]:
    """The actual in the target's unit, and whether the units could not be reconciled."""
    if not actual.unit:
        family, size = _scale(target.unit) if target.unit else ("", 1.0)
        if family == "%" and 0 < a <= 1 < t:
            return a * 100, False  # 0.92 against ≥90%: a fraction
        if family == "元" and size >= 1e4 and t > 0 and a / t >= 1000:
            return a / size, False  # 200000 against ≥20万元: written in 元
        return a, False
    if not target.unit or target.unit == actual.unit:
        return a, False
    t_family, t_size = _scale(target.unit)
    a_family, a_size = _scale(actual.unit)
    if "" in (t_family, a_family):
        pass  # a bare 万 (1.2万 against 1.2万人次) counts what the other side counts
    elif a_family + "/年" == t_family or t_family + "/年" == a_family:
        pass  # 12次 in the year against 每月1次: the form covers one year
    elif t_family != a_family:
        return a, True
    return a * a_size / t_size, False


def _evaluate_range(lo: float, hi: float, a: float, mismatch: bool) -> Evaluation:
    if lo - 1e-12 <= a <= hi + 1e-12:
        return Evaluation("met", 1.0, None, mismatch)
    ratio = a / lo if a < lo else hi / a
    return Evaluation("unmet", ratio, None, mismatch)


def _compare(op: Op, a: float, t: float, rel_tol: float = 1e-12) -> bool:
    equal = math.isclose(a, t, rel_tol=rel_tol, abs_tol=1e-12)
    if op == "=" and t == 0:
        return equal
    if op in ("=", ">="):
        return equal or a > t
    if op == ">":
        return a > t and not equal
    if op == "<=":
        return equal or a < t
    return a < t and not equal

"""The target grammar: every target and actual of the seed forms, spellings, evaluation."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval.grammar.targets import (
    Actual,
    Target,
    evaluate,
    join_target,
    name_unit,
    parse_actual,
    parse_target,
    with_unit,
)


def num(op: str, value: float, unit: str = "", implied: bool = False) -> tuple:
    return ("numeric", op, value, unit, implied)


def plain(t: Target) -> Target:
    return replace(t, text="")


# -- targets --------------------------------------------------------------------------

# Every 年度指标值 of the eleven seed forms, plus the spellings DOMAIN.md lists.
SEED_TARGETS = {
    "=100%": num("=", 100, "%"),
    ">=90%": num(">=", 90, "%"),
    "≥90%": num(">=", 90, "%"),
    ">=95%": num(">=", 95, "%"),
    ">=98%": num(">=", 98, "%"),
    "<=1次": num("<=", 1, "次"),
    "<=2%": num("<=", 2, "%"),
    "<=3次": num("<=", 3, "次"),
    "=0%": num("=", 0, "%"),
    "=0次": num("=", 0, "次"),
    "=0起": num("=", 0, "起"),
    ">=1篇": num(">=", 1, "篇"),
    ">=7小时": num(">=", 7, "小时"),
    ">=250天": num(">=", 250, "天"),
    "≥30天": num(">=", 30, "天"),
    "100%": num(">=", 100, "%", implied=True),
    "300路": num("=", 300, "路", implied=True),
    "1080P": num("=", 1080, "P", implied=True),
    # DOMAIN.md spellings not in the seed
    "＝100%": num("=", 100, "%"),
    "≤2%": num("<=", 2, "%"),
    "100": num("=", 100, "", implied=True),
    "98%以上": num(">=", 98, "%"),
    "≥100百分比": num(">=", 100, "%"),
    "≤90万元": num("<=", 90, "万元"),
}

SEED_WORDS = [
    "及时", "及时性", "提升", "提高", "良好", "完善", "建立", "合理", "加强", "降低", "上升",
    "同比上升", "兼容", "完整", "在项目计划完成时间内完成", "效果明显",
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), SEED_TARGETS.items())
def test_seed_numeric_targets(text, expected):
    t = parse_target(text)
    assert (t.kind, t.op, t.value, t.unit, t.implied_op) == expected
    assert t.text == text and t.why is None


@pytest.mark.parametrize("text", SEED_WORDS)
def test_seed_qualitative_targets(text):
    t = parse_target(text)
    assert (t.kind, t.word, t.op, t.format()) == ("qualitative", text, None, text)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("≤2%", "<=2%"),
        ("＞＝90％", ">=90%"),
        ("== 100 %", "=100%"),
        ("不低于95%", ">=95%"),
        ("大于等于90%", ">=90%"),
        ("不少于 3 次", ">=3次"),
        ("不超过90万元", "<=90万元"),
        ("不高于5%", "<=5%"),
        ("大于0", ">0"),
        ("<5个", "<5个"),
        ("5个工作日以内", "<=5个工作日"),
        ("3次以下", "<=3次"),
        ("≥98%以上", ">=98%"),
        ("１，０００人次", "=1000人次"),
        ("1,000,000元", "=1000000元"),
        ("≥90%（含）", ">=90%"),
        ("2次/年", "=2次/年"),
        ("≥1万人", ">=1万人"),
        ("≥10GB", ">=10GB"),
        ("1080p", "=1080P"),
        ("百分之90", ">=90%"),
        ("=98.30%", "=98.3%"),
        ("≥0.5‰", ">=0.5‰"),
    ],
)
def test_spellings(text, canonical):
    t = parse_target(text)
    assert t.kind == "numeric", t.why
    assert t.format() == canonical


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("", "未填写"),
        ("   ", "未填写"),
        ("—", "未填写"),
        ("/", "未填写"),
        ("abc%%", "缺少数值"),
        ("约%%", "缺少数值"),
        ("≥", "缺少数值"),
        ("95%-90%", "范围"),
        ("90%～95个", "范围"),
        ("1至3项或5次", "多个数值"),
        ("≥90%或≥95%", "多个数值"),
        ("12斤", "单位"),
        ("≥90分以上的优秀率", "单位"),
        ("约90%", "写法"),
        ("≤98%以上", "矛盾"),
    ],
)
def test_unreadable_targets_say_why(text, why):
    t = parse_target(text)
    assert t.kind == "unparsed" and t.op is None and t.value is None
    assert why in t.why
    assert evaluate(t, parse_actual("100%", t)).status == "unknown"


def test_negative_property():
    assert parse_target("<=1次").negative and parse_target("<5%").negative
    assert not parse_target(">=90%").negative and not parse_target("=0起").negative
    assert not parse_target("及时").negative


# -- actuals --------------------------------------------------------------------------

# Every 实际完成值 of the seed forms, plus DOMAIN.md's.
SEED_ACTUALS = {
    "100%": (100, "%"),
    "98.30%": (98.3, "%"),
    "0.8%": (0.8, "%"),
    "92%": (92, "%"),
    "91%": (91, "%"),
    "90%": (90, "%"),
    "88%": (88, "%"),
    "86%": (86, "%"),
    "0%": (0, "%"),
    "0次": (0, "次"),
    "0起": (0, "起"),
    "1篇": (1, "篇"),
    "24小时": (24, "小时"),
    "30天": (30, "天"),
    "365": (365, ""),
    "300路": (300, "路"),
    "1080P": (1080, "P"),
    "5,203": (5203, ""),
    "１００％": (100, "%"),
}


@pytest.mark.parametrize(("text", "expected"), SEED_ACTUALS.items())
def test_seed_numeric_actuals(text, expected):
    a = parse_actual(text)
    assert (a.kind, a.value, a.unit, a.level) == ("numeric", *expected, None)


@pytest.mark.parametrize(
    ("target", "actual", "level"),
    [
        # the seed's qualitative pairs
        ("及时", "及时", "achieved"),
        ("及时性", "及时", "achieved"),
        ("提升", "提升", "achieved"),
        ("提高", "提高", "achieved"),
        ("良好", "良好", "achieved"),
        ("完善", "完善", "achieved"),
        ("完善", "基本完善", "partial"),
        ("建立", "建立", "achieved"),
        ("合理", "合理", "achieved"),
        ("加强", "加强", "achieved"),
        ("降低", "降低", "achieved"),
        ("上升", "上升", "achieved"),
        ("同比上升", "同比上升", "achieved"),
        ("兼容", "兼容", "achieved"),
        ("完整", "完整", "achieved"),
        # achieved words, partial and negative markers
        ("在项目计划完成时间内完成", "达成预期指标", "achieved"),
        ("效果明显", "已完成", "achieved"),
        ("合理", "是", "achieved"),
        ("合理", "符合", "achieved"),
        ("提升", "明显提升", "achieved"),
        ("提升", "较上年提升", "achieved"),
        ("提升", "不断提升", "achieved"),
        ("建立", "已建立并运行", "achieved"),
        ("完善", "部分完善", "partial"),
        ("良好", "较好", "partial"),
        ("完善", "未完善", "not_achieved"),
        ("及时", "不及时", "not_achieved"),
        ("建立", "没有建立", "not_achieved"),
        ("建立", "尚未建立", "not_achieved"),
        ("合理", "否", "not_achieved"),
        ("及时", "无法按时完成", "not_achieved"),
        ("同比上升", "同比下降", "not_achieved"),
        ("降低", "有所上升", "not_achieved"),
        ("不发生", "未发生", "achieved"),
        ("及时", "正在进行", "partial"),  # work in progress is at most partly achieved
        ("及时", "情况说明", None),
    ],
)
def test_qualitative_bands(target, actual, level):
    t = parse_target(target)
    a = parse_actual(actual, t)
    assert (a.kind, a.level) == ("qualitative", level)
    assert (a.why is None) == (level is not None)


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "未填写"), ("  ", "未填写"), ("—", "未填写"), ("≥%", "数值"), ("%%", "数值")],
)
def test_unreadable_actuals(text, why):
    a = parse_actual(text, parse_target(">=90%"))
    assert a.kind == "unparsed" and why in a.why


# -- evaluation -----------------------------------------------------------------------


def check(target: str, actual: str):
    t = parse_target(target)
    return evaluate(t, parse_actual(actual, t))


@pytest.mark.parametrize(
    ("target", "actual", "status", "ratio", "over"),
    [
        # seed pairs
        ("=100%", "100%", "met", 1.0, 1.0),
        (">=90%", "92%", "met", 92 / 90, 92 / 90),
        (">=90%", "90%", "met", 1.0, 1.0),
        (">=90%", "88%", "unmet", 88 / 90, 88 / 90),
        ("≥90%", "86%", "unmet", 86 / 90, 86 / 90),
        (">=98%", "98.30%", "met", 98.3 / 98, 98.3 / 98),
        (">=250天", "365", "met", 365 / 250, 365 / 250),
        (">=7小时", "24小时", "met", 24 / 7, 24 / 7),
        ("≥30天", "30天", "met", 1.0, 1.0),
        ("<=2%", "0.8%", "met", 2.5, None),
        ("<=1次", "0次", "met", None, None),
        ("=0起", "0起", "met", None, None),
        ("=0%", "0%", "met", None, None),
        ("300路", "300路", "met", 1.0, 1.0),
        ("1080P", "1080P", "met", 1.0, 1.0),
        ("100%", "100%", "met", 1.0, 1.0),
        # beyond the seed
        ("<=2%", "4%", "unmet", 0.5, None),
        ("<2%", "2%", "unmet", 1.0, None),
        (">90%", "90%", "unmet", 1.0, 1.0),
        (">90%", "90.5%", "met", 90.5 / 90, 90.5 / 90),
        ("=0起", "1起", "unmet", None, None),
        ("=0次", "2", "unmet", None, None),
        ("=100%", "98%", "unmet", 0.98, 0.98),
        ("=2台", "3台", "met", 1.5, 1.5),  # = is positive: reached counts as met
        ("≤90万元", "850000元", "met", 90 / 85, None),  # converted
        ("≤90万元", "950000元", "unmet", 90 / 95, None),
    ],
)
def test_numeric_evaluation(target, actual, status, ratio, over):
    e = check(target, actual)
    assert e.status == status and e.why is None
    assert e.ratio == pytest.approx(ratio)
    assert e.over_ratio == pytest.approx(over)


@pytest.mark.parametrize(
    ("target", "actual", "mismatch"),
    [
        (">=5个", "6次", True),
        (">=250天", "365", False),  # omitted unit adopts the target's
        (">=90%", "92%", False),
        (">=90%", "92百分比", False),
        ("≤90万元", "850000元", False),  # converted: no mismatch after a conversion
        ("100", "100次", False),  # the target has no unit
    ],
)
def test_unit_mismatch(target, actual, mismatch):
    assert check(target, actual).unit_mismatch is mismatch


@pytest.mark.parametrize(
    ("target", "actual", "status"),
    [("完善", "完善", "met"), ("完善", "基本完善", "partial"), ("完善", "未完善", "unmet")],
)
def test_qualitative_evaluation(target, actual, status):
    e = check(target, actual)
    assert (e.status, e.ratio, e.over_ratio, e.unit_mismatch) == (status, None, None, False)


@pytest.mark.parametrize(
    ("target", "actual", "why"),
    [
        ("≥95%", "很好", "不是数值"),
        (">=90%", "", "未填写"),
        ("abc%%", "100%", "指标值无法识别"),
        ("", "100%", "未填写"),
        ("及时", "100%", "定性指标"),
        ("及时", "情况说明", "无法判断"),
        ("=100%", "%%", "实际完成值无法识别"),
    ],
)
def test_unknown_says_why(target, actual, why):
    e = check(target, actual)
    assert e.status == "unknown" and why in e.why


def test_parse_actual_without_target():
    assert parse_actual("基本完成").level == "partial"
    assert parse_actual("已完成").level == "achieved"
    assert parse_actual("未完成").level == "not_achieved"


# -- properties -----------------------------------------------------------------------

OP_SPELLINGS = {
    ">=": [">=", "≥", "＞＝", "大于等于", "不低于", "不少于"],
    ">": [">", "＞", "大于"],
    "=": ["=", "＝", "=="],
    "<=": ["<=", "≤", "＜＝", "不超过", "不高于"],
    "<": ["<", "＜", "小于"],
}
UNITS = ["", "%", "个", "次", "起", "天", "人", "台", "路", "篇", "小时", "元", "万元", "P", "件"]
ops = st.sampled_from(sorted(OP_SPELLINGS))
values = st.decimals(min_value=0, max_value=10**7, places=3, allow_nan=False).map(float)


def full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@st.composite
def targets(draw):
    return Target(
        "", "numeric", op=draw(ops), value=draw(values), unit=draw(st.sampled_from(UNITS))
    )


@given(targets())
def test_format_round_trips(t):
    assert plain(parse_target(t.format())) == t


@pytest.mark.slow  # a hundred generated targets, each spelt several ways
@given(targets(), st.data())
def test_equivalent_spellings_parse_alike(t, data):
    spelling = data.draw(st.sampled_from(OP_SPELLINGS[t.op]))
    text = spelling + t.format()[len(t.op) :]
    if data.draw(st.booleans()):
        text = full_width(text)
    spaces = data.draw(st.lists(st.tuples(st.integers(0, len(text)), st.sampled_from(" \u3000\t"))))
    for at, space in sorted(spaces, reverse=True):
        text = text[:at] + space + text[at:]
    assert plain(parse_target(text)) == t


@given(st.sampled_from(["=", ">="]), values, st.sampled_from(UNITS))
def test_reaching_a_positive_target_meets_it(op, value, unit):
    t = parse_target(f"{op}{value}{unit}")
    assert evaluate(t, parse_actual(f"{value}{unit}", t)).status == "met"


@given(targets(), values)
def test_numeric_status_follows_the_operator(t, a):
    e = evaluate(t, Actual("", "numeric", value=a, unit=t.unit))
    expected = {
        ">=": a >= t.value,
        ">": a > t.value,
        "=": a == t.value if t.value == 0 else a >= t.value,
        "<=": a <= t.value,
        "<": a < t.value,
    }[t.op]
    assert e.status == ("met" if expected else "unmet")


GRAMMAR_PIECES = [
    *"0123456789.,，%％<>=≥≤＝＞次个天-~～ \u3000()（）+—/基本未完成提升",
    "以上",
    "以内",
]
grammar_ish = st.lists(st.sampled_from(GRAMMAR_PIECES), max_size=12).map("".join)
texts = st.one_of(st.text(max_size=30), grammar_ish)


@pytest.mark.slow  # a hundred generated pairs
@given(texts, texts)
def test_never_raises(target_text, actual_text):
    t = parse_target(target_text)
    a = parse_actual(actual_text, t)
    e = evaluate(t, a)
    assert t.kind in ("numeric", "qualitative", "unparsed")
    assert (t.why is not None) == (t.kind == "unparsed")
    assert (e.why is not None) == (e.status == "unknown")
    if t.kind == "numeric":
        assert plain(parse_target(t.format())) == replace(plain(t), implied_op=False, assumed=None)


# -- wordings of other provinces (DOMAIN.md, "Also in real forms") -------------------


@pytest.mark.parametrize(
    ("parts", "joined"),
    [
        (("≧", "735", "人次"), "≧735人次"),
        (("定性", "有效", ""), "有效"),
        (("反向", 5, "%"), "≤5%"),
        (("正向指标", "90%", "%"), "≥90%"),
        (("", 100, None), "100"),
        (("≤", "", "次"), ""),
    ],
)
def test_a_split_target_is_joined_into_one_text(parts, joined):
    assert join_target(*parts) == joined


def test_a_joined_target_reads_like_a_written_one():
    assert parse_target(join_target("≧", "735", "人次")).format() == ">=735人次"


@pytest.mark.parametrize(
    ("text", "kind", "canonical"),
    [
        ("10月底前", "date", "10月31日前"),
        ("2023年12月31日前", "date", "2023年12月31日前"),
        ("6月30日前", "date", "6月30日前"),
        ("12月", "date", "12月前"),
        ("2023年", "date", "2023年前"),
        ("年底前完成", "date", "12月31日前"),
        ("3-5年", "numeric", "3-5年"),
        ("五个", "numeric", "=5个"),
        ("不少于两次", "numeric", ">=2次"),
        ("百分之九十五", "numeric", ">=95%"),
        ("控制在5%以内", "numeric", "<=5%"),
        ("30天内", "numeric", "<=30天"),
        ("═100%", "numeric", "=100%"),
        ("100%完成", "numeric", ">=100%"),
        ("无", "numeric", "=0"),
        ("无重大安全事故", "numeric", "=0"),
        ("零投诉", "numeric", "=0"),
        ("杜绝安全生产事故", "numeric", "=0"),
        ("是", "qualitative", "是"),
        ("优良中低差", "qualitative", "优良中低差"),
        ("无障碍设施完善", "qualitative", "无障碍设施完善"),
        ("一般", "qualitative", "一般"),
        ("统一规划", "qualitative", "统一规划"),
    ],
)
def test_real_wordings(text, kind, canonical):
    t = parse_target(text)
    assert (t.kind, t.format()) == (kind, canonical), t.why


def test_numbers_arrive_as_numbers():
    assert parse_target(100) == parse_target("100")
    assert parse_actual(0.92).value == 0.92
    assert parse_target(None).why == "未填写"


def test_a_negative_name_turns_a_bare_figure_into_a_ceiling():
    t = parse_target("3次", lower_better=True)
    assert (t.op, t.implied_op) == ("<=", True) and "反向" in t.assumed
    assert parse_target("3次").op == "="
    assert parse_target("≥3次", lower_better=True).op == ">="  # a written operator wins


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [("≥266米", 266, "米"), ("90%以上", 90, "%"), ("约92%", 92, "%"), ("两次", 2, "次")],
)
def test_actuals_carrying_an_operator_or_an_estimate(text, value, unit):
    a = parse_actual(text)
    assert (a.kind, a.value, a.unit) == ("numeric", value, unit)


@pytest.mark.parametrize(("actual", "status"), [("否", "met"), ("无", "met"), ("是", "unmet")])
def test_a_no_target_is_met_by_no_or_nothing(actual, status):
    assert check("否", actual).status == status


# -- a unit stated in the indicator's name ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "unit"),
    [
        ("任务完成时限(月)", "个月"),  # a count of months, not October
        ("培训人次（人次）", "人次"),
        ("资金到位率(%)", "%"),
        ("投资（万元）", "万元"),
        ("结余率(计算方法为:结余数/预算数)", None),  # a remark, not a unit
        ("道路改造(一期)", None),
        ("设备采购数量", None),
    ],
)
def test_a_name_states_its_unit_in_closing_brackets(name, unit):
    assert name_unit(name) == unit


def test_a_bare_figure_takes_the_unit_its_name_states_and_nothing_else_does():
    assert [with_unit(t, "个月") for t in ("10", "≤10", "10个月", "及时", "")] == [
        "10个月", "≤10个月", "10个月", "及时", ""
    ]  # fmt: skip


def test_a_time_limit_in_months_named_so_is_a_ceiling():
    target = parse_target(with_unit("10", name_unit("任务完成时限(月)")), ceiling=True)
    assert (target.op, target.value, target.unit) == ("<=", 10, "个月")
    assert evaluate(target, parse_actual("9个月", target)).status == "met"
    assert evaluate(target, parse_actual("11个月", target)).status == "unmet"

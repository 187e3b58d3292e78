"""The finding codes: each defined once, with everything the rest of selfeval says about it.

A code (:class:`Code`) is the public contract of DOMAIN.md: scripts, the add-in and the
department report match on it. Each member carries its :class:`Spec`: default severity,
the Chinese message template (placeholders filled from ``Finding.params``), the short
label reports print, the meaning shown in the README's code table, its group (a review
(复核) check a profile may turn off, a cross-form check of the department report, ...)
and, for review checks, the criterion reviewers apply.

Everything else names a code as ``Code.FUNDS_RATE``, never as the string; profile TOML
files name codes as data and are checked against this table (:func:`lookup`).
``scripts/gen_codes.py`` writes the code tables of the README, the docs and the JSON schema
from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """Chinese label shown to staff."""
        return _LABELS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}

Group = Literal["form", "file", "review", "workpaper", "cross"]
"""``form``: a rule on one form; ``file``: the file could not be read as a form; ``review``:
a 复核 check (a profile turns it on or off); ``workpaper``: a reviewer's mistake in a filled
复核底稿; ``cross``: a check across the forms of a department report (跨表检查)."""


@dataclass(frozen=True)
class Spec:
    """What the table says about one code."""

    severity: Severity
    label: str  # short name in charts and tables of reports
    message: str  # Chinese template; ``{criterion}`` stands for the criterion below
    meaning: str  # when the code is given, for the README's table
    group: Group = "form"
    criterion: str | None = None  # review checks: what reviewers require
    printed_severity: Severity | None = None  # severity when the form prints the figure itself


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


class Code(StrEnum):
    """Every finding code, in the order of the README's table."""

    FUNDS_RATE = (
        "FUNDS_RATE",
        Spec(
            E,
            label="执行率计算有误",
            message="执行率填报为 {found}，按全年执行数 ÷ 全年预算数应为 {expected}",
            meaning="执行率与 全年执行数 ÷ 全年预算数 不符（四舍五入和向上舍入两种取法都接受）",
        ),
    )
    FUNDS_RATE_BLANK = (
        "FUNDS_RATE_BLANK",
        Spec(
            W,
            label="执行率未填写",
            message="执行率未填写，按全年执行数 ÷ 全年预算数应为 {expected}",
            meaning="表上有执行率一栏却未填写（不按计算有误报 FUNDS_RATE），请补填",
        ),
    )
    FUNDS_SCORE = (
        "FUNDS_SCORE",
        Spec(
            E,
            label="预算执行得分有误",
            message="预算执行得分填报为 {found}，按 min(执行率,1) × 分值应为 {expected}",
            meaning="预算执行得分与 min(执行率, 1) × 分值 相差超过 0.01",
        ),
    )
    FUNDS_SUM = (
        "FUNDS_SUM",
        Spec(
            E,
            label="资金总额与明细不符",
            message="{column}：年度资金总额 {found} 与三项明细之和 {expected} 不一致",
            meaning="年度资金总额与当年财政拨款、上年结转资金、其他资金等明细之和不符",
        ),
    )
    FUNDS_OVER = (
        "FUNDS_OVER",
        Spec(
            W,
            label="执行数超预算",
            message="全年执行数 {found} 超过全年预算数 {expected}",
            meaning="全年执行数超过全年预算数",
        ),
    )
    FUNDS_MISSING = (
        "FUNDS_MISSING",
        Spec(
            E,
            label="资金数缺失",
            message="{label}未填写或无法识别（{found}）",
            meaning="计算所需的金额或分值未填或无法识别",
        ),
    )
    POINTS_TOTAL = (
        "POINTS_TOTAL",
        Spec(
            E,
            label="分值合计不为100",
            message="各项分值合计为 {found}，应为 {expected}",
            meaning="全部分值（含预算执行率）合计不为 100",
        ),
    )
    POINTS_CATEGORY = (
        "POINTS_CATEGORY",
        Spec(
            W,
            label="一级指标分值不符",
            message="{category}分值小计为 {found}，{basis}为 {expected}",
            meaning="一级指标分值小计与默认分值不同（警告），或与表头自己写明的分值如“产出指标 (50分)”不同（错误）",
            printed_severity=E,
        ),
    )
    POINTS_BY_CATEGORY = (
        "POINTS_BY_CATEGORY",
        Spec(
            I,
            label="分值只在一级指标中",
            message="表中没有逐项的分值列，分值只写在一级指标中：已按一级指标核对得分合计，{checks}无法逐项进行",
            meaning="表中没有分值列、分值只写在一级指标中（如“产出指标(40分)”），说明哪些逐项检查无法进行",
        ),
    )
    CATEGORY_SCORE_OVER = (
        "CATEGORY_SCORE_OVER",
        Spec(
            E,
            label="一级指标得分超过分值",
            message="{category}各指标得分合计 {found}，超过其分值 {expected}",
            meaning="（分值只写在一级指标中的表）一级指标下各指标得分合计超过该一级指标的分值",
        ),
    )
    POINTS_MISSING = (
        "POINTS_MISSING",
        Spec(
            E,
            label="缺分值",
            message="指标“{name}”未填写分值",
            meaning="指标行没有分值",
        ),
    )
    SCORE_MISSING = (
        "SCORE_MISSING",
        Spec(
            E,
            label="缺得分",
            message="指标“{name}”有分值但未填写得分",
            meaning="有分值但没有得分",
        ),
    )
    SCORE_RANGE = (
        "SCORE_RANGE",
        Spec(
            E,
            label="得分超出范围",
            message="指标“{name}”得分 {found} 不在 0 至分值 {expected} 之间",
            meaning="得分小于 0 或大于分值",
        ),
    )
    UNMET_FULL = (
        "UNMET_FULL",
        Spec(
            E,
            label="未达标却得满分",
            message="指标“{name}”未达到年度指标值（{target}，实际 {actual}），却得满分 {found}；按评分规则建议得分 {expected}",
            meaning="未达到年度指标值却得满分，给出按规则的建议得分",
        ),
    )
    MET_PARTIAL = (
        "MET_PARTIAL",
        Spec(
            W,
            label="已达标却扣分",
            message="指标“{name}”已达到年度指标值（{target}，实际 {actual}），得分 {found} 低于分值 {expected}",
            meaning="已达到年度指标值却扣了分",
        ),
    )
    SCORE_POLICY = (
        "SCORE_POLICY",
        Spec(
            W,
            label="得分不符评分规则",
            message="指标“{name}”得分 {found} 不符合评分规则（{rule}），建议得分 {expected}",
            meaning="得分不符合评分规则（按比例的得分，或定性指标的档次），给出建议得分",
        ),
    )
    REASON_MISSING = (
        "REASON_MISSING",
        Spec(
            E,
            label="扣分未说明原因",
            message="指标“{name}”未得满分或未达标，但未填写偏差原因分析及改进措施",
            meaning="扣了分或未达标，却没有填写偏差原因分析及改进措施",
        ),
    )
    REASON_UNEXPECTED = (
        "REASON_UNEXPECTED",
        Spec(
            I,
            label="满分却填了原因",
            message="指标“{name}”得满分，却填写了偏差原因，请确认",
            meaning="得满分却填写了偏差原因",
        ),
    )
    OVER_ACHIEVED = (
        "OVER_ACHIEVED",
        Spec(
            I,
            label="大幅超额未说明",
            message="指标“{name}”实际完成值 {found} 达到年度指标值的 {ratio}，超额较多且未说明原因（指标值可能设定偏低）",
            meaning="实际完成值达到指标值的 130% 及以上且未说明原因（指标值可能定得过低）",
        ),
    )
    TARGET_UNPARSED = (
        "TARGET_UNPARSED",
        Spec(
            W,
            label="指标值无法识别",
            message="指标“{name}”的年度指标值“{found}”无法识别：{why}",
            meaning="年度指标值无法识别",
        ),
    )
    ACTUAL_UNPARSED = (
        "ACTUAL_UNPARSED",
        Spec(
            W,
            label="完成值无法比较",
            message="指标“{name}”的实际完成值“{found}”无法与年度指标值比较：{why}",
            meaning="实际完成值无法与年度指标值比较",
        ),
    )
    TARGET_NO_OPERATOR = (
        "TARGET_NO_OPERATOR",
        Spec(
            I,
            label="指标值无比较符号",
            message="指标“{name}”的年度指标值“{found}”没有比较符号，按“{expected}”理解（{assumed}）",
            meaning="数值型指标值没有比较符号，说明按哪个方向理解",
        ),
    )
    UNIT_MISMATCH = (
        "UNIT_MISMATCH",
        Spec(
            W,
            label="单位不一致",
            message="指标“{name}”的实际完成值单位“{found}”与年度指标值单位“{expected}”不一致",
            meaning="实际完成值与指标值的单位不同且无法换算",
        ),
    )
    CATEGORY_MISPLACED = (
        "CATEGORY_MISPLACED",
        Spec(
            W,
            label="指标层级不当",
            message="指标“{name}”位置不当：{why}",
            meaning="指标放错了层级（如满意度指标放在产出指标下，二级指标不属于其一级指标）",
        ),
    )
    TOTAL_MISMATCH = (
        "TOTAL_MISMATCH",
        Spec(
            E,
            label="总分与计算不符",
            message="总分填报为 {found}，按规则计算应为 {expected}",
            meaning="表上的总分与计算结果不符",
        ),
    )
    FORMULA_OVERWRITTEN = (
        "FORMULA_OVERWRITTEN",
        Spec(
            E,
            label="公式被改为固定值",
            message="{label}应为公式，现被改为固定值 {found}",
            meaning="模板中本应是公式的单元格被改成了固定数字",
        ),
    )
    LAYOUT_CARRIED = (
        "LAYOUT_CARRIED",
        Spec(
            I,
            label="表样与本机文件不同",
            message="模板自带的表样“{label}”与本机的表样文件 {found} 不同，已按模板自带的读取",
            meaning="模板自带的表样描述与本机同名的表样文件不同（按模板自带的读取，并说明）",
        ),
    )
    INPUT_MISSING = (
        "INPUT_MISSING",
        Spec(
            E,
            label="表头信息缺失",
            message="{label}未填写",
            meaning="项目名称、主管部门或实施单位未填写",
        ),
    )
    LAYOUT_UNRECOGNISED = (
        "LAYOUT_UNRECOGNISED",
        Spec(
            E,
            label="未识别出自评表",
            message="未能读取自评表：{why}",
            meaning="文件或工作表中找不到可以读取的自评表，并说明原因",
            group="file",
        ),
    )
    READ_ERROR = (
        "READ_ERROR",
        Spec(
            E,
            label="文件无法读取",
            message="文件无法读取：{why}",
            meaning="文件无法打开（损坏、加密、不是电子表格等），并说明原因",
            group="file",
        ),
    )
    EXEC_CAP = (
        "EXEC_CAP",
        Spec(
            W,
            label="执行率封顶扣分",
            message="预算执行率为 {rate}，按{basis}，总分最高 {expected} 分，现为 {found} 分，复核时可能被扣减 {risk} 分",
            meaning="执行率低于封顶档次（某省级平台：70–80% 最高 89 分……），总分超过封顶分，写明可能被扣的分数",
            group="review",
        ),
    )
    EXEC_REASON = (
        "EXEC_REASON",
        Spec(
            W,
            label="执行率偏低未说明",
            message="预算执行率为 {rate}，低于 {threshold}，表上未说明执行率偏低的原因（{criterion}）",
            meaning="执行率低于 90%（四川表的要求），表上没有说明原因",
            group="review",
            criterion="复核要求说明资金执行偏差",
        ),
    )
    COST_DIRECTION = (
        "COST_DIRECTION",
        Spec(
            W,
            label="成本指标方向不当",
            message="成本指标“{name}”的年度指标值“{found}”为下限（{op}）；{criterion}",
            meaning="成本指标写成了下限（≥、>），成本应是上限",
            group="review",
            criterion="复核要求成本指标设为上限（≤）",
        ),
    )
    CATEGORY_MISSING = (
        "CATEGORY_MISSING",
        Spec(
            W,
            label="缺一级指标",
            message="{category}下没有任何指标；{criterion}",
            meaning="产出、效益或满意度下没有任何指标",
            group="review",
            criterion="复核要求产出、效益、满意度指标齐全",
        ),
    )
    QTY_IS_MONEY = (
        "QTY_IS_MONEY",
        Spec(
            W,
            label="数量指标为资金支付",
            message="数量指标“{name}”衡量的是资金支付；{criterion}",
            meaning="数量指标衡量的是资金支付（预算执行率已单独计分）",
            group="review",
            criterion="复核不认可以资金支付作为产出数量（预算执行率已单独计分）",
        ),
    )
    DUP_INDICATOR = (
        "DUP_INDICATOR",
        Spec(
            W,
            label="指标重复",
            message="指标“{name}”同时出现在{categories}下；{criterion}",
            meaning="同一个三级指标出现在两个一级指标下，复核只计一次",
            group="review",
            criterion="复核只计一次",
        ),
    )
    PERCENT_OVER_100 = (
        "PERCENT_OVER_100",
        Spec(
            W,
            label="比率超过100%",
            message="指标“{name}”的年度指标值“{found}”超过 100%，该比率不可能超过 100%（{criterion}）",
            meaning="不可能超过 100% 的比率，指标值却超过 100%",
            group="review",
            criterion="复核视为指标值设置不合理",
        ),
    )
    PLACEHOLDER = (
        "PLACEHOLDER",
        Spec(
            E,
            label="模板占位符未填",
            message="指标“{name}”的{label}“{found}”是模板占位符，未填写实际内容（{criterion}）",
            meaning="指标值或完成值中留着模板占位符（`*`、`**人`、`xx`）",
            group="review",
            criterion="复核视为未填报",
        ),
    )
    WEIGHT_CONCENTRATION = (
        "WEIGHT_CONCENTRATION",
        Spec(
            W,
            label="权重过于集中",
            message="{why}（{criterion}）",
            meaning="一个指标占指标分值的一半以上，或指标少于 3 个",
            group="review",
            criterion="复核要求指标权重分布合理",
        ),
    )
    WEIGHT_ZERO = (
        "WEIGHT_ZERO",
        Spec(
            W,
            label="指标分值为0",
            message="指标“{name}”分值为 0；{criterion}",
            meaning="指标分值为 0",
            group="review",
            criterion="复核要求每个指标都有权重，不计分的指标应删除",
        ),
    )
    SATISFACTION_NO_SURVEY = (
        "SATISFACTION_NO_SURVEY",
        Spec(
            W,
            label="满意度无调查",
            message="满意度指标“{name}”以“{found}”代替调查结果；{criterion}",
            meaning="满意度写“未收到投诉”之类，而不是调查结果",
            group="review",
            criterion="复核要求满意度来自问卷等调查",
        ),
    )
    REASON_QUALITY = (
        "REASON_QUALITY",
        Spec(
            W,
            label="原因说明不充分",
            message="指标“{name}”的偏差原因“{found}”{why}；{criterion}",
            meaning="偏差原因等于没说（无、已完成、见上）、照抄多行或只有几个字",
            group="review",
            criterion="复核要求逐项分析原因并提出改进措施",
        ),
    )
    NUMERIC_ACTUAL_TEXT = (
        "NUMERIC_ACTUAL_TEXT",
        Spec(
            W,
            label="数值指标填文字",
            message="指标“{name}”的年度指标值为数值（{expected}），实际完成值却写成文字“{found}”；{criterion}",
            meaning="数值型指标的完成值写成了文字（完成、达成预期指标）",
            group="review",
            criterion="复核要求填写实际数值",
        ),
    )
    WORKPAPER_SCORE_RANGE = (
        "WORKPAPER_SCORE_RANGE",
        Spec(
            E,
            label="复核得分超出范围",
            message="第 {form} 份“{project}”指标“{name}”的复核得分 {found} 不在 0 至分值 {expected} 之间",
            meaning="复核底稿中复核得分低于 0、高于分值，或不是数字",
            group="workpaper",
        ),
    )
    WORKPAPER_REASON_MISSING = (
        "WORKPAPER_REASON_MISSING",
        Spec(
            E,
            label="复核扣分未说明原因",
            message="第 {form} 份“{project}”指标“{name}”复核得分 {found} 低于分值 {expected}，但未填写扣分原因",
            meaning="复核底稿中复核得分低于分值，但未填写扣分原因",
            group="workpaper",
        ),
    )
    WORKPAPER_SCORE_MISSING = (
        "WORKPAPER_SCORE_MISSING",
        Spec(
            W,
            label="未填复核得分",
            message="第 {form} 份“{project}”指标“{name}”尚未填写复核得分",
            meaning="复核底稿中复核得分未填写",
            group="workpaper",
        ),
    )
    WORKPAPER_DEVIATION = (
        "WORKPAPER_DEVIATION",
        Spec(
            E,
            label="偏离度与计算不符",
            message="第 {form} 份“{project}”的偏离度填为 {found}，按 (自评得分 − 复核得分) ÷ 自评得分 应为 {expected}",
            meaning="复核底稿中小计行的偏离度（公式被改成数值，或另行填写）与按 (自评 − 复核) ÷ 自评 计算的不一致（容差 0.00005）",
            group="workpaper",
        ),
    )
    CROSS_FULL_UNIT = (
        "CROSS_FULL_UNIT",
        Spec(
            W,
            label="单位全部满分",
            message="单位{what}",
            meaning="（汇总报告，跨表检查）同一实施单位报来的几份表（至少 2 份）总分都是 100 分，或全部指标都得满分",
            group="cross",
        ),
    )
    CROSS_SIMILAR_TEXT = (
        "CROSS_SIMILAR_TEXT",
        Spec(
            W,
            label="文字与他表近似",
            message="{kind}与第 {forms} 份近似",
            meaning="（汇总报告，跨表检查）年度目标、实际完成情况、指标名称或偏差原因与其他单位或项目的表近似（去掉数字后相似度 ≥ 0.8）",
            group="cross",
        ),
    )
    CROSS_SAME_REASON = (
        "CROSS_SAME_REASON",
        Spec(
            W,
            label="同一原因填多行",
            message="同一原因填了 {rows} 行",
            meaning="（汇总报告，跨表检查）一份表中同一条偏差原因填了 3 行及以上",
            group="cross",
        ),
    )
    CROSS_LOW_SPEND = (
        "CROSS_LOW_SPEND",
        Spec(
            W,
            label="低执行而产出满分",
            message="执行率低而产出指标全满分",
            meaning="（汇总报告，跨表检查）执行率低于 60%，产出指标却全部满分",
            group="cross",
        ),
    )

    def __new__(cls, value: str, spec: Spec) -> Code:
        member = str.__new__(cls, value)
        member._value_ = value
        member.spec = spec
        return member

    spec: Spec

    @property
    def severity(self) -> Severity:
        """Default severity (a profile may change a review check's)."""
        return self.spec.severity

    @property
    def message(self) -> str:
        return self.spec.message

    @property
    def label(self) -> str:
        return self.spec.label

    @property
    def review(self) -> bool:
        """A 复核 check, run only where the profile turns it on."""
        return self.spec.group == "review"


REVIEW_CODES: tuple[Code, ...] = tuple(c for c in Code if c.review)
"""The review (复核) checks of DOMAIN.md that a profile turns on or off."""


def lookup(name: str) -> Code | None:
    """The code spelt ``name`` (as a profile or a JSON result names it), None if there is none."""
    return Code.__members__.get(name)


__all__ = ["REVIEW_CODES", "Code", "Group", "Severity", "Spec", "lookup"]

"""Forms validated per second by the engine alone (no file reading), on one core.

Goal (issues 2 and 10): at least 10,000 forms/s for a 15-indicator form, review (复核)
checks on.
Run: python benchmarks/bench_engine.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval.profiles.policy import load_profile  # noqa: E402
from selfeval.rules.check import validate  # noqa: E402
from selfeval.rules.rescore import rescore  # noqa: E402
from tests.forms import make_form  # noqa: E402

# A realistic 15-indicator form: 产出 50, 效益 30, 满意度 10 over the rows, a partly
# achieved row scored at 80 % (SCORE_POLICY), an unmet row scored in full (UNMET_FULL),
# a far over-achievement without a reason (OVER_ACHIEVED), words for operators and units.
ROWS = [
    ("产出指标", "数量指标", "设备采购完成率", "=100%", "100%", 8, 8),
    ("产出指标", "质量指标", "设备验收合格率", "≥95%", "98%", 7, 7),
    ("产出指标", "时效指标", "设备采购及时性", "及时", "及时", 7, 7),
    ("产出指标", "数量指标", "培训工作完成率", "=100%", "100%", 7, 7),
    ("产出指标", "成本指标", "采购单价合理性", "合理", "合理", 7, 7),
    ("产出指标", "质量指标", "档案数字化工作准确率", "不低于98%", "98.30%", 7, 7),
    ("产出指标", "时效指标", "系统运维响应时间", "≤2小时", "30分钟", 7, 7),
    ("效益指标", "社会效益指标", "信息安全事故发生数", "无重大安全事故", "未发生", 5, 5),
    ("效益指标", "可持续影响指标", "设备管理制度", "完善", "完善", 5, 5),
    ("效益指标", "社会效益指标", "安保人员有责投诉次数", "3次", "0次", 5, 5),
    ("效益指标", "社会效益指标", "办案效率", "提升", "提升", 5, 5),
    ("效益指标", "可持续影响指标", "管理制度", "完善", "基本完善", 5, 4),
    ("效益指标", "社会效益指标", "安保人员执勤天数", ">=250天", "365", 5, 5),
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=90%", "92%", 5, 5),
    ("满意度指标", "服务对象满意度指标", "办案人员满意度", "≥90%", "86%", 5, 5),
]


def fifteen_indicator_forms(n: int) -> list:
    """n distinct 15-row forms (distinct objects, realistic findings in some rows)."""
    base = make_form(ROWS, reasons={11: "制度修订尚在征求意见", 14: "个别办案人员不满意"})
    forms = []
    for i in range(n):
        form = copy.deepcopy(base)
        form.funds.total.executed = 90000.0 + i % 5000
        forms.append(form)
    return forms


def measure(fn, forms, seconds: float) -> float:
    """Forms per CPU-second of this process (steady even when other work shares the cores)."""
    done, start = 0, time.process_time()
    while time.process_time() - start < seconds:
        for form in forms:
            fn(form)
        done += len(forms)
    return done / (time.process_time() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    profile = load_profile("national")
    forms = fifteen_indicator_forms(2000)
    assert len(forms[0].indicators) == 15
    print(f"findings on the sample form: {len(validate(forms[0], profile))}")
    v = measure(lambda f: validate(f, profile), forms, args.seconds)
    r = measure(lambda f: rescore(f, profile), forms, args.seconds)
    print(f"validate: {v:,.0f} forms/s (15 indicators, one core; goal 10,000)")
    print(f"rescore:  {r:,.0f} forms/s")


if __name__ == "__main__":
    main()

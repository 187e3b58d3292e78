"""Forms validated per second by the engine alone (no file reading), on one core.

Goal (issue 2): at least 10,000 forms/s for a 15-indicator form.
Run: python benchmarks/bench_engine.py [--seconds 3]
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval.profiles import load_profile  # noqa: E402
from selfeval.rescore import rescore  # noqa: E402
from selfeval.rules import validate  # noqa: E402
from tests.forms import GOOD_ROWS, make_form  # noqa: E402

EXTRA = [
    ("产出指标", "数量指标", "培训工作完成率", "=100%", "100%", 0, 0),
    ("产出指标", "成本指标", "采购单价合理性", "合理", "合理", 0, 0),
    ("效益指标", "社会效益指标", "安保人员有责投诉次数", "<=3次", "0次", 0, 0),
    ("效益指标", "社会效益指标", "办案效率", "提升", "提升", 0, 0),
    ("效益指标", "可持续影响指标", "管理制度", "完善", "基本完善", 0, 0),
    ("效益指标", "社会效益指标", "安保人员执勤天数", ">=250天", "365", 0, 0),
    ("产出指标", "质量指标", "档案数字化工作准确率", ">=98%", "98.30%", 0, 0),
    ("满意度指标", "服务对象满意度指标", "办案人员满意度", "≥90%", "86%", 0, 0),
    ("产出指标", "时效指标", "系统运维及时性", "及时", "及时", 0, 0),
]


def fifteen_indicator_forms(n: int) -> list:
    """n distinct 15-row forms (distinct objects, realistic findings in some rows)."""
    base = make_form(GOOD_ROWS + EXTRA)
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

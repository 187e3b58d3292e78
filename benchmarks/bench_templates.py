"""How many pre-filled workbooks the template writer produces per second.

Run: ``python benchmarks/bench_templates.py [--count 200]``. Prints, does not assert
(goal: at least 50 workbooks per second). Every shipped layout in turn. Workbooks are built in memory, as
``selfeval build --projects`` builds them before writing.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from selfeval.layouts.layout import LAYOUT_NAMES
from selfeval.profiles.policy import load_profile
from selfeval.rules.projects import project_forms
from selfeval.writers.template import form_workbook

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "projects.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--profile", default="shanghai")
    args = parser.parse_args()
    profile = load_profile(args.profile)
    forms = project_forms(EXAMPLE, profile)
    form_workbook(forms[0], profile, 2026)  # warm caches (jinja, profile)
    wall, cpu = time.perf_counter(), time.process_time()
    size = 0
    for i in range(args.count):
        size += len(
            form_workbook(forms[i % len(forms)], profile, 2026, LAYOUT_NAMES[i % len(LAYOUT_NAMES)])
        )
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"预填工作簿：{args.count} 个，平均 {size / args.count / 1024:.1f} KiB")
    print(f"  墙钟时间 {wall:.2f} s，每秒 {args.count / wall:.1f} 个")
    print(f"  CPU 时间 {cpu:.2f} s，每秒 {args.count / cpu:.1f} 个（目标：每秒至少 50 个）")


if __name__ == "__main__":
    main()

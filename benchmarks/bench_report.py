"""Time of the portfolio report for 1,000 forms, against plain validation of the same folder.

Both are measured in the same run on the same folder (seed forms plus variants with
known mistakes, half YAML, half JSON; see tests/test_portfolio_folder.py):
  validate = check_paths alone (read + rules), as ``selfeval validate`` does;
  report   = check_paths + summarise + the HTML, CSV and xlsx outputs.
Goal (issue: portfolio report): the report adds under 20 % to validation.
Run: python benchmarks/bench_report.py [--forms 1000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval.portfolio import FORMATS, render, summarise  # noqa: E402
from selfeval.profiles import load_profile  # noqa: E402
from selfeval.results import check_paths  # noqa: E402
from tests.test_portfolio_folder import build_folder  # noqa: E402


def validate_only(folder: Path) -> float:
    profile = load_profile("national")
    start = time.perf_counter()
    list(check_paths([folder], profile))
    return time.perf_counter() - start


def full_report(folder: Path) -> tuple[float, dict[str, float], dict[str, int]]:
    """Total time, time of each output alone, and each output's size in bytes."""
    profile = load_profile("national")
    start = time.perf_counter()
    portfolio = summarise(check_paths([folder], profile), profile)
    parts, sizes = {}, {}
    for fmt in FORMATS:
        t = time.perf_counter()
        sizes[fmt] = len(render(portfolio, fmt, folder.parent))
        parts[fmt] = time.perf_counter() - t
    return time.perf_counter() - start, parts, sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"
        built = build_folder(folder, args.forms, workbooks=False)
        print(f"{len(built.forms)} forms + {len(built.unreadable)} unreadable files")
        full_report(folder)  # warm up: imports, template compilation, file cache
        plain, report = [], []
        for _ in range(args.repeat):  # interleaved, so that both see the same machine state
            plain.append(validate_only(folder))
            report.append(full_report(folder))
        best_plain = min(plain)
        best_total, parts, sizes = min(report, key=lambda r: r[0])
    added = best_total - best_plain
    print(f"validate (check_paths):          {best_plain:6.2f} s")
    print(f"report (check_paths + 3 outputs): {best_total:6.2f} s")
    for fmt in FORMATS:
        print(f"  {fmt:<5} {parts[fmt]:6.3f} s  {sizes[fmt] / 1024:8.0f} KiB")
    print(f"report adds {added:.2f} s = {added / best_plain:.1%} to validation (goal < 20 %)")


if __name__ == "__main__":
    main()

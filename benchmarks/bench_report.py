"""Time of the portfolio report for 1,000 forms, against plain validation of the same folder.

Both are measured in the same run on the same folder (seed forms plus variants with
known mistakes, half YAML, half JSON; see tests/test_portfolio_folder.py):
  validate = check_paths alone (read + rules; worker processes for large folders);
  report   = check_paths feeding the HTML, CSV and xlsx writers (selfeval.portfolio.build).
Goal (issue: portfolio report): the report adds under 20 % to validation.

Wall time is what a user waits; CPU time (this process and its workers) is shown
too, because on a shared machine wall time varies from run to run.
Run: python benchmarks/bench_report.py [--forms 1000] [--repeat 5] [--workers 1]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from selfeval.portfolio import FORMATS, build, render  # noqa: E402
from selfeval.profiles import load_profile  # noqa: E402
from selfeval.results import check_paths  # noqa: E402
from tests.test_portfolio_folder import build_folder  # noqa: E402

PROFILE = load_profile("national")


def cpu() -> float:
    """CPU seconds of this process and of its finished workers."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(fn) -> tuple[float, float, object]:  # type: ignore[no-untyped-def]
    wall, used = time.perf_counter(), cpu()
    out = fn()
    return time.perf_counter() - wall, cpu() - used, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--workers", type=int, help="worker processes for checking (default: check_paths decides)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "forms"
        built = build_folder(folder, args.forms, workbooks=False)
        print(f"{len(built.forms)} forms + {len(built.unreadable)} unreadable files")

        def plain() -> object:
            return list(check_paths([folder], PROFILE, workers=args.workers))

        def report() -> object:
            results = check_paths([folder], PROFILE, workers=args.workers)
            return build(results, PROFILE, FORMATS, folder.parent)

        report()  # warm up: imports, template compilation, file cache
        runs = []
        for _ in range(args.repeat):  # interleaved, so that both see the same machine state
            runs.append((timed(plain), timed(report)))
        portfolio, files = runs[-1][1][2]  # type: ignore[misc]
        print(f"{'':28}{'wall':>8}{'CPU':>8}")
        for n, ((pw, pc, _), (rw, rc, _)) in enumerate(runs, 1):
            print(f"run {n}: validate              {pw:7.2f}s{pc:7.2f}s")
            print(f"       validate + 3 outputs  {rw:7.2f}s{rc:7.2f}s")
            print(f"       report adds           {rw / pw - 1:7.1%} {rc / pc - 1:7.1%}")
        for label, k in (("wall", 0), ("CPU", 1)):
            p = median(run[0][k] for run in runs)
            r = median(run[1][k] for run in runs)
            print(f"median {label:<4}: validate {p:.2f}s, report {r:.2f}s, adds {r / p - 1:.1%}")
        print("goal: the report adds under 20 % to validation")
        print("each output alone, from the summarised rows (not overlapped with checking):")
        for fmt in FORMATS:
            wall, _, data = timed(lambda fmt=fmt: render(portfolio, fmt, folder.parent))
            print(f"  {fmt:<5}{wall:7.3f}s {len(data) / 1024:8.0f} KiB")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()

"""Time of the portfolio report for 1,000 forms, against plain validation of the same folder.

Both are measured in the same run on the same folder (seed forms plus variants with
known mistakes, half YAML, half JSON; see tests/test_portfolio_folder.py):
  validate = check_paths alone (read + rules; worker processes for large folders);
  report   = check_paths feeding the HTML, CSV and xlsx writers (selfeval.reports.portfolio.build).
Goal (issue: portfolio report): the report adds under 20 % to validation.
Goal (issue 13: the validator's desk): the cross-form checks (records taken from each
form plus the checks at the end, selfeval.rules.crossform) add under 20 % to the
report; they are timed alone on the checked results, in this process (CPU time).
The folder is a worst case for them: every form is a variant of one of eleven seed
forms, so each text has near-duplicates in about 90 other forms.

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

from selfeval.pipeline.results import check_paths  # noqa: E402
from selfeval.profiles.policy import load_profile  # noqa: E402
from selfeval.reports.portfolio import FORMATS, build, render  # noqa: E402
from selfeval.rules.crossform import CrossForm, record  # noqa: E402
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


def distinct_texts(n: int) -> object:
    """``n`` synthetic records whose texts share only chance 3-grams, ready to check."""
    import random

    from selfeval.rules.crossform import FormRecord, Text

    rng = random.Random(13)
    alphabet = [chr(0x4E00 + i) for i in range(600)]
    checks = CrossForm()
    for i in range(1, n + 1):
        texts = tuple(
            Text(kind, "".join(rng.choices(alphabet, k=40)))
            for kind in ("planned", "achieved", "names", "reason", "reason")
        )
        checks.add(FormRecord(i, f"单位{i % 50}", f"项目{i}", texts, 95.0, False, False, 0.9, None))
    return checks


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
        results = list(check_paths([folder], PROFILE, workers=args.workers))

        def cross() -> object:
            checks = CrossForm()
            for i, result in enumerate(results, 1):
                checks.add(record(i, result.form, result.analysis))
            return checks.finish()

        times = [timed(cross) for _ in range(args.repeat)]
        found = times[-1][2]
        spent = median(t[1] for t in times)
        report_cpu = median(run[1][1] for run in runs)
        print(
            f"cross-form checks: {spent:.3f}s CPU = {spent / report_cpu:.1%} of the report's "
            f"{report_cpu:.2f}s CPU ({len(found.similar)} near-duplicate pairs listed, "  # type: ignore[attr-defined]
            f"{len(found.full_units)} all-full units)"  # type: ignore[attr-defined]
        )
        synthetic = distinct_texts(len(results))
        distinct = median(timed(synthetic.finish)[1] for _ in range(args.repeat))
        print(
            f"cross-form checks on {len(results)} forms of distinct texts (5 texts of 40 "
            f"characters each, no copies): {distinct:.3f}s CPU = {distinct / report_cpu:.1%}"
        )
        print("goal: the cross-form checks add under 20 % to the report")
        print("each output alone, from the summarised rows (not overlapped with checking):")
        for fmt in FORMATS:
            wall, _, data = timed(lambda fmt=fmt: render(portfolio, fmt, folder.parent))
            print(f"  {fmt:<5}{wall:7.3f}s {len(data) / 1024:8.0f} KiB")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()

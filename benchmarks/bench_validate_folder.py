"""Validate a folder of 1,000 forms; compare with merely opening the same files.

Each measurement runs in a fresh Python process so that peak memory (max RSS,
which includes calamine's Rust allocations) is its own. Imports happen before
the clock starts (their time is printed apart), so no run pays for them:

- ``openpyxl``: ``load_workbook(read_only=True)`` and every row's values;
- ``calamine``: python-calamine, every sheet's values (``to_python``);
- ``validate``: ``check_paths`` end to end (read, locate, rules) in this one
  process (``workers=1``), the fair comparison with the two bare opens;
- ``validate, parallel``: the same with one worker process per core, as
  ``selfeval validate`` does for folders of 64 files or more. Its memory is the
  main process plus the largest worker, times the number of workers.

Usage: python benchmarks/bench_validate_folder.py [--forms 1000] [--folder DIR]
Goal: validate (one process) within 1.5 times the faster bare open.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_OPENPYXL_SETUP = "import openpyxl"
_OPENPYXL = """
for p in files:
    wb = openpyxl.load_workbook(p, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""
_CALAMINE_SETUP = "from python_calamine import CalamineWorkbook"
_CALAMINE = """
for p in files:
    wb = CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()
"""
_VALIDATE_SETUP = """
import python_calamine
import selfeval.readers.legacy, selfeval.readers.workbook, selfeval.readers.xlsx
from selfeval.profiles import load_profile
from selfeval.results import check_paths
profile = load_profile("national")
"""
_VALIDATE = """
results = list(check_paths([folder], profile, workers={workers}))
assert len(results) == len(files), len(results)
"""
_HARNESS = """
import os, resource, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
files = sorted(folder.glob("*.xlsx"))
start = time.perf_counter()
{setup}
setup = time.perf_counter() - start
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(elapsed, setup, peak, worker)
"""


def make_folder(folder: Path, forms: int) -> None:
    """``forms`` single-form workbooks: the eleven seed forms, copied round-robin."""
    sys.path.insert(0, str(ROOT))
    from tests.seed_workbooks import write_seed_workbooks

    seeds = [p for p in write_seed_workbooks(folder / "_seed") if p.stem != "all_forms"]
    for n in range(forms):
        shutil.copyfile(seeds[n % len(seeds)], folder / f"form{n:04d}.xlsx")
    shutil.rmtree(folder / "_seed")


class Run:
    """One measurement: seconds of work, seconds of imports, peak MiB (main process
    plus, for a worker pool, each worker's peak)."""

    def __init__(
        self, seconds: float, imports: float, mib: float, workers: int = 0, worker_mib: float = 0
    ):
        self.seconds, self.imports, self.workers = seconds, imports, workers
        self.mib = mib + workers * worker_mib
        self.memory = f"{mib:.0f}+{workers}×{worker_mib:.0f}" if workers else f"{mib:.0f}"


def measure(setup: str, body: str, folder: Path, workers: int = 0) -> Run:
    """A fresh interpreter runs ``setup`` (untimed apart) and then ``body`` (timed)."""
    code = _HARNESS.format(setup=setup, body=body)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds, imports, rss_kib, worker_kib = done.stdout.split()
    return Run(float(seconds), float(imports), int(rss_kib) / 1024, workers, int(worker_kib) / 1024)


def _cells(*cells: tuple[str, int]) -> str:
    """A table line: the first cell padded right, the others left, by display width
    (a Chinese character takes two columns)."""

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    (first, size), *rest = cells
    line = first + " " * (size - width(first))
    return line + "".join(" " * (size - width(text)) + text for text, size in rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--folder", type=Path, help="reuse or create the forms here")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="selfeval-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.xlsx"))) != args.forms:
        for old in folder.glob("*.xlsx"):
            old.unlink()
        make_folder(folder, args.forms)
    single = _VALIDATE.format(workers=1)
    parallel = _VALIDATE.format(workers=args.workers)
    rows = {
        "openpyxl 只读打开": measure(_OPENPYXL_SETUP, _OPENPYXL, folder),
        "calamine 打开": measure(_CALAMINE_SETUP, _CALAMINE, folder),
        "selfeval 校验（单进程）": measure(_VALIDATE_SETUP, single, folder),
        f"selfeval 校验（{args.workers} 进程）": measure(
            _VALIDATE_SETUP, parallel, folder, args.workers
        ),
    }
    print(f"{args.forms} 份自评表（{folder}），导入模块的时间不计入")
    print(_cells(("", 24), ("秒", 8), ("份/秒", 8), ("峰值内存 MiB", 14), ("导入 秒", 9)))
    for label, run in rows.items():
        speed = f"{args.forms / run.seconds:.0f}"
        print(
            _cells(
                (label, 24),
                (f"{run.seconds:.2f}", 8),
                (speed, 8),
                (run.memory, 14),
                (f"{run.imports:.2f}", 9),
            )
        )
    fastest_open = min(rows["openpyxl 只读打开"].seconds, rows["calamine 打开"].seconds)
    ratio = rows["selfeval 校验（单进程）"].seconds / fastest_open
    print(f"单进程校验耗时 / 最快打开 = {ratio:.2f}（目标 ≤ 1.5）")
    if args.folder is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

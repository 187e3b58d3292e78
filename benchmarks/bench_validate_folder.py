"""Validate a folder of 1,000 forms; compare with merely opening the same files.

Each measurement runs in a fresh Python process so that peak memory (max RSS,
which includes calamine's Rust allocations) is its own:

- ``openpyxl``: ``load_workbook(read_only=True)`` and every row's values;
- ``calamine``: python-calamine, every sheet's values (``to_python``);
- ``validate``: ``selfeval validate`` end to end (read, locate, rules), no output.

Usage: python benchmarks/bench_validate_folder.py [--forms 1000] [--folder DIR]
Goal: validate within 1.5 times the faster bare open.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_OPENPYXL = """
import openpyxl
for p in files:
    wb = openpyxl.load_workbook(p, read_only=True)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            pass
    wb.close()
"""
_CALAMINE = """
from python_calamine import CalamineWorkbook
for p in files:
    wb = CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()
"""
_VALIDATE = """
from selfeval.profiles import load_profile
from selfeval.results import check_paths
results = list(check_paths([folder], load_profile("national")))
assert len(results) == len(files), len(results)
"""
_HARNESS = """
import resource, sys, time
from pathlib import Path
folder = Path(sys.argv[1])
files = sorted(folder.glob("*.xlsx"))
start = time.perf_counter()
{body}
elapsed = time.perf_counter() - start
print(elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def make_folder(folder: Path, forms: int) -> None:
    """``forms`` single-form workbooks: the eleven seed forms, copied round-robin."""
    sys.path.insert(0, str(ROOT))
    from tests.seed_workbooks import write_seed_workbooks

    seeds = [p for p in write_seed_workbooks(folder / "_seed") if p.stem != "all_forms"]
    for n in range(forms):
        shutil.copyfile(seeds[n % len(seeds)], folder / f"form{n:04d}.xlsx")
    shutil.rmtree(folder / "_seed")


def measure(body: str, folder: Path) -> tuple[float, float]:
    """(seconds, peak MiB) of ``body`` run in a fresh interpreter."""
    code = _HARNESS.format(body=body)
    done = subprocess.run(
        [sys.executable, "-c", code, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    seconds, rss_kib = done.stdout.split()
    return float(seconds), int(rss_kib) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forms", type=int, default=1000)
    parser.add_argument("--folder", type=Path, help="reuse or create the forms here")
    args = parser.parse_args()
    folder = args.folder or Path(tempfile.mkdtemp(prefix="selfeval-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    if len(list(folder.glob("*.xlsx"))) != args.forms:
        for old in folder.glob("*.xlsx"):
            old.unlink()
        make_folder(folder, args.forms)
    rows = {}
    for label, body in (
        ("openpyxl 只读打开", _OPENPYXL),
        ("calamine 打开", _CALAMINE),
        ("selfeval 校验", _VALIDATE),
    ):
        rows[label] = measure(body, folder)
    print(f"{args.forms} 份自评表（{folder}）")
    print(f"{'':18}{'秒':>8}{'份/秒':>10}{'峰值内存 MiB':>14}")
    for label, (seconds, mib) in rows.items():
        print(f"{label:18}{seconds:8.2f}{args.forms / seconds:10.0f}{mib:14.1f}")
    fastest_open = min(rows["openpyxl 只读打开"][0], rows["calamine 打开"][0])
    ratio = rows["selfeval 校验"][0] / fastest_open
    print(f"校验耗时 / 最快打开 = {ratio:.2f}（目标 ≤ 1.5）")
    if args.folder is None:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()

"""Locate and read the form of each workbook: milliseconds per form, in one process.

The stage after the workbook load and before the rules (issue 14): every file's
grids are loaded once (python-calamine, ``selfeval.readers.xlsx.load``), then
``forms_in_grids`` and the ``workpaper_in`` check that runs on every workbook are
timed file by file. Each file's time is the least of ``--repeat`` passes, so a
busy machine's pauses do not count; the figure is their sum over the folder,
per form. The folders are those of ``bench_validate_folder.py`` (hand-made and
template-built single-form workbooks), made once under ``--folder``.

Usage: python benchmarks/bench_read_forms.py [--size 1000] [--repeat 7] [--folder DIR]
Stage target (set for issue 14, whose goals are whole-command figures: see
bench_validate_folder.py): at most 0.4 ms per hand-made form, 0.5 ms per template-built one.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_validate_folder import make_folders  # noqa: E402

TARGETS = {"hand": 0.4, "template": 0.5}
KINDS = {"hand": "手工表", "template": "模板表"}


def per_form_ms(folder: Path, repeat: int) -> float:
    """Milliseconds per form: each file's least time over ``repeat`` passes, summed."""
    from selfeval.readers import xlsx
    from selfeval.readers.locate import forms_in_grids
    from selfeval.readers.workpaper import workpaper_in

    loaded = [(xlsx.load(path), str(path)) for path in sorted(folder.glob("*.xlsx"))]
    least = [float("inf")] * len(loaded)
    clock = time.perf_counter
    for _ in range(repeat):
        for i, (grids, name) in enumerate(loaded):
            start = clock()
            workpaper_in(grids, name)
            forms_in_grids(grids, name)
            least[i] = min(least[i], clock() - start)
    return sum(least) * 1000 / len(loaded)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=7, help="passes over each folder")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the folders here")
    args = parser.parse_args()
    base = args.folder or Path(tempfile.mkdtemp(prefix="selfeval-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    folders = make_folders(base, args.size)
    print(f"开始时负载 {os.getloadavg()[0]:.1f}；定位并读取表单（不含打开工作簿与规则），单进程")
    for kind, folder in folders.items():
        ms = per_form_ms(folder, args.repeat)
        print(
            f"{args.size:,} 份{KINDS[kind]}：每份 {ms:.3f} 毫秒（阶段目标 ≤ {TARGETS[kind]} 毫秒）"
        )


if __name__ == "__main__":
    main()

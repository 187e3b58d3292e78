"""Validate folders of 1,000 and 10,000 forms; compare with merely opening the same files.

Every measurement is a fresh process, timed from outside: the whole command,
interpreter start-up and imports included. Peak memory is the largest process
of the run (the main process or any worker: ``wait4``'s maximum resident set).

- ``calamine``: python-calamine opens every file and reads every sheet's values;
  the time printed is the loop alone (imports excluded), the figure each goal is
  a multiple of;
- ``读入工作簿``: the same loop over ``selfeval.readers.xlsx.load``, selfeval's reading
  of each workbook alone (calamine's values plus the parts it reads with ``zipfile``
  and ElementTree: sheets, defined names, number formats, formulas), with no form
  located, checked or printed: how much of each goal the reading alone takes;
- ``selfeval validate``: the command as staff run it, with ``--jobs 1`` (one
  process) and with one worker process per core (its default for folders of 64
  files or more); text output, and at 10,000 forms also JSON written with ``-o``.

Python runs as it does once selfeval is installed: with bytecode caches (pip
compiles them at install time; here they go to a temporary folder, which a
warm-up run at 1,000 forms fills), even where the environment says PYTHONDONTWRITEBYTECODE.
The runs of one folder take turns (bare open, one process, all cores, again …),
so a change in the machine's load falls on every figure alike.

Two kinds of folder: hand-made forms (the eleven seed forms pasted into
workbooks, copied round-robin) and template-built ones (the same forms written
into our two templates by ``selfeval.writers.template``, as ``selfeval convert`` does).

Usage: python benchmarks/bench_validate_folder.py [--sizes 1000 10000] [--repeat 3] [--folder DIR]
Goals (issue 14): all cores at 1,000 forms ≤ 2.5 × the bare open, one process ≤ 4 ×,
the largest process < 100 MiB at 10,000 forms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROFILE = "shanghai"  # the seed forms are Shanghai's

_LOOP = """
import sys, time
from pathlib import Path
{imports}
files = sorted(Path(sys.argv[1]).glob("*.xlsx"))
start, cpu = time.perf_counter(), time.process_time()
for p in files:
{body}
print(time.perf_counter() - start, time.process_time() - cpu)
"""
"""A loop over a folder's workbooks, timed inside the process (imports excluded)."""

_CALAMINE = _LOOP.format(
    imports="from python_calamine import CalamineWorkbook",
    body="""    wb = CalamineWorkbook.from_path(str(p))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    wb.close()""",
)
_LOAD = _LOOP.format(imports="from selfeval.readers.xlsx import load", body="    load(p)")


def make_folders(base: Path, size: int) -> dict[str, Path]:
    """``size`` single-form workbooks of each kind, made once under ``base``."""
    sys.path.insert(0, str(ROOT))
    from selfeval.profiles.policy import load_profile
    from selfeval.readers import read_file
    from selfeval.writers.template import form_workbook
    from tests.seed_workbooks import write_seed_workbooks

    seeds_dir = base / "_seeds"
    if not seeds_dir.exists():
        hand = write_seed_workbooks(seeds_dir / "hand")
        hand.pop().unlink()  # all_forms.xlsx: the eleven stacked; every file holds one form
        (seeds_dir / "template").mkdir()
        profile = load_profile(PROFILE)
        for path in hand:
            (form,) = read_file(path)
            for layout in ("standard", "appraisal"):
                out = seeds_dir / "template" / f"{path.stem}_{layout}.xlsx"
                out.write_bytes(form_workbook(form, profile, layout_name=layout))  # type: ignore[arg-type]
    folders = {}
    for kind in ("hand", "template"):
        folder = base / f"{kind}_{size}"
        seeds = sorted((seeds_dir / kind).glob("*.xlsx"))
        if len(list(folder.glob("*.xlsx"))) != size:
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            for n in range(size):
                shutil.copyfile(seeds[n % len(seeds)], folder / f"form{n:05d}.xlsx")
        folders[kind] = folder
    return folders


def installed_python(cache: Path) -> dict[str, str]:
    """The environment of an installed selfeval: bytecode cached (under ``cache``)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(cache)
    return env


ENV = installed_python(Path(tempfile.gettempdir()) / "selfeval-bench-pycache")


def run(argv: list[str]) -> tuple[float, float, float, str]:
    """Seconds of wall time, CPU seconds of every process, peak MiB of the largest
    process, and standard output."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"{argv} exited {proc.returncode}")
        out.seek(0)
        cpu = usage.ru_utime + usage.ru_stime
        return seconds, cpu, usage.ru_maxrss / 1024, out.read().decode("utf-8")


def loop_run(script: str, folder: Path) -> tuple[float, float, float, str]:
    """One in-process loop over the folder (``_CALAMINE``, ``_LOAD``): its own seconds,
    imports excluded."""
    wall, cpu = run([sys.executable, "-c", script, str(folder)])[3].split()
    return float(wall), float(cpu), 0.0, ""


def take_turns(
    argvs: list[list[str]], folder: Path, repeat: int
) -> list[tuple[float, float, float]]:
    """The bare open, selfeval's reading alone and each command, ``repeat`` rounds of
    one run each: median wall seconds, median CPU seconds and the largest peak MiB of
    each (bare open and reading first)."""
    if repeat > 1:  # warm-up: bytecode caches written, files in the page cache
        for argv in argvs:
            run(argv)
    rounds = [
        [loop_run(_CALAMINE, folder), loop_run(_LOAD, folder), *(run(argv) for argv in argvs)]
        for _ in range(repeat)
    ]
    median = statistics.median
    return [
        (
            median(r[i][0] for r in rounds),
            median(r[i][1] for r in rounds),
            max(r[i][2] for r in rounds),
        )
        for i in range(len(argvs) + 2)
    ]


def _cells(*cells: tuple[str, int]) -> str:
    """A table line: the first cell padded right, the others left, by display width."""

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    (first, size), *rest = cells
    line = first + " " * (size - width(first))
    return line + "".join(" " * (size - width(text)) + text for text, size in rest)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure at 1,000 forms")
    parser.add_argument("--folder", type=Path, help="keep (and reuse) the folders here")
    args = parser.parse_args()
    base = args.folder or Path(tempfile.mkdtemp(prefix="selfeval-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    cores = os.cpu_count() or 1
    selfeval = [sys.executable, "-m", "selfeval.cli.main", "validate", "--profile", PROFILE]
    load = os.getloadavg()[0]
    print(f"{cores} 核，开始时负载 {load:.1f}；每项为整条命令（含解释器启动与导入）")
    print("秒：墙钟时间；CPU 秒：所有进程合计；峰值：最大进程的内存")
    headings = ("秒", "× 裸打开", "CPU 秒", "× 裸打开", "份/秒", "峰值 MiB")
    print(_cells(("", 34), *((h, 10) for h in headings)))
    try:
        for size in args.sizes:
            folders = make_folders(base, size)
            repeat = max(1, args.repeat * 1000 // size)
            for kind, folder in folders.items():
                label = {"hand": "手工表", "template": "模板表"}[kind]
                cases = [("单进程", ["--jobs", "1"]), (f"{cores} 进程", [])]
                if size >= 10000:
                    out = base / "result.json"
                    cases.append((f"{cores} 进程 JSON -o", ["--format", "json", "-o", str(out)]))
                argvs = [[*selfeval, str(folder), *extra] for _, extra in cases]
                (bare, bare_cpu, _), (read, read_cpu, _), *figures = take_turns(
                    argvs, folder, repeat
                )
                print(
                    _cells(
                        (f"{size:,} 份{label}：calamine 裸打开", 34),
                        (f"{bare:.2f}", 10),
                        ("", 10),
                        (f"{bare_cpu:.2f}", 10),
                    )
                )
                print(
                    _cells(
                        ("  其中读入工作簿（不定位、不校验）", 34),
                        (f"{read:.2f}", 10),
                        (f"{read / bare:.1f}", 10),
                        (f"{read_cpu:.2f}", 10),
                        (f"{read_cpu / bare_cpu:.1f}", 10),
                    )
                )
                for (name, _), (seconds, cpu, mib) in zip(cases, figures, strict=True):
                    print(
                        _cells(
                            (f"  selfeval validate，{name}", 34),
                            (f"{seconds:.2f}", 10),
                            (f"{seconds / bare:.1f}", 10),
                            (f"{cpu:.2f}", 10),
                            (f"{cpu / bare_cpu:.1f}", 10),
                            (f"{size / seconds:.0f}", 10),
                            (f"{mib:.0f}", 10),
                        )
                    )
    finally:
        if args.folder is None:
            shutil.rmtree(base)
    print("目标：1,000 份全部核 ≤ 2.5 × 裸打开，单进程 ≤ 4 ×；10,000 份最大进程 < 100 MiB")


if __name__ == "__main__":
    main()

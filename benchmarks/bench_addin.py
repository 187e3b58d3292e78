"""The add-in's buttons through the playback harness (xlwings' remote engine, no Excel).

Figures (issue 11): the cells a click reads on a sheet formatted down whole columns (the
used range reaches row 1,048,576; only the rows holding data should be read), and the
time of each button on a protected template, with its writes played one by one as on
the desktop (protection lifted and put back, ledger first).
Run: python benchmarks/bench_addin.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from openpyxl.utils.cell import range_boundaries  # noqa: E402

from selfeval.excel import buttons  # noqa: E402
from tests.seed_workbooks import write_seed_workbooks  # noqa: E402
from tests.xlwings_payload import press  # noqa: E402

SEQUENCE = [buttons.validate_book, buttons.rescore_book, buttons.restore_book, buttons.clear_marks]


def enable_remote_engine() -> None:
    import xlwings as xw
    from xlwings.main import Engine
    from xlwings.pro import _xlremote

    if "remote" not in xw.engines.engines_by_name:
        engine = Engine(impl=_xlremote.engine)
        xw.engines.engines.append(engine)
        xw.engines.engines_by_name["remote"] = engine


def cells_read(path: Path) -> int:
    applied, _ = press(buttons.validate_book, path, desktop=True, formatted_columns="A:H")
    total = 0
    for _, address in applied.reads:
        min_col, min_row, max_col, max_row = range_boundaries(address.replace("$", ""))
        total += (max_row - min_row + 1) * (max_col - min_col + 1)
    return total


def template(folder: Path) -> Path:
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.formfile import read_form_file
    from selfeval.writers.template import write_form

    root = Path(__file__).resolve().parent.parent
    form = read_form_file(root / "tests" / "fixtures" / "seed" / "form10.yaml")[0]
    return write_form(form, folder / "template.xlsx", load_profile())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    enable_remote_engine()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SELFEVAL_HOME"] = str(folder / "home")
        write_seed_workbooks(folder)
        form = folder / "form10.xlsx"
        print(
            f"whole columns A:H formatted to row 1,048,576: Validate reads {cells_read(form):,} cells"
        )
        original = template(folder)
        times: dict[str, list[float]] = {b.__name__: [] for b in SEQUENCE}
        steps: dict[str, int] = {}
        for _ in range(args.repeat):
            path = folder / "trial.xlsx"
            shutil.copy(original, path)
            for button in SEQUENCE:
                start = time.perf_counter()
                applied, _ = press(button, path, desktop=True)
                times[button.__name__].append(time.perf_counter() - start)
                steps[button.__name__] = applied.writes
        for name, values in times.items():
            print(
                f"{name:14s} on a protected template: {median(values) * 1000:6.0f} ms "
                f"(median of {args.repeat}, {steps[name]} write steps, playback included)"
            )


if __name__ == "__main__":
    main()

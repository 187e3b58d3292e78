"""What each endpoint computes, as plain functions over uploaded ``(name, bytes)``.

They run in a worker thread, one request at a time per slot, and go through what the
CLI commands use: :mod:`selfeval.api` to check and rescore, the JSON items of
``selfeval validate --format json``, the portfolio report, the sample and the
workpaper writers. Each upload is written as a file of its own (mode 0600) in the
process's private temporary folder for the length of the call (the readers take paths)
and removed afterwards, whatever happens. A :class:`Deadline` is checked between files,
so a request past its time limit stops.

``profile`` is the profile a request names (or the service's ``--profile``), which
overrides the one a template records; ``fallback`` the default for a form that records
none when no profile is named (as the CLI's), loaded once per process by the service.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from selfeval import api
from selfeval.errors import InputError, SelfevalError
from selfeval.pipeline.results import FormResult, Tally
from selfeval.profiles.policy import Profile
from selfeval.readers import WORKBOOK_SUFFIXES
from selfeval.readers.cells import text
from selfeval.readers.workbook import load_grids
from selfeval.reports.portfolio import build_rows, summarise
from selfeval.reports.portfolio.sample import draw, frame, sample_workbook, weight_rule
from selfeval.reports.portfolio.summary import kept, made
from selfeval.reports.text import json_item, write_json_array
from selfeval.service.uploads import Upload
from selfeval.writers.template import blank_workbook, current_year
from selfeval.writers.template.build import blank_name
from selfeval.writers.workpaper import NOTES, Reviewed, workpaper_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA = {".xlsx": XLSX, ".yaml": "application/yaml", ".html": "text/html; charset=utf-8"}
MEDIA[".csv"] = "text/csv; charset=utf-8"


class TimeUp(SelfevalError, TimeoutError):
    """The request ran past its time limit (answered 504 with a Chinese message)."""


@dataclass(frozen=True)
class Deadline:
    at: float  # time.monotonic() value

    @classmethod
    def after(cls, seconds: float) -> Deadline:
        return cls(time.monotonic() + seconds)

    def check(self) -> None:
        if time.monotonic() > self.at:
            raise TimeUp


@dataclass(frozen=True)
class Download:
    """A file to send: its name (Chinese), bytes and media type."""

    name: str
    data: bytes
    media: str


@contextmanager
def workspace(uploads: list[Upload]) -> Iterator[list[tuple[Path, str]]]:
    """Each upload as a new private file (``mkstemp``: a name of its own, mode 0600) with
    the name it is shown by (the same name twice gets `` (2)``); the files are removed on
    the way out. Only the suffix of the file on disk matters to the readers (the results
    are renamed to the shown name), so no folder is made per request: on a journalled
    file system making and removing a folder costs more than the file itself."""
    placed: list[tuple[Path, str]] = []
    taken: set[str] = set()
    try:
        for name, data in uploads:
            shown = _unique(name, taken)
            fd, path = tempfile.mkstemp(suffix=Path(shown).suffix, prefix="selfeval-")
            placed.append((Path(path), shown))
            with open(fd, "wb") as f:
                f.write(data)
        yield placed
    finally:
        for path, _ in placed:
            with contextlib.suppress(OSError):
                os.unlink(path)


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    shown, n = name, 2
    while shown.lower() in taken:
        shown, n = f"{stem} ({n}){dot}{suffix}", n + 1
    taken.add(shown.lower())
    return shown


def checked(
    uploads: list[Upload], profile: Profile | None, fallback: Profile, deadline: Deadline
) -> Iterator[FormResult]:
    """Every form of every upload, checked, named as uploaded; with no ``profile`` a
    template is judged by the profile it records (as the CLI without --profile)."""
    with workspace(uploads) as placed:
        for path, shown in placed:
            deadline.check()
            yield from api.check(path, profile=profile, name=shown, fallback=fallback)


def validate_json(
    uploads: list[Upload], profile: Profile | None, fallback: Profile, deadline: Deadline
) -> bytes:
    """What ``selfeval validate FILES --format json`` prints, byte for byte."""
    tally = Tally()

    def items() -> Iterator[str]:
        for result in checked(uploads, profile, fallback, deadline):
            tally.add(result)
            if result.skipped is None:
                yield json_item(result)

    out = io.StringIO()
    write_json_array(out, items())
    if not tally.forms:
        raise InputError(_none_found(uploads))
    return (out.getvalue() + "\n").encode("utf-8")


def _none_found(uploads: list[Upload]) -> str:
    names = "、".join(name for name, _ in uploads[:5])
    return f"在 {names}{' 等' if len(uploads) > 5 else ''} 中没有找到自评表（selfeval 生成的文件会被跳过）"


def rescored(upload: Upload, profile: Profile | None, fallback: Profile) -> Download:
    """``selfeval rescore``'s file: ``原名_重新评分.xlsx`` (``.yaml`` for a form file)."""
    with workspace([upload]) as [(path, shown)]:
        done = api.rescore(path, profile=profile, name=shown, fallback=fallback)
    stem = Path(shown).stem
    assert done.data is not None
    return Download(f"{stem}_重新评分{done.suffix}", done.data, MEDIA[done.suffix])


REPORT_NAMES = {"html": "汇总报告.html", "csv": "汇总报告.csv", "xlsx": "汇总报告.xlsx"}


def report(
    uploads: list[Upload],
    profile: Profile | None,
    fallback: Profile,
    fmt: str,
    deadline: Deadline,
) -> Download:
    """``selfeval report``'s file (HTML, CSV or xlsx) for the uploaded forms."""
    summary = profile or fallback  # the report's own, as the CLI's default
    rows = (made(r, summary) for r in kept(checked(uploads, profile, fallback, deadline)))
    portfolio, written = build_rows(rows, summary, [fmt])
    if not portfolio.rows:
        raise InputError(_none_found(uploads))
    name = REPORT_NAMES[fmt]
    return Download(name, written[fmt], MEDIA[Path(name).suffix])


def _drawn(
    uploads: list[Upload],
    profile: Profile | None,
    fallback: Profile,
    n: int | None,
    seed: int | None,
    deadline: Deadline,
):  # type: ignore[no-untyped-def]
    """The kept results, their portfolio, frame and the units drawn, as ``selfeval sample``
    draws them from a folder holding the uploaded files."""
    results = [r for r in checked(uploads, profile, fallback, deadline) if r.skipped is None]
    portfolio = summarise(results, profile or fallback)
    # Names are relative, so the ids are the files' paths as in a folder of them.
    units = frame(portfolio, Path.cwd(), seed or 0)
    if not units:
        raise InputError("没有可抽取的自评表（上传的文件均无法读取）")
    return results, portfolio, units, draw(units, n or len(units))


def sample(
    uploads: list[Upload],
    profile: Profile | None,
    fallback: Profile,
    n: int,
    seed: int,
    deadline: Deadline,
) -> Download:
    """``selfeval sample -n N --seed S``'s 抽查清单.xlsx for the uploaded forms."""
    _, portfolio, units, drawn = _drawn(uploads, profile, fallback, n, seed, deadline)
    about = [
        (
            "抽样框",
            f"{len(units)} 份自评表（上传的 {len(uploads)} 个文件，重复提交的只计一次，无法读取的不计）",
        ),
        ("评分口径", portfolio.profile.title),
        ("权重", weight_rule(portfolio.profile.sample)),
        (
            "重抽命令",
            f"selfeval sample 文件夹 -n {n} --seed {seed} --profile {portfolio.profile.name}",
        ),
    ]
    data = sample_workbook(units, drawn, seed, n, about)
    return Download("抽查清单.xlsx", data, XLSX)


def review(
    uploads: list[Upload],
    profile: Profile | None,
    fallback: Profile,
    n: int | None,
    seed: int | None,
    deadline: Deadline,
) -> Download:
    """``selfeval review``'s 复核底稿.xlsx (with ``n`` and ``seed``: the sample only)."""
    results, portfolio, units, drawn = _drawn(uploads, profile, fallback, n, seed, deadline)
    forms = [Reviewed(i, results[i - 1]) for i in sorted(u.row.index for u in drawn)]
    notes = [
        *NOTES,
        f"来源：上传的 {len(uploads)} 个文件，共 {len(units)} 份自评表（重复提交的只计一次）。",
    ]
    if n is not None:
        notes.append(f"本底稿只含抽中的 {len(forms)} 份：selfeval sample -n {n} --seed {seed}。")
    notes.append(f"评分口径：{portfolio.profile.title}。")
    year = max((r.year for r in portfolio.forms if r.year), default=current_year())
    return Download("复核底稿.xlsx", workpaper_workbook(forms, year, notes), XLSX)


def template(layout: str, year: int, profile: Profile | None, fallback: Profile) -> Download:
    """``selfeval build --layout L --year Y``'s blank template."""
    profile = profile or fallback
    return Download(blank_name(layout, year, profile), blank_workbook(layout, year, profile), XLSX)


MAX_GRID_ROWS = 400
MAX_GRID_COLUMNS = 40


def sheets(uploads: list[Upload], deadline: Deadline) -> dict:
    """The desk's picture of each workbook: per sheet its grid as text (bounded), to show
    the cells of the findings in place."""
    files = []
    with workspace(uploads) as placed:
        for path, shown in placed:
            deadline.check()
            if path.suffix.lower() not in WORKBOOK_SUFFIXES:
                continue
            try:
                grids = load_grids(path)
            except Exception:  # noqa: BLE001 - the picture is an aid: the check says why
                continue
            found = []
            for grid in grids[:20]:
                rows = [
                    [
                        grid.shown.get((r, c)) or _shown(v)
                        for c, v in enumerate(row[:MAX_GRID_COLUMNS])
                    ]
                    for r, row in enumerate(grid.values[:MAX_GRID_ROWS])
                ]
                found.append({"sheet": grid.sheet, "origin": list(grid.origin), "rows": rows})
            files.append({"file": shown, "sheets": found})
    return {"files": files}


def _shown(value: object) -> str:
    """A cell's text as typed (markup included: the page shows it as text, never as HTML)."""
    return value if isinstance(value, str) else text(value)

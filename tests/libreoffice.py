"""Headless LibreOffice for tests: recalculate workbooks, convert them, print them to PDF.

LibreOffice stands in for Excel: a workbook our writer produced is opened, every formula
is recalculated (the profile forces it, whatever cached values the file carries), and the
result is saved again so that openpyxl's ``data_only=True`` reads what a spreadsheet
application computed. The PDF side uses poppler (pdfinfo, pdffonts, pdftoppm).

Each soffice run takes a profile (user installation) from a per-process pool, so calls
from parallel threads or pytest-xdist workers never share one: two soffice processes on
one profile would hand the document to each other or refuse to start.
"""

from __future__ import annotations

import atexit
import html
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NamedTuple

import openpyxl
from openpyxl.cell.cell import Cell

TIMEOUT_S = 60

# What tests need on PATH; scripts/install-test-deps.sh installs them all.
TOOLS = ("soffice", "pdfinfo", "pdffonts", "pdftoppm", "pdftotext")

# Output format -> LibreOffice's "extension:export filter" argument of --convert-to.
FILTERS = {
    "xlsx": "xlsx:Calc MS Excel 2007 XML",
    "xls": "xls:MS Excel 97",
    "ods": "ods:calc8",
    "pdf": "pdf:calc_pdf_Export",
}

# LibreOffice's own codes (Err:502 and so on), for errors with no Excel equivalent.
_LO_ERROR = re.compile(r"Err:\d{3}")
_WORD = re.compile(
    r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
)

# RecalcMode 0 = always recalculate on load (1 = never, 2 = ask). Without it LibreOffice
# trusts the cached values of an .xlsx, and a stale value would pass for a computed one.
_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">\
<prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


class LibreOfficeError(RuntimeError):
    """soffice or a poppler tool failed, timed out, or wrote no output."""


class Word(NamedTuple):
    """A word printed on a PDF page, with its box in points from the top left corner."""

    text: str
    x_min: float
    y_min: float
    x_max: float
    y_max: float

    @property
    def width(self) -> float:
        return self.x_max - self.x_min


# -- public API ---------------------------------------------------------------------


def soffice_path() -> str | None:
    """The soffice executable on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def missing_tools() -> list[str]:
    """The tools of TOOLS that are not on PATH."""
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def convert(src: Path, fmt: str, out_dir: Path, infilter: str | None = None) -> Path:
    """Open ``src`` in headless LibreOffice (recalculating it) and save it as ``fmt``.

    ``fmt`` is one of FILTERS; ``infilter`` names an import filter when the extension of
    ``src`` does not tell LibreOffice what it is. Returns the written file.
    """
    if fmt not in FILTERS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {sorted(FILTERS)}")
    src = Path(src).resolve()
    if not src.is_file():
        raise FileNotFoundError(src)
    out_dir = Path(out_dir).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{src.stem}.{fmt}"
    if target == src:
        raise ValueError(f"converting {src} into its own folder would overwrite it")
    # A file left by an earlier run must not pass for this run's output.
    target.unlink(missing_ok=True)
    args = ["--convert-to", FILTERS[fmt], "--outdir", str(out_dir), str(src)]
    if infilter:
        args.insert(0, f"--infilter={infilter}")
    done = _soffice(args)
    if not target.is_file():  # soffice exits 0 when it cannot load the file
        raise LibreOfficeError(
            f"soffice wrote no {target.name} from {src}:\n{done.stdout}{done.stderr}"
        )
    return target


def recalculate(xlsx: Path, out_dir: Path) -> Path:
    """Recalculate every formula of ``xlsx`` and save the result as ``out_dir/<name>.xlsx``."""
    return convert(xlsx, "xlsx", out_dir)


def to_pdf(xlsx: Path, out_dir: Path) -> Path:
    """Print the workbook to ``out_dir/<name>.pdf`` with its own page setup."""
    return convert(xlsx, "pdf", out_dir)


def pdf_pages(pdf: Path) -> int:
    """Number of pages, as pdfinfo reads it."""
    info = _run(["pdfinfo", str(pdf)]).stdout
    match = re.search(r"^Pages:\s+(\d+)$", info, re.MULTILINE)
    if match is None:
        raise LibreOfficeError(f"pdfinfo printed no page count for {pdf}:\n{info}")
    return int(match.group(1))


def pdf_fonts(pdf: Path) -> list[str]:
    """Names of the fonts embedded in ``pdf``, without the subset prefix (ABCDEF+)."""
    lines = _run(["pdffonts", str(pdf)]).stdout.splitlines()[2:]  # two header lines
    return [line.split()[0].split("+")[-1] for line in lines if line.strip()]


def pdf_words(pdf: Path) -> list[Word]:
    """The words of every page with their boxes (pdftotext -bbox), in reading order."""
    xhtml = _run(["pdftotext", "-bbox", str(pdf), "-"]).stdout
    return [
        Word(html.unescape(m[5]), float(m[1]), float(m[2]), float(m[3]), float(m[4]))
        for m in _WORD.finditer(xhtml)
    ]


def pdf_to_png(pdf: Path, out_png_prefix: Path, dpi: int = 72) -> list[Path]:
    """Render each page to ``<prefix>-<n>.png``; returns the pages in order."""
    prefix = Path(out_png_prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    _run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(prefix)])
    # pdftoppm pads the page number to the width of the page count (-1 or -01).
    pages = prefix.parent.glob(f"{prefix.name}-*.png")
    return sorted(pages, key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def computed_values(xlsx_recalculated: Path, sheet: str | None = None) -> dict[str, Any]:
    """Cached values of the non-empty cells of ``sheet`` (the active one by default)."""
    wb = openpyxl.load_workbook(xlsx_recalculated, data_only=True)
    try:
        ws = wb[sheet] if sheet is not None else wb.active
        return {c.coordinate: c.value for row in ws.iter_rows() for c in row if c.value is not None}
    finally:
        wb.close()


def error_cells(xlsx_recalculated: Path, sheet: str | None = None) -> dict[str, str]:
    """Cells whose cached value is a spreadsheet error, as ``{"Sheet!A1": "#DIV/0!"}``.

    Looks at ``sheet``, or at every sheet when it is None.
    """
    wb = openpyxl.load_workbook(xlsx_recalculated, data_only=True)
    try:
        sheets = [wb[sheet]] if sheet is not None else wb.worksheets
        return {
            f"{ws.title}!{c.coordinate}": c.value
            for ws in sheets
            for row in ws.iter_rows()
            for c in row
            if _is_error(c)
        }
    finally:
        wb.close()


def _is_error(cell: Cell) -> bool:
    # Type "e" marks an error value; text that merely reads "#N/A" is type "s".
    if cell.data_type == "e":
        return True
    return isinstance(cell.value, str) and bool(_LO_ERROR.fullmatch(cell.value))


# -- profiles -----------------------------------------------------------------------

_pool_lock = threading.Lock()
_free_profiles: list[Path] = []
_profiles_root: Path | None = None


@contextmanager
def _profile() -> Iterator[Path]:
    """Lend a profile no other soffice run is using; make a new one when none is free."""
    global _profiles_root
    with _pool_lock:
        if _free_profiles:
            profile = _free_profiles.pop()
        else:
            if _profiles_root is None:
                _profiles_root = Path(tempfile.mkdtemp(prefix="selfeval-lo-"))
                atexit.register(shutil.rmtree, _profiles_root, ignore_errors=True)
            profile = Path(tempfile.mkdtemp(dir=_profiles_root))
            (profile / "user").mkdir()
            (profile / "user" / "registrymodifications.xcu").write_text(_REGISTRY, "utf-8")
    yield profile  # not returned to the pool when soffice failed: it may be half-written
    with _pool_lock:
        _free_profiles.append(profile)


# -- processes ----------------------------------------------------------------------


def _soffice(args: list[str]) -> subprocess.CompletedProcess[str]:
    soffice = soffice_path()
    if soffice is None:
        raise LibreOfficeError("soffice not found: run scripts/install-test-deps.sh")
    with _profile() as profile:
        return _run(
            [
                soffice,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--nolockcheck",
                "--nodefault",
                *args,
            ]
        )


def _run(cmd: list[str]) -> subprocess.CompletedProcess[str]:
    """Run ``cmd`` with a timeout; raise LibreOfficeError when it fails or hangs."""
    if shutil.which(cmd[0]) is None:
        raise LibreOfficeError(f"{cmd[0]} not found: run scripts/install-test-deps.sh")
    # A session of its own, so a timeout kills soffice.bin too, not only its wrapper.
    proc = subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        out, err = proc.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        raise LibreOfficeError(
            f"{' '.join(cmd)}\ntimed out after {TIMEOUT_S} s:\n{out}{err}"
        ) from None
    if proc.returncode != 0:
        raise LibreOfficeError(f"{' '.join(cmd)}\nexited with {proc.returncode}:\n{out}{err}")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)

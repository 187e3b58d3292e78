"""The HTML report in a real browser: headless Chromium (Debian package) renders it to a
PNG and prints it to PDF. Skipped without chromium, except under CI, where it fails.

``SELFEVAL_UPDATE_DOCS=1 python -m pytest tests/test_portfolio_browser.py`` also
refreshes docs/report.png, the screenshot shown in the README.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from selfeval.cli.main import main
from tests.test_portfolio_folder import build_folder

DOCS_PNG = Path(__file__).parent.parent / "docs" / "report.png"
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        reason = "chromium missing: run scripts/install-test-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report of the seed forms plus variants with known mistakes (40 forms)."""
    root = tmp_path_factory.mktemp("browser")
    build_folder(root / "自评表", 40, workbooks=False)
    out = root / "汇总.html"
    assert main(["report", str(root / "自评表"), "-o", str(out)]) == 2
    return out


def run_chromium(chromium: str, tmp: Path, *args: str) -> None:
    """One headless run with a new, empty profile; no network is touched."""
    profile = tmp / "chromium-profile"
    profile.mkdir()
    subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        check=True,
        capture_output=True,
        timeout=120,
    )


def png_size_and_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and the decompressed image data of a PNG (no imaging library)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    pos, data = 8, b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        if png[pos + 4 : pos + 8] == b"IDAT":
            data += png[pos + 8 : pos + 8 + length]
        pos += 12 + length
    return width, height, zlib.decompress(data)


def test_report_renders_to_png(chromium: str, report: Path, tmp_path: Path) -> None:
    png = tmp_path / "report.png"
    run_chromium(
        chromium, tmp_path, "--window-size=1280,2200", f"--screenshot={png}", report.as_uri()
    )
    width, height, pixels = png_size_and_pixels(png.read_bytes())
    assert (width, height) == (1280, 2200)
    # a blank or error page has a handful of colours; the report has text and charts
    assert len(set(pixels[:: len(pixels) // 20000])) > 40
    if os.environ.get("SELFEVAL_UPDATE_DOCS"):
        shutil.copyfile(png, DOCS_PNG)


def test_report_prints(chromium: str, report: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "report.pdf"
    run_chromium(
        chromium, tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri()
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    pages = data.count(b"/Type /Page") - data.count(b"/Type /Pages")
    assert pages >= 2  # 40 forms: summary, charts and findings do not fit on one page
    if shutil.which("pdftotext"):  # the Chinese is real text, not tofu boxes
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True)
        assert "绩效自评表汇总报告" in text.stdout and "总分与计算不符" in text.stdout


CLICK_AND_RECORD = """<script>
var th = document.querySelector('#summary-table th[data-key="{key}"]');
for (var i = 0; i < {clicks}; i++) th.click();
document.body.dataset.order = Array.prototype.map.call(
  document.querySelectorAll("#summary-table tbody tr"), function (tr) {{ return tr.id; }}).join(",");
</script></body>"""


@pytest.mark.parametrize("key, clicks", [("total", 1), ("total", 2), ("grade", 1)])
def test_summary_table_sorts(chromium: str, report: Path, tmp_path: Path, key: str, clicks: int):
    """Clicking a heading sorts the rows: numbers by value (blanks last), text in order."""
    page = tmp_path / "sorted.html"
    script = CLICK_AND_RECORD.format(key=key, clicks=clicks)
    page.write_text(report.read_text(encoding="utf-8").replace("</body>", script), encoding="utf-8")
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    dom = subprocess.run(
        [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    order = re.search(r'data-order="([^"]*)"', dom)[1].split(",")
    cells = summary_cells(report.read_text(encoding="utf-8"), key)
    assert sorted(order) == sorted(cells)
    values = [cells[row] for row in order]
    if key == "total":
        numbers = [float(v) for v in values if v != ""]
        assert numbers == sorted(numbers, reverse=clicks == 2)
        assert values[len(numbers) :] == [""] * (len(values) - len(numbers))  # blanks last
    else:  # text in Chinese (pinyin) order: 差 cha, 良 liang, 优 you, 中 zhong
        groups = [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]
        grades = [g for g in groups if g in "差良优中"]
        assert len(groups) == len(set(groups)) and grades == [g for g in "差良优中" if g in grades]
        assert len(grades) >= 3, groups


def summary_cells(html: str, key: str) -> dict[str, str]:
    """Row id -> the sort value (data-v) or text of column ``key`` in the summary table."""
    heads = re.findall(r'<th data-kind="\w+" data-key="(\w+)">', html)
    col = heads.index(key)
    out = {}
    for row_id, cells in re.findall(r'<tr id="(row-\d+)"[^>]*>(.*?)</tr>', html):
        cell = re.findall(r"<td[^>]*?(?: data-v=\"([^\"]*)\")?>(.*?)</td>", cells)[col]
        out[row_id] = cell[0] if key == "total" else re.sub(r"<[^>]+>", "", cell[1])
    return out

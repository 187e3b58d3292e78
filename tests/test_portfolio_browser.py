"""The HTML report in a real browser: headless Chromium (Debian package) renders it to a
PNG and prints it to PDF. Skipped without chromium, except under CI, where it fails.

``SELFEVAL_UPDATE_DOCS=1 python -m pytest tests/test_portfolio_browser.py`` also
refreshes docs/report.png, the screenshot shown in the README.
"""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from selfeval.cli import main
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

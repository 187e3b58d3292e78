"""The desk in a real browser: Playwright drives Debian's Chromium (executable_path, no
browser download) against ``selfeval serve``: upload workbooks, see the findings and
their highlighted cells, a cell holding markup shown as text, download the rescored copy.

``SELFEVAL_UPDATE_DOCS=1 python -m pytest tests/test_service_browser.py`` also
refreshes docs/desk.png, the screenshot in docs/api.md and the README.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from tests.test_service import cells, cli

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DOCS_PNG = Path(__file__).parent.parent / "docs" / "desk.png"


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    if not CHROMIUM.exists():
        reason = "chromium missing: run scripts/install-test-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def desk(browser, service):  # type: ignore[no-untyped-def]
    """The desk at 1366 x 768; any dialog (an alert a workbook smuggled in) fails the test."""
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    outside: list[str] = []
    page.on("request", lambda r: r.url.startswith(service.url) or outside.append(r.url))
    page.goto(f"{service.url}/")
    yield page
    assert dialogs == []
    assert outside == []  # every page, script and style came from the service
    context.close()


def markup_workbook(path: Path) -> Path:
    from openpyxl import load_workbook

    book = load_workbook(path)
    ws = book.worksheets[0]
    ws["B2"] = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    book.save(path)
    return path


def test_the_desk_shows_findings_errors_first_and_the_cell_of_the_one_clicked(
    desk, seeds, tmp_path
):
    form = shutil.copy(seeds / "form11.xlsx", tmp_path / "自评表.xlsx")
    desk.set_input_files("#pick", [str(form)])
    desk.wait_for_selector(".finding")
    groups = desk.locator(".findings h3").all_inner_texts()
    assert groups[0].startswith("错误")
    assert "按规则应得" in desk.inner_text("#totals")
    assert desk.locator("#sheet td.error").count() >= 1
    first = desk.locator(".finding.error").first
    cell = first.locator(".cell").inner_text()
    first.click()
    chosen = desk.locator("#sheet td.chosen")
    assert chosen.count() == 1
    row = chosen.locator("xpath=..").locator("th").inner_text()
    assert row == cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def test_a_cell_holding_markup_is_shown_as_text(desk, seeds, tmp_path):
    form = markup_workbook(shutil.copy(seeds / "form02.xlsx", tmp_path / "带标记.xlsx"))
    desk.set_input_files("#pick", [str(form)])
    desk.wait_for_selector("#sheet td")
    assert "<script>alert('x')</script>" in desk.inner_text("#sheet")
    assert desk.locator("#sheet script, #sheet img").count() == 0


def test_the_rescored_copy_downloaded_is_the_clis(desk, seeds, tmp_path):
    form = shutil.copy(seeds / "form11.xlsx", tmp_path / "自评表.xlsx")
    desk.set_input_files("#pick", [str(form)])
    desk.wait_for_selector(".finding")
    with desk.expect_download() as download:
        desk.click("#get-rescored")
    assert download.value.suggested_filename == "自评表_重新评分.xlsx"
    got = tmp_path / "下载.xlsx"
    download.value.save_as(got)
    cli(tmp_path, "rescore", "自评表.xlsx", "-o", "命令行.xlsx")
    assert cells(got.read_bytes()) == cells((tmp_path / "命令行.xlsx").read_bytes())


def test_several_files_show_progress_the_summary_and_the_report(desk, seeds, tmp_path):
    names = ("form11.xlsx", "form02.xlsx", "form06.xlsx", "form10.xlsx")
    files = [shutil.copy(seeds / n, tmp_path / n) for n in names]
    broken = tmp_path / "损坏的表.xlsx"
    broken.write_text("不是表格")
    desk.set_input_files("#pick", [str(p) for p in [*files, broken]])
    desk.wait_for_selector("#progress.done")
    assert "共 5 份" in desk.inner_text("#summary-line")
    assert desk.locator("#forms li").count() == 5
    with desk.expect_download() as download:
        desk.click("#get-report")
    assert download.value.suggested_filename == "汇总报告.html"
    desk.locator("#forms li").first.click()
    desk.locator(".finding.error").first.click()
    if os.environ.get("SELFEVAL_UPDATE_DOCS"):
        desk.screenshot(path=str(DOCS_PNG))

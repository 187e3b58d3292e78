"""Hostile and broken inputs: a clear Chinese reason, exit status 2, bounded time,
no traceback, nothing written and the input untouched."""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from selfeval.cli.main import main
from selfeval.excel import cfb
from selfeval.form.codes import Code
from selfeval.readers import Unreadable, read_file
from tests.seed_workbooks import paste_to_sheet, seed_forms

_LOL = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
BOMB = f'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">{_LOL}]>'
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _good(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.title = "自评表"
    paste_to_sheet(wb.active, seed_forms()[0])
    wb.save(path)
    return path


def _rewrite(src: Path, dst: Path, part: str, data: str | bytes) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, data if info.filename == part else zin.read(info.filename))


def truncated(d: Path) -> Path:
    data = _good(d / "src.xlsx").read_bytes()
    (d / "src.xlsx").unlink()
    (d / "截断.xlsx").write_bytes(data[: len(data) // 2])
    return d / "截断.xlsx"


def not_a_spreadsheet(d: Path) -> Path:
    (d / "说明.xlsx").write_text("这不是表格", encoding="utf-8")
    return d / "说明.xlsx"


def web_page_as_xls(d: Path) -> Path:
    (d / "网页.xls").write_text("<html><table><tr><td>项目名称</td></tr></table></html>")
    return d / "网页.xls"


def zero_bytes(d: Path) -> Path:
    (d / "空文件.xlsx").write_bytes(b"")
    return d / "空文件.xlsx"


def empty_workbook(d: Path) -> Path:
    openpyxl.Workbook().save(d / "空白.xlsx")
    return d / "空白.xlsx"


def password_protected(d: Path) -> Path:
    streams = {
        ("EncryptionInfo",): b"\x04\x00\x04\x00" + bytes(200),
        ("EncryptedPackage",): os.urandom(5000),
    }
    (d / "加密.xlsx").write_bytes(cfb.build(streams))
    return d / "加密.xlsx"


def xml_bomb_in_workbook(d: Path) -> Path:
    body = f'<workbook xmlns="{MAIN}"><sheets/><definedNames><definedName name="x">&lol9;</definedName></definedNames></workbook>'
    _rewrite(_good(d / "src.xlsx"), d / "炸弹.xlsx", "xl/workbook.xml", BOMB + body)
    return d / "炸弹.xlsx"


def xml_bomb_in_sheet(d: Path) -> Path:
    body = f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
    _rewrite(_good(d / "src.xlsx"), d / "炸弹2.xlsx", "xl/worksheets/sheet1.xml", BOMB + body)
    return d / "炸弹2.xlsx"


def xml_bomb_in_ods(d: Path) -> Path:
    with zipfile.ZipFile(d / "炸弹.ods", "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr(
            "content.xml",
            BOMB
            + "<office:document-content xmlns:office='urn:oasis:names:tc:opendocument:xmlns:office:1.0'>&lol9;</office:document-content>",
        )
    return d / "炸弹.ods"


def zip_bomb(d: Path) -> Path:
    src = _good(d / "src.xlsx")
    with (
        zipfile.ZipFile(src) as zin,
        zipfile.ZipFile(d / "压缩炸弹.xlsx", "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
        with zout.open("xl/media/zero.bin", "w") as f:
            for _ in range(250):
                f.write(bytes(2**20))
    return d / "压缩炸弹.xlsx"


def huge_sheet(d: Path) -> Path:
    rows = "".join(
        f'<row r="{r}"><c r="A{r}"><v>{r}</v></c><c r="B{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        for r in range(1, 200_001)
    )
    xml = (
        f'<?xml version="1.0"?><worksheet xmlns="{MAIN}"><sheetData>{rows}</sheetData></worksheet>'
    )
    _rewrite(_good(d / "src.xlsx"), d / "二十万行.xlsx", "xl/worksheets/sheet1.xml", xml)
    return d / "二十万行.xlsx"


def damaged_ole(d: Path) -> Path:
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE file's magic, then zeros
    (d / "旧表.xls").write_bytes(header + bytes(600))
    return d / "旧表.xls"


CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "truncated": (truncated, "损坏"),
    "not_a_spreadsheet": (not_a_spreadsheet, "不是电子表格"),
    "web_page_as_xls": (web_page_as_xls, "网页"),
    "zero_bytes": (zero_bytes, "空的"),
    "empty_workbook": (empty_workbook, "工作簿是空的"),
    "password_protected": (password_protected, "密码"),
    "xml_bomb_in_workbook": (xml_bomb_in_workbook, "不安全的 XML"),
    "xml_bomb_in_sheet": (xml_bomb_in_sheet, "无法读取"),
    "xml_bomb_in_ods": (xml_bomb_in_ods, "不安全的 XML"),
    "zip_bomb": (zip_bomb, "压缩炸弹"),
    "huge_sheet": (huge_sheet, "200000 行"),
    "damaged_ole": (damaged_ole, "损坏"),
}


@pytest.fixture(scope="module")
def made() -> dict[str, Path]:
    """Each bad file, made once for the module (the zip bomb takes a while to write)."""
    return {}


_SLOW_CASES = {"zip_bomb", "huge_sheet"}  # hundreds of megabytes, or 200,000 rows, to refuse


@pytest.fixture(
    params=[
        pytest.param(c, marks=pytest.mark.slow) if c in _SLOW_CASES else c for c in sorted(CASES)
    ]
)
def bad(
    request: pytest.FixtureRequest,
    made: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
    tmp_path: Path,
) -> tuple[Path, str]:
    """A fresh copy of the bad file, alone in its folder."""
    make, words = CASES[request.param]
    if request.param not in made:
        made[request.param] = make(tmp_path_factory.mktemp(request.param))
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / made[request.param].name
    shutil.copyfile(made[request.param], path)
    return path, words


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_reader_gives_a_reason(bad: tuple[Path, str]) -> None:
    path, words = bad
    start = time.perf_counter()
    items = read_file(path)
    assert time.perf_counter() - start < 5
    assert len(items) == 1 and isinstance(items[0], Unreadable)
    assert words in items[0].why


def test_validate_exits_2_without_traceback(
    bad: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, words = bad
    before = _digest(path)
    good = _good(tmp_path / "好表.xlsx")
    assert main(["validate", str(path), str(good)]) == 2
    out, err = capsys.readouterr()
    assert words in out and "Traceback" not in out + err
    assert "办公及业务用房专项维修费" in out  # the other input is still reported
    assert _digest(path) == before


def test_rescore_and_convert_write_nothing(
    bad: tuple[Path, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, words = bad
    before = _digest(path)
    for command in ("rescore", "convert"):
        out = tmp_path / f"{command}.xlsx"
        assert main([command, str(path), "-o", str(out)]) == 2
        assert not out.exists()
        assert words in capsys.readouterr().err
    assert _digest(path) == before
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".selfeval-")]


def test_formula_like_text_stays_text_in_written_workbooks(tmp_path: Path) -> None:
    text = seed_forms()[0].replace("办公及业务用房专项维修费", '=HYPERLINK("http://x")')
    text = text.replace("工作人员满意度", "@SUM(A1)")
    wb = openpyxl.Workbook()
    paste_to_sheet(wb.active, text)
    wb.save(tmp_path / "in.xlsx")
    for command in ("rescore", "convert"):
        out = tmp_path / f"{command}.xlsx"
        assert main([command, str(tmp_path / "in.xlsx"), "-o", str(out)]) in (0, 1)
        cells = [c for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for c in row]
        risky = [
            c for c in cells if isinstance(c.value, str) and c.value.startswith(("=HYPER", "@SUM"))
        ]
        assert risky and all(c.data_type == "s" for c in risky)


def test_a_locating_bug_is_logged_with_its_traceback_and_named_a_program_error(
    tmp_path, monkeypatch, caplog
):
    from selfeval.readers import workbook

    def broken(grids, file):
        raise IndexError("simulated")

    monkeypatch.setattr(workbook, "forms_in_grids", broken)
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    path = tmp_path / "表.xlsx"
    book.save(path)
    with caplog.at_level(logging.ERROR, logger="selfeval.readers.workbook"):
        [item] = workbook.read_workbook(path)
    assert item.code == Code.READ_ERROR and "程序错误" in item.why and "日志" in item.why
    [record] = caplog.records
    assert str(path) in record.getMessage() and record.exc_info[0] is IndexError


def test_a_damaged_workbook_is_a_reason_not_a_logged_bug(bad, caplog):
    path, _ = bad
    with caplog.at_level(logging.ERROR, logger="selfeval.readers"):
        [item] = read_file(path)
    assert isinstance(item, Unreadable) and "程序错误" not in item.why
    assert not caplog.records

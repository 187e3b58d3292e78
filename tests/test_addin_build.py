"""Static checks of the built selfeval.xlam, read with oletools, olefile and LibreOffice.

Module sources are compared byte for byte with no exception: the files in addin/vba/ are
kept exactly as VBA stores a module, ``Attribute VB_Name`` first line and CRLF included
(addin/.gitattributes keeps the CRLF on checkout).
"""

import argparse
import importlib
import inspect
import re
import struct
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, decompress_stream

from selfeval.excel import addin_cli
from selfeval.excel.xlam import (
    ADDIN_DIR,
    ADDIN_NAME,
    PROJECT,
    TEMPLATE,
    XLWINGS_BAS,
    build_xlam,
    xlam_bytes,
)
from tests import libreoffice as lo

CUSTOM_UI_NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
UI_REL_TYPE = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
LABELS = {
    "selfeval_validate": "校验",
    "selfeval_rescore": "重新评分",
    "selfeval_restore": "撤销评分",
    "selfeval_clear": "清除标记",
    "selfeval_report": "导出报告",
    "selfeval_new": "新建自评表",
}
SUB = re.compile(r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", re.M | re.I)


@pytest.fixture(scope="module")
def xlam(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_xlam(tmp_path_factory.mktemp("addin") / ADDIN_NAME)


@pytest.fixture(scope="module")
def modules(xlam: Path) -> dict[str, str]:
    """Module name -> source, as oletools extracts them."""
    parser = VBA_Parser(str(xlam))
    try:
        return {Path(name).stem: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture(scope="module")
def ribbon(xlam: Path) -> ElementTree.Element:
    with zipfile.ZipFile(xlam) as z:
        return ElementTree.fromstring(z.read("customUI/customUI.xml"))


def buttons(ribbon: ElementTree.Element) -> list[ElementTree.Element]:
    return list(ribbon.iter(f"{CUSTOM_UI_NS}button"))


def test_two_builds_are_byte_identical(xlam: Path, tmp_path: Path) -> None:
    again = build_xlam(tmp_path / ADDIN_NAME)
    assert again.read_bytes() == xlam.read_bytes()


def test_modules_equal_the_sources_in_addin(modules: dict[str, str]) -> None:
    sources = sorted((ADDIN_DIR / "vba").glob("*.bas"))
    assert sources
    for bas in sources:
        assert modules[bas.stem].encode("cp1252") == bas.read_bytes(), bas.name


def test_vba_sources_name_their_module_and_are_ascii() -> None:
    for bas in (ADDIN_DIR / "vba").glob("*.bas"):
        data = bas.read_bytes()
        assert data.isascii(), bas.name
        assert data.startswith(f'Attribute VB_Name = "{bas.stem}"\r\n'.encode())
        assert b"\n" not in data.replace(b"\r\n", b""), f"{bas.name}: bare LF line end"


def test_xlwings_module_is_the_wheels_with_project_name(modules: dict[str, str]) -> None:
    wheel = XLWINGS_BAS.read_bytes().decode("cp1252").splitlines(keepends=True)
    built = modules["xlwings"].splitlines(keepends=True)
    changed = [(a, b) for a, b in zip(wheel, built, strict=True) if a != b]
    assert changed == [
        (
            'Public Const PROJECT_NAME As String = "myaddin"\r\n',
            f'Public Const PROJECT_NAME As String = "{PROJECT}"\r\n',
        )
    ]


def test_xlwings_version_matches_the_python_package(modules: dict[str, str]) -> None:
    found = re.search(r'XLWINGS_VERSION As String = "([^"]+)"', modules["xlwings"])
    assert found and found.group(1) == xlwings.__version__
    assert f"xlwings64-{xlwings.__version__}.dll" in modules["xlwings"]


def test_project_and_config_sheet_renamed_together(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as z:
        ole = olefile.OleFileIO(z.read("xl/vbaProject.bin"))
        workbook = ElementTree.fromstring(z.read("xl/workbook.xml"))
    assert f'Name="{PROJECT}"' in ole.openstream("PROJECT").read().decode("cp1252")
    directory = decompress_stream(bytearray(ole.openstream("VBA/dir").read()))
    name = PROJECT.encode()
    assert b"\x04\x00" + len(name).to_bytes(4, "little") + name in directory
    sheets = [s.get("name") for s in workbook.iter() if s.tag.endswith("}sheet")]
    assert sheets == [f"_{PROJECT}.conf"]


def dir_records(vba_project: bytes) -> list[tuple[int, bytes]]:
    """The records of the dir stream (MS-OVBA §2.3.4.2), decompressed by oletools."""
    data = decompress_stream(bytearray(olefile.OleFileIO(vba_project).openstream("VBA/dir").read()))
    records, pos = [], 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        size = 6 if rid == 0x0009 else size  # PROJECTVERSION understates its size
        records.append((rid, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def test_dir_stream_changes_only_the_name_and_replaced_offsets(xlam: Path) -> None:
    with zipfile.ZipFile(TEMPLATE) as z:
        before = dir_records(z.read("xl/vbaProject.bin"))
    with zipfile.ZipFile(xlam) as z:
        after = dir_records(z.read("xl/vbaProject.bin"))
    changed = [(b, a) for b, a in zip(before, after, strict=True) if b != a]
    assert changed[0] == ((0x0004, b"MyAddin"), (0x0004, PROJECT.encode()))
    # MODULEOFFSET of RibbonMyAddin, whose template stream carried a performance cache;
    # the xlwings module's offset was 0 already.
    assert changed[1:] == [((0x0031, struct.pack("<I", 978)), (0x0031, bytes(4)))]


def test_ribbon_is_the_source_file(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as z:
        assert z.read("customUI/customUI.xml") == (ADDIN_DIR / "customUI.xml").read_bytes()


def test_ribbon_tab_and_labels(ribbon: ElementTree.Element) -> None:
    tabs = list(ribbon.iter(f"{CUSTOM_UI_NS}tab"))
    assert [t.get("label") for t in tabs] == ["绩效自评"]
    assert {b.get("id"): b.get("label") for b in buttons(ribbon)} == LABELS
    assert all(b.get("imageMso") for b in buttons(ribbon))


def test_every_on_action_has_a_vba_sub(ribbon: ElementTree.Element, modules: dict) -> None:
    actions = {b.get("onAction") for b in buttons(ribbon)}
    assert actions
    for action in actions:
        module, _, sub = action.rpartition(".")
        subs = dict(SUB.findall(modules[module]))
        assert sub in subs, action
        assert re.fullmatch(r"\w+ As IRibbonControl", subs[sub].strip()), subs[sub]


def test_the_python_callback_exists(modules: dict[str, str]) -> None:
    called = re.search(r"import ([\w.]+) as (\w+); \2\.(\w+)\(", modules["RibbonMyAddin"])
    assert called, "RunPython command not found"
    target = getattr(importlib.import_module(called.group(1)), called.group(3))
    assert list(inspect.signature(target).parameters) == ["control_id"]


def test_custom_ui_part_is_related_from_the_package(xlam: Path) -> None:
    with zipfile.ZipFile(xlam) as z:
        rels = ElementTree.fromstring(z.read("_rels/.rels"))
        names = set(z.namelist())
    targets = [r.get("Target") for r in rels if r.get("Type") == UI_REL_TYPE]
    assert targets == ["customUI/customUI.xml"]
    assert targets[0] in names


def test_libreoffice_reads_the_same_subs(
    libreoffice: str, xlam: Path, modules: dict[str, str], tmp_path: Path
) -> None:
    ods = lo.convert(xlam, "ods", tmp_path, infilter="Calc MS Excel 2007 XML")
    with zipfile.ZipFile(ods) as z:
        basic = {
            Path(n).stem: ElementTree.fromstring(z.read(n)).text or ""
            for n in z.namelist()
            if n.startswith(f"Basic/{PROJECT}/") and not n.endswith("script-lb.xml")
        }
    assert set(basic) == set(modules)
    for name, code in modules.items():
        assert SUB.findall(basic[name]) == SUB.findall(code), name
    assert SUB.findall(basic["RibbonMyAddin"])


# -- command line --------------------------------------------------------------------


def run_cli(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    addin_cli.register(parser.add_subparsers())
    args = parser.parse_args(["addin", *argv])
    return args.func(args)


def test_cli_build_writes_the_addin(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "new" / "dir"
    assert run_cli("build", "-o", str(out)) == 0
    assert (out / ADDIN_NAME).read_bytes() == xlam_bytes()
    assert "已生成" in capsys.readouterr().out


def test_cli_build_refuses_a_file_as_folder(tmp_path: Path, capsys) -> None:
    target = tmp_path / "occupied"
    target.write_text("keep")
    assert run_cli("build", "-o", str(target)) == 2
    assert "不是文件夹" in capsys.readouterr().err
    assert target.read_text() == "keep"


def test_cli_install_on_linux_explains_why_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.chdir(tmp_path)
    assert run_cli("install") == 2
    err = capsys.readouterr().err
    assert "Excel 不能在 Linux 上运行" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_cli_install_copies_into_excels_startup_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from xlwings import cli as xlwings_cli

    startup = tmp_path / "XLSTART"
    startup.mkdir()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("USERPROFILE", str(tmp_path))
    monkeypatch.setattr(xlwings_cli, "get_addin_dir", lambda: str(startup))
    monkeypatch.setattr(xlwings, "apps", [], raising=False)
    assert run_cli("install") == 0
    assert (startup / ADDIN_NAME).read_bytes() == xlam_bytes()
    assert "已安装" in capsys.readouterr().out


def test_cli_install_missing_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.setattr(sys, "platform", "win32")
    assert run_cli("install", "-f", str(tmp_path / "nope.xlam")) == 2
    assert "找不到" in capsys.readouterr().err


# -- the VBA's messages, the conf it reads, python -m selfeval ----------------------------

ZH = re.compile(r'Zh\("([0-9A-F ]+)"\)')


def vba_messages() -> list[str]:
    source = (ADDIN_DIR / "vba" / "RibbonMyAddin.bas").read_text(encoding="ascii")
    return ["".join(chr(int(c, 16)) for c in codes.split()) for codes in ZH.findall(source)]


@pytest.mark.parametrize(
    "says",
    [
        "请先打开要处理的自评表工作簿",  # no workbook open: no "Run-time error 91"
        "受保护的视图",  # Protected View, with the fix: 启用编辑
        "启用编辑",
        "未找到运行加载项所需的 Python",  # no interpreter in the conf
        "selfeval addin install",
        "找不到 Python：",  # the interpreter in the conf is gone
        "上一次操作还在进行",  # one click at a time
    ],
)
def test_the_vba_says_in_chinese_what_stops_a_button(says: str) -> None:
    assert any(says in text for text in vba_messages())


def test_the_vba_checks_before_python_starts(modules: dict[str, str]) -> None:
    code = modules["RibbonMyAddin"]
    checks = code.index("problem = CannotRun()")
    assert checks < code.index("RunPython")
    for needed in ("ActiveWorkbook Is Nothing", "ActiveProtectedViewWindow", "FileExists"):
        assert needed in code


def read_like_vba(data: bytes, encoding: str) -> dict[str, str]:
    """``Input #f, name, value`` line by line, as xlwings' GetConfigFromFile reads the conf."""
    import csv

    rows = csv.reader(data.decode(encoding).splitlines())
    return {row[0]: row[1] for row in rows if row}


def test_install_records_the_python_that_ran_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    from xlwings import cli as xlwings_cli

    startup = tmp_path / "XLSTART"
    startup.mkdir()
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("USERPROFILE", str(tmp_path / "张三"))
    monkeypatch.setattr(xlwings_cli, "get_addin_dir", lambda: str(startup))
    monkeypatch.setattr(xlwings, "apps", [], raising=False)
    assert run_cli("install") == 0
    conf = tmp_path / "张三" / ".selfeval" / "selfeval.conf"
    settings = read_like_vba(conf.read_bytes(), addin_cli.conf_encoding("win32"))
    assert settings == {"INTERPRETER_WIN": addin_cli.interpreter()}
    assert str(conf) in capsys.readouterr().out


def test_conf_with_a_chinese_path_reads_back_as_windows_reads_it(tmp_path: Path) -> None:
    python = r"C:\Users\张三\AppData\Local\Programs\Python\Python311\pythonw.exe"
    conf = tmp_path / "selfeval.conf"
    conf.write_bytes(b'"PYTHONPATH","D:\\forms"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n')
    addin_cli.write_conf(conf, python, "win32", encoding="gbk")  # a Chinese Windows
    assert read_like_vba(conf.read_bytes(), "gbk") == {
        "PYTHONPATH": r"D:\forms",
        "INTERPRETER_WIN": python,
    }


def test_conf_refuses_a_path_the_code_page_cannot_hold(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="读不出"):
        addin_cli.write_conf(tmp_path / "c.conf", r"C:\Users\김철수\python.exe", "win32", "gbk")
    assert not (tmp_path / "c.conf").exists()


def test_pythonw_is_preferred_on_windows(tmp_path: Path) -> None:
    (tmp_path / "python.exe").write_bytes(b"")
    (tmp_path / "pythonw.exe").write_bytes(b"")
    found = addin_cli.interpreter(str(tmp_path / "python.exe"), "win32")
    assert found == str(tmp_path / "pythonw.exe")
    assert addin_cli.interpreter("/usr/bin/python3", "darwin") == "/usr/bin/python3"


@pytest.mark.slow  # a child Python
def test_python_dash_m_selfeval_runs_the_command() -> None:
    import subprocess

    done = subprocess.run(
        [sys.executable, "-m", "selfeval", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("selfeval ")


def test_conf_on_a_mac_names_the_mac_interpreter_in_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    conf = addin_cli.conf_path("darwin")
    assert conf == tmp_path / "Library/Containers/com.microsoft.Excel/Data/selfeval.conf"
    addin_cli.write_conf(conf, "/Users/张三/venv/bin/python3", "darwin")
    assert read_like_vba(conf.read_bytes(), "utf-8") == {
        "INTERPRETER_MAC": "/Users/张三/venv/bin/python3"
    }

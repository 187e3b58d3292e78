"""The WPS add-in: its scripts under node against a stand-in WPS that enforces what WPS
enforces (tests/wps/standin.js), with the real checking service started by the test (``selfeval serve``, the session's
``service`` fixture of tests/conftest.py).

Each button sends a saved copy of the stand-in's workbook (a real .xlsx file, written by
tests/wps_harness.py) to ``POST /api/plan`` and applies the plan the service returns.
The quick tests check the files (node --check, the ribbon's callbacks, /wps/ served as
built, jsplugins.xml); the ones that start the service and node are marked slow.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
from openpyxl import Workbook, load_workbook

from selfeval.excel.marks import STATE_SHEET
from selfeval.excel.plan import plan_file
from selfeval.excel.workbook import RESULTS_SHEET
from selfeval.excel.wps import addin_files, build, install, jsaddons_dir
from tests.service_harness import Running
from tests.wps_harness import NODE, WPS_DIR, page_scripts, run_node, workbook_state

SHEET = "自评表"
CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
ROLLED_BACK = "工作簿已恢复为操作前的样子"
TEMPLATES = sorted((Path(__file__).parents[1] / "templates" / "2026").glob("*.xlsx"))

needs_node = pytest.mark.skipif(not Path(NODE).exists(), reason="node 未安装")


# -- the files ---------------------------------------------------------------------------------


@needs_node
def test_every_script_passes_node_check() -> None:
    scripts = sorted(
        [*(WPS_DIR / "js").glob("*.js"), *(WPS_DIR.parent.parent / "tests" / "wps").glob("*.js")]
    )
    running = [
        (s, subprocess.Popen([NODE, "--check", str(s)], stderr=subprocess.PIPE)) for s in scripts
    ]
    failed = {s.name: p.communicate()[1].decode() for s, p in running if p.wait() != 0}
    assert len(scripts) >= 5 and not failed, failed


def ribbon_callbacks() -> set[str]:
    root = ElementTree.parse(WPS_DIR / "ribbon.xml").getroot()
    names = {root.get("onLoad")}
    for element in root.iter():
        names |= {
            v for k, v in element.attrib.items() if k in ("onAction", "getEnabled", "getImage")
        }
    return names - {None}


def test_ribbon_is_a_customui_document_with_the_tab_and_its_buttons() -> None:
    root = ElementTree.parse(WPS_DIR / "ribbon.xml").getroot()
    assert root.tag == f"{CUSTOM_UI}customUI"
    tab = root.find(f"{CUSTOM_UI}ribbon/{CUSTOM_UI}tabs/{CUSTOM_UI}tab")
    assert tab is not None and tab.get("label") == "绩效自评"
    labels = {b.get("label") for b in tab.iter(f"{CUSTOM_UI}button")}
    assert {"校验", "重新评分", "撤销评分", "清除标记", "导出报告"} <= labels
    for button in tab.iter(f"{CUSTOM_UI}button"):
        assert button.get("onAction") and button.get("id", "").startswith("selfeval_")
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    assert all(e.tag.startswith(CUSTOM_UI) for e in root.iter())


@needs_node
def test_every_ribbon_callback_is_a_global_function_of_the_loaded_scripts(tmp_path: Path) -> None:
    names = sorted(ribbon_callbacks())
    [found] = run_node(None, [{"globals": names}], "http://127.0.0.1:9", None, tmp_path)
    assert found["globals"] == names


@needs_node
def test_buttons_are_grey_without_a_workbook_and_come_back_when_one_opens(
    tmp_path: Path, seeds: Path
) -> None:
    state = workbook_state(seeds / "form10.xlsx")
    [ribbon] = run_node(
        state, [{"ribbon": "selfeval_validate"}], "http://127.0.0.1:9", None, tmp_path
    )
    assert ribbon == {
        "without": False,
        "with": True,
        "invalidated": 1,
        "image": "icons/validate.png",
    }


def test_every_button_id_is_one_the_scripts_handle() -> None:
    root = ElementTree.parse(WPS_DIR / "ribbon.xml").getroot()
    ids = {b.get("id") for b in root.iter(f"{CUSTOM_UI}button")}
    scripts = "".join(Path(p).read_text(encoding="utf-8") for p in page_scripts())
    assert all(f'"{i}"' in scripts or f"{i}:" in scripts for i in ids), ids


def test_every_script_and_icon_a_page_names_is_in_the_addin() -> None:
    files = addin_files()
    for page in ("index.html", "taskpane.html"):
        for script in page_scripts(page):
            assert Path(script).relative_to(WPS_DIR).as_posix() in files
    for button in ElementTree.parse(WPS_DIR / "ribbon.xml").getroot().iter(f"{CUSTOM_UI}button"):
        assert f"icons/{button.get('id').removeprefix('selfeval_')}.png" in files


def test_build_writes_the_addin_and_a_jsplugins_naming_it(tmp_path: Path) -> None:
    written = build(tmp_path, service="http://10.0.0.5:8765")
    folder = written[0].relative_to(tmp_path).parts[0]
    entry = ElementTree.parse(tmp_path / "jsplugins.xml").getroot()[0]
    assert (entry.tag, entry.get("type"), entry.get("url")) == ("jsplugin", "et", folder)
    assert (tmp_path / folder / "ribbon.xml").read_bytes() == (WPS_DIR / "ribbon.xml").read_bytes()
    assert '"http://10.0.0.5:8765"' in (tmp_path / folder / "js" / "config.js").read_text("utf-8")


def test_install_merges_with_the_add_ins_already_registered(tmp_path: Path) -> None:
    (tmp_path / "jsplugins.xml").write_text(
        '<jsplugins><jsplugin name="other" type="wps" url="x" version="1"/>'
        '<jspluginonline name="selfeval" type="et" url="http://old/wps/"/></jsplugins>',
        encoding="utf-8",
    )
    install("http://10.0.0.5:8765/wps", tmp_path)
    root = ElementTree.parse(tmp_path / "jsplugins.xml").getroot()
    assert [(e.get("name"), e.get("url")) for e in root] == [
        ("other", "x"),
        ("selfeval", "http://10.0.0.5:8765/wps/"),
    ]


def test_install_refuses_a_broken_jsplugins_and_leaves_it(tmp_path: Path) -> None:
    from selfeval.errors import InputError

    (tmp_path / "jsplugins.xml").write_text("<jsplugins><oops", encoding="utf-8")
    with pytest.raises(InputError, match="不是有效的 XML"):
        install("http://10.0.0.5:8765/wps/", tmp_path)
    assert (tmp_path / "jsplugins.xml").read_text(encoding="utf-8") == "<jsplugins><oops"


@pytest.mark.parametrize(
    ("platform", "environ", "tail"),
    [
        ("linux", {"HOME": "/home/张三"}, "/home/张三/.local/share/Kingsoft/wps/jsaddons"),
        ("win32", {"APPDATA": "C:/Users/张三/AppData/Roaming"}, "Roaming/kingsoft/wps/jsaddons"),
    ],
)
def test_jsaddons_folder_per_platform(platform: str, environ: dict, tail: str) -> None:
    assert jsaddons_dir(platform, environ).as_posix().endswith(tail)


def test_the_cli_builds_and_installs(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from selfeval.cli.main import main

    assert main(["wps", "build", "-o", str(tmp_path / "out")]) == 0
    assert (tmp_path / "out" / "jsplugins.xml").is_file()
    assert main(["wps", "install", "--url", "http://h:8000/wps/", "--dir", str(tmp_path)]) == 0
    assert main(["wps", "install", "--url", "h:8000/wps/", "--dir", str(tmp_path)]) == 2
    assert "http://" in capsys.readouterr().err


def test_a_theme_fill_is_read_as_the_colour_the_open_workbook_shows(tmp_path: Path) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    from selfeval.excel.book_file import fill_color, theme_colors

    wb = Workbook()
    wb.save(tmp_path / "theme.xlsx")
    theme = theme_colors(load_workbook(tmp_path / "theme.xlsx").loaded_theme)
    darker_white = PatternFill("solid", fgColor=Color(theme=0, tint=-0.1499984740745262))
    assert fill_color(darker_white, theme) == "#d9d9d9"  # Excel's "白色，背景 1，深色 15%"
    assert fill_color(PatternFill("solid", fgColor=Color(theme=4)), theme) == "#" + theme[4]


# -- the service's routes (in process) ---------------------------------------------------------


@pytest.fixture(scope="module")
def client() -> Any:
    pytest.importorskip("starlette")
    pytest.importorskip("httpx")
    from starlette.testclient import TestClient

    from selfeval.service.app import create_app

    return TestClient(create_app())


@pytest.mark.parametrize("name", sorted(addin_files()))
def test_wps_files_are_served_as_built(client: Any, name: str) -> None:
    answer = client.get(f"/wps/{name}")
    assert answer.status_code == 200 and answer.content == addin_files()[name]


def test_served_jsplugins_names_the_addin_online_at_this_server(client: Any) -> None:
    entry = ElementTree.fromstring(client.get("/wps/jsplugins.xml").content)[0]
    assert (entry.tag, entry.get("url")) == ("jspluginonline", "http://testserver/wps/")


def test_files_outside_the_addin_are_not_served(client: Any) -> None:
    assert client.get("/wps/../pyproject.toml").status_code == 404
    assert client.get("/wps/js/../../../pyproject.toml").status_code == 404


def test_the_plan_endpoint_answers_bad_input_in_chinese(client: Any, seeds: Path) -> None:
    form = (seeds / "form10.xlsx").read_bytes()
    cases = [
        ({"action": "validate"}, None, 400, "没有上传文件"),
        ({"action": "explode"}, form, 400, "未知的操作"),
        ({"action": "validate"}, b"not a workbook", 400, ".xlsx"),
        ({"action": "restore"}, form, 422, "没有可撤销的评分"),
        ({"action": "validate", "profile": "../../etc"}, form, 400, "评分口径"),
    ]
    for data, body, status, words in cases:
        files = {"file": ("表.xlsx", body)} if body is not None else None
        answer = client.post("/api/plan", data=data, files=files)
        assert answer.status_code == status and words in answer.json()["error"], answer.text


def test_the_plan_of_a_workbook_is_the_planner_s(client: Any, seeds: Path) -> None:
    form = (seeds / "form10.xlsx").read_bytes()
    answer = client.post(
        "/api/plan", data={"action": "validate"}, files={"file": ("表.xlsx", form)}
    )
    assert answer.json() == plan_file(form, "validate", "表.xlsx").to_json()


def test_a_workbook_with_no_form_gets_a_chinese_422(client: Any, tmp_path: Path) -> None:
    wb = Workbook()
    wb.active["A1"] = "会议纪要"
    wb.save(tmp_path / "memo.xlsx")
    data = (tmp_path / "memo.xlsx").read_bytes()
    answer = client.post("/api/plan", data={"action": "rescore"}, files={"file": ("m.xlsx", data)})
    assert answer.status_code == 422 and "未在工作簿中找到绩效自评表" in answer.json()["error"]


# -- the buttons, under node, with the service running (slow) ----------------------------------


def press(service: Running, path: Path, tmp: Path, *buttons: str, state: dict | None = None):
    """Press ``buttons`` in turn on the workbook at ``path``: one result per button."""
    state = state or workbook_state(path)
    steps = [{"press": f"selfeval_{b}"} for b in buttons]
    return run_node(state, steps, service.url, path, tmp)


def sheet(workbook: dict, name: str = SHEET) -> dict | None:
    return next((s for s in workbook["sheets"] if s["name"] == name), None)


def message(result: dict) -> str:
    return result["alerts"][-1].split("\n\n", 1)[1]


def seed_copy(seeds: Path, tmp_path: Path, number: int) -> Path:
    path = tmp_path / f"form{number:02d}.xlsx"
    shutil.copy(seeds / f"form{number:02d}.xlsx", path)
    return path


@pytest.mark.slow
@pytest.mark.parametrize("number", range(1, 12))
def test_each_button_on_the_seed_forms_and_undo_is_exact(
    service: Running, seeds: Path, tmp_path: Path, number: int
) -> None:
    path = seed_copy(seeds, tmp_path, number)
    original = workbook_state(path)
    planned = plan_file(path.read_bytes(), "validate", path.name).to_json()
    checked, rescored, restored, cleared = press(
        service, path, tmp_path, "validate", "rescore", "restore", "clear", state=original
    )
    assert message(checked) == planned["message"]
    cells = sheet(checked["workbook"])["cells"]
    for write in (w for w in planned["writes"] if w["op"] == "fills"):
        for item in write["cells"]:
            assert cells[item["cell"]].get("fill") == item["fill"], item
    assert sheet(checked["workbook"], RESULTS_SHEET)["cells"]["A1"]["v"] == "严重程度"
    if planned["ledger"]:
        assert sheet(checked["workbook"], STATE_SHEET)["visible"] is False
    assert message(rescored).startswith("已重新评分")
    assert message(restored).startswith(("已撤销评分", "没有可撤销的评分"))
    assert cleared["workbook"] == original  # values, fills and notes exactly as they were
    assert cleared["app"] == {"ScreenUpdating": True, "Calculation": -4105}


@pytest.mark.slow
def test_clear_marks_gives_back_a_theme_coloured_fill(
    service: Running, seeds: Path, tmp_path: Path
) -> None:
    from openpyxl.styles import PatternFill
    from openpyxl.styles.colors import Color

    path = seed_copy(seeds, tmp_path, 10)
    planned = plan_file(path.read_bytes(), "validate", path.name).to_json()
    cell = next(w for w in planned["writes"] if w["op"] == "fills")["cells"][0]["cell"]
    wb = load_workbook(path)
    wb[SHEET][cell].fill = PatternFill("solid", fgColor=Color(theme=5, tint=0.3999755851924192))
    wb.save(path)
    original = workbook_state(path)
    checked, cleared = press(service, path, tmp_path, "validate", "clear", state=original)
    assert (
        sheet(checked["workbook"])["cells"][cell]["fill"] != sheet(original)["cells"][cell]["fill"]
    )
    assert cleared["workbook"] == original


@pytest.mark.slow
def test_rescore_then_undo_restores_values_and_fills_exactly(
    service: Running, seeds: Path, tmp_path: Path
) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    original = workbook_state(path)
    rescored, restored = press(service, path, tmp_path, "rescore", "restore", state=original)
    changed = {
        a
        for a, c in sheet(rescored["workbook"])["cells"].items()
        if c != sheet(original)["cells"].get(a)
    }
    assert changed and all(
        sheet(rescored["workbook"])["cells"][a].get("fill") == "#ddebf7" for a in changed
    )
    assert restored["workbook"] == original


@pytest.mark.slow
@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.stem)
def test_buttons_on_our_protected_templates_keep_their_protection(
    service: Running, tmp_path: Path, template: Path
) -> None:
    path = tmp_path / template.name
    shutil.copy(template, path)
    original = workbook_state(path)
    assert sheet(original)["protection"] is not None
    checked, rescored, cleared = press(
        service, path, tmp_path, "validate", "rescore", "clear", state=original
    )
    assert message(checked).startswith("共检查 1 张自评表")
    assert sheet(checked["workbook"])["protection"] == sheet(original)["protection"]
    marked = [c for c in sheet(checked["workbook"])["cells"].values() if c.get("note")]
    assert marked  # the blank template's findings, marked on the protected sheet
    assert "已重新评分" in message(rescored)
    assert cleared["workbook"] == original


@pytest.mark.slow
def test_a_password_protected_sheet_is_left_untouched_with_a_chinese_message(
    service: Running, seeds: Path, tmp_path: Path
) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    wb = load_workbook(path)
    wb[SHEET].protection.sheet = True
    wb[SHEET].protection.password = "secret"
    wb.save(path)
    original = workbook_state(path, passwords={SHEET: "secret"})
    for result in press(service, path, tmp_path, "validate", "rescore", state=original):
        assert "设有密码保护，未做任何修改" in message(result)
        assert result["workbook"] == original
    steps = [{"apply": "validate", "blind": True}]  # WPS itself refuses Unprotect("")
    [blind] = run_node(original, steps, service.url, path, tmp_path)
    assert blind["result"]["password"] and blind["same"], blind


@pytest.mark.slow
def test_the_task_pane_lists_the_findings_and_goes_to_a_cell(
    service: Running, seeds: Path, tmp_path: Path
) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    steps = [{"press": "selfeval_validate"}, {"pane": True}]
    _, pane = run_node(workbook_state(path), steps, service.url, path, tmp_path)
    planned = plan_file(path.read_bytes(), "validate", path.name).to_json()["findings"]
    assert len(pane["pane"]) == len(planned) and pane["pane"][0]["severity"] == "error"
    first = pane["pane"][0]
    assert pane["went"] and pane["selected"] == f"{first['sheet']}!{first['cell']}"


@pytest.fixture
def filled_template(tmp_path: Path) -> Path:
    """Form 10 in our template, as `selfeval build --projects` and the unit make it:
    protected without a password, scores to rescore."""
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.formfile import read_form_file
    from selfeval.writers.template import write_form

    form = read_form_file(Path(__file__).parent / "fixtures" / "seed" / "form10.yaml")[0]
    return write_form(form, tmp_path / "template.xlsx", load_profile())


@pytest.mark.slow
def test_rescore_and_undo_on_a_filled_protected_template(
    service: Running, tmp_path: Path, filled_template: Path
) -> None:
    original = workbook_state(filled_template)
    checked, rescored, restored, cleared = press(
        service,
        filled_template,
        tmp_path,
        "validate",
        "rescore",
        "restore",
        "clear",
        state=original,
    )
    assert "改写" in message(rescored) and "公式单元格" in message(rescored)
    after = sheet(rescored["workbook"])
    assert after["protection"] == sheet(original)["protection"]
    formulas = {a for a, c in sheet(original)["cells"].items() if "f" in c}
    assert all(after["cells"][a]["f"] == sheet(original)["cells"][a]["f"] for a in formulas)
    assert sheet(restored["workbook"])["cells"] == sheet(checked["workbook"])["cells"]
    assert cleared["workbook"] == original


@pytest.mark.slow
@pytest.mark.parametrize("action", ["validate", "rescore", "clear"])
def test_a_fault_at_each_write_step_leaves_the_workbook_as_it_was(
    service: Running, tmp_path: Path, action: str, filled_template: Path
) -> None:
    path = filled_template
    state = workbook_state(path)
    steps: list[dict] = [{"press": "selfeval_validate"}] if action == "clear" else []
    *_, faults = run_node(state, [*steps, {"faults": action}], service.url, path, tmp_path)
    tries = faults["tries"]
    assert len(tries) > 5 and tries[-1]["completed"] and tries[-1]["ok"]
    for attempt in tries[:-1]:
        assert not attempt["ok"] and attempt["same"], attempt
        assert ROLLED_BACK in attempt["message"], attempt


@pytest.mark.slow
def test_export_report_saves_the_html_beside_the_workbook(
    service: Running, seeds: Path, tmp_path: Path
) -> None:
    path = seed_copy(seeds, tmp_path, 10)
    state = workbook_state(path, folder=str(tmp_path))
    [saved] = run_node(state, [{"press": "selfeval_report"}], service.url, path, tmp_path)
    report = tmp_path / "form10_校验报告.html"
    assert message(saved) == f"报告已保存：{report}"
    codes = {
        f["code"] for f in plan_file(path.read_bytes(), "validate", path.name).to_json()["findings"]
    }
    page = report.read_text(encoding="utf-8")
    assert codes and all(code in page for code in codes) and saved["workbook"] == state
    unsaved = {**state, "path": ""}
    [refused] = run_node(unsaved, [{"press": "selfeval_report"}], service.url, path, tmp_path)
    assert "请先将工作簿保存" in message(refused)


@pytest.mark.slow
def test_the_running_service_serves_the_addin_as_built(service: Running, tmp_path: Path) -> None:
    import urllib.request

    built = build(tmp_path)
    for path in built[:-1]:
        name = path.relative_to(tmp_path / path.relative_to(tmp_path).parts[0]).as_posix()
        with urllib.request.urlopen(f"{service.url}/wps/{name}") as answer:
            assert answer.read() == path.read_bytes(), name


@pytest.mark.slow
def test_no_workbook_an_unreachable_service_and_a_sheet_with_no_form(
    service: Running, tmp_path: Path
) -> None:
    [none] = run_node(None, [{"press": "selfeval_validate"}], service.url, None, tmp_path)
    assert "请先打开" in message(none)

    wb = Workbook()
    wb.active.title = SHEET
    wb.active["A1"] = "会议纪要"
    path = tmp_path / "memo.xlsx"
    wb.save(path)
    state = workbook_state(path)
    [unreachable] = run_node(
        state, [{"press": "selfeval_validate"}], "http://127.0.0.1:9", path, tmp_path
    )
    assert "无法连接校验服务" in message(unreachable) and unreachable["workbook"] == state
    [memo] = press(service, path, tmp_path, "rescore", state=state)
    assert "未在工作簿中找到绩效自评表" in message(memo) and memo["workbook"] == state

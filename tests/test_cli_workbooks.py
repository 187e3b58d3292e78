"""The file-facing commands on workbooks: validate (text, json, html), rescore, convert."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import openpyxl
import pytest

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.readers import read_file
from tests.seed_workbooks import write_seed_workbooks

FINDING_KEYS = {"code", "severity", "sheet", "cell", "field", "message", "expected", "found"}


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_json_is_one_object_per_form(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "validate", str(seeds / "all_forms.xlsx"), "--format", "json")
    data = json.loads(out)
    assert status == 1 and len(data) == 11
    first = data[0]
    assert first["source"] == {
        "file": str(seeds / "all_forms.xlsx"),
        "sheet": "自评表",
        "row": 1,
        "origin": "handmade",
    }
    assert first["layout"] == "standard" and data[10]["layout"] == "appraisal"
    assert first["stated"] == {"execution_rate": 0.9907, "funds_score": 9.91, "total": 97.91}
    assert {"execution_rate", "funds_score", "points_total", "total", "grade"} <= set(
        first["computed"]
    )
    findings = [f for form in data for f in form["findings"]]
    assert findings and all(set(f) == FINDING_KEYS for f in findings)
    assert all(f["sheet"] == "自评表" and f["cell"] for f in findings)


def test_text_groups_findings_by_form_with_cells(
    seeds: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out = _run(capsys, "validate", str(seeds / "form06.xlsx"))
    assert status == 1
    assert "■ 检察专用设备购置费" in out and "自评表!F21" in out and Code.POINTS_MISSING in out
    assert "form06.xlsx［自评表 第 1 行］" in out


def test_folder_run_reports_every_file(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out = _run(capsys, "validate", str(seeds), "--format", "json")
    assert status == 1 and len(json.loads(out)) == 22  # eleven files + eleven stacked


def test_html_report_links_to_cells(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "报告.html"
    assert main(["validate", str(seeds / "form06.xlsx"), "--format", "html", "-o", str(out)]) == 1
    page = out.read_text("utf-8")
    assert "<section>" in page and "检察专用设备购置费" in page
    assert "form06.xlsx#&#39;%E8%87%AA%E8%AF%84%E8%A1%A8&#39;!F21" in page and "自评表!F21" in page
    assert "http" not in page.replace("http-equiv", "")  # self-contained


def test_html_report_places_cellless_findings_in_chinese(tmp_path: Path) -> None:
    form = Path(__file__).parent / "fixtures" / "seed" / "form01.yaml"  # no cells to point at
    out = tmp_path / "报告.html"
    assert main(["validate", str(form), "--format", "html", "-o", str(out)]) == 0
    page = out.read_text("utf-8")
    assert "<td>一级指标分值·产出指标</td>" in page and "category_weights" not in page
    assert "共 1 份：错误 0 项，警告 2 项。" in page


def test_rescore_writes_a_copy(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = seeds / "form06.xlsx"
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    out = tmp_path / "重评.xlsx"
    status, printed = _run(capsys, "rescore", str(src), "-o", str(out))
    assert status == 0 and "H30 得分：3.00 → 4.78" in printed
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    ws = openpyxl.load_workbook(out).active
    assert ws["H30"].value == 4.78 and ws["I31"].value == 96.46
    assert ws["D15"].value == "=100%" and ws["D15"].data_type == "s"


def test_rescore_keeps_template_formulas(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "模板.xlsx"
    assert main(["convert", str(seeds / "form06.xlsx"), "-o", str(template), "--year", "2026"]) == 0
    wb = openpyxl.load_workbook(template)
    wb["自评表"]["H6"] = 1.0  # typed over the funds-score formula
    wb.save(template)
    [form] = read_file(template)
    assert form.formulas_overwritten == ["funds.stated_score"]
    out = tmp_path / "重评.xlsx"
    assert main(["rescore", str(template), "-o", str(out)]) == 0
    ws = openpyxl.load_workbook(out)["自评表"]
    assert str(ws["H6"].value).startswith("=") and ws["H6"].data_type == "f"
    [again] = read_file(out)
    assert again.formulas_overwritten == [] and again.header.year == 2026


def test_convert_many_forms_numbers_the_outputs(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = _run(
        capsys, "convert", str(seeds / "all_forms.xlsx"), "-o", str(tmp_path / "新.xlsx")
    )
    assert status == 0
    outputs = sorted(tmp_path.glob("新-*.xlsx"))
    assert len(outputs) == 11
    assert all(read_file(p)[0].source.origin == "template" for p in outputs[:2])


def test_output_over_input_is_refused(seeds: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = seeds / "form01.xlsx"
    assert main(["rescore", str(src), "-o", str(src)]) == 2
    assert "输入文件相同" in capsys.readouterr().err


def test_json_matches_the_documented_schema(
    seeds: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    (tmp_path / "坏.xlsx").write_text("不是表格", encoding="utf-8")
    status, out = _run(
        capsys, "validate", str(seeds), str(tmp_path / "坏.xlsx"), "--format", "json"
    )
    assert status == 2
    schema = json.loads(
        (Path(__file__).parent.parent / "docs" / "selfeval-results.schema.json").read_text("utf-8")
    )
    data = json.loads(out)
    jsonschema.validate(data, schema)
    assert data[-1]["findings"][0]["code"] == Code.READ_ERROR


@pytest.mark.slow  # worker processes
def test_a_folder_checked_in_worker_processes_gives_the_same_results(tmp_path):
    from selfeval.pipeline.results import check_paths
    from selfeval.profiles.policy import load_profile

    folder = tmp_path / "表"
    write_seed_workbooks(folder)
    (folder / "坏文件.xlsx").write_bytes(b"not a workbook")
    profile = load_profile("shanghai")
    serial = [r.to_dict() for r in check_paths([folder], profile, workers=1)]
    parallel = [r.to_dict() for r in check_paths([folder], profile, workers=2)]
    assert parallel == serial
    assert len(serial) == 11 + 11 + 1  # eleven single forms, all_forms.xlsx, the bad file


def test_rescore_of_an_ods_with_a_sheet_name_excel_refuses(tmp_path, monkeypatch):
    # ODS allows sheet names Excel does not (over 31 characters, "/"): the copy renames
    # the sheet, and the rescored figures still land in it
    from selfeval.form.model import Form
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.grid import Grid
    from selfeval.rules.rescore import Change, Rescored
    from selfeval.writers import rescored
    from selfeval.writers.rescored import excel_title, write_rescored

    long_name = "第一季度/第二季度 项目自评表（含附表）汇总与明细对照表格"
    grid = Grid(long_name, [["项目名称", "某项目"], ["得分", 10]])
    monkeypatch.setattr(rescored, "load_grids", lambda path: [grid])
    form = Form()
    form.source.sheet = long_name
    result = Rescored(form, [Change("indicators[0].score", 10.0, 9.5, "B2")], None)
    out = tmp_path / "重新评分.xlsx"
    write_rescored(tmp_path / "表.ods", out, [result], load_profile("national"))
    ws = openpyxl.load_workbook(out)[excel_title(long_name)]
    assert ws.title == "第一季度_第二季度 项目自评表（含附表）汇总与明细对照表格"[:31]
    assert ws["B2"].value == 9.5 and ws["A1"].value == "项目名称"


def test_json_names_each_forms_units_for_grouping(seeds: Path, capsys) -> None:
    _, out = _run(capsys, "validate", str(seeds / "all_forms.xlsx"), "--format", "json")
    headers = [form["header"] for form in json.loads(out)]
    assert all(h["department"] and h["implementer"] and h["project"] for h in headers)
    assert all(h["year"] == 2021 for h in headers)

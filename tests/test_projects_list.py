"""`build --projects` refuses a project list that would give forms red before anyone
fills them in: a Chinese message naming the project and field, status 2, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.readers.projects import read_projects
from selfeval.rules.check import validate

ROOT = Path(__file__).resolve().parent.parent

GOOD = """\
项目:
  - 项目名称: 设备购置项目
    主管部门: 某局
    实施单位: 某中心
    资金:
      年度资金总额: {全年预算数: 100000}
    指标:
      - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 设备购置完成率, 年度指标值: "=100%", 分值: 30}
      - {一级指标: 产出指标, 二级指标: 时效指标, 三级指标: 采购及时性, 年度指标值: 及时, 分值: 20}
      - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 办案效率, 年度指标值: 提升, 分值: 30}
      - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 工作人员满意度, 年度指标值: ">=90%", 分值: 10}
"""


def build(capsys, tmp_path: Path, text: str, suffix: str = ".yaml") -> tuple[int, str, Path]:
    listing = tmp_path / f"清单{suffix}"
    listing.write_text(text, encoding="utf-8")
    out = tmp_path / "预填"
    status = main(["build", "--projects", str(listing), "--out", str(out), "--year", "2026"])
    return status, capsys.readouterr().err, out


def refused(capsys, tmp_path: Path, text: str, suffix: str = ".yaml") -> str:
    status, err, out = build(capsys, tmp_path, text, suffix)
    assert status == 2 and not out.exists(), err
    return err


def refusal(err: str, where: str, code: str) -> str:
    """The line of a refusal that names ``where`` (project, indicator) and the rule's code."""
    lines = [line for line in err.splitlines() if f"{where}：{code} " in line]
    assert lines, f"no {code} for {where} in:\n{err}"
    return lines[0]


PROJECT = "第 1 个项目（设备购置项目）"


def test_points_adding_to_95_are_refused(tmp_path, capsys):
    err = refused(
        capsys,
        tmp_path,
        GOOD.replace(
            "分值: 30}\n      - {一级指标: 产出指标", "分值: 25}\n      - {一级指标: 产出指标"
        ),
    )
    assert "95" in refusal(err, PROJECT, Code.POINTS_TOTAL)
    assert "产出指标分值小计为 45" in refusal(err, PROJECT, Code.POINTS_CATEGORY)


def test_a_first_level_name_not_on_the_form_is_refused(tmp_path, capsys):
    err = refused(capsys, tmp_path, GOOD.replace("一级指标: 满意度指标", "一级指标: 满意度"))
    assert "一级指标“满意度”" in refusal(err, f"{PROJECT} 第 4 个指标", Code.CATEGORY_MISPLACED)


def test_a_second_level_under_the_wrong_first_level_is_refused(tmp_path, capsys):
    err = refused(capsys, tmp_path, GOOD.replace("二级指标: 社会效益指标", "二级指标: 质量指标"))
    line = refusal(err, f"{PROJECT} 第 3 个指标", Code.CATEGORY_MISPLACED)
    assert "二级指标“质量指标”不属于效益指标" in line


def test_a_satisfaction_indicator_outside_satisfaction_is_refused_as_on_any_form(tmp_path, capsys):
    text = GOOD.replace(
        "{一级指标: 满意度指标, 二级指标: 服务对象满意度指标",
        "{一级指标: 效益指标, 二级指标: 社会效益指标",
    )
    err = refused(capsys, tmp_path, text)
    assert "工作人员满意度" in refusal(err, f"{PROJECT} 第 4 个指标", Code.CATEGORY_MISPLACED)


@pytest.mark.parametrize(
    ("cut", "code", "label"),
    [
        ("    实施单位: 某中心\n", Code.INPUT_MISSING, "实施单位"),
        ("    主管部门: 某局\n", Code.INPUT_MISSING, "主管部门"),
        ("    资金:\n      年度资金总额: {全年预算数: 100000}\n", Code.FUNDS_MISSING, "全年预算数"),
    ],
    ids=["实施单位", "主管部门", "资金"],
)
def test_a_project_without_its_implementer_department_or_funds_is_refused(
    tmp_path, capsys, cut, code, label
):
    err = refused(capsys, tmp_path, GOOD.replace(cut, ""))
    assert label in refusal(err, PROJECT, code)


def test_sub_rows_not_adding_up_to_the_total_are_refused(tmp_path, capsys):
    funds = "      年度资金总额: {全年预算数: 100000}\n"
    text = GOOD.replace(funds, funds + "      当年财政拨款: {全年预算数: 90000}\n")
    assert "90,000.00" in refusal(refused(capsys, tmp_path, text), PROJECT, Code.FUNDS_SUM)


def test_a_refusal_is_what_the_rules_say_of_the_same_form(tmp_path, capsys):
    text = GOOD.replace("分值: 30}", "分值: 25}").replace(
        "二级指标: 社会效益指标", "二级指标: 质量指标"
    )
    err = refused(capsys, tmp_path, text)
    form = read_projects(tmp_path / "清单.yaml").projects[0].form
    form.funds.points = 10.0
    said = {f"{f.code} {f.message}" for f in validate(form)}
    lines = [line.partition("：")[2] for line in err.splitlines() if line.startswith("  - ")]
    assert len(lines) >= 3 and set(lines) <= said


def test_a_project_without_indicators_is_refused(tmp_path, capsys):
    text = GOOD[: GOOD.index("    指标:")]
    err = refused(capsys, tmp_path, text)
    assert f"{PROJECT}：缺少指标" in err and "POINTS_" not in err


def test_a_csv_project_without_implementer_or_budget_is_refused(tmp_path, capsys):
    csv = (
        "项目名称,主管部门,实施单位,全年预算数,一级指标,二级指标,三级指标,年度指标值,分值\n"
        "甲,某局,,,产出指标,数量指标,完成率,=100%,50\n"
        ",,,,效益指标,社会效益指标,效果,提升,30\n"
        ",,,,满意度指标,服务对象满意度指标,满意度,>=90%,10\n"
    )
    err = refused(capsys, tmp_path, csv, ".csv")
    assert "实施单位" in refusal(err, "第 1 个项目（甲）", Code.INPUT_MISSING)
    assert "全年预算数" in refusal(err, "第 1 个项目（甲）", Code.FUNDS_MISSING)


def test_a_good_list_gives_forms_that_are_not_wrong_before_they_are_filled(tmp_path, capsys):
    status, _, out = build(capsys, tmp_path, GOOD)
    files = list(out.glob("*.xlsx"))  # one per layout
    assert status == 0 and files
    main(["validate", str(out), "--format", "json"])
    forms = json.loads(capsys.readouterr().out)
    plan_codes = {
        Code.POINTS_TOTAL,
        Code.POINTS_CATEGORY,
        Code.INPUT_MISSING,
        Code.CATEGORY_MISPLACED,
    }
    found = {f["code"] for form in forms for f in form["findings"]}
    assert len(forms) == len(files) and not found & plan_codes


@pytest.mark.parametrize("name", ["projects.yaml", "projects.csv"])
def test_the_documented_examples_still_build(tmp_path, capsys, name):
    out = tmp_path / "预填"
    assert main(["build", "--projects", str(ROOT / "examples" / name), "--out", str(out)]) == 0

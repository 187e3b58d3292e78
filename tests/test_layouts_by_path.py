"""A maintainer's own layout, outside the package: named by path or found in the office's
folder (SELFEVAL_LAYOUTS), checked line by line, carried inside every template it builds
so that any installation reads the template as ours, and chosen by year."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import openpyxl
import pytest

from selfeval import api
from selfeval.cli.main import main as cli
from selfeval.form.codes import Code
from selfeval.layouts.check import check_file
from selfeval.layouts.layout import LAYOUTS_VARIABLE, SHEET, LayoutError, build_layout, layout_spec
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import read_form_file
from selfeval.readers.projects import read_projects
from selfeval.rules.analysis import analyse
from selfeval.writers.template import write_form

EXAMPLES = Path(__file__).parent.parent / "examples" / "layouts"
SEED = Path(__file__).parent / "fixtures" / "seed" / "form01.yaml"
NATIONAL = load_profile("national")


@pytest.fixture
def office(tmp_path: Path) -> Path:
    """The office's folder: the worked example of docs/layouts.md, two years' versions."""
    folder = tmp_path / "表样"
    folder.mkdir()
    for name in ("anhui.toml", "anhui_2024.toml"):
        shutil.copy(EXAMPLES / name, folder / name)
    return folder


def codes_of(path: Path) -> list[str]:
    [result] = api.check(path)
    return [f.code for f in result.findings]


def filled(tmp_path: Path, layout: str, year: int) -> Path:
    form = read_form_file(SEED)[0]
    form.layout, form.header.year = layout, year
    return write_form(form, tmp_path / f"{Path(layout).stem}_{year}.xlsx", NATIONAL)


def test_the_worked_example_passes_layout_check(office, capsys):
    for path in sorted(office.glob("*.toml")):
        assert check_file(path) == []
        assert cli(["layout", "check", str(path)]) == 0


PLANTED = [
    ("@header.project", "@header.projcet", "head[1][1]", "@header.projcet"),
    (
        '"@header.implementer", cols = 3 }',
        '"@header.implementer", cols = 2 }',
        "head[2]",
        "没有占满",
    ),
    ('"<goal.achieved>"', '"<goal.achieved=完成得怎样>"', "middle.rows[0][2]", "完成得怎样"),
    ('label = "总分"', 'label = "总得分"', "total.label", "总得分"),
    ('"actual", "points"', '"actual", "pionts"', "table.columns", "pionts"),
    ('years = "2022-2023"', 'years = "从2022年"', "years", "years"),
]


def test_layout_check_names_each_planted_mistake_by_line_and_key(tmp_path, capsys):
    text = (EXAMPLES / "anhui.toml").read_text(encoding="utf-8")
    for old, _, _, _ in PLANTED:
        assert old in text, old
    for old, new, _, _ in PLANTED:
        text = text.replace(old, new)
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    assert cli(["layout", "check", str(bad)]) == 2
    err = capsys.readouterr().err
    lines = text.splitlines()
    for _, new, key, shown in PLANTED:
        [line] = [x for x in err.splitlines() if f" {key}：" in x and shown in x]
        number = int(line.split(" 第 ")[1].split(" 行")[0])
        planted = new.split(" = ")[0] if key in ("years", "total.label") else new.split(",")[0]
        assert planted.strip('"') in lines[number - 1] or key.startswith("head["), line


def test_a_toml_syntax_error_names_its_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('title = "表"\nwidths = [8, 9\n', encoding="utf-8")
    assert cli(["layout", "check", str(bad)]) == 2
    assert "第 2 行 TOML：格式错误" in capsys.readouterr().err


def test_build_refuses_a_bad_layout_file_listing_every_mistake_and_writes_nothing(tmp_path, capsys):
    text = (EXAMPLES / "anhui.toml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("@header.project", "@header.projcet"), encoding="utf-8")
    out = tmp_path / "out"
    assert cli(["build", "--layout", str(bad), "--year", "2022", "--out", str(out)]) == 2
    assert "@header.projcet" in capsys.readouterr().err and not out.exists()


def test_layout_new_writes_a_commented_shipped_shape_that_parses_back(tmp_path, capsys):
    out = tmp_path / "my.toml"
    assert cli(["layout", "new", "--from", "national", "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    shipped = layout_spec("national").data
    assert data["name"] == "my" and {k: v for k, v in data.items() if k != "name"} == shipped
    keys = [line.split(" = ")[0] for line in text.splitlines() if " = " in line and line[0] != " "]
    lines = text.splitlines()
    for key in keys:  # every key has its comment on the line above
        i = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        assert lines[i - 1].startswith("# "), key
    assert check_file(out) == []
    assert cli(["layout", "new", "--from", "national", "-o", str(out)]) == 2  # never over


def test_a_template_of_a_layout_file_reads_as_ours_where_the_file_is_absent(office, tmp_path):
    template = filled(tmp_path, str(office / "anhui.toml"), 2022)
    shutil.rmtree(office)
    [form] = api.read(template)
    assert form.source.origin == "template" and form.layout == "anhui"
    assert form.category_weights == {"产出指标": 50.0, "效益指标": 30.0, "满意度指标": 10.0}
    own = read_form_file(SEED)[0]
    assert analyse(form, NATIONAL).total == pytest.approx(analyse(own, NATIONAL).total)
    assert Code.FORMULA_OVERWRITTEN not in codes_of(template)


def test_a_formula_typed_over_is_caught_where_the_file_is_absent(office, tmp_path):
    template = filled(tmp_path, str(office / "anhui.toml"), 2022)
    shutil.rmtree(office)
    wb = openpyxl.load_workbook(template)
    layout = build_layout(str(EXAMPLES / "anhui.toml"))
    total = wb.defined_names["SE_total_score"].attr_text.split("!")[1].replace("$", "")
    assert total.startswith(layout.columns["score"])
    wb[SHEET][total] = 99
    wb.save(tmp_path / "改过.xlsx")
    assert Code.FORMULA_OVERWRITTEN in codes_of(tmp_path / "改过.xlsx")


def test_the_carried_description_is_preferred_and_a_differing_file_is_named(
    office, tmp_path, monkeypatch
):
    template = filled(tmp_path, str(office / "anhui.toml"), 2022)
    text = (office / "anhui.toml").read_text(encoding="utf-8")
    (office / "anhui.toml").write_text(text.replace('"总分"', '"总计"'), encoding="utf-8")
    monkeypatch.setenv(LAYOUTS_VARIABLE, str(office))
    [result] = api.check(template)
    [note] = [f for f in result.findings if f.code == Code.LAYOUT_CARRIED]
    assert "anhui.toml" in note.message and result.form.layout == "anhui"
    (office / "anhui.toml").write_text(text, encoding="utf-8")  # the same again: no note
    assert Code.LAYOUT_CARRIED not in codes_of(template)


def test_build_year_picks_the_version_in_force_and_both_years_read(office, tmp_path, monkeypatch):
    monkeypatch.setenv(LAYOUTS_VARIABLE, str(office))
    out = tmp_path / "out"
    for year in (2022, 2025):
        assert cli(["build", "--layout", "anhui", "--year", str(year), "--out", str(out)]) == 0
    assert cli(["build", "--layout", "anhui", "--year", "2021", "--out", str(out)]) == 2
    older, later = filled(tmp_path, "anhui", 2023), filled(tmp_path, "anhui", 2024)
    monkeypatch.delenv(LAYOUTS_VARIABLE)
    widths = {}
    for path, year in ((older, 2023), (later, 2024)):
        [form] = api.read(path)
        assert form.source.origin == "template" and form.header.year == year
        assert [row.target for row in form.indicators] == [
            row.target for row in read_form_file(SEED)[0].indicators
        ]
        widths[year] = openpyxl.load_workbook(path)[SHEET].print_area
    assert widths[2023] != widths[2024]  # the 2024 shape splits the target over three columns
    for year in (2022, 2025):
        assert len(list((out / str(year)).glob("*.xlsx"))) == 1


def test_a_project_list_names_a_layout_file_beside_it(office, tmp_path):
    listing = tmp_path / "清单.yaml"
    shutil.copy(office / "anhui.toml", tmp_path / "我省.toml")
    example = Path(__file__).parent.parent / "examples" / "projects.yaml"
    text = example.read_text(encoding="utf-8")
    raw = text.replace("- 项目名称", "- 表样: 我省.toml\n    项目名称", 1)
    listing.write_text(raw, encoding="utf-8")
    first = read_projects(listing).projects[0]
    assert first.problems == [] and first.form.layout == str(tmp_path / "我省.toml")
    listing.write_text(text.replace("- 项目名称", "- 表样: 没有.toml\n    项目名称", 1), "utf-8")
    assert "没有.toml" in read_projects(listing).projects[0].problems[0]


def test_the_docs_worked_example_prints_the_engines_figures(tmp_path):
    listing = EXAMPLES / "projects.yaml"
    out = tmp_path / "预填"
    assert cli(["build", "--projects", str(listing), "--year", "2023", "--out", str(out)]) == 0
    [prefilled] = out.glob("*.xlsx")
    [form] = api.read(prefilled)
    assert form.layout == "anhui" and form.source.origin == "template"
    form.funds.total.executed = 72.3  # the figure docs/layouts.md fills in
    for row in form.indicators:
        row.score = row.points
    result = analyse(form, NATIONAL)
    docs = (Path(__file__).parent.parent / "docs" / "layouts.md").read_text(encoding="utf-8")
    assert f"{result.rate:.2%}" in docs and f"预算执行得分 {result.funds_score:g}" in docs
    assert f"总分 {result.total:g}，等级“{result.grade}”" in docs


def test_a_carried_description_that_would_print_a_formula_is_not_used(office, tmp_path):
    text = (office / "anhui.toml").read_text(encoding="utf-8")
    (office / "evil.toml").write_text(text.replace('"年度总体目标"', '"=HYPERLINK(1)"'), "utf-8")
    problems = check_file(office / "evil.toml")
    assert [p.key for p in problems] == ["middle.rows[0][0]"]
    with pytest.raises(LayoutError):
        layout_spec(str(office / "evil.toml"))

"""Every shipped layout file: its words come from the vocabulary, a form written into it
reads back the same, and a template says which layout and profile it was built with."""

from __future__ import annotations

import copy
import io
import json
import tomllib
from pathlib import Path

import openpyxl
import pytest

from selfeval.cli.main import main as cli
from selfeval.form import vocabulary
from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.grammar.targets import join_target
from selfeval.layouts.layout import (
    AMOUNTS,
    LAYOUT_NAMES,
    LAYOUT_PROPERTY,
    PROFILE_PROPERTY,
    LayoutError,
    build_layout,
    layout_for,
    layout_spec,
    letter,
    range_bounds,
    split_target,
)
from selfeval.profiles.policy import load_profile
from selfeval.readers import read_file
from selfeval.readers.formfile import read_form_file
from selfeval.rules.analysis import analyse
from selfeval.writers.template import blank_workbook, write_form
from selfeval.writers.template.texts import heading_texts

SEEDS = sorted((Path(__file__).parent / "fixtures" / "seed").glob("form*.yaml"))
SHANGHAI = load_profile("shanghai")
INDICATOR_WORDS = vocabulary.INDICATOR_COLUMNS | vocabulary.SPLIT_TARGET_COLUMNS


def seed(path: Path, layout: str) -> Form:
    form = read_form_file(path)[0]
    form.layout = layout
    return form


def printed(layout_name: str, content: str) -> str:
    """What a piece prints: its label, or the generated text of a #key or text field."""
    texts = heading_texts(layout_name, 2026, "元", SHANGHAI)
    keys = {"@header.year": "year_line", "@funds.unit": "funds_unit", "@profile": "profile"}
    if content.startswith("#"):
        return texts[content[1:]]
    return texts[keys[content]] if content in keys else content


def piece_at(layout, address: str) -> str | None:
    for ref, content in layout.pieces:
        if ref.split(":")[0] == address:
            return content
    return None


def shift(address: str, columns: int = 0, rows: int = 0) -> str:
    column, row, _, _ = range_bounds(address)
    return f"{letter(column + columns)}{row + rows}"


def test_at_least_the_four_official_shapes_are_shipped():
    assert {"standard", "appraisal", "national", "sichuan"} <= set(LAYOUT_NAMES)


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_table_heading_is_a_vocabulary_word_for_its_column(name):
    layout = build_layout(name)
    for column, col in layout.columns.items():
        heading = piece_at(layout, f"{col}{layout.table_header_row}")
        assert vocabulary.match(printed(name, heading), INDICATOR_WORDS) == column, heading


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_funds_heading_is_a_vocabulary_word_for_its_column(name):
    layout = build_layout(name)
    columns = {f"funds.total.{a}": a for a in (*AMOUNTS, "stated_rate")}
    columns |= {"funds.points": "points", "funds.stated_score": "score"}
    for path, column in columns.items():
        heading = piece_at(layout, shift(layout.fields[path], rows=-1))
        assert heading is not None, path
        text = printed(name, heading)
        assert vocabulary.match(text, vocabulary.FUNDS_COLUMNS) == column, text


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_funds_row_label_and_header_label_is_a_vocabulary_word(name):
    layout = build_layout(name)
    first_amount = {row: layout.fields[f"funds.{row}.initial_budget"] for row in layout.funds_rows}
    for row, address in first_amount.items():
        label = next(
            content
            for ref, content in layout.pieces
            if ref.split(":")[-1] == shift(address, columns=-1)
        )
        assert vocabulary.match(label.removeprefix("其中："), vocabulary.FUNDS_ROWS) == row, label
    for key in ("project", "department", "implementer"):
        address = layout.fields[f"header.{key}"]
        label = next(c for ref, c in layout.pieces if ref.split(":")[-1] == shift(address, -1))
        assert vocabulary.match(label, vocabulary.HEADER_FIELDS) == key, label
    total = piece_at(layout, f"A{layout.total_row}")
    assert total in vocabulary.TOTAL_LABELS


def test_a_layout_file_may_only_print_words_of_the_field(tmp_path, monkeypatch):
    from selfeval.layouts import layout as module

    with pytest.raises(ValueError, match="不是词表中"):
        module._words_in("<funds.points=满分>")
    with pytest.raises(LayoutError, match="没有名为"):
        build_layout("guangdong")
    data = tomllib.loads((module.layouts_folder() / "standard.toml").read_text("utf-8"))
    data["table"]["columns"].remove("score")
    with pytest.raises(ValueError, match="指标表缺少列"):
        module._spec("broken", data)


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_layout_is_recognised_from_its_names_alone(name):
    layout = build_layout(name, {"产出指标": 6, "效益指标": 4, "满意度指标": 2})
    again = layout_for(layout.names)
    assert again is not None and again.name == name and again.fields == layout.fields


@pytest.mark.parametrize(
    "target",
    [
        "=100%",
        "≥90%",
        "<=1次",
        "=0起",
        "100",
        "98%以上",
        "≥100百分比",
        "及时",
        "1080P",
        "≤ 2%",
        "",
    ],
)
def test_a_split_target_joins_back_to_what_it_was(target):
    nature, value, unit = split_target(target)
    assert join_target(nature, value, unit) == target
    assert (nature == "定性") == (target != "" and not any(ch.isdigit() for ch in target))


def test_the_three_cells_of_a_split_target_say_the_target():
    assert join_target("≧", "735", "人次") == "≧735人次"
    assert join_target("定性", "有效", "") == "有效"


@pytest.mark.parametrize("name", LAYOUT_NAMES)
@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_a_seed_form_written_into_a_layout_reads_back_the_same(tmp_path, name, path):
    form = seed(path, name)
    [again] = read_file(write_form(form, tmp_path / "f.xlsx", SHANGHAI))
    assert (again.layout, again.source.origin, again.formulas_overwritten) == (name, "template", [])
    assert (again.header, again.goals) == (form.header, form.goals)
    for row in build_layout(name).funds_rows:
        for attr in AMOUNTS:
            got = getattr(getattr(again.funds, row), attr)
            assert got == getattr(getattr(form.funds, row), attr), (row, attr)
    fields = ("level1", "level2", "name", "target", "actual", "points", "score", "reason")
    got = [tuple(getattr(r, f) for f in fields) for r in again.indicators]
    assert sorted(got, key=str) == sorted(
        (tuple(getattr(r, f) for f in fields) for r in form.indicators), key=str
    )
    a, b = analyse(again, SHANGHAI), analyse(form, SHANGHAI)
    assert (a.points_total, a.funds_score, a.grade) == (b.points_total, b.funds_score, b.grade)


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_a_template_records_its_layout_and_profile(name):
    wb = openpyxl.load_workbook(io.BytesIO(blank_workbook(name, 2026, SHANGHAI)))
    props = {p.name: p.value for p in wb.custom_doc_props.props}
    assert props[LAYOUT_PROPERTY] == name
    assert json.loads(props[PROFILE_PROPERTY])["funds"]["rate_rounding"] == "roundup"


def test_a_template_built_with_a_profile_file_reads_back_untouched(tmp_path, capsys):
    mine = tmp_path / "my.toml"
    mine.write_text('base = "shanghai"\nname = "my"\ntitle = "本局口径"\n', encoding="utf-8")
    out = tmp_path / "out"
    assert (
        cli(
            ["build", "--year", "2026", "--layout", "standard", "--profile", str(mine)]
            + ["--out", str(out)]
        )
        == 0
    )
    [template] = (out / "2026").glob("*.xlsx")
    form = read_form_file(SEEDS[0])[0]
    filled = write_form(form, tmp_path / "填好.xlsx", load_profile(str(mine)))
    for path in (template, filled):
        [again] = read_file(path)
        assert again.formulas_overwritten == [] and again.profile == "my"
    capsys.readouterr()
    cli(["validate", str(filled), "--format", "json"])
    out, err = capsys.readouterr()
    [result] = json.loads(out)
    assert Code.FORMULA_OVERWRITTEN not in {f["code"] for f in result["findings"]}
    assert "评分口径" not in err  # judged by the profile it records, nothing to say
    cli(["validate", str(filled), "--profile", "national"])
    assert "按评分口径“my”生成，本次按“national”校验" in capsys.readouterr().err


def test_a_template_checked_under_its_own_profile_says_nothing(tmp_path, capsys):
    filled = write_form(read_form_file(SEEDS[0])[0], tmp_path / "f.xlsx", SHANGHAI)
    cli(["validate", str(filled), "--profile", "shanghai"])
    assert "评分口径" not in capsys.readouterr().err


def test_convert_of_an_appraisal_template_keeps_the_appraisal_layout(tmp_path, capsys):
    form = read_form_file(SEEDS[9])[0]
    assert form.layout == "appraisal"
    src = write_form(form, tmp_path / "评价表.xlsx", SHANGHAI)
    assert cli(["convert", str(src), "-o", str(tmp_path / "新.xlsx")]) == 0
    [again] = read_file(tmp_path / "新.xlsx")
    assert again.layout == "appraisal"


@pytest.mark.parametrize("name", ["national", "sichuan"])
def test_build_writes_a_named_layout(tmp_path, capsys, name):
    assert cli(["build", "--year", "2026", "--layout", name, "--out", str(tmp_path)]) == 0
    [path] = (tmp_path / "2026").glob("*.xlsx")
    assert path.name == f"{layout_spec(name).title}_2026.xlsx"
    [form] = read_file(path)
    assert form.layout == name and form.funds.unit == layout_spec(name).unit


def test_a_sichuan_form_keeps_its_other_funds_rows(tmp_path):
    form = copy.deepcopy(seed(SEEDS[0], "sichuan"))
    form.funds.special_account.annual_budget = 5000.0
    form.funds.unit_funds.executed = 300.0
    [again] = read_file(write_form(form, tmp_path / "四川.xlsx", SHANGHAI))
    assert again.funds.special_account.annual_budget == 5000.0
    assert again.funds.unit_funds.executed == 300.0


def test_a_project_list_chooses_each_projects_layout(tmp_path, capsys):
    projects = tmp_path / "清单.yaml"
    indicators = (  # a complete list: build refuses one whose forms would be wrong
        "    主管部门: 某局\n    实施单位: 某中心\n    指标:\n"
        "      - {一级指标: 产出指标, 二级指标: 数量指标, 三级指标: 完成率, 年度指标值: '=100%', 分值: 50}\n"
        "      - {一级指标: 效益指标, 二级指标: 社会效益指标, 三级指标: 效果, 年度指标值: 提升, 分值: 30}\n"
        "      - {一级指标: 满意度指标, 二级指标: 服务对象满意度指标, 三级指标: 满意度, 年度指标值: '>=90%', 分值: 10}\n"
    )
    projects.write_text(
        "项目:\n"
        "  - 项目名称: 甲项目\n"
        "    表样: sichuan\n"
        "    资金:\n"
        "      年度资金总额: {年初预算数: 100, 全年预算数: 120}\n"
        "      当年财政拨款: {年初预算数: 80, 全年预算数: 100}\n"
        "      财政专户管理资金: {年初预算数: 20, 全年预算数: 20}\n"
        + indicators
        + "  - 项目名称: 乙项目\n    资金:\n      年度资金总额: {全年预算数: 50}\n"
        + indicators,
        encoding="utf-8",
    )
    out = tmp_path / "out"
    args = ["build", "--projects", str(projects), "--layout", "standard", "--out", str(out)]
    assert cli(args) == 0
    forms = {f.header.project: f for p in sorted(out.glob("*.xlsx")) for f in read_file(p)}
    assert {name: f.layout for name, f in forms.items()} == {
        "甲项目": "sichuan",
        "乙项目": "standard",
    }
    assert forms["甲项目"].funds.special_account.annual_budget == 20


def test_a_project_list_naming_an_unknown_layout_is_refused(tmp_path, capsys):
    projects = tmp_path / "清单.yaml"
    projects.write_text("项目:\n  - 项目名称: 甲项目\n    表样: 广东\n", encoding="utf-8")
    assert cli(["build", "--projects", str(projects), "--out", str(tmp_path / "out")]) == 2
    assert "表样应为" in capsys.readouterr().err and not (tmp_path / "out").exists()


@pytest.fixture
def province(tmp_path, monkeypatch):
    """The layouts folder with one more file, as a maintainer would add it."""
    from selfeval.layouts import layout as module

    folder = tmp_path / "layouts"
    folder.mkdir()
    for name in LAYOUT_NAMES:
        (folder / f"{name}.toml").write_bytes(
            (module.layouts_folder() / f"{name}.toml").read_bytes()
        )
    national = (folder / "national.toml").read_text(encoding="utf-8")
    guangdong = national.replace('title = "项目支出绩效自评表"', 'title = "绩效目标自评表"')
    guangdong = guangdong.replace('"<goal.achieved>"', '"<goal.achieved=全年实际完成情况>"')
    guangdong += '\n[table.words]\nactual = "全年实际值"\npoints = "权重"\n'
    guangdong = guangdong.replace('[table]\nouter = "绩效\\n指标"\n', "[table]\n")
    (folder / "guangdong.toml").write_text(guangdong, encoding="utf-8")
    caches = (module.available_layouts, module.layout_spec, module._built)

    def clear():
        for cached in caches:
            cached.cache_clear()

    monkeypatch.setattr(module, "layouts_folder", lambda: folder)
    clear()
    yield "guangdong"
    monkeypatch.undo()
    clear()


def test_a_province_is_added_by_adding_a_file(province, tmp_path, capsys):
    assert cli(["build", "--year", "2026", "--layout", province, "--out", str(tmp_path)]) == 0
    [blank] = (tmp_path / "2026").glob("*.xlsx")
    assert blank.name == "绩效目标自评表_2026.xlsx"
    ws = openpyxl.load_workbook(blank)["自评表"]
    layout = build_layout(province)
    headings = [ws[f"{col}{layout.table_header_row}"].value for col in layout.columns.values()]
    assert headings[4:6] == ["全年实际值", "权重"] and layout.columns["level1"] == "A"
    form = seed(SEEDS[0], province)
    [again] = read_file(write_form(form, tmp_path / "填好.xlsx", SHANGHAI))
    assert again.layout == province and again.formulas_overwritten == []
    assert analyse(again, SHANGHAI).total == analyse(form, SHANGHAI).total

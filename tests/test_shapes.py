"""The four further shapes of DOMAIN.md ("Other shapes to read"), each read as it is
(tests/fixtures/shapes/*.txt, the format of tests/fixtures/provinces: a tab per cell
boundary). No published example of them was found with the search tool, so each is
transcribed from DOMAIN.md's description in our own names and figures, with one real
mistake planted:

- category_weights: a 项目自评表 with a 预算执行情况(20分) block and no 分值 column, the
  weights only in the 一级 cells (产出指标(40分) …); 产出 scores add up to 42 of 40.
- wide_table: 指标值设置依据 | 上年完成值 | 指标分值权重 | 指标赋分规则 | 佐证资料 | 完成率 |
  指标得分 beside the usual columns; 92% against ≥95% at full points.
- no_funds_score: 执行率 shown but not scored, 产出/效益/满意度 40/40/20; 总分 100 stated
  for 99.56.
- weight_share: 权重占比 (20%) with 折算得分, a 得分 out of 100 beside it; 86% against
  ≥90% at full points.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from selfeval.form.codes import Code
from selfeval.form.findings import Finding, Severity
from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.readers import Unreadable, read_file
from selfeval.rules.analysis import Analysis
from selfeval.rules.check import run_rules
from tests.relaid_forms import write_rows

SHAPES = Path(__file__).parent / "fixtures" / "shapes"
PROFILE = load_profile("national")

Rows = list[list[str]]

TOTALS = {  # the computed total (按填报得分) and the real mistakes of each
    "category_weights": (99.2, {Code.CATEGORY_SCORE_OVER}),  # 19.2 + 80: 产出 42 of 40
    "wide_table": (99.5, {Code.UNMET_FULL, Code.REASON_MISSING}),
    "no_funds_score": (99.56, {Code.TOTAL_MISMATCH}),  # the indicators alone, 19.56 for 88/90
    "weight_share": (98.15, {Code.UNMET_FULL, Code.REASON_MISSING}),  # 9.75 + 88.4
}


def rows_of(name: str) -> Rows:
    lines = (SHAPES / f"{name}.txt").read_text("utf-8").rstrip("\n").split("\n")
    return [line.split("\t") for line in lines]


def without_column(rows: Rows, heading: str) -> Rows:
    """The indicator table with its column ``heading`` taken out (cells right of it move left)."""
    head = next(r for r, line in enumerate(rows) if "三级指标" in line and heading in line)
    c = rows[head].index(heading)
    return rows[:head] + [line[:c] + line[c + 1 :] for line in rows[head:]]


def read_rows(rows: Rows, folder: Path, name: str = "form") -> list[Form | Unreadable]:
    return read_file(write_rows(rows, folder / f"{name}.xlsx", sheet="Sheet1"))


def one_form(items: list[Form | Unreadable]) -> Form:
    [form] = items
    assert isinstance(form, Form), form
    return form


def checked(form: Form) -> tuple[list[Finding], Analysis]:
    return run_rules(form, PROFILE)


def codes(findings: list[Finding], severity: Severity) -> set[str]:
    return {f.code for f in findings if f.severity == severity}


def assert_finding(findings: list[Finding], code: Code, cell: str | None = None) -> Finding:
    hits = [f for f in findings if f.code == code and (cell is None or f.cell == cell)]
    assert hits, f"{code} at {cell} not in {[(f.code, f.cell) for f in findings]}"
    return hits[0]


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Form]:
    folder = tmp_path_factory.mktemp("shapes")
    return {name: one_form(read_rows(rows_of(name), folder, name)) for name in TOTALS}


def test_every_shape_fixture_has_its_expectations() -> None:
    assert {p.stem for p in SHAPES.glob("*.txt")} == set(TOTALS)


@pytest.mark.parametrize("name", list(TOTALS))
def test_the_computed_total_is_right(forms: dict[str, Form], name: str) -> None:
    assert checked(forms[name])[1].total == TOTALS[name][0]


@pytest.mark.parametrize("name", list(TOTALS))
def test_the_planted_mistake_and_no_other_error_is_reported(
    forms: dict[str, Form], name: str
) -> None:
    assert codes(checked(forms[name])[0], Severity.ERROR) == TOTALS[name][1]


# (a) weights only in the 一级 cells


def test_weights_in_the_level1_cells_stand_for_the_missing_points_column(forms: dict) -> None:
    form = forms["category_weights"]
    assert form.points_by_category and form.funds.points == 20
    assert form.category_weights == {"产出指标": 40, "效益指标": 30, "满意度指标": 10}
    assert all(r.points is None and r.score is not None for r in form.indicators)
    findings, analysis = checked(form)
    assert analysis.points_total == 100  # 20 + 40 + 30 + 10: no POINTS_TOTAL
    assert not codes(findings, Severity.ERROR) & {Code.POINTS_MISSING, Code.POINTS_CATEGORY}


def test_a_category_scored_above_its_weight_is_an_error(forms: dict) -> None:
    over = assert_finding(checked(forms["category_weights"])[0], Code.CATEGORY_SCORE_OVER, "B7")
    assert (over.expected, over.found) == (40, 42) and "产出指标" in over.message


def test_the_checks_that_need_each_points_are_named_once(forms: dict) -> None:
    findings = checked(forms["category_weights"])[0]
    note = assert_finding(findings, Code.POINTS_BY_CATEGORY)
    assert note.severity == Severity.INFO and [f.code for f in findings].count(note.code) == 1
    assert all(code.value in note.message for code in (Code.SCORE_RANGE, Code.UNMET_FULL))


def test_without_weights_in_the_level1_cells_the_missing_points_column_is_named(
    tmp_path: Path,
) -> None:
    rows = [[c.split("(")[0] if c.endswith("分)") else c for c in line] for line in rows_of(
        "category_weights"
    )]  # fmt: skip
    [item] = read_rows(rows, tmp_path)
    assert isinstance(item, Unreadable) and item.code == Code.LAYOUT_UNRECOGNISED
    assert "“分值”" in item.why


# (b) wide tables


def test_a_wide_table_reads_its_points_and_scores_and_passes_the_extra_columns(
    forms: dict,
) -> None:
    form = forms["wide_table"]
    assert [r.points for r in form.indicators] == [20, 15, 15, 15, 15, 10]
    quality = form.indicators[1]
    assert (quality.name, quality.target, quality.actual) == ("服务站年度考核合格率", "≥95%", "92%")
    assert (quality.cells["points"], quality.cells["score"]) == ("I14", "K14")
    assert form.layout == "national" and form.funds.scored


def test_a_wide_table_without_its_score_column_names_it(tmp_path: Path) -> None:
    [item] = read_rows(without_column(rows_of("wide_table"), "指标得分"), tmp_path)
    assert isinstance(item, Unreadable) and "“得分”" in item.why and "分值" not in item.why


# (c) funds shown, not scored


def test_a_funds_block_without_points_or_score_is_not_scored(forms: dict) -> None:
    form = forms["no_funds_score"]
    assert not form.funds.scored and form.funds.total.stated_rate == 0.93
    findings, analysis = checked(form)
    assert analysis.funds_score is None and analysis.points_total == 100
    assert analysis.total == analysis.rules_total == 99.56
    assert not {f.code for f in findings} & {
        Code.FUNDS_SCORE,
        Code.FUNDS_MISSING,
        Code.POINTS_TOTAL,
        Code.POINTS_CATEGORY,
    }


def test_the_shown_rate_is_still_checked(tmp_path: Path) -> None:
    rows = [[("90.00%" if c == "93.00%" and line[0] == "年度资金总额" else c) for c in line]
            for line in rows_of("no_funds_score")]  # fmt: skip
    assert_finding(checked(one_form(read_rows(rows, tmp_path)))[0], Code.FUNDS_RATE)


def test_indicators_short_of_100_points_leave_the_funds_points_missing(tmp_path: Path) -> None:
    rows = [[("10" if c == "15" and line[3] == "改造农村户厕数量" else c) for c in line]
            if len(line) > 3 else line for line in rows_of("no_funds_score")]  # fmt: skip
    form = one_form(read_rows(rows, tmp_path))
    assert form.funds.scored
    assert assert_finding(checked(form)[0], Code.FUNDS_MISSING).field == "funds.points"


def test_a_form_without_points_column_names_it_even_without_funds_score(tmp_path: Path) -> None:
    [item] = read_rows(without_column(rows_of("no_funds_score"), "分值"), tmp_path)
    assert isinstance(item, Unreadable) and "“分值”" in item.why


# (d) 权重占比 with 折算得分


def test_a_weight_share_is_read_as_points_and_the_converted_score_as_score(forms: dict) -> None:
    form = forms["weight_share"]
    assert [r.points for r in form.indicators] == [20, 15, 15, 20, 10, 10]
    assert [r.score for r in form.indicators][3] == 18.4  # 折算得分, not the 92 beside it
    assert (form.funds.points, form.funds.stated_score) == (10, 9.75)
    assert form.stated_points_total == 100  # 合计 100%
    unmet = assert_finding(checked(form)[0], Code.UNMET_FULL, "H13")
    assert (unmet.found, unmet.expected) == (10, 9.56)


def test_a_weight_share_table_without_a_score_column_names_it(tmp_path: Path) -> None:
    rows = without_column(without_column(rows_of("weight_share"), "折算得分"), "得分")
    items = read_rows(rows, tmp_path)
    assert [i.code for i in items if isinstance(i, Unreadable)] == [Code.LAYOUT_UNRECOGNISED]
    assert "“得分”" in items[0].why


def test_the_shapes_survive_the_yaml_round_trip(forms: dict) -> None:
    for form in (forms["category_weights"], forms["no_funds_score"]):
        again = Form.from_dict(form.to_dict())
        assert (again.points_by_category, again.funds.scored) == (
            form.points_by_category,
            form.funds.scored,
        )
    assert "scored" not in forms["wide_table"].to_dict()["funds"]


@pytest.mark.parametrize("name", ["category_weights", "no_funds_score"])
def test_a_shape_a_template_cannot_hold_is_not_converted(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from selfeval.cli.main import main

    source = write_rows(rows_of(name), tmp_path / f"{name}.xlsx", sheet="Sheet1")
    before = source.read_bytes()
    out = tmp_path / "新表.xlsx"
    assert main(["convert", str(source), "-o", str(out)]) == 2
    assert "无法转换" in capsys.readouterr().err
    assert not out.exists() and source.read_bytes() == before

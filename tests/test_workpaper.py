"""selfeval review / validate 复核底稿.xlsx: the workpaper's formulas compute the engine's
figures in LibreOffice, and a filled workpaper's mistakes are each reported at their cell."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.form.workpaper import COLUMNS, LETTERS, SHEET, SUBTOTAL_LABEL, SUMMARY_SHEET
from selfeval.pipeline.results import check_paths
from selfeval.profiles.policy import load_profile
from selfeval.readers import read_file
from tests import libreoffice as lo

SEEDS = Path(__file__).parent / "fixtures" / "seed"
PROFILE = load_profile("national")
COL = {c.heading: LETTERS[c.key] for c in COLUMNS}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "收件"
    shutil.copytree(SEEDS, path, ignore=shutil.ignore_patterns("*.txt", "*.md"))
    return path


@pytest.fixture(scope="module")
def paper(folder: Path) -> Path:
    out = folder.parent / "复核底稿.xlsx"
    assert main(["review", str(folder), "-o", str(out)]) == 0
    return out


def form_spans(ws) -> list[tuple[int, int, int]]:  # type: ignore[no-untyped-def]
    """(first row, last row, 小计 row) of each form on the sheet."""
    spans, first = [], 2
    for r in range(2, ws.max_row + 1):
        if ws[f"{COL['一级指标']}{r}"].value == SUBTOTAL_LABEL:
            spans.append((first, r - 1, r))
            first = r + 1
    return spans


def fill(path: Path, edit) -> Path:  # type: ignore[no-untyped-def]
    """A copy of the workpaper with every 复核得分 = 建议得分 (or 自评得分), then ``edit``."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    for r in range(2, ws.max_row + 1):
        if ws[f"{COL['一级指标']}{r}"].value == SUBTOTAL_LABEL:
            continue
        suggested = ws[f"{COL['建议得分']}{r}"].value
        own = ws[f"{COL['自评得分']}{r}"].value
        score = next((v for v in (suggested, own) if isinstance(v, int | float)), 0)
        ws[f"{COL['复核得分']}{r}"] = score
        points = ws[f"{COL['分值']}{r}"].value
        if not isinstance(points, int | float) or score < points:
            ws[f"{COL['扣分原因']}{r}"] = "按评分规则重新计算"
    edit(ws)
    out = path.with_name(f"已填_{path.name}")
    wb.save(out)
    return out


def findings(path: Path) -> list[tuple[str, str]]:
    """(code, cell) of every finding ``selfeval validate --format json`` reports."""
    out = path.with_name(f"{path.stem}.json")
    main(["validate", str(path), "--format", "json", "-o", str(out)])
    [result] = json.loads(out.read_text(encoding="utf-8"))
    assert result["layout"] == "workpaper"
    return [(f["code"], f["cell"]) for f in result["findings"]]


def test_one_row_per_indicator_and_funds_with_the_engines_suggestion(folder, paper) -> None:
    results = [r for r in check_paths([folder], PROFILE) if r.form is not None]
    ws = load_workbook(paper)[SHEET]
    spans = form_spans(ws)
    assert len(spans) == len(results)
    for (first, last, _), r in zip(spans, results, strict=True):
        assert last - first + 1 == len(r.form.indicators) + 1  # 预算执行 + indicators
        assert ws[f"{COL['建议得分']}{first}"].value == r.analysis.funds_score
        for i, info in enumerate(r.analysis.indicators, first + 1):
            assert ws[f"{COL['建议得分']}{i}"].value == info.suggested
            for key in ("复核完成值", "复核得分", "扣分原因"):
                assert ws[f"{COL[key]}{i}"].value is None
                assert ws[f"{COL[key]}{i}"].protection.locked is False
    assert ws.protection.sheet


def test_a_blank_workpaper_is_read_back_as_one(paper) -> None:
    [item] = read_file(paper)
    assert type(item).__name__ == "Workpaper"
    assert {code for code, _ in findings(paper)} == {Code.WORKPAPER_SCORE_MISSING}


def test_a_correctly_filled_workpaper_has_no_finding(paper) -> None:
    assert findings(fill(paper, lambda ws: None)) == []


def test_planted_mistakes_are_each_reported_at_their_cell(paper, tmp_path) -> None:
    planted: dict[str, str] = {}

    def plant(ws) -> None:  # type: ignore[no-untyped-def]
        (f1, _, _), (f2, _, total2), (f3, _, _) = form_spans(ws)[:3]
        over, blank, no_reason = f1 + 1, f2 + 2, f3 + 1
        ws[f"{COL['复核得分']}{over}"] = ws[f"{COL['分值']}{over}"].value + 5
        ws[f"{COL['复核得分']}{blank}"] = None
        points = ws[f"{COL['分值']}{no_reason}"].value
        ws[f"{COL['复核得分']}{no_reason}"] = points - 1
        ws[f"{COL['扣分原因']}{no_reason}"] = None
        ws[f"{COL['偏离度']}{total2}"] = 0.5  # typed over the formula
        planted.update(
            WORKPAPER_SCORE_RANGE=f"{COL['复核得分']}{over}",
            WORKPAPER_SCORE_MISSING=f"{COL['复核得分']}{blank}",
            WORKPAPER_REASON_MISSING=f"{COL['扣分原因']}{no_reason}",
            WORKPAPER_DEVIATION=f"{COL['偏离度']}{total2}",
        )

    filled = fill(paper, plant)
    assert sorted(findings(filled)) == sorted(planted.items())
    assert main(["validate", str(filled)]) == 1  # errors among them


@pytest.mark.slow
def test_libreoffice_computes_the_engines_figures(libreoffice, folder, paper, tmp_path) -> None:
    results = [r for r in check_paths([folder], PROFILE) if r.form is not None]
    filled = fill(paper, lambda ws: None)
    recalc = lo.recalculate(filled, tmp_path / "recalculated")
    assert lo.error_cells(recalc) == {}
    values = lo.computed_values(recalc, SHEET)
    summary = lo.computed_values(recalc, SUMMARY_SHEET)
    spans = form_spans(load_workbook(filled)[SHEET])
    for n, ((_, _, total), r) in enumerate(zip(spans, results, strict=True), 2):
        a = r.analysis
        own = sum(
            x
            for x in [r.form.funds.stated_score, *(i.score for i in r.form.indicators)]
            if isinstance(x, float)
        )
        suggested = a.funds_score + sum(i.suggested or 0 for i in a.indicators)
        reviewed = (
            sum(i.suggested if i.suggested is not None else (i.score or 0) for i in a.indicators)
            + a.funds_score
        )
        assert values[f"{COL['自评得分']}{total}"] == pytest.approx(own)
        assert values[f"{COL['建议得分']}{total}"] == pytest.approx(suggested)
        assert values[f"{COL['复核得分']}{total}"] == pytest.approx(reviewed)
        deviation = round((own - reviewed) / own, 4)
        assert values[f"{COL['偏离度']}{total}"] == pytest.approx(deviation, abs=1e-9)
        assert summary[f"H{n}"] == pytest.approx(deviation, abs=1e-9)
        assert (summary[f"I{n}"], summary[f"J{n}"], summary[f"K{n}"]) == (0, 0, 0)
    # LibreOffice's cached 偏离度 agrees with the checker's: no WORKPAPER_DEVIATION.
    assert findings(recalc) == []


def test_the_addins_validate_button_checks_an_open_workpaper(paper, monkeypatch) -> None:
    from selfeval.excel import buttons
    from selfeval.excel.workbook import RESULTS_SHEET
    from tests.xlwings_payload import enable_remote_engine, press

    enable_remote_engine(monkeypatch)

    def plant(ws) -> None:  # type: ignore[no-untyped-def]
        first = form_spans(ws)[0][0]
        ws[f"{COL['复核得分']}{first + 1}"] = 999

    filled = fill(paper, plant)
    applied, _ = press(buttons.validate_book, filled, desktop=True)
    rows = list(load_workbook(filled)[RESULTS_SHEET].iter_rows(min_row=2, values_only=True))
    assert [(r[1], r[2].split('"')[1]) for r in rows] == [
        (Code.WORKPAPER_SCORE_RANGE, f"#'{SHEET}'!{COL['复核得分']}3")
    ]
    assert applied.alerts[0].startswith("已检查复核底稿")

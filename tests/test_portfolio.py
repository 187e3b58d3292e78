"""selfeval report: a folder of a few hundred forms (seeds plus variants with known
mistakes, some unreadable files) summarised as HTML, CSV and xlsx; every figure in
each output is checked against what the rules say about the forms we wrote."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from selfeval.cli.main import main
from selfeval.form.codes import Code
from selfeval.form.findings import Finding, Severity
from selfeval.form.model import Form
from selfeval.form.safe_text import csv_text
from selfeval.form.values import number
from selfeval.pipeline.results import check_paths
from selfeval.profiles.policy import load_profile
from selfeval.readers import supported_suffixes
from selfeval.readers.formfile import dump_form_file
from selfeval.reports.places import where
from selfeval.reports.portfolio import build, render, summarise
from selfeval.reports.portfolio.charts import RATE_BARS
from selfeval.rules.analysis import analyse
from selfeval.rules.check import validate
from selfeval.rules.crossform import CrossForm, record
from tests.forms import make_form
from tests.test_portfolio_folder import MUTATIONS, UNREADABLE, Folder, build_folder

N_FORMS = 290
PROFILE = load_profile("national")


@dataclass
class Expected:
    """The figures every output must show, computed from the forms themselves."""

    forms: int
    unreadable: int
    codes: Counter[str]
    errors: int
    warnings: int
    mismatched: int
    excellent_with_errors: int
    budget: float
    grades: Counter[str]
    duplicates: int = 0
    cross: Counter[str] = field(default_factory=Counter)  # the cross-form checks' codes

    @property
    def reported(self) -> Counter[str]:
        """Every code a report counts: the forms' own and the cross-form checks'."""
        return self.codes + self.cross


def project_key(form: Form) -> tuple[object, ...]:
    h = form.header
    return (h.year, *("".join(n.split()) for n in (h.department, h.implementer, h.project)))


def expected(folder: Folder) -> Expected:
    codes: Counter[str] = Counter()
    errors = warnings = mismatched = excellent = 0
    grades: Counter[str] = Counter()
    seen: set[tuple[object, ...]] = set()
    unique = []
    for form in folder.forms:
        if project_key(form) not in seen:
            seen.add(project_key(form))
            unique.append(form)
        found = validate(form, PROFILE)
        codes.update(f.code for f in found)
        n_err = sum(f.severity is Severity.ERROR for f in found)
        errors += n_err
        warnings += sum(f.severity is Severity.WARNING for f in found)
        total, stated = analyse(form, PROFILE).total, number(form.stated_total)
        if form is unique[-1]:
            grades[PROFILE.grade(total) if total is not None else None] += 1
        mismatched += total is not None and (stated is None or abs(stated - total) > 0.01 + 1e-9)
        excellent += n_err > 0 and "优" in {
            PROFILE.grade(x) for x in (total, stated) if x is not None
        }
    cross = CrossForm()
    for i, form in enumerate(unique, 1):
        cross.add(record(i, form, analyse(form, PROFILE)))
    found = [f for each in cross.finish().findings.values() for f in each]
    codes[Code.READ_ERROR] += 2  # broken.yaml, latin1.yaml
    codes[Code.LAYOUT_UNRECOGNISED] += 1  # not_a_form.json
    budget = sum(number(f.funds.total.annual_budget) or 0 for f in unique)
    return Expected(
        len(unique),
        len(folder.unreadable),
        codes,
        errors + len(folder.unreadable),
        warnings,
        mismatched,
        excellent,
        budget,
        grades,
        len(folder.forms) - len(unique),
        Counter(f.code for f in found),
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Folder:
    return build_folder(tmp_path_factory.mktemp("forms") / "收件", N_FORMS)


@pytest.fixture(scope="module")
def want(folder: Folder) -> Expected:
    return expected(folder)


@pytest.fixture(scope="module")
def outputs(folder: Folder) -> dict[str, Path]:
    """The three reports, made by the command line; each run exits 2 (unreadable inputs)."""
    out = {}
    for fmt in ("html", "csv", "xlsx"):
        path = folder.path.parent / f"汇总.{fmt}"
        assert main(["report", str(folder.path), "-o", str(path)]) == 2
        out[fmt] = path
    return out


@pytest.mark.slow  # builds a folder of forms
def test_folder_holds_known_mistakes(folder: Folder, want: Expected) -> None:
    assert want.forms + want.duplicates >= N_FORMS and want.unreadable >= len(UNREADABLE)
    for kind, code in MUTATIONS.items():
        if code:
            assert want.codes[code] >= folder.mutations[kind], kind
    assert want.mismatched >= folder.mutations["break_total"]
    assert want.excellent_with_errors > 0
    assert all(want.grades[g] for g in ("优", "良", "中", "差"))


# -- HTML ------------------------------------------------------------------------------


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"><b>([^<]*)</b>', html)
    assert match, name
    return match[1]


def table_rows(html: str, table_id: str) -> int:
    match = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    return match[0].count("<tr data-index=") if match else 0


@pytest.mark.slow  # builds a folder of forms
def test_html_figures(outputs: dict[str, Path], want: Expected) -> None:
    html = outputs["html"].read_text(encoding="utf-8")
    assert figure(html, "forms") == str(want.forms)
    assert figure(html, "unreadable") == str(want.unreadable)
    assert figure(html, "errors") == str(want.errors)
    assert figure(html, "warnings") == str(want.warnings)
    assert figure(html, "mismatched") == str(want.mismatched)
    assert figure(html, "excellent-with-errors") == str(want.excellent_with_errors)
    assert figure(html, "budget") == f"{want.budget:,.2f}"
    for grade in ("优", "良", "中", "差"):  # the histogram's legend
        assert f">{grade} {want.grades[grade]} 份</text>" in html
    counts = {c: int(n) for c, n in re.findall(r'data-code="(\w+)" data-count="(\d+)"', html)}
    assert counts == dict(want.reported)
    assert html.count('<tr id="row-') == want.forms + want.duplicates + want.unreadable
    assert table_rows(html, "mismatched") == want.mismatched
    assert table_rows(html, "excellent-with-errors") == want.excellent_with_errors
    assert table_rows(html, "unreadable") == want.unreadable
    assert html.count('<tr data-code="') == sum(want.reported.values()) + len(want.reported)


@pytest.mark.slow  # builds a folder of forms
def test_html_is_self_contained(outputs: dict[str, Path]) -> None:
    html = outputs["html"].read_text(encoding="utf-8")
    assert not re.search(r"<(link|img|iframe|object)\b|\bsrc=|url\(|@import", html)
    assert not re.search(r'href="(https?:|//)', html)
    assert html.count("<svg") == 3 and "@media print" in html
    # links to the files are relative to the report, with the cell when one is known
    assert 'href="%E6%94%B6%E4%BB%B6/' in html  # 收件/
    if ".xlsx" in supported_suffixes():  # a finding in a workbook links to its cell
        assert re.search(r'\.xlsx#&#39;[^"]+&#39;!C\d+">自评表!C\d+</a>', html)


def test_where_names_the_cell_or_the_field() -> None:
    assert (
        where(Finding(Code.SCORE_MISSING, "indicators[3].score", sheet="表1", cell="G9"))
        == "表1!G9"
    )
    assert where(Finding(Code.SCORE_MISSING, "indicators[3].score")) == "指标第4行·得分"
    assert (
        where(Finding(Code.FUNDS_SUM, "funds.total.executed")) == "项目资金·年度资金总额·全年执行数"
    )


@pytest.mark.slow  # builds a folder of forms
def test_html_stands_out_at_the_top(outputs: dict[str, Path]) -> None:
    html = outputs["html"].read_text(encoding="utf-8")
    assert html.index('id="attention"') < html.index('id="charts"') < html.index('id="summary"')
    for name in UNREADABLE:
        assert name in html[: html.index('id="charts"')]


def test_amounts_in_wan_yuan_are_summed_in_yuan(tmp_path: Path) -> None:
    yuan = make_form(budget=819700.0, executed=812000.0, rate=0.9907, funds_score=9.91)
    wan = make_form(budget=81.97, executed=81.2, rate=0.9907, funds_score=9.91)
    wan.funds.unit = "万元"
    wan.header.project = "另一个项目"  # the same project twice would be counted once
    write_forms(tmp_path / "in", yuan, wan)
    portfolio = summarise(check_paths([tmp_path / "in"], PROFILE), PROFILE)
    assert [r.budget for r in portfolio.rows] == [819700.0, pytest.approx(819700.0)]
    assert portfolio.budget_total == pytest.approx(1639400.0)


@pytest.mark.slow  # builds a folder of forms
def test_rate_chart_lists_the_lowest_rates_when_many(outputs: dict[str, Path], want: Expected):
    html = outputs["html"].read_text(encoding="utf-8")
    assert f"此处列出执行率最低的 {RATE_BARS} 个" in html


def test_an_empty_portfolio_still_renders() -> None:
    portfolio = summarise([], PROFILE)
    html = render(portfolio, "html").decode()
    assert 'data-figure="forms"><b>0</b>' in html and "未发现任何问题" in html
    assert render(portfolio, "csv").decode("utf-8-sig").startswith("序号,")
    assert load_workbook(io.BytesIO(render(portfolio, "xlsx")))["汇总"].max_row == 1


# -- CSV and xlsx ------------------------------------------------------------------------


def parse_codes(text: str) -> Counter[str]:
    out: Counter[str] = Counter()
    for item in text.split():
        code, _, n = item.partition("×")
        out[code] += int(n or 1)
    return out


def check_table(rows: list[dict[str, object]], want: Expected) -> None:
    assert len(rows) == want.forms + want.duplicates + want.unreadable
    assert [int(r["序号"]) for r in rows] == list(range(1, len(rows) + 1))
    assert sum(int(r["错误"]) for r in rows) == want.errors
    assert sum(int(r["警告"]) for r in rows) == want.warnings
    total: Counter[str] = Counter()
    for r in rows:
        total += parse_codes(str(r["问题代码"] or ""))
    assert total == want.reported
    flags = Counter(f for r in rows for f in str(r["重点关注"] or "").split("；") if f)
    assert flags["总分与计算不符"] == want.mismatched
    assert flags["评为优但有错误"] == want.excellent_with_errors
    counted = [r for r in rows if "重复提交" not in str(r["重点关注"] or "")]
    assert len(rows) - len(counted) == want.duplicates
    budget = sum(float(r["全年预算数（元）"] or 0) for r in counted)
    assert budget == pytest.approx(want.budget)


@pytest.mark.slow  # builds a folder of forms
def test_streamed_reports_equal_rendered_ones(folder: Folder) -> None:
    """build() writes while checking; render() from the summarised rows: same files."""
    results = list(check_paths([folder.path], PROFILE))
    portfolio, files = build(results, PROFILE, ["csv", "xlsx"])
    assert files["csv"] == render(summarise(results, PROFILE), "csv")
    assert len(portfolio.rows) == len(results)
    assert not any(r.findings for r in portfolio.rows)  # compact: counts kept, findings gone
    assert portfolio.errors == summarise(results, PROFILE).errors
    rendered = load_workbook(io.BytesIO(render(summarise(results, PROFILE), "xlsx")))
    streamed = load_workbook(io.BytesIO(files["xlsx"]))
    for name in ("汇总", "问题统计", "问题明细"):
        rows = [list(ws.values) for ws in (rendered[name], streamed[name])]
        assert rows[0] == rows[1], name


@pytest.mark.slow  # builds a folder of forms
def test_csv_figures(outputs: dict[str, Path], want: Expected) -> None:
    raw = outputs["csv"].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens the Chinese correctly
    check_table(list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))), want)


@pytest.mark.slow  # builds a folder of forms
def test_xlsx_figures(outputs: dict[str, Path], want: Expected) -> None:
    wb = load_workbook(outputs["xlsx"])
    ws = wb["汇总"]
    head = [c.value for c in ws[1]]
    rows = [dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)]
    check_table(rows, want)
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(head)).column_letter}{len(rows) + 1}"
    assert ws.freeze_panes == "A2"
    rated = next(r for r in ws.iter_rows(min_row=2) if r[6].value is not None)
    assert (rated[5].number_format, rated[6].number_format) == ("#,##0.00", "0.00%")
    codes = {r[0]: r[3] for r in wb["问题统计"].iter_rows(min_row=2, values_only=True) if r[3]}
    assert codes == dict(want.reported)
    details = wb["问题明细"]
    cross_warnings = sum(n for c, n in want.cross.items() if Code(c).severity is Severity.WARNING)
    # notes (提示) are left out
    assert details.max_row - 1 == want.errors + want.warnings + cross_warnings
    assert details.auto_filter.ref


# -- formula injection --------------------------------------------------------------------

INJECTIONS = ['=HYPERLINK("http://x","y")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1"]


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    folder = tmp_path_factory.mktemp("inject")
    for i, text in enumerate(INJECTIONS):
        form = make_form()
        form.header.project = text
        form.header.department = text
        dump_form_file([form], folder / f"f{i}.yaml")
    portfolio = summarise(check_paths([folder], PROFILE), PROFILE)
    return {fmt: render(portfolio, fmt, folder) for fmt in ("html", "csv", "xlsx")}


def test_csv_text_escapes_formulas() -> None:
    assert csv_text("=1+1") == "'=1+1"
    assert csv_text("＝1") == "'＝1"
    assert csv_text("\t=1") == "'\t=1"
    assert csv_text("检察业务费") == "检察业务费"
    assert csv_text("") == ""


def test_csv_escapes_formulas(injected: dict[str, bytes]) -> None:
    rows = list(csv.DictReader(io.StringIO(injected["csv"].decode("utf-8-sig"))))
    assert sorted(r["项目名称"] for r in rows) == sorted("'" + t for t in INJECTIONS)
    assert sorted(r["主管部门"] for r in rows) == sorted("'" + t for t in INJECTIONS)


def test_xlsx_keeps_formulas_as_text(injected: dict[str, bytes]) -> None:
    wb = load_workbook(io.BytesIO(injected["xlsx"]))
    ws = wb["汇总"]
    projects = [ws.cell(r, 4) for r in range(2, ws.max_row + 1)]
    assert sorted(c.value for c in projects) == sorted(INJECTIONS)
    assert all(c.data_type == "s" and c.quotePrefix for c in projects)
    with zipfile.ZipFile(io.BytesIO(injected["xlsx"])) as z:
        sheets = [z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")]
    assert not any(b"<f>" in s or b"<f " in s for s in sheets)


def test_html_escapes_text(tmp_path: Path) -> None:
    form = make_form()
    form.header.project = '<script>alert("x")</script>'
    dump_form_file([form], tmp_path / "a.yaml")
    html = render(summarise(check_paths([tmp_path], PROFILE), PROFILE), "html").decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


# -- command line ---------------------------------------------------------------------------


def write_forms(folder: Path, *forms: Form) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i, form in enumerate(forms):
        dump_form_file([form], folder / f"f{i}.yaml")
    return folder


def test_exit_status_follows_validate(tmp_path: Path) -> None:
    clean = write_forms(tmp_path / "clean", make_form())
    assert main(["report", str(clean), "-o", str(tmp_path / "a.html")]) == 0
    wrong = write_forms(tmp_path / "wrong", make_form(total=80.0))
    assert main(["report", str(wrong), "-o", str(tmp_path / "b.csv")]) == 1
    assert Code.TOTAL_MISMATCH in (tmp_path / "b.csv").read_text(encoding="utf-8-sig")


def test_format_option_overrides_suffix(tmp_path: Path) -> None:
    forms = write_forms(tmp_path / "in", make_form())
    out = tmp_path / "汇总.dat"
    assert main(["report", str(forms), "-o", str(out), "--format", "xlsx"]) == 0
    assert zipfile.is_zipfile(out)


def test_cli_formats_are_the_portfolio_formats() -> None:
    # The CLI keeps its own copy so that --help does not import the report writers.
    from selfeval.cli import report
    from selfeval.reports.portfolio import FORMATS

    assert report.FORMATS == FORMATS
    assert set(report.SUFFIX_FORMATS.values()) == set(FORMATS)


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing_dir", "-o", "r.html"], "找不到"),
        (["in", "-o", "r.txt"], "无法从文件名"),
        (["in", "-o", "no_such_dir/r.html"], "不存在"),
        (["in", "-o", "in/f0.yaml", "--format", "csv"], "与输入文件相同"),
        (["empty", "-o", "r.html"], "没有找到"),
        (["in", "-o", "r.html", "--profile", "nowhere"], "评分口径"),
        (["in", "-o", "empty", "--format", "html"], "是文件夹"),
    ],
)
def test_bad_arguments_write_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    write_forms(tmp_path / "in", make_form())
    (tmp_path / "empty").mkdir()
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    original = (tmp_path / "in" / "f0.yaml").read_bytes()
    assert main(["report", *args]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*")) == before
    assert (tmp_path / "in" / "f0.yaml").read_bytes() == original


@pytest.mark.slow  # builds a folder of forms
def test_progress_bar_for_large_folders(folder: Folder, tmp_path: Path, monkeypatch, capsys):
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    main(["report", str(folder.path), "-o", str(tmp_path / "r.csv")])
    err = capsys.readouterr().err
    assert f"{len(list(folder.path.rglob('*.*')))}/" in err and "[####" in err


def test_links_to_a_sheet_with_a_quote_in_its_name_match_excel():
    from selfeval.form.findings import Finding
    from selfeval.reports.html import cell_link
    from selfeval.reports.portfolio.html import Links

    finding = Finding(Code.SCORE_RANGE, "indicators[0].score", sheet="张三's 表", cell="G21")
    href = Links(None).href("表.xlsx", finding)
    assert href.endswith("#'%E5%BC%A0%E4%B8%89''s%20%E8%A1%A8'!G21")
    assert cell_link("表.xlsx", "张三's 表", "G21").endswith(href.split("#")[1])


def test_validation_report_links_are_relative_to_the_report(tmp_path: Path) -> None:
    from tests.seed_workbooks import write_seed_workbooks

    [book, *_] = write_seed_workbooks(tmp_path / "收件")
    out = tmp_path / "报告" / "校验.html"
    out.parent.mkdir()
    main(["validate", str(book), "--format", "html", "-o", str(out)])
    links = re.findall(r'href="([^"#]+)#', out.read_text(encoding="utf-8"))
    assert links and "file:" not in out.read_text(encoding="utf-8")
    assert all((out.parent / unquote(link)).resolve() == book.resolve() for link in links)

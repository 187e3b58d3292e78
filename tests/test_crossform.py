"""Checks across forms (跨表检查) and duplicate submissions: a folder built for each
anomaly raises it, with the forms it concerns; clean folders raise nothing."""

from __future__ import annotations

import copy
import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.pipeline.results import check_paths
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import dump_form_file
from selfeval.reports.portfolio import Portfolio, render, summarise
from selfeval.rules.crossform import SIMILARITY, jaccard, shingles
from tests.forms import make_form

PROFILE = load_profile("national")

SCHOOL = [
    ("产出指标", "数量指标", "资助学生人数", ">=1200人", "1250人", 20, 20),
    ("产出指标", "质量指标", "资助资金足额发放率", "=100%", "100%", 15, 15),
    ("产出指标", "时效指标", "资助资金发放及时性", "及时", "及时", 15, 15),
    ("效益指标", "社会效益指标", "家庭经济困难学生辍学率", "=0", "0", 30, 30),
    ("满意度指标", "服务对象满意度指标", "受助学生满意度", ">=90%", "95%", 10, 10),
]
ROADS = [
    ("产出指标", "数量指标", "道路养护里程", ">=35公里", "36公里", 20, 20),
    ("产出指标", "质量指标", "路面优良率", ">=85%", "88%", 15, 15),
    ("产出指标", "成本指标", "每公里养护成本", "<=3万元", "2.9万元", 15, 15),
    ("效益指标", "社会效益指标", "道路通行事故起数", "=0起", "0起", 30, 30),
    ("满意度指标", "服务对象满意度指标", "沿线群众满意度", ">=85%", "90%", 10, 10),
]
ARCHIVE = [
    ("产出指标", "数量指标", "档案数字化页数", ">=50000页", "52000页", 20, 20),
    ("产出指标", "质量指标", "扫描图像合格率", ">=98%", "99%", 15, 15),
    ("产出指标", "时效指标", "年底前完成入库", "12月底前", "11月", 15, 15),
    ("效益指标", "可持续影响指标", "档案查阅效率提升", "提升", "基本提升", 30, 21),
    ("满意度指标", "服务对象满意度指标", "查档群众满意度", ">=90%", "93%", 10, 10),
]
ARCHIVE_FULL = [*ARCHIVE[:3], (*ARCHIVE[3][:4], "提升", 30, 30), ARCHIVE[4]]
LIBRARY = [
    ("产出指标", "数量指标", "新增馆藏图书册数", ">=8000册", "8100册", 20, 20),
    ("产出指标", "质量指标", "图书编目差错率", "<=1%", "0.5%", 15, 15),
    ("产出指标", "时效指标", "图书上架周期", "<=30天", "25天", 15, 15),
    ("效益指标", "社会效益指标", "年度借阅人次增长", ">=5%", "4%", 30, 24),
    ("满意度指标", "服务对象满意度指标", "读者满意度", ">=90%", "91%", 10, 10),
]

GOALS = {
    "school": "按时足额发放家庭经济困难学生生活补助，保障困难学生顺利完成学业，不因贫失学。",
    "roads": "完成辖区农村公路日常养护和路面修补，保持道路安全畅通，改善群众出行条件。",
    "archive": "完成历史纸质档案数字化扫描与著录，建立档案数字资源库，方便群众在线查档。",
    "library": "采购新书并完成编目上架，丰富公共图书馆馆藏，满足读者多样化阅读需求。",
}


def form(
    unit: str,
    project: str,
    rows: list,
    goal: str,
    *,
    reasons: dict[int, str] | None = None,
    **funds: object,
) -> Form:
    f = make_form(rows, reasons=reasons, **funds)
    f.header.implementer = f.header.department = unit
    f.header.project = project
    f.goals.planned = goal
    f.goals.achieved = ""
    return f


def clean_forms() -> list[Form]:
    """Two units of two forms each: different texts, points lost with their own reasons."""
    return [
        form("第一中学", "学生资助", SCHOOL, GOALS["school"]),
        form(
            "第一中学",
            "图书采购",
            LIBRARY,
            GOALS["library"],
            reasons={3: "读者到馆人数受场馆改造影响，明年延长开放时间。"},
        ),
        form("公路管理站", "农村公路养护", ROADS, GOALS["roads"]),
        form(
            "公路管理站",
            "养护档案数字化",
            ARCHIVE,
            GOALS["archive"],
            reasons={3: "档案系统接口尚在联调，查阅效率仅部分提升。"},
            executed=70000.0,
            rate=0.7,
            funds_score=7.0,
        ),
    ]


def portfolio_of(tmp_path: Path, forms: list[Form]) -> Portfolio:
    folder = tmp_path / "收件"
    folder.mkdir()
    for i, f in enumerate(forms):
        dump_form_file([f], folder / f"表{i:02d}.yaml")
    return summarise(check_paths([folder], PROFILE), PROFILE)


def test_a_clean_folder_raises_no_cross_form_finding(tmp_path: Path) -> None:
    p = portfolio_of(tmp_path, clean_forms())
    assert p.cross.empty and not p.duplicates, p.cross
    assert not any(r.flags for r in p.rows)


def test_text_copied_across_two_units_is_shown_side_by_side(tmp_path: Path) -> None:
    forms = clean_forms()
    copied = form(
        "民族事务中心", "民族文化活动", SCHOOL, GOALS["school"].replace("按时足额", "按时")
    )
    p = portfolio_of(tmp_path, [*forms, copied])
    pairs = {(x.label, x.left, x.right) for x in p.cross.similar}
    assert pairs == {("年度目标", 1, 5), ("指标名称", 1, 5)}
    goal = next(x for x in p.cross.similar if x.label == "年度目标")
    assert goal.left_text.text == GOALS["school"] != goal.right_text.text
    assert SIMILARITY <= goal.similarity < 1
    html = render(p, "html").decode()
    assert 'id="similar-texts"' in html and GOALS["school"] in html
    summary_row = re.search(r'<tr id="row-5" class="flagged">.*?</tr>', html)
    assert summary_row and "年度目标与第 1 份近似" in summary_row[0]
    assert "年度目标与第 5 份近似" in render(p, "csv").decode("utf-8-sig")


def test_numbers_changed_in_a_copied_text_still_count() -> None:
    a = "完成养护道路35公里，路面优良率达到85%以上，群众满意度90%。"
    b = "完成养护道路42公里，路面优良率达到88%以上，群众满意度95%。"
    assert jaccard(shingles(a), shingles(b)) == 1.0


def test_the_same_project_of_the_same_unit_is_not_a_copy(tmp_path: Path) -> None:
    forms = clean_forms()
    again = copy.deepcopy(forms[0])
    again.header.year = 2025  # last year's form of the same project
    p = portfolio_of(tmp_path, [*forms, again])
    assert not p.cross.similar


def test_a_unit_whose_every_project_scored_100_is_listed(tmp_path: Path) -> None:
    full = {"executed": 100000.0, "rate": 1.0, "funds_score": 10.0}
    forms = [
        *clean_forms(),
        form("档案馆", "档案数字化", ARCHIVE_FULL, GOALS["archive"], **full),
        form("档案馆", "新书采购", LIBRARY[:3] + SCHOOL[3:4] + LIBRARY[4:], "购书编目。", **full),
    ]
    forms[-1].indicators[3].name = "馆藏利用率"
    p = portfolio_of(tmp_path, forms)
    assert [(u.unit, u.forms, u.every_total) for u in p.cross.full_units] == [
        ("档案馆", (5, 6), True)
    ]
    assert "单位每个项目自评均为 100 分" in p.rows[4].flags


def test_a_unit_whose_every_indicator_is_full_is_listed(tmp_path: Path) -> None:
    forms = clean_forms()
    forms[1].indicators[3].score = 30.0  # the library's one lost point given back
    forms[1].indicators[3].reason = ""
    p = portfolio_of(tmp_path, forms)
    assert [(u.unit, u.every_total) for u in p.cross.full_units] == [("第一中学", False)]
    assert p.cross.full_units[0].what == "全部指标均为满分"


def test_a_unit_with_one_form_is_not_listed(tmp_path: Path) -> None:
    p = portfolio_of(tmp_path, [clean_forms()[0]])
    assert not p.cross.full_units


def test_the_same_reason_on_many_rows_is_listed(tmp_path: Path) -> None:
    forms = clean_forms()
    same = "受疫情影响，部分工作未能按计划开展。"
    rows = [(*r[:6], r[5] - 2) for r in ROADS]
    forms[2] = form(
        "公路管理站", "农村公路养护", rows, GOALS["roads"], reasons=dict.fromkeys(range(4), same)
    )
    forms[2].stated_total = None
    p = portfolio_of(tmp_path, forms)
    [found] = p.cross.repeated_reasons
    assert (found.form, found.rows, found.reason) == (3, 4, same)
    assert found.places == ("指标第1行", "指标第2行", "指标第3行", "指标第4行")


def test_low_spending_with_full_output_marks_is_listed(tmp_path: Path) -> None:
    forms = clean_forms()
    forms[2] = form(
        "公路管理站",
        "农村公路养护",
        ROADS,
        GOALS["roads"],
        executed=1000.0,
        rate=0.01,
        funds_score=0.1,
    )
    p = portfolio_of(tmp_path, forms)
    assert [(x.form, x.rate) for x in p.cross.low_spend] == [(3, 0.01)]
    assert "执行率低而产出指标全满分" in p.rows[2].flags


def test_low_spending_with_a_lost_output_point_is_not_listed(tmp_path: Path) -> None:
    forms = clean_forms()
    rows = [ROADS[0][:6] + (15,), *ROADS[1:]]
    forms[2] = form(
        "公路管理站",
        "农村公路养护",
        rows,
        GOALS["roads"],
        executed=1000.0,
        rate=0.01,
        funds_score=0.1,
        reasons={0: "资金未到位，仅完成部分路段。"},
    )
    assert not portfolio_of(tmp_path, forms).cross.low_spend


def test_a_resubmitted_project_is_counted_once_and_listed(tmp_path: Path) -> None:
    forms = clean_forms()
    p = portfolio_of(tmp_path, [*forms, copy.deepcopy(forms[2])])
    assert [(r.index, r.duplicate_of) for r in p.duplicates] == [(5, 3)]
    assert len(p.forms) == 4
    assert p.budget_total == 4 * 100000.0
    assert not p.cross.similar  # a resubmission is not a copy from another unit
    csv = render(p, "csv").decode("utf-8-sig")
    assert "重复提交（同第 3 份，未重复计入）" in csv
    html = render(p, "html").decode()
    assert 'id="duplicates"' in html and "另有 1 份重复提交" in html


def test_xlsx_lists_cross_form_findings_on_their_own_sheet(tmp_path: Path) -> None:
    import io

    from openpyxl import load_workbook

    forms = clean_forms()
    copied = form("民族事务中心", "民族文化活动", SCHOOL, GOALS["school"])
    p = portfolio_of(tmp_path, [*forms, copied, copy.deepcopy(forms[3])])
    ws = load_workbook(io.BytesIO(render(p, "xlsx")))["需重点关注"]
    kinds = [row[0] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert kinds == ["重复提交", "年度目标近似（相似度 1.00）", "指标名称近似（相似度 1.00）"]
    goal = next(ws.iter_rows(min_row=3, max_row=3, values_only=True))
    assert goal[4] == goal[7] == GOALS["school"]


def test_prefix_filtering_finds_exactly_the_pairs_a_full_comparison_finds() -> None:
    import random

    from selfeval.rules.crossform import Text, _grams, _near

    rng = random.Random(13)
    alphabet = [chr(0x4E00 + i) for i in range(40)]
    bases = ["".join(rng.choices(alphabet, k=60)) for _ in range(6)]
    texts = set()
    for _ in range(120):  # copies of a few texts with one to three characters changed
        chars = list(rng.choice(bases))
        for _ in range(rng.randint(1, 3)):
            chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        texts.add("".join(chars))
    members = [[(None, Text("reason", t))] for t in sorted(texts)]
    sets = [_grams(t) for t in sorted(texts)]
    found = {(i, j) for i, j, _ in _near(members, sets)}
    full = {
        (i, j)
        for j in range(len(sets))
        for i in range(j)
        if jaccard(sets[i], sets[j]) >= SIMILARITY
    }
    assert found == full and len(full) > 20


def test_texts_are_compared_without_punctuation_and_with_numbers_as_hash() -> None:
    from selfeval.rules.crossform import normalise

    assert normalise("完成养护道路 35.5 公里，优良率85%以上。") == "完成养护道路#公里优良率#以上"


def low_spend_portfolio(tmp_path: Path) -> Portfolio:
    forms = clean_forms()
    money = {"executed": 1000.0, "rate": 0.01, "funds_score": 0.1}
    forms[2] = form("公路管理站", "农村公路养护", ROADS, GOALS["roads"], **money)
    return portfolio_of(tmp_path, forms)


def test_a_cross_form_check_is_a_finding_with_its_code(tmp_path: Path) -> None:
    p = low_spend_portfolio(tmp_path)
    [finding] = p.cross.findings[3]
    assert finding.code is Code.CROSS_LOW_SPEND and finding.message in p.rows[2].flags
    assert p.code_counts[Code.CROSS_LOW_SPEND] == p.code_forms[Code.CROSS_LOW_SPEND] == 1


def test_cross_form_findings_are_listed_and_exported_like_the_others(tmp_path: Path) -> None:
    p = low_spend_portfolio(tmp_path)
    code = Code.CROSS_LOW_SPEND
    html = render(p, "html").decode()
    assert html.count(f'data-code="{code}"') == 2  # 问题统计 and the form's findings
    table = list(csv.DictReader(io.StringIO(render(p, "csv").decode("utf-8-sig"))))
    assert code in table[2]["问题代码"] and code not in table[0]["问题代码"]
    book = load_workbook(io.BytesIO(render(p, "xlsx")))
    details = [row for row in book["问题明细"].iter_rows(values_only=True) if row[3] == code]
    assert [(row[0], row[5]) for row in details] == [(3, "执行率低而产出指标全满分")]
    assert any(row[0] == code for row in book["问题统计"].iter_rows(values_only=True))

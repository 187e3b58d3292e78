"""Both totals, named plainly: 按填报得分 (the unit's own scores) and 按规则应得 (what
rescoring writes), in text, HTML and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from selfeval.cli.main import main
from selfeval.profiles.policy import load_profile
from selfeval.writers.template import write_form
from tests.forms import GOOD_ROWS, make_form

ROOT = Path(__file__).resolve().parent.parent
UNMET = [
    *GOOD_ROWS[:-1],
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=90%", "86%", 10, 10),
]
"""Scored in full as filled (9.5 + 90 = 99.50); by the rules 9.56 for 86 % of 90 %: 99.06."""


@pytest.fixture
def form_file(tmp_path: Path) -> Path:
    return write_form(make_form(UNMET), tmp_path / "表.xlsx", load_profile("national"))


def run(capsys, *argv: str) -> str:
    main(list(argv))
    return capsys.readouterr().out


def test_text_names_both_totals(form_file, capsys):
    out = run(capsys, "validate", str(form_file))
    assert "总分：按填报得分 99.50（优），按规则应得 99.06（优）" in out
    assert "计算总分" not in out


def test_html_names_both_totals(form_file, capsys):
    page = run(capsys, "validate", str(form_file), "--format", "html")
    assert "总分（按填报得分）" in page and "99.50（优）" in page
    assert "总分（按规则应得）" in page and "99.06（优）" in page


def test_json_adds_the_rules_total_and_keeps_the_old_keys(form_file, capsys):
    (result,) = json.loads(run(capsys, "validate", str(form_file), "--format", "json"))
    computed = result["computed"]
    assert (computed["total"], computed["grade"]) == (99.5, "优")
    assert (computed["total_by_rules"], computed["grade_by_rules"]) == (99.06, "优")
    schema = json.loads((ROOT / "docs" / "selfeval-results.schema.json").read_text("utf-8"))
    jsonschema.validate([result], schema)
    assert {"total_by_rules", "grade_by_rules"} <= set(
        schema["items"]["properties"]["computed"]["properties"]
    )


def test_the_rules_total_is_what_rescore_writes(form_file, tmp_path, capsys):
    (result,) = json.loads(run(capsys, "validate", str(form_file), "--format", "json"))
    out = run(capsys, "rescore", str(form_file), "-o", str(tmp_path / "新.xlsx"))
    assert f"总分 {result['computed']['total_by_rules']:.2f}（优）" in out


def test_the_department_report_names_both_totals(form_file, tmp_path, capsys):
    out = tmp_path / "汇总.csv"
    main(["report", str(form_file), "-o", str(out)])
    capsys.readouterr()
    head, row = out.read_text("utf-8-sig").splitlines()[:2]
    columns = dict(zip(head.split(","), row.split(","), strict=True))
    assert (columns["按填报得分"], columns["按规则应得"]) == ("99.50", "99.06")
    assert "计算总分" not in head

"""One vocabulary: the form's field words are written once (selfeval/form/vocabulary.py)
and every module names them rather than re-typing them."""

from __future__ import annotations

import ast
from dataclasses import fields
from pathlib import Path

from selfeval.form import vocabulary
from selfeval.form.codes import Code
from selfeval.form.model import FUNDS_ROWS, FUNDS_SUBROWS, Funds, FundsRow
from selfeval.profiles.policy import load_profile
from selfeval.rules.analysis import analyse
from selfeval.rules.rescore import rescore
from tests.forms import assert_finding, make_form

PACKAGE = Path(__file__).resolve().parent.parent / "selfeval"
FIELD_WORDS = (
    "分值",
    "年度指标值",
    "实际完成值",
    "全年预算数",
    "全年执行数",
    "项目名称",
    "偏差原因",
)
MOST_MODULES = 4  # issue 18: the vocabulary, the message table, and little else


def field_word_literals(path: Path) -> list[tuple[int, str]]:
    """(line, text) of each string literal in ``path`` holding a field word, docstrings
    (a string standing alone as a statement, attribute docstrings included) aside."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
        and any(word in node.value for word in FIELD_WORDS)
    ]


def test_field_words_are_typed_in_at_most_four_modules():
    typed = {
        str(path.relative_to(PACKAGE)): hits
        for path in sorted(PACKAGE.rglob("*.py"))
        if (hits := field_word_literals(path))
    }
    assert len(typed) <= MOST_MODULES, "\n".join(f"{m}: {h[:3]}" for m, h in typed.items())


def test_the_scan_sees_words_in_f_strings_and_skips_docstrings(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        '"""项目名称 in a docstring."""\nX = 1\n"""分值 in an attribute docstring."""\n'
        'def f(n):\n    """年度指标值."""\n    return f"{n}分值" + "实际完成值"\n',
        encoding="utf-8",
    )
    assert sorted(field_word_literals(module)) == [(6, "分值"), (6, "实际完成值")]


def test_the_model_funds_rows_are_the_vocabulary_funds_rows():
    row_fields = [f.name for f in fields(Funds) if f.type in (FundsRow, "FundsRow")]
    assert list(FUNDS_ROWS) == list(vocabulary.FUNDS_ROWS) == row_fields
    assert FUNDS_ROWS[1:] == FUNDS_SUBROWS and "total" not in FUNDS_SUBROWS


def test_a_wrong_rate_on_any_sub_row_is_found_and_rescored():
    form = make_form()
    form.funds.unit_funds = FundsRow(None, 1000.0, 500.0, 0.8)  # 单位资金: 50 %, stated 80 %
    assert_finding(form, Code.FUNDS_RATE, "funds.unit_funds.stated_rate", expected=0.5)
    changes = {c.field: c.new for c in rescore(form).changes}
    assert changes["funds.unit_funds.stated_rate"] == 0.5


def test_a_zero_total_row_is_computed_from_every_sub_row():
    form = make_form(budget=0.0, executed=0.0, rate=None)
    form.funds.current = FundsRow(None, None, None)
    form.funds.special_account = FundsRow(None, 100000.0, 95000.0)  # 财政专户管理资金
    assert_finding(form, Code.FUNDS_SUM, "funds.total.annual_budget", expected=100000.0)
    assert analyse(form, load_profile("national")).execution_rate == 0.95

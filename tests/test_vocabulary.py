"""One vocabulary: the form's field words are written once (selfeval/form/vocabulary.py)
and every module names them rather than re-typing them."""

from __future__ import annotations

from dataclasses import fields

from selfeval.form import vocabulary
from selfeval.form.model import FUNDS_ROWS, FUNDS_SUBROWS, Funds, FundsRow
from selfeval.profiles.policy import load_profile
from selfeval.rules.analysis import analyse
from selfeval.rules.rescore import rescore
from tests.forms import assert_finding, make_form


def test_the_model_funds_rows_are_the_vocabulary_funds_rows():
    row_fields = [f.name for f in fields(Funds) if f.type in (FundsRow, "FundsRow")]
    assert list(FUNDS_ROWS) == list(vocabulary.FUNDS_ROWS) == row_fields
    assert FUNDS_ROWS[1:] == FUNDS_SUBROWS and "total" not in FUNDS_SUBROWS


def test_a_wrong_rate_on_any_sub_row_is_found_and_rescored():
    form = make_form()
    form.funds.unit_funds = FundsRow(None, 1000.0, 500.0, 0.8)  # 单位资金: 50 %, stated 80 %
    assert_finding(form, "FUNDS_RATE", "funds.unit_funds.stated_rate", expected=0.5)
    changes = {c.field: c.new for c in rescore(form).changes}
    assert changes["funds.unit_funds.stated_rate"] == 0.5


def test_a_zero_total_row_is_computed_from_every_sub_row():
    form = make_form(budget=0.0, executed=0.0, rate=None)
    form.funds.current = FundsRow(None, None, None)
    form.funds.special_account = FundsRow(None, 100000.0, 95000.0)  # 财政专户管理资金
    assert_finding(form, "FUNDS_SUM", "funds.total.annual_budget", expected=100000.0)
    assert analyse(form, load_profile("national")).execution_rate == 0.95

"""Excel-compatible rounding: the .5 boundaries where Python's round and Excel disagree."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from selfeval.form.xlmath import excel_round, excel_rounddown, excel_roundup, excel_text_percent


@pytest.mark.parametrize(
    ("x", "digits", "excel"),
    [
        (2.675, 2, 2.68),  # Python round gives 2.67
        (1.005, 2, 1.01),  # Python: 1.0
        (0.125, 2, 0.13),  # Python (half to even): 0.12
        (0.285, 2, 0.29),  # Python: 0.28
        (1.015, 2, 1.02),  # Python: 1.01
        (8.345, 2, 8.35),  # Python: 8.34
        (-2.675, 2, -2.68),
        (-1.005, 2, -1.01),
        (-2.5, 0, -3.0),
        (2.5, 0, 3.0),
        (0.5, 0, 1.0),
        (1.45, 1, 1.5),
        (4.35, 1, 4.4),
        (0.00015, 4, 0.0002),
        (123456789.125, 2, 123456789.13),
        (1250, -2, 1300.0),
        (-1250, -2, -1300.0),
        (1249.99, -2, 1200.0),
        (5236490.5, -1, 5236490.0),
        (15, -1, 20.0),
        (0.1 + 0.2, 1, 0.3),
        (9.995, 2, 10.0),
        (3.0, 4, 3.0),
    ],
)
def test_round_matches_excel(x, digits, excel):
    assert excel_round(x, digits) == excel


@pytest.mark.parametrize(
    ("x", "digits", "up", "down"),
    [
        (812000 / 819700, 4, 0.9907, 0.9906),  # 99.0606 % printed as 99.07 % in the seed
        (578078.79 / 746393, 4, 0.7745, 0.7744),
        (0.1 + 0.2, 2, 0.3, 0.3),  # 0.30000000000000004 is 0.3 to Excel
        (-1.21, 1, -1.3, -1.2),  # away from / toward zero
        (1.2, 0, 2.0, 1.0),
        (1201, -2, 1300.0, 1200.0),
        (2.0, 3, 2.0, 2.0),
    ],
)
def test_roundup_and_rounddown(x, digits, up, down):
    assert excel_roundup(x, digits) == up
    assert excel_rounddown(x, digits) == down


def test_no_negative_zero():
    assert str(excel_round(-0.4, 0)) == "0.0"
    assert str(excel_rounddown(-0.04, 1)) == "0.0"


def test_extremes_do_not_raise():
    assert excel_round(1e300, 2) == 1e300
    assert excel_round(1.5, 1000) == 1.5
    assert excel_round(1e300, -400) == 0.0
    assert excel_round(float("inf"), 2) == float("inf")


def test_text_percent():
    assert excel_text_percent(812000 / 819700) == "99.06%"
    assert excel_text_percent(0.00125, 1) == "0.1%"
    assert excel_text_percent(0.0125, 1) == "1.3%"
    assert excel_text_percent(1) == "100.00%"
    assert excel_text_percent(0.5, 0) == "50%"
    with pytest.raises(ValueError):
        excel_text_percent(float("nan"))


# -- properties -----------------------------------------------------------------------

finite = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False, allow_infinity=False)
digits = st.integers(min_value=-3, max_value=6)


@st.composite
def decimal_strings(draw):
    """A number as staff would type it: at most 15 significant digits."""
    whole = draw(st.integers(min_value=0, max_value=10**9))
    places = draw(st.integers(min_value=0, max_value=15 - len(str(whole))))
    frac = draw(st.integers(min_value=0, max_value=10**places - 1)) if places else 0
    sign = draw(st.sampled_from(["", "-"]))
    return f"{sign}{whole}.{frac:0{places}d}" if places else f"{sign}{whole}"


@given(decimal_strings(), digits)
def test_round_is_decimal_rounding_of_what_was_typed(text, d):
    """Whatever binary value a typed number became, ROUND acts on the typed decimal."""
    exact = Decimal(text).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
    assert excel_round(float(text), d) == float(exact)


@given(finite, digits)
def test_roundup_round_rounddown_are_ordered(x, d):
    up, mid, down = excel_roundup(x, d), excel_round(x, d), excel_rounddown(x, d)
    if x >= 0:
        assert up >= mid >= down
    else:
        assert up <= mid <= down


@given(finite, digits)
def test_round_is_symmetric_idempotent_and_close(x, d):
    r = excel_round(x, d)
    assert excel_round(-x, d) == -r
    assert excel_round(r, d) == r
    assert abs(r - x) <= 0.5 * 10.0**-d * (1 + 1e-9) + abs(x) * 1e-14


@given(decimal_strings(), digits)
def test_roundup_and_rounddown_are_decimal_rounding_of_what_was_typed(text, d):
    step = Decimal(1).scaleb(-d)
    assert excel_roundup(float(text), d) == float(Decimal(text).quantize(step, ROUND_UP))
    assert excel_rounddown(float(text), d) == float(Decimal(text).quantize(step, ROUND_DOWN))

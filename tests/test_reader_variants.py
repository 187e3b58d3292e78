"""Every seed form re-laid in the shapes of other provinces (tests/relaid_forms.py)
reads back with the same computed total and the same findings as the original."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from selfeval.form.model import Form
from selfeval.profiles.policy import load_profile
from selfeval.readers import read_file
from selfeval.rules.check import run_rules
from tests.relaid_forms import SHAPES, relay, write_rows

FIXTURES = Path(__file__).parent / "fixtures" / "seed"
PROFILE = load_profile("national")


def original(n: int) -> Form:
    return Form.from_dict(yaml.safe_load((FIXTURES / f"form{n:02d}.yaml").read_text("utf-8")))


@pytest.fixture(scope="module")
def relaid(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[int, str], Path]:
    folder = tmp_path_factory.mktemp("relaid")
    return {
        (n, shape.name): write_rows(
            relay(original(n), shape), folder / f"{n:02d}_{shape.name}.xlsx"
        )
        for n in range(1, 12)
        for shape in SHAPES
    }


@pytest.mark.parametrize("shape", [s.name for s in SHAPES])
@pytest.mark.parametrize("n", range(1, 12))
def test_relaid_form_gives_the_same_total_and_findings(
    relaid: dict[tuple[int, str], Path], n: int, shape: str
) -> None:
    [form] = read_file(relaid[n, shape])
    assert isinstance(form, Form)
    want, want_analysis = run_rules(original(n), PROFILE)
    got, got_analysis = run_rules(form, PROFILE)
    assert got_analysis.total == want_analysis.total
    assert Counter(f.code for f in got) == Counter(f.code for f in want)
    assert [r.name for r in form.indicators] == [r.name for r in original(n).indicators]
    assert [r.points for r in form.indicators] == [r.points for r in original(n).indicators]


def test_split_targets_join_back_to_the_written_target(relaid: dict[tuple[int, str], Path]) -> None:
    [form] = read_file(relaid[1, "sichuan_split"])
    assert [r.target for r in form.indicators] == [r.target for r in original(1).indicators]
    assert form.indicators[0].cells["target"].startswith("F")  # the 指标值 cell


def test_relaid_funds_blocks_are_read_with_their_unit_and_rows(
    relaid: dict[tuple[int, str], Path],
) -> None:
    [sichuan] = read_file(relaid[1, "sichuan_split"])
    [wan] = read_file(relaid[1, "two_row_split"])
    assert (sichuan.funds.points, sichuan.funds.total.annual_budget) == (10.0, 819700.0)
    assert sichuan.funds.current.annual_budget == 819700.0 and sichuan.funds.unit == "万元"
    assert wan.funds.unit == "万元" and wan.header.year == 2021


def test_each_shape_is_given_its_closest_layout(relaid: dict[tuple[int, str], Path]) -> None:
    layouts = {shape: read_file(relaid[1, shape])[0].layout for shape in [s.name for s in SHAPES]}
    assert layouts == {
        "national_reordered": "national",
        "weights_and_synonyms": "sichuan",
        "sichuan_split": "sichuan",
        "two_row_split": "sichuan",
        "short_labels": "national",
        "labelled_rows": "standard",
    }

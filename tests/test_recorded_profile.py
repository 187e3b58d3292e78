"""A template is judged by the profile it records; --profile overrides, and only then says so."""

from __future__ import annotations

import json

import pytest

import selfeval
from selfeval.cli.main import main as cli
from selfeval.profiles.policy import load_profile
from selfeval.readers.formfile import dump_form_file
from selfeval.writers.template import write_form
from tests.forms import make_form

# 774,470 ÷ 1,000,000 = 77.447 %: Shanghai scores the rate as printed (77.45 % → 7.75),
# national the exact rate (7.74).
SHANGHAI_SCORE, NATIONAL_SCORE = 7.75, 7.74


@pytest.fixture
def shanghai_template(tmp_path):
    form = make_form(budget=1000000.0, executed=774470.0, rate=0.7745, funds_score=7.75)
    return write_form(form, tmp_path / "上海口径.xlsx", load_profile("shanghai"))


def funds_score(capsys, *argv: str) -> tuple[float, str]:
    capsys.readouterr()
    cli(["validate", *argv, "--format", "json"])
    out, err = capsys.readouterr()
    return json.loads(out)[0]["computed"]["funds_score"], err


def test_a_shanghai_template_without_profile_is_judged_as_shanghai_silently(
    shanghai_template, capsys
):
    score, err = funds_score(capsys, str(shanghai_template))
    assert score == SHANGHAI_SCORE and "评分口径" not in err and "--profile" not in err


def test_profile_overrides_the_recorded_one_and_says_so(shanghai_template, capsys):
    score, err = funds_score(capsys, str(shanghai_template), "--profile", "national")
    assert score == NATIONAL_SCORE and "本次按“national”校验（--profile）" in err


def test_the_library_follows_the_same_rule(shanghai_template):
    [recorded] = selfeval.check(shanghai_template)
    [national] = selfeval.check(shanghai_template, profile="national")
    assert recorded.analysis.funds_score == SHANGHAI_SCORE
    assert national.analysis.funds_score == NATIONAL_SCORE


def test_a_fallback_judges_forms_that_record_none_and_never_overrides_a_template(
    shanghai_template, tmp_path
):
    # The checking service loads its default once and hands it in as ``fallback``: it
    # must stand for the default only, not for a named profile.
    form = make_form(budget=1000000.0, executed=774470.0, rate=0.7745, funds_score=7.75)
    hand_made = tmp_path / "表.yaml"
    dump_form_file([form], hand_made)
    shanghai = load_profile("shanghai")
    [template] = selfeval.check(shanghai_template, fallback=load_profile("national"))
    [plain] = selfeval.check(hand_made, fallback=shanghai)
    [default] = selfeval.check(hand_made)
    assert template.analysis.funds_score == SHANGHAI_SCORE
    assert plain.analysis.funds_score == SHANGHAI_SCORE
    assert default.analysis.funds_score == NATIONAL_SCORE


def test_a_hand_made_form_without_profile_is_judged_as_national(tmp_path, capsys):
    form = make_form(budget=1000000.0, executed=774470.0, rate=0.7745, funds_score=7.75)
    path = tmp_path / "表.yaml"
    dump_form_file([form], path)
    score, _ = funds_score(capsys, str(path))
    assert score == NATIONAL_SCORE

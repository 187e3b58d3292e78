"""The code table is the one place a finding code is written: the rest of selfeval names
codes as ``Code.X``, profiles are checked against the table, and the docs follow it."""

from __future__ import annotations

import ast
import importlib.util
from collections import defaultdict
from pathlib import Path

import pytest

from selfeval.errors import ProfileError
from selfeval.form.codes import REVIEW_CODES, Code, Severity, lookup
from selfeval.form.findings import Finding
from selfeval.profiles.policy import load_profile

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "selfeval"
MAX_MODULES = 2


def modules_spelling_codes() -> dict[str, set[str]]:
    """Code name -> the modules of selfeval/ where it stands as a whole string literal."""
    names = set(Code.__members__)
    found: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in names:
                found[node.value].add(str(path.relative_to(ROOT)))
    return found


@pytest.fixture(scope="module")
def spelt() -> dict[str, set[str]]:
    return modules_spelling_codes()


def test_each_code_is_spelt_as_a_string_in_at_most_two_modules(spelt):
    spread = {c: sorted(m) for c, m in spelt.items() if len(m) > MAX_MODULES}
    assert spread == {}


def test_the_scan_sees_the_table_itself(spelt):
    # guards the test above against scanning nothing
    assert spelt[Code.FUNDS_RATE] == {"selfeval/form/codes.py"}


def test_points_category_is_an_error_against_a_printed_weight():
    assert Code.POINTS_CATEGORY.severity is Severity.WARNING
    assert Code.POINTS_CATEGORY.spec.printed_severity is Severity.ERROR


def test_a_finding_given_a_code_name_holds_the_code():
    finding = Finding("FUNDS_OVER", "funds.total.executed", expected=1, found=2)
    assert finding.code is Code.FUNDS_OVER and finding.severity is Severity.WARNING


def test_an_unknown_code_name_is_refused():
    with pytest.raises(ValueError):
        Finding("NO_SUCH_CODE", "file")
    assert lookup("NO_SUCH_CODE") is None


def test_a_review_message_carries_its_criterion():
    finding = Finding(Code.WEIGHT_ZERO, "indicators[0].points", params={"name": "设备采购"})
    assert finding.message.endswith(Code.WEIGHT_ZERO.spec.criterion)


def test_review_codes_are_the_review_group():
    assert REVIEW_CODES and all(code.spec.group == "review" for code in REVIEW_CODES)
    assert Code.FUNDS_RATE not in REVIEW_CODES


@pytest.mark.parametrize(
    ("name", "words"),
    [("NO_SUCH_CHECK", "不认识的检查：NO_SUCH_CHECK"), ("FUNDS_RATE", "FUNDS_RATE 不是复核检查")],
)
def test_a_profile_naming_a_bad_code_is_refused_in_chinese(tmp_path, name, words):
    path = tmp_path / "bad.toml"
    path.write_text(f'base = "national"\n[review.checks]\n{name} = "off"\n', encoding="utf-8")
    with pytest.raises(ProfileError, match=words):
        load_profile(str(path))


def test_the_docs_and_the_schema_follow_the_table():
    spec = importlib.util.spec_from_file_location("gen_codes", ROOT / "scripts" / "gen_codes.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    assert gen.stale() == []

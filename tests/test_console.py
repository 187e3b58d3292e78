"""Output redirected on a Chinese Windows console (GBK / cp936) is complete and readable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from selfeval.profiles.policy import load_profile
from selfeval.writers.template import write_form
from tests.forms import GOOD_ROWS, make_form

pytestmark = pytest.mark.slow  # each test runs the command in a child Python

UNMET = [
    *GOOD_ROWS[:-1],
    ("满意度指标", "服务对象满意度指标", "工作人员满意度", ">=90%", "86%", 10, 10),
]
"""A form whose satisfaction target is missed, yet scored in full (UNMET_FULL)."""


def run_cli(args: list[str], encoding: str, cwd: Path) -> tuple[int, str, str]:
    """``selfeval ARGS > file`` with ``PYTHONIOENCODING`` set: status, stdout, stderr decoded."""
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    done = subprocess.run(
        [sys.executable, "-m", "selfeval.cli.main", *args], cwd=cwd, env=env, capture_output=True
    )
    return done.returncode, done.stdout.decode(encoding), done.stderr.decode(encoding)


def workbook(tmp_path: Path, project: str = "测试项目", **fields) -> Path:
    form = make_form(**fields)
    form.header.project = project
    return write_form(form, tmp_path / "表.xlsx", load_profile("national"))


@pytest.mark.parametrize("encoding", ["gbk", "cp936"])
def test_a_clean_form_validates_on_a_gbk_console(tmp_path, encoding):
    status, out, err = run_cli(["validate", str(workbook(tmp_path))], encoding, tmp_path)
    assert (status, err) == (0, "")
    assert "未发现问题" in out and "共 1 份：错误 0 项" in out
    assert "?" not in out


def test_errors_print_every_finding_on_a_gbk_console(tmp_path):
    path = workbook(tmp_path, rows=UNMET)
    status, out, err = run_cli(["validate", str(path)], "gbk", tmp_path)
    assert (status, err) == (1, "")
    assert "× 错误 UNMET_FULL" in out and "× 错误 REASON_MISSING" in out
    assert "?" not in out


def test_a_character_gbk_lacks_in_the_form_prints_as_a_look_alike_or_question_mark(tmp_path):
    path = workbook(tmp_path, project="𠮷野家 ⩾ 项目²")
    status, out, _ = run_cli(["validate", str(path)], "gbk", tmp_path)
    assert status == 0
    assert "?野家 ≥ 项目2" in out


@pytest.mark.slow  # three CLI processes
def test_rescore_build_and_help_print_on_a_gbk_console(tmp_path):
    path = workbook(tmp_path, rows=UNMET)
    status, out, _ = run_cli(["rescore", str(path), "-o", "新.xlsx"], "gbk", tmp_path)
    assert status == 0 and "改动" in out and "?" not in out
    status, out, _ = run_cli(["build", "--year", "2026", "--out", "模板"], "gbk", tmp_path)
    assert status == 0 and "已生成" in out and "?" not in out
    status, out, _ = run_cli(["--help"], "gbk", tmp_path)
    assert status == 0 and "用法：selfeval" in out


def test_an_error_message_reaches_a_gbk_console(tmp_path):
    status, out, err = run_cli(["validate", "没有这个文件.xlsx"], "gbk", tmp_path)
    assert status == 2 and "错误：找不到：没有这个文件.xlsx" in err

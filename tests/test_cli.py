"""The `selfeval` command itself: help for newcomers, the demo (the README's main job)."""

from __future__ import annotations

import json

import pytest

from selfeval.cli.main import COMMANDS, main
from selfeval.form.codes import Code


def test_help_lists_every_command_in_chinese(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：selfeval")
    for name in ("validate", "rescore", "convert", "build", "report", "demo", "addin"):
        assert name in out
    assert len(COMMANDS) >= 7
    assert "show this help" not in out


def test_argument_errors_are_chinese_with_status_2(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["validate"])
    assert exit_.value.code == 2
    assert "缺少参数" in capsys.readouterr().err


def test_a_missing_input_is_refused_with_status_2(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "没有这个文件.xlsx")]) == 2
    assert "找不到" in capsys.readouterr().err


def test_unknown_profile_names_the_available_ones(tmp_path, capsys):
    assert main(["validate", str(tmp_path), "--profile", "mars"]) == 2
    err = capsys.readouterr().err
    assert "national" in err and "shanghai" in err


def test_demo_builds_templates_and_validates_the_sample(tmp_path, capsys):
    out = tmp_path / "演示"
    assert main(["demo", "--out", str(out), "--year", "2026"]) == 0
    printed = capsys.readouterr().out
    assert Code.UNMET_FULL in printed and "自评表!G28" in printed
    assert sorted(p.name for p in (out / "templates").iterdir()) == [
        "财政项目支出绩效自评表_2026.xlsx",
        "项目自评价情况表_2026.xlsx",
    ]
    html = (out / "示例自评表_校验报告.html").read_text(encoding="utf-8")
    assert "办案人员满意度" in html
    # the sample written into the template reads back as one template form
    assert (
        main(
            ["validate", str(out / "示例自评表.xlsx"), "--format", "json", "--profile", "shanghai"]
        )
        == 1
    )
    (result,) = json.loads(capsys.readouterr().out)
    assert result["layout"] == "appraisal"
    assert result["computed"]["total"] == 98.0


def test_outputs_are_written_whole_with_ordinary_permissions(tmp_path):
    import os

    from selfeval.files import write_atomically

    target = tmp_path / "out.xlsx"
    write_atomically(target, b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]  # no temporary left behind

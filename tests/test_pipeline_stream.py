"""The streaming pipeline: the same bytes as before, one file at a time, and what
``selfeval validate`` says about empty input, its own outputs, -o and hidden notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from selfeval.cli.main import main
from selfeval.pipeline import results
from selfeval.pipeline.results import check_paths
from selfeval.profiles.policy import load_profile
from selfeval.reports.text import render_text
from tests.pipeline_corpus import GOLDEN, PROFILE, relative_json, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_corpus(tmp_path_factory.mktemp("corpus"))


def _validate(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["validate", *argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_json_of_the_corpus_equals_the_golden_file_byte_for_byte(corpus, capsys):
    status, out, _ = _validate(capsys, str(corpus), "--profile", PROFILE, "--format", "json")
    assert status == 1
    assert relative_json(out, corpus) == GOLDEN.read_text("utf-8")


@pytest.mark.slow  # worker processes
def test_worker_processes_print_the_same_bytes(corpus, capsys, monkeypatch):
    monkeypatch.setattr(results, "PARALLEL_FROM", 1)  # a pool even for a small folder
    status, out, _ = _validate(capsys, str(corpus), "--profile", PROFILE, "--format", "json")
    assert status == 1
    assert relative_json(out, corpus) == GOLDEN.read_text("utf-8")


def test_streamed_text_equals_the_text_of_all_results_at_once(corpus, capsys):
    status, out, _ = _validate(capsys, str(corpus), "--profile", PROFILE)
    everything = list(check_paths([corpus], load_profile(PROFILE), workers=1))
    assert status == 1 and out == render_text(everything) + "\n"


def test_json_numbers_carry_no_float_noise(corpus):
    numbers = []

    def collect(value):  # every float in the JSON output
        if isinstance(value, float):
            numbers.append(value)
        elif isinstance(value, dict | list):
            for v in value.values() if isinstance(value, dict) else value:
                collect(v)

    collect(json.loads(GOLDEN.read_text("utf-8")))
    assert numbers and all(len(repr(n).lstrip("-0.").replace(".", "")) <= 12 for n in numbers)


def test_an_empty_folder_is_not_success(tmp_path, capsys):
    status, out, err = _validate(capsys, str(tmp_path))
    assert status == 2 and out == "" and "没有找到可读取的自评表文件" in err


def test_a_folder_of_pdfs_is_not_success(tmp_path, capsys):
    (tmp_path / "自评表.pdf").write_bytes(b"%PDF-1.4\n")
    status, out, err = _validate(capsys, str(tmp_path), "-o", str(tmp_path / "结果.json"))
    assert status == 2 and "没有找到可读取的自评表文件" in err
    assert not (tmp_path / "结果.json").exists()


def test_output_file_is_utf8_json_and_a_summary_line_is_printed(corpus, tmp_path, capsys):
    out = tmp_path / "结果.json"
    argv = [str(corpus / "hand"), "--profile", PROFILE, "--format", "json", "-o", str(out)]
    status, printed, err = _validate(capsys, *argv)
    assert status == 1 and printed == ""
    assert f"已写入 {out}：共 22 份：错误" in err
    text = out.read_text("utf-8")
    assert "\\u" not in text and "自评表" in text
    assert len(json.loads(text)) == 22


def test_our_json_result_in_the_folder_is_skipped_with_a_line(corpus, tmp_path, capsys):
    folder = tmp_path / "收到的表"
    folder.mkdir()
    (folder / "form01.xlsx").write_bytes((corpus / "hand" / "form01.xlsx").read_bytes())
    first = main(["validate", str(folder), "--format", "json", "-o", str(folder / "结果.json")])
    capsys.readouterr()
    status, out, _ = _validate(capsys, str(folder))
    assert status == first == 0  # the result file is no unreadable input
    assert f"■ 跳过 {folder / '结果.json'}：selfeval 生成的校验结果" in out
    assert out.rstrip().endswith("共 1 份：错误 0 项，警告 2 项，跳过 1 个 selfeval 生成的文件")


def test_a_folder_of_only_our_outputs_is_not_success(corpus, tmp_path, capsys):
    result = tmp_path / "结果.json"
    main(["validate", str(corpus / "hand" / "form01.xlsx"), "--format", "json", "-o", str(result)])
    capsys.readouterr()
    status, _, err = _validate(capsys, str(result))
    assert status == 2 and "没有找到自评表" in err


def test_quiet_hides_notes_but_not_warnings(corpus, capsys):
    _, full, _ = _validate(capsys, str(corpus / "hand"), "--profile", PROFILE)
    assert " 提示 " in full and " 警告 " in full
    _, quiet, _ = _validate(capsys, str(corpus / "hand"), "--profile", PROFILE, "--quiet")
    assert " 提示 " not in quiet and " 警告 " in quiet
    assert quiet.splitlines()[-1] == full.splitlines()[-1]  # the counts stay whole


def test_min_severity_error_lists_errors_only(corpus, capsys):
    argv = [str(corpus / "hand"), "--profile", PROFILE, "--min-severity", "error", "--format"]
    _, out, _ = _validate(capsys, *argv, "json")
    severities = {f["severity"] for form in json.loads(out) for f in form["findings"]}
    assert severities == {"error"}


def test_our_report_saved_among_the_forms_is_skipped_with_a_line(corpus, tmp_path, capsys):
    folder = tmp_path / "收到的表"
    folder.mkdir()
    for name in ("form01.xlsx", "form06.xlsx"):
        (folder / name).write_bytes((corpus / "hand" / name).read_bytes())
    assert main(["report", str(folder), "-o", str(folder / "汇总.xlsx")]) == 1
    capsys.readouterr()
    status, out, _ = _validate(capsys, str(folder))
    assert status == 1 and "年度" not in out.split("■")[-1]  # no phantom form
    assert f"■ 跳过 {folder / '汇总.xlsx'}：selfeval 生成的汇总报告，不是自评表" in out
    assert main(["report", str(folder), "-o", str(tmp_path / "汇总.csv")]) == 1
    assert f"跳过 {folder / '汇总.xlsx'}" in capsys.readouterr().err
    assert len((tmp_path / "汇总.csv").read_text("utf-8-sig").splitlines()) == 1 + 2


@pytest.mark.slow  # starts worker processes
def test_a_report_from_worker_processes_equals_one_from_one_process(corpus, tmp_path, monkeypatch):
    argv = ["report", str(corpus), "--profile", PROFILE, "-o"]
    assert main([*argv, str(tmp_path / "one.csv")]) == 1
    monkeypatch.setattr(results, "PARALLEL_FROM", 1)
    assert main([*argv, str(tmp_path / "pool.csv")]) == 1
    assert (tmp_path / "one.csv").read_bytes() == (tmp_path / "pool.csv").read_bytes()


def test_an_empty_folder_gives_no_report(tmp_path, capsys):
    assert main(["report", str(tmp_path), "-o", str(tmp_path / "汇总.html")]) == 2
    assert "没有找到可读取的自评表文件" in capsys.readouterr().err
    assert not (tmp_path / "汇总.html").exists()


def test_an_edited_profile_file_is_read_afresh(tmp_path):
    """The add-in runs in one long Python session: a maintainer's edit must count."""
    path = tmp_path / "本省.toml"
    path.write_text('base = "national"\ntitle = "本省口径（旧）"\n', encoding="utf-8")
    assert load_profile(str(path)).title == "本省口径（旧）"
    path.write_text('base = "national"\ntitle = "本省口径（新）"\n', encoding="utf-8")
    assert load_profile(str(path)).title == "本省口径（新）"

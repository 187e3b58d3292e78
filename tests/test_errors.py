"""One exception base: every error selfeval raises on purpose is a SelfevalError with a
Chinese message; the CLI turns only those into 错误 / exit 2, anything else is a bug."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import selfeval
from selfeval.cli.main import main
from selfeval.errors import OutputError, SelfevalError, os_reason
from selfeval.files import make_folder, write_atomically


def _exception_classes() -> list[type[BaseException]]:
    found = []
    for info in pkgutil.walk_packages(selfeval.__path__, "selfeval."):
        if info.name.endswith("__main__"):
            continue  # running it is the command line
        module = importlib.import_module(info.name)
        found += [
            obj
            for obj in vars(module).values()
            if inspect.isclass(obj)
            and issubclass(obj, BaseException)
            and obj.__module__ == module.__name__
        ]
    return found


def test_every_exception_class_of_selfeval_derives_from_selfeval_error() -> None:
    classes = _exception_classes()
    assert len(classes) > 5  # the walk found the package's classes
    assert [c.__qualname__ for c in classes if not issubclass(c, SelfevalError)] == []


def test_a_programming_error_in_a_command_is_not_turned_into_a_chinese_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from selfeval.pipeline import results

    def bug(paths):  # type: ignore[no-untyped-def]
        raise ValueError("a bug, not bad input")

    monkeypatch.setattr(results, "input_files", bug)
    with pytest.raises(ValueError, match="a bug"):
        main(["validate", str(tmp_path)])
    assert "错误" not in capsys.readouterr().err


def test_bad_input_is_a_chinese_message_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "没有.xlsx")]) == 2
    assert "错误：找不到" in capsys.readouterr().err


def test_an_output_in_a_folder_that_is_a_file_is_an_output_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "一个文件"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError, match="无法写入.*不是文件夹"):
        write_atomically(blocker / "结果.json", b"{}")
    with pytest.raises(OutputError, match="是一个文件"):
        make_folder(blocker)
    assert main(["build", "--year", "2026", "--out", str(blocker)]) == 2
    assert "错误：" in capsys.readouterr().err
    assert blocker.read_text(encoding="utf-8") == "x"


def test_os_reasons_are_chinese_whatever_the_error() -> None:
    assert os_reason(PermissionError(13, "Permission denied")) == "没有权限"
    assert "Weird" in os_reason(OSError(9999, "Weird"))
    assert "系统错误" in os_reason(OSError("no errno"))

"""The library API (selfeval.check / read / rescore): a path, bytes or a binary file
object give the same results; bad input is an InputError with a Chinese reason."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import selfeval
from selfeval.errors import InputError, OutputError, SelfevalError
from selfeval.form.codes import Code
from selfeval.pipeline.results import FormResult

TEMPLATES = sorted((Path(__file__).parents[1] / "templates").rglob("*.xlsx"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _seen(results: list[FormResult]) -> list[dict[str, Any]]:
    """What a caller sees of each result, the file's name aside."""
    seen = []
    for result in results:
        data = result.to_dict()
        data["source"].pop("file")
        seen.append(data)
    return seen


def _cells(data: bytes) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's values and notes, read back with openpyxl (an independent reader)."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return {
        ws.title: [
            (c.coordinate, c.value, c.comment.text if c.comment else None)
            for row in ws.iter_rows()
            for c in row
            if c.value is not None or c.comment
        ]
        for ws in book.worksheets
    }


def assert_chinese_input_error(call: Any, *args: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args)
    assert CHINESE.search(str(caught.value)), str(caught.value)
    return caught.value


def test_seed_workbooks_check_alike_from_path_bytes_and_file_object(seeds: Path) -> None:
    books = sorted(seeds.glob("*.xlsx"))
    assert books
    for path in books:
        by_path = selfeval.check(path)
        assert by_path and all(r.form is not None for r in by_path)
        assert _seen(selfeval.check(path.read_bytes(), name=path.name)) == _seen(by_path)
        with path.open("rb") as f:
            assert _seen(selfeval.check(f, name=path.name)) == _seen(by_path)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_templates_check_alike_from_path_bytes_and_file_object(template: Path) -> None:
    by_path = selfeval.check(template)
    assert by_path[0].form is not None
    assert _seen(selfeval.check(template.read_bytes())) == _seen(by_path)
    assert _seen(selfeval.check(io.BytesIO(template.read_bytes()))) == _seen(by_path)


def test_bytes_without_a_name_are_reported_under_a_name_of_their_kind(seeds: Path) -> None:
    path = sorted(seeds.glob("*.xlsx"))[0]
    [result, *_] = selfeval.check(path.read_bytes())
    assert result.file.endswith(".xlsx") and "selfeval-" not in result.file


def test_rescore_into_a_path_and_into_bytes_give_the_same_workbook(
    seeds: Path, tmp_path: Path
) -> None:
    path = sorted(seeds.glob("*.xlsx"))[0]
    out = tmp_path / "重新评分.xlsx"
    to_path = selfeval.rescore(path, out)
    to_bytes = selfeval.rescore(path.read_bytes(), name=path.name)
    assert to_path.data is None and to_bytes.data is not None
    assert any(to_path.changes), "the seed form has scores to change"
    assert _cells(out.read_bytes()) == _cells(to_bytes.data)
    assert [len(c) for c in to_path.changes] == [len(c) for c in to_bytes.changes]


def test_rescore_of_a_form_file_gives_yaml_bytes(tmp_path: Path) -> None:
    [form] = selfeval.read(TEMPLATES[0])
    source = tmp_path / "表.json"
    source.write_text(form.to_json(), encoding="utf-8")
    done = selfeval.rescore(source)
    assert done.suffix == ".yaml" and done.data
    assert selfeval.read(done.data, name="重新评分.yaml")[0].header == form.header


def test_read_gives_the_forms_named_as_the_caller_named_them(seeds: Path) -> None:
    path = sorted(seeds.glob("*.xlsx"))[0]
    forms = selfeval.read(path.read_bytes(), name="自评表.xlsx")
    assert forms and all(f.source.file == "自评表.xlsx" for f in forms)


def test_bad_input_is_an_input_error_in_chinese(tmp_path: Path) -> None:
    missing = tmp_path / "没有这个文件.xlsx"
    assert_chinese_input_error(selfeval.check, missing)
    assert_chinese_input_error(selfeval.read, missing)
    assert_chinese_input_error(selfeval.read, tmp_path)  # a folder, not a file
    assert_chinese_input_error(selfeval.read, b"PK\x03\x04 not really a workbook")
    assert_chinese_input_error(selfeval.read, b"\x00\x01 neither a form")
    out = tmp_path / "新表.xlsx"
    assert_chinese_input_error(selfeval.rescore, b"PK\x03\x04 broken", out)
    assert not out.exists()


def test_an_unreadable_file_checks_to_a_read_error_result() -> None:
    [result] = selfeval.check(b"PK\x03\x04 broken", name="坏表.xlsx")
    assert result.form is None and [f.code for f in result.findings] == [Code.READ_ERROR]
    assert result.file == "坏表.xlsx"


def test_rescore_never_writes_over_its_input(seeds: Path) -> None:
    path = sorted(seeds.glob("*.xlsx"))[0]
    before = path.read_bytes()
    with pytest.raises(OutputError):
        selfeval.rescore(path, path)
    assert path.read_bytes() == before


def test_a_text_stream_is_a_callers_bug_not_bad_input() -> None:
    with pytest.raises(TypeError):
        selfeval.check(io.StringIO("项目名称"))


def test_the_package_exports_the_api_and_the_old_names_are_gone() -> None:
    assert sorted(selfeval.__all__) == ["SelfevalError", "check", "read", "rescore"]
    assert selfeval.SelfevalError is SelfevalError
    for old in ("validate", "check_form", "read_file", "check_paths"):
        assert not hasattr(selfeval, old), old


def test_the_readme_example_runs(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    root = Path(__file__).parents[1]
    guide = (root / "README.md").read_text(encoding="utf-8").split("### Library API", 1)[1]
    code = guide.split("```python\n", 1)[1].split("```", 1)[0]
    monkeypatch.chdir(root)
    exec(compile(code, "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert Code.UNMET_FULL in out and "不是自评表" in out

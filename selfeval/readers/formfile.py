"""Forms kept as plain YAML or JSON files (the model's own serialisation)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from selfeval.errors import os_reason
from selfeval.files import write_atomically
from selfeval.form.codes import Code
from selfeval.form.model import Form, FormDataError
from selfeval.readers.found import OwnOutput, ReadResult, Unreadable

MAX_FORM_FILE = 5 * 1024 * 1024  # a form file is a few KiB; refuse anything absurd


def read_form_file(path: Path) -> list[ReadResult]:
    """One form per file, or a list of forms; errors become :class:`Unreadable`."""
    try:
        if path.stat().st_size > MAX_FORM_FILE:
            return [Unreadable(str(path), Code.READ_ERROR, "文件过大，不像是自评表数据文件")]
        text = path.read_text(encoding="utf-8-sig")
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
        items = data if isinstance(data, list) else [data]
        if is_results_json(items):
            return [OwnOutput(str(path), "selfeval 生成的校验结果（JSON），不是自评表")]
        forms = [Form.from_dict(item) for item in items]
    except OSError as exc:
        return [Unreadable(str(path), Code.READ_ERROR, f"无法打开文件：{os_reason(exc)}")]
    except UnicodeDecodeError:
        return [Unreadable(str(path), Code.READ_ERROR, "文件不是 UTF-8 编码的文本")]
    except json.JSONDecodeError as exc:
        return [
            Unreadable(
                str(path), Code.READ_ERROR, f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）"
            )
        ]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"（第 {mark.line + 1} 行第 {mark.column + 1} 列）" if mark else ""
        return [Unreadable(str(path), Code.READ_ERROR, f"YAML 格式错误{where}")]
    except FormDataError as exc:
        return [Unreadable(str(path), Code.LAYOUT_UNRECOGNISED, f"内容不是自评表：{exc}")]
    for form in forms:
        form.source.file = form.source.file or str(path)
        form.source.origin = form.source.origin or "data"
    return list(forms)


RESULT_KEYS = frozenset({"source", "findings", "computed"})
"""Keys of every object in ``selfeval validate --format json`` output (one array)."""


def is_results_json(items: list[Any]) -> bool:
    """Whether parsed JSON is our validation output: objects carrying the result keys."""
    return bool(items) and all(isinstance(i, dict) and i.keys() >= RESULT_KEYS for i in items)


def dump_form_file(forms: list[Form], path: Path) -> None:
    """Write forms as YAML (one form: a mapping; several: a list)."""
    data: Any = [f.to_dict() for f in forms]
    if len(data) == 1:
        data = data[0]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    write_atomically(path, text.encode("utf-8"))

"""JSON output: each form's object indented inside the array, its texts kept exactly."""

from __future__ import annotations

import json

from selfeval.form.model import Form, Header
from selfeval.pipeline.results import check_form
from selfeval.profiles.policy import load_profile
from selfeval.reports.text import json_item, write_json_array


def _array(*projects: str) -> str:
    out: list[str] = []

    class Sink:
        def write(self, text: str) -> None:
            out.append(text)

    profile = load_profile("national")
    forms = (Form(header=Header(project=p)) for p in projects)
    items = (json_item(check_form(form, profile, "表.xlsx")) for form in forms)
    write_json_array(Sink(), items)  # type: ignore[arg-type]
    return "".join(out)


def test_the_array_is_laid_out_as_json_dumps_lays_out_a_list():
    text = _array("甲项目", "乙项目")
    assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2)


def test_a_line_separator_inside_a_text_is_kept_as_typed():
    name = "项目\u2028第二行\u0085第三行\n第四行"
    assert json.loads(_array(name))[0]["project"] == name

"""A folder of forms for the portfolio report: the eleven seed forms plus variants with
known mistakes, some unreadable files, and (once the readers take workbooks) the seed
workbooks. Used by tests/test_portfolio.py and benchmarks/bench_report.py; the tests
here check that each variant carries the mistake it was made with.
"""

from __future__ import annotations

import copy
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from selfeval.form.codes import Code
from selfeval.form.model import Form
from selfeval.form.values import number
from selfeval.readers import Unreadable, read_file, supported_suffixes
from selfeval.readers.formfile import dump_form_file, read_form_file
from selfeval.rules.check import validate

SEED_DIR = Path(__file__).parent / "fixtures" / "seed"

MUTATIONS: dict[str, str] = {
    "copy": "",  # the seed form as it is, renamed
    "break_total": Code.TOTAL_MISMATCH,  # stated 总分 raised by 3
    "drop_reason": Code.REASON_MISSING,  # a reason removed, or a point taken off without one
    "score_over": Code.SCORE_RANGE,  # one 得分 above its 分值
    "weak": Code.MET_PARTIAL,  # every 得分 cut to 40-80 % with a reason, though targets were met
}
"""Each mutation and the finding code it must add."""

UNREADABLE: dict[str, str] = {
    "broken.yaml": "title: [unclosed\n",
    "not_a_form.json": '{"rows": 3}',
    "latin1.yaml": "项目".encode("gbk").decode("latin-1"),
}
"""Inputs that yield no form, written as given (latin1.yaml as GBK bytes, not UTF-8)."""


def seed_forms() -> list[Form]:
    forms = []
    for path in sorted(SEED_DIR.glob("form*.yaml")):
        forms.extend(f for f in read_form_file(path) if isinstance(f, Form))
    return forms


def mutate(form: Form, kind: str, n: int) -> Form:
    """A renamed copy of ``form`` with the mistake ``kind`` (see :data:`MUTATIONS`)."""
    out = copy.deepcopy(form)
    out.header.project = f"{form.header.project}（变体{n:04d}）"
    out.source.file = None
    stated = number(out.stated_total) or 0.0
    if kind == "break_total":
        out.stated_total = round(stated + 3, 2)
    elif kind == "drop_reason":
        _drop_reason(out)
    elif kind == "score_over":
        row = next(r for r in out.indicators if number(r.points) and number(r.score) is not None)
        raised = row.points + 1
        out.stated_total = round(stated + raised - row.score, 2)  # keep 总分 consistent
        row.score = raised
    elif kind == "weak":
        _weaken(out, 0.4 + 0.1 * (n // len(MUTATIONS) % 5))
    return out


def _weaken(form: Form, share: float) -> None:
    """Scores cut to ``share`` of each, reasons given, 总分 lowered by as much."""
    cut = 0.0
    for row in form.indicators:
        if number(row.score):
            new = round(row.score * share, 2)
            cut += row.score - new
            row.score, row.reason = new, "受客观因素影响，部分工作未能按计划完成，下年度加强管理。"
    form.stated_total = round((number(form.stated_total) or 0.0) - cut, 2)


def _drop_reason(form: Form) -> None:
    scored = [r for r in form.indicators if number(r.points) and number(r.score) is not None]
    with_reason = [r for r in scored if r.reason.strip() and r.score < r.points]
    if with_reason:
        with_reason[0].reason = ""
        return
    row = scored[0]
    row.score -= 1
    row.reason = ""
    form.stated_total = round((number(form.stated_total) or 0.0) - 1, 2)


@dataclass
class Folder:
    """What was written: the folder, every form in it, and the unreadable files."""

    path: Path
    forms: list[Form] = field(default_factory=list)
    unreadable: list[Path] = field(default_factory=list)
    mutations: Counter[str] = field(default_factory=Counter)


def build_folder(path: Path, n_forms: int, workbooks: bool = True) -> Folder:
    """``n_forms`` forms in ``path`` (seeds first, then variants as YAML and JSON) plus
    :data:`UNREADABLE`, plus the seed workbooks when the readers support .xlsx."""
    folder = Folder(path)
    seeds = seed_forms()
    for i in range(n_forms):
        seed = seeds[i % len(seeds)]
        kind = "copy" if i < len(seeds) else list(MUTATIONS)[i % len(MUTATIONS)]
        form = copy.deepcopy(seed) if kind == "copy" and i < len(seeds) else mutate(seed, kind, i)
        sub = path / f"单位{i % 7:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        _write(form, sub / f"form{i:04d}.{'json' if i % 2 else 'yaml'}")
        folder.forms.append(form)
        folder.mutations[kind] += 1
    for name, text in UNREADABLE.items():
        target = path / name
        target.write_bytes(text.encode("latin-1") if name == "latin1.yaml" else text.encode())
        folder.unreadable.append(target)
    if workbooks and ".xlsx" in supported_suffixes():
        _add_workbooks(folder)
    return folder


def _write(form: Form, path: Path) -> None:
    if path.suffix == ".json":
        path.write_text(json.dumps(form.to_dict(), ensure_ascii=False), encoding="utf-8")
    else:
        dump_form_file([form], path)


def _add_workbooks(folder: Folder) -> None:
    from tests.seed_workbooks import write_seed_workbooks

    for path in write_seed_workbooks(folder.path / "工作簿"):
        for item in read_file(path):
            if isinstance(item, Form):
                folder.forms.append(item)
            else:
                folder.unreadable.append(path)


# -- the generator's own tests --------------------------------------------------------


@pytest.mark.parametrize("kind", [k for k, code in MUTATIONS.items() if code])
def test_each_mutation_adds_its_code(kind: str) -> None:
    code = MUTATIONS[kind]
    for n, seed in enumerate(seed_forms()):
        before = Counter(f.code for f in validate(seed))
        after = Counter(f.code for f in validate(mutate(seed, kind, n)))
        if kind == "weak":  # one MET_PARTIAL per met target; 总分 still as computed
            assert (
                after[code] > before[code]
                and after[Code.TOTAL_MISMATCH] == before[Code.TOTAL_MISMATCH]
            )
        elif kind == "break_total" and before[code]:  # already wrong: stays one finding
            assert after[code] == 1
        else:
            assert after[code] == before[code] + 1, (seed.header.project, kind, after)


def test_folder_round_trips(tmp_path: Path) -> None:
    folder = build_folder(tmp_path, 30, workbooks=False)
    read = [item for path in sorted(tmp_path.rglob("form*.*")) for item in read_file(path)]
    assert sorted(f.header.project for f in read if isinstance(f, Form)) == sorted(
        f.header.project for f in folder.forms
    )
    bad = [item for path in folder.unreadable for item in read_file(path)]
    assert all(isinstance(item, Unreadable) for item in bad) and len(bad) == len(UNREADABLE)

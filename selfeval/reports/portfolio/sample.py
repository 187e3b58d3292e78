"""A reproducible, weighted review sample (抽查): which forms a reviewer re-scores.

The frame (抽样框) is every readable form of the folder, each project once. Each form
gets a weight from the profile's ``[sample]`` table (amount, findings, self-score;
see :class:`selfeval.profiles.policy.SampleWeights`). The draw is weighted sampling without
replacement by exponential keys (Efraimidis & Spirakis, 2006): form *i* gets
``key = −ln(u) ÷ weight`` and the ``n`` smallest keys are drawn. ``u`` is not taken
from a random generator but from SHA-256 of ``"<seed>|<form id>"`` (the first 64 bits,
plus ½, over 2⁶⁴), where the form id is its path relative to the folder given, its
sheet and first row. So the same seed, folder and profile give the same list on any
machine, operating system and Python version, whatever order the files are listed in;
and each form's key can be recomputed by hand from the 抽样说明 sheet.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook

from selfeval.form import vocabulary as vocab
from selfeval.profiles.policy import SampleWeights
from selfeval.reports.portfolio.columns import BUDGET_HEADING
from selfeval.reports.portfolio.summary import Portfolio, Row
from selfeval.reports.portfolio.tables import _cell, _filter, _sheet

METHOD = (
    "加权无放回抽样（Efraimidis–Spirakis 指数键法）：每份表的随机数 u 取 SHA-256(“种子|表标识”) "
    "的前 64 位加 0.5 再除以 2^64，抽样键 = −ln(u) ÷ 权重，取抽样键最小的 n 份。"
    "表标识为文件相对于所给文件夹的路径、工作表名和起始行，以 | 相连。同一种子、同一批文件、同一评分口径，"
    "在任何电脑上都抽出同一份清单。"
)


@dataclass(frozen=True)
class Unit:
    """One form of the frame: its id, its weight and the parts of the weight."""

    row: Row
    id: str
    weight: float
    parts: tuple[float, float, float, float]  # base, amount, findings, score
    key: float  # exponential key (smaller: drawn first)


def form_id(row: Row, base: Path) -> str:
    """``相对路径|工作表|起始行``: the form's name in the frame, the same on every machine."""
    try:
        rel = Path(os.path.relpath(os.path.abspath(row.file), base)).as_posix()
    except ValueError:  # another drive on Windows
        rel = Path(row.file).as_posix()
    return "|".join(str(part) for part in (rel, row.sheet, row.first_row) if part)


def uniform(seed: int, ident: str) -> float:
    """A number in (0, 1) from SHA-256 of ``"seed|id"``."""
    digest = hashlib.sha256(f"{seed}|{ident}".encode()).digest()
    return (int.from_bytes(digest[:8], "big") + 0.5) / 2**64


def exp_key(seed: int, ident: str, weight: float) -> float:
    """The form's exponential key, −ln(u) ÷ weight: the ``n`` smallest are drawn."""
    return -math.log(uniform(seed, ident)) / weight


def weight_parts(row: Row, largest_budget: float, w: SampleWeights) -> tuple[float, ...]:
    """(base, amount, findings, score) parts of a form's weight."""
    amount = w.amount * (row.budget or 0.0) / largest_budget if largest_budget > 0 else 0.0
    problems = min(row.errors + row.warnings, w.findings_cap)
    findings = w.findings * problems / w.findings_cap
    stated = row.stated_total if isinstance(row.stated_total, float | int) else row.total
    score = w.score * max((stated or 0.0) - 60.0, 0.0) / 40.0
    return w.base, amount, findings, score


def frame(portfolio: Portfolio, base: Path, seed: int) -> list[Unit]:
    """Every counted form with its weight and key, in the order of their ids."""
    w = portfolio.profile.sample
    largest = max((r.budget or 0.0 for r in portfolio.forms), default=0.0)
    units = []
    for row in portfolio.forms:
        ident = form_id(row, base)
        parts = weight_parts(row, largest, w)
        weight = sum(parts)
        rounded = tuple(round(p, 6) for p in parts)
        units.append(Unit(row, ident, weight, rounded, exp_key(seed, ident, weight)))  # type: ignore[arg-type]
    return sorted(units, key=lambda u: u.id)


def draw(units: Sequence[Unit], n: int) -> list[Unit]:
    """The ``n`` units with the smallest keys, in the order drawn."""
    return sorted(units, key=lambda u: (u.key, u.id))[:n]


def base_folder(paths: Sequence[Path]) -> Path:
    """The folder form ids are relative to: the common folder of the inputs."""
    folders = [os.path.abspath(p if p.is_dir() else p.parent) for p in paths]
    return Path(os.path.commonpath(folders))


# -- 抽查清单.xlsx -----------------------------------------------------------------------

LIST_HEADINGS = ("抽中顺序", "序号", vocab.IMPLEMENTER, vocab.PROJECT, BUDGET_HEADING, "填报总分")
LIST_HEADINGS += ("错误", "警告", "权重", "抽样键", "文件", "工作表", "表标识")
FRAME_HEADINGS = ("表标识", vocab.IMPLEMENTER, vocab.PROJECT, BUDGET_HEADING, "填报总分", "错误")
FRAME_HEADINGS += ("警告", "基础权重", "金额权重", "问题权重", "自评分权重", "权重", "随机数 u")
FRAME_HEADINGS += ("抽样键", "是否抽中")


def sample_workbook(
    units: list[Unit], drawn: list[Unit], seed: int, n: int, about: list[tuple[str, str]]
) -> bytes:
    """抽查清单 (the forms drawn), 抽样框 (every form, its weight and key), 抽样说明."""
    wb = Workbook(write_only=True)
    ws = _sheet(wb, "抽查清单", list(LIST_HEADINGS), [8, 7, 24, 30, 16, 9, 6, 6, 9, 12, 40, 12, 40])
    for order, u in enumerate(drawn, 1):
        r = u.row
        values = (order, r.index, r.implementer, r.project, r.budget, r.stated_total)
        values += (r.errors, r.warnings, round(u.weight, 4), u.key, r.file, r.sheet, u.id)
        ws.append([_cell(ws, v) for v in values])
    _filter(ws, len(LIST_HEADINGS), len(drawn))
    widths = [40, 24, 30, 16, 9, 6, 6, 9, 9, 9, 9, 9, 12, 12, 9]
    ws = _sheet(wb, "抽样框", list(FRAME_HEADINGS), widths)
    chosen = {u.id for u in drawn}
    for u in units:
        r = u.row
        values = (u.id, r.implementer, r.project, r.budget, r.stated_total, r.errors, r.warnings)
        values += (*u.parts, round(u.weight, 4), uniform(seed, u.id), u.key)
        values += ("是" if u.id in chosen else "否",)
        ws.append([_cell(ws, v) for v in values])
    _filter(ws, len(FRAME_HEADINGS), len(units))
    ws = _sheet(wb, "抽样说明", ["项目", "内容"], [18, 100])
    for label, text in [("随机数种子", str(seed)), ("抽取份数", str(n)), *about]:
        ws.append([_cell(ws, label), _cell(ws, text)])
    ws.append([_cell(ws, "抽样方法"), _cell(ws, METHOD)])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def weight_rule(w: SampleWeights) -> str:
    """The weight formula with the profile's numbers, in Chinese."""
    return (
        f"权重 = {w.base:g} + {w.amount:g} × {vocab.BUDGET} ÷ 抽样框中最大的{vocab.BUDGET} "
        f"+ {w.findings:g} × min(错误数 + 警告数, {w.findings_cap}) ÷ {w.findings_cap} "
        f"+ {w.score:g} × max(填报总分 − 60, 0) ÷ 40"
    )

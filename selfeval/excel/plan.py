"""The writes of a button, planned once for both ribbons (Excel and WPS).

A planner takes the workbook as the buttons see it (:class:`~selfeval.excel.workbook.BookView`:
the forms, the grids they came from, the ledger of marks) and returns a :class:`Plan`:
the findings, every write (values, fills, notes, whole sheets) with what it replaces,
the ledger that makes 撤销评分 and 清除标记 exact, the sheets whose protection must be
lifted for the writes, and the message to show. Nothing is written here.

The Excel add-in applies a plan to an ``xw.Book`` (:mod:`selfeval.excel.apply`); the
WPS add-in receives it as JSON from the checking service (``POST /api/plan``,
:func:`plan_file`, :meth:`Plan.to_json`) and applies it through WPS's object model.
The ledger is written into the hidden sheet ``_selfeval_state`` by the plan's first
write, so it travels with the workbook: the next plan reads it back from the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.errors import InputError
from selfeval.excel import book_io
from selfeval.excel.book_file import view_of_file
from selfeval.excel.marks import STATE_SHEET, Diff, Ledger, Mark, same_value
from selfeval.excel.workbook import RESULTS_SHEET, BookView
from selfeval.form.findings import Finding, Severity, show_value
from selfeval.form.model import Form
from selfeval.layouts.layout import layout_for
from selfeval.pipeline.results import FormResult, check_form, unreadable_result, workpaper_result
from selfeval.readers.workpaper import workpaper_in
from selfeval.rules.check import FIELD_LABELS
from selfeval.rules.rescore import Change, rescore
from selfeval.writers.marks import rescore_note

TITLE = "绩效自评"
RESULT_HEADINGS = ["严重程度", "代码", "单元格", "说明", "应为", "实为"]
PLAN_VERSION = 1


class AddinError(InputError):
    """Something the user must fix before a button can run; the message is Chinese."""


@dataclass
class Write:
    """One write and what it replaces.

    ``op`` is ``values`` / ``fills`` (``cells``: cell -> (new, old)), ``notes`` (``cells``:
    cell -> (our new note text, our note text now); None: no note of ours), ``sheet``
    (sheet ``sheet`` to hold ``rows``; ``before``: its rows now, None when it does not
    exist) or ``delete_sheet`` (``before``: its rows now).
    """

    op: str
    sheet: str
    cells: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    rows: list[list[Any]] | None = None
    before: list[list[Any]] | None = None
    hidden: bool = False


@dataclass
class Plan:
    """Every write a button will make, in order (the ledger first), and what to say."""

    action: str
    writes: list[Write] = field(default_factory=list)
    sheets: set[str] = field(default_factory=set)
    """Sheets the writes touch: their protection is lifted for the writes."""
    structure: bool = False
    """Sheets are added or deleted: the workbook's structure protection is lifted."""
    message: str = ""
    summary: str = ""
    """Validate's counts, said even when the writes are refused."""
    findings: list[Finding] = field(default_factory=list)
    results: list[FormResult] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    protection: dict[str, dict[str, Any]] = field(default_factory=dict)
    """How the sheets the writes touch ("" the workbook's structure) are protected, where
    the view tells: the options to put back, and whether a password guards them."""

    # -- filling ------------------------------------------------------------------------

    def values(self, sheet: str, new: dict[str, Any], old: dict[str, Any]) -> None:
        if new:
            self.sheets.add(sheet)
            self.writes.append(Write("values", sheet, {c: (v, old.get(c)) for c, v in new.items()}))

    def marks(self, diff: Diff) -> None:
        """The fills (one write per sheet) and notes of ``diff``."""
        for sheet, fills in diff.fills.items():
            self.sheets.add(sheet)
            self.writes.append(Write("fills", sheet, dict(fills)))
        for sheet, notes in diff.notes.items():
            self.sheets.add(sheet)
            self.writes.append(Write("notes", sheet, dict(notes)))

    def replace_sheet(self, view: BookView, name: str, rows: list[list[Any]]) -> None:
        """Sheet ``name`` to hold ``rows`` (added after the last sheet if missing)."""
        before = view.rows_of(name)
        self.structure |= before is None
        self.writes.append(Write("sheet", name, rows=rows, before=before))

    def delete_sheet(self, view: BookView, name: str) -> None:
        before = view.rows_of(name)
        if before is not None:
            self.structure = True
            self.writes.append(Write("delete_sheet", name, before=before))

    def finish(self, view: BookView) -> Plan:
        """The ledger's own write goes first (so a failure puts the stored one back)."""
        self.ledger = view.ledger
        touched = self.sheets | ({STATE_SHEET, RESULTS_SHEET} & {w.sheet for w in self.writes})
        self.protection = {
            name: p
            for name, p in view.protections.items()
            if name in touched or (name == "" and self.structure)
        }
        if view.ledger.rows() == view.stored.rows():
            return self
        # the stored ledger as it is written (not as read: Excel reads text "1" back as typed)
        before = _typed_rows(view.stored.rows()) if view.stored.marks else None
        if view.ledger.marks:
            rows = _typed_rows(view.ledger.rows())
            write = Write("sheet", STATE_SHEET, rows=rows, before=before, hidden=True)
        else:
            write = Write("delete_sheet", STATE_SHEET, before=before)
        self.structure |= bool(view.ledger.marks) != bool(view.stored.marks)
        self.writes.insert(0, write)
        return self

    # -- JSON ---------------------------------------------------------------------------

    def to_json(self) -> dict[str, Any]:
        """The plan as the WPS add-in applies it (documented in docs/api.md)."""
        return {
            "version": PLAN_VERSION,
            "action": self.action,
            "title": TITLE,
            "message": self.message,
            "summary": self.summary,
            "findings": [_finding_json(f) for f in self.findings],
            "sheets": sorted(self.sheets),
            "structure": self.structure,
            "protection": self.protection,
            "writes": [_write_json(w) for w in self.writes],
            "ledger": _typed_rows(self.ledger.rows()) if self.ledger.marks else [],
        }


def _typed_rows(rows: list[list[Any]]) -> list[list[Any]]:
    return [[book_io.excel_value(v) for v in row] for row in rows]


def _write_json(w: Write) -> dict[str, Any]:
    out: dict[str, Any] = {"op": w.op, "sheet": w.sheet}
    if w.op == "values":
        out["cells"] = [
            {"cell": c, "value": book_io.excel_value(n), "old": book_io.excel_value(o)}
            for c, (n, o) in w.cells.items()
        ]
    elif w.op == "fills":
        out["cells"] = [{"cell": c, "fill": n, "old": o} for c, (n, o) in w.cells.items()]
    elif w.op == "notes":
        out["cells"] = [{"cell": c, "text": n, "ours": o} for c, (n, o) in w.cells.items()]
    else:
        if w.op == "sheet":
            out["rows"], out["hidden"] = w.rows, w.hidden
        out["before"] = w.before
    return out


def _finding_json(f: Finding) -> dict[str, Any]:
    return {
        "code": str(f.code),
        "severity": f.severity.value,
        "label": f.severity.label,
        "sheet": f.sheet,
        "cell": f.cell,
        "field": f.field,
        "message": f.message,
        "expected": _jsonable(f.expected),
        "found": _jsonable(f.found),
    }


def _jsonable(value: Any) -> Any:
    return value if value is None or isinstance(value, int | float | bool | str) else str(value)


# -- 校验 -------------------------------------------------------------------------------


def validate(view: BookView) -> Plan:
    """Findings of every form (or of a filled 复核底稿) on 校验结果; offending cells
    coloured and noted."""
    paper = workpaper_in(list(view.grids.values()), view.name)
    if paper is not None:
        results = [workpaper_result(paper)]
    else:
        require_forms(view)
        results = [check_form(f, view.profile, view.name) for f in view.forms]
    findings = [f for r in results for f in r.findings]
    marks = _cell_marks(findings)
    old = view.ledger.keys(lambda m: bool(m.severity))

    def edit(mark: Mark) -> None:
        mark.severity, mark.vnote = marks.get((mark.sheet, mark.cell), ("", ""))

    plan = Plan("validate", findings=findings, results=results)
    plan.marks(view.ledger.change([*old, *marks], edit, view.looks, view.anchor_of()))
    plan.replace_sheet(view, RESULTS_SHEET, _result_rows(findings))
    plan.summary = _summary(results)
    plan.message = plan.summary + lost_note(view)
    return plan.finish(view)


def _cell_marks(findings: list[Finding]) -> dict[tuple[str, str], tuple[str, str]]:
    """(sheet, cell) -> (worst severity, note text) for findings that name a cell."""
    marks: dict[tuple[str, str], tuple[str, str]] = {}
    for f in findings:
        if not (f.sheet and f.cell) or f.severity is Severity.INFO:
            continue
        key = (f.sheet, f.cell)
        severity, text = marks.get(key, ("", ""))
        if severity != Severity.ERROR.value:
            severity = f.severity.value
        line = f"{f.severity.label}（{f.code}）：{f.message}"
        marks[key] = (severity, f"{text}\n{line}" if text else line)
    return marks


def _result_rows(findings: list[Finding]) -> list[list[Any]]:
    """The rows of 校验结果, as Excel takes them (text that would be reinterpreted escaped)."""
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    rows: list[list[Any]] = [list(RESULT_HEADINGS)]
    for f in sorted(findings, key=lambda f: order[f.severity]):
        rows.append(
            [
                f.severity.label,
                f.code,
                _cell_link(f),
                book_io.excel_value(f.message),
                _shown(f.expected),
                _shown(f.found),
            ]
        )
    if len(rows) == 1:
        rows.append(["", "", "", "未发现问题", "", ""])
    return rows


def _cell_link(f: Finding) -> str:
    """A HYPERLINK formula to the finding's cell (a click jumps there)."""
    if not (f.sheet and f.cell):
        return book_io.excel_value(f.field)
    sheet = f.sheet.replace("'", "''").replace('"', '""')
    return f'=HYPERLINK("#\'{sheet}\'!{f.cell}","{sheet}!{f.cell}")'


def _shown(value: Any) -> Any:
    if value is None or isinstance(value, int | float | bool):
        return value
    return book_io.excel_value(str(value))


def _summary(results: list[FormResult]) -> str:
    errors = sum(r.errors for r in results)
    warnings = sum(r.warnings for r in results)
    infos = sum(len(r.findings) for r in results) - errors - warnings
    head = (
        "已检查复核底稿："
        if results and results[0].workpaper
        else f"共检查 {len(results)} 张自评表："
    )
    if not errors and not warnings and not infos:
        return head + "未发现问题。"
    return (
        head + f"错误 {errors} 个，警告 {warnings} 个，提示 {infos} 个。"
        f"错误标为红色、警告标为黄色，详见“{RESULTS_SHEET}”工作表。"
    )


# -- 清除标记 ---------------------------------------------------------------------------


def clear(view: BookView) -> Plan:
    """Validate's colours, notes and 校验结果 sheet removed; other fills come back exactly."""
    keys = view.ledger.keys(lambda m: bool(m.severity))

    def edit(mark: Mark) -> None:
        mark.severity, mark.vnote = "", ""

    plan = Plan("clear")
    plan.marks(view.ledger.change(keys, edit, view.looks))
    plan.delete_sheet(view, RESULTS_SHEET)
    plan.message = f"已清除 {len(keys)} 个单元格的校验标记。" + lost_note(view)
    return plan.finish(view)


# -- 重新评分 / 撤销评分 ----------------------------------------------------------------


def rescore_plan(view: BookView) -> Plan:
    """The rules' scores written into cells without formulas; what was there remembered."""
    require_forms(view)
    writes: dict[str, dict[str, Any]] = {}
    notes: dict[tuple[str, str], tuple[Any, str]] = {}
    skipped = 0
    for form in view.forms:
        sheet = form.source.sheet or ""
        protected = _protected_cells(view, form)
        for change in rescore(form, view.profile).changes:
            if not change.cell or change.cell in protected:
                skipped += 1
                continue
            old = view.grids[sheet].at(change.cell)
            writes.setdefault(sheet, {})[change.cell] = (_like(old, change.new), old)
            notes[(sheet, change.cell)] = (old, _label(change))

    def edit(mark: Mark) -> None:
        old, label = notes[(mark.sheet, mark.cell)]
        if not mark.rescored:  # a second Rescore keeps the value before the first
            mark.rescored, mark.old = True, old
        mark.wrote = writes[mark.sheet][mark.cell][0]
        mark.rnote = rescore_note(label, mark.old)

    plan = Plan("rescore")
    for sheet, values in writes.items():
        new = {cell: n for cell, (n, _) in values.items()}
        plan.values(sheet, new, {cell: o for cell, (_, o) in values.items()})
    plan.marks(view.ledger.change(notes, edit, view.looks, view.anchor_of()))
    message = f"已重新评分：改写 {len(notes)} 个单元格（标为蓝色，批注中为原值）。"
    if skipped:
        message += f"另有 {skipped} 处因是公式单元格或位置未知而未改写。"
    plan.message = message + lost_note(view)
    return plan.finish(view)


def restore(view: BookView) -> Plan:
    """Every value Rescore changed put back, and Rescore's marks removed."""
    keys = view.ledger.keys(lambda m: m.rescored)
    lost = [m for m in view.lost if m.rescored]
    if not keys and not lost:
        raise AddinError("没有可撤销的评分：本工作簿尚未重新评分，或已撤销。")
    writes: dict[str, dict[str, Any]] = {}
    current: dict[str, dict[str, Any]] = {}
    edited: list[Mark] = []
    for key in keys:
        mark = view.ledger.marks[key]
        now = view.grids[mark.sheet].at(mark.cell) if mark.sheet in view.grids else None
        if mark.wrote is not None and not same_value(now, mark.wrote):
            edited.append(mark)  # changed since Rescore: the user's figure is kept
            continue
        writes.setdefault(mark.sheet, {})[mark.cell] = mark.old
        current.setdefault(mark.sheet, {})[mark.cell] = now

    def edit(mark: Mark) -> None:
        mark.rescored, mark.old, mark.wrote, mark.rnote = False, None, None, ""

    message = f"已撤销评分：{sum(map(len, writes.values()))} 个单元格恢复为重新评分前的值。"
    if edited:  # said before the marks are cleared, while they still hold the old values
        message += (
            f"另有 {len(edited)} 个单元格在重新评分后又被改动，保留现值未恢复：{_places(edited)}。"
        )
    plan = Plan("restore")
    for sheet, values in writes.items():
        plan.values(sheet, values, current[sheet])
    plan.marks(view.ledger.change(keys, edit, view.looks))
    plan.message = message + lost_note(view)
    return plan.finish(view)


def _places(marks: list[Mark], limit: int = 5) -> str:
    shown = "、".join(
        f"{m.sheet}!{m.cell}" + (f"（原值 {show_value(m.old)}）" if m.rescored else "")
        for m in marks[:limit]
    )
    return shown + (f" 等 {len(marks)} 处" if len(marks) > limit else "")


def lost_note(view: BookView) -> str:
    """What could not be found again since the marks were made, and so was left alone."""
    if not view.lost:
        return ""
    return (
        f"\n另有 {len(view.lost)} 个标记过的单元格找不到了（所在行被删除，或指标名称被改动），"
        f"未作处理，请手工检查：{_places(view.lost)}。"
    )


def _protected_cells(view: BookView, form: Form) -> set[str]:
    """Cells Rescore must not write: formulas, or where unknown, the template's formulas."""
    sheet = form.source.sheet or ""
    cells = view.formula_cells(sheet) or set()
    layout = layout_for(view.grids[sheet].names) if view.grids[sheet].names else None
    if layout is not None:
        cells |= {layout.fields[p] for p in layout.fields if layout.kind(p) == "computed"}
    return cells


def _label(change: Change) -> str:
    return "得分" if change.field.endswith(".score") else FIELD_LABELS.get(change.field, "值")


def _like(old: Any, new: Any) -> Any:
    """The new figure in the form of the old: a rate typed as "99.07%" stays text-like."""
    if isinstance(old, str) and old.strip().endswith("%") and isinstance(new, float):
        return f"{new * 100:.2f}%"
    return new


# -- shared -------------------------------------------------------------------------------


def require_forms(view: BookView) -> None:
    if not view.forms:
        why = view.unreadable[0].why if view.unreadable else "工作簿为空"
        raise AddinError(f"未在工作簿中找到绩效自评表：{why}")


def report_page(view: BookView, link_base: Path | None = None) -> bytes:
    """导出报告: the HTML report of the workbook's forms (links relative to ``link_base``)."""
    # The report's writers load openpyxl, which the button module must not (start-up).
    from selfeval.reports.portfolio import render, summarise

    require_forms(view)
    results = [check_form(f, view.profile, view.name) for f in view.forms]
    results += [unreadable_result(u) for u in view.unreadable]
    return render(summarise(results, view.profile), "html", link_base=link_base)


def report_name(workbook: str) -> str:
    """The report's file name beside the workbook: ``<workbook>_校验报告.html``."""
    return f"{Path(workbook).stem}_校验报告.html"


PLANNERS = {"validate": validate, "rescore": rescore_plan, "restore": restore, "clear": clear}
"""Action name (of ``POST /api/plan``) -> planner."""


def plan_file(
    data: bytes, action: str, name: str = "工作簿.xlsx", profile: str | None = None
) -> Plan:
    """The plan of ``action`` for the workbook whose file is ``data`` (a saved copy's
    bytes, the ledger included in its hidden state sheet). Raises
    :class:`~selfeval.errors.InputError` (Chinese) for an unknown action or a file that
    is no workbook, :class:`AddinError` when the button cannot run on it."""
    planner = PLANNERS.get(action)
    if planner is None:
        known = "、".join(PLANNERS)
        raise InputError(f"未知的操作“{action}”，应为 {known} 之一")
    return planner(view_of_file(data, name, profile))


__all__ = [
    "PLANNERS",
    "AddinError",
    "Plan",
    "Write",
    "clear",
    "plan_file",
    "rescore_plan",
    "restore",
    "validate",
]

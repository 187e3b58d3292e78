"""One summary row per form, computed once from the checked results (汇总).

Every output (HTML, CSV, xlsx) renders the same :class:`Portfolio`, so a figure
shown in the report is computed in one place only. A row is made where the file is
checked (:func:`file_rows`, in a worker for a large folder); once the report writers
have taken its findings, :meth:`Row.compact` keeps only their counts, so a folder's
portfolio holds a compact record per form and no finding.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

from selfeval.form.codes import Code
from selfeval.form.findings import Finding, Severity
from selfeval.form.model import Number
from selfeval.form.values import number
from selfeval.pipeline.results import FormResult, check_file
from selfeval.profiles.policy import Profile
from selfeval.rules.crossform import CrossChecks, CrossForm, FormRecord, record

TO_YUAN = {"元": 1.0, "万元": 10000.0}
"""Amounts are summed in 元 whatever unit each form was filled in."""

SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


@dataclass
class Row:
    """One form (or one unreadable input) as a line of the summary table."""

    index: int  # 序号, 1-based, order of the report
    file: str
    sheet: str | None = None
    first_row: int | None = None  # first row of the form in its sheet
    department: str = ""  # 主管部门
    implementer: str = ""  # 实施单位
    project: str = ""  # 项目名称
    year: int | None = None
    budget: float | None = None  # 全年预算数, in 元
    executed: float | None = None  # 全年执行数, in 元
    rate: float | None = None  # 执行率 computed as 执行数 ÷ 预算数
    stated_total: Number = None  # 总分 as printed (text when unreadable)
    total: float | None = None  # 总分 as computed: 按填报得分 (the unit's scores, funds recomputed)
    rules_total: float | None = None  # 按规则应得: what rescoring writes
    grade: str | None = None  # grade of the computed total
    stated_grade: str | None = None  # grade the printed total claims
    findings: list[Finding] = field(default_factory=list)
    unreadable: str | None = None  # why no form could be read, or None
    duplicate_of: int | None = None  # 序号 of the earlier row of the same project (重复提交)
    cross_findings: list[Finding] = field(default_factory=list)  # from the cross-form checks

    # Cached, the counts below: compact() lets the findings go once they are counted (a
    # report on 10,000 forms keeps the counts of each row, not its findings).
    @cached_property
    def errors(self) -> int:
        return self._count(Severity.ERROR)

    @cached_property
    def warnings(self) -> int:
        return self._count(Severity.WARNING)

    @cached_property
    def infos(self) -> int:
        return self._count(Severity.INFO)

    def _count(self, severity: Severity) -> int:
        return sum(f.severity is severity for f in self.findings)

    @cached_property
    def codes(self) -> Counter[str]:
        return Counter(f.code for f in self.findings)

    @cached_property
    def severities(self) -> dict[str, set[Severity]]:
        """The severities each code was found with (POINTS_CATEGORY may have two)."""
        found: dict[str, set[Severity]] = {}
        for f in self.findings:
            found.setdefault(f.code, set()).add(f.severity)  # type: ignore[arg-type]
        return found

    def compact(self) -> None:
        """Keep the counts the portfolio reads and let the findings go (the report
        writers have rendered them)."""
        for counted in ("errors", "warnings", "infos", "codes", "severities"):
            getattr(self, counted)
        self.findings = []

    def add_cross(self, found: list[Finding]) -> None:
        """The cross-form checks' findings on this row, counted by code with the form's own
        (the counts by severity stay the form's: the 汇总 columns are written before)."""
        self.cross_findings = found
        codes, severities = self.codes, self.severities  # the form's, kept by compact()
        for f in found:
            codes[f.code] += 1
            severities.setdefault(f.code, set()).add(f.severity)  # type: ignore[arg-type]

    @property
    def difference(self) -> float | None:
        """Stated minus computed total (填报总分 − 计算总分)."""
        stated = number(self.stated_total)
        if stated is None or self.total is None:
            return None
        return round(stated - self.total, 2)

    @property
    def total_mismatch(self) -> bool:
        """The rules found the stated 总分 wrong (TOTAL_MISMATCH)."""
        return Code.TOTAL_MISMATCH in self.codes

    @property
    def excellent_with_errors(self) -> bool:
        """Graded 优 (as stated or as computed) although the form has errors."""
        return self.errors > 0 and "优" in (self.grade, self.stated_grade)

    @property
    def flags(self) -> list[str]:
        """Why this row needs attention, in Chinese (重点关注), the cross-form checks'
        reasons included once they have run."""
        return self.form_flags + [f.message for f in self.cross_findings]

    @property
    def form_flags(self) -> list[str]:
        """The reasons known as soon as the form is checked (the cross-form ones are not)."""
        out = []
        if self.unreadable is not None:
            out.append(self.unreadable)
        if self.total_mismatch:
            out.append("总分与计算不符")
        if self.excellent_with_errors:
            out.append("评为优但有错误")
        if self.duplicate_of is not None:
            out.append(f"重复提交（同第 {self.duplicate_of} 份，未重复计入）")
        return out

    @property
    def project_key(self) -> tuple[object, ...] | None:
        """What makes two rows the same project: 年度, 主管部门, 实施单位, 项目名称."""
        if self.unreadable is not None or not self.project.strip():
            return None
        names = (self.department, self.implementer, self.project)
        return (self.year, *("".join(n.split()) for n in names))

    @property
    def codes_text(self) -> str:
        """Codes found, most severe first: ``TOTAL_MISMATCH REASON_MISSING×2``."""
        return " ".join(
            code if n == 1 else f"{code}×{n}" for code, n in sorted_codes(self.codes).items()
        )


@dataclass
class Portfolio:
    """Every row of one report plus the totals the report shows at the top.

    The rows are fixed once the portfolio is built, so the row lists the page and the
    charts read several times are worked out once, like the code counts."""

    rows: list[Row]
    profile: Profile
    cross: CrossChecks = field(default_factory=CrossChecks)

    @property
    def forms(self) -> list[Row]:
        """Rows that are forms (readable inputs), each project counted once: a second
        file of the same project (a resubmission) is left out of every total."""
        return [r for r in self.rows if r.unreadable is None and r.duplicate_of is None]

    @property
    def duplicates(self) -> list[Row]:
        """Rows of a project already counted in an earlier row (重复提交)."""
        return [r for r in self.rows if r.duplicate_of is not None]

    @property
    def unreadable(self) -> list[Row]:
        return [r for r in self.rows if r.unreadable is not None]

    @property
    def mismatched(self) -> list[Row]:
        return [r for r in self.rows if r.total_mismatch]

    @property
    def excellent_with_errors(self) -> list[Row]:
        return [r for r in self.rows if r.excellent_with_errors]

    @property
    def errors(self) -> int:
        return sum(r.errors for r in self.rows)

    @property
    def warnings(self) -> int:
        return sum(r.warnings for r in self.rows)

    @property
    def infos(self) -> int:
        return sum(r.infos for r in self.rows)

    @property
    def budget_total(self) -> float:
        return sum(r.budget or 0.0 for r in self.forms)

    @property
    def overall_rate(self) -> float | None:
        """执行数 ÷ 预算数 over every form with both amounts."""
        pairs = [(r.budget, r.executed) for r in self.forms if r.rate is not None]
        budget = sum(b for b, _ in pairs if b)
        return sum(e for _, e in pairs if e) / budget if budget else None

    @property
    def code_counts(self) -> dict[str, int]:
        """Number of findings per code, most severe and most frequent first."""
        counts: Counter[str] = Counter()
        for r in self.rows:
            counts.update(r.codes)
        return sorted_codes(counts)

    @property
    def code_forms(self) -> dict[str, int]:
        """Number of rows with at least one finding of each code."""
        counts: Counter[str] = Counter()
        for r in self.rows:
            counts.update(set(r.codes))
        return dict(counts)

    @property
    def code_severity(self) -> dict[str, str]:
        """Chinese severity label(s) each code was found with (POINTS_CATEGORY may be two)."""
        found: dict[str, set[Severity]] = {}
        for r in self.rows:
            for code, severities in r.severities.items():
                found.setdefault(code, set()).update(severities)
        return {
            code: "、".join(s.label for s in sorted(sev, key=SEVERITY_ORDER.get))
            for code, sev in found.items()
        }

    @property
    def grade_counts(self) -> dict[str, int]:
        """Forms per computed grade, best grade first (forms without a total left out)."""
        counts = Counter(r.grade for r in self.forms if r.grade)
        return {name: counts.get(name, 0) for name, _ in self.profile.grades}


def sorted_codes(counts: Counter[str]) -> dict[str, int]:
    """Codes ordered by severity, then count (descending), then name."""
    order = sorted(counts, key=lambda c: (SEVERITY_ORDER[Code(c).severity], -counts[c], c))
    return {c: counts[c] for c in order}


def summarise(results: Iterable[FormResult], profile: Profile) -> Portfolio:
    """The portfolio of ``results`` (from :func:`selfeval.pipeline.results.check_paths`)."""
    collector = Collector(profile)
    for result in kept(results):
        collector.add(*made(result, profile))
    return collector.finish()


def made(result: FormResult, profile: Profile) -> tuple[Row, FormRecord | None]:
    """A result's row and its record for the cross-form checks, numbered later by the
    :class:`Collector` (what a worker sends back for a report)."""
    return make_row(0, result, profile), record(0, result.form, result.analysis)


class Collector:
    """Rows numbered as they arrive: a project seen before is marked as a duplicate, and
    each form's compact record is kept for the cross-form checks run at the end."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile
        self.rows: list[Row] = []
        self._seen: dict[tuple[object, ...], int] = {}
        self._cross = CrossForm()

    def add(self, row: Row, rec: FormRecord | None) -> Row:
        index = row.index = len(self.rows) + 1
        key = row.project_key
        if key is not None:
            row.duplicate_of = self._seen.setdefault(key, index)
            if row.duplicate_of == index:
                row.duplicate_of = None
        self._cross.add(None if rec is None else replace(rec, index=index))
        self.rows.append(row)
        return row

    def finish(self) -> Portfolio:
        skip = frozenset(r.index for r in self.rows if r.duplicate_of is not None)
        cross = self._cross.finish(skip)
        for index, found in cross.findings.items():
            self.rows[index - 1].add_cross(found)
        return Portfolio(self.rows, self.profile, cross)


def kept(results: Iterable[FormResult]) -> Iterable[FormResult]:
    """Results that belong in a report: every form and unreadable input, not the files
    skipped as selfeval's own outputs."""
    return (r for r in results if r.skipped is None)


@dataclass
class FileRows:
    """One file's rows (numbered later, in report order) and the files it skipped."""

    items: list[tuple[Row, FormRecord | None]]
    skipped: list[str]


def file_rows(path: Path, profile: Profile, override: bool = True) -> FileRows:
    """Check one file and summarise it: what a worker sends back for a report (``override``:
    :func:`~selfeval.pipeline.results.judging_profile`)."""
    results = check_file(path, profile, override)
    skipped = [f"跳过 {r.file}：{r.skipped}" for r in results if r.skipped is not None]
    return FileRows([made(r, profile) for r in kept(results)], skipped)


def make_row(index: int, result: FormResult, profile: Profile) -> Row:
    """The summary row of one result (序号 ``index``)."""
    form, a = result.form, result.analysis
    if form is None or a is None:
        first = result.findings[0] if result.findings else None
        why = first.message if first else "未找到自评表"
        if result.workpaper:  # selfeval review's output, read back: not a form
            why = "这是复核底稿（selfeval review 生成），不是自评表，未计入汇总"
        sheet = first.sheet if first else None
        return Row(index, result.file, sheet, findings=result.findings, unreadable=why)
    to_yuan = TO_YUAN.get(form.funds.unit, 1.0)
    budget, executed = number(form.funds.total.annual_budget), number(form.funds.total.executed)
    stated = number(form.stated_total)
    return Row(
        index,
        result.file,
        form.source.sheet,
        form.source.row,
        department=form.header.department,
        implementer=form.header.implementer,
        project=form.header.project,
        year=form.header.year,
        budget=budget * to_yuan if budget is not None else None,
        executed=executed * to_yuan if executed is not None else None,
        rate=a.execution_rate,
        stated_total=form.stated_total,
        total=a.total,
        rules_total=a.rules_total,
        grade=a.grade,
        stated_grade=profile.grade(stated) if stated is not None else None,
        findings=result.findings,
    )

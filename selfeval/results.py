"""One result per form found: the form, its findings and computed figures.

:func:`check_paths` is the pipeline every front end shares (CLI, report,
add-in): files -> readers -> forms -> rules. :meth:`FormResult.to_dict` is the
JSON contract documented in the README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.analysis import Analysis, analyse, number
from selfeval.findings import Finding, Severity
from selfeval.model import Form
from selfeval.profiles import Profile
from selfeval.readers import Unreadable, expand_inputs, read_file
from selfeval.rules import validate


@dataclass
class FormResult:
    """A checked form, or an input that yielded none (``form`` is None)."""

    file: str
    form: Form | None
    findings: list[Finding] = field(default_factory=list)
    analysis: Analysis | None = None

    @property
    def errors(self) -> int:
        return sum(f.severity is Severity.ERROR for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity is Severity.WARNING for f in self.findings)

    @property
    def unreadable(self) -> bool:
        return self.form is None

    def to_dict(self) -> dict[str, Any]:
        form, a = self.form, self.analysis
        source = {"file": self.file, "sheet": None, "row": None}
        if form is None or a is None:
            return {
                "source": source,
                "layout": None,
                "project": None,
                "stated": None,
                "computed": None,
                "findings": [f.to_dict() for f in self.findings],
            }
        source.update(sheet=form.source.sheet, row=form.source.row)
        return {
            "source": source,
            "layout": form.layout,
            "project": form.header.project,
            "stated": {
                "execution_rate": number(form.funds.total.stated_rate),
                "funds_score": number(form.funds.stated_score),
                "total": number(form.stated_total),
            },
            "computed": {
                "execution_rate": a.execution_rate,
                "funds_score": a.funds_score,
                "points_total": a.points_total,
                "total": a.total,
                "grade": a.grade,
                "rate_convention": a.rate_convention,
            },
            "findings": [f.to_dict() for f in self.findings],
        }


def check_form(form: Form, profile: Profile, file: str | None = None) -> FormResult:
    return FormResult(
        file or form.source.file or "", form, validate(form, profile), analyse(form, profile)
    )


def unreadable_result(item: Unreadable) -> FormResult:
    finding = Finding(
        item.code, "file", sheet=item.sheet, params={"why": item.why}, found=item.file
    )
    return FormResult(item.file, None, [finding])


def check_paths(
    paths: Iterable[Path],
    profile: Profile,
    progress: Callable[[int, int, Path], None] | None = None,
) -> Iterator[FormResult]:
    """Check every form in every file (folders searched recursively)."""
    files = list(expand_inputs(paths))
    for n, path in enumerate(files, 1):
        if progress:
            progress(n, len(files), path)
        for item in read_file(path):
            if isinstance(item, Unreadable):
                yield unreadable_result(item)
            else:
                yield check_form(item, profile, str(path))

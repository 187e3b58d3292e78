"""What one file gives ``selfeval validate``: the pipeline checks it, the report renders
it. A module-level function, so that worker processes can run it (imported by the
command's ``run``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selfeval.form.findings import Severity
from selfeval.pipeline.results import Tally, check_file, profile_notes
from selfeval.profiles.policy import Profile
from selfeval.reports.text import rendered


@dataclass
class Printed:
    """What one file contributes to the output: all a worker sends back."""

    pieces: list[Any]  # text blocks, JSON items or HTML form sections, in order
    tally: Tally
    notes: list[str] = field(default_factory=list)  # lines for stderr (files skipped)


def printed(
    path: Path,
    profile: Profile,
    fmt: str,
    min_severity: Severity,
    link_base: Path | None = None,
    override: bool = True,
) -> Printed:
    """One file checked (the pipeline) and rendered in ``fmt`` (the report); ``override``:
    ``profile`` was named by the user and judges templates built under another one too."""
    results = check_file(path, profile, override)
    forms = (r.form for r in results if r.form is not None)
    notes = profile_notes(forms, profile) if override else []
    pieces, skipped = rendered(results, fmt, min_severity, link_base)
    return Printed(pieces, Tally.of(results), notes + skipped)

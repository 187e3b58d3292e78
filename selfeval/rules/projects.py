"""A project list checked as forms are checked: each project's pre-filled form goes
through the rules engine, and what the rules find about a figure the list fills in
(header, budget, 分值, the levels of an indicator) refuses the list, with the same
codes and Chinese messages as on any form. A form that is wrong before anyone fills it
in would show red to every unit that receives it.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from selfeval.form.findings import Finding
from selfeval.form.model import Form
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, load_profile
from selfeval.readers.projects import Project, ProjectsError, read_projects
from selfeval.rules.check import run_rules

_FILLED = re.compile(
    r"header\.\w+"
    r"|funds\.total\.(?:initial_budget|annual_budget)"
    r"|stated_points_total|category_weights\..+"
    r"|indicators\[\d+\]\.(?:level1|level2|name|points)"
)
"""The fields whose findings are the list's doing. Left out: the blank fields the unit
fills in; 资金分值, which a list may set to what its province uses (the form prints no
weight to compare it with); and the reading of a target (TARGET_NO_OPERATOR and the
like are for the unit to read on the form, not a reason to refuse the list)."""

_ROW = re.compile(r"indicators\[(\d+)\]")


def project_forms(path: Path, profile: Profile | None = None) -> list[Form]:
    """The pre-filled forms of the project list at ``path``, each right before anyone
    fills it in under ``profile`` (default national; its 资金分值 filled in where the
    list gives none). Raises :class:`ProjectsError` listing every problem of the list,
    each naming the project (and indicator) and what is wrong."""
    profile = profile or load_profile(DEFAULT_PROFILE)
    listing = read_projects(path)
    problems: list[str] = []
    for project in listing.projects:
        if project.form.funds.points is None:
            project.form.funds.points = profile.funds_weight
        problems += project.problems
        if project.readable:
            problems += [_say(project, f) for f in plan_findings(project.form, profile)]
    problems += listing.problems
    if problems:
        raise ProjectsError(
            f"{listing.name} 有以下问题：\n" + "\n".join(f"  - {p}" for p in problems)
        )
    return [project.form for project in listing.projects]


def plan_findings(form: Form, profile: Profile) -> list[Finding]:
    """What the rules find about the figures a pre-filled ``form`` already holds (the
    review checks aside: they judge what a unit reports, not the plan)."""
    found, _ = run_rules(form, dataclasses.replace(profile, review=None))
    filled = [f for f in found if _FILLED.fullmatch(f.field)]
    if not form.indicators:  # said once by the reader, not as every subtotal being off
        return [f for f in filled if f.field.startswith(("header.", "funds."))]
    return filled


def _say(project: Project, finding: Finding) -> str:
    row = _ROW.match(finding.field)
    where = f"{project.where} 第 {int(row[1]) + 1} 个指标" if row else project.where
    return f"{where}：{finding.code} {finding.message}"

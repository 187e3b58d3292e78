"""The year's templates: blank forms, pre-filled forms per project, and the
staleness check CI runs on the committed ``templates/`` folder."""

from __future__ import annotations

import re
from pathlib import Path

from selfeval.files import make_folder, write_atomically
from selfeval.layouts.layout import available_layouts, layout_spec
from selfeval.profiles.policy import DEFAULT_PROFILE, Profile, load_profile
from selfeval.rules.projects import project_forms
from selfeval.writers.template import blank_workbook, form_workbook
from selfeval.writers.template.package import same_content


def layouts_of(choice: str) -> tuple[str, ...]:
    """A layout name (``standard``, ``sichuan`` ...) or ``all`` -> layout names."""
    if choice == "all":
        return available_layouts()
    layout_spec(choice)  # LayoutError (a ValueError) naming the layouts there are
    return (choice,)


_INVALID = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?", re.IGNORECASE)


def safe_filename(name: str, limit: int = 80) -> str:
    """``name`` usable as a file name on Windows (no <>:"/\\|?*, no reserved names)."""
    text = _INVALID.sub("_", name).strip().rstrip(". ")[:limit].rstrip(". ")
    if not text:
        return "未命名项目"
    return f"_{text}" if _RESERVED.fullmatch(text) else text


def blank_name(layout: str, year: int, profile: Profile) -> str:
    """``财政项目支出绩效自评表_2026.xlsx``; other profiles add their name."""
    suffix = "" if profile.name == DEFAULT_PROFILE else f"_{safe_filename(profile.name)}"
    return f"{layout_spec(layout).title}_{year}{suffix}.xlsx"


def blank_files(year: int, layouts: tuple[str, ...], profile: Profile) -> dict[str, bytes]:
    """File name -> bytes of the blank templates of one year."""
    return {
        blank_name(layout, year, profile): blank_workbook(layout, year, profile)
        for layout in layouts
    }


def project_files(
    projects: Path, year: int, layouts: tuple[str, ...], profile: Profile
) -> dict[str, bytes]:
    """File name -> bytes of one pre-filled workbook per project and layout."""
    files: dict[str, bytes] = {}
    for form in project_forms(projects, profile):
        form.header.year = year
        for layout in (form.layout,) if form.layout else layouts:  # the project's own 表样
            stem = f"{layout_spec(layout).title}_{safe_filename(form.header.project)}_{year}"
            name, n = f"{stem}.xlsx", 2
            while name in files:  # two names that differ only in unsafe characters
                name, n = f"{stem}_{n}.xlsx", n + 1
            files[name] = form_workbook(form, profile, year, layout)
    return files


def write_files(files: dict[str, bytes], folder: Path) -> list[Path]:
    make_folder(folder)
    paths = []
    for name, data in files.items():
        paths.append(write_atomically(folder / name, data))
    return paths


_BLANK = re.compile(r"(?P<title>.+?)_(?P<year>\d{4})(?:_(?P<profile>[^_]+))?\.xlsx")


def stale_templates(out: Path, years: list[int] | None = None) -> list[str]:
    """Committed blank templates under ``out/<year>/`` that the code would write differently.

    Checks every year folder (or ``years``): every layout under the default profile
    must be there, and every file named after another profile is rebuilt with it.
    """
    if years is None:
        years = sorted(int(p.name) for p in out.glob("[0-9][0-9][0-9][0-9]") if p.is_dir())
    if not years:
        return [f"{out}（没有找到任何年度模板）"]
    stale = []
    titles = {layout_spec(layout).title: layout for layout in available_layouts()}
    for year in years:
        folder = out / str(year)
        expected = blank_files(year, available_layouts(), load_profile(DEFAULT_PROFILE))
        for path in sorted(folder.glob("*.xlsx")):
            match = _BLANK.fullmatch(path.name)
            if path.name in expected or not match or match["title"] not in titles:
                continue
            if match["profile"] and int(match["year"]) == year:
                profile = load_profile(match["profile"])
                expected |= blank_files(year, (titles[match["title"]],), profile)
        for name, data in expected.items():
            path = folder / name
            if not path.is_file() or not same_content(path.read_bytes(), data):
                stale.append(str(path))
    return stale

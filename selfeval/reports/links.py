"""Links from a report to the workbooks it describes, relative to the report's folder
(a report and its forms can be moved or shared together); ``#'工作表'!G21`` opens the
workbook at the cell in Excel. Used by the portfolio report and the validation report."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from selfeval.form.findings import Finding


def cell_fragment(sheet: str | None, cell: str) -> str:
    """``#'工作表'!G21`` as Excel reads it after a workbook link (a ' in the name doubled)."""
    target = f"'{sheet.replace(chr(39), chr(39) * 2)}'!{cell}" if sheet else cell
    return "#" + quote(target, safe="'!")


class Links:
    """Links from the report to the forms' files, relative to the report's folder.

    Each file is worked out once (a report links to a file from several places),
    with plain path arithmetic: no file system call per link.
    """

    def __init__(self, link_base: Path | None) -> None:
        self.base = os.path.abspath(link_base or Path.cwd())
        self._cache: dict[str, tuple[str, str]] = {}

    def _get(self, file: str) -> tuple[str, str]:
        if file not in self._cache:
            path = os.path.abspath(file)
            try:
                rel = Path(os.path.relpath(path, self.base))
            except ValueError:  # another drive on Windows: no relative path exists
                self._cache[file] = (Path(path).as_uri(), file)
            else:
                shown = file if rel.parts[:1] == ("..",) else rel.as_posix()
                self._cache[file] = (quote(rel.as_posix()), shown)
        return self._cache[file]

    def shown(self, file: str) -> str:
        """The path as shown: relative to the report when it lies below the report's folder."""
        return self._get(file)[1]

    def href(self, file: str, finding: Finding | None = None) -> str:
        """A link to ``file``, with ``#'工作表'!单元格`` as Excel reads it when the
        finding has a cell."""
        if finding is not None and finding.cell:
            return self.cell(file, finding.sheet, finding.cell)
        return self._get(file)[0]

    def cell(self, file: str, sheet: str | None, cell: str) -> str:
        """A link that Excel opens at ``sheet!cell`` of ``file``."""
        return self._get(file)[0] + cell_fragment(sheet, cell)

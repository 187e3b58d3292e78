"""Reproducible .xlsx files: the same inputs give the same bytes.

openpyxl stamps the save time into docProps/core.xml and the zip entries; both
are replaced by a fixed moment (1 January of the form's year).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from openpyxl.workbook.workbook import Workbook

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_STAMP = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def workbook_bytes(wb: Workbook, year: int) -> bytes:
    """The workbook as .xlsx bytes with fixed timestamps."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = f"{year:04d}-01-01T00:00:00Z".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = _STAMP.sub(lambda m: m[1] + stamp + m[3], data)
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, data)
    return out.getvalue()


def save(wb: Workbook, path: Path, year: int) -> Path:
    data = workbook_bytes(wb, year)
    path.write_bytes(data)
    return path


def same_content(a: bytes, b: bytes) -> bool:
    """Two .xlsx files hold the same parts (compression levels may differ)."""
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        if za.namelist() != zb.namelist():
            return False
        return all(za.read(n) == zb.read(n) for n in za.namelist())

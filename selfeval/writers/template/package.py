"""Reproducible .xlsx files: the same inputs give the same bytes.

openpyxl stamps the save time into docProps/core.xml and into every zip entry.
The workbook is written through a zip archive that fixes both: entries dated
1980-01-01, document created/modified on 1 January of the form's year.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from xml.etree import ElementTree

from openpyxl.workbook.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


class _FixedTimeZip(zipfile.ZipFile):
    """A zip archive whose entries all carry the same date and permissions."""

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):
        name = getattr(zinfo_or_arcname, "filename", zinfo_or_arcname)
        info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        super().writestr(info, data)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):
        with open(filename, "rb") as handle:  # openpyxl's temporary worksheet files
            self.writestr(arcname or filename, handle.read())


def workbook_bytes(wb: Workbook, year: int) -> bytes:
    """The workbook as .xlsx bytes with fixed timestamps."""
    moment = datetime.datetime(year, 1, 1)
    wb.properties.created = wb.properties.modified = moment
    out = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook() would stamp "now" as modified.
    ExcelWriter(wb, _FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED)).save()
    return out.getvalue()


def same_content(a: bytes, b: bytes) -> bool:
    """Two .xlsx files hold the same parts: XML compared canonically (C14N 2.0), so
    compression level and serialiser details (``<a />`` or ``<a/>``) do not count."""
    with zipfile.ZipFile(io.BytesIO(a)) as za, zipfile.ZipFile(io.BytesIO(b)) as zb:
        if za.namelist() != zb.namelist():
            return False
        return all(_canonical(za.read(n)) == _canonical(zb.read(n)) for n in za.namelist())


def _canonical(data: bytes) -> bytes:
    if not data.lstrip().startswith(b"<"):
        return data
    try:
        return ElementTree.canonicalize(data.decode("utf-8")).encode("utf-8")
    except (ElementTree.ParseError, UnicodeDecodeError):
        return data

"""Workbooks (.xlsx .xlsm .xls .ods): sniff the real format, load grids, find forms.

The format is decided by the file's first bytes, not its name: old offices save
web pages as ``.xls`` and password-protected ``.xlsx`` files are OLE containers.
Any failure becomes an :class:`Unreadable` with a Chinese reason; nothing is
written and the file is opened read-only. The expected failures (not a
spreadsheet, broken, encrypted, over a limit, hostile XML) say what is wrong; any
other exception is a bug of ours or of a parser: it is logged with the file and
its traceback, and the reason says so.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path
from types import ModuleType
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from python_calamine import CalamineError

from selfeval.errors import os_reason
from selfeval.form.codes import Code
from selfeval.readers import ods, xls, xlsx
from selfeval.readers.found import OwnOutput, ReadResult, Unreadable
from selfeval.readers.grid import Grid
from selfeval.readers.limits import (
    BROKEN_ZIP,
    ENCRYPTED,
    MAX_FILE_BYTES,
    UNSAFE_XML,
    OwnOutputFile,
    WorkbookError,
)
from selfeval.readers.locate import forms_in_grids
from selfeval.readers.workpaper import workpaper_in

_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAMS = ("EncryptionInfo", "EncryptedPackage")

log = logging.getLogger(__name__)

CORRUPT = "文件已损坏或不是有效的电子表格，无法读取"
_CORRUPT_ERRORS = (CalamineError, zipfile.BadZipFile, zlib.error, EOFError, ParseError)
"""What the parsers raise on a damaged file: not a bug, the file's own fault."""

PROGRAM_ERROR = "读取时发生程序错误（已记入日志），请把该文件发给模板维护人员"


def read_workbook(path: Path) -> list[ReadResult]:
    """Every form in every sheet of the workbook at ``path``, or one Unreadable."""
    file = str(path)
    try:
        grids = load_grids(path)
    except OwnOutputFile as exc:
        return [OwnOutput(file, str(exc))]
    except WorkbookError as exc:
        return [Unreadable(file, Code.READ_ERROR, str(exc))]
    except OSError as exc:
        return [Unreadable(file, Code.READ_ERROR, f"无法打开文件：{os_reason(exc)}")]
    except DefusedXmlException:
        return [Unreadable(file, Code.READ_ERROR, UNSAFE_XML)]
    except MemoryError:
        return [Unreadable(file, Code.READ_ERROR, "文件过大，内存不足，未读取")]
    except _CORRUPT_ERRORS:
        return [Unreadable(file, Code.READ_ERROR, CORRUPT)]
    except Exception:  # noqa: BLE001 - one odd file must not stop a folder run
        log.exception("unexpected error reading workbook %s", file)
        return [Unreadable(file, Code.READ_ERROR, PROGRAM_ERROR)]
    try:
        if (paper := workpaper_in(grids, file)) is not None:
            return [paper]
        return forms_in_grids(grids, file)
    except Exception:  # noqa: BLE001 - one odd sheet must not stop a folder run
        log.exception("unexpected error locating forms in %s", file)
        return [Unreadable(file, Code.READ_ERROR, PROGRAM_ERROR)]


def load_grids(path: Path) -> list[Grid]:
    """The sheets of a workbook as grids, whatever its name says (WorkbookError if not one)."""
    size = path.stat().st_size
    if size == 0:
        raise WorkbookError("文件是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise WorkbookError(
            f"文件过大（{size // 2**20} MB），超过 {MAX_FILE_BYTES // 2**20} MB 的上限"
        )
    return _module(path).load(path)


def _module(path: Path) -> ModuleType:
    with path.open("rb") as f:
        head = f.read(100)
    if head.startswith(_ZIP):
        # An ODF package stores its "mimetype" member first, uncompressed (ODF 1.2 §3.3).
        if not (head[30:38] == b"mimetype" and b"opendocument.spreadsheet" in head):
            return xlsx
        if not zipfile.is_zipfile(path):
            raise WorkbookError(BROKEN_ZIP)
        return ods
    if head[:8] == _OLE:
        _refuse_encrypted(path)
        return xls
    if head.lstrip().lower().startswith((b"<", b"\xef\xbb\xbf<")):
        raise WorkbookError(
            "文件是网页或 XML 格式（可能由其他软件另存为 .xls），请在 Excel 中另存为 .xlsx 后再提交"
        )
    raise WorkbookError("文件不是电子表格（不是 Excel 或 ODS 格式）")


def _refuse_encrypted(path: Path) -> None:
    """An OLE file holding an encrypted Office package is a password-protected .xlsx."""
    import olefile  # only for OLE files: not loaded on every start (test_startup_imports)

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry) for entry in ole.listdir()}
    except Exception as exc:  # noqa: BLE001 - on a damaged file olefile raises anything
        raise WorkbookError("文件不完整或已损坏（OLE 结构无法解析）") from exc
    if any(name in streams for name in _ENCRYPTED_STREAMS):
        raise WorkbookError(ENCRYPTED)

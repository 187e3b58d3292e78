"""Limits that keep hostile or absurd workbooks cheap to refuse.

Every workbook is untrusted input: a zip bomb, a sheet of 200,000 rows or a
corrupt file must give a clear Chinese reason in bounded time and memory.
"""

from __future__ import annotations

import zipfile

from selfeval.errors import InputError

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_SHEET_BYTES = 40 * 1024 * 1024  # uncompressed XML of one sheet (a form is ~20 KB)
MAX_RATIO = 100  # uncompressed / compressed, for members over 1 MiB
MAX_MEMBERS = 5000
MAX_ROWS = 50_000
MAX_COLUMNS = 200


class WorkbookError(InputError):
    """A workbook cannot be read; the message is the Chinese reason for staff."""


class OwnOutputFile(WorkbookError):
    """Not a fault: the workbook is one selfeval wrote (a report); the message says which."""


BROKEN_ZIP = "文件不完整或已损坏（压缩包无法打开）"
ENCRYPTED = "工作簿设有打开密码，无法读取；请取消密码后再提交"
UNSAFE_XML = "文件含有不安全的 XML 内容（DTD 或实体定义），已拒绝读取"


def too_many_rows(sheet: str, rows: int) -> str:
    return f"工作表“{sheet}”有 {rows} 行，超过 {MAX_ROWS} 行的上限，未读取"


def check_zip(zf: zipfile.ZipFile, required: str) -> None:
    """Refuse zip bombs and zips that are not the expected kind of workbook."""
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise WorkbookError(f"压缩包内文件数异常（{len(infos)} 个），已拒绝读取")
    if required not in {i.filename for i in infos}:
        raise WorkbookError("文件是压缩包，但不是 Excel 或 ODS 工作簿")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNZIPPED_BYTES:
        raise WorkbookError(f"解压后体积异常（约 {total // 2**20} MB），疑似压缩炸弹，已拒绝读取")
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise WorkbookError(f"文件中的“{i.filename}”压缩比异常，疑似压缩炸弹，已拒绝读取")

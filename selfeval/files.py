"""Writing output files: whole or not at all, with ordinary permissions.

A file is written beside its destination under a temporary name and renamed into
place, so an interrupted or failed write never leaves half a workbook, and an
existing file is replaced in one step. Permissions follow the user's umask, as a
plain ``open(path, "w")`` would (temporary files are created 0600).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from selfeval.errors import OutputError, os_reason


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` in one step; return ``path``.
    :class:`OutputError` (Chinese) when it cannot be written (no such folder, no
    permission, disk full)."""
    path = Path(path)
    with atomically(path, text=isinstance(data, str)) as f, _unwritable(path):
        f.write(data)
        f.flush()  # a full disk is found here, not when the file is closed
    return path


@contextmanager
def atomically(path: Path, text: bool = False) -> Iterator[IO[Any]]:
    """A stream that becomes ``path`` in one step when the block completes: binary, or
    with ``text`` UTF-8 with ``\\n`` line ends (written as it goes, so a long output is
    never held in memory)."""
    path = Path(path)
    fd, tmp = _temporary(path)
    try:
        stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n") if text else os.fdopen(fd, "wb")
        with stream as f:
            yield f
        _replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def make_folder(folder: Path) -> Path:
    """``folder`` and its parents, made if missing; :class:`OutputError` if it cannot be."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"输出位置 {folder} 是一个文件，不是文件夹")
    with _unwritable(folder):
        folder.mkdir(parents=True, exist_ok=True)
    return folder


def _temporary(path: Path) -> tuple[int, str]:
    with _unwritable(path):
        return tempfile.mkstemp(dir=path.parent, prefix=".selfeval-", suffix=path.suffix)


def _replace(tmp: str, path: Path) -> None:
    with _unwritable(path):
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)


@contextmanager
def _unwritable(path: Path) -> Iterator[None]:
    """An OSError of writing ``path`` as the :class:`OutputError` staff can read."""
    try:
        yield
    except OutputError:
        raise
    except OSError as exc:
        raise OutputError(f"无法写入 {path}：{os_reason(exc)}") from exc


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

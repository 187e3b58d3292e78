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


def write_atomically(path: Path, data: bytes | str) -> Path:
    """Write ``data`` (bytes, or text as UTF-8) to ``path`` in one step; return ``path``."""
    with atomically(path, text=isinstance(data, str)) as f:
        f.write(data)
    return Path(path)


@contextmanager
def atomically(path: Path, text: bool = False) -> Iterator[IO[Any]]:
    """A stream that becomes ``path`` in one step when the block completes: binary, or
    with ``text`` UTF-8 with ``\\n`` line ends (written as it goes, so a long output is
    never held in memory)."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".selfeval-", suffix=path.suffix)
    try:
        stream = os.fdopen(fd, "w", encoding="utf-8", newline="\n") if text else os.fdopen(fd, "wb")
        with stream as f:
            yield f
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

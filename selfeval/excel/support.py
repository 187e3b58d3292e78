"""What the add-in keeps for support: a log of its last runs, and one button at a time.

Both live in the user's folder (``~/.selfeval``, where the add-in's conf lives too),
not in the temporary folder that xlwings empties after a run that succeeded.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import time
from collections.abc import Iterator
from pathlib import Path

USER_DIR_VARIABLE = "SELFEVAL_HOME"
"""Environment variable that moves the user's folder (tests; a roaming profile)."""
LOG_NAME = "support.log"
KEEP_RUNS = 20
STALE_SECONDS = 300  # a lock older than this was left by a run that died
_SEPARATOR = "=" * 20 + " "


def user_dir() -> Path:
    return Path(os.environ.get(USER_DIR_VARIABLE) or Path.home() / ".selfeval")


def log_path() -> Path:
    return user_dir() / LOG_NAME


def record(action: str, book: str, text: str) -> Path:
    """Add one run to the support log, keeping the last :data:`KEEP_RUNS`; its path."""
    path = log_path()
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    entry = f"{_SEPARATOR}{stamp} {action} {book}\n{text.rstrip()}\n"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        runs = [r for r in old.split(_SEPARATOR) if r.strip()]
        runs = [*runs[-(KEEP_RUNS - 1) :], entry[len(_SEPARATOR) :]]
        path.write_text("".join(_SEPARATOR + r for r in runs), encoding="utf-8")
    except OSError:
        pass  # a log that cannot be written must not stop the button
    return path


@contextlib.contextmanager
def one_at_a_time(book: str) -> Iterator[bool]:
    """Yield True while this process holds the workbook's lock, False if another run does."""
    folder = user_dir() / "locks"
    lock = folder / (hashlib.sha1(book.encode("utf-8")).hexdigest()[:16] + ".lock")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        if lock.exists() and time.time() - lock.stat().st_mtime > STALE_SECONDS:
            lock.unlink(missing_ok=True)
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        yield False
        return
    except OSError:  # no writable user folder: run without the lock
        yield True
        return
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield True
    finally:
        lock.unlink(missing_ok=True)

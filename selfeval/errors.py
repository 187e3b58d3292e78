"""The one exception base of selfeval, and its kinds.

A :class:`SelfevalError` carries a Chinese message for staff: bad input, a file that
cannot be had, a setting that is wrong. Front ends (the CLI, the add-ins, the service)
catch this base only; any other exception is a bug and shows its traceback. Each kind
also derives from the fitting built-in (as tablib's do), so callers may catch either.
"""

from __future__ import annotations

import errno


class SelfevalError(Exception):
    """Base of every error selfeval raises on purpose; ``str(error)`` is Chinese."""


class InputError(SelfevalError, ValueError):
    """The input cannot be used: no form found, a file of the wrong kind, a bad option."""


class ProfileError(SelfevalError, ValueError):
    """A profile (评分口径) that cannot be loaded or is not valid."""


class LayoutError(SelfevalError, ValueError):
    """A layout (表样) that cannot be loaded or is not valid."""


class OutputError(SelfevalError, OSError):
    """An output that cannot be written (it would overwrite an input, a folder is missing)."""


_OS_REASONS = {
    errno.ENOENT: "文件或文件夹不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘是只读的",
    errno.ENOSPC: "磁盘空间不足",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EBUSY: "文件正被其他程序占用",
    errno.ENAMETOOLONG: "文件名过长",
}


def os_reason(exc: OSError) -> str:
    """Why an operating-system call failed, in Chinese (``PermissionError`` -> 没有权限)."""
    reason = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if reason is None and isinstance(exc, PermissionError):
        reason = "没有权限"  # Windows: a file open in Excel is locked
    return reason or f"系统错误（{exc.strerror or type(exc).__name__}）"

"""Uploads: the files of one request, read within bounds, zips opened safely.

Every route that takes files (the service's own and the WPS add-in's ``/api/plan``)
reads them with :func:`read_uploads`: the body is counted while it arrives (413 past
the limit), the multipart form is parsed with bounded parts, a ``.zip`` of a folder is
opened in memory with its members counted, their unpacked size bounded, and any path
leading outside the archive refused. What comes back is a list of ``(name, bytes)``;
nothing is written anywhere. Every refusal is an :class:`UploadError` carrying the
HTTP status and a Chinese message.
"""

from __future__ import annotations

import contextlib
import os
import re
import zipfile
from dataclasses import dataclass
from io import BytesIO
from pathlib import PurePosixPath

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import Message, Receive

from selfeval.errors import SelfevalError
from selfeval.readers import supported_suffixes
from selfeval.readers.limits import MAX_FILE_BYTES, MAX_RATIO

MIB = 2**20


@dataclass(frozen=True)
class Limits:
    """What one request may bring, and how long and how many at once it may run."""

    max_upload_bytes: int = 20 * MIB  # the whole request body (--max-upload-mb)
    max_files: int = 500  # files in one request, zip members included
    max_zip_members: int = 2000  # entries of one zip, folders and skipped files included
    max_unpacked_bytes: int = 100 * MIB  # all zip members of a request, unpacked
    timeout: float = 120.0  # seconds one request may work (--timeout)
    slots: int = 2  # requests worked at once, per worker process
    waiting: int = 16  # requests that may wait for a slot before the service answers 503

    @classmethod
    def from_env(cls) -> Limits:
        """Limits from ``SELFEVAL_SERVE_*`` variables (how ``selfeval serve`` passes its
        options to uvicorn's worker processes; a deployment may set the others), the
        defaults for what is not set."""
        get = os.environ.get
        mb, timeout = get("SELFEVAL_SERVE_MAX_UPLOAD_MB"), get("SELFEVAL_SERVE_TIMEOUT")
        slots, waiting = get("SELFEVAL_SERVE_SLOTS"), get("SELFEVAL_SERVE_WAITING")
        return cls(
            max_upload_bytes=int(float(mb) * MIB) if mb else cls.max_upload_bytes,
            timeout=float(timeout) if timeout else cls.timeout,
            slots=int(slots) if slots else cls.slots,
            waiting=int(waiting) if waiting else cls.waiting,
        )


class UploadError(SelfevalError, ValueError):
    """A request refused: ``status`` (4xx, 503) and ``message`` (Chinese, for staff)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


Upload = tuple[str, bytes]
"""One uploaded file: the name it is shown by (a zip member's path inside the zip) and
its bytes."""


async def read_uploads(
    request: Request, limits: Limits, field: str = "file"
) -> tuple[list[Upload], dict[str, str]]:
    """The files of the multipart field ``field`` (zips opened into their members) and
    the request's other, plain fields; :class:`UploadError` when the request is over a
    limit, holds no file, or a zip is unsafe."""
    try:
        form = await _bounded(request, limits.max_upload_bytes).form(
            max_files=limits.max_files, max_fields=50, max_part_size=64 * 1024
        )
    except HTTPException as exc:  # python-multipart's refusals, in English
        raise UploadError(400, _form_refusal(str(exc.detail), limits)) from None
    try:
        files: list[Upload] = []
        fields: dict[str, str] = {}
        for key, value in form.multi_items():
            if isinstance(value, str):
                fields[key] = value
            elif key == field:
                files.append((upload_name(value.filename), await value.read()))
    finally:
        await form.close()
    if not files:
        raise UploadError(400, f"请求中没有上传文件：请用表单字段“{field}”上传自评表或 .zip 压缩包")
    return expand_zips(files, limits), fields


def _form_refusal(detail: str, limits: Limits) -> str:
    if "files" in detail:
        return f"一次最多上传 {limits.max_files} 个文件"
    if "fields" in detail:
        return "表单字段过多"
    if "part" in detail.lower() and "size" in detail.lower():
        return "表单字段的内容过长"
    return "上传的表单格式不正确（应为 multipart/form-data）"


def _bounded(request: Request, limit: int) -> Request:
    """The request with a body that stops at ``limit`` bytes with a 413."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise UploadError(413, too_large(limit))
    seen = 0
    receive: Receive = request.receive

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        if seen > limit:
            raise UploadError(413, too_large(limit))
        return message

    return Request(request.scope, counted)


def too_large(limit: int) -> str:
    return f"上传的内容超过 {limit / MIB:g} MB 的上限；请分批上传，或请管理员调整 --max-upload-mb"


_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')


def upload_name(filename: str | None) -> str:
    """The file's own name, without any folder the browser sent, control or reserved
    characters, and at most 120 characters; ``上传的文件`` when nothing is left."""
    name = re.split(r"[\\/]", filename or "")[-1]
    name = _UNSAFE.sub("_", name).strip(" .")
    if len(name) > 120:
        stem, dot, suffix = name.rpartition(".")
        name = (
            (stem[: 119 - len(suffix)] + dot + suffix) if dot and len(suffix) < 10 else name[:120]
        )
    return name or "上传的文件"


def expand_zips(files: list[Upload], limits: Limits) -> list[Upload]:
    """Each ``.zip`` replaced by the form files inside it, within the limits."""
    out: list[Upload] = []
    unpacked = 0
    for name, data in files:
        if name.lower().endswith(".zip"):
            members, size = _members(name, data, limits, limits.max_unpacked_bytes - unpacked)
            unpacked += size
            out += members
        else:
            out.append((name, data))
        if len(out) > limits.max_files:
            raise UploadError(
                413, f"一次最多上传 {limits.max_files} 个文件（压缩包中的文件也计入）"
            )
    return out


def _members(archive: str, data: bytes, limits: Limits, room: int) -> tuple[list[Upload], int]:
    try:
        zf = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError):
        raise UploadError(400, f"“{archive}”不是有效的 .zip 压缩包，或已损坏") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_zip_members:
            raise UploadError(
                413,
                f"压缩包“{archive}”中有 {len(infos)} 项，超过 {limits.max_zip_members} 项的上限",
            )
        wanted = []
        for info in infos:
            path = member_path(info)
            if path is None:
                raise UploadError(
                    400, f"压缩包“{archive}”中的“{info.filename}”指向压缩包以外的位置，已拒绝"
                )
            if info.is_dir() or not _is_form_file(path, supported_suffixes()):
                continue
            if info.file_size > MAX_FILE_BYTES or (
                info.file_size > MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise UploadError(413, _bomb(archive, limits))
            if info.flag_bits & 0x1:
                raise UploadError(400, f"压缩包“{archive}”中的“{path}”设有密码，无法读取")
            wanted.append((path, info))
        declared = sum(info.file_size for _, info in wanted)
        if declared > room:
            raise UploadError(413, _bomb(archive, limits))
        members, size = [], 0
        for path, info in wanted:
            body = _read_member(zf, info, room - size, archive, limits)
            size += len(body)
            members.append((path, body))
    if not members:
        raise UploadError(
            400, f"压缩包“{archive}”中没有自评表文件（支持 {'、'.join(supported_suffixes())}）"
        )
    return sorted(members, key=lambda m: m[0].split("/")), size  # as a folder is sorted


def _bomb(archive: str, limits: Limits) -> str:
    return (
        f"压缩包“{archive}”解压后过大（上限 {limits.max_unpacked_bytes / MIB:g} MB，"
        "单个文件压缩比不超过 100 倍），疑似压缩炸弹，已拒绝"
    )


def _read_member(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, room: int, archive: str, limits: Limits
) -> bytes:
    """The member's bytes, read in pieces so a size the header lies about stops at ``room``."""
    out = bytearray()
    try:
        with zf.open(info) as f:
            while piece := f.read(MIB):
                out += piece
                if len(out) > room:
                    raise UploadError(413, _bomb(archive, limits))
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
        raise UploadError(
            400, f"压缩包“{archive}”中的“{info.filename}”无法解压（{type(exc).__name__}）"
        ) from None
    return bytes(out)


def member_path(info: zipfile.ZipInfo) -> str | None:
    """The member's path inside the archive (names from Chinese Windows decoded as GBK),
    or None when it would lead outside: absolute, a drive, or a ``..`` part."""
    name = info.filename
    if not info.flag_bits & 0x800:  # no UTF-8 flag: zipfile decoded the bytes as CP437
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("gbk")
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return None
    parts = [p for p in PurePosixPath(name).parts if p not in ("", ".")]
    if ".." in parts:
        return None
    return "/".join(upload_name(p) for p in parts) + ("/" if info.is_dir() else "")


def _is_form_file(path: str, suffixes: tuple[str, ...]) -> bool:
    """As a folder is searched: supported suffixes, no Excel lock files, no hidden files
    (``__MACOSX`` resource forks included)."""
    parts = path.split("/")
    if any(p.startswith(".") or p == "__MACOSX" for p in parts):
        return False
    name = parts[-1]
    return name.lower().endswith(suffixes) and not name.startswith("~$")

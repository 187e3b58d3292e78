"""The bounds every request of the service goes through, in one place the WPS add-in's
routes share: the gate (503 when full), the time limit, the worker threads, and errors
as ``{"error": "中文说明"}``.

An endpoint is ``async def handler(service, request) -> Response`` wrapped by
:func:`guarded`; it reads its files with :func:`selfeval.service.uploads.read_uploads`
and runs its work with ``await service.work(request, job, *args)`` (``job(*args,
deadline)`` in a worker thread). Nothing of an upload is logged: an unexpected error
logs its type and where it happened only.
"""

from __future__ import annotations

import logging
import os
import threading
import traceback
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar
from urllib.parse import quote

import anyio
import anyio.to_thread
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from selfeval.errors import SelfevalError
from selfeval.profiles.policy import Profile, available_profiles, load_profile
from selfeval.service import work
from selfeval.service.uploads import Limits, UploadError

T = TypeVar("T")
log = logging.getLogger("selfeval.service")

BUSY = "服务繁忙：正在处理的请求已满，请稍后重试"
TIMED_OUT = "处理时间超过 {seconds:g} 秒，已停止；请减少一次上传的文件数后重试"
INTERNAL = "服务内部错误，请把出错的文件交给系统管理员检查"


def where(exc: BaseException) -> str:
    """Where an exception happened, innermost first: files and lines, never its message
    (which may quote a cell or a file name)."""
    frames = traceback.extract_tb(exc.__traceback__)
    return " <- ".join(f"{f.filename}:{f.lineno}" for f in reversed(frames[-4:]))


class NoUploadText(logging.Filter):
    """Keeps upload text out of the log: a record from outside the service (a reader
    logging a program error with the file's name and traceback) is reduced to its
    logger, the exception's type and where it happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(log.name):
            return True
        exc = record.exc_info[1] if record.exc_info else None
        what = f"{type(exc).__name__} at {where(exc)}" if exc else "(message withheld)"
        record.msg, record.args = "%s: %s", (record.name, what)
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


def quiet_logs() -> None:
    """Every ``selfeval`` record through one handler that withholds upload text (once)."""
    root = logging.getLogger("selfeval")
    if any(isinstance(f, NoUploadText) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.addFilter(NoUploadText())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    root.addHandler(handler)
    root.propagate = False


class Gate:
    """Requests admitted at once (working or waiting for a slot). A request's place is
    freed when both it and its worker thread are done: a thread abandoned at a timeout
    keeps its place until it really ends, so threads never pile up."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.busy = 0
        self._lock = threading.Lock()

    def enter(self) -> Ticket | None:
        with self._lock:
            if self.busy >= self.size:
                return None
            self.busy += 1
            return Ticket(self)

    def _leave(self) -> None:
        with self._lock:
            self.busy -= 1


class Ticket:
    def __init__(self, gate: Gate) -> None:
        self._gate, self._holders, self._lock = gate, 1, threading.Lock()

    def join(self) -> bool:
        """One more holder (a worker thread starting), unless every holder is gone: the
        request ended (timed out) before its thread started, so nobody waits for it."""
        with self._lock:
            if self._holders == 0:
                return False
            self._holders += 1
            return True

    def drop(self) -> None:
        with self._lock:
            self._holders -= 1
            done = self._holders == 0
        if done:
            self._gate._leave()


RECONNECT_EVERY = 8
"""One crowded response in this many asks its client to reconnect (:meth:`Service.reconnect`):
often enough to spread a burst of connections over the workers within a few requests,
rarely enough that reconnecting (about 3 ms of the client's and the service's CPU) costs
little."""


class Service:
    """The settings and the shared bounds of one worker process."""

    def __init__(
        self,
        profile: str | None = None,
        limits: Limits | None = None,
        origins: list[str] | None = None,
    ) -> None:
        self.limits = limits or Limits()
        self.profile = load_profile(profile) if profile else None
        # Loaded once per process (the CLI loads its profile once per command, too): the
        # default for forms that record none, and each shipped profile a request names.
        self.fallback = load_profile()
        self._named: dict[str, Profile] = {}
        self.origins = origins or []
        self._crowded = 0  # responses sent while requests waited here for a slot
        self.gate = Gate(self.limits.slots + self.limits.waiting)
        self.limiter = anyio.CapacityLimiter(self.limits.slots)

    def reconnect(self) -> bool:
        """Should this response ask its client to reconnect (``Connection: close``)? Every
        :data:`RECONNECT_EVERY`-th one while requests wait in this process for a slot,
        never otherwise (a lone user keeps the connection). uvicorn's worker processes
        share one listening socket, and a burst of new connections is often accepted all
        by one of them, which then works for every one while another idles (in
        bench_serve, one round in three or four); a client that reconnects is accepted by
        whichever worker is free to accept first, so crowded connections drift apart."""
        if self.gate.busy <= self.limits.slots:
            return False
        self._crowded += 1
        return self._crowded % RECONNECT_EVERY == 0

    def profile_for(self, name: str | None) -> Profile | None:
        """The profile that judges every form: the one a request names (a shipped one
        only, never a path), else the service's ``--profile``; None when neither is
        given, and then a template is judged by the profile it records, as in the CLI."""
        if not name:
            return self.profile
        if name not in self._named:
            if name not in available_profiles():
                shipped = "、".join(available_profiles())
                raise UploadError(400, f"没有评分口径“{name}”，可选：{shipped}")
            self._named[name] = load_profile(name)
        return self._named[name]

    async def work(self, request: Request, job: Callable[..., T], *args: Any) -> T:
        """``job(*args, deadline)`` in a worker thread, at most ``Limits.slots`` at once;
        the request (see :func:`guarded`) stops waiting for it at its deadline, and the
        job checks the deadline between files."""
        ticket = request.state.ticket
        deadline = request.state.deadline

        def run() -> T:
            if not ticket.join():
                raise work.TimeUp
            try:
                return job(*args, deadline)
            finally:
                ticket.drop()

        return await anyio.to_thread.run_sync(run, abandon_on_cancel=True, limiter=self.limiter)


Handler = Callable[[Service, Request], Awaitable[Response]]


def guarded(handler: Handler, admit: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """An endpoint with the service's bounds and its errors as ``{"error": "中文说明"}``:
    admitted by the gate (503 when full), stopped after ``Limits.timeout`` seconds. The
    service is the application's ``state.service``."""

    async def endpoint(request: Request) -> Response:
        service: Service = request.app.state.service
        ticket = service.gate.enter() if admit else None
        if admit and ticket is None:
            return error(503, BUSY, {"Retry-After": "5"})
        request.state.ticket = ticket
        request.state.deadline = work.Deadline.after(service.limits.timeout)
        try:
            with anyio.fail_after(service.limits.timeout + 1):
                response = await handler(service, request)
            if admit and service.reconnect():
                response.headers["connection"] = "close"
            return response
        except UploadError as exc:
            return error(exc.status, exc.message)
        except (work.TimeUp, TimeoutError):
            return error(504, TIMED_OUT.format(seconds=service.limits.timeout))
        except SelfevalError as exc:
            return error(422, str(exc))
        except Exception as exc:  # noqa: BLE001 - a bug: say so, log where (never what)
            log.error(
                "%s %s: %s at %s", request.method, request.url.path, type(exc).__name__, where(exc)
            )
            return error(500, INTERNAL)
        finally:
            if ticket is not None:
                ticket.drop()

    return endpoint


def error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status, headers=headers)


def download(file: work.Download) -> Response:
    """The file as an attachment; its Chinese name per RFC 6266 (``filename*``), with an
    ASCII name for old clients."""
    suffix = os.path.splitext(file.name)[1]
    ascii_name = file.name.encode("ascii", "ignore").decode() or f"selfeval{suffix}"
    if ascii_name == suffix:
        ascii_name = f"selfeval{suffix}"
    disposition = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(file.name)}"
    return Response(file.data, media_type=file.media, headers={"Content-Disposition": disposition})

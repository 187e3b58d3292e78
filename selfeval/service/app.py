"""The checking service: a Starlette application (``selfeval serve`` runs it with uvicorn).

It keeps no state between requests: every request brings its files, gets its answer,
and leaves nothing behind (its temporary files are removed when it ends, also on errors
and timeouts). Work runs in worker threads, at most ``Limits.slots`` at once per process
with at most ``Limits.waiting`` more admitted to wait; a request beyond that is answered
503 at once rather than queued without bound. Nothing of an upload (names, cells,
results) is logged; an unexpected error logs its type and where it happened only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from selfeval import __version__
from selfeval.layouts.layout import available_layouts
from selfeval.service import plan, work
from selfeval.service.bounds import Handler, Service, download, error, guarded, quiet_logs
from selfeval.service.uploads import Limits, UploadError, read_uploads
from selfeval.writers.template import current_year

# -- endpoints ---------------------------------------------------------------------------


async def healthz(service: Service, request: Request) -> Response:
    return JSONResponse({"status": "ok", "version": __version__})


async def _uploads(service: Service, request: Request):  # type: ignore[no-untyped-def]
    files, fields = await read_uploads(request, service.limits)
    profile = service.profile_for(fields.get("profile") or request.query_params.get("profile"))
    return files, fields, profile


async def validate(service: Service, request: Request) -> Response:
    files, _, profile = await _uploads(service, request)
    body = await service.work(request, work.validate_json, files, profile, service.fallback)
    return Response(body, media_type="application/json; charset=utf-8")


async def sheets(service: Service, request: Request) -> Response:
    files, _, _ = await _uploads(service, request)
    return JSONResponse(await service.work(request, work.sheets, files))


async def rescore(service: Service, request: Request) -> Response:
    files, _, profile = await _uploads(service, request)
    if len(files) != 1:
        raise UploadError(400, f"重新评分一次只能上传一份文件（收到 {len(files)} 份）")

    def job(deadline: work.Deadline) -> work.Download:
        return work.rescored(files[0], profile, service.fallback)

    return download(await service.work(request, job))


async def report(service: Service, request: Request) -> Response:
    files, fields, profile = await _uploads(service, request)
    fmt = fields.get("format") or request.query_params.get("format") or "html"
    if fmt not in work.REPORT_NAMES:
        raise UploadError(400, f"不支持的报告格式“{fmt}”，可选：html、xlsx、csv")
    return download(await service.work(request, work.report, files, profile, service.fallback, fmt))


def _int(value: str | None, what: str, required: bool) -> int | None:
    if value is None or value == "":
        if required:
            raise UploadError(400, f"缺少{what}")
        return None
    try:
        return int(value)
    except ValueError:
        raise UploadError(400, f"{what}应为整数（收到“{value[:20]}”）") from None


def _sampling(
    request: Request, fields: dict[str, str], required: bool
) -> tuple[int | None, int | None]:
    def get(key: str) -> str | None:
        return fields.get(key) or request.query_params.get(key)

    n = _int(get("n"), "抽取份数 n", required)
    seed = _int(get("seed"), "随机数种子 seed", required)
    if (n is None) != (seed is None):
        raise UploadError(400, "抽样须同时给出份数 n 和随机数种子 seed")
    if n is not None and n < 1:
        raise UploadError(400, "抽取份数 n 至少为 1")
    return n, seed


async def sample(service: Service, request: Request) -> Response:
    files, fields, profile = await _uploads(service, request)
    n, seed = _sampling(request, fields, required=True)
    return download(
        await service.work(request, work.sample, files, profile, service.fallback, n, seed)
    )


async def review(service: Service, request: Request) -> Response:
    files, fields, profile = await _uploads(service, request)
    n, seed = _sampling(request, fields, required=False)
    return download(
        await service.work(request, work.review, files, profile, service.fallback, n, seed)
    )


async def template(service: Service, request: Request) -> Response:
    layout = request.query_params.get("layout") or "standard"
    if layout not in available_layouts():
        raise UploadError(400, f"没有表样“{layout[:40]}”，可选：{'、'.join(available_layouts())}")
    year = _int(request.query_params.get("year"), "年度 year", False) or current_year()
    if not 2000 <= year <= 2100:
        raise UploadError(400, f"年度应在 2000 至 2100 之间（收到 {year}）")
    profile = service.profile_for(request.query_params.get("profile"))

    def job(deadline: work.Deadline) -> work.Download:
        return work.template(layout, year, profile, service.fallback)

    return download(await service.work(request, job))


# -- the desk ----------------------------------------------------------------------------

DESK_FILES = {
    "index.html": "text/html; charset=utf-8",
    "desk.css": "text/css; charset=utf-8",
    "desk.js": "text/javascript; charset=utf-8",
}
DESK_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'self'"
)


def _desk_file(name: str) -> Callable[[Service, Request], Awaitable[Response]]:
    body = (resources.files("selfeval.service") / "desk" / name).read_bytes()

    async def serve(service: Service, request: Request) -> Response:
        return Response(body, media_type=DESK_FILES[name], headers={"Cache-Control": "no-cache"})

    return serve


class Headers:
    """Headers on every response: no sniffing, no caching of results, the desk's content
    policy (every script and style from the service itself, nothing from outside)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        api = scope["path"].startswith("/api/")

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"content-security-policy", DESK_POLICY.encode()),
                ]
                if api:
                    headers.append((b"cache-control", b"no-store"))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, sending)


async def _not_found(request: Request, exc: Exception) -> Response:
    return error(404, "没有这个地址；接口说明见 docs/api.md")


async def _not_allowed(request: Request, exc: Exception) -> Response:
    return error(405, "此地址不接受该请求方法（上传文件请用 POST）")


def create_app(service: Service | None = None) -> Starlette:
    """The application: the API, the desk, and the WPS add-in's routes (:mod:`plan`)."""
    service = service or Service()
    api_routes: list[tuple[str, Handler, str, bool]] = [
        ("/healthz", healthz, "GET", False),
        ("/api/validate", validate, "POST", True),
        ("/api/sheets", sheets, "POST", True),
        ("/api/rescore", rescore, "POST", True),
        ("/api/report", report, "POST", True),
        ("/api/sample", sample, "POST", True),
        ("/api/review", review, "POST", True),
        ("/api/template", template, "GET", True),
        ("/", _desk_file("index.html"), "GET", False),
        *((f"/desk/{name}", _desk_file(name), "GET", False) for name in DESK_FILES),
    ]
    routes = [
        Route(path, guarded(handler, admit), methods=[method])
        for path, handler, method, admit in api_routes
    ]
    middleware = [Middleware(Headers)]
    if service.origins:
        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=service.origins,
                allow_methods=["GET", "POST"],
                allow_headers=["*"],
                expose_headers=["Content-Disposition"],
            )
        )
    app = Starlette(
        routes=[*routes, *plan.ROUTES],
        middleware=middleware,
        exception_handlers={404: _not_found, 405: _not_allowed},
        lifespan=_private_temp,
    )
    app.state.service = service
    return app


@asynccontextmanager
async def _private_temp(app: Starlette) -> AsyncIterator[None]:
    """A private temporary folder (mode 0700) for this process's uploads, emptied by each
    request as it ends and removed at shutdown."""
    root = tempfile.mkdtemp(prefix="selfeval-serve-")
    before, tempfile.tempdir = tempfile.tempdir, root
    try:
        yield
    finally:
        tempfile.tempdir = before
        shutil.rmtree(root, ignore_errors=True)


def app_from_env() -> Starlette:
    """The application as ``selfeval serve`` configures it through ``SELFEVAL_SERVE_*``
    variables (uvicorn's factory, in each worker process)."""
    origins = [o for o in os.environ.get("SELFEVAL_SERVE_ORIGINS", "").split(" ") if o]
    profile = os.environ.get("SELFEVAL_SERVE_PROFILE") or None
    quiet_logs()  # the service's own process: no upload text in its log
    return create_app(Service(profile, Limits.from_env(), origins))

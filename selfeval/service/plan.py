"""The WPS add-in's routes of the checking service: its write plans and its files.

* ``POST /api/plan`` (multipart: ``file`` = the workbook's ``.xlsx`` bytes, ``action`` =
  ``validate`` | ``rescore`` | ``restore`` | ``clear`` | ``report``, optional ``profile``):
  the plan of :mod:`selfeval.excel.plan` as JSON (docs/api.md, "加载项的写入计划"). The
  ledger that makes 撤销评分 and 清除标记 exact travels in the workbook itself (the hidden
  sheet the previous plan wrote), so no other state is sent or kept here. ``report``
  answers ``{"report_name", "report_html"}`` instead: the 导出报告 button saves it.
* ``GET /wps/…``: the add-in's files exactly as ``selfeval wps build`` writes them
  (:func:`selfeval.excel.wps.addin_files`), and ``/wps/jsplugins.xml`` registering the
  add-in online at this server's ``/wps/``, so IT registers one URL.

Bad input gets a 4xx with ``{"error": "<Chinese>"}``; nothing is stored.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from selfeval.errors import SelfevalError
from selfeval.excel.book_file import view_of_file
from selfeval.excel.plan import AddinError, plan_file, report_name, report_page
from selfeval.excel.wps import JSPLUGINS, addin_files, jsplugins, online_entry

MAX_UPLOAD_BYTES = 20 * 2**20
ACTIONS = ("validate", "rescore", "restore", "clear", "report")


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


async def plan_endpoint(request: Request) -> Response:
    """The write plan of one button for the workbook sent."""
    try:
        form = await request.form(max_files=1, max_fields=8, max_part_size=MAX_UPLOAD_BYTES)
    except Exception:  # noqa: BLE001 - a body that is no multipart form
        return _error(
            400, "请求格式错误：请以 multipart/form-data 发送 file（工作簿）和 action（操作）"
        )
    upload = form.get("file")
    action = str(form.get("action") or "")
    profile = str(form.get("profile") or "") or None
    if upload is None or isinstance(upload, str):
        return _error(400, "缺少工作簿：请以字段 file 发送工作簿的 .xlsx 文件")
    if action not in ACTIONS:
        return _error(400, f"未知的操作“{action}”，应为 {'、'.join(ACTIONS)} 之一")
    data = await upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        return _error(413, f"工作簿过大，超过 {MAX_UPLOAD_BYTES // 2**20} MB 的上限")
    name = Path(upload.filename or "工作簿.xlsx").name
    try:
        answer = await run_in_threadpool(_answer, data, action, name, profile)
    except _Refusal as exc:
        return _error(exc.status, str(exc))
    return JSONResponse(answer)


class _Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def _answer(data: bytes, action: str, name: str, profile: str | None) -> dict[str, Any]:
    try:
        if action == "report":
            return _report(data, name, profile)
        return plan_file(data, action, name, profile).to_json()
    except AddinError as exc:
        raise _Refusal(422, str(exc)) from exc
    except (SelfevalError, ValueError) as exc:  # a bad profile, a file that is no workbook
        raise _Refusal(400, str(exc)) from exc


def _report(data: bytes, name: str, profile: str | None) -> dict[str, Any]:
    """The HTML report of the workbook (what the Excel add-in's 导出报告 writes)."""
    page = report_page(view_of_file(data, name, profile))
    return {"report_name": report_name(name), "report_html": page.decode("utf-8")}


async def wps_file(request: Request) -> Response:
    """One file of the add-in, as built; ``jsplugins.xml`` names this server's /wps/."""
    path = request.path_params.get("path") or "index.html"
    if path == JSPLUGINS:
        url = str(request.url_for("wps_root"))
        return Response(jsplugins(online_entry(url)), media_type="application/xml")
    files = addin_files()
    if path not in files:
        return _error(404, f"加载项中没有文件 {path}")
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".js"):
        kind = "text/javascript"
    if kind.startswith("text/") or kind.endswith("xml"):
        kind += "; charset=utf-8"
    return Response(files[path], media_type=kind, headers={"Cache-Control": "no-cache"})


ROUTES: list = [
    Route("/api/plan", plan_endpoint, methods=["POST"]),
    Route("/wps/", wps_file, name="wps_root"),
    Route("/wps/{path:path}", wps_file),
]
"""Mounted by the service's app (selfeval.service.app)."""

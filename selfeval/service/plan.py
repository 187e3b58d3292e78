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

Both go through the service's bounds (:func:`selfeval.service.bounds.guarded`: the gate,
the time limit, errors as ``{"error": "<Chinese>"}``) and its upload reader
(:func:`selfeval.service.uploads.read_uploads`); nothing is stored.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from selfeval.excel.book_file import NotWorkbook, view_of_file
from selfeval.excel.plan import plan_file, report_name, report_page
from selfeval.excel.wps import JSPLUGINS, addin_files, jsplugins, online_entry
from selfeval.profiles.policy import Profile
from selfeval.service.bounds import Service, error, guarded
from selfeval.service.uploads import UploadError, read_uploads

ACTIONS = ("validate", "rescore", "restore", "clear", "report")


async def plan_endpoint(service: Service, request: Request) -> Response:
    """The write plan of one button for the workbook sent (within the service's bounds)."""
    files, fields = await read_uploads(request, service.limits)
    if len(files) != 1:
        raise UploadError(400, "请只上传一个工作簿（当前打开的那一个）")
    action = fields.get("action", "")
    if action not in ACTIONS:
        raise UploadError(400, f"未知的操作“{action}”，应为 {'、'.join(ACTIONS)} 之一")
    profile = service.profile_for(fields.get("profile"))
    name, data = files[0]
    return JSONResponse(await service.work(request, _answer, data, action, name, profile))


def _answer(data: bytes, action: str, name: str, profile: Profile, deadline: Any) -> dict[str, Any]:
    """The plan (or the report) as JSON. A file that is no .xlsx workbook is a 400; a
    workbook the button cannot run on (AddinError, a SelfevalError) the service's 422."""
    try:
        if action == "report":
            return _report(data, name, profile)
        return plan_file(data, action, name, profile).to_json()
    except NotWorkbook as exc:
        raise UploadError(400, str(exc)) from exc


def _report(data: bytes, name: str, profile: Profile) -> dict[str, Any]:
    """The HTML report of the workbook (what the Excel add-in's 导出报告 writes)."""
    page = report_page(view_of_file(data, name, profile))
    return {"report_name": report_name(name), "report_html": page.decode("utf-8")}


async def wps_file(service: Service, request: Request) -> Response:
    """One file of the add-in, as built; ``jsplugins.xml`` names this server's /wps/."""
    path = request.path_params.get("path") or "index.html"
    if path == JSPLUGINS:
        url = str(request.url_for("wps_root"))
        return Response(jsplugins(online_entry(url)), media_type="application/xml")
    files = addin_files()
    if path not in files:
        return error(404, f"加载项中没有文件 {path}")
    kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
    if path.endswith(".js"):
        kind = "text/javascript"
    if kind.startswith("text/") or kind.endswith("xml"):
        kind += "; charset=utf-8"
    return Response(files[path], media_type=kind, headers={"Cache-Control": "no-cache"})


ROUTES: list = [
    Route("/api/plan", guarded(plan_endpoint), methods=["POST"]),
    Route("/wps/", guarded(wps_file, admit=False), name="wps_root"),
    Route("/wps/{path:path}", guarded(wps_file, admit=False)),
]
"""Mounted by the service's app (selfeval.service.app)."""

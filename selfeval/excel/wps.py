"""The WPS add-in (WPS 加载项) as files: built into a folder, served at ``/wps/``, registered.

The add-in's sources are ``addin/wps/`` (ribbon.xml, index.html, taskpane.html, plain
scripts under js/, icons): no build step, the files are copied as they are, except
``js/config.js`` when the service's address is given. :func:`addin_files` is the one
list of what the add-in is: ``selfeval wps build`` writes it, the checking service
serves it (``selfeval.service.plan``), so IT registers one URL.

WPS finds add-ins through ``jsplugins.xml``: per user in ``jsaddons/`` (Linux
``~/.local/share/Kingsoft/wps/jsaddons/``, Windows ``%APPDATA%\\kingsoft\\wps\\jsaddons\\``),
or for a whole office through ``oem.ini`` (``JSPluginsServer``). An entry
``<jspluginonline name type url>`` loads the add-in from a URL; ``<jsplugin name type url
version>`` names a copy on the desk.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from xml.etree import ElementTree

from selfeval import __version__
from selfeval.errors import InputError, OutputError
from selfeval.excel.xlam import ADDIN_DIR
from selfeval.files import write_atomically

WPS_DIR = ADDIN_DIR / "wps"
NAME = "selfeval"
"""The add-in's name in jsplugins.xml (one entry per name)."""
KIND = "et"
"""WPS 表格."""
CONFIG = "js/config.js"
JSPLUGINS = "jsplugins.xml"


def addin_files(service: str = "", profile: str = "") -> dict[str, bytes]:
    """Every file of the add-in, by its path inside the add-in folder (sorted).

    ``service``: the checking service's address written into js/config.js ("" keeps the
    default: the server the add-in is loaded from); ``profile``: the 评分口径 to ask for.
    """
    files = {
        path.relative_to(WPS_DIR).as_posix(): path.read_bytes()
        for path in sorted(WPS_DIR.rglob("*"))
        if path.is_file()
    }
    if service or profile:
        config = json.dumps({"service": service, "profile": profile}, ensure_ascii=False)
        files[CONFIG] = _replace_config(files[CONFIG].decode("utf-8"), config).encode("utf-8")
    return files


def _replace_config(text: str, config: str) -> str:
    head, marker, _ = text.partition("var SELFEVAL_CONFIG = ")
    if not marker:
        raise InputError(f"{CONFIG} 中没有 SELFEVAL_CONFIG，请更新加载项源文件")
    return f"{head}{marker}{config};\n"


def folder_name() -> str:
    """The folder a desk copy of the add-in lives in, beside jsplugins.xml."""
    return f"{NAME}_{__version__}"


def online_entry(url: str) -> ElementTree.Element:
    """``<jspluginonline>``: WPS loads the add-in from ``url`` (ending in ``/``)."""
    return ElementTree.Element(
        "jspluginonline", {"name": NAME, "type": KIND, "url": _folder_url(url)}
    )


def offline_entry(url: str) -> ElementTree.Element:
    """``<jsplugin>``: a copy of the add-in at ``url`` (a folder beside jsplugins.xml)."""
    return ElementTree.Element(
        "jsplugin", {"name": NAME, "type": KIND, "url": url, "version": __version__}
    )


def _folder_url(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise InputError(
            f"加载项地址“{url}”应以 http:// 或 https:// 开头，如 http://服务器:8765/wps/"
        )
    return url if url.endswith("/") else url + "/"


def jsplugins(entry: ElementTree.Element, existing: bytes | None = None) -> bytes:
    """jsplugins.xml holding ``entry``: the other add-ins of ``existing`` kept as they are,
    an earlier entry of ours replaced. InputError when ``existing`` is not jsplugins XML."""
    root = ElementTree.Element("jsplugins")
    if existing and existing.strip():
        try:
            root = ElementTree.fromstring(existing)
        except ElementTree.ParseError as exc:
            raise InputError(f"已有的 {JSPLUGINS} 不是有效的 XML（{exc}），未作修改") from exc
        if root.tag != "jsplugins":
            raise InputError(f"已有的 {JSPLUGINS} 的根元素不是 jsplugins，未作修改")
    for old in [e for e in root if e.get("name") == NAME]:
        root.remove(old)
    root.append(entry)
    ElementTree.indent(root)
    body = ElementTree.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n' + body + "\n").encode("utf-8")


def build(out: Path, service: str = "", url: str = "", profile: str = "") -> list[Path]:
    """The add-in in ``out/selfeval_<version>/`` and ``out/jsplugins.xml`` naming it (online
    at ``url`` when given, else the folder beside it). The paths written, jsplugins.xml last."""
    files = addin_files(service, profile)
    entry = online_entry(url) if url else offline_entry(folder_name())
    folder = out / folder_name()
    written = []
    try:
        for name, data in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, data)
            written.append(path)
        write_atomically(out / JSPLUGINS, jsplugins(entry))
    except OSError as exc:
        raise OutputError(f"无法写入 {out}：{exc.strerror or exc}") from exc
    return [*written, out / JSPLUGINS]


def jsaddons_dir(platform: str | None = None, environ: dict[str, str] | None = None) -> Path:
    """The per-user folder WPS reads jsplugins.xml from."""
    platform = platform or sys.platform
    environ = dict(os.environ if environ is None else environ)
    if platform.startswith("win"):
        appdata = environ.get("APPDATA")
        if not appdata:
            raise InputError("找不到 APPDATA 文件夹，无法确定 WPS 加载项的安装位置")
        return Path(appdata) / "kingsoft" / "wps" / "jsaddons"
    if platform == "darwin":
        raise InputError("WPS 加载项的 jsplugins.xml 注册只支持 Windows 和 Linux（信创桌面）")
    home = environ.get("HOME") or str(Path.home())
    return Path(home) / ".local" / "share" / "Kingsoft" / "wps" / "jsaddons"


def install(url: str, folder: Path | None = None) -> Path:
    """Register the add-in at ``url`` (online) in the user's jsplugins.xml, merged with the
    add-ins already there. The file written."""
    entry = online_entry(url)
    target = (folder or jsaddons_dir()) / JSPLUGINS
    try:
        existing = target.read_bytes() if target.is_file() else None
        data = jsplugins(entry, existing)
        target.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
    except OSError as exc:
        raise OutputError(f"无法写入 {target}：{exc.strerror or exc}") from exc
    return target

"""Build ``selfeval.xlam`` from ``addin/`` and the ribbon add-in template shipped with xlwings.

The template (``quickstart_addin_ribbon.xlam``) was itself built without Excel: its
``_VBA_PROJECT`` stream has version 0xFFFF and no compiled code, so Excel compiles the
module sources on load (MS-OVBA §2.3.4.1). Building means replacing module sources and
names in that project, exactly as xlwings does for its own template:

- module ``RibbonMyAddin`` gets ``addin/vba/RibbonMyAddin.bas`` (beside this module) (the ribbon callback);
- module ``xlwings`` gets the wheel's ``xlwings_custom_addin.bas`` with ``PROJECT_NAME``
  set, so ``XLWINGS_VERSION`` and the DLL name always match the installed package;
- the VBA project, ``PROJECT_NAME`` and the config sheet are renamed together;
- ``customUI/customUI.xml`` is ``addin/customUI.xml``.

Zip entries carry a fixed date and the compound file zero timestamps: the same inputs
give the same bytes.
"""

import importlib.util
import io
import struct
import zipfile
from pathlib import Path

from selfeval.errors import SelfevalError
from selfeval.excel import cfb, ovba
from selfeval.files import write_atomically

ADDIN_NAME = "selfeval.xlam"
PROJECT = "selfeval"


def _addin_dir() -> Path:
    """The add-in's sources: shipped inside a wheel as selfeval/excel/addin, and kept in
    the top-level addin/ folder of a source checkout (pyproject maps one to the other)."""
    here = Path(__file__).resolve().parent
    installed = here / "addin"
    return installed if installed.is_dir() else here.parents[1] / "addin"


ADDIN_DIR = _addin_dir()
# Found without importing xlwings, which takes a fifth of a second.
XLWINGS_DIR = Path(importlib.util.find_spec("xlwings").origin).resolve().parent
TEMPLATE = XLWINGS_DIR / "quickstart_addin_ribbon.xlam"
XLWINGS_BAS = XLWINGS_DIR / "xlwings_custom_addin.bas"
RIBBON_MODULE = "RibbonMyAddin"

# Names in the template that the build replaces; each must occur exactly once.
_TEMPLATE_PROJECT = "MyAddin"
_TEMPLATE_PROJECT_NAME_LINE = b'Public Const PROJECT_NAME As String = "myaddin"'
_TEMPLATE_CONF_SHEET = b'name="_myaddin.conf"'
# The add-in's title and description as the Add-ins dialog shows them.
_TITLE = "绩效自评"
_DESCRIPTION = "财政项目支出绩效自评表：校验、重新评分、导出报告（selfeval）"

_ZIP_DATE = (2024, 1, 1, 0, 0, 0)
_CUSTOM_UI = "customUI/customUI.xml"

# dir stream record ids (MS-OVBA §2.3.4.2)
_PROJECTNAME = 0x0004
_PROJECTVERSION = 0x0009
_MODULENAME = 0x0019
_MODULEOFFSET = 0x0031


class AddinSourceError(SelfevalError, ValueError):
    """The add-in sources or the xlwings template are not what the build expects."""


def build_xlam(out_path: Path) -> Path:
    """Write the add-in to ``out_path`` (replaced atomically, folders made) and return it."""
    data = xlam_bytes()  # first, so that a failed build leaves nothing behind
    out_path = Path(out_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    return write_atomically(out_path, data)


def xlam_bytes() -> bytes:
    """The add-in file's bytes."""
    with zipfile.ZipFile(TEMPLATE) as template:
        parts = {info.filename: template.read(info) for info in template.infolist()}
    parts["xl/vbaProject.bin"] = vba_project(parts["xl/vbaProject.bin"], module_sources())
    parts[_CUSTOM_UI] = _read(ADDIN_DIR / "customUI.xml")
    parts["xl/workbook.xml"] = _replace_once(
        parts["xl/workbook.xml"], _TEMPLATE_CONF_SHEET, f'name="_{PROJECT}.conf"'.encode()
    )
    parts["docProps/core.xml"] = _describe(parts["docProps/core.xml"])
    return _zip(parts)


def module_sources() -> dict[str, bytes]:
    """New source of each module the build replaces, as stored in the VBA project."""
    xlwings_source = _replace_once(
        _read(XLWINGS_BAS),
        _TEMPLATE_PROJECT_NAME_LINE,
        f'Public Const PROJECT_NAME As String = "{PROJECT}"'.encode(),
    )
    sources = {"xlwings": xlwings_source}
    for bas in sorted((ADDIN_DIR / "vba").glob("*.bas")):
        sources[bas.stem] = _vba_text(bas)
    if RIBBON_MODULE not in sources:
        raise AddinSourceError(f"缺少 {ADDIN_DIR / 'vba' / (RIBBON_MODULE + '.bas')}")
    return sources


def vba_project(bin_data: bytes, sources: dict[str, bytes]) -> bytes:
    """Return ``vbaProject.bin`` renamed to PROJECT with the given module sources."""
    import olefile  # only when building: every selfeval command imports this module

    ole = olefile.OleFileIO(bin_data)
    streams = {tuple(path): ole.openstream(path).read() for path in ole.listdir()}
    records = _dir_records(ovba.decompress(streams[("VBA", "dir")]))
    modules = _module_names(records)
    unknown = sorted(set(sources) - set(modules))
    if unknown:
        raise AddinSourceError(f"模板中没有这些 VBA 模块：{'、'.join(unknown)}")
    for name, source in sources.items():
        # Source only, no performance cache: the module offset becomes 0.
        streams[("VBA", name)] = ovba.compress(source)
    records = [
        _patch_record(record, module, module in sources)
        for record, module in zip(records, modules, strict=True)
    ]
    streams[("VBA", "dir")] = ovba.compress(b"".join(_record_bytes(r) for r in records))
    streams[("PROJECT",)] = _replace_once(
        streams[("PROJECT",)], f'Name="{_TEMPLATE_PROJECT}"'.encode(), f'Name="{PROJECT}"'.encode()
    )
    return cfb.build(streams)


Record = tuple[int, bytes]


def _dir_records(data: bytes) -> list[Record]:
    records, pos = [], 0
    while pos < len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == _PROJECTVERSION:  # its size field says 4 but 6 bytes follow
            size = 6
        records.append((rid, data[pos + 6 : pos + 6 + size]))
        pos += 6 + size
    return records


def _record_bytes(record: Record) -> bytes:
    rid, body = record
    size = 4 if rid == _PROJECTVERSION else len(body)
    return struct.pack("<HI", rid, size) + body


def _module_names(records: list[Record]) -> list[str]:
    """Module name for each record: the name of the module it belongs to, or '' before them."""
    names, current = [], ""
    for rid, body in records:
        if rid == _MODULENAME:
            current = body.decode("cp1252")
        names.append(current)
    return names


def _patch_record(record: Record, module: str, replaced: bool) -> Record:
    rid, _ = record
    if rid == _PROJECTNAME:
        return rid, PROJECT.encode("cp1252")
    if rid == _MODULEOFFSET and replaced:
        return rid, struct.pack("<I", 0)
    return record


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise AddinSourceError(f"找不到加载项源文件：{path}") from None


def _vba_text(path: Path) -> bytes:
    """A .bas file as VBA stores it: CRLF line ends, code page 1252, ASCII only here."""
    text = _read(path)
    if not text.isascii():
        raise AddinSourceError(f"{path} 含非 ASCII 字符：中文请写在 customUI.xml 或 Python 中")
    lines = text.replace(b"\r\n", b"\n").split(b"\n")
    return b"\r\n".join(lines)


def _replace_once(data: bytes, old: bytes, new: bytes) -> bytes:
    if data.count(old) != 1:
        raise AddinSourceError(f"xlwings 模板与预期不符：找不到唯一的 {old.decode()}")
    return data.replace(old, new)


def _describe(core: bytes) -> bytes:
    core = _replace_once(core, b"<dc:title />", f"<dc:title>{_TITLE}</dc:title>".encode())
    return _replace_once(
        core, b"<dc:description />", f"<dc:description>{_DESCRIPTION}</dc:description>".encode()
    )


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0  # as Excel writes it, whatever OS builds
            info.external_attr = 0
            out.writestr(info, data, compresslevel=6)
    return buffer.getvalue()

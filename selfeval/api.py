"""selfeval as a library: read a form, check it, rescore it.

The CLI, the Excel and WPS add-ins and the checking service all go through these
functions. A ``source`` is a path, the file's ``bytes`` or a binary file object; for
bytes and file objects ``name`` gives the file name the results report (its suffix
says the format; without one the format is told from the content).

Example::

    import selfeval

    for result in selfeval.check("自评表.xlsx"):
        print(result.to_dict()["computed"]["total"])
        for f in result.findings:
            print(f.code, f.severity, f.cell, f.message)
"""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from typing import IO, TYPE_CHECKING

from selfeval.errors import InputError, OutputError
from selfeval.form.model import Form
from selfeval.pipeline.results import FormResult, check_file, judging_profile, profile_notes
from selfeval.pipeline.results import read as read_forms
from selfeval.profiles.policy import Profile, load_profile
from selfeval.readers import FORM_FILE_SUFFIXES, OwnOutput, Unreadable
from selfeval.readers.formfile import dump_form_file
from selfeval.rules.rescore import Rescored
from selfeval.rules.rescore import rescore as rescore_form
from selfeval.writers.rescored import write_rescored

if TYPE_CHECKING:
    from selfeval.rules.rescore import Change

Source = str | os.PathLike[str] | bytes | bytearray | IO[bytes]
"""What the functions read: a path, the file's bytes, or a binary file object."""


def check(
    source: Source,
    *,
    profile: Profile | str | None = None,
    name: str | None = None,
    fallback: Profile | None = None,
) -> list[FormResult]:
    """Every form in one file, checked: one :class:`FormResult` per form (findings with
    ``.code``, ``.severity``, ``.cell``, ``.message``; ``.analysis`` the computed figures;
    ``.form`` the form read). An unreadable file gives one result whose READ_ERROR or
    LAYOUT_UNRECOGNISED finding says why.

    ``profile``: a profile (评分口径) or its name or path, which judges every form; by
    default a template is judged by the profile it records, any other form by national.

    ``fallback``: that default for a form that records none, when no ``profile`` is
    given (national, read afresh, when not given): a caller that checks many files (the
    checking service) loads it once."""
    chosen = _profile(profile, fallback)
    with _as_file(source, name) as (path, shown):
        results = check_file(path, chosen, override=profile is not None)
    return [_renamed(r, path, shown) for r in results]


def read(source: Source, *, name: str | None = None) -> list[Form]:
    """The forms of one file; :class:`~selfeval.errors.InputError` (Chinese) when it has none."""
    with _as_file(source, name) as (path, shown):
        items = read_forms(path)
    bad = [i for i in items if isinstance(i, Unreadable | OwnOutput)]
    if bad:
        raise InputError(f"{shown}：{bad[0].why}")
    forms = [i for i in items if isinstance(i, Form)]
    if not forms:
        raise InputError(f"{shown}：没有找到自评表")
    for form in forms:
        form.source.file = shown
    return forms


@dataclass
class Rescoring:
    """What :func:`rescore` did: per form its rescored figures and every change written."""

    forms: list[Rescored]
    changes: list[list[Change]]
    data: bytes | None = None
    """The rescored file's bytes, when no ``output`` path was given."""
    suffix: str = ".xlsx"
    """The rescored file's kind: ``.xlsx`` for a workbook, ``.yaml`` for a form file."""
    notes: list[str] = field(default_factory=list)
    """Lines for staff: a template built under another profile than the one used."""


def rescore(
    source: Source,
    output: str | os.PathLike[str] | None = None,
    *,
    profile: Profile | str | None = None,
    name: str | None = None,
    fallback: Profile | None = None,
) -> Rescoring:
    """The rules' scores written into a copy of ``source``: into ``output`` when given
    (never the input itself), else returned as ``Rescoring.data``. A workbook gives a
    workbook (changed cells marked, a 重新评分记录 sheet), a YAML/JSON form a YAML file.
    :class:`~selfeval.errors.InputError` when ``source`` holds no form,
    :class:`~selfeval.errors.OutputError` when ``output`` is the input or cannot be
    written; nothing is written then. ``profile`` and ``fallback`` as for :func:`check`."""

    chosen = _profile(profile, fallback)
    with _as_file(source, name) as (path, shown):
        if output is not None and Path(output).resolve() == path.resolve():
            raise OutputError(f"输出文件 {output} 与输入文件相同，为保护原文件，请换一个文件名")
        forms = read(path, name=shown)
        override = profile is not None
        notes = profile_notes(forms, chosen, "重新评分") if override else []
        rescored = [rescore_form(f, judging_profile(f, chosen, override)) for f in forms]
        chosen = judging_profile(forms[0], chosen, override)  # restores the first form's formulas
        workbook = path.suffix.lower() not in FORM_FILE_SUFFIXES
        suffix = ".xlsx" if workbook else ".yaml"
        with _output(output, suffix) as out:
            if workbook:
                logs = write_rescored(path, out, rescored, chosen)
            else:
                dump_form_file([r.form for r in rescored], out)
                logs = [r.changes for r in rescored]
            data = out.read_bytes() if output is None else None
    return Rescoring(rescored, logs, data, suffix, notes)


def _profile(profile: Profile | str | None, fallback: Profile | None = None) -> Profile:
    if isinstance(profile, Profile):
        return profile
    if profile is None:
        return fallback or load_profile()
    return load_profile(profile)


@contextmanager
def _as_file(source: Source, name: str | None) -> Iterator[tuple[Path, str]]:
    """``(path, name shown)``: a path as it is; bytes or a file object in a private
    temporary folder, removed afterwards whatever happens."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            why = "是文件夹，不是文件" if path.is_dir() else "不存在"
            raise InputError(f"找不到文件：{path}（{why}）")
        yield path, name or str(path)
        return
    data = bytes(source) if isinstance(source, bytes | bytearray) else source.read()
    if not isinstance(data, bytes):  # a text stream, or not a file at all: a caller's bug
        raise TypeError(f"source must be a path, bytes or a binary file object, not {source!r}")
    shown = Path(name or "").name or f"上传的文件{_sniff(data)}"
    if Path(shown).suffix == "":
        shown += _sniff(data)
    folder = tempfile.mkdtemp(prefix="selfeval-")
    try:
        path = Path(folder) / shown
        path.write_bytes(data)
        yield path, shown
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def _output(output: str | os.PathLike[str] | None, suffix: str) -> Iterator[Path]:
    if output is not None:
        yield Path(output)
        return
    folder = tempfile.mkdtemp(prefix="selfeval-")
    try:
        yield Path(folder) / f"rescored{suffix}"
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _sniff(data: bytes) -> str:
    """A file suffix told from the content, for bytes that came without a name."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(BytesIO(data)) as z:
                if "mimetype" in z.namelist() and b"opendocument" in z.read("mimetype"):
                    return ".ods"
        except zipfile.BadZipFile:
            pass
        return ".xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ".xls"
    if data.lstrip()[:1] in (b"{", b"["):
        return ".json"
    return ".yaml"


def _renamed(result: FormResult, path: Path, shown: str) -> FormResult:
    """A result that names the file as the caller did, not by a temporary path."""
    if result.file == str(path):
        result.file = shown
    if result.form is not None and result.form.source.file == str(path):
        result.form.source.file = shown
    for finding in result.findings:
        if finding.found == str(path):
            finding.found = shown
    return result

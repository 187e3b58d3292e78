"""Start-up: validating (a template included) and the add-in's buttons import only what
they use: neither openpyxl (address helpers are our own) nor jinja2 (text output), nor
multiprocessing for one file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # each test imports in a fresh child Python

_IMPORTED = """
import sys
{code}
heavy = ("openpyxl", "jinja2", "xlwings", "olefile", "multiprocessing")
print(" ".join(m for m in heavy if m in sys.modules))
"""


def _heavy_imports(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _IMPORTED.format(code=code)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return done.stdout.strip()


def test_validating_a_template_imports_neither_openpyxl_nor_jinja2(tmp_path: Path) -> None:
    template = sorted((Path(__file__).parent.parent / "templates").rglob("*.xlsx"))[0]
    code = (
        "import contextlib, io\nfrom selfeval.cli.main import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['validate', {str(template)!r}])"
    )
    assert _heavy_imports(code) == ""


def test_a_button_module_imports_neither_openpyxl_nor_jinja2() -> None:
    assert _heavy_imports("import selfeval.excel.buttons") == ""


def test_a_command_registers_no_other_command() -> None:
    code = (
        "from selfeval.cli.main import build_parser\nbuild_parser(['validate', 'x.xlsx'])\n"
        "print(' '.join(m for m in ('selfeval.excel.bundle', 'selfeval.cli.build') "
        "if m in sys.modules))"
    )
    assert _heavy_imports(code) == ""

"""A1 address helpers give what openpyxl's give, and reading never imports openpyxl."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils import cell as openpyxl_cell

from selfeval import a1

columns = st.integers(min_value=1, max_value=18278)
rows = st.integers(min_value=1, max_value=1_048_576)


@given(columns)
def test_column_letters_match_openpyxl(n: int) -> None:
    letters = a1.get_column_letter(n)
    assert letters == openpyxl_cell.get_column_letter(n)
    assert a1.column_index_from_string(letters) == n


@given(columns, rows, columns, rows, st.booleans())
def test_addresses_and_ranges_match_openpyxl(c1, r1, c2, r2, dollars) -> None:  # type: ignore[no-untyped-def]
    d = "$" if dollars else ""
    first = f"{d}{a1.get_column_letter(c1)}{d}{r1}"
    ref = f"{first}:{a1.get_column_letter(c2)}{r2}"
    assert a1.coordinate_from_string(first) == openpyxl_cell.coordinate_from_string(first)
    assert a1.range_boundaries(ref) == openpyxl_cell.range_boundaries(ref)
    assert a1.range_boundaries(first) == openpyxl_cell.range_boundaries(first)


def test_a_non_address_is_refused() -> None:
    with pytest.raises(ValueError):
        a1.coordinate_from_string("自评表")


_IMPORTED = """
import sys
{code}
heavy = ("openpyxl", "jinja2", "xlwings", "olefile")
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
        "import contextlib, io\nfrom selfeval.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['validate', {str(template)!r}])"
    )
    assert _heavy_imports(code) == ""


def test_a_button_module_imports_neither_openpyxl_nor_jinja2() -> None:
    assert _heavy_imports("import selfeval.excel.buttons") == ""

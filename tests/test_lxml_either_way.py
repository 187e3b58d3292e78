"""openpyxl writes other XML bytes when lxml is importable: the template tests pass either way.

CI installs lxml (the dev extra), so the suite itself runs with it; this test runs the
template tests once more in a child process where ``import lxml`` fails.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _lxml_importable() -> bool:
    try:
        import lxml  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.mark.slow  # a second pytest run in a child process
def test_template_tests_pass_without_lxml(tmp_path: Path) -> None:
    if not _lxml_importable():
        if os.environ.get("CI"):
            pytest.fail(
                "lxml is missing: CI must run the suite with lxml (pip install -e '.[dev]')"
            )
        pytest.skip("lxml is not installed: this run is the one without it")
    blocker = tmp_path / "lxml"
    blocker.mkdir()
    (blocker / "__init__.py").write_text("raise ImportError('lxml hidden for this test')\n")
    env = {k: v for k, v in os.environ.items() if k != "OPENPYXL_LXML"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    hidden = subprocess.run([sys.executable, "-c", "import lxml"], env=env, capture_output=True)
    assert hidden.returncode != 0  # the blocker works
    args = [
        "-m",
        "pytest",
        "tests/test_templates.py",
        "-m",
        "not slow",
        "-q",
        "-n",
        "0",
        "-p",
        "no:cacheprovider",
    ]
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

"""Shared pytest fixtures. Each area keeps its fixtures in its own marked section."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import pytest

# -- bytecode ----------------------------------------------------------------------------
# Python runs the tests as it runs once selfeval is installed: with bytecode caches (pip
# writes them at install time), even where the environment says PYTHONDONTWRITEBYTECODE.
# They go to a folder of the temporary directory, never into the tree, and the child
# processes of the tests (the command, the service) share it. Before any of our imports.
sys.pycache_prefix = os.environ["PYTHONPYCACHEPREFIX"] = str(
    Path(tempfile.gettempdir()) / "selfeval-tests-pycache"
)
sys.dont_write_bytecode = False
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)

from tests import libreoffice as lo  # noqa: E402
from tests.seed_workbooks import write_seed_workbooks  # noqa: E402

# -- LibreOffice harness (tests/libreoffice.py) -----------------------------------------


@pytest.fixture(scope="session")
def libreoffice() -> str:
    """Path of soffice, once soffice and poppler are known to be there.

    Where they are missing the test is skipped, except under CI (CI set in the
    environment): CI must really run these tests, so there it fails.
    """
    missing = lo.missing_tools()
    if missing:
        reason = f"missing {', '.join(missing)}: run scripts/install-test-deps.sh"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return lo.soffice_path()


# -- end of LibreOffice harness ---------------------------------------------------------


# -- seed forms --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def seeds(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The eleven seed forms as hand-made workbooks (tests/seed_workbooks.py), a folder
    per test module: a module's tests may add files to it."""
    folder = tmp_path_factory.mktemp("seeds")
    write_seed_workbooks(folder)
    return folder


# -- hypothesis -------------------------------------------------------------------------
# CI runs each property with the same examples every time (derandomize), so a
# submission passes or fails on its merits; locally every run explores afresh.
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


# -- tiers ------------------------------------------------------------------------------
# Tests that start LibreOffice, Chromium or the checking service are the slow tier:
# `pytest -m "not slow"` runs the rest in seconds. A test is slow when it asks for one of
# their fixtures, or is marked by hand (it starts another program: a child Python, node).
_SLOW_FIXTURES = frozenset({"libreoffice", "chromium", "service"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


# -- the checking service (tests/test_service*.py) ---------------------------------------


@pytest.fixture(scope="session")
def service(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """``selfeval serve`` on 127.0.0.1 (a free port), its temporary files in a folder of
    ours (tests/service_harness.py), for the whole session; pages of the origin
    :data:`tests.service_harness.ADDIN_ORIGIN` may call it (as the WPS add-in's do)."""
    from tests.service_harness import ADDIN_ORIGIN, running_service

    folder = tmp_path_factory.mktemp("service")
    with running_service(folder, "--allow-origin", ADDIN_ORIGIN) as running:
        yield running


# -- end of the checking service ---------------------------------------------------------

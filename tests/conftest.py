"""Shared pytest fixtures. Each area keeps its fixtures in its own marked section."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests import libreoffice as lo
from tests.seed_workbooks import write_seed_workbooks

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
# Tests that start LibreOffice or Chromium are the slow tier: `pytest -m "not slow"`
# runs the rest in seconds. A test is slow when it asks for either program's fixture
# (or is marked by hand).
_SLOW_FIXTURES = frozenset({"libreoffice", "chromium"})


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

"""Getting selfeval and its add-in onto a PC: the wheel, and the offline bundle.

The tests marked ``network`` download wheels from PyPI (CI has access); each
wheelhouse is built once per session.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.tags import compatible_tags, cpython_tags
from packaging.utils import canonicalize_name, parse_wheel_filename

from selfeval.excel import bundle
from selfeval.excel.xlam import ADDIN_NAME, xlam_bytes

ROOT = Path(__file__).resolve().parents[1]


def offline_env() -> dict[str, str]:
    """The environment without this machine's pip settings (its local wheel folder, its
    extra indexes): what a PC on an intranet has."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_")}
    env["PIP_CONFIG_FILE"] = os.devnull
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


def run(*command: str | Path, **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, env=offline_env(), **kwargs
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def fresh_venv(folder: Path) -> Path:
    venv.EnvBuilder(with_pip=True).create(folder)
    return folder / ("Scripts" if sys.platform == "win32" else "bin")


# -- wheels made by hand: the closure follows the target's markers ------------------------


def fake_wheel(folder: Path, name: str, version: str, requires: list[str], tag: str) -> Path:
    path = folder / f"{name}-{version}-{tag}.whl"
    meta = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    meta += "".join(f"Requires-Dist: {r}\n" for r in requires)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}-{version}.dist-info/METADATA", meta)
    return path


def test_a_windows_only_dependency_is_wanted_for_windows_only(tmp_path: Path) -> None:
    root = fake_wheel(
        tmp_path, "tool", "1.0", ["lib>=2", "winlib; platform_system == 'Windows'"], "py3-none-any"
    )
    fake_wheel(tmp_path, "lib", "2.1", [], "cp311-cp311-win_amd64")
    windows = bundle.Target("win_amd64", "3.11")
    assert [r.name for r in bundle.missing(tmp_path, root, windows)] == ["winlib"]
    # The 3.11 wheel of lib does not serve Python 3.12.
    later = bundle.Target("win_amd64", "3.12")
    assert sorted(r.name for r in bundle.missing(tmp_path, root, later)) == ["lib", "winlib"]
    assert "winlib" not in [r.name for r in bundle.missing(tmp_path, root, bundle.Target())]


def test_the_bundle_carries_the_serve_extra_with_the_targets_markers(tmp_path: Path) -> None:
    root = fake_wheel(
        tmp_path,
        "selfeval",
        "1.0",
        [
            "starlette; extra == 'serve'",
            "uvloop; sys_platform != 'win32' and extra == 'serve'",
            "pytest; extra == 'dev'",
        ],
        "py3-none-any",
    )
    windows = bundle.Target("win_amd64", "3.11")
    assert [r.name for r in bundle.missing(tmp_path, root, windows)] == ["starlette"]


def test_bundle_refuses_a_folder_that_is_not_empty(tmp_path: Path, capsys) -> None:
    from selfeval.cli.main import main

    (tmp_path / "keep.txt").write_text("x")
    assert main(["bundle", "-o", str(tmp_path)]) == 2
    assert "不是空文件夹" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


# -- built for real: a clean checkout, a wheel, a fresh venv -------------------------------


@pytest.fixture(scope="session")
def clean_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """selfeval's wheel built from the files git knows (a clean checkout)."""
    checkout = tmp_path_factory.mktemp("checkout")
    files = run("git", "ls-files", "-co", "--exclude-standard", cwd=ROOT).stdout.splitlines()
    for name in files:
        if (ROOT / name).is_file():
            (checkout / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, checkout / name)
    return bundle.build_wheel(checkout, tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="session")
def linux_bundle(tmp_path_factory: pytest.TempPathFactory, clean_wheel: Path) -> Path:
    out = tmp_path_factory.mktemp("bundle-here") / "selfeval-offline"
    return bundle.make_bundle(out, [bundle.Target()], clean_wheel)


@pytest.fixture(scope="session")
def windows_bundle(tmp_path_factory: pytest.TempPathFactory, clean_wheel: Path) -> Path:
    out = tmp_path_factory.mktemp("bundle-windows") / "selfeval-offline"
    return bundle.make_bundle(out, bundle.windows_targets(), clean_wheel)


@pytest.mark.slow
@pytest.mark.network
def test_the_wheel_carries_the_addin_sources(clean_wheel: Path) -> None:
    names = zipfile.ZipFile(clean_wheel).namelist()
    assert "selfeval/excel/addin/customUI.xml" in names
    assert "selfeval/excel/addin/vba/RibbonMyAddin.bas" in names
    assert "selfeval/__main__.py" in names


@pytest.mark.slow
@pytest.mark.network
def test_the_bundle_installs_offline_and_builds_the_addin(
    linux_bundle: Path, tmp_path: Path
) -> None:
    scripts = fresh_venv(tmp_path / "venv")
    python = scripts / "python"
    run(linux_bundle / "install.sh", python)  # pip install --no-index --find-links wheels
    run(scripts / "selfeval", "addin", "build", "-o", tmp_path / "out", cwd=tmp_path)
    assert (tmp_path / "out" / ADDIN_NAME).read_bytes() == xlam_bytes()
    assert run(python, "-m", "selfeval", "--version").stdout.startswith("selfeval ")


def windows_closure(wheelhouse: Path, python: str) -> tuple[set[str], list[str]]:
    """Every distribution selfeval needs on Windows x64 with ``python``, resolved from the
    wheels' metadata: (names found, requirements no wheel satisfies)."""
    abi = "cp" + python.replace(".", "")
    version = tuple(int(p) for p in python.split("."))
    accepted = set(cpython_tags(version, [abi, "abi3", "none"], ["win_amd64"]))
    accepted |= set(compatible_tags(version, abi, ["win_amd64"]))
    env = {
        **default_environment(),
        "sys_platform": "win32",
        "platform_system": "Windows",
        "os_name": "nt",
        "platform_machine": "AMD64",
        "python_version": python,
        "python_full_version": python + ".0",
        "extra": "",
    }
    wheels = {}
    for path in wheelhouse.glob("*.whl"):
        name, ver, _, tags = parse_wheel_filename(path.name)
        if tags & accepted:
            wheels[name] = (ver, path)
    found, lacking, todo = set(), [], [canonicalize_name("selfeval")]
    while todo:
        name = todo.pop()
        if name in found:
            continue
        found.add(name)
        for line in bundle.requirements(wheels[name][1]):
            req = Requirement(line)
            if req.marker and not req.marker.evaluate(env):
                continue
            dep = canonicalize_name(req.name)
            if dep in wheels and req.specifier.contains(wheels[dep][0], prereleases=True):
                todo.append(dep)
            else:
                lacking.append(line)
    return found, lacking


@pytest.mark.slow
@pytest.mark.network
@pytest.mark.parametrize("python", bundle.WINDOWS_PYTHONS)
def test_the_windows_wheelhouse_holds_a_wheel_for_every_dependency(
    windows_bundle: Path, python: str
) -> None:
    found, lacking = windows_closure(windows_bundle / "wheels", python)
    assert lacking == []
    assert {"xlwings", "pywin32", "python-calamine", "openpyxl"} <= found


@pytest.mark.slow
@pytest.mark.network
def test_the_windows_bundle_installs_without_network_or_admin(windows_bundle: Path) -> None:
    assert (windows_bundle / ADDIN_NAME).read_bytes() == xlam_bytes()
    bat = (windows_bundle / "install.bat").read_bytes()
    assert bat.isascii() and b"install.ps1" in bat and b"\r\n" in bat
    ps1 = (windows_bundle / "install.ps1").read_bytes()
    assert ps1.startswith(b"\xef\xbb\xbf")  # Windows PowerShell reads UTF-8 with a BOM only
    script = ps1.decode("utf-8-sig")
    assert '--no-index --find-links "$wheels"' in script
    assert "LOCALAPPDATA" in script and "-m selfeval addin install" in script
    assert "RunAs" not in script  # never asks for administrator rights
    guide = (windows_bundle / bundle.GUIDE).read_text(encoding="utf-8-sig")
    for says in ("不需要管理员权限", "Python 3.11 或 3.12", "install.bat", "support.log"):
        assert says in guide


def test_a_bundle_that_fails_leaves_nothing_behind(tmp_path: Path, capsys) -> None:
    from selfeval.cli.main import main

    out = tmp_path / "bundle"
    assert main(["bundle", "-o", str(out), "--wheel", str(tmp_path / "nope.whl")]) == 2
    assert "找不到" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

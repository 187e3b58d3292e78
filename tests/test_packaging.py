"""The wheel's package list is written by hand (the add-in sources are mapped from the
top-level addin/ folder): every package of the source tree must be on it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_of_the_tree_ships_in_the_wheel() -> None:
    setuptools = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
        "setuptools"
    ]
    in_tree = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "selfeval").rglob("__init__.py")
    }
    assert in_tree <= set(setuptools["packages"])
    assert setuptools["package-dir"] == {"selfeval.excel.addin": "addin"}
    assert (ROOT / "addin" / "customUI.xml").is_file()

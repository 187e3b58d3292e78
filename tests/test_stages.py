"""The stages' arrows, read from the code: a stage imports only the stages below it, and
no selfeval import hides inside a function (except a command's ``run``, for start-up).

Every module of ``selfeval/`` is parsed with :mod:`ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "selfeval"

STAGES = (
    ("errors", "files"),  # below everything: any stage may raise or write atomically
    ("form",),
    ("grammar",),
    ("profiles",),  # policy: knows no layout
    ("layouts",),  # shape: its formulas carry the profile's settings
    ("readers",),
    ("rules",),
    ("pipeline",),
    ("writers",),
    ("reports",),
    ("api",),
    ("cli", "excel", "service"),
    ("__init__", "__main__"),
)
"""Lowest first; a module may import its own stage and those before it."""

RANK = {name: rank for rank, names in enumerate(STAGES) for name in names}

IN_FUNCTIONS = {
    ("__init__.py", "__getattr__"),  # PEP 562 lazy exports: `import selfeval.form` loads no API
    ("excel/buttons.py", "export_report"),  # the report's writers load openpyxl
    ("excel/buttons.py", "new_form"),  # the template writer loads openpyxl and jinja2
}
"""The selfeval imports allowed inside a function besides a command's ``run``: the
button module must load neither openpyxl nor jinja2 (tests/test_startup_imports.py)."""

LAZY_PACKAGES = {"xlwings", "jinja2", "openpyxl", "uvicorn", "olefile", "xlrd", "concurrent"}
"""Packages that may be imported inside a function: optional extras, or heavy ones
loaded only when needed (``concurrent.futures`` loads multiprocessing, which one file
does not need); each such line, or the comment above its imports, says why."""


@dataclass(frozen=True)
class Import:
    module: Path
    line: int
    target: str  # dotted module name imported
    function: str | None  # the innermost enclosing function, None at module level
    commented: bool  # a comment on the line or above its run of imports
    by_name: bool = False  # importlib.import_module("selfeval.…"): an arrow no import shows


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _stage(dotted: str) -> str:
    """``selfeval.rules.analysis`` -> ``rules``; ``selfeval`` itself -> ``__init__``."""
    parts = dotted.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _submodule(root: Path, name: str) -> bool:
    return (root / name).is_dir() or (root / f"{name}.py").is_file()


def _imports(path: Path, root: Path = PACKAGE) -> list[Import]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source, filename=str(path))
    lines = source.splitlines()
    package = _module_name(path, root)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    found: list[Import] = []

    def commented(line: int) -> bool:
        """A comment on the line, or above the run of imports it belongs to."""
        if "#" in lines[line - 1]:
            return True
        above = line - 2
        while above >= 0 and lines[above].strip().startswith(("import ", "from ")):
            above -= 1
        return above >= 0 and lines[above].strip().startswith("#")

    def visit(node: ast.AST, function: str | None) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef):
                visit(child, child.name)
                continue
            targets: list[str] = []
            if isinstance(child, ast.Import):
                targets = [alias.name for alias in child.names]
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - child.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                # ``from selfeval import api`` imports the module selfeval.api.
                targets = [
                    f"{base}.{a.name}" if base == "selfeval" and _submodule(root, a.name) else base
                    for a in child.names
                ]
            for target in targets:
                found.append(Import(path, child.lineno, target, function, commented(child.lineno)))
            visit(child, function)

    visit(tree, None)
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr)
        ):
            found.append(Import(path, node.lineno, ast.unparse(node.args[0]), None, False, True))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))
IMPORTS = [i for m in MODULES for i in _imports(m)]


def _where(i: Import, root: Path = PACKAGE) -> str:
    return f"{i.module.relative_to(root.parent)}:{i.line} {i.target}"


def _own(i: Import) -> bool:
    return i.target == "selfeval" or i.target.startswith("selfeval.")


def test_every_module_belongs_to_a_stage() -> None:
    strays = [m for m in MODULES if _stage(_module_name(m)) not in RANK]
    assert strays == []


def test_at_most_six_modules_sit_at_the_top_of_the_package() -> None:
    assert len(list(PACKAGE.glob("*.py"))) <= 6


def _upward(imports: list[Import], root: Path = PACKAGE) -> list[str]:
    return [
        _where(i, root)
        for i in imports
        if _own(i)
        and i.target != "selfeval"  # the package's own attributes (__version__)
        and RANK[_stage(i.target)] > RANK[_stage(_module_name(i.module, root))]
    ]


def test_no_stage_imports_a_higher_one() -> None:
    assert _upward(IMPORTS) == []


def test_no_module_is_imported_by_a_name_in_a_string() -> None:
    by_name = [_where(i) for i in IMPORTS if i.by_name]
    assert by_name == []


def _allowed_in_function(i: Import, root: Path = PACKAGE) -> bool:
    where = i.module.relative_to(root)
    if (where.as_posix(), i.function) in IN_FUNCTIONS:
        return True
    return where.parts[0] == "cli" and i.function == "run"


def _hidden(imports: list[Import], root: Path = PACKAGE) -> list[str]:
    return [
        _where(i, root)
        for i in imports
        if _own(i) and i.function and not _allowed_in_function(i, root)
    ]


def test_no_selfeval_import_hides_in_a_function_but_a_commands_run() -> None:
    assert _hidden(IMPORTS) == []


def test_a_function_imports_only_optional_packages_each_saying_why() -> None:
    odd = [
        _where(i)
        for i in IMPORTS
        if i.function
        and not _own(i)
        and (i.target.partition(".")[0] not in LAZY_PACKAGES or not i.commented)
    ]
    assert odd == []


@pytest.mark.parametrize(
    ("code", "stage_of_import"),
    [
        ("from selfeval.rules.analysis import analyse\n", "rules"),
        ("def f():\n    from selfeval.reports import text\n", "reports"),
        ("from . import analysis\n", "readers"),
    ],
)
def test_the_judge_sees_module_and_function_level_and_relative_imports(
    tmp_path: Path, code: str, stage_of_import: str
) -> None:
    probe = tmp_path / "selfeval" / "readers" / "probe.py"
    probe.parent.mkdir(parents=True)
    probe.write_text(code, encoding="utf-8")
    found = _imports(probe, root=tmp_path / "selfeval")
    assert [_stage(i.target) for i in found] == [stage_of_import]


@pytest.mark.parametrize(
    ("module", "code", "judged"),
    [
        ("readers/probe.py", "from selfeval.rules import analysis\n", _upward),
        ("rules/probe.py", "def f():\n    from selfeval.readers import cells\n", _hidden),
        ("cli/probe.py", "def helper():\n    from selfeval.readers import cells\n", _hidden),
    ],
)
def test_the_judge_fails_an_upward_or_a_hidden_import(
    tmp_path: Path, module: str, code: str, judged: Callable[[list[Import], Path], list[str]]
) -> None:
    root = tmp_path / "selfeval"
    probe = root / module
    probe.parent.mkdir(parents=True)
    probe.write_text(code, encoding="utf-8")
    assert len(judged(_imports(probe, root), root)) == 1

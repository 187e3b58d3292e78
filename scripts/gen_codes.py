"""Write the finding-code tables of the docs and the JSON schema from the one code table
(selfeval/form/codes.py).

    python scripts/gen_codes.py          # rewrite README.md, docs/*.md, the schema
    python scripts/gen_codes.py --check  # exit 1 and name the files that are out of date

Each table sits between ``<!-- codes:NAME -->`` and ``<!-- /codes:NAME -->`` lines; the
schema's ``code`` enum is the line that starts with ``"code": {"enum":``.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from selfeval.form.codes import Code

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "selfeval-results.schema.json"


def _severity_zh(code: Code) -> str:
    printed = code.spec.printed_severity
    return code.severity.label + (f" / {printed.label}" if printed else "")


def _severity_en(code: Code) -> str:
    printed = code.spec.printed_severity
    return code.severity.value + (f" ({printed.value} against a printed figure)" if printed else "")


def _table(heading: str, rows: Iterable[str]) -> str:
    return "\n".join([heading, "|---|---|---|", *rows])


def readme_table() -> str:
    """Every code: the README's 问题代码 table."""
    rows = (f"| `{c}` | {_severity_zh(c)} | {c.spec.meaning} |" for c in Code)
    return _table("| 代码 | 级别 | 含义 |", rows)


def workpaper_table() -> str:
    """The codes of a filled 复核底稿 (docs/review.md)."""
    codes = (c for c in Code if c.spec.group == "workpaper")
    return _table(
        "| 代码 | 级别 | 何时 |", (f"| {c} | {_severity_zh(c)} | {c.spec.meaning} |" for c in codes)
    )


def review_table() -> str:
    """The review (复核) codes with their default severity (docs/json-schema.md)."""
    codes = (c for c in Code if c.review)
    rows = (f"| `{c}` | {_severity_en(c)} | {c.spec.meaning} |" for c in codes)
    return _table("| code | default severity | when |", rows)


def schema_codes() -> str:
    """The codes a ``validate --format json`` result can hold (cross-form ones cannot)."""
    return json.dumps([c.value for c in Code if c.spec.group != "cross"], ensure_ascii=False)


BLOCKS: dict[Path, dict[str, Callable[[], str]]] = {
    ROOT / "README.md": {"all": readme_table},
    ROOT / "docs" / "review.md": {"workpaper": workpaper_table},
    ROOT / "docs" / "json-schema.md": {"review": review_table},
}


def render_markdown(text: str, blocks: dict[str, Callable[[], str]]) -> str:
    for name, make in blocks.items():
        pattern = re.compile(rf"(<!-- codes:{name} -->\n).*?(\n<!-- /codes:{name} -->)", re.S)
        if not pattern.search(text):
            raise SystemExit(f"no <!-- codes:{name} --> block to fill")
        table = make()
        text = pattern.sub(lambda m, table=table: m[1] + table + m[2], text)
    return text


def render_schema(text: str) -> str:
    line = re.compile(r'^(\s*"code": \{"enum": ).*?(\},?)$', re.M)
    if not line.search(text):
        raise SystemExit('no "code": {"enum": ...} line in the schema')
    return line.sub(lambda m: m[1] + schema_codes() + m[2], text)


def rendered() -> dict[Path, str]:
    """Each generated file as the table says it should read."""
    out = {path: render_markdown(path.read_text(encoding="utf-8"), b) for path, b in BLOCKS.items()}
    out[SCHEMA] = render_schema(SCHEMA.read_text(encoding="utf-8"))
    return out


def stale() -> list[str]:
    """The generated files that do not match the table (relative paths)."""
    return [
        str(path.relative_to(ROOT))
        for path, text in rendered().items()
        if path.read_text(encoding="utf-8") != text
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report out-of-date files")
    args = parser.parse_args(argv)
    if args.check:
        late = stale()
        for path in late:
            print(f"{path} is out of date: run python scripts/gen_codes.py", file=sys.stderr)
        return 1 if late else 0
    for path, text in rendered().items():
        if path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

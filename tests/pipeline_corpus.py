"""The corpus the pipeline's output is held to, byte for byte (``golden/pipeline.json``).

The eleven seed forms as pasted workbooks (one per file and all stacked in one
sheet), each written into our two templates, and the committed blank templates:
hand-made and template-built forms, every layout. ``golden/pipeline.json`` is
what ``selfeval validate --format json`` printed for it before the streaming
pipeline; a deliberate change to the findings or the JSON contract regenerates
it with ``python -m tests.pipeline_corpus`` (and says so in the commit).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).parent / "golden" / "pipeline.json"
PROFILE = "shanghai"  # the seed forms are Shanghai's


def write_corpus(folder: Path) -> Path:
    """Write the corpus into ``folder`` (created) and return it."""
    from selfeval.profiles.policy import load_profile
    from selfeval.readers import read_file
    from selfeval.writers.template import form_workbook
    from tests.seed_workbooks import write_seed_workbooks

    profile = load_profile(PROFILE)
    seeds = write_seed_workbooks(folder / "hand")
    for path in seeds:
        if path.stem == "all_forms":
            continue
        (form,) = read_file(path)
        for layout in ("standard", "appraisal"):
            out = folder / "template" / f"{path.stem}_{layout}.xlsx"
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_bytes(form_workbook(form, profile, layout_name=layout))  # type: ignore[arg-type]
    for blank in sorted((ROOT / "templates").rglob("*.xlsx")):
        shutil.copyfile(blank, folder / "template" / f"blank_{blank.name}")
    return folder


def relative_json(text: str, folder: Path) -> str:
    """JSON output with the corpus folder left out of every path."""
    return text.replace(str(folder) + "/", "")


def main() -> None:
    """Regenerate ``golden/pipeline.json`` from the current pipeline."""
    import tempfile

    from selfeval.pipeline.results import check_paths
    from selfeval.profiles.policy import load_profile
    from selfeval.reports.text import render_json

    with tempfile.TemporaryDirectory() as tmp:
        folder = write_corpus(Path(tmp))
        results = check_paths([folder], load_profile(PROFILE), workers=1)
        GOLDEN.write_text(relative_json(render_json(results), folder) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}", file=sys.stderr)


if __name__ == "__main__":
    main()

"""Render the README's pictures of the layouts: seed forms 1 and 10 filled into our
templates (form 1 also in the national and Sichuan layouts), printed to PDF by
LibreOffice, first page as PNG.

Run after changing the layout or the writer: python scripts/render_docs_images.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from selfeval.form.model import Form  # noqa: E402
from selfeval.profiles.policy import load_profile  # noqa: E402
from selfeval.writers.template import write_form  # noqa: E402
from tests import libreoffice as lo  # noqa: E402

PICTURES = {
    "template-standard": (1, "standard"),
    "template-appraisal": (10, "appraisal"),
    "template-national": (1, "national"),
    "template-sichuan": (1, "sichuan"),
}


def main() -> None:
    profile = load_profile("shanghai")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        for name, (n, layout) in PICTURES.items():
            data = yaml.safe_load(
                (ROOT / f"tests/fixtures/seed/form{n:02d}.yaml").read_text("utf-8")
            )
            form = Form.from_dict(data)
            form.layout = layout
            xlsx = write_form(form, work / f"{name}.xlsx", profile)
            pdf = lo.to_pdf(xlsx, work / "pdf")
            (png,) = lo.pdf_to_png(pdf, work / name, dpi=110)[:1]
            target = ROOT / "docs" / f"{name}.png"
            target.write_bytes(png.read_bytes())
            print(target.relative_to(ROOT))


if __name__ == "__main__":
    main()

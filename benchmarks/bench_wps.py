"""The WPS add-in's write plans: how long the service takes to plan each button.

For a filled protected template (form 10 in our template) and a hand-made form (seed 10):
the time of ``plan_file`` in process for each action, on the workbook as it is before
that button (validated before 清除标记, rescored before 撤销评分, made with the Excel
add-in's playback), and the HTTP round trip of ``POST /api/plan`` through the service on
127.0.0.1 (``selfeval serve``), with the plan's size. WPS's own time to apply a plan is not
measured (no WPS here).
Run: python benchmarks/bench_wps.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_addin import enable_remote_engine  # noqa: E402
from selfeval.excel import buttons  # noqa: E402
from selfeval.excel.plan import plan_file  # noqa: E402
from tests.seed_workbooks import write_seed_workbooks  # noqa: E402
from tests.service_harness import running_service  # noqa: E402
from tests.xlwings_payload import press  # noqa: E402

BEFORE = {"validate": None, "rescore": None, "restore": "rescore", "clear": "validate"}


def workbooks(folder: Path) -> dict[str, Path]:
    from selfeval.profiles.policy import load_profile
    from selfeval.readers.formfile import read_form_file
    from selfeval.writers.template import write_form

    write_seed_workbooks(folder)
    yaml = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "seed" / "form10.yaml"
    template = write_form(read_form_file(yaml)[0], folder / "template.xlsx", load_profile())
    return {"模板（受保护）": template, "手工表（种子 10）": folder / "form10.xlsx"}


def prepared(path: Path, action: str, folder: Path) -> bytes:
    """The workbook's bytes as they are when ``action`` is pressed."""
    copy = folder / f"{action}-{path.name}"
    shutil.copy(path, copy)
    before = BEFORE[action]
    if before:
        button = buttons.rescore_book if before == "rescore" else buttons.validate_book
        press(button, copy, desktop=True)
    return copy.read_bytes()


def post(url: str, data: bytes, action: str) -> bytes:
    boundary = uuid.uuid4().hex
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="action"\r\n\r\n{action}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="form.xlsx"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    request = urllib.request.Request(
        url + "/api/plan",
        data=body,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read()


def timed(work, repeat: int) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    import os

    os.environ.setdefault("SELFEVAL_HOME", tempfile.mkdtemp())
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    enable_remote_engine()
    folder = Path(tempfile.mkdtemp())
    with running_service(folder / "service") as service:
        for label, path in workbooks(folder).items():
            for action in BEFORE:
                data = prepared(path, action, folder)
                local = timed(lambda d=data, a=action: plan_file(d, a, "form.xlsx"), args.repeat)
                answer = post(service.url, data, action)
                http = timed(lambda d=data, a=action: post(service.url, d, a), args.repeat)
                plan = json.loads(answer)
                cells = sum(len(w.get("cells", ())) or 1 for w in plan["writes"])
                print(
                    f"{label} {action:8s} plan {local:6.1f} ms   HTTP {http:6.1f} ms   "
                    f"{cells} cell or sheet writes, {len(answer) / 1024:.1f} KiB"
                )


if __name__ == "__main__":
    main()

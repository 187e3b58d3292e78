"""The checking service over HTTP, against the real thing: ``selfeval serve`` on
127.0.0.1 (the session fixture ``service``), real workbooks uploaded, answers compared
with what the CLI writes for the same files."""

from __future__ import annotations

import contextlib
import io
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import httpx
import pytest
from openpyxl import load_workbook

from selfeval.cli.main import main
from tests.relaid_forms import SHAPES, relay, write_rows
from tests.test_reader_variants import original

TEMPLATES = Path(__file__).parent.parent / "templates"


def cli(folder: Path, *args: str) -> tuple[int, bytes]:
    """``selfeval ARGS`` run in ``folder`` (files named as the service names uploads)."""
    out = io.StringIO()
    with contextlib.chdir(folder), contextlib.redirect_stdout(out):
        status = main(list(args))
    return status, out.getvalue().encode("utf-8")


def upload(*paths: Path, field: str = "file") -> list[tuple[str, tuple[str, bytes]]]:
    return [(field, (p.name, p.read_bytes())) for p in paths]


def post(service, path: str, files, **data: str) -> httpx.Response:  # type: ignore[no-untyped-def]
    return httpx.post(f"{service.url}{path}", files=files, data=data, timeout=60)


def assert_refused(response: httpx.Response, status: int, *words: str) -> None:
    """A 4xx JSON ``{"error": ...}`` in Chinese that names ``words``."""
    assert response.status_code == status, response.text
    message = response.json()["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in message), message
    for word in words:
        assert word in message, message


def assert_still_answers(service) -> None:  # type: ignore[no-untyped-def]
    assert httpx.get(f"{service.url}/healthz").status_code == 200
    assert service.leftovers() == []


@pytest.fixture(scope="module")
def forms(seeds: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder: the seed workbooks, our committed templates, the other provinces'
    layouts drawn by hand (tests/relaid_forms.py)."""
    folder = tmp_path_factory.mktemp("forms")
    for path in seeds.glob("*.xlsx"):
        shutil.copy(path, folder / path.name)
    for path in (TEMPLATES / "2026").glob("*.xlsx"):
        shutil.copy(path, folder / f"模板_{path.name}")
    for shape in SHAPES:
        write_rows(relay(original(3), shape), folder / f"版式_{shape.name}.xlsx")
    return folder


def test_healthz_answers_with_the_version(service) -> None:
    from selfeval import __version__

    assert httpx.get(f"{service.url}/healthz").json() == {"status": "ok", "version": __version__}


KINDS = ("form11.xlsx", "模板_项目支出绩效自评表_2026.xlsx", "版式_sichuan_split.xlsx")
"""A seed form, one of our templates and another province's layout: the quick tier's
sample of every kind (the slow tier sends every file of ``forms``)."""


def assert_validates_as_the_cli(service, forms: Path, names) -> None:  # type: ignore[no-untyped-def]
    for name in names:
        _, printed = cli(forms, "validate", name, "--format", "json")
        answer = post(service, "/api/validate", upload(forms / name))
        assert answer.status_code == 200, name
        assert answer.content == printed, name


def test_validate_gives_the_clis_json_byte_for_byte_for_each_kind_of_form(service, forms) -> None:
    assert_validates_as_the_cli(service, forms, KINDS)


@pytest.mark.slow
def test_validate_gives_the_clis_json_for_every_seed_template_and_layout(service, forms) -> None:
    assert_validates_as_the_cli(service, forms, sorted(p.name for p in forms.iterdir()))


def test_several_files_and_a_profile_give_the_clis_one_array(service, forms) -> None:
    paths = [forms / name for name in ("form10.xlsx", "all_forms.xlsx", *KINDS[1:])]
    _, printed = cli(
        forms, "validate", *(p.name for p in paths), "--format", "json", "--profile", "shanghai"
    )
    answer = post(service, "/api/validate", upload(*paths), profile="shanghai")
    assert answer.content == printed
    assert answer.headers["content-type"].startswith("application/json")


def test_a_zip_of_a_folder_is_checked_as_the_cli_checks_the_folder(
    service, forms, tmp_path
) -> None:
    folder = tmp_path / "收到的表"
    (folder / "一处").mkdir(parents=True)
    for path in sorted(forms.glob("form*.xlsx"))[:3]:
        shutil.copy(path, folder / "一处" / path.name)
    shutil.copy(forms / "form05.xlsx", folder / "form05.xlsx")
    (folder / "说明.pdf").write_bytes(b"%PDF-1.4")  # skipped, as in a folder
    archive = shutil.make_archive(str(tmp_path / "收到的表"), "zip", folder)
    _, printed = cli(folder, "validate", ".", "--format", "json")
    answer = post(service, "/api/validate", upload(Path(archive)))
    assert answer.content == printed


def assert_rescores_as_the_cli(service, forms: Path, names, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for name in names:
        assert cli(forms, "rescore", name, "-o", str(tmp_path / name))[0] == 0
        answer = post(service, "/api/rescore", upload(forms / name))
        assert answer.status_code == 200, answer.text
        stem = name.removesuffix(".xlsx")
        assert (
            f"filename*=UTF-8''{httpx.URL('/' + stem + '_重新评分.xlsx').raw_path.decode()[1:]}"
            in (answer.headers["content-disposition"])
        )
        assert cells(answer.content) == cells((tmp_path / name).read_bytes()), name


def test_rescore_gives_the_clis_workbook_cell_for_cell(service, forms, tmp_path) -> None:
    assert_rescores_as_the_cli(service, forms, ["form11.xlsx"], tmp_path)


@pytest.mark.slow
def test_rescore_gives_the_clis_workbook_for_every_kind_of_form(service, forms, tmp_path) -> None:
    names = ["all_forms.xlsx", "form02.xlsx", *KINDS[1:]]
    assert_rescores_as_the_cli(service, forms, names, tmp_path)


def cells(data: bytes) -> dict[str, list[tuple]]:
    """Every sheet's cells: value, fill colour and note, as openpyxl reads them."""
    book = load_workbook(io.BytesIO(data))
    return {
        ws.title: [
            (c.coordinate, c.value, c.fill.fgColor.rgb, c.comment.text if c.comment else None)
            for row in ws.iter_rows()
            for c in row
        ]
        for ws in book.worksheets
    }


def test_the_rescored_copy_marks_and_lists_every_change(service, forms) -> None:
    book = load_workbook(
        io.BytesIO(post(service, "/api/rescore", upload(forms / "form02.xlsx")).content)
    )
    log = book["重新评分记录"]
    assert log.max_row > 1
    noted = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.comment]
    assert any(c.comment.text.startswith("重新评分：原") for c in noted)


@pytest.mark.parametrize(
    "fmt",
    [
        "csv",
        pytest.param("xlsx", marks=pytest.mark.slow),
        pytest.param("html", marks=pytest.mark.slow),
    ],
)
def test_report_in_each_format_is_the_clis_report(service, forms, tmp_path, fmt) -> None:
    for name in ("form02.xlsx", "form06.xlsx", "all_forms.xlsx"):
        shutil.copy(forms / name, tmp_path / name)
    (tmp_path / "假的.xlsx").write_text("不是表格")  # listed as unreadable in both
    names = sorted(p.name for p in tmp_path.iterdir())
    out = tmp_path / "报告" / f"汇总.{fmt}"
    out.parent.mkdir()
    cli(tmp_path, "report", *names, "-o", f"报告/汇总.{fmt}")
    answer = post(service, f"/api/report?format={fmt}", upload(*(tmp_path / n for n in names)))
    assert answer.status_code == 200, answer.text
    assert f"汇总报告.{fmt}" in unquote(answer.headers["content-disposition"])
    if fmt == "csv":
        assert answer.content == out.read_bytes()
    elif fmt == "xlsx":
        ours, theirs = load_workbook(io.BytesIO(answer.content)), load_workbook(out)
        assert [list(ws.values) for ws in ours] == [list(ws.values) for ws in theirs]
    else:
        page = answer.content.decode("utf-8")
        assert all(name in page for name in names) and "假的.xlsx" in page


def test_sample_draws_what_the_cli_draws_from_a_folder_of_the_same_files(
    service, forms, tmp_path
) -> None:
    folder = tmp_path / "表"
    folder.mkdir()
    for path in sorted(forms.glob("form0*.xlsx"))[:6]:
        shutil.copy(path, folder / path.name)
    cli(tmp_path, "sample", "表", "-n", "4", "--seed", "2026", "-o", str(tmp_path / "抽查.xlsx"))
    answer = post(service, "/api/sample", upload(*sorted(folder.iterdir())), n="4", seed="2026")
    assert answer.status_code == 200, answer.text
    drawn = load_workbook(io.BytesIO(answer.content))["抽查清单"]
    expected = load_workbook(tmp_path / "抽查.xlsx")["抽查清单"]
    assert [r[-1] for r in drawn.values] == [r[-1] for r in expected.values]  # 表标识, in order


def test_review_writes_the_clis_workpaper_rows(service, forms, tmp_path) -> None:
    names = ["form02.xlsx", "form08.xlsx"]
    cli(forms, "review", *names, "-o", str(tmp_path / "底稿.xlsx"))
    answer = post(service, "/api/review", upload(*(forms / n for n in names)))
    assert answer.status_code == 200, answer.text
    ours, theirs = load_workbook(io.BytesIO(answer.content)), load_workbook(tmp_path / "底稿.xlsx")
    assert [r for r in ours.worksheets[0].values] == [r for r in theirs.worksheets[0].values]


def test_sampling_needs_both_a_count_and_a_seed(service, forms) -> None:
    assert_refused(post(service, "/api/sample", upload(forms / "form01.xlsx"), n="2"), 400, "seed")
    assert_refused(
        post(service, "/api/sample", upload(forms / "form01.xlsx"), n="两份", seed="1"), 400, "整数"
    )


@pytest.mark.parametrize(
    "layout",
    [
        "sichuan",
        *(pytest.param(n, marks=pytest.mark.slow) for n in ("standard", "appraisal", "national")),
    ],
)
def test_template_is_the_committed_blank_template(service, layout) -> None:
    from selfeval.layouts.layout import layout_spec

    path = TEMPLATES / "2026" / f"{layout_spec(layout).title}_2026.xlsx"
    answer = httpx.get(f"{service.url}/api/template", params={"layout": layout, "year": 2026})
    assert answer.status_code == 200
    assert answer.content == path.read_bytes(), path.name


def test_bad_template_requests_are_refused_in_chinese(service) -> None:
    assert_refused(httpx.get(f"{service.url}/api/template?layout=guangdong"), 400, "表样")
    assert_refused(httpx.get(f"{service.url}/api/template?year=1900"), 400, "年度")


# -- bad input ---------------------------------------------------------------------------


def read_error(answer: httpx.Response) -> str:
    (result,) = answer.json()
    (finding,) = result["findings"]
    assert finding["code"] == "READ_ERROR"
    return finding["message"]


def test_text_named_xlsx_and_an_empty_file_give_a_read_error_saying_why(service) -> None:
    text = post(service, "/api/validate", [("file", ("假的.xlsx", "这不是表格".encode()))])
    assert "不是电子表格" in read_error(text)
    empty = post(service, "/api/validate", [("file", ("空.xlsx", b""))])
    assert "空" in read_error(empty)
    assert_still_answers(service)


def test_rescoring_a_file_without_a_form_is_refused_in_chinese(service) -> None:
    answer = post(service, "/api/rescore", [("file", ("假的.xlsx", b"hello"))])
    assert_refused(answer, 422, "假的.xlsx")


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return out.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(service) -> None:
    bomb = zipped({f"表{i}.xlsx": bytes(8 * 2**20) for i in range(3)})
    assert len(bomb) < 2**17
    assert_refused(post(service, "/api/validate", [("file", ("炸弹.zip", bomb))]), 413, "压缩炸弹")
    assert_still_answers(service)


def test_a_zip_with_paths_outside_it_is_refused(service) -> None:
    evil = zipped({"../../etc/表.xlsx": b"x", "好.xlsx": b"y"})
    assert_refused(
        post(service, "/api/validate", [("file", ("坏.zip", evil))]), 400, "../../etc/表.xlsx"
    )
    absolute = zipped({"/tmp/表.xlsx": b"x"})
    assert_refused(
        post(service, "/api/validate", [("file", ("坏.zip", absolute))]), 400, "压缩包以外"
    )
    assert_still_answers(service)


def test_a_zip_that_is_no_zip_or_holds_no_form_is_refused(service) -> None:
    assert_refused(
        post(service, "/api/report", [("file", ("表.zip", b"PK\x03\x04oops"))]), 400, "损坏"
    )
    only_pdf = zipped({"说明.pdf": b"%PDF"})
    assert_refused(
        post(service, "/api/report", [("file", ("表.zip", only_pdf))]), 400, "没有自评表"
    )


def test_an_upload_over_the_limit_is_refused_with_413(service) -> None:
    big = bytes(21 * 2**20)
    assert_refused(post(service, "/api/validate", [("file", ("大.xlsx", big))]), 413, "20 MB")
    assert_still_answers(service)


def test_a_body_sent_without_its_length_is_stopped_at_the_limit(service) -> None:
    def body():  # type: ignore[no-untyped-def]
        yield b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n\r\n'
        for _ in range(22):
            yield bytes(2**20)
        yield b"\r\n--x--\r\n"

    chunked = httpx.post(
        f"{service.url}/api/validate",
        content=body(),
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert chunked.request.headers["transfer-encoding"] == "chunked"
    assert_refused(chunked, 413, "20 MB")
    assert_still_answers(service)


def test_a_request_without_a_file_or_with_an_unknown_profile_is_refused(service, forms) -> None:
    assert_refused(httpx.post(f"{service.url}/api/validate"), 400, "file")
    answer = post(service, "/api/validate", upload(forms / "form01.xlsx"), profile="/etc/passwd")
    assert_refused(answer, 400, "评分口径")
    assert_refused(
        post(service, "/api/report?format=pdf", upload(forms / "form01.xlsx")), 400, "pdf"
    )
    assert_refused(httpx.get(f"{service.url}/api/nothing"), 404)
    assert_refused(httpx.get(f"{service.url}/api/validate"), 405)


def test_a_cell_holding_markup_comes_back_as_data_never_as_markup(service, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "<b>表"
    book.active["A1"] = "<script>alert('x')</script>"
    path = tmp_path / "<b>表.xlsx"
    book.save(path)
    answer = post(service, "/api/sheets", upload(path))
    (picture,) = answer.json()["files"]
    assert picture["sheets"][0]["rows"][0][0] == "<script>alert('x')</script>"
    assert picture["file"] == "_b_表.xlsx"  # < > are not kept in a name
    assert answer.headers["content-type"] == "application/json"
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_nothing_of_an_upload_reaches_the_log(service, forms) -> None:
    post(service, "/api/validate", upload(forms / "form02.xlsx"))
    post(service, "/api/validate", [("file", ("机密项目名称.xlsx", b"junk"))])
    log = service.log.read_text("utf-8", "replace")
    assert "机密项目名称" not in log and "form02" not in log
    assert service.leftovers() == []


def test_the_desk_and_its_files_come_from_the_service_itself(service) -> None:
    page = httpx.get(f"{service.url}/")
    assert page.status_code == 200 and "绩效自评表校验工作台" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for name in ("desk.js", "desk.css"):
        assert httpx.get(f"{service.url}/desk/{name}").status_code == 200
    for text in (page.text, httpx.get(f"{service.url}/desk/desk.css").text):
        assert "http://" not in text and "https://" not in text  # nothing from outside


# -- bounds: a full service, a request past its time ---------------------------------------


@pytest.fixture(scope="module")
def narrow(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """A service with one slot, no waiting room and a one-second time limit."""
    from tests.service_harness import running_service

    folder = tmp_path_factory.mktemp("narrow")
    env = {"SELFEVAL_SERVE_SLOTS": "1", "SELFEVAL_SERVE_WAITING": "0"}
    with running_service(folder, "--timeout", "1", **env) as running:
        yield running


@pytest.mark.slow
def test_a_full_service_answers_503_and_a_long_request_stops_with_a_chinese_message(
    narrow, forms
) -> None:
    import threading
    import time

    many = zipped(
        {f"单位{i:03d}/{i}.xlsx": (forms / "all_forms.xlsx").read_bytes() for i in range(150)}
    )
    answers: list[httpx.Response] = []
    first = threading.Thread(
        target=lambda: answers.append(post(narrow, "/api/validate", [("file", ("多.zip", many))]))
    )
    first.start()
    time.sleep(0.5)
    busy = post(narrow, "/api/validate", upload(forms / "form01.xlsx"))
    first.join()
    assert_refused(busy, 503, "繁忙")
    assert_refused(answers[0], 504, "1 秒")
    time.sleep(0.2)
    assert post(narrow, "/api/validate", upload(forms / "form01.xlsx")).status_code == 200
    assert narrow.leftovers() == []


def test_a_name_that_would_run_as_a_formula_is_escaped_in_the_downloaded_report(
    service, forms
) -> None:
    named = [("file", ("=HYPERLINK(1).xlsx", (forms / "form02.xlsx").read_bytes()))]
    csv = post(service, "/api/report?format=csv", named).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1).xlsx" in csv
    assert ",=HYPERLINK" not in csv


def test_concurrent_uploads_each_get_their_own_forms_back(service, forms) -> None:
    from concurrent.futures import ThreadPoolExecutor

    names = ["form02.xlsx", "form06.xlsx", "form10.xlsx"] * 2
    expected = {n: cli(forms, "validate", n, "--format", "json")[1] for n in set(names)}
    with ThreadPoolExecutor(len(names)) as pool:
        answers = list(pool.map(lambda n: post(service, "/api/validate", upload(forms / n)), names))
    assert [a.content for a in answers] == [expected[n] for n in names]


def test_each_upload_is_a_private_file_of_its_own_removed_also_on_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from selfeval.service.work import workspace

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    uploads = [("表.xlsx", b"one"), ("表.xlsx", b"two"), ("单位/表.XLSX", b"three")]
    with pytest.raises(RuntimeError), workspace(uploads) as placed:
        assert [shown for _, shown in placed] == ["表.xlsx", "表 (2).xlsx", "单位/表.XLSX"]
        assert [path.read_bytes() for path, _ in placed] == [b"one", b"two", b"three"]
        assert [path.suffix for path, _ in placed] == [".xlsx", ".xlsx", ".XLSX"]
        assert all(path.parent == tmp_path for path, _ in placed)
        assert all(path.stat().st_mode & 0o777 == 0o600 for path, _ in placed)
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def test_a_crowded_worker_asks_one_client_in_eight_to_reconnect_and_a_lone_one_never() -> None:
    from selfeval.service.bounds import RECONNECT_EVERY, Service
    from selfeval.service.uploads import Limits

    service = Service(limits=Limits(slots=2, waiting=16))
    service.gate.busy = 2  # both slots working, nobody waiting
    assert not any(service.reconnect() for _ in range(100))
    service.gate.busy = 3  # one request waits for a slot
    asked = [service.reconnect() for _ in range(8 * RECONNECT_EVERY)]
    assert sum(asked) == 8 and asked[RECONNECT_EVERY - 1]


def test_a_lone_users_connection_is_kept_alive(service, forms) -> None:
    with httpx.Client(base_url=service.url) as client:
        for _ in range(3):
            answer = client.post("/api/validate", files=upload(forms / "form01.xlsx"))
            assert answer.status_code == 200
            assert answer.headers.get("connection", "keep-alive").lower() != "close"


def test_the_serve_command_is_light_until_it_runs() -> None:
    import subprocess
    import sys

    code = (
        "import sys\nfrom selfeval.cli.main import build_parser\nbuild_parser(['serve'])\n"
        "build_parser()\nprint(' '.join(m for m in ('starlette', 'uvicorn', 'multipart', "
        "'selfeval.service') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""


def test_on_a_shared_address_the_command_prints_the_address_staff_open(monkeypatch, capsys) -> None:
    import os

    import uvicorn

    started: dict = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: started.update(options))
    monkeypatch.setattr(os, "environ", os.environ.copy())  # the options it passes to workers
    assert main(["serve", "--host", "0.0.0.0", "--no-browser", "--workers", "2"]) == 0
    said = capsys.readouterr().err
    assert "请同事在浏览器中打开：http://" in said and ":8765/" in said
    assert started["workers"] == 2 and started["host"] == "0.0.0.0"
    assert main(["serve", "--no-browser"]) == 0
    assert "请同事" not in capsys.readouterr().err


def test_bad_serve_options_are_refused_in_chinese(capsys) -> None:
    assert main(["serve", "--workers", "0", "--no-browser"]) == 2
    assert "--workers" in capsys.readouterr().err
    assert main(["serve", "--profile", "没有这个口径", "--no-browser"]) == 2


def test_a_readers_program_error_reaches_the_log_without_the_files_name_or_text() -> None:
    import logging
    import sys

    from selfeval.service.bounds import NoUploadText

    try:
        raise KeyError("单元格里的机密文字")
    except KeyError:
        record = logging.LogRecord(
            "selfeval.readers.workbook",
            logging.ERROR,
            __file__,
            1,
            "unexpected error reading workbook %s",
            ("机密项目.xlsx",),
            sys.exc_info(),
        )
    assert NoUploadText().filter(record)
    line = logging.Formatter().format(record)
    assert "KeyError" in line and "test_service.py" in line
    assert "机密" not in line


def test_only_the_origins_allowed_may_call_the_service_from_another_page(service) -> None:
    from tests.service_harness import ADDIN_ORIGIN

    ask = {"Access-Control-Request-Method": "POST"}
    allowed = httpx.options(f"{service.url}/api/validate", headers={"Origin": ADDIN_ORIGIN, **ask})
    assert allowed.headers["access-control-allow-origin"] == ADDIN_ORIGIN
    other = httpx.options(f"{service.url}/api/validate", headers={"Origin": "http://evil", **ask})
    assert "access-control-allow-origin" not in other.headers


def test_a_zip_from_chinese_windows_names_its_members_in_gbk(service, forms) -> None:
    data = zipped({"AB.xlsx": (forms / "form02.xlsx").read_bytes()})
    data = data.replace(b"AB.xlsx", "表.xlsx".encode("gbk"))  # same length, no UTF-8 flag
    assert b"AB.xlsx" not in data
    (result,) = post(service, "/api/validate", [("file", ("收到的表.zip", data))]).json()
    assert result["source"]["file"] == "表.xlsx"


def test_the_wps_add_ins_routes_are_mounted_beside_the_services(monkeypatch) -> None:
    from starlette.routing import Route

    from selfeval.service import app, plan

    route = Route("/api/plan", lambda request: None, methods=["POST"])
    monkeypatch.setattr(plan, "ROUTES", [route])
    routes = app.create_app().routes
    assert route in routes and any(getattr(r, "path", "") == "/api/validate" for r in routes)


def test_a_template_is_judged_by_the_profile_it_records_unless_a_request_names_one(
    service, tmp_path
) -> None:
    made = httpx.get(
        f"{service.url}/api/template", params={"layout": "standard", "profile": "shanghai"}
    )
    path = tmp_path / "上海模板.xlsx"
    path.write_bytes(made.content)
    for named in ((), ("--profile", "national")):
        _, printed = cli(tmp_path, "validate", path.name, "--format", "json", *named)
        fields = {"profile": named[1]} if named else {}
        assert post(service, "/api/validate", upload(path), **fields).content == printed

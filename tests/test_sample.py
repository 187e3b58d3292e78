"""selfeval sample: the same seed draws the same list anywhere; the weights are visible
and the draw follows them."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import load_workbook

from selfeval.cli.main import main
from selfeval.reports.portfolio.sample import Unit, draw, exp_key, uniform
from selfeval.reports.portfolio.summary import Row
from tests.test_portfolio_folder import build_folder


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "收件"
    build_folder(path, 60, workbooks=False)
    return path


def drawn(folder: Path, seed: int, capsys: pytest.CaptureFixture[str], n: int = 10) -> list[str]:
    """The ids printed by ``selfeval sample``, in the order drawn."""
    assert main(["sample", str(folder), "-n", str(n), "--seed", str(seed)]) == 0
    out = capsys.readouterr().out
    assert f"随机数种子：{seed}" in out and "抽样框：60 份" in out
    return [line.split("　")[-1] for line in out.splitlines() if line[:3].strip().isdigit()]


@pytest.mark.slow  # builds a folder of forms
def test_same_seed_same_list_wherever_the_folder_is(folder, tmp_path, capsys) -> None:
    first = drawn(folder, 2026, capsys)
    moved = shutil.copytree(folder, tmp_path / "别处" / "收件")
    assert len(first) == 10 and drawn(moved, 2026, capsys) == first


@pytest.mark.slow  # builds a folder of forms
def test_another_seed_draws_another_list(folder, capsys) -> None:
    assert drawn(folder, 2026, capsys) != drawn(folder, 2027, capsys)


@pytest.mark.slow  # builds a folder of forms
def test_the_list_records_seed_frame_and_weights(folder, tmp_path, capsys) -> None:
    out = tmp_path / "抽查清单.xlsx"
    assert main(["sample", str(folder), "-n", "5", "--seed", "7", "-o", str(out)]) == 0
    capsys.readouterr()
    printed = drawn(folder, 7, capsys, n=5)
    wb = load_workbook(out)
    about = dict(wb["抽样说明"].iter_rows(min_row=2, values_only=True))
    assert (
        about["随机数种子"] == "7" and about["抽取份数"] == "5" and "SHA-256" in about["抽样方法"]
    )
    heads, *frame = wb["抽样框"].iter_rows(values_only=True)
    col = {h: i for i, h in enumerate(heads)}
    assert len(frame) == 60
    for line in frame:  # each weight is the sum of its parts, each key recomputable
        parts = sum(line[col[h]] for h in ("基础权重", "金额权重", "问题权重", "自评分权重"))
        assert line[col["权重"]] == pytest.approx(parts, abs=1e-3)
        assert line[col["随机数 u"]] == pytest.approx(uniform(7, line[col["表标识"]]), rel=1e-14)
    assert len({line[col["权重"]] for line in frame}) > 5  # weights differ between forms
    listed = [r[-1] for r in wb["抽查清单"].iter_rows(min_row=2, values_only=True)]
    assert listed == printed
    assert sorted(r[col["表标识"]] for r in frame if r[col["是否抽中"]] == "是") == sorted(listed)


def test_draw_follows_the_weights_on_a_synthetic_frame() -> None:
    weights = {"甲": 1.0, "乙": 2.0, "丙": 3.0, "丁": 4.0}
    row = Row(1, "x")
    seeds = 8000
    wins: Counter[str] = Counter()
    for seed in range(seeds):
        units = [Unit(row, k, w, (w, 0, 0, 0), exp_key(seed, k, w)) for k, w in weights.items()]
        wins[draw(units, 1)[0].id] += 1
    for k, w in weights.items():  # P(first draw) = w ÷ Σw; 4 standard errors of slack
        p = w / sum(weights.values())
        assert abs(wins[k] / seeds - p) < 4 * (p * (1 - p) / seeds) ** 0.5, (k, wins)


@pytest.mark.slow  # builds a folder of forms
def test_the_sample_needs_both_n_and_seed(folder, capsys) -> None:
    with pytest.raises(SystemExit):
        main(["sample", str(folder), "-n", "3"])
    assert "--seed" in capsys.readouterr().err


@pytest.mark.slow  # builds a folder of forms
def test_the_weights_come_from_the_profile(folder, tmp_path, capsys) -> None:
    flat = tmp_path / "flat.toml"
    flat.write_text(
        'base = "national"\nname = "flat"\ntitle = "等权"\n'
        "[sample]\nbase = 2\namount = 0\nfindings = 0\nscore = 0\n",
        encoding="utf-8",
    )
    args = ["sample", str(folder), "-n", "4", "--seed", "1", "--profile", str(flat)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert out.count("权重 2.0000") == 4 and "权重 = 2 + 0 × 全年预算数" in out


@pytest.mark.slow  # builds a folder of forms
def test_review_of_a_sample_holds_the_forms_drawn(folder, tmp_path, capsys) -> None:
    ids = drawn(folder, 2026, capsys, n=3)
    out = tmp_path / "复核底稿.xlsx"
    assert main(["review", str(folder), "-n", "3", "--seed", "2026", "-o", str(out)]) == 0
    summary = load_workbook(out)["汇总"]
    files = sorted(
        Path(r[3]).relative_to(folder).as_posix()
        for r in summary.iter_rows(min_row=2, values_only=True)
    )
    assert files == sorted(ids)

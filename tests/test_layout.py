"""The layout description: one cell per field, valid names, formulas that resolve."""

from __future__ import annotations

import re

import pytest
from openpyxl.utils.cell import range_boundaries

from selfeval.layouts.layout import LAYOUT_NAMES, LEVEL_KEYS, build_layout, layout_for, same_formula
from selfeval.profiles.policy import load_profile

EXCEL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")
CELL_LIKE = re.compile(r"[A-Za-z]{1,3}\d+")
ALLOWED_FUNCTIONS = {"IF", "AND", "ISNUMBER", "ROUND", "ROUNDUP", "MIN", "SUM", "SUMIF"}


def cells(ref: str) -> set[tuple[int, int]]:
    c1, r1, c2, r2 = range_boundaries(ref)
    return {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_pieces_do_not_overlap_each_other_or_the_table(name):
    layout = build_layout(name, {"产出指标": 4, "效益指标": 2, "满意度指标": 1})
    seen: set[tuple[int, int]] = set()
    first, *_, last = layout.columns.values()
    table = cells(f"{first}{layout.first_row}:{last}{layout.last_row}")
    for ref, _ in layout.pieces:
        these = cells(ref)
        assert not these & seen, ref
        assert not these & table, ref
        seen |= these


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_every_field_has_one_cell_and_a_valid_unique_name(name):
    layout = build_layout(name)
    assert len(set(layout.fields.values())) == len(layout.fields)
    names = layout.names
    for defined in names:
        assert EXCEL_NAME.fullmatch(defined) and not CELL_LIKE.fullmatch(defined), defined
    assert {spec.name for spec in layout.specs.values()} <= set(names)
    assert names["SE_project"] == "$" + "$".join(
        re.match(r"([A-Z]+)(\d+)", layout.fields["header.project"]).groups()
    )


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_computed_fields_have_formulas_with_portable_functions_only(name):
    layout = build_layout(name)
    for profile in ("national", "shanghai"):
        for path, spec in layout.specs.items():
            formula = layout.formula(path, load_profile(profile))
            assert (formula is not None) == (spec.kind == "computed"), path
            if formula:
                assert "{" not in formula and formula.startswith("=")
                assert set(re.findall(r"([A-Z]+)\(", formula)) <= ALLOWED_FUNCTIONS, formula


def test_rate_rounding_follows_the_profile():
    layout = build_layout("standard")
    assert "ROUNDUP(" in layout.formula("funds.total.stated_rate", load_profile("shanghai"))
    assert "ROUNDUP(" not in layout.formula("funds.total.stated_rate", load_profile("national"))


def test_sums_span_the_whole_table_so_inserted_rows_count():
    layout = build_layout("standard", {"产出指标": 3, "效益指标": 2, "满意度指标": 1})
    span = f"{layout.first_row}:F{layout.last_row}"
    assert span in layout.formula("stated_points_total")
    assert f"SUMIF(A{layout.first_row}:A{layout.last_row}" in layout.formula(
        "category_points.产出指标"
    )


def test_indicator_paths_count_rows_across_blocks():
    layout = build_layout("appraisal", {"产出指标": 2, "效益指标": 2, "满意度指标": 1})
    first = layout.first_row
    assert layout.cell("indicators[0].level1") == f"A{first}"
    assert layout.cell("indicators[2].score") == f"G{first + 2}"
    assert layout.block_of(first + 2) == "效益指标"
    with pytest.raises(KeyError):
        layout.cell("indicators[5].score")


@pytest.mark.parametrize("name", LAYOUT_NAMES)
def test_layout_for_reads_names_back(name):
    layout = build_layout(name, {"产出指标": 7, "效益指标": 5, "满意度指标": 2})
    again = layout_for(layout.names)
    assert again is not None and again.name == name
    assert again.fields == layout.fields and again.blocks == layout.blocks


def test_layout_for_follows_rows_inserted_by_the_user():
    layout = build_layout("standard", {"产出指标": 3, "效益指标": 2, "满意度指标": 1})
    shifted = {}
    for defined, ref in layout.names.items():  # one row inserted inside the 产出 block

        def move(m):
            row = int(m[2])
            return f"${m[1]}${row + 1 if row > layout.first_row else row}"

        shifted[defined] = re.sub(r"\$([A-Z]+)\$(\d+)", move, ref)
    again = layout_for(shifted)
    assert again.blocks["产出指标"] == (layout.first_row, layout.first_row + 3)
    assert again.cell("stated_total") == f"G{layout.total_row + 1}"
    assert "SUM(G" in again.formula("stated_total")


def test_layout_for_refuses_foreign_names():
    assert layout_for({"Print_Area": "$A$1:$H$30"}) is None


def test_same_formula_ignores_dollars_case_and_spaces_outside_strings():
    assert same_formula("=ROUND($A$1, 2)", "=round(A1,2)")
    assert not same_formula('=SUMIF(A1:A3,"产出指标*",F1:F3)', '=SUMIF(A1:A3,"效益指标*",F1:F3)')
    assert not same_formula(None, "=A1")


def test_level_keys_cover_every_first_level():
    assert set(LEVEL_KEYS) == {"产出指标", "效益指标", "满意度指标"}

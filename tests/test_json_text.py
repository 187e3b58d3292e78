"""JSON output is written directly (render.json_text), byte for byte as json.dumps(indent=2)."""

from __future__ import annotations

import enum
import json

import pytest

from selfeval.render import json_text


class Level(enum.IntEnum):
    HIGH = 3


class Code(enum.StrEnum):
    RATE = "FUNDS_RATE"


VALUES = [
    {"code": "FUNDS_RATE", "expected": 0.9907, "found": "99.06%", "cell": None},
    {"nested": {"list": [1, 2.5, True, False, None], "empty": [], "none": {}}},
    {"text": '引号"、反斜杠\\、换行\n和制表\t', "big": 10**20, "tiny": 1e-7, "huge": 1e22},
    {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf"), "zero": -0.0},
    {"enum": Level.HIGH, "str_enum": Code.RATE, "tuple": (1, "a")},
    [],
    {},
    "plain",
    12.5,
    None,
]


@pytest.mark.parametrize("value", VALUES)
def test_json_text_writes_what_json_dumps_writes(value):
    assert json_text(value) == json.dumps(value, ensure_ascii=False, indent=2)


@pytest.mark.parametrize("value", VALUES)
def test_a_margin_goes_before_every_line_but_the_first(value):
    lines = json.dumps(value, ensure_ascii=False, indent=2).split("\n")
    assert json_text(value, "  ") == "\n".join([lines[0], *("  " + line for line in lines[1:])])


def test_what_json_cannot_write_is_refused():
    with pytest.raises(TypeError):
        json_text({"when": object()})

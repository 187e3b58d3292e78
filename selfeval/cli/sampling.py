"""The review sample of ``selfeval sample`` and ``selfeval review -n`` (imported by their
``run``: the department report it summarises loads openpyxl)."""

from __future__ import annotations

import argparse

from selfeval.cli.common import profile_from
from selfeval.errors import InputError
from selfeval.reports.portfolio import summarise
from selfeval.reports.portfolio.sample import base_folder, draw, frame


def draw_sample(args: argparse.Namespace, results: list):  # type: ignore[no-untyped-def]
    """The portfolio of ``results``, its frame and the units drawn (all of them when no
    ``-n``); shared with ``selfeval review -n``."""

    if args.n is not None and args.n < 1:
        raise InputError("抽取份数 -n 至少为 1")
    if (args.n is None) != (args.seed is None):
        raise InputError("抽样须同时给出份数 -n 和随机数种子 --seed")
    portfolio = summarise(results, profile_from(args))
    units = frame(portfolio, base_folder(args.paths), args.seed or 0)
    return portfolio, units, draw(units, args.n or len(units))

"""Checks across the forms of a folder (跨表检查): what the forms say together.

Reviewers (复核) look beyond one form's arithmetic. Each form is reduced, as it is
checked, to a small :class:`FormRecord` (unit, project, the texts of its goals,
indicator names and reasons, and a few figures); the checks run once on those
records when every form is in, so a report never needs the forms themselves:

- **全部满分的单位**: a unit (实施单位) with at least :data:`UNIT_MIN_FORMS` forms whose
  every form states 总分 100, or whose every indicator scores its full 分值;
- **近似重复的文字**: goals, reasons and the list of indicator names of forms of
  different units or projects that are near-duplicates: Jaccard similarity of their
  character 3-gram sets (:data:`SHINGLE`) at least :data:`SIMILARITY` (0.8), after
  spaces and punctuation are removed and every number is replaced by ``#`` (copied
  text with new figures still counts). Only texts of :data:`MIN_CHARS` characters
  or more are compared (short ones such as 满意度 are the same everywhere);
- **同一原因重复**: one form giving the same 偏差原因 on :data:`SAME_REASON_ROWS` rows
  or more;
- **低执行而产出满分**: 执行率 below :data:`LOW_RATE` (60 %) while every 产出指标
  scores full marks.

Each check gives every form it lists a finding with a code of its own (``Code.CROSS_*``),
so the report counts, filters and exports them like the findings of one form.

Near-duplicates are found with prefix filtering (Chaudhuri et al., 2006): each text
is indexed under its rarest shingles only, so just the pairs that can reach the
threshold are compared, and the result is the same as comparing every pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from selfeval.form import vocabulary as vocab
from selfeval.form.codes import Code
from selfeval.form.findings import Finding
from selfeval.form.model import Form
from selfeval.form.values import number
from selfeval.rules.analysis import Analysis, has_reason

UNIT_MIN_FORMS = 2
"""A unit is listed as all-full only when it filed at least this many forms."""
SIMILARITY = 0.8
"""Jaccard similarity of the 3-gram sets at or above which two texts are near-duplicates."""
SHINGLE = 3
"""Characters per shingle (n-gram)."""
MIN_CHARS = 12
"""Texts shorter than this (after normalising) are not compared across forms."""
SAME_REASON_ROWS = 3
"""Rows of one form with the same reason at or above which the form is listed."""
LOW_RATE = 0.6
"""执行率 below which full marks on every output indicator is listed."""
FULL_TOTAL = 100.0
STAR_PAIRS = 20
"""At most this many pairs are listed for one group of near-identical texts."""

TEXT_KINDS = {
    "planned": "年度目标",
    "achieved": "实际完成情况",
    "names": "指标名称",
    "reason": vocab.REASON_SHORT,
}
TEXT_FIELDS = {
    "planned": "goals.planned",
    "achieved": "goals.achieved",
    "names": "indicators.name",
    "reason": "indicators.reason",
}
"""The field path a near-duplicate finding names, by kind of text."""


@dataclass(frozen=True)
class Text:
    """A text of a form worth comparing across forms: its kind and where it is."""

    kind: str  # key of TEXT_KINDS
    text: str
    place: str = ""  # 单元格 or 指标第 N 行


@dataclass(frozen=True)
class FormRecord:
    """What the cross-form checks need of one form (a few hundred bytes)."""

    index: int  # 序号 in the report
    unit: str  # 实施单位 (主管部门 when blank)
    project: str
    texts: tuple[Text, ...]
    stated_total: float | None
    indicators_full: bool  # at least one indicator, every one at its full 分值
    outputs_full: bool  # at least one 产出指标, every one at its full 分值
    rate: float | None
    repeated_reason: tuple[str, int, tuple[str, ...]] | None  # reason, rows, places


def record(index: int, form: Form | None, a: Analysis | None) -> FormRecord | None:
    """The record of one checked form and its figures (None for an unreadable input)."""
    if form is None or a is None:
        return None
    texts = [Text("planned", form.goals.planned), Text("achieved", form.goals.achieved)]
    names = "；".join(row.name for row in form.indicators if row.name.strip())
    texts.append(Text("names", names))
    full, outputs = [], []
    reasons: dict[str, list[str]] = defaultdict(list)
    for i, row in enumerate(form.indicators):
        points, score = number(row.points), number(row.score)
        is_full = points is not None and score is not None and score >= points - 0.005
        if points:
            full.append(is_full)
            if row.level1.strip().startswith("产出"):
                outputs.append(is_full)
        if has_reason(row.reason):
            place = row.cells.get("reason") or f"指标第{i + 1}行"
            reasons[" ".join(row.reason.split())].append(place)
    texts += [Text("reason", reason, places[0]) for reason, places in reasons.items()]
    repeated = max(reasons.items(), key=lambda kv: len(kv[1]), default=None)
    return FormRecord(
        index=index,
        unit=(form.header.implementer or form.header.department).strip(),
        project=form.header.project.strip(),
        texts=tuple(t for t in texts if len(normalise(t.text)) >= MIN_CHARS),
        stated_total=stated if (stated := number(form.stated_total)) is not None else a.total,
        indicators_full=bool(full) and all(full),
        outputs_full=bool(outputs) and all(outputs),
        rate=a.execution_rate,
        repeated_reason=(
            (repeated[0], len(repeated[1]), tuple(repeated[1]))
            if repeated and len(repeated[1]) >= SAME_REASON_ROWS
            else None
        ),
    )


# -- results --------------------------------------------------------------------------


@dataclass(frozen=True)
class FullUnit:
    unit: str
    forms: tuple[int, ...]  # 序号
    every_total: bool  # every form states 总分 100 (else: every indicator full)

    @property
    def what(self) -> str:
        return "每个项目自评均为 100 分" if self.every_total else "全部指标均为满分"


@dataclass(frozen=True)
class SimilarPair:
    kind: str
    similarity: float
    left: int  # 序号
    right: int
    left_text: Text
    right_text: Text

    @property
    def label(self) -> str:
        return TEXT_KINDS[self.kind]


@dataclass(frozen=True)
class RepeatedReason:
    form: int
    reason: str
    rows: int
    places: tuple[str, ...]


@dataclass(frozen=True)
class LowSpend:
    form: int
    rate: float


@dataclass
class CrossChecks:
    """Everything the cross-form checks found, and per form (序号) its findings."""

    full_units: list[FullUnit] = field(default_factory=list)
    similar: list[SimilarPair] = field(default_factory=list)
    repeated_reasons: list[RepeatedReason] = field(default_factory=list)
    low_spend: list[LowSpend] = field(default_factory=list)
    findings: dict[int, list[Finding]] = field(default_factory=dict)  # 序号 -> findings

    @property
    def empty(self) -> bool:
        return not (self.full_units or self.similar or self.repeated_reasons or self.low_spend)

    def _flag(self, index: int, code: Code, path: str, **params: object) -> None:
        """A finding of ``code`` on form ``index`` (the same message only once)."""
        finding = Finding(code, path, params=params)
        found = self.findings.setdefault(index, [])
        if all(f.message != finding.message for f in found):
            found.append(finding)


class CrossForm:
    """Collects records as forms are checked (``add``), runs the checks at the end."""

    def __init__(self) -> None:
        self.records: list[FormRecord] = []

    def add(self, rec: FormRecord | None) -> None:
        if rec is not None:
            self.records.append(rec)

    def finish(self, skip: frozenset[int] = frozenset()) -> CrossChecks:
        """The checks over every record but those in ``skip`` (duplicate submissions)."""
        records = [r for r in self.records if r.index not in skip]
        out = CrossChecks()
        _full_units(records, out)
        _similar(records, out)
        for r in records:
            if r.repeated_reason is not None:
                reason, n, places = r.repeated_reason
                out.repeated_reasons.append(RepeatedReason(r.index, reason, n, places))
                out._flag(r.index, Code.CROSS_SAME_REASON, "indicators.reason", rows=n)
            if r.rate is not None and r.rate < LOW_RATE and r.outputs_full:
                out.low_spend.append(LowSpend(r.index, r.rate))
                out._flag(r.index, Code.CROSS_LOW_SPEND, "funds.total.stated_rate")
        return out


def _full_units(records: list[FormRecord], out: CrossChecks) -> None:
    units: dict[str, list[FormRecord]] = defaultdict(list)
    for r in records:
        if r.unit:
            units[r.unit].append(r)
    for unit, forms in units.items():
        if len(forms) < UNIT_MIN_FORMS:
            continue
        every_total = all(
            r.stated_total is not None and r.stated_total >= FULL_TOTAL - 0.005 for r in forms
        )
        if every_total or all(r.indicators_full for r in forms):
            found = FullUnit(unit, tuple(r.index for r in forms), every_total)
            out.full_units.append(found)
            for r in forms:
                out._flag(r.index, Code.CROSS_FULL_UNIT, "stated_total", what=found.what)


# -- near-duplicate texts -------------------------------------------------------------

_NUMBER = re.compile(r"\d+")
_NOT_WORD = re.compile(r"[\W_]+")


def normalise(text: str) -> str:
    """Text as compared: no spaces or punctuation, each number as ``#`` (``85.5%`` too)."""
    return _NUMBER.sub("#", _NOT_WORD.sub("", text))


def shingles(text: str) -> frozenset[str]:
    """The set of :data:`SHINGLE`-character substrings of the normalised text."""
    return _grams(normalise(text))


def _grams(t: str) -> frozenset[str]:
    return frozenset(t[i : i + SHINGLE] for i in range(max(len(t) - SHINGLE + 1, 1)))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def _similar(records: list[FormRecord], out: CrossChecks) -> None:
    # Identical texts (after normalising) are grouped first: a text copied into many
    # forms is compared once, and its copies are pairs of similarity 1.
    groups: dict[tuple[str, str], list[tuple[FormRecord, Text]]] = defaultdict(list)
    for r in records:
        for t in r.texts:
            groups[t.kind, normalise(t.text)].append((r, t))
    members = list(groups.values())
    sets = [_grams(norm) for _, norm in groups]
    partners: dict[tuple[int, str], set[int]] = defaultdict(set)
    for group in members:
        _pairs(group, group, 1.0, out, partners)
    for g, h, sim in _near(members, sets):
        _pairs(members[g], members[h], sim, out, partners)
    for (index, kind), others in sorted(partners.items()):
        if not others:
            continue
        shown = "、".join(map(str, sorted(others)[:3]))
        more = "等" if len(others) > 3 else ""
        out._flag(
            index,
            Code.CROSS_SIMILAR_TEXT,
            TEXT_FIELDS[kind],
            kind=TEXT_KINDS[kind],
            forms=shown + more,
        )


def _near(members: list, sets: list[frozenset[str]]) -> list[tuple[int, int, float]]:
    """Pairs of distinct texts of one kind with Jaccard ≥ :data:`SIMILARITY`, found by
    prefix filtering: each set is indexed under its rarest shingles only."""
    df: Counter[str] = Counter()
    for s in sets:
        df.update(s)
    index: dict[tuple[str, str], list[int]] = defaultdict(list)
    found = []
    for i, s in enumerate(sets):
        # The global order is rarest first (ties by text). Shingles found in no other
        # text come first and can match nothing: when they fill the whole prefix, no
        # other text can reach the threshold with this one, and it is skipped.
        shared = [g for g in s if df[g] > 1]
        prefix = len(s) - math.ceil(SIMILARITY * len(s)) + 1 - (len(s) - len(shared))
        if prefix <= 0:
            continue
        kind = members[i][0][1].kind
        ordered = sorted(shared, key=lambda g: (df[g], g))
        candidates: set[int] = set()
        for g in ordered[:prefix]:
            candidates.update(index[kind, g])
            index[kind, g].append(i)
        for j in sorted(candidates):
            t = sets[j]
            if min(len(s), len(t)) >= SIMILARITY * max(len(s), len(t)):
                sim = jaccard(s, t)
                if sim >= SIMILARITY:
                    found.append((j, i, sim))
    return found


def _pairs(
    left: list[tuple[FormRecord, Text]],
    right: list[tuple[FormRecord, Text]],
    sim: float,
    out: CrossChecks,
    partners: dict[tuple[int, str], set[int]],
) -> None:
    """Pairs across two groups of copies (or within one), from different units or
    projects: the first form of ``left`` against the others is listed (at most
    :data:`STAR_PAIRS`); every form notes up to four partners for its flag."""
    same = left is right
    anchor, text = left[0]
    listed = 0
    for other, other_text in right[1:] if same else right:
        if listed < STAR_PAIRS and _apart(anchor, other):
            out.similar.append(
                SimilarPair(text.kind, round(sim, 2), anchor.index, other.index, text, other_text)
            )
            listed += 1
    for a, t in left:
        mine = partners[a.index, t.kind]
        for b, _ in right:
            if len(mine) > 3:
                break
            if _apart(a, b):
                mine.add(b.index)
                if not same:
                    partners[b.index, t.kind].add(a.index)


def _apart(a: FormRecord, b: FormRecord) -> bool:
    """Two forms of different units or projects (a form is never a copy of itself)."""
    return a.index != b.index and (a.unit, a.project) != (b.unit, b.project)

"""The report's charts as plain SVG shapes (no library, no network).

Each function lays one chart out in pixels; the template only writes the shapes
out, escaping every text, so a project name cannot inject markup.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from selfeval.form.codes import Code, Severity
from selfeval.reports.portfolio.summary import Portfolio, Row

RATE_BARS = 30
"""Projects shown in the execution-rate chart: the lowest rates first."""

_GRADE_CLASS = {"优": "g-a", "良": "g-b", "中": "g-c", "差": "g-d"}
_SEVERITY_CLASS = {Severity.ERROR.label: "s-error", Severity.WARNING.label: "s-warning"}


@dataclass
class Shape:
    """One SVG element; ``text`` is the content of a <text>, or a tooltip for others."""

    tag: str  # rect | text | line
    attrs: dict[str, str | float]
    text: str = ""


@dataclass
class Chart:
    title: str
    width: int
    height: int
    shapes: list[Shape] = field(default_factory=list)
    note: str = ""

    def rect(self, x: float, y: float, w: float, h: float, cls: str, tip: str = "") -> None:
        attrs = {"x": _r(x), "y": _r(y), "width": _r(max(w, 0)), "height": _r(max(h, 0))}
        self.shapes.append(Shape("rect", {**attrs, "class": cls}, tip))

    def label(self, x: float, y: float, text: str, cls: str = "", anchor: str = "start") -> None:
        attrs = {"x": _r(x), "y": _r(y), "text-anchor": anchor}
        self.shapes.append(Shape("text", {**attrs, "class": cls} if cls else attrs, text))

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
        attrs = {"x1": _r(x1), "y1": _r(y1), "x2": _r(x2), "y2": _r(y2), "class": cls}
        self.shapes.append(Shape("line", attrs))


def _r(value: float) -> float:
    return round(value, 1)


def clip(text: str, n: int) -> str:
    """At most ``n`` characters, with … when cut."""
    return text if len(text) <= n else text[: n - 1] + "…"


# -- distribution of totals -----------------------------------------------------------


def total_bins(portfolio: Portfolio) -> list[tuple[str, float, int]]:
    """(label, lower bound, forms) for <60, 60–65, …, ≥95 of the computed totals."""
    edges = [0.0, *range(60, 100, 5)]
    counts = [0] * len(edges)
    for row in portfolio.forms:
        if row.total is not None:
            counts[max(bisect_right(edges, row.total) - 1, 0)] += 1
    labels = ["<60", *(f"{e}–{e + 5}" for e in range(60, 95, 5)), "≥95"]
    return list(zip(labels, edges, counts, strict=True))


def totals_chart(portfolio: Portfolio) -> Chart:
    bins = total_bins(portfolio)
    chart = Chart("总分分布（按填报得分）", 520, 250)
    left, top, plot_h, step = 36, 20, 170, (520 - 46) / len(bins)
    peak = max((n for _, _, n in bins), default=0) or 1
    chart.line(left, top + plot_h, 520 - 8, top + plot_h, "axis")
    for i, (text, lower, n) in enumerate(bins):
        x, h = left + i * step, plot_h * n / peak
        grade = portfolio.profile.grade(lower)
        tip = f"{text} 分：{n} 份（{grade}）"
        chart.rect(x + 4, top + plot_h - h, step - 8, h, _GRADE_CLASS.get(grade, "g-d"), tip)
        chart.label(x + step / 2, top + plot_h - h - 4, str(n), "count", "middle")
        chart.label(x + step / 2, top + plot_h + 16, text, "tick", "middle")
    for i, (grade, count) in enumerate(portfolio.grade_counts.items()):
        x = left + i * 110
        chart.rect(x, 226, 12, 12, _GRADE_CLASS.get(grade, "g-d"))
        chart.label(x + 17, 236, f"{grade} {count} 份", "tick")
    missing = sum(r.total is None for r in portfolio.forms)
    if missing:
        chart.note = f"另有 {missing} 份无法计算总分（预算执行数据缺失或无法识别）。"
    return chart


# -- execution rate per project -------------------------------------------------------


def rate_rows(portfolio: Portfolio) -> list[Row]:
    """Forms with a computed rate, lowest first, at most :data:`RATE_BARS`."""
    rated = sorted((r for r in portfolio.forms if r.rate is not None), key=lambda r: r.rate)
    return rated[:RATE_BARS]


def rates_chart(portfolio: Portfolio) -> Chart:
    rows = rate_rows(portfolio)
    rated = sum(r.rate is not None for r in portfolio.forms)
    bar, left, right = 18, 230, 70
    chart = Chart("各项目预算执行率", 1040, 30 + bar * max(len(rows), 1))
    scale = min(max([1.0, *(r.rate for r in rows)]), 1.5)
    plot_w = chart.width - left - right
    for i, row in enumerate(rows):
        y = 8 + i * bar
        name = row.project or row.file
        w = plot_w * min(row.rate, scale) / scale
        tip = f"{name}：执行率 {row.rate:.2%}"
        chart.label(left - 6, y + 13, clip(f"{row.index}. {name}", 18), "tick", "end")
        chart.rect(left, y + 3, w, bar - 6, _rate_class(row.rate), tip)
        chart.label(left + w + 4, y + 13, f"{row.rate:.2%}", "count")
    x100 = left + plot_w / scale
    chart.line(x100, 4, x100, chart.height - 18, "ref")
    chart.label(x100, chart.height - 4, "100%", "tick", "middle")
    if rated > len(rows):
        chart.note = f"共 {rated} 个项目，此处列出执行率最低的 {len(rows)} 个。"
    return chart


def _rate_class(rate: float) -> str:
    if rate > 1:
        return "r-over"
    return "r-ok" if rate >= 0.9 else "r-mid" if rate >= 0.6 else "r-low"


# -- findings by code -----------------------------------------------------------------


def codes_chart(portfolio: Portfolio) -> Chart:
    counts = portfolio.code_counts
    bar, left, right = 20, 250, 50
    chart = Chart("问题数量（按代码）", 520, 12 + bar * max(len(counts), 1))
    peak = max(counts.values(), default=0) or 1
    plot_w = chart.width - left - right
    for i, (code, n) in enumerate(counts.items()):
        y = 6 + i * bar
        severity = portfolio.code_severity[code].split("、")[0]
        cls = _SEVERITY_CLASS.get(severity, "s-info")
        w = plot_w * n / peak
        tip = f"{code} {Code(code).label}（{severity}）：{n} 项"
        chart.label(left - 6, y + 14, f"{Code(code).label} {code}", "tick", "end")
        chart.rect(left, y + 3, w, bar - 6, cls, tip)
        chart.label(left + w + 4, y + 14, str(n), "count")
    if not counts:
        chart.note = "未发现任何问题。"
    return chart


def all_charts(portfolio: Portfolio) -> list[Chart]:
    return [totals_chart(portfolio), codes_chart(portfolio), rates_chart(portfolio)]

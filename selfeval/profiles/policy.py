"""Scoring profiles: the scoring policy as data, one TOML file per profile.

A maintainer adds a province by adding ``selfeval/profiles/<name>.toml`` (or
passing a path). A profile may name a ``base`` profile and override only what
differs; tables are merged key by key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields
from functools import cache, cached_property
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from selfeval.errors import ProfileError
from selfeval.form.codes import REVIEW_CODES, Code, Severity, lookup

DEFAULT_PROFILE = "national"


@dataclass(frozen=True)
class SampleWeights:
    """Weights of the review sample (抽查权重, ``[sample]``): each form's weight is
    ``base + amount × 预算数 ÷ 抽样框最大预算数 + findings × min(问题数, findings_cap) ÷
    findings_cap + score × max(填报总分 − 60, 0) ÷ 40``."""

    base: float = 1.0
    amount: float = 2.0
    findings: float = 1.0
    findings_cap: int = 5
    score: float = 1.0


@dataclass(frozen=True)
class Profile:
    """The scoring policy (评分口径) the rules apply."""

    name: str
    title: str
    funds_weight: float
    category_weights: dict[str, float]  # 一级指标 -> default 分值
    rate_rounding: Literal["round", "roundup"]
    rate_decimals: int
    score_basis: Literal["raw", "rounded"]  # which rate the funds score multiplies
    funds_score_decimals: int
    funds_score_tolerance: float
    score_decimals: int
    policy_tolerance: float
    negative_formula: Literal["either", "ratio", "linear"]  # either: accept both, suggest linear
    over_achievement: float
    total_tolerance: float
    bands: dict[str, tuple[float, float]]  # achieved / partial / not_achieved
    grades: tuple[tuple[str, float], ...]  # (grade, lower bound), best first
    sample: SampleWeights = SampleWeights()  # weights of `selfeval sample`
    lower_better: tuple[str, ...] = ()  # name words of a negative indicator (投诉, 故障率 …)
    higher_despite: tuple[str, ...] = ()  # words that turn such a name positive (处理, 办结 …)
    review: Review | None = None  # the 复核 checks, None when the profile turns them all off
    settings: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    """The TOML data the profile was built from (its base merged in): what a template
    records, and :func:`profile_from_settings` reads back."""

    def lower_is_better(self, name: str) -> bool:
        """The indicator's name says less is better (有责投诉次数, 故障率, 结余率 …)."""
        memo = self._direction
        known = memo.get(name)
        if known is None:
            if len(memo) >= 65536:  # bounded: a long run meets many names
                memo.clear()
            known = memo[name] = bool(
                _any_of(self.lower_better).search(name)
                and not self.higher_despite_pattern.search(name)
            )
        return known

    # Kept for speed: bench_engine.py 7,900 -> 8,400 forms/s.
    @cached_property
    def _direction(self) -> dict[str, bool]:
        """Names already judged: a name recurs on form after form."""
        return {}

    @property
    def higher_despite_pattern(self) -> re.Pattern[str]:
        """Matches a name that stays positive despite such a word (投诉处理率)."""
        return _any_of(self.higher_despite)

    def review_severity(self, code: Code) -> Severity | None:
        """Severity of a review check under this profile, None when it is off."""
        if self.review is None:
            return None
        return self.review.severity.get(code)

    def amended(self, changes: dict[str, Any]) -> Profile:
        """This profile with some settings changed (tables merged key by key, as a base)."""
        return _from_data(_merge(self.settings, changes))

    @property
    def points_total(self) -> float:
        return self.funds_weight + sum(self.category_weights.values())

    def grade(self, total: float) -> str:
        """优 / 良 / 中 / 差 for a total score."""
        for name, floor in self.grades:
            if total >= floor:
                return name
        return self.grades[-1][0]


@dataclass(frozen=True)
class Review:
    """What reviewers (复核) check beyond arithmetic, with the profile's thresholds."""

    severity: dict[Code, Severity]  # code -> severity; a check that is off is left out
    exec_caps: tuple[tuple[float, float], ...]  # (rate below which, total cap), strictest last
    exec_cap_basis: str
    exec_reason_below: float
    exec_reason_words: tuple[str, ...]
    money_words: tuple[str, ...]
    capped_rate_words: tuple[str, ...]
    growth_words: tuple[str, ...]
    placeholders: tuple[str, ...]  # lower case; matched case-blind (``mentions``)
    weight_share: float
    weight_min_indicators: int
    no_survey_words: tuple[str, ...]
    empty_reasons: tuple[str, ...]
    reason_min_chars: int
    reason_copies: int

    def mentions(self, words: str, text: str) -> bool:
        """``text`` holds a word of the keyword list ``words`` (``"money_words"`` …), any case.

        A search for the words' first characters goes first: it is one quick pass and
        most texts hold none of them."""
        first, full = self._patterns[words]
        return bool(first.search(text) and full.search(text))

    # Kept for speed, with _any_of: each pattern compiled once per profile, not per text
    # (bench_engine.py 850 -> 2,100 forms/s for the two).
    @cached_property
    def _patterns(self) -> dict[str, tuple[re.Pattern[str], re.Pattern[str]]]:
        lists = {f.name: getattr(self, f.name) for f in fields(self) if f.type == "tuple[str, ...]"}
        return {name: (_first_chars(words), _any_of(words)) for name, words in lists.items()}


@cache
def _any_of(words: tuple[str, ...]) -> re.Pattern[str]:
    if not words:
        return re.compile(r"(?!)")  # matches nothing
    return re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)


def _first_chars(words: tuple[str, ...]) -> re.Pattern[str]:
    chars = {ch for w in words if w for ch in (w[0].lower(), w[0].upper())}
    return re.compile(f"[{re.escape(''.join(sorted(chars)))}]" if chars else r"(?!)")


def available_profiles() -> list[str]:
    """Names of the profiles shipped in the package."""
    folder = resources.files("selfeval") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """Load a shipped profile by name, or a TOML file by path.

    Read afresh on every call (a command loads its profile once): a maintainer who
    edits a profile file sees the change in an Excel session that is still open."""
    return _from_data(_load_data(name_or_path, seen=()))


def _load_data(name_or_path: str, seen: tuple[str, ...]) -> dict[str, Any]:
    if name_or_path in seen:
        raise ProfileError(f"评分口径 {name_or_path} 的 base 形成循环引用")
    text = _read_text(name_or_path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"评分口径 {name_or_path} 格式错误：{exc}") from None
    base = data.pop("base", None)
    if base is None:
        return data
    return _merge(_load_data(base, seen + (name_or_path,)), data)


def _read_text(name_or_path: str) -> str:
    path = Path(name_or_path)
    if path.suffix == ".toml" and path.is_file():
        return path.read_text(encoding="utf-8")
    if name_or_path in available_profiles():
        return (resources.files("selfeval") / "profiles" / f"{name_or_path}.toml").read_text(
            encoding="utf-8"
        )
    raise ProfileError(
        f"找不到评分口径“{name_or_path}”。可用的有：{'、'.join(available_profiles())}，"
        "也可以给出一个 .toml 文件的路径"
    )


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def profile_from_settings(data: dict[str, Any]) -> Profile:
    """A profile from its settings (:attr:`Profile.settings`, e.g. read back from JSON);
    the very settings of a profile built lately give that profile back."""
    known = _BUILT.get(id(data))
    if known is not None and known.settings is data:
        return known
    return _from_data(data)


# Kept for speed: a template-built form carries its profile's settings, and the pipeline
# computes its uncalculated formulas and judges it by them; without this each form built
# the same profile again (bench_validate_folder, 1,000 template-built forms, one process:
# 0.1 ms of a form's 2 ms). A profile holds its settings, so an id here is never reused.
_BUILT: dict[int, Profile] = {}


def _from_data(data: dict[str, Any]) -> Profile:
    try:
        weights = dict(data["weights"])
        funds, scoring = data["funds"], data["scoring"]
        profile = Profile(
            name=data["name"],
            title=data["title"],
            funds_weight=float(weights.pop("funds")),
            category_weights={k: float(v) for k, v in weights.items()},
            rate_rounding=funds["rate_rounding"],
            rate_decimals=int(funds["rate_decimals"]),
            score_basis=funds["score_basis"],
            funds_score_decimals=int(funds["score_decimals"]),
            funds_score_tolerance=float(funds["score_tolerance"]),
            score_decimals=int(scoring["score_decimals"]),
            policy_tolerance=float(scoring["policy_tolerance"]),
            negative_formula=scoring["negative_formula"],
            over_achievement=float(scoring["over_achievement"]),
            total_tolerance=float(scoring["total_tolerance"]),
            bands={k: (float(v[0]), float(v[1])) for k, v in data["qualitative"].items()},
            grades=tuple(
                sorted(((k, float(v)) for k, v in data["grades"].items()), key=lambda g: -g[1])
            ),
            sample=_sample_weights(data.get("sample", {})),
            lower_better=tuple(data.get("direction", {}).get("lower_better", ())),
            higher_despite=tuple(data.get("direction", {}).get("higher_despite", ())),
            review=_review(data.get("review")),
            settings=data,
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ProfileError(f"评分口径缺少或写错了设置项：{exc}") from None
    _check(profile)
    if len(_BUILT) >= 16:
        _BUILT.clear()
    _BUILT[id(data)] = profile
    return profile


def _sample_weights(table: dict[str, Any]) -> SampleWeights:
    known = SampleWeights.__dataclass_fields__
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise ProfileError(f"sample 中不认识的设置项：{'、'.join(unknown)}")
    weights = SampleWeights(**{k: type(getattr(SampleWeights(), k))(v) for k, v in table.items()})
    values = [weights.base, weights.amount, weights.findings, weights.score]
    if min(values) < 0 or weights.base <= 0 or weights.findings_cap < 1:
        raise ProfileError("sample 的权重不能为负，base 须大于 0，findings_cap 至少为 1")
    return weights


_SEVERITIES = ("error", "warning", "info")


def _review(data: dict[str, Any] | None) -> Review | None:
    if not data:
        return None
    checks = data.get("checks", {})
    unknown = sorted(name for name in checks if lookup(name) is None)
    if unknown:
        raise ProfileError(f"review.checks 中有不认识的检查：{'、'.join(unknown)}（不是问题代码）")
    not_review = sorted(name for name in checks if lookup(name) not in REVIEW_CODES)
    if not_review:
        raise ProfileError(
            f"review.checks 中的 {'、'.join(not_review)} 不是复核检查，不能在此开启或关闭"
        )
    severity: dict[Code, Severity] = {}
    for code in REVIEW_CODES:
        value = checks.get(code, "on")
        if value == "on":
            value = code.severity.value
        if value not in (*_SEVERITIES, "off"):
            raise ProfileError(f"review.checks.{code} 只能是 on、off、error、warning 或 info")
        if value != "off":
            severity[code] = Severity(value)
    caps = sorted(((float(r), float(c)) for r, c in data.get("exec_caps", ())), reverse=True)
    words = {k: tuple(v) for k, v in data.items() if isinstance(v, list) and k != "exec_caps"}
    return Review(
        severity=severity,
        exec_caps=tuple(caps),
        exec_cap_basis=str(data.get("exec_cap_basis", "执行率封顶规则")),
        exec_reason_below=float(data["exec_reason_below"]),
        exec_reason_words=words["exec_reason_words"],
        money_words=words["money_words"],
        capped_rate_words=words["capped_rate_words"],
        growth_words=words["growth_words"],
        placeholders=tuple(w.lower() for w in words["placeholders"]),
        weight_share=float(data["weight_share"]),
        weight_min_indicators=int(data["weight_min_indicators"]),
        no_survey_words=words["no_survey_words"],
        empty_reasons=words["empty_reasons"],
        reason_min_chars=int(data["reason_min_chars"]),
        reason_copies=int(data["reason_copies"]),
    )


def _check(profile: Profile) -> None:
    if profile.rate_rounding not in ("round", "roundup"):
        raise ProfileError("funds.rate_rounding 只能是 round 或 roundup")
    if profile.score_basis not in ("raw", "rounded"):
        raise ProfileError("funds.score_basis 只能是 raw 或 rounded")
    if profile.negative_formula not in ("either", "ratio", "linear"):
        raise ProfileError("scoring.negative_formula 只能是 either、ratio 或 linear")
    missing = {"achieved", "partial", "not_achieved"} - set(profile.bands)
    if missing:
        raise ProfileError(f"qualitative 缺少档次：{'、'.join(sorted(missing))}")

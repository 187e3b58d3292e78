"""Scoring profiles: the scoring policy as data, one TOML file per profile.

A maintainer adds a province by adding ``selfeval/profiles/<name>.toml`` (or
passing a path). A profile may name a ``base`` profile and override only what
differs; tables are merged key by key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

DEFAULT_PROFILE = "national"


class ProfileError(ValueError):
    """A profile cannot be found or is malformed."""


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
    negative_formula: Literal["ratio", "linear"]
    over_achievement: float
    total_tolerance: float
    bands: dict[str, tuple[float, float]]  # achieved / partial / not_achieved
    grades: tuple[tuple[str, float], ...]  # (grade, lower bound), best first
    sample: SampleWeights = SampleWeights()  # weights of `selfeval sample`

    @property
    def points_total(self) -> float:
        return self.funds_weight + sum(self.category_weights.values())

    def grade(self, total: float) -> str:
        """优 / 良 / 中 / 差 for a total score."""
        for name, floor in self.grades:
            if total >= floor:
                return name
        return self.grades[-1][0]


def available_profiles() -> list[str]:
    """Names of the profiles shipped in the package."""
    folder = resources.files("selfeval") / "profiles"
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".toml"))


@cache
def load_profile(name_or_path: str = DEFAULT_PROFILE) -> Profile:
    """Load a shipped profile by name, or a TOML file by path."""
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
        )
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise ProfileError(f"评分口径缺少或写错了设置项：{exc}") from None
    _check(profile)
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


def _check(profile: Profile) -> None:
    if profile.rate_rounding not in ("round", "roundup"):
        raise ProfileError("funds.rate_rounding 只能是 round 或 roundup")
    if profile.score_basis not in ("raw", "rounded"):
        raise ProfileError("funds.score_basis 只能是 raw 或 rounded")
    if profile.negative_formula not in ("ratio", "linear"):
        raise ProfileError("scoring.negative_formula 只能是 ratio 或 linear")
    missing = {"achieved", "partial", "not_achieved"} - set(profile.bands)
    if missing:
        raise ProfileError(f"qualitative 缺少档次：{'、'.join(sorted(missing))}")

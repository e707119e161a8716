"""Uncertainty for the ROC AUC: DeLong confidence intervals and tests.

The numbers are those of R's pROC (``var``, ``ci.auc`` and ``roc.test`` with
``method="delong"``), the reference tool for ROC analysis in medicine:

- :func:`roc_auc_ci`: the AUC with its DeLong variance and normal confidence interval;
- :func:`roc_auc_test`: is score A's AUC different from score B's on the same rows (paired)?
- :func:`roc_auc_test_unpaired`: the same question for two separate data sets.

How DeLong works, briefly: each positive row gets a *placement*, the share of negative rows
scored below it (ties count half), and each negative row the share of positives scored above it.
The AUC is the mean placement; the spread of the placements gives the variance of the AUC
without resampling (DeLong, DeLong & Clarke-Pearson, Biometrics 1988). Placements depend only on
a row's score and class, so they are computed from the exact per-score table (O(distinct
scores)), the state ``ExactAUC`` keeps.

Sample weights are *frequency weights*: a row of weight 3 counts as three identical rows (the
sample sizes in the variance are the weight totals). Weights must be finite and >= 0.

A high score means "positive", as in scikit-learn (pROC's ``direction = "<"``; pROC's default
``direction = "auto"`` flips a curve whose AUC would be below 0.5).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import _delong
from ._core import ExactCurve
from ._distributions import normal_cdf, normal_quantile, student_t_cdf, student_t_quantile

__all__ = ["AUCInterval", "AUCTest", "roc_auc_ci", "roc_auc_test", "roc_auc_test_unpaired"]

_ALTERNATIVES = ("two-sided", "greater", "less")


@dataclass(frozen=True)
class AUCInterval:
    """An AUC with its DeLong variance and confidence interval.

    Attributes:
        auc: The ROC AUC (scikit-learn's ``roc_auc_score``).
        low, high: The interval ``auc -/+ z * sqrt(variance)``, ``z`` the normal quantile for
            ``confidence_level``, kept within [0, 1] as pROC does. NaN with fewer than two
            positives or negatives (by weight).
        variance: DeLong's variance of the AUC.
        confidence_level: The interval's coverage, e.g. 0.95.
    """

    auc: float
    low: float
    high: float
    variance: float
    confidence_level: float


@dataclass(frozen=True)
class AUCTest:
    """A comparison of two AUCs.

    Attributes:
        statistic: Z (paired, standard normal) or D (unpaired, Student t with ``df``).
        p_value: For ``alternative``: "two-sided" (the AUCs differ), "greater" (AUC A > AUC B)
            or "less" (AUC A < AUC B).
        low, high: The confidence interval of ``difference``.
        auc_a, auc_b: The two AUCs; ``difference`` = auc_a - auc_b.
        variance: The variance of the difference.
        df: Degrees of freedom of the unpaired test (infinite for the paired one).
        alternative, confidence_level: As given.
    """

    statistic: float
    p_value: float
    low: float
    high: float
    auc_a: float
    auc_b: float
    difference: float
    variance: float
    df: float
    alternative: str
    confidence_level: float


def roc_auc_ci(
    y_true: Any, y_score: Any, sample_weight: Any = None, confidence_level: float = 0.95
) -> AUCInterval:
    """The ROC AUC with DeLong's variance and a normal confidence interval (pROC's ``ci.auc``).

    Args:
        y_true: Binary labels (0/1 or bool), 1-D.
        y_score: Scores, higher meaning "positive", 1-D, finite.
        sample_weight: Optional frequency weights, finite and >= 0, one per row.
        confidence_level: Coverage of the interval, in (0, 1).

    Returns:
        An :class:`AUCInterval`.

    Example:
        >>> r = roc_auc_ci([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
        >>> round(r.auc, 4), round(r.low, 4), round(r.high, 4)
        (0.8889, 0.5809, 1.0)
    """
    level = _checked_level(confidence_level)
    return interval_from_curve(_curve(y_true, y_score, sample_weight), level)


def interval_from_curve(curve: Any, confidence_level: Any) -> AUCInterval:
    """The DeLong interval from an exact per-score table (``_core.ExactCurve``)."""
    confidence_level = _checked_level(confidence_level)
    auc, s10, s01, n_pos, n_neg = curve.delong()
    _require_both_classes(n_pos, n_neg)
    var = s10 / n_pos + s01 / n_neg
    low, high = _normal_interval(auc, var, confidence_level)
    return AUCInterval(auc, max(low, 0.0), min(high, 1.0), var, confidence_level)


def roc_auc_test(
    y_true: Any,
    score_a: Any,
    score_b: Any,
    sample_weight: Any = None,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> AUCTest:
    """DeLong's test for two correlated ROC curves: two scores of the same rows (pROC's
    ``roc.test(..., paired = TRUE)``).

    Z = (AUC_a - AUC_b) / sqrt(Var(AUC_a - AUC_b)), the variance including the covariance of
    the two scores' placements; the p-value and the interval of the difference come from the
    standard normal distribution.

    Args:
        y_true: Binary labels (0/1 or bool), 1-D.
        score_a, score_b: The two scores of each row, 1-D, finite.
        sample_weight: Optional frequency weights, finite and >= 0.
        alternative: "two-sided", "greater" (AUC A > AUC B) or "less".
        confidence_level: Coverage of the interval of the difference, in (0, 1).

    Returns:
        An :class:`AUCTest` (``statistic`` is Z, ``df`` is infinite).

    Example:
        >>> y = [0, 0, 1, 1, 0, 1, 1, 0]
        >>> a = [0.1, 0.4, 0.35, 0.8, 0.2, 0.9, 0.7, 0.3]
        >>> b = [0.2, 0.1, 0.3, 0.6, 0.5, 0.4, 0.8, 0.7]
        >>> t = roc_auc_test(y, a, b)
        >>> round(t.auc_a, 4), round(t.auc_b, 4), round(t.statistic, 4), round(t.p_value, 4)
        (0.9375, 0.6875, 1.0, 0.3173)
    """
    level = _checked_level(confidence_level)
    _check_alternative(alternative)
    pa = _delong.table_placements(*_curve(y_true, score_a, sample_weight).state())
    pb = _delong.table_placements(*_curve(y_true, score_b, sample_weight).state())
    _require_both_classes(pa.n_pos, pa.n_neg)
    # The core checked the rows; the per-row lookups want bool labels and float64 scores.
    y = np.asarray(y_true).astype(bool)
    a, b = np.asarray(score_a, dtype=np.float64), np.asarray(score_b, dtype=np.float64)
    weight = _weights(sample_weight)
    var = _delong.paired_covariance(pa, pb, y, a, b, weight)
    auc_a, auc_b = pa.auc, pb.auc
    difference = auc_a - auc_b
    sigma = math.sqrt(var)
    # Equal AUCs with no spread (the same scores twice): no difference, as pROC reports.
    statistic = 0.0 if difference == 0 and sigma == 0 else _divide(difference, sigma)
    p_value = _p_value(normal_cdf, statistic, alternative)
    z = normal_quantile(1.0 - (1.0 - level) / 2.0)
    low, high = difference - z * sigma, difference + z * sigma
    return AUCTest(
        statistic, p_value, low, high, auc_a, auc_b, difference, var, math.inf, alternative, level
    )


def roc_auc_test_unpaired(
    y_true_a: Any,
    score_a: Any,
    y_true_b: Any,
    score_b: Any,
    sample_weight_a: Any = None,
    sample_weight_b: Any = None,
    alternative: str = "two-sided",
    confidence_level: float = 0.95,
) -> AUCTest:
    """DeLong's test for two ROC curves of separate data sets (pROC's ``roc.test(...,
    paired = FALSE)``).

    D = (AUC_a - AUC_b) / sqrt(Var_a + Var_b), compared with Student's t with the
    Welch-Satterthwaite degrees of freedom ``(Var_a + Var_b)^2 / (Var_a^2 / (N_a - 1) +
    Var_b^2 / (N_b - 1))`` (N: rows, by weight), as pROC does. The interval of the difference
    is ``difference -/+ t * sqrt(Var_a + Var_b)`` with the same t distribution.

    Args:
        y_true_a, score_a, sample_weight_a: The first data set (as for :func:`roc_auc_ci`).
        y_true_b, score_b, sample_weight_b: The second data set.
        alternative: "two-sided", "greater" (AUC A > AUC B) or "less".
        confidence_level: Coverage of the interval of the difference, in (0, 1).

    Returns:
        An :class:`AUCTest` (``statistic`` is D, with ``df`` degrees of freedom).

    Example:
        >>> t = roc_auc_test_unpaired(
        ...     [0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9],
        ...     [0, 0, 1, 1, 0, 1, 1, 0], [0.2, 0.1, 0.3, 0.6, 0.5, 0.4, 0.8, 0.7])
        >>> round(t.statistic, 4), round(t.df, 4), round(t.p_value, 4)
        (0.7395, 11.6633, 0.4742)
    """
    level = _checked_level(confidence_level)
    _check_alternative(alternative)
    auc_a, s10_a, s01_a, pos_a, neg_a = _curve(y_true_a, score_a, sample_weight_a).delong()
    auc_b, s10_b, s01_b, pos_b, neg_b = _curve(y_true_b, score_b, sample_weight_b).delong()
    _require_both_classes(pos_a, neg_a)
    _require_both_classes(pos_b, neg_b)
    var_a, var_b = s10_a / pos_a + s01_a / neg_a, s10_b / pos_b + s01_b / neg_b
    total = var_a + var_b
    difference = auc_a - auc_b
    # IEEE division, as R does: no spread at all gives NaN, not an exception.
    statistic = _divide(difference, math.sqrt(total))
    rows_a, rows_b = pos_a + neg_a, pos_b + neg_b
    df = _divide(total * total, var_a * var_a / (rows_a - 1.0) + var_b * var_b / (rows_b - 1.0))
    p_value = _p_value(lambda x: student_t_cdf(x, df), statistic, alternative)
    spread = student_t_quantile(1.0 - (1.0 - level) / 2.0, df) * math.sqrt(total)
    return AUCTest(
        statistic,
        p_value,
        difference - spread,
        difference + spread,
        auc_a,
        auc_b,
        difference,
        total,
        df,
        alternative,
        level,
    )


def _curve(y_true: Any, y_score: Any, sample_weight: Any) -> ExactCurve:
    """The exact table of one data set. The core checks the rows (labels 0/1, scores and
    weights finite, one of each per row, 1-D) in the pass that builds it."""
    curve = ExactCurve()
    curve.update(
        np.asarray(y_true),
        np.asarray(y_score),
        sample_weight=_weights(sample_weight),
        binary_labels=True,
    )
    return curve


def _weights(sample_weight: Any) -> np.ndarray | None:
    """Frequency weights: negative ones mean nothing (NaN and infinity are the core's to refuse)."""
    if sample_weight is None:
        return None
    weight = np.asarray(sample_weight, dtype=np.float64)
    if np.any(weight < 0):
        raise ValueError("sample_weight must be finite and >= 0 (frequency weights)")
    return weight


def _divide(numerator: float, denominator: float) -> float:
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(np.float64(numerator) / np.float64(denominator))


def _normal_interval(center: float, var: float, level: float) -> tuple[float, float]:
    if not var >= 0:
        return math.nan, math.nan
    half = (1.0 - level) / 2.0
    sd = math.sqrt(var)
    return center + sd * normal_quantile(half), center + sd * normal_quantile(1.0 - half)


def _p_value(cdf, statistic: float, alternative: str) -> float:
    if alternative == "two-sided":
        return min(1.0, 2.0 * cdf(-abs(statistic)))
    if alternative == "greater":
        return cdf(-statistic)
    return cdf(statistic)


def _checked_level(value: Any) -> float:
    """``value`` as a confidence level in (0, 1), or a clear error."""
    try:
        level = float(value)
    except (TypeError, ValueError):
        raise TypeError(f"confidence_level must be a number in (0, 1); got {value!r}") from None
    if not 0.0 < level < 1.0:
        raise ValueError(f"confidence_level must be in (0, 1); got {value!r}")
    return level


def _check_alternative(alternative: Any) -> None:
    if alternative not in _ALTERNATIVES:
        raise ValueError(
            f"alternative must be one of {', '.join(map(repr, _ALTERNATIVES))}; got {alternative!r}"
        )


def _require_both_classes(n_pos: float, n_neg: float) -> None:
    if not (n_pos > 0 and n_neg > 0):
        raise ValueError(
            "The ROC AUC needs both classes in y_true (with positive weight): "
            f"positives {n_pos:g}, negatives {n_neg:g}"
        )

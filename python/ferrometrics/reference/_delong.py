"""DeLong's variance of the ROC AUC and the tests built on it, row by row in NumPy.

The readable specification of ``ferrometrics.stats`` (docs/semantics.md §14), written from
DeLong, DeLong & Clarke-Pearson (1988) and the definitions R's pROC documents: every positive
row ("case") gets the placement V10 = (weight of negatives scored below it + half the weight of
negatives tied with it) / total negative weight, every negative row ("control") V01 = (weight of
positives scored above it + half of those tied) / total positive weight. The AUC is the
weighted mean of V10 (and of V01); its variance is var(V10)/n_pos + var(V01)/n_neg with n - 1
denominators. Weights are frequency weights: a row of weight 3 is that row three times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._distributions import normal_cdf, normal_quantile, student_t_cdf, student_t_quantile


@dataclass(frozen=True)
class Placements:
    """Each positive's V10 and each negative's V01, with the rows' weights."""

    positive: np.ndarray
    positive_weight: np.ndarray
    negative: np.ndarray
    negative_weight: np.ndarray

    @property
    def n_pos(self) -> float:
        return float(self.positive_weight.sum())

    @property
    def n_neg(self) -> float:
        return float(self.negative_weight.sum())

    @property
    def auc(self) -> float:
        return float(np.sum(self.positive_weight * self.positive) / self.n_pos)


def placements(y_true, y_score, sample_weight=None) -> Placements:
    """The DeLong placements of every row, by direct comparison with the other class."""
    y = np.asarray(y_true).reshape(-1).astype(bool)
    s = np.asarray(y_score, dtype=np.float64).reshape(-1)
    w = np.ones(len(s)) if sample_weight is None else np.asarray(sample_weight, np.float64)
    w = np.broadcast_to(w, s.shape)
    pos_s, pos_w, neg_s, neg_w = s[y], w[y], s[~y], w[~y]
    # (positives, negatives) comparison matrices: 1 above, 1/2 tied, 0 below.
    psi = (pos_s[:, None] > neg_s[None, :]) + 0.5 * (pos_s[:, None] == neg_s[None, :])
    v10 = (psi * neg_w[None, :]).sum(axis=1) / neg_w.sum()
    v01 = (psi * pos_w[:, None]).sum(axis=0) / pos_w.sum()
    return Placements(v10, pos_w, v01, neg_w)


def _weighted_covariance(a, b, weight, theta_a, theta_b) -> float:
    return float(np.sum(weight * (a - theta_a) * (b - theta_b)) / (weight.sum() - 1.0))


def _covariances(values, thetas, weight) -> np.ndarray:
    """The weighted covariance matrix (n - 1 denominator) of two scores' placements."""
    return np.array(
        [
            [_weighted_covariance(x, z, weight, tx, tz) for z, tz in zip(values, thetas)]
            for x, tx in zip(values, thetas)
        ]
    )


def variance(p: Placements) -> float:
    """DeLong's variance of the AUC; NaN with one positive or one negative or fewer."""
    if p.n_pos <= 1 or p.n_neg <= 1:
        return math.nan
    theta = p.auc
    s10 = _weighted_covariance(p.positive, p.positive, p.positive_weight, theta, theta)
    s01 = _weighted_covariance(p.negative, p.negative, p.negative_weight, theta, theta)
    return s10 / p.n_pos + s01 / p.n_neg


def roc_auc_ci(y_true, y_score, sample_weight=None, confidence_level=0.95):
    """(auc, low, high, variance): the normal interval of pROC's ``ci.auc``, kept in [0, 1]."""
    p = placements(y_true, y_score, sample_weight)
    theta, var = p.auc, variance(p)
    if math.isnan(var):
        return theta, math.nan, math.nan, var
    half = (1.0 - confidence_level) / 2.0
    sd = math.sqrt(var)
    low = theta + sd * normal_quantile(half)
    high = theta + sd * normal_quantile(1.0 - half)
    return theta, min(max(low, 0.0), 1.0), min(max(high, 0.0), 1.0), var


def _p_value(cdf, statistic: float, alternative: str) -> float:
    if alternative == "two-sided":
        return 2.0 * cdf(-abs(statistic))
    if alternative == "greater":
        return cdf(-statistic)
    return cdf(statistic)


def roc_auc_test(
    y_true, score_a, score_b, sample_weight=None, alternative="two-sided", confidence_level=0.95
):
    """Paired DeLong test (pROC's ``roc.test`` for two scores of the same rows).

    Returns (statistic Z, p_value, low, high, auc_a, auc_b, variance of the difference).
    """
    a = placements(y_true, score_a, sample_weight)
    b = placements(y_true, score_b, sample_weight)
    n_pos, n_neg = a.n_pos, a.n_neg
    ta, tb = a.auc, b.auc
    s10 = _covariances([a.positive, b.positive], [ta, tb], a.positive_weight)
    s01 = _covariances([a.negative, b.negative], [ta, tb], a.negative_weight)
    s = s10 / n_pos + s01 / n_neg
    contrast = np.array([1.0, -1.0])
    var = float(contrast @ s @ contrast)
    difference = ta - tb
    sigma = math.sqrt(var) if var >= 0 else math.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.float64(difference) / sigma)
    if difference == 0 and sigma == 0:
        statistic = 0.0
    p_value = _p_value(normal_cdf, statistic, alternative)
    z = normal_quantile(1.0 - (1.0 - confidence_level) / 2.0)
    return statistic, p_value, difference - z * sigma, difference + z * sigma, ta, tb, var


def roc_auc_test_unpaired(
    y_true_a,
    score_a,
    y_true_b,
    score_b,
    alternative="two-sided",
    confidence_level=0.95,
    sample_weight_a=None,
    sample_weight_b=None,
):
    """Unpaired DeLong test (pROC's ``roc.test`` for two independent data sets).

    Returns (statistic D, df, p_value, low, high, auc_a, auc_b). The interval of the difference
    uses the same Student t with Welch-Satterthwaite degrees of freedom as the p-value.
    """
    a = placements(y_true_a, score_a, sample_weight_a)
    b = placements(y_true_b, score_b, sample_weight_b)
    var_a, var_b = variance(a), variance(b)
    total = var_a + var_b
    difference = a.auc - b.auc
    with np.errstate(divide="ignore", invalid="ignore"):
        statistic = float(np.float64(difference) / np.sqrt(total))
        df = float(
            np.float64(total**2)
            / (var_a**2 / (a.n_pos + a.n_neg - 1) + var_b**2 / (b.n_pos + b.n_neg - 1))
        )
    p_value = _p_value(lambda x: student_t_cdf(x, df), statistic, alternative)
    t = student_t_quantile(1.0 - (1.0 - confidence_level) / 2.0, df)
    spread = t * math.sqrt(total)
    return statistic, df, p_value, difference - spread, difference + spread, a.auc, b.auc

"""DeLong's placements and (co)variances from the exact per-score table.

Every row with the same score and class has the same placement, so the variance of the AUC needs
only the table of weighted positive and negative totals per distinct score (the state of
``ExactAUC``), not the rows: O(distinct scores). The paired test needs each row's placement under
two scores; rows look theirs up in each score's table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class TablePlacements:
    """Per distinct score (decreasing): the totals, and the placement of a positive (v10) and of
    a negative (v01) with that score."""

    scores: np.ndarray
    positive: np.ndarray
    negative: np.ndarray
    v10: np.ndarray
    v01: np.ndarray
    n_pos: float
    n_neg: float

    @property
    def auc(self) -> float:
        return float(np.dot(self.positive, self.v10) / self.n_pos)


def table_placements(scores: np.ndarray, positive: np.ndarray, negative: np.ndarray):
    """Placements from a table sorted by decreasing score (``ExactCurve.state()``)."""
    n_pos, n_neg = float(positive.sum()), float(negative.sum())
    with np.errstate(invalid="ignore", divide="ignore"):
        negatives_at_or_above = np.cumsum(negative)
        v10 = (n_neg - negatives_at_or_above + 0.5 * negative) / n_neg
        positives_above = np.cumsum(positive) - positive
        v01 = (positives_above + 0.5 * positive) / n_pos
    return TablePlacements(scores, positive, negative, v10, v01, n_pos, n_neg)


def variance_parts(p: TablePlacements) -> tuple[float, float, float]:
    """(auc, s10, s01): the AUC and the n - 1 variances of the positives' and negatives'
    placements; s10 or s01 is NaN when that class has a total weight of 1 or less."""
    theta = p.auc
    s10 = _spread(p.v10, p.positive, theta, p.n_pos)
    s01 = _spread(p.v01, p.negative, theta, p.n_neg)
    return theta, s10, s01


def variance(p: TablePlacements) -> float:
    theta, s10, s01 = variance_parts(p)
    return s10 / p.n_pos + s01 / p.n_neg


def _spread(values: np.ndarray, weight: np.ndarray, theta: float, total: float) -> float:
    if total <= 1.0:
        return math.nan
    deviation = values - theta
    return float(np.dot(weight, deviation * deviation) / (total - 1.0))


def row_placements(p: TablePlacements, y_true: np.ndarray, y_score: np.ndarray) -> np.ndarray:
    """Each row's placement: v10 for a positive row, v01 for a negative one."""
    # The table is decreasing: search its negation, which increases.
    index = np.searchsorted(-p.scores, -np.asarray(y_score, dtype=np.float64))
    return np.where(y_true, p.v10[index], p.v01[index])


def paired_covariance(
    a: TablePlacements,
    b: TablePlacements,
    y_true: np.ndarray,
    score_a: np.ndarray,
    score_b: np.ndarray,
    weight: np.ndarray | None,
) -> float:
    """Var(AUC_a - AUC_b) for two scores of the same rows (DeLong's paired covariance)."""
    ra, rb = row_placements(a, y_true, score_a), row_placements(b, y_true, score_b)
    ta, tb = a.auc, b.auc
    da, db = ra - ta, rb - tb
    w = np.ones(len(ra)) if weight is None else weight
    difference = da - db
    # Var(d) = S10[d]/n_pos + S01[d]/n_neg for the placements' difference d = (a - b).
    s10 = _weighted_square(difference, w, y_true) / (a.n_pos - 1.0)
    s01 = _weighted_square(difference, w, ~y_true) / (a.n_neg - 1.0)
    return s10 / a.n_pos + s01 / a.n_neg


def _weighted_square(values: np.ndarray, weight: np.ndarray, rows: np.ndarray) -> float:
    return float(np.dot(weight[rows], values[rows] * values[rows]))

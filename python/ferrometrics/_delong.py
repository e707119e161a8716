"""DeLong's paired covariance: each row's placements under two scores.

Every row with the same score and class has the same placement, so one score's variance needs
only its exact per-score table (``ExactCurve.delong()``, in Rust). The paired test also needs
the covariance of the two scores' placements over the same rows: each row looks its placement
up in each score's table.
"""

from __future__ import annotations

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

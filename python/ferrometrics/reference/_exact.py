"""Exact curves and ExactAUC in plain NumPy (docs/semantics.md §13), from the definitions.

The state is a table: the distinct scores (decreasing) and the weighted totals of positives and
negatives seen with each. Everything scikit-learn's ranking metrics compute for a binary problem
follows from it:

- at the k-th highest distinct score, ``tps[k]``/``fps[k]`` are the weighted positives/negatives
  with a score at or above it (cumulative sums);
- the ROC curve is ``(fps / N, tps / P)`` after a first point (0, 0) at threshold ``inf``; its
  area is the trapezoid rule; the partial area up to ``max_fpr`` is cut at ``max_fpr`` by linear
  interpolation and standardised (McClish) as ``0.5 * (1 + (A - m^2/2) / (m - m^2/2))``;
- average precision is ``sum_k (R_k - R_{k-1}) P_k`` with ``R = tps / P``, ``P_k = tps / (tps +
  fps)``, ``R_{-1} = 0``.

``drop_intermediate`` drops ROC points with a zero second difference in both ``fps`` and
``tps`` (collinear with both neighbours), and precision-recall points whose ``tps`` equal both
neighbours'. Written for reading, not speed: ``numpy.unique`` and ``numpy.add.at``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["ExactAUC", "ExactCurve"]


class ExactCurve:
    """The table and scikit-learn's binary ranking curves and scores computed from it.

    Example:
        >>> c = ExactCurve()
        >>> c.update([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> c.scores.tolist(), c.positives.tolist(), c.negatives.tolist()
        ([0.8, 0.4, 0.35, 0.1], [1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0])
        >>> c.roc_auc()
        0.75
    """

    def __init__(self) -> None:
        self.scores = np.zeros(0)
        self.positives = np.zeros(0)
        self.negatives = np.zeros(0)

    def update(self, y_true: Any, y_score: Any, sample_weight: Any = None, pos_label=1.0) -> None:
        labels = np.asarray(y_true, dtype=np.float64).reshape(-1)
        scores = np.asarray(y_score, dtype=np.float64).reshape(-1)
        weights = (
            np.ones_like(scores)
            if sample_weight is None
            else np.asarray(sample_weight, dtype=np.float64).reshape(-1)
        )
        if not (labels.shape == scores.shape == weights.shape):
            raise ValueError("y_true, y_score and sample_weight must have the same length")
        for name, values in (("y_true", labels), ("y_score", scores), ("weights", weights)):
            if not np.isfinite(values).all():
                raise ValueError(f"`{name}` must contain finite numbers")
        kept = weights != 0  # weight 0: not a sample at all
        positive = labels[kept] == pos_label
        self._add(
            scores[kept],
            np.where(positive, weights[kept], 0.0),
            np.where(positive, 0.0, weights[kept]),
        )

    def _add(self, scores: np.ndarray, positives: np.ndarray, negatives: np.ndarray) -> None:
        all_scores = np.concatenate([self.scores, scores + 0.0])  # -0.0 is 0.0
        distinct, index = np.unique(-all_scores, return_inverse=True)  # decreasing scores
        pos = np.zeros(len(distinct))
        neg = np.zeros(len(distinct))
        np.add.at(pos, index, np.concatenate([self.positives, positives]))
        np.add.at(neg, index, np.concatenate([self.negatives, negatives]))
        self.scores, self.positives, self.negatives = -distinct + 0.0, pos, neg

    def merge(self, other: ExactCurve) -> None:
        self._add(other.scores, other.positives, other.negatives)

    def binary_clf_curve(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.cumsum(self.negatives), np.cumsum(self.positives), self.scores.copy()

    def roc_curve(self, drop_intermediate: bool = True):
        fps, tps, thresholds = self.binary_clf_curve()
        if drop_intermediate and len(fps) > 2:
            corner = (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0)
            keep = np.concatenate([[True], corner, [True]])
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        fps = np.concatenate([[0.0], fps])
        tps = np.concatenate([[0.0], tps])
        thresholds = np.concatenate([[np.inf], thresholds])
        fpr = fps / fps[-1] if fps[-1] > 0 else np.full(len(fps), np.nan)
        tpr = tps / tps[-1] if tps[-1] > 0 else np.full(len(tps), np.nan)
        return fpr, tpr, thresholds

    def precision_recall_curve(self, drop_intermediate: bool = False):
        fps, tps, thresholds = self.binary_clf_curve()
        if drop_intermediate and len(fps) > 2:
            step = (np.diff(tps[:-1]) != 0) | (np.diff(tps[1:]) != 0)
            keep = np.concatenate([[True], step, [True]])
            fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
        predicted = tps + fps
        precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
        total = tps[-1] if len(tps) else 0.0
        recall = np.ones_like(tps) if total == 0 else tps / total
        return (
            np.concatenate([precision[::-1], [1.0]]),
            np.concatenate([recall[::-1], [0.0]]),
            thresholds[::-1],
        )

    def roc_auc(self, max_fpr: float | None = None) -> float:
        if self.positives.sum() <= 0 or self.negatives.sum() <= 0:
            return float("nan")
        fpr, tpr, _ = self.roc_curve(drop_intermediate=True)
        if max_fpr is None or max_fpr == 1:
            return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))
        stop = np.searchsorted(fpr, max_fpr, "right")
        x, y = fpr[: stop + 1], tpr[: stop + 1]
        y_cut = y[-2] + (y[-1] - y[-2]) * (max_fpr - x[-2]) / (x[-1] - x[-2])
        x = np.concatenate([x[:-1], [max_fpr]])
        y = np.concatenate([y[:-1], [y_cut]])
        area = float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2))
        low, high = max_fpr**2 / 2, max_fpr
        return 0.5 * (1 + (area - low) / (high - low))

    def average_precision(self) -> float:
        fps, tps, _ = self.binary_clf_curve()
        total = tps[-1] if len(tps) else 0.0
        recall = np.ones_like(tps) if total == 0 else tps / total
        predicted = tps + fps
        precision = np.divide(tps, predicted, out=np.zeros_like(tps), where=predicted != 0)
        return max(0.0, float(np.sum(np.diff(recall, prepend=0.0) * precision)))


class ExactAUC:
    """The reference of :class:`ferrometrics.ExactAUC`: ROC AUC or average precision.

    Example:
        >>> m = ExactAUC(curve="PR")
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(m.result()), 6)
        0.833333
    """

    def __init__(self, curve="ROC", max_fpr=None, name=None, dtype=None) -> None:
        self.curve = {"roc": "ROC", "pr": "PR"}.get(str(getattr(curve, "value", curve)).lower())
        if self.curve is None:
            raise ValueError(f"Invalid ExactAUC curve value: {curve!r}")
        if max_fpr is not None and not (0 < max_fpr <= 1 and self.curve == "ROC"):
            raise ValueError("`max_fpr` must be in (0, 1], with curve='ROC'")
        self.max_fpr = None if max_fpr is None else float(max_fpr)
        self.name = name or "exact_auc"
        self.dtype = dtype or "float64"
        self._table = ExactCurve()

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        labels = np.asarray(y_true, dtype=np.float64).reshape(-1)
        if not np.isin(labels, [0.0, 1.0]).all():
            raise ValueError("`y_true` must contain only 0 and 1")
        if sample_weight is not None and np.ndim(sample_weight) == 0:
            sample_weight = np.full(labels.shape, float(sample_weight))
        self._table.update(labels, y_pred, sample_weight)

    def result(self):
        if self.curve == "ROC":
            value = self._table.roc_auc(self.max_fpr)
        else:
            value = self._table.average_precision()
        return np.dtype(self.dtype).type(value)

    def reset_state(self) -> None:
        self._table = ExactCurve()

    def merge_state(self, metrics) -> None:
        for other in [metrics] if isinstance(metrics, ExactAUC) else list(metrics):
            self._table.merge(other._table)

    @property
    def variables(self) -> list[np.ndarray]:
        t = self._table
        return [t.scores.copy(), t.positives.copy(), t.negatives.copy()]

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "curve": self.curve,
            "max_fpr": self.max_fpr,
        }

    @classmethod
    def from_config(cls, config: dict) -> ExactAUC:
        return cls(**config)

"""ExactCurve: a binary classifier's exact ROC and precision-recall curves, in plain NumPy.

The state is a table with one row per distinct score, sorted by score descending: the weighted
total of the positives and of the negatives that received that score (float64). Every curve
scikit-learn draws is a function of this table (docs/semantics.md §13):

- ``binary_clf_curve``: at each distinct score ``t`` (descending), ``fps`` and ``tps`` are the
  weighted negatives and positives scoring ``>= t`` (cumulative sums of the table);
- ``roc_curve``: ``fpr = fps / fps[-1]``, ``tpr = tps / tps[-1]``, with a first point (0, 0) at
  threshold ``inf``; optionally without the points collinear with their neighbours;
- ``precision_recall_curve``: ``precision = tps / (tps + fps)``, ``recall = tps / tps[-1]``, in
  increasing threshold order, ending at precision 1, recall 0;
- ``roc_auc``: the trapezoidal area under the ROC curve (McClish-standardised when partial);
- ``average_precision``: ``sum_n (R_n - R_{n-1}) P_n``, without interpolation.

The arithmetic follows scikit-learn 1.9's ``_ranking.py`` step by step, so that the results are
its results (to rounding of the weighted sums). This class is the oracle of the Rust
``ferrometrics._core.ExactCurve``, which has the same API.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ExactCurve"]


class ExactCurve:
    """Per-distinct-score weighted positive and negative totals of a binary classifier.

    Example:
        >>> c = ExactCurve()
        >>> c.update(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
        >>> c.roc_auc(), c.average_precision()
        (0.75, 0.8333333333333333)
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget every update: the table becomes empty."""
        self._scores = np.empty(0, dtype=np.float64)
        self._pos = np.empty(0, dtype=np.float64)
        self._neg = np.empty(0, dtype=np.float64)

    def __len__(self) -> int:
        """The number of distinct scores (rows of the table)."""
        return int(self._scores.shape[0])

    def update(self, y_true, y_score, sample_weight=None, pos_label=1.0) -> None:
        """Add one batch: a sample is positive iff ``y_true == pos_label``.

        ``y_true`` (numbers or bools), ``y_score`` (finite numbers) and ``sample_weight`` are
        1-D and of one length. Samples of weight 0 are left out, as scikit-learn leaves them
        out: their scores do not become thresholds.
        """
        y_true = np.asarray(y_true)
        y_score = np.asarray(y_score, dtype=np.float64)
        if y_true.ndim != 1 or y_score.ndim != 1:
            raise ValueError("y_true and y_score must be 1-D arrays")
        if y_true.shape != y_score.shape:
            raise ValueError(
                f"y_true and y_score must have one length, got {y_true.shape[0]} and "
                f"{y_score.shape[0]}"
            )
        if np.isnan(y_score).any():
            raise ValueError("y_score contains NaN")
        if sample_weight is None:
            weight = np.ones_like(y_score)
        else:
            weight = np.asarray(sample_weight, dtype=np.float64)
            if weight.shape != y_score.shape:
                raise ValueError(
                    f"sample_weight must have the length of y_score ({y_score.shape[0]}), "
                    f"got shape {weight.shape}"
                )
            kept = weight != 0
            y_true, y_score, weight = y_true[kept], y_score[kept], weight[kept]
        positive = y_true == pos_label
        self._add_rows(y_score, np.where(positive, weight, 0.0), np.where(positive, 0.0, weight))

    def merge(self, other: ExactCurve) -> None:
        """Add another curve's table to this one (totals of equal scores are added)."""
        scores, pos, neg = other.state()
        self._add_rows(scores, pos, neg)

    def _add_rows(self, scores, pos, neg) -> None:
        # One row per distinct score: group the old table and the new rows together. Scores are
        # compared as float64 values, so -0.0 and 0.0 are one score (as in sklearn's np.diff).
        all_scores = np.concatenate([self._scores, scores])
        distinct, row = np.unique(all_scores, return_inverse=True)
        n = distinct.shape[0]
        new_pos = np.bincount(row, weights=np.concatenate([self._pos, pos]), minlength=n)
        new_neg = np.bincount(row, weights=np.concatenate([self._neg, neg]), minlength=n)
        self._scores = distinct[::-1].copy()
        self._pos = new_pos[::-1].copy()
        self._neg = new_neg[::-1].copy()

    @property
    def positive_total(self) -> float:
        """The weighted number of positives (0.0 when empty)."""
        return float(np.cumsum(self._pos)[-1]) if len(self) else 0.0

    @property
    def negative_total(self) -> float:
        """The weighted number of negatives (0.0 when empty)."""
        return float(np.cumsum(self._neg)[-1]) if len(self) else 0.0

    def state(self):
        """``(scores, pos, neg)``: copies of the table, scores strictly decreasing (float64)."""
        return self._scores.copy(), self._pos.copy(), self._neg.copy()

    @classmethod
    def from_state(cls, scores, pos, neg) -> ExactCurve:
        """A curve with the table ``state()`` returned (scores strictly decreasing)."""
        scores, pos, neg = (np.array(a, dtype=np.float64) for a in (scores, pos, neg))
        if scores.ndim != 1 or scores.shape != pos.shape or scores.shape != neg.shape:
            raise ValueError("scores, pos and neg must be 1-D arrays of one length")
        if np.isnan(scores).any() or np.any(scores[1:] >= scores[:-1]):
            raise ValueError("scores must be strictly decreasing")
        curve = cls()
        curve._scores, curve._pos, curve._neg = scores, pos, neg
        return curve

    def binary_clf_curve(self):
        """``(fps, tps, thresholds)``: weighted negatives and positives scoring ``>= threshold``.

        Thresholds are the distinct scores, decreasing (sklearn's ``_binary_clf_curve``).
        """
        return np.cumsum(self._neg), np.cumsum(self._pos), self._scores.copy()

    def roc_curve(self, drop_intermediate: bool = True):
        """``(fpr, tpr, thresholds)`` as sklearn's ``roc_curve``.

        The first point is (0, 0) at threshold ``inf``. ``fpr`` (``tpr``) is all NaN when there
        are no negatives (positives). With ``drop_intermediate``, points where neither count
        bends (a zero second difference of both) are dropped: the area is unchanged.
        """
        fps, tps, thresholds = self.binary_clf_curve()
        if drop_intermediate and fps.shape[0] > 2:
            bends = np.logical_or(np.diff(fps, 2), np.diff(tps, 2))
            kept = np.flatnonzero(np.concatenate([[True], bends, [True]]))
            fps, tps, thresholds = fps[kept], tps[kept], thresholds[kept]
        fps = np.concatenate([[0.0], fps])
        tps = np.concatenate([[0.0], tps])
        thresholds = np.concatenate([[np.inf], thresholds])
        fpr = np.full(fps.shape, np.nan) if fps[-1] <= 0 else fps / fps[-1]
        tpr = np.full(tps.shape, np.nan) if tps[-1] <= 0 else tps / tps[-1]
        return fpr, tpr, thresholds

    def precision_recall_curve(self, drop_intermediate: bool = False):
        """``(precision, recall, thresholds)`` as sklearn's ``precision_recall_curve``.

        Thresholds increase; ``precision`` and ``recall`` have one more element, the final
        precision 1 and recall 0. Recall is 1 everywhere when there are no positives. With
        ``drop_intermediate``, only the first and last of each run of equal ``tps`` are kept.
        """
        fps, tps, thresholds = self.binary_clf_curve()
        if drop_intermediate and fps.shape[0] > 2:
            moves = np.logical_or(np.diff(tps[:-1]), np.diff(tps[1:]))
            kept = np.flatnonzero(np.concatenate([[True], moves, [True]]))
            fps, tps, thresholds = fps[kept], tps[kept], thresholds[kept]
        predicted = tps + fps
        with np.errstate(divide="ignore", invalid="ignore"):
            precision = np.where(predicted != 0, tps / predicted, 0.0)
        if tps.shape[0] == 0 or tps[-1] == 0:
            recall = np.ones(tps.shape)
        else:
            recall = tps / tps[-1]
        return (
            np.concatenate([precision[::-1], [1.0]]),
            np.concatenate([recall[::-1], [0.0]]),
            thresholds[::-1].copy(),
        )

    def roc_auc(self, max_fpr=None) -> float:
        """The area under the ROC curve; NaN when positives or negatives are absent.

        With ``max_fpr`` in (0, 1), the McClish-standardised partial area over fpr in
        ``[0, max_fpr]``: 0.5 for a random ranking, 1 for a perfect one (sklearn's rule).
        """
        if max_fpr is not None and not 0 < max_fpr <= 1:
            raise ValueError(f"Expected max_fpr in range (0, 1], got: {max_fpr!r}")
        if not (self.positive_total > 0 and self.negative_total > 0):
            return float("nan")
        fpr, tpr, _ = self.roc_curve(drop_intermediate=True)
        if max_fpr is None or max_fpr == 1:
            return _trapezoid(fpr, tpr)
        # Cut the curve at max_fpr, adding the point on it by linear interpolation.
        stop = int(np.searchsorted(fpr, max_fpr, "right"))
        tpr_cut = np.interp(max_fpr, fpr[stop - 1 : stop + 1], tpr[stop - 1 : stop + 1])
        partial = _trapezoid(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], tpr_cut))
        min_area = 0.5 * max_fpr**2  # the diagonal's area
        max_area = max_fpr  # a perfect ranking's area
        return float(0.5 * (1 + (partial - min_area) / (max_area - min_area)))

    def average_precision(self) -> float:
        """``sum_n (R_n - R_{n-1}) P_n`` over the thresholds; 0.0 without positives (an empty
        table included), as scikit-learn scores a problem without positives."""
        precision, recall, _ = self.precision_recall_curve()
        # Rounding can give -0.0 (or a hair below 0); sklearn clips at 0.
        return float(max(0.0, -np.sum(np.diff(recall) * precision[:-1])))


def _trapezoid(x, y) -> float:
    # scipy.integrate.trapezoid's arithmetic (sklearn's `auc`), for identical rounding.
    return float(np.sum(np.diff(x) * (y[1:] + y[:-1]) / 2.0))

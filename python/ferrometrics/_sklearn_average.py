"""Averages of binary scores over labels, samples or class pairs (scikit-learn's ``_base.py``).

A multi-label (or one-vs-rest multi-class) problem is a set of binary columns: ``y_true``'s
column ``j`` against ``y_score[:, j]``. :func:`average_binary_score` scores each column with a
column metric and averages as scikit-learn's ``_average_binary_score`` does;
:func:`average_ovo_score` is Hand & Till's one-vs-one average of ``_average_multiclass_ovo_score``.

A column metric is called as ``metric(triples, sample_weight, present, scores_checked=...)``:
``triples`` are the ``(y_true, y_score, pos_label)`` counted into one curve (several for the
micro average), 1-D arrays and the label that is positive (None: scikit-learn's rule for {0, 1}
or {-1, 1}); ``present`` holds the distinct labels of the column, weights ignored. Scores are
checked (finite numbers) once, as a matrix, before the columns are scored. Columns are passed as
views: no binarised copy of ``y_true`` is made except for the ``samples`` average of a
multi-class target.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np

from ._sklearn_inputs import check_2d, check_consistent_length, check_numeric

__all__ = ["CodeColumns", "IndicatorColumns", "average_binary_score", "average_ovo_score"]

AVERAGES = (None, "micro", "macro", "weighted", "samples")


class IndicatorColumns:
    """The columns of a multi-label indicator matrix (values: at most two labels)."""

    def __init__(self, y_true: np.ndarray, classes: np.ndarray) -> None:
        self.y_true = y_true
        self.classes = classes
        self._varies = None  # per column: does it hold both labels? (found on first use)

    def column(self, j: int):
        """``(y_true_column, pos_label, present_labels)``."""
        values = self.y_true[:, j]  # first: a column y_true lacks raises NumPy's IndexError
        if self._varies is None:
            # Two passes in memory order, rather than two strided passes per column.
            empty = self.y_true.shape[0] == 0
            self._varies = None if empty else self.y_true.min(axis=0) != self.y_true.max(axis=0)
        both = self._varies is not None and bool(self._varies[j])
        return values, None, self.classes if both else np.unique(values)

    def micro_columns(self):
        """The columns counted into one curve, their positive labels, the labels present."""
        width = self.y_true.shape[1]
        return [self.y_true[:, j] for j in range(width)], [None] * width, self.classes

    def support(self, sample_weight) -> np.ndarray:
        """The (weighted) sum of each column, scikit-learn's weights of the weighted average."""
        if sample_weight is None:
            return self.y_true.sum(axis=0)
        return np.array([np.dot(self.y_true[:, j], sample_weight) for j in range(self.width)])

    def indicator(self) -> np.ndarray:
        """The matrix itself (for per-sample scores)."""
        return self.y_true

    @property
    def width(self) -> int:
        return self.y_true.shape[1]


class CodeColumns:
    """The one-vs-rest columns of a multi-class target given as class indices (``codes``)."""

    def __init__(self, codes: np.ndarray, n_classes: int) -> None:
        self.codes = codes
        self.counts = np.bincount(codes, minlength=n_classes)
        self.width = n_classes

    def column(self, j: int):
        """``(codes, j, present_labels)``: a sample is positive iff its code is ``j``."""
        both = 0 < self.counts[j] < self.codes.shape[0]
        return self.codes, j, np.array([0, 1]) if both else np.array([int(self.counts[j] > 0)])

    def micro_columns(self):
        """Every column is ``codes`` (positive where equal to the column index)."""
        present = np.array([0, 1]) if self.width > 1 else np.array([1])
        return [self.codes] * self.width, list(range(self.width)), present

    def support(self, sample_weight) -> np.ndarray:
        """The (weighted) number of samples of each class."""
        if sample_weight is None:
            return self.counts
        return np.bincount(self.codes, weights=sample_weight, minlength=self.width)

    def indicator(self) -> np.ndarray:
        """The binarised target (built only for per-sample scores)."""
        one_hot = np.zeros((self.codes.shape[0], self.width), dtype=np.int64)
        one_hot[np.arange(self.codes.shape[0]), self.codes] = 1
        return one_hot


def _micro(metric, columns, y_score, sample_weight) -> float:
    y_trues, pos_labels, present = columns.micro_columns()
    if len(y_trues) != y_score.shape[1]:
        # sklearn ravels both matrices: the flattened lengths disagree.
        n_true = len(y_trues) * y_score.shape[0]
        sizes = [n_true, y_score.size] + ([n_true] if sample_weight is not None else [])
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {sizes}")
    triples = [(y_trues[j], y_score[:, j], pos_labels[j]) for j in range(len(y_trues))]
    return metric(triples, sample_weight, present, scores_checked=True)


def average_binary_score(
    metric, columns, y_score, average, sample_weight=None, *, scores_checked=False
):
    """scikit-learn's ``_average_binary_score`` over the columns of a multi-label target.

    ``scores_checked``: the caller has checked ``y_score`` (numbers, finite). Returns a float,
    or the per-column scores (float64 array) when ``average`` is None.
    """
    if average not in AVERAGES:
        raise ValueError(f"average has to be one of {AVERAGES}")
    n_rows = columns.codes.shape[0] if isinstance(columns, CodeColumns) else len(columns.y_true)
    check_consistent_length(range(n_rows), y_score, sample_weight)
    if scores_checked:
        check_2d(y_score)
    else:
        y_score = check_numeric(y_score, ensure_2d=True)

    if average == "micro":
        return _micro(metric, columns, y_score, sample_weight)

    average_weight = None
    if average == "weighted":
        if sample_weight is not None and isinstance(columns, IndicatorColumns):
            # scikit-learn converts y_true to the weights' dtype here (its messages then show
            # float labels); the labels' values, and so the counts, are the same.
            classes = columns.classes.astype(sample_weight.dtype)
            columns = IndicatorColumns(columns.y_true, classes)
        average_weight = columns.support(sample_weight)
        if np.isclose(np.sum(average_weight), 0):
            return 0
    if average == "samples":
        y_true = columns.indicator()
        scores = np.zeros(y_score.shape[0])
        for i in range(y_score.shape[0]):
            triples = [(y_true[i], y_score[i], None)]
            scores[i] = metric(triples, None, np.unique(y_true[i]), scores_checked=True)
        average_weight = sample_weight
    else:
        scores = np.zeros(y_score.shape[1])
        for j in range(y_score.shape[1]):
            y_true, pos_label, present = columns.column(j)
            triples = [(y_true, y_score[:, j], pos_label)]
            scores[j] = metric(triples, sample_weight, present, scores_checked=True)

    if average is None:
        return scores
    if average_weight is not None:
        # A label (or sample) of weight 0 must not bring a NaN score into the average.
        scores[np.asarray(average_weight) == 0] = 0
    return float(np.average(scores, weights=average_weight))


def average_ovo_score(metric, codes: np.ndarray, y_score: np.ndarray, average: str):
    """Hand & Till's one-vs-one average (scikit-learn's ``_average_multiclass_ovo_score``).

    For each pair of classes ``(a, b)`` present in ``codes``, the mean of the score of ``a``
    against ``b`` (on the samples of either class, ranked by ``y_score[:, a]``) and of ``b``
    against ``a``; then the mean over pairs, weighted by the pair's share of the samples for
    ``average="weighted"``.
    """
    check_consistent_length(codes, y_score)
    present = np.flatnonzero(np.bincount(codes))  # the classes y_true holds (codes >= 0)
    pairs = list(combinations(present.tolist(), 2))
    pair_scores = np.empty(len(pairs))
    prevalence = np.empty(len(pairs)) if average == "weighted" else None
    for index, (a, b) in enumerate(pairs):
        in_pair = (codes == a) | (codes == b)
        if prevalence is not None:
            prevalence[index] = np.average(in_pair)
        pair_codes = codes[in_pair]
        both = np.array([False, True])
        a_score = metric([(pair_codes, y_score[in_pair, a], a)], None, both, scores_checked=True)
        b_score = metric([(pair_codes, y_score[in_pair, b], b)], None, both, scores_checked=True)
        pair_scores[index] = (a_score + b_score) / 2
    return np.average(pair_scores, weights=prevalence)  # a NumPy float, as scikit-learn's

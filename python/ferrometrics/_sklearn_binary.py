"""The binary problems of ``ferrometrics.sklearn``: one exact curve, and its scores with warnings.

Every number ``ferrometrics.sklearn`` returns comes from an ``ExactCurve`` (a table of weighted
positive and negative totals per distinct score), obtained through :func:`curve_class`. The
checks made here before counting are those of scikit-learn's ``confusion_matrix_at_thresholds``;
the warnings are those of its ``roc_curve``, ``precision_recall_curve`` and
``_binary_roc_auc_score``.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from numbers import Real

import numpy as np

from ._core import ExactCurve
from ._sklearn_errors import UndefinedMetricWarning
from ._sklearn_inputs import (
    as_array,
    check_consistent_length,
    check_numeric,
    check_pos_label_consistency,
    check_sample_weight,
    column_or_1d,
)

__all__ = [
    "average_precision_from_curve",
    "average_precision_metric",
    "binary_curve",
    "curve_class",
    "roc_auc_from_curve",
    "roc_auc_metric",
    "warn_curve_classes",
    "warn_no_positives",
]


def curve_class():
    """The ``ExactCurve`` class every count goes through: the Rust table of ``_core``."""
    return ExactCurve


def _positive_labels(y_true: np.ndarray, pos_label):
    """``(labels, label)`` for ``ExactCurve.update``: a sample is positive iff labels == label.

    Numeric and bool labels pass through unchanged (no copy); others are compared here.
    """
    if y_true.dtype.kind in "biuf" and isinstance(pos_label, (Real, np.bool_)):
        # Integers from 2**53 on may round to pos_label's float: compare those here.
        if not (y_true.dtype.kind in "iu" and abs(int(pos_label)) >= 2**53):
            return y_true, float(pos_label)
    positive = np.asarray(y_true == pos_label)
    if positive.shape != y_true.shape:  # NumPy found no elementwise comparison: none equal
        positive = np.zeros(y_true.shape, dtype=bool)
    return positive, 1.0


def _curve_scores(y_score: np.ndarray) -> np.ndarray:
    # float32 and float64 go as they are (the curve widens float32 exactly); others as float64.
    if y_score.dtype in (np.float32, np.float64):
        return y_score
    return y_score.astype(np.float64)


def binary_curve(triples: Sequence, sample_weight, *, scores_checked: bool = False):
    """One curve of the ``(y_true, y_score, pos_label)`` triples, all weighted alike.

    ``y_true`` and ``y_score`` are 1-D (or a column); a sample is positive iff its label is
    ``pos_label``. Several triples (the columns of a micro average) are counted into one curve,
    as if concatenated. Raises scikit-learn's errors for lengths, shapes, non-finite scores
    (unless ``scores_checked``: the caller checked them) and weights.
    """
    curve = curve_class()()
    weight = None
    for y_true, y_score, pos_label in triples:
        check_consistent_length(y_true, y_score, sample_weight)
        y_true = column_or_1d(as_array(y_true))
        y_score = column_or_1d(as_array(y_score))
        if not scores_checked:
            y_score = check_numeric(y_score)
        if sample_weight is not None and weight is None:
            weight = check_sample_weight(column_or_1d(sample_weight), y_true.shape[0])
        labels, label = _positive_labels(y_true, pos_label)
        curve.update(labels, _curve_scores(y_score), sample_weight=weight, pos_label=label)
    return curve


def warn_curve_classes(curve) -> None:
    """``roc_curve``'s warnings when the weighted negatives or positives are not positive."""
    if curve.negative_total <= 0:
        warnings.warn(
            "No negative samples in y_true, false positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=3,
        )
    if curve.positive_total <= 0:
        warnings.warn(
            "No positive samples in y_true, true positive value should be meaningless",
            UndefinedMetricWarning,
            stacklevel=3,
        )


def roc_auc_from_curve(curve, max_fpr, *, signed_weights: bool = False) -> float:
    """sklearn's area under ``roc_curve`` (partial when ``max_fpr`` < 1), with its warnings.

    A curve without negatives, or counted with some negative weights, is integrated step by
    step as scikit-learn does, so that it fails (or not) as scikit-learn does.
    """
    partial = max_fpr is not None and max_fpr != 1
    warn_curve_classes(curve)
    if signed_weights or (partial and curve.negative_total <= 0):
        return _roc_auc_stepwise(curve, max_fpr if partial else None)
    return float(curve.roc_auc(max_fpr if partial else None))


def _roc_auc_stepwise(curve, max_fpr) -> float:
    # scikit-learn's `_binary_roc_auc_score` on the curve's arrays. Negative weights can make
    # fpr go down (its `auc` then refuses the curve, or integrates it backwards); an all-NaN
    # fpr (no negatives) is cut before its first point, leaving one point.
    fpr, tpr, _ = curve.roc_curve(drop_intermediate=True)
    if max_fpr is None:
        return _area(fpr, tpr)
    stop = int(np.searchsorted(fpr, max_fpr, "right"))
    tpr_cut = np.interp(max_fpr, [fpr[stop - 1], fpr[stop]], [tpr[stop - 1], tpr[stop]])
    partial = _area(np.append(fpr[:stop], max_fpr), np.append(tpr[:stop], tpr_cut))
    min_area = 0.5 * max_fpr**2
    return float(0.5 * (1 + (partial - min_area) / (max_fpr - min_area)))


def _area(x: np.ndarray, y: np.ndarray) -> float:
    # scikit-learn's `auc`: the trapezoidal area along a monotonic x, with its errors.
    if x.shape[0] < 2:
        raise ValueError(
            f"At least 2 points are needed to compute area under curve, but x.shape = {x.shape[0]}"
        )
    dx = np.diff(x)
    direction = 1
    if np.any(dx < 0):
        if not np.all(dx <= 0):
            raise ValueError(f"x is neither increasing nor decreasing : {x}.")
        direction = -1
    return float(direction * np.sum(dx * (y[1:] + y[:-1]) / 2.0))


def warn_no_positives(curve) -> None:
    """``precision_recall_curve``'s warning when there are no positives (recall is set to 1)."""
    if curve.positive_total == 0:
        warnings.warn(
            "No positive class found in y_true, recall is set to one for all thresholds.",
            UserWarning,
            stacklevel=3,
        )


def average_precision_from_curve(curve) -> float:
    """sklearn's average precision of the curve (0.0 without positives, with its warning)."""
    warn_no_positives(curve)
    return float(curve.average_precision())


def roc_auc_metric(max_fpr):
    """sklearn's ``_binary_roc_auc_score`` as a column metric (see ``_sklearn_average``)."""

    def metric(triples, sample_weight, present, *, scores_checked=False) -> float:
        # sklearn checks the labels present (ignoring weights) before anything else.
        if len(present) != 2:
            warnings.warn(
                "Only one class is present in y_true. ROC AUC score is not defined in that case.",
                UndefinedMetricWarning,
                stacklevel=4,
            )
            return float("nan")
        present = np.asarray(present)
        triples = [(t, s, check_pos_label_consistency(p, present)) for t, s, p in triples]
        curve = binary_curve(triples, sample_weight, scores_checked=scores_checked)
        signed = sample_weight is not None and bool(np.min(sample_weight) < 0)
        return roc_auc_from_curve(curve, max_fpr, signed_weights=signed)

    return metric


def average_precision_metric(triples, sample_weight, present, *, scores_checked=False) -> float:
    """sklearn's binary average precision as a column metric (``pos_label`` None means 1)."""
    triples = [(t, s, 1 if p is None else p) for t, s, p in triples]
    curve = binary_curve(triples, sample_weight, scores_checked=scores_checked)
    return average_precision_from_curve(curve)

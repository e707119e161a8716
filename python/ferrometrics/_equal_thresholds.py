"""``precision_recall_at_equal_thresholds``, TensorFlow contrib's O(N + T) PR curve."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from . import _core
from ._metric import integer


class PrecisionRecallData(NamedTuple):
    """Counts and rates at ``num_thresholds`` evenly spaced thresholds in [0, 1].

    Example:
        >>> data = precision_recall_at_equal_thresholds(
        ...     [0, 1, 1], [0.2, 0.6, 0.9], num_thresholds=3
        ... )
        >>> data.thresholds.tolist(), data.tp.tolist(), data.fp.tolist()
        ([0.0, 0.5, 1.0], [2.0, 2.0, 0.0], [1.0, 0.0, 0.0])
    """

    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    thresholds: np.ndarray


# The core's messages speak of the metric classes' arguments.
_NAMES = {"`y_true`": "`labels`", "`y_pred`": "`predictions`", "`sample_weight`": "`weights`"}
_NAMES.update({"y_true.": "labels.", "y_pred.": "predictions.", "sample_weight.": "weights."})


def _own_names(message: str) -> str:
    for metric_name, name in _NAMES.items():
        message = message.replace(metric_name, name)
    return message


def precision_recall_at_equal_thresholds(
    labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 201
) -> PrecisionRecallData:
    """Precision, recall and counts at ``linspace(0, 1, num_thresholds)``.

    A prediction ``p`` counts as positive at threshold ``i`` when
    ``floor(p * (num_thresholds - 1)) >= i`` (so ``p >= t_i`` up to rounding,
    an inclusive rule unlike the metric classes' ``p > t``). Counts are
    accumulated in float64; ``precision = tp / max(1e-7, tp + fp)`` and
    ``recall = tp / max(1e-7, tp + fn)``.

    Args:
        labels: 0/1 (or False/True) labels.
        predictions: Probabilities in [0, 1], same shape as ``labels``.
        weights: Optional sample weights: a scalar or an array broadcastable to
            the labels (a lower-rank array aligns with the leading axes).
        num_thresholds: Number of thresholds, an integer > 1.

    Returns:
        A :class:`PrecisionRecallData` of arrays of length ``num_thresholds`` in
        the predictions' dtype (float64 for integer or boolean predictions).

    Raises:
        ValueError: for bad labels, predictions outside [0, 1], non-finite
            values, mismatched shapes or a bad ``num_thresholds``.

    Example:
        >>> data = precision_recall_at_equal_thresholds(
        ...     [1, 0, 1, 0], np.array([1.0, 0.5, 0.25, 0.0], np.float32), num_thresholds=5)
        >>> print(data.tp, data.fp)
        [2. 2. 1. 1. 1.] [2. 1. 1. 0. 0.]
        >>> print(data.precision)
        [0.5       0.6666667 0.5       1.        1.       ]
    """
    count = integer("num_thresholds", num_thresholds, "an integer > 1")
    try:
        arrays, dtype = _core.precision_recall_at_equal_thresholds(
            labels, predictions, weights, count
        )
    except (ValueError, TypeError) as error:
        raise type(error)(_own_names(str(error))) from None
    # Counts beyond float16's range become inf in a float16 result, as in TF's cast.
    with np.errstate(over="ignore"):
        return PrecisionRecallData(*(a.astype(dtype, copy=False) for a in arrays))

"""``precision_recall_at_equal_thresholds``, TF contrib's O(N + T) curve (docs/semantics.md §9).

One call, no state: every prediction ``p`` in [0, 1] falls in the bucket
``floor(p * (T - 1))`` of ``T`` evenly spaced thresholds ``linspace(0, 1, T)``, so it counts as
positive at threshold ``i`` iff its bucket is ``>= i``. Unlike the Keras metrics, the comparison
is *inclusive*: ``p == t_i`` is positive at ``t_i`` (up to the rounding of ``p * (T - 1)``).
Per-bucket label weights are summed in float64 and turned into counts by reverse cumulative
sums; all outputs are then cast to the predictions' dtype.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ._inputs import (
    align_shapes,
    as_real_array,
    broadcast_weights,
    check_finite,
    check_labels,
    check_unit_interval,
)
from ._thresholds import check_num_thresholds

__all__ = ["PrecisionRecallData", "precision_recall_at_equal_thresholds"]

# Lower bound of the denominators of precision and recall (TensorFlow contrib's epsilon).
_EPSILON = 1e-7

_RANGE_HINT = "Apply a sigmoid to logits first."


class PrecisionRecallData(NamedTuple):
    """The curves returned by :func:`precision_recall_at_equal_thresholds`.

    Every field is a 1-D array of length ``num_thresholds``, in the output dtype, indexed by
    threshold from 0.0 up to 1.0.

    Attributes:
        tp: Weighted true positives: positive label, prediction in a bucket ``>= i``.
        fp: Weighted false positives.
        tn: Weighted true negatives.
        fn: Weighted false negatives.
        precision: ``tp / max(1e-7, tp + fp)``.
        recall: ``tp / max(1e-7, tp + fn)``.
        thresholds: ``linspace(0, 1, num_thresholds)``.

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


def output_dtype(predictions: np.ndarray) -> np.dtype:
    """The dtype of the results: the predictions' if float16, float32 or float64, else float64.

    Booleans, integers and other float widths (such as ``longdouble``) give float64.
    """
    if predictions.dtype.kind == "f" and predictions.dtype.itemsize in (2, 4, 8):
        return predictions.dtype.newbyteorder("=")
    return np.dtype(np.float64)


def precision_recall_at_equal_thresholds(
    labels, predictions, weights=None, num_thresholds=201
) -> PrecisionRecallData:
    """Computes the confusion matrix, precision and recall at evenly spaced thresholds in O(N + T).

    Port of ``tf.contrib.metrics.precision_recall_at_equal_thresholds`` as one function call
    (no variables, no update op). A prediction ``p`` is in bucket ``floor(p * (T - 1))``,
    computed in the predictions' dtype, and counts as positive at threshold ``i`` when its
    bucket is ``>= i``; so ``p == 1`` is positive everywhere and ``p == 0`` only at threshold 0.

    Args:
        labels: Labels, 0/1 or False/True, of the same shape as ``predictions`` (up to a
            trailing axis of length 1, as for the metric classes).
        predictions: Probabilities in [0, 1], any shape. Their dtype is the output dtype when
            it is float16, float32 or float64; other dtypes (bool, integers) give float64.
        weights: Optional weights: a scalar, an array of the same shape as ``predictions`` or
            broadcastable to it, or an array aligned with its leading axes.
        num_thresholds: Integer >= 2, default 201: the number of thresholds
            (``num_thresholds - 1`` buckets).

    Returns:
        A :class:`PrecisionRecallData` ``(tp, fp, tn, fn, precision, recall, thresholds)`` of
        arrays of length ``num_thresholds`` in the output dtype. Counts are summed in float64,
        and precision and recall computed in float64, before the cast.

    Raises:
        TypeError: if an input is not an array of real numbers.
        ValueError: for a bad ``num_thresholds``, non-binary labels, non-finite values,
            predictions outside [0, 1] or incompatible shapes.

    Example:
        >>> data = precision_recall_at_equal_thresholds(
        ...     [0, 0, 1, 1], np.array([0.0, 0.5, 0.3, 0.9], np.float32), num_thresholds=3)
        >>> data.thresholds
        array([0. , 0.5, 1. ], dtype=float32)
        >>> print(data.tp, data.fp, data.tn, data.fn)
        [2. 1. 0.] [2. 1. 0.] [0. 1. 2.] [0. 1. 2.]
        >>> print(data.precision, data.recall)
        [0.5 0.5 0. ] [1.  0.5 0. ]

        Weights scale each element's contribution; integer predictions give float64 results:

        >>> data = precision_recall_at_equal_thresholds(
        ...     [1, 0, 1], [1, 0, 0], weights=[2.0, 1.0, 0.5], num_thresholds=2)
        >>> data.tp, data.fn
        (array([2.5, 2. ]), array([0. , 0.5]))
    """
    num_thresholds = check_num_thresholds(num_thresholds, above=1)
    label_array = as_real_array(labels, "labels")
    prediction_array = as_real_array(predictions, "predictions")
    weight_array = None if weights is None else as_real_array(weights, "weights")

    check_labels(label_array, "labels")
    dtype = output_dtype(prediction_array)
    with np.errstate(over="ignore"):  # overflow is reported as a non-finite value just below
        cast = prediction_array.astype(dtype)
    check_finite(cast, prediction_array, "predictions")
    check_unit_interval(cast, "predictions", _RANGE_HINT)
    if weight_array is not None:
        weight_array = weight_array.astype(np.float64)
        check_finite(weight_array, weight_array, "weights")

    try:
        label_array, cast = align_shapes(label_array, cast)
    except ValueError:
        raise ValueError(
            "`labels` and `predictions` must have the same shape. "
            f"Received: labels.shape={label_array.shape}, predictions.shape={cast.shape}"
        ) from None
    try:
        weight_array = broadcast_weights(weight_array, cast.shape)
    except ValueError:
        raise ValueError(
            f"`weights` of shape {weight_array.shape} cannot be broadcast to the shape of "
            f"`predictions` {cast.shape}"
        ) from None

    is_positive = (label_array == 1).ravel()
    flat_predictions = cast.ravel()
    flat_weights = weight_array.ravel()

    # The bucket is computed in the predictions' dtype, as TensorFlow does. Clipping only
    # matters for float16, where `T - 1` itself may round up (or overflow for huge T).
    with np.errstate(over="ignore", invalid="ignore"):
        scaled = np.floor(flat_predictions * dtype.type(num_thresholds - 1)).astype(np.float64)
    scaled = np.nan_to_num(scaled, nan=0.0)  # 0 * inf: a zero prediction is in bucket 0
    bucket = np.clip(scaled, 0, num_thresholds - 1).astype(np.int64)

    positive_buckets = np.zeros(num_thresholds, dtype=np.float64)
    negative_buckets = np.zeros(num_thresholds, dtype=np.float64)
    np.add.at(positive_buckets, bucket[is_positive], flat_weights[is_positive])
    np.add.at(negative_buckets, bucket[~is_positive], flat_weights[~is_positive])

    # Positive at threshold i: every bucket j >= i, a reverse cumulative sum.
    tp = np.cumsum(positive_buckets[::-1])[::-1]
    fp = np.cumsum(negative_buckets[::-1])[::-1]
    tn = fp[0] - fp
    fn = tp[0] - tp
    precision = tp / np.maximum(_EPSILON, tp + fp)
    recall = tp / np.maximum(_EPSILON, tp + fn)
    thresholds = np.linspace(0.0, 1.0, num_thresholds)

    with np.errstate(over="ignore"):  # huge float16 counts become inf, as a cast would
        return PrecisionRecallData(
            *(array.astype(dtype) for array in (tp, fp, tn, fn, precision, recall, thresholds))
        )

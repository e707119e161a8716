"""Threshold lists and confusion-matrix counting (docs/semantics.md §3).

A prediction ``p`` is positive at threshold ``t`` iff ``p > t``, compared in the metric dtype.
Keras decides this in one of two ways and the two disagree at the edges, so the reference
reproduces Keras's choice exactly:

- the *even path*, for evenly spaced threshold lists (``[0, 1/(T-1), ..., 1]``), which never looks
  at the threshold values: it clips ``p`` to [0, 1] and computes a bucket
  ``b = ceil(p * (T - 1)) - 1`` in the metric dtype; the sample is positive at threshold ``i``
  iff ``b >= i``;
- the *direct path* otherwise: ``p > dtype(t)``, without clipping.

For clarity both paths build a full ``(N, T)`` boolean matrix; the fast implementation must not.

:func:`check_num_thresholds` is the ``num_thresholds`` rule of the operating-point metrics and of
``precision_recall_at_equal_thresholds``.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._inputs import Batch, is_integer

__all__ = [
    "MAX_THRESHOLDS",
    "ThresholdSet",
    "check_num_thresholds",
    "confusion_counts",
    "is_evenly_spaced",
    "parse_thresholds",
    "positive_by_bucket",
    "positive_by_comparison",
]

# Tolerances of Keras's even-spacing test (`atol` is `keras.backend.epsilon()`).
_EVEN_ATOL = 1e-7
_EVEN_RTOL = 1e-5

# As in the fast implementation: more thresholds are refused, not allocated.
MAX_THRESHOLDS = 2**24


def check_num_thresholds(num_thresholds, above: int) -> int:
    """Returns ``num_thresholds`` as an int, refusing anything but an integer > ``above``.

    Raises:
        ValueError: for a non-integer (bools included), a value <= ``above``, or more than
            ``MAX_THRESHOLDS``.
    """
    if not is_integer(num_thresholds) or num_thresholds <= above:
        raise ValueError(
            f"Argument `num_thresholds` must be an integer > {above}. "
            f"Received: num_thresholds={num_thresholds}"
        )
    if num_thresholds > MAX_THRESHOLDS:
        raise ValueError(
            f"Argument `num_thresholds` is too large: {num_thresholds} exceeds the supported "
            f"{MAX_THRESHOLDS}"
        )
    return int(num_thresholds)


def parse_thresholds(thresholds, default: float) -> list[float]:
    """Returns the thresholds a metric uses, as a list of Python floats.

    Args:
        thresholds: None (use ``default``), a real number, or a list/tuple/1-D array of real
            numbers, each in [0, 1]. Order and duplicates are kept.
        default: The threshold used when ``thresholds`` is None; it is not range-checked
            (Precision and Recall use -1e10 with ``top_k``).

    Raises:
        ValueError: if a threshold is outside [0, 1], NaN or None (Keras's message).
        TypeError: if a threshold is not a real number, or ``thresholds`` is an array of
            rank 2 or more.
    """
    if thresholds is None:
        return [float(default)]
    values = _as_list(thresholds)
    for value in values:
        if value is not None and not isinstance(value, (numbers.Real, np.bool_)):
            raise TypeError(
                "Argument `thresholds` must be a float or a list of floats. "
                f"Received: {value!r} of type {type(value).__name__}"
            )
    # `not 0 <= t <= 1` is also true for NaN, which Keras would let through.
    invalid = [value for value in values if value is None or not 0 <= value <= 1]
    if invalid:
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return [float(value) for value in values]


def _as_list(thresholds) -> list:
    """Returns the thresholds argument as a list: one number, or the items of a sequence."""
    if isinstance(thresholds, (list, tuple)):
        return list(thresholds)
    if isinstance(thresholds, np.ndarray):
        if thresholds.ndim > 1:  # a wrong kind of argument (docs/semantics.md §2)
            raise TypeError(
                "Argument `thresholds` must be a float or a list of floats. "
                f"Received: an array of shape {thresholds.shape}"
            )
        return thresholds.reshape(-1).tolist()
    return [thresholds]


def is_evenly_spaced(thresholds: list[float]) -> bool:
    """Keras's test for the even path: ``n >= 3`` and ``t`` close to ``arange(n) / (n - 1)``.

    The comparison grid is computed as NumPy does it in Keras, in float32.
    """
    count = len(thresholds)
    if count < 3:
        return False
    even_grid = np.arange(count, dtype=np.float32) / np.float32(count - 1)
    return bool(np.allclose(thresholds, even_grid, atol=_EVEN_ATOL, rtol=_EVEN_RTOL))


def positive_by_bucket(
    predictions: np.ndarray, num_thresholds: int, with_epsilon: bool
) -> np.ndarray:
    """Even path: ``(N, T)`` matrix, True where prediction ``n`` is positive at threshold ``i``.

    All arithmetic happens in the dtype of ``predictions`` (the metric dtype), because Keras
    does so and float32 rounding changes the answer: with T = 200, ``p = float32(31 / 199)``
    gives ``float32(p * 199) > 31`` and counts as above threshold 31.

    Args:
        predictions: 1-D array in the metric dtype.
        num_thresholds: T, the number of thresholds.
        with_epsilon: True when the end thresholds lie just outside [0, 1] (Keras's AUC); then
            ``p == 0`` falls in bucket 0 instead of nowhere.
    """
    dtype = predictions.dtype.type
    clipped = np.clip(predictions, dtype(0), dtype(1))
    bucket = np.ceil(clipped * dtype(num_thresholds - 1)) - dtype(1)
    if with_epsilon:
        bucket = np.maximum(bucket, dtype(0))
    bucket = bucket.astype(np.int64)  # -1 means "positive at no threshold"
    threshold_index = np.arange(num_thresholds)
    return bucket[:, np.newaxis] >= threshold_index[np.newaxis, :]


def positive_by_comparison(predictions: np.ndarray, thresholds: list[float]) -> np.ndarray:
    """Direct path: ``(N, T)`` matrix of ``p > t`` with ``t`` cast to the predictions' dtype."""
    threshold_values = np.asarray(thresholds, dtype=np.float64).astype(predictions.dtype)
    return predictions[:, np.newaxis] > threshold_values[np.newaxis, :]


def confusion_counts(labels: np.ndarray, positive: np.ndarray, weights: np.ndarray) -> dict:
    """Weighted confusion-matrix counts per threshold, in float64.

    Args:
        labels: ``(N,)`` bool, True for label 1.
        positive: ``(N, T)`` bool, True where the prediction is positive at a threshold.
        weights: ``(N,)`` float64 sample weights.

    Returns:
        Dict with keys ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"``, each a ``(T,)`` float64 array.
    """
    label_is_positive = labels[:, np.newaxis]
    weight = weights[:, np.newaxis]

    def weighted_sum(condition: np.ndarray) -> np.ndarray:
        return np.sum(np.where(condition, weight, 0.0), axis=0, dtype=np.float64)

    return {
        "tp": weighted_sum(label_is_positive & positive),
        "fp": weighted_sum(~label_is_positive & positive),
        "tn": weighted_sum(~label_is_positive & ~positive),
        "fn": weighted_sum(label_is_positive & ~positive),
    }


class ThresholdSet:
    """The thresholds of one metric and the counting path Keras takes for them.

    Args:
        thresholds: Thresholds as returned by :func:`parse_thresholds`.

    Attributes:
        values: The thresholds, a list of Python floats in the user's order.
        evenly_spaced: True when Keras takes the even path.
        with_epsilon: True when the end thresholds carry epsilon (``t[0] < 0 or t[-1] > 1``);
            only meaningful on the even path.
    """

    def __init__(self, thresholds: list[float]):
        self.values = list(thresholds)
        self.evenly_spaced = is_evenly_spaced(self.values)
        self.with_epsilon = bool(self.values) and (self.values[0] < 0 or self.values[-1] > 1)

    def __len__(self) -> int:
        return len(self.values)

    def positive(self, predictions: np.ndarray) -> np.ndarray:
        """Returns the ``(N, T)`` matrix of "prediction is positive at threshold"."""
        if self.evenly_spaced:
            return positive_by_bucket(predictions, len(self.values), self.with_epsilon)
        return positive_by_comparison(predictions, self.values)

    def count(self, batch: Batch) -> dict:
        """Returns the weighted ``tp``, ``fp``, ``tn``, ``fn`` of one batch, per threshold."""
        return confusion_counts(batch.labels, self.positive(batch.predictions), batch.weights)

"""F1Score and FBetaScore, in plain NumPy (docs/semantics.md §8).

Unlike the threshold metrics, these take 2-D inputs ``(batch_size, num_classes)`` and turn each
prediction into a 0/1 decision once: ``p > threshold``, or, without a threshold, "``p`` is the
largest of its row (ties all count) and ``|p| > 1e-9``". Per class they then sum
``tp = w * pred * y``, ``fp = w * pred * (1 - y)``, ``fn = w * (1 - pred) * y`` and the support
``intermediate_weights = w * y`` over the rows (over everything for ``average="micro"``).

The number of classes is fixed by the first update, which also creates the state: before it,
``variables`` is empty and ``result()`` is 0.0 (an empty vector for ``average=None``).
"""

from __future__ import annotations

import math

import numpy as np

from ._inputs import (
    as_real_array,
    broadcast_weights,
    cast_predictions,
    check_finite,
    check_labels,
)
from ._metric import ReferenceMetric, variable

__all__ = ["F1Score", "FBetaScore"]

# Keras's `backend.epsilon()`, used in the result formulas.
_EPSILON = 1e-7
# Without a threshold, a row maximum counts as positive only if it is away from zero.
_ZERO_TOLERANCE = 1e-9

_AVERAGES = (None, "micro", "macro", "weighted")


def _check_average(average):
    if average not in _AVERAGES:
        raise ValueError(
            "Invalid `average` argument value. Expected one of: "
            "{None, 'micro', 'macro', 'weighted'}. "
            f"Received: average={average}"
        )
    return average


def _check_beta(beta) -> float:
    if not isinstance(beta, float):
        raise ValueError(
            "Invalid `beta` argument value. It should be a Python float. "
            f"Received: beta={beta} of type '{type(beta)}'"
        )
    if beta <= 0.0:
        raise _beta_not_positive(beta)
    return beta


def _beta_not_positive(beta) -> ValueError:
    return ValueError(f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}")


def _check_threshold(threshold):
    if threshold is None:
        return None
    if not isinstance(threshold, float):
        raise ValueError(
            "Invalid `threshold` argument value. It should be a Python float. "
            f"Received: threshold={threshold} of type '{type(threshold)}'"
        )
    # `not 0 < t <= 1` is also true for NaN, which Keras would let through.
    if not 0.0 < threshold <= 1.0:
        raise ValueError(
            "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
            f"Received: threshold={threshold}"
        )
    return threshold


class FBetaScore(ReferenceMetric):
    """Computes the F-beta score, the weighted harmonic mean of precision and recall.

    ``f = (1 + beta**2) * precision * recall / (beta**2 * precision + recall)``, per class,
    computed from counts accumulated over all updates (with ``1e-7`` added to each
    denominator, as Keras). It works for multi-class and multi-label data.

    Args:
        average: ``None`` (default: one score per class), ``"micro"`` (one score from the
            counts summed over all classes), ``"macro"`` (the mean of the per-class scores) or
            ``"weighted"`` (their mean weighted by each class's support, the weighted number of
            positive labels).
        beta: Python float > 0, default 1.0: the weight of recall.
        threshold: Optional Python float in (0, 1]: predictions above it are positive. If
            None, the largest prediction of each row is positive (all of them on ties) unless
            it is zero.
        name: Metric name, default ``"fbeta_score"``.
        dtype: ``"float32"`` (default) or ``"float64"``; the decisions and the result use it.

    Example:
        >>> y_true = np.array([[1, 1, 1],
        ...                    [1, 0, 0],
        ...                    [1, 1, 0]], np.int32)
        >>> y_pred = np.array([[0.2, 0.6, 0.7],
        ...                    [0.2, 0.6, 0.6],
        ...                    [0.6, 0.8, 0.0]], np.float32)
        >>> metric = FBetaScore(beta=2.0, threshold=0.5)
        >>> metric.update_state(y_true, y_pred)
        >>> print(metric.result())
        [0.3846154  0.90909094 0.8333332 ]

        (The Keras documentation shows ``0.8333334`` for the last class; Keras 3 itself computes
        ``0.8333332``, as here.)

        Averaged, and with the row maximum as the positive prediction:

        >>> metric = FBetaScore(average="macro", beta=0.5)
        >>> metric.update_state(y_true, y_pred)
        >>> print(metric.result())
        0.3518518
        >>> print(metric.true_positives, metric.intermediate_weights)
        [0. 1. 1.] [3. 2. 1.]
    """

    _default_name = "fbeta_score"
    # Keras's variables, in Keras's order, with the count each one accumulates: the support of
    # a class is its weighted number of positive labels.
    _variables = (
        ("true_positives", "tp"),
        ("false_positives", "fp"),
        ("false_negatives", "fn"),
        ("intermediate_weights", "support"),
    )
    _merge_attributes = ("average", "beta", "threshold", "dtype")
    _unbuilt_reason = (
        "the first `update_state` creates the state (its shape depends on the number of classes)"
    )

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    false_negatives = variable("false_negatives")
    intermediate_weights = variable("intermediate_weights")

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        # Keras's checks, in Keras's order (the first failure is reported).
        self.average = _check_average(average)
        self.beta = _check_beta(beta)
        self.threshold = _check_threshold(threshold)
        # NaN and infinity are refused too, after Keras's checks (Keras lets them through, to a
        # NaN result).
        if not math.isfinite(beta):
            raise _beta_not_positive(beta)
        super().__init__(name, dtype)
        # The state is created by the first update, which also fixes the number of classes.
        self._num_classes = None
        self._state = None

    @property
    def num_classes(self) -> int | None:
        """The number of classes, fixed by the first update (None before it)."""
        return self._num_classes

    def _data_size(self) -> int | None:
        return self._num_classes

    def _set_data_size(self, size: int | None) -> None:
        self._num_classes = size

    def _data_size_mismatch(self, mine: int, theirs: int) -> str:
        return (
            f"Cannot merge {type(self).__name__} metrics with different numbers of classes: "
            f"{mine} and {theirs}"
        )

    def _predicted_positive(self, predictions: np.ndarray) -> np.ndarray:
        """The 0/1 decisions, compared in the metric dtype."""
        dtype = predictions.dtype.type
        if self.threshold is None:
            # `initial` keeps rows of zero classes (shape (N, 0)) working.
            row_max = np.max(predictions, axis=-1, keepdims=True, initial=-np.inf)
            return (predictions >= row_max) & (np.abs(predictions) > dtype(_ZERO_TOLERANCE))
        return predictions > dtype(self.threshold)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the per-class counts of one batch.

        The batch is validated and counted completely before the state changes, so an invalid
        batch leaves the metric as it was.

        Args:
            y_true: Labels of shape ``(batch_size, num_classes)``, 0/1 or False/True.
            y_pred: Predictions of the same shape, any finite values.
            sample_weight: Optional weights: a scalar, one per row (``(batch_size,)`` or
                ``(batch_size, 1)``), or one per element (``(batch_size, num_classes)``).

        Raises:
            TypeError: if an input is not an array of real numbers.
            ValueError: for inputs that are not 2-D, shapes that differ (also from the number
                of classes of earlier updates), non-binary labels or non-finite values.
        """
        labels = as_real_array(y_true, "y_true")
        predictions = as_real_array(y_pred, "y_pred")
        weights = None if sample_weight is None else as_real_array(sample_weight, "sample_weight")

        if labels.ndim != 2 or predictions.ndim != 2:
            raise ValueError(
                "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received "
                f"input shapes: y_pred.shape={predictions.shape} and y_true.shape={labels.shape}."
            )
        if labels.shape != predictions.shape:
            raise ValueError(
                "`y_true` and `y_pred` must have the same shape. "
                f"Received: y_true.shape={labels.shape}, y_pred.shape={predictions.shape}"
            )
        num_classes = predictions.shape[1]
        if self._num_classes is not None and num_classes != self._num_classes:
            raise ValueError(
                f"The number of classes is fixed by the first update to {self._num_classes}. "
                f"Received: y_pred.shape={predictions.shape}"
            )
        check_labels(labels)
        predictions = cast_predictions(predictions, self.dtype)
        if weights is not None:
            weights = weights.astype(np.float64)
            check_finite(weights, weights, "sample_weight")
        weights = broadcast_weights(weights, labels.shape)

        predicted = self._predicted_positive(predictions).astype(np.float64)
        actual = (labels == 1).astype(np.float64)
        axis = None if self.average == "micro" else 0
        counts = {
            "tp": np.sum(weights * predicted * actual, axis=axis),
            "fp": np.sum(weights * predicted * (1 - actual), axis=axis),
            "fn": np.sum(weights * (1 - predicted) * actual, axis=axis),
            "support": np.sum(weights * actual, axis=axis),
        }
        self._add_counts(
            {key: np.asarray(count, dtype=np.float64) for key, count in counts.items()}
        )
        self._num_classes = num_classes

    def result(self):
        """Returns the score: a vector for ``average=None``, else a NumPy scalar.

        The float64 state is cast to the metric dtype before the formulas are applied.
        """
        dtype = np.dtype(self.dtype).type
        if self._state is None:
            return np.zeros(0, dtype=self.dtype) if self.average is None else dtype(0.0)
        state = self._state_in_dtype()
        tp, fp, fn, support = state["tp"], state["fp"], state["fn"], state["support"]
        epsilon = dtype(_EPSILON)
        beta_squared = self.beta**2
        with np.errstate(divide="ignore", invalid="ignore"):  # only with negative weights
            precision = tp / (tp + fp + epsilon)
            recall = tp / (tp + fn + epsilon)
            mean = precision * recall / (dtype(beta_squared) * precision + recall + epsilon)
            score = mean * dtype(1 + beta_squared)
            if self.average == "weighted":
                return dtype(np.sum(score * (support / (np.sum(support) + epsilon))))
        if self.average is None:
            return score
        return dtype(np.mean(score))  # "micro" (a single score) and "macro"

    def get_config(self) -> dict:
        """Returns the constructor arguments (Keras 3 keys), so that ``from_config`` rebuilds."""
        return {
            **super().get_config(),
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """Computes the F-1 score, the harmonic mean of precision and recall.

    ``f1 = 2 * precision * recall / (precision + recall)``: :class:`FBetaScore` with
    ``beta=1.0``.

    Args:
        average: ``None`` (default: one score per class), ``"micro"``, ``"macro"`` or
            ``"weighted"``, as for :class:`FBetaScore`.
        threshold: Optional Python float in (0, 1]: predictions above it are positive. If
            None, the largest prediction of each row is positive (all of them on ties) unless
            it is zero.
        name: Metric name, default ``"f1_score"``.
        dtype: ``"float32"`` (default) or ``"float64"``; the decisions and the result use it.

    Example:
        >>> metric = F1Score(threshold=0.5)
        >>> y_true = np.array([[1, 1, 1],
        ...                    [1, 0, 0],
        ...                    [1, 1, 0]], np.int32)
        >>> y_pred = np.array([[0.2, 0.6, 0.7],
        ...                    [0.2, 0.6, 0.6],
        ...                    [0.6, 0.8, 0.0]], np.float32)
        >>> metric.update_state(y_true, y_pred)
        >>> result = metric.result()
        >>> result
        array([0.49999997, 0.79999995, 0.66666657], dtype=float32)

        Before the first update there is no state:

        >>> metric = F1Score(average="weighted")
        >>> metric.variables, metric.result()
        ([], np.float32(0.0))
        >>> metric.update_state(y_true, y_pred, sample_weight=[1.0, 2.0, 0.0])
        >>> print(metric.result())
        0.099999994
    """

    _default_name = "f1_score"

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config

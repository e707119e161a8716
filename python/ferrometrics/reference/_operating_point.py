"""The four operating-point metrics, in plain NumPy (docs/semantics.md §6).

``SensitivityAtSpecificity``, ``SpecificityAtSensitivity``, ``PrecisionAtRecall`` and
``RecallAtPrecision`` all keep the full confusion matrix (``tp``, ``fp``, ``tn``, ``fn``) at
``num_thresholds`` fixed thresholds and differ only in ``result()``: over the thresholds where a
*constraint* curve reaches the requested value, return the best value of a *dependent* curve.

================================  ===========================  =========================
metric                            constraint (``>= value``)    dependent (maximised)
================================  ===========================  =========================
``SensitivityAtSpecificity``      specificity ``tn/(tn+fp)``   sensitivity ``tp/(tp+fn)``
``SpecificityAtSensitivity``      sensitivity                  specificity
``PrecisionAtRecall``             recall ``tp/(tp+fn)``        precision ``tp/(tp+fp)``
``RecallAtPrecision``             precision                    recall
================================  ===========================  =========================

Thresholds (as Keras): ``num_thresholds == 1`` gives ``[0.5]``, counted on the direct path
(``p > 0.5``); otherwise ``[0.0, 1/(T-1), ..., (T-2)/(T-1), 1.0]``, counted on the even path
*without* epsilon ends (Keras takes it even for ``T == 2``), so ``p == 0`` is positive at no
threshold and ``p == 1`` at every threshold but the last.

Predictions must lie in [0, 1]: Keras clips them silently, docs/semantics.md §2 refuses them.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._inputs import (
    as_real_array,
    cast_predictions,
    check_optional_int,
    check_unit_interval,
    prepare_batch,
)
from ._metric import CONFUSION_MATRIX_VARIABLES, ReferenceMetric, divide_no_nan, variable
from ._thresholds import (
    check_num_thresholds,
    confusion_counts,
    positive_by_bucket,
    positive_by_comparison,
)

__all__ = [
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
]

_RANGE_HINT = "These metrics need probabilities: apply a sigmoid to logits first."


def operating_point_thresholds(num_thresholds: int) -> list[float]:
    """Keras's thresholds for the operating-point metrics, as Python floats.

    ``[0.5]`` for one threshold, else ``[0.0] + [(i + 1) / (T - 1) for i in range(T - 2)] + [1.0]``.

    Example:
        >>> operating_point_thresholds(5)
        [0.0, 0.25, 0.5, 0.75, 1.0]
        >>> operating_point_thresholds(1)
        [0.5]
    """
    if num_thresholds == 1:
        return [0.5]
    interior = [(i + 1) * 1.0 / (num_thresholds - 1) for i in range(num_thresholds - 2)]
    return [0.0] + interior + [1.0]


def _check_value(value, argument: str) -> float:
    """Returns the target ``value`` as a float; refuses non-numbers and values not in [0, 1]."""
    if not isinstance(value, (numbers.Real, np.bool_)):
        raise TypeError(
            f"Argument `{argument}` must be a number in the range [0, 1]. "
            f"Received: {argument}={value!r} of type {type(value).__name__}"
        )
    # `not 0 <= v <= 1` is also true for NaN, which Keras would let through.
    if not 0 <= value <= 1:
        raise ValueError(
            f"Argument `{argument}` must be in the range [0, 1]. Received: {argument}={value}"
        )
    return float(value)


class _OperatingPointMetric(ReferenceMetric):
    """What the four metrics share: the confusion matrix at fixed thresholds, two curves.

    Subclasses set ``_default_name``, ``_value_name`` (the constructor's first argument, also the
    get_config key), ``_constraint`` and ``_dependent`` (each one of ``"sensitivity"``,
    ``"specificity"``, ``"precision"``, ``"recall"``).
    """

    _value_name: str
    _constraint: str
    _dependent: str

    _variables = CONFUSION_MATRIX_VARIABLES
    _merge_attributes = ("value", "num_thresholds", "class_id", "dtype")

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    true_negatives = variable("true_negatives")
    false_negatives = variable("false_negatives")

    def __init__(self, value, num_thresholds=200, class_id=None, name=None, dtype=None):
        # Validation order as Keras: the value first, then num_thresholds.
        self.value = _check_value(value, self._value_name)
        self._init_value = value  # as given, for get_config
        self.num_thresholds = check_num_thresholds(num_thresholds, above=0)
        self.class_id = check_optional_int(class_id, "class_id", minimum=0)
        super().__init__(name, dtype)
        self.thresholds = operating_point_thresholds(self.num_thresholds)
        self._state = self._zero_state(self.num_thresholds)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the confusion matrix of one batch at every threshold.

        The batch is validated and counted completely before the state changes, so an invalid
        batch leaves the metric as it was.

        Args:
            y_true: Labels, 0/1 or False/True, same shape as ``y_pred`` (up to a trailing
                axis of length 1).
            y_pred: Predictions, probabilities in [0, 1].
            sample_weight: Optional weights: a scalar, an array broadcastable to ``y_true``,
                or an array aligned with its leading axes (such as one weight per row).

        Raises:
            TypeError: if an input is not an array of real numbers.
            ValueError: for non-binary labels, non-finite values, predictions outside [0, 1]
                or incompatible shapes.
        """
        batch = prepare_batch(y_true, y_pred, sample_weight, self.dtype, class_id=self.class_id)
        # Every prediction must be a probability, also in the columns `class_id` leaves out.
        check_unit_interval(
            cast_predictions(as_real_array(y_pred, "y_pred"), self.dtype), "y_pred", _RANGE_HINT
        )
        if self.num_thresholds == 1:
            positive = positive_by_comparison(batch.predictions, self.thresholds)
        else:
            positive = positive_by_bucket(batch.predictions, self.num_thresholds, False)
        self._add_counts(confusion_counts(batch.labels, positive, batch.weights))

    def _curves(self) -> tuple[np.ndarray, np.ndarray]:
        """The constraint and dependent curves, one value per threshold, in the metric dtype."""
        state = self._state_in_dtype()
        tp, fp, tn, fn = state["tp"], state["fp"], state["tn"], state["fn"]
        curves = {
            "sensitivity": divide_no_nan(tp, tp + fn),
            "recall": divide_no_nan(tp, tp + fn),
            "specificity": divide_no_nan(tn, tn + fp),
            "precision": divide_no_nan(tp, tp + fp),
        }
        return curves[self._constraint], curves[self._dependent]

    def _feasible(self, constraint: np.ndarray) -> np.ndarray:
        """Indices of the thresholds whose constraint value is >= the target (in the dtype)."""
        target = np.dtype(self.dtype).type(self.value)
        return np.flatnonzero(constraint >= target)

    def result(self):
        """Returns the best dependent value where the constraint holds, 0.0 if it never does.

        The float64 state is cast to the metric dtype before the curves are computed, and the
        target value is cast to the metric dtype before the comparison.

        Returns:
            A NumPy scalar of the metric dtype.
        """
        constraint, dependent = self._curves()
        feasible = self._feasible(constraint)
        if feasible.size == 0:
            return np.dtype(self.dtype).type(0.0)
        return dependent[feasible].max()

    def operating_point(self) -> tuple:
        """Returns ``(value, threshold)``: ``result()`` and a threshold at which it is reached.

        Among the thresholds where the constraint holds and the dependent value is the
        maximum, the one with the largest constraint value is chosen, then the lowest threshold
        index. When the constraint never holds, returns ``(0.0, nan)``.

        Returns:
            A pair of a NumPy scalar of the metric dtype and a Python float from
            ``thresholds``.
        """
        constraint, dependent = self._curves()
        feasible = self._feasible(constraint)
        if feasible.size == 0:
            return np.dtype(self.dtype).type(0.0), float("nan")
        best = dependent[feasible].max()
        candidates = feasible[dependent[feasible] == best]
        candidates = candidates[constraint[candidates] == constraint[candidates].max()]
        return best, self.thresholds[int(candidates[0])]

    def get_config(self) -> dict:
        return {
            **super().get_config(),
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_name: self._init_value,
        }


class SensitivityAtSpecificity(_OperatingPointMetric):
    """Computes the best sensitivity where specificity is >= a given value.

    Sensitivity is ``tp / (tp + fn)``, specificity ``tn / (tn + fp)``; both are computed at
    ``num_thresholds`` thresholds and the result is the largest sensitivity over the thresholds
    whose specificity is at least ``specificity`` (0.0 if there is none).

    Args:
        specificity: A number in [0, 1].
        num_thresholds: Integer > 0, default 200: the number of thresholds to try.
        class_id: Optional int, the class (column of the last axis) to consider.
        name: Metric name, default ``"sensitivity_at_specificity"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Attributes:
        thresholds: The thresholds, a list of Python floats.
        num_thresholds: Their number.

    Example:
        >>> m = SensitivityAtSpecificity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> print(m.result())
        0.5
        >>> m.reset_state()
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8],
        ...                sample_weight=[1, 1, 2, 2, 1])
        >>> print(m.result())
        0.33333334

        ``operating_point()`` also tells the threshold where the result is reached:

        >>> value, threshold = m.operating_point()
        >>> print(value, round(threshold, 4))
        0.33333334 0.3015
    """

    _default_name = "sensitivity_at_specificity"
    _value_name = "specificity"
    _constraint = "specificity"
    _dependent = "sensitivity"

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(specificity, num_thresholds, class_id, name, dtype)

    @property
    def specificity(self):
        """The target specificity, as given."""
        return self._init_value


class SpecificityAtSensitivity(_OperatingPointMetric):
    """Computes the best specificity where sensitivity is >= a given value.

    Sensitivity is ``tp / (tp + fn)``, specificity ``tn / (tn + fp)``; both are computed at
    ``num_thresholds`` thresholds and the result is the largest specificity over the thresholds
    whose sensitivity is at least ``sensitivity`` (0.0 if there is none).

    Args:
        sensitivity: A number in [0, 1].
        num_thresholds: Integer > 0, default 200: the number of thresholds to try.
        class_id: Optional int, the class (column of the last axis) to consider.
        name: Metric name, default ``"specificity_at_sensitivity"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Attributes:
        thresholds: The thresholds, a list of Python floats.
        num_thresholds: Their number.

    Example:
        >>> m = SpecificityAtSensitivity(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> print(m.result())
        0.6666667
        >>> m.reset_state()
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8],
        ...                sample_weight=[1, 1, 2, 2, 2])
        >>> print(m.result())
        0.5
    """

    _default_name = "specificity_at_sensitivity"
    _value_name = "sensitivity"
    _constraint = "sensitivity"
    _dependent = "specificity"

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)

    @property
    def sensitivity(self):
        """The target sensitivity, as given."""
        return self._init_value


class PrecisionAtRecall(_OperatingPointMetric):
    """Computes the best precision where recall is >= a given value.

    Precision is ``tp / (tp + fp)``, recall ``tp / (tp + fn)``; both are computed at
    ``num_thresholds`` thresholds and the result is the largest precision over the thresholds
    whose recall is at least ``recall`` (0.0 if there is none).

    Args:
        recall: A number in [0, 1].
        num_thresholds: Integer > 0, default 200: the number of thresholds to try.
        class_id: Optional int, the class (column of the last axis) to consider.
        name: Metric name, default ``"precision_at_recall"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Attributes:
        thresholds: The thresholds, a list of Python floats.
        num_thresholds: Their number.

    Example:
        >>> m = PrecisionAtRecall(0.5)
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
        >>> print(m.result())
        0.5
        >>> m.reset_state()
        >>> m.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8],
        ...                sample_weight=[2, 2, 2, 1, 1])
        >>> print(m.result())
        0.33333334

        With ``class_id`` only that column counts, but every prediction must be a probability:

        >>> m = PrecisionAtRecall(recall=1.0, num_thresholds=3, class_id=1)
        >>> m.update_state([[0, 1], [1, 0]], [[0.2, 0.9], [0.7, 0.6]])
        >>> print(m.result(), m.operating_point())
        0.5 (np.float32(0.5), 0.0)
        >>> m.update_state([[0, 1]], [[1.5, 0.9]])
        Traceback (most recent call last):
        ...
        ValueError: `y_pred` must be in [0, 1]. Received: 1.5 at index (0, 0). These metrics need probabilities: apply a sigmoid to logits first.
    """  # noqa: E501

    _default_name = "precision_at_recall"
    _value_name = "recall"
    _constraint = "recall"
    _dependent = "precision"

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(recall, num_thresholds, class_id, name, dtype)

    @property
    def recall(self):
        """The target recall, as given."""
        return self._init_value


class RecallAtPrecision(_OperatingPointMetric):
    """Computes the best recall where precision is >= a given value.

    Precision is ``tp / (tp + fp)``, recall ``tp / (tp + fn)``; both are computed at
    ``num_thresholds`` thresholds and the result is the largest recall over the thresholds
    whose precision is at least ``precision``. When no threshold reaches that precision the
    result is 0.0.

    Args:
        precision: A number in [0, 1].
        num_thresholds: Integer > 0, default 200: the number of thresholds to try.
        class_id: Optional int, the class (column of the last axis) to consider.
        name: Metric name, default ``"recall_at_precision"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Attributes:
        thresholds: The thresholds, a list of Python floats.
        num_thresholds: Their number.

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> print(m.result())
        0.5
        >>> m.reset_state()
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9],
        ...                sample_weight=[1, 0, 0, 1])
        >>> print(m.result())
        1.0
    """

    _default_name = "recall_at_precision"
    _value_name = "precision"
    _constraint = "precision"
    _dependent = "recall"

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(precision, num_thresholds, class_id, name, dtype)

    @property
    def precision(self):
        """The target precision, as given."""
        return self._init_value

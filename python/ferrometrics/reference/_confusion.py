"""Precision, Recall and the four confusion-matrix counts, in plain NumPy (docs/semantics.md §5).

All six classes share :class:`_ConfusionMetric` (a :class:`~._metric.ReferenceMetric`): parse
the thresholds, ``top_k`` and ``class_id``, validate an update completely (``_inputs``), count it
per threshold (``_thresholds``), and only then add the counts to the float64 state. The classes
differ only in which counts they keep and how ``result()`` combines them.
"""

from __future__ import annotations

import numpy as np

from ._inputs import NEG_INF, check_optional_int, prepare_batch
from ._metric import ReferenceMetric, divide_no_nan, variable
from ._thresholds import ThresholdSet, parse_thresholds

__all__ = [
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "Recall",
    "TrueNegatives",
    "TruePositives",
]


class _ConfusionMetric(ReferenceMetric):
    """What the six metrics share: thresholds, and counting through ``_thresholds``.

    Subclasses set ``_default_name``, ``_variables`` (pairs of Keras variable name and the count
    it accumulates: ``"tp"``, ``"fp"``, ``"tn"`` or ``"fn"``) and implement ``_combine``.
    """

    _merge_attributes = ("thresholds", "top_k", "class_id", "dtype")

    def __init__(self, thresholds=None, top_k=None, class_id=None, name=None, dtype=None):
        super().__init__(name, dtype)
        self.top_k = check_optional_int(top_k, "top_k", minimum=1)
        self.class_id = check_optional_int(class_id, "class_id", minimum=0)
        # With top_k the dropped predictions are -1e10, so the default threshold sits there too.
        default_threshold = 0.5 if self.top_k is None else NEG_INF
        self._threshold_set = ThresholdSet(parse_thresholds(thresholds, default_threshold))
        self._init_thresholds = list(thresholds) if isinstance(thresholds, list) else thresholds
        self._state = self._zero_state(len(self._threshold_set))

    @property
    def thresholds(self) -> list[float]:
        """The thresholds in use, as Python floats in the user's order."""
        return list(self._threshold_set.values)

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the confusion-matrix counts of one batch.

        The batch is validated and counted completely before the state changes, so an invalid
        batch leaves the metric as it was.

        Args:
            y_true: Labels, 0/1 or False/True, same shape as ``y_pred`` (up to a trailing
                axis of length 1).
            y_pred: Predictions, any finite real values.
            sample_weight: Optional weights: a scalar, an array broadcastable to ``y_true``,
                or an array aligned with its leading axes (such as one weight per row).

        Raises:
            TypeError: if an input is not an array of real numbers.
            ValueError: for non-binary labels, non-finite values or incompatible shapes.
        """
        batch = prepare_batch(
            y_true, y_pred, sample_weight, self.dtype, top_k=self.top_k, class_id=self.class_id
        )
        self._add_counts(self._threshold_set.count(batch))

    def result(self):
        """Returns the metric: a NumPy scalar for one threshold, else a 1-D array.

        The float64 state is cast to the metric dtype before the result is computed.
        """
        values = self._combine(*self._state_in_dtype().values())
        return values[0] if len(values) == 1 else values

    def _combine(self, *state: np.ndarray) -> np.ndarray:
        """The result per threshold from the state variables (in Keras order, metric dtype)."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return {**super().get_config(), "thresholds": self._init_thresholds}


class _PrecisionRecallBase(_ConfusionMetric):
    """Precision and Recall: thresholds plus ``top_k`` and ``class_id``."""

    def get_config(self) -> dict:
        return {**super().get_config(), "top_k": self.top_k, "class_id": self.class_id}


class Precision(_PrecisionRecallBase):
    """Computes the precision of the predictions with respect to the labels.

    ``precision = true_positives / (true_positives + false_positives)``, 0 when nothing is
    predicted positive. A prediction is positive at a threshold when it is strictly greater.

    With ``top_k``, only the k largest predictions of each row (the whole batch for 1-D input)
    can be positive. With ``class_id``, only that column of the last axis is considered.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; one result per threshold.
            Defaults to 0.5, or to -1e10 (every kept prediction) when ``top_k`` is set.
        top_k: Optional int >= 1, the number of top predictions to consider.
        class_id: Optional int, the class (column of the last axis) to compute precision for.
        name: Metric name, default ``"precision"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> print(m.result())
        0.6666667
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0

        With ``top_k=2`` only ``y_pred[:2]`` count as positive (ties go to the lowest index):

        >>> m = Precision(top_k=2)
        >>> m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
        >>> print(m.result())
        0.0
        >>> m = Precision(top_k=4)
        >>> m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
        >>> print(m.result())
        0.5

        Several thresholds give a vector, in the given order:

        >>> m = Precision(thresholds=[0.5, 0.0])
        >>> m.update_state([0, 1, 1, 1], [0.2, 0.4, 0.8, 0.6])
        >>> print(m.result())
        [1.   0.75]
        >>> print(m.true_positives, m.false_positives)
        [2. 3.] [0. 1.]
    """

    _default_name = "precision"
    _variables = (("true_positives", "tp"), ("false_positives", "fp"))
    true_positives = variable("true_positives")
    false_positives = variable("false_positives")

    def _combine(self, true_positives, false_positives):
        return divide_no_nan(true_positives, true_positives + false_positives)


class Recall(_PrecisionRecallBase):
    """Computes the recall of the predictions with respect to the labels.

    ``recall = true_positives / (true_positives + false_negatives)``, 0 when there is no
    positive label. A prediction is positive at a threshold when it is strictly greater.

    With ``top_k``, only the k largest predictions of each row (the whole batch for 1-D input)
    can be positive. With ``class_id``, only that column of the last axis is considered.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; one result per threshold.
            Defaults to 0.5, or to -1e10 (every kept prediction) when ``top_k`` is set.
        top_k: Optional int >= 1, the number of top predictions to consider.
        class_id: Optional int, the class (column of the last axis) to compute recall for.
        name: Metric name, default ``"recall"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> print(m.result())
        0.6666667
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0

        ``class_id`` picks one column; ``top_k`` keeps the largest predictions of each row:

        >>> m = Recall(top_k=1, class_id=1)
        >>> m.update_state([[0, 1], [0, 1]], [[0.3, 0.7], [0.6, 0.4]])
        >>> print(m.result())
        0.5
    """

    _default_name = "recall"
    _variables = (("true_positives", "tp"), ("false_negatives", "fn"))
    true_positives = variable("true_positives")
    false_negatives = variable("false_negatives")

    def _combine(self, true_positives, false_negatives):
        return divide_no_nan(true_positives, true_positives + false_negatives)


class _ConditionCount(_ConfusionMetric):
    """One weighted count per threshold, kept in the variable ``accumulator``."""

    accumulator = variable("accumulator")

    def __init__(self, thresholds=None, name=None, dtype=None):
        super().__init__(thresholds, name=name, dtype=dtype)

    def _combine(self, accumulator):
        return accumulator


class TruePositives(_ConditionCount):
    """Calculates the (weighted) number of true positives: label 1, prediction > threshold.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; default 0.5. One result
            per threshold.
        name: Metric name, default ``"true_positives"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = TruePositives()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> print(m.result())
        2.0
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
    """

    _default_name = "true_positives"
    _variables = (("accumulator", "tp"),)


class TrueNegatives(_ConditionCount):
    """Calculates the (weighted) number of true negatives: label 0, prediction <= threshold.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; default 0.5. One result
            per threshold.
        name: Metric name, default ``"true_negatives"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = TrueNegatives()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0])
        >>> print(m.result())
        2.0
        >>> m.reset_state()
        >>> m.update_state([0, 1, 0, 0], [1, 1, 0, 0], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
    """

    _default_name = "true_negatives"
    _variables = (("accumulator", "tn"),)


class FalsePositives(_ConditionCount):
    """Calculates the (weighted) number of false positives: label 0, prediction > threshold.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; default 0.5. One result
            per threshold.
        name: Metric name, default ``"false_positives"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = FalsePositives()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1])
        >>> print(m.result())
        2.0
        >>> m.reset_state()
        >>> m.update_state([0, 1, 0, 0], [0, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
    """

    _default_name = "false_positives"
    _variables = (("accumulator", "fp"),)


class FalseNegatives(_ConditionCount):
    """Calculates the (weighted) number of false negatives: label 1, prediction <= threshold.

    Args:
        thresholds: A float, or a list/tuple of floats in [0, 1]; default 0.5. One result
            per threshold.
        name: Metric name, default ``"false_negatives"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> print(m.result())
        2.0
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0

        Several thresholds give one count each:

        >>> m = FalseNegatives(thresholds=[0.0, 0.5, 1.0])
        >>> m.update_state([1, 1, 1, 0], [0.0, 0.5, 1.0, 1.0])
        >>> print(m.result())
        [1. 2. 3.]
    """

    _default_name = "false_negatives"
    _variables = (("accumulator", "fn"),)

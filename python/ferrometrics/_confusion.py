"""Precision, Recall and the four confusion counts, as in ``keras.metrics``."""

from __future__ import annotations

from typing import Any

from . import _core
from ._metric import Metric, optional_integer, threshold_list, variable


class _ConfusionCount(Metric):
    """A weighted confusion count at each threshold (Keras's ``_ConfusionMatrixConditionCount``)."""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None) -> None:
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self._core = _core.ConfusionMetric(
            self._kind(), threshold_list(thresholds), None, None, self._dtype
        )

    accumulator = variable("accumulator")

    @property
    def thresholds(self) -> list[float]:
        """The thresholds counted at, in the order given."""
        return self._core.thresholds

    def get_config(self) -> dict:
        return {"name": self.name, "dtype": self.dtype, "thresholds": self.init_thresholds}


class TruePositives(_ConfusionCount):
    """Weighted count of true positives (label 1, predicted positive).

    A prediction counts as positive at threshold ``t`` when ``y_pred > t``.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept). The result is a scalar for one threshold, else an array with
            one value per threshold. Default 0.5.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64, so
            counts stay exact beyond 2**24.

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


class TrueNegatives(_ConfusionCount):
    """Weighted count of true negatives (label 0, predicted negative).

    A prediction counts as positive at threshold ``t`` when ``y_pred > t``.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept). The result is a scalar for one threshold, else an array with
            one value per threshold. Default 0.5.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64, so
            counts stay exact beyond 2**24.

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


class FalsePositives(_ConfusionCount):
    """Weighted count of false positives (label 0, predicted positive).

    A prediction counts as positive at threshold ``t`` when ``y_pred > t``.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept). The result is a scalar for one threshold, else an array with
            one value per threshold. Default 0.5.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64, so
            counts stay exact beyond 2**24.

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


class FalseNegatives(_ConfusionCount):
    """Weighted count of false negatives (label 1, predicted negative).

    A prediction counts as positive at threshold ``t`` when ``y_pred > t``.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept). The result is a scalar for one threshold, else an array with
            one value per threshold. Default 0.5.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64, so
            counts stay exact beyond 2**24.

    Example:
        >>> m = FalseNegatives()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0])
        >>> print(m.result())
        2.0
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [0, 1, 0, 0], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
    """

    _default_name = "false_negatives"


class _PrecisionRecall(Metric):
    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name, dtype)
        self.init_thresholds = thresholds
        self.top_k = optional_integer("top_k", top_k)
        self.class_id = optional_integer("class_id", class_id)
        self._core = _core.ConfusionMetric(
            self._kind(), threshold_list(thresholds), self.top_k, self.class_id, self._dtype
        )

    true_positives = variable("true_positives")

    @property
    def thresholds(self) -> list[float]:
        """The thresholds counted at, in the order given (``[0.5]`` by default,
        ``[-1e10]`` with ``top_k`` and no thresholds)."""
        return self._core.thresholds

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "thresholds": self.init_thresholds,
            "top_k": self.top_k,
            "class_id": self.class_id,
        }


class Precision(_PrecisionRecall):
    """Precision: ``true_positives / (true_positives + false_positives)``, 0 when undefined.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept); a prediction is positive at ``t`` when ``y_pred > t``. The
            result is a scalar for one threshold, else one value per threshold.
            Default 0.5, or -1e10 with ``top_k`` (the top k count as positive).
        top_k: Per row (the last axis; a 1-D batch is one row), only the k
            largest predictions can be positive (ties: lowest index first).
        class_id: Only column ``class_id`` of rank-2+ inputs is counted.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64.

    Example:
        >>> m = Precision()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> print(m.result())
        0.6666667
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
        >>> m = Precision(top_k=2)
        >>> m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
        >>> print(m.result())
        0.0
        >>> m = Precision(top_k=4)
        >>> m.update_state([0, 0, 1, 1], [1, 1, 1, 1])
        >>> print(m.result())
        0.5
    """

    _default_name = "precision"
    false_positives = variable("false_positives")


class Recall(_PrecisionRecall):
    """Recall: ``true_positives / (true_positives + false_negatives)``, 0 when undefined.

    Args:
        thresholds: A float or a list of floats in [0, 1] (order and duplicates
            kept); a prediction is positive at ``t`` when ``y_pred > t``. The
            result is a scalar for one threshold, else one value per threshold.
            Default 0.5, or -1e10 with ``top_k`` (the top k count as positive).
        top_k: Per row (the last axis; a 1-D batch is one row), only the k
            largest predictions can be positive (ties: lowest index first).
        class_id: Only column ``class_id`` of rank-2+ inputs is counted.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and results returned in. The state is always float64.

    Example:
        >>> m = Recall()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1])
        >>> print(m.result())
        0.6666667
        >>> m.reset_state()
        >>> m.update_state([0, 1, 1, 1], [1, 0, 1, 1], sample_weight=[0, 0, 1, 0])
        >>> print(m.result())
        1.0
    """

    _default_name = "recall"
    false_negatives = variable("false_negatives")

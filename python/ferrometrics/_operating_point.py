"""The best value of one rate with a floor on another, as in ``keras.metrics``:
SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision."""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

from . import _core
from ._metric import Metric, integer, optional_integer, variable


def _target(name: str, value: Any) -> float:
    """The constraint's floor as a float; the core checks its range."""
    if not isinstance(value, (numbers.Real, bool)):
        raise TypeError(f"Argument `{name}` must be a number in [0, 1]. Received: {name}={value!r}")
    if not 0 <= value <= 1:
        # The core refuses it too; here the message shows the value as given, as Keras's does.
        raise ValueError(f"Argument `{name}` must be in the range [0, 1]. Received: {name}={value}")
    return float(value)


class _OperatingPointMetric(Metric):
    """Shared by the four classes: thresholds, counting, result and operating point."""

    _value_name: ClassVar[str]

    def __init__(
        self,
        value: Any,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name, dtype)
        self._core = _core.OperatingPointMetric(
            self._kind(),
            _target(self._value_name, value),
            integer("num_thresholds", num_thresholds, "an integer > 0"),
            optional_integer("class_id", class_id),
            self._dtype,
        )
        self.value = value
        self.num_thresholds = int(num_thresholds)
        self.class_id = class_id

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    true_negatives = variable("true_negatives")
    false_negatives = variable("false_negatives")

    @property
    def thresholds(self) -> list[float]:
        """The thresholds searched: ``[0.5]`` for one, else ``[0, 1/(T-1), ..., 1]``."""
        return self._core.thresholds

    def result(self) -> Any:
        """The best dependent rate where the constraint holds (0.0 if nowhere)."""
        return self._core.operating_point()[0]

    def operating_point(self) -> tuple[Any, float]:
        """The result and the threshold where it is reached.

        Among thresholds giving the best value, the one with the highest
        constrained rate is reported (then the lowest threshold).

        Returns:
            ``(value, threshold)``: ``value`` equals ``result()``; ``threshold`` is
            NaN when no threshold meets the constraint.
        """
        value, threshold = self._core.operating_point()
        return value, float("nan") if threshold is None else threshold

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "class_id": self.class_id,
            "num_thresholds": self.num_thresholds,
            self._value_name: self.value,
        }


class SensitivityAtSpecificity(_OperatingPointMetric):
    """Best sensitivity (recall) at a specificity of at least ``specificity``.

    Predictions must be probabilities in [0, 1]. Rates are computed at
    ``num_thresholds`` evenly spaced thresholds (a prediction is positive when
    ``y_pred > t``); ``operating_point()`` also tells at which threshold.

    Args:
        specificity: The floor on the specificity (true-negative rate), in [0, 1].
        num_thresholds: Number of thresholds (> 0); one threshold is 0.5.
        class_id: Optional column of ``(N, C)`` inputs to evaluate.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Raises:
        ValueError: for an argument out of range (Keras's messages).

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
    """

    _default_name = "sensitivity_at_specificity"
    _value_name = "specificity"

    def __init__(
        self,
        specificity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(specificity, num_thresholds, class_id, name, dtype)
        self.specificity = specificity


class SpecificityAtSensitivity(_OperatingPointMetric):
    """Best specificity at a sensitivity (recall) of at least ``sensitivity``.

    Predictions must be probabilities in [0, 1]. Rates are computed at
    ``num_thresholds`` evenly spaced thresholds (a prediction is positive when
    ``y_pred > t``); ``operating_point()`` also tells at which threshold.

    Args:
        sensitivity: The floor on the sensitivity (recall), in [0, 1].
        num_thresholds: Number of thresholds (> 0); one threshold is 0.5.
        class_id: Optional column of ``(N, C)`` inputs to evaluate.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Raises:
        ValueError: for an argument out of range (Keras's messages).

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

    def __init__(
        self,
        sensitivity: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(sensitivity, num_thresholds, class_id, name, dtype)
        self.sensitivity = sensitivity


class PrecisionAtRecall(_OperatingPointMetric):
    """Best precision at a recall of at least ``recall``.

    Predictions must be probabilities in [0, 1]. Rates are computed at
    ``num_thresholds`` evenly spaced thresholds (a prediction is positive when
    ``y_pred > t``); ``operating_point()`` also tells at which threshold.

    Args:
        recall: The floor on the recall, in [0, 1].
        num_thresholds: Number of thresholds (> 0); one threshold is 0.5.
        class_id: Optional column of ``(N, C)`` inputs to evaluate.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Raises:
        ValueError: for an argument out of range (Keras's messages).

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
    """

    _default_name = "precision_at_recall"
    _value_name = "recall"

    def __init__(
        self,
        recall: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(recall, num_thresholds, class_id, name, dtype)
        self.recall = recall


class RecallAtPrecision(_OperatingPointMetric):
    """Best recall at a precision of at least ``precision``.

    Predictions must be probabilities in [0, 1]. Rates are computed at
    ``num_thresholds`` evenly spaced thresholds (a prediction is positive when
    ``y_pred > t``); ``operating_point()`` also tells at which threshold.

    Args:
        precision: The floor on the precision, in [0, 1].
        num_thresholds: Number of thresholds (> 0); one threshold is 0.5.
        class_id: Optional column of ``(N, C)`` inputs to evaluate.
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Raises:
        ValueError: for an argument out of range (Keras's messages).

    Example:
        >>> m = RecallAtPrecision(0.8)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> print(m.result())
        0.5
        >>> value, threshold = m.operating_point()
        >>> print(value, 0.5 <= threshold < 0.9)
        0.5 True
        >>> m.reset_state()
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
        >>> print(m.result())
        1.0
    """

    _default_name = "recall_at_precision"
    _value_name = "precision"

    def __init__(
        self,
        precision: float,
        num_thresholds: int = 200,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(precision, num_thresholds, class_id, name, dtype)
        self.precision = precision

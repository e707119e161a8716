"""F1Score and FBetaScore, as in ``keras.metrics``."""

from __future__ import annotations

from typing import Any

from . import _core
from ._metric import Metric, variable

_AVERAGES = ("micro", "macro", "weighted")


class FBetaScore(Metric):
    """F-beta score of multi-class or multi-label predictions (``keras.metrics.FBetaScore``).

    Inputs are ``(N, C)``: one column per class. A prediction is positive when it
    is above ``threshold``, or, with ``threshold=None``, when it is its row's
    maximum (ties: all of them; never when it is 0). Per class,
    ``F = (1 + beta^2) * P * R / (beta^2 * P + R)`` (with Keras's 1e-7 in each
    denominator), then averaged.

    Args:
        average: ``None`` (one score per class), ``"micro"`` (counts pooled over
            classes), ``"macro"`` (mean of the class scores) or ``"weighted"``
            (mean weighted by each class's number of positives).
        beta: Weight of recall relative to precision, a float > 0.
        threshold: A float with ``0 < threshold <= 1``, or None (row maximum).
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Raises:
        ValueError: for an invalid argument (Keras's messages).

    Example:
        >>> import numpy as np
        >>> metric = FBetaScore(beta=2.0, threshold=0.5)
        >>> y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
        >>> y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
        >>> metric.update_state(y_true, y_pred)
        >>> print(metric.result())
        [0.3846154  0.90909094 0.8333332 ]
    """

    _default_name = "fbeta_score"

    def __init__(
        self,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        name: str | None = "fbeta_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(name, dtype)
        # Keras checks `average`, then `beta` (a float, then > 0), then `threshold` (a float,
        # then in (0, 1]); the first failure is reported. The core checks the values, but the
        # Python types only can be checked here: so are the values Keras checks before a type
        # (`average`, `beta > 0`), for Keras's message on any combination of bad arguments.
        if average is not None and (not isinstance(average, str) or average not in _AVERAGES):
            raise ValueError(
                "Invalid `average` argument value. Expected one of: {None, 'micro', 'macro', "
                f"'weighted'}}. Received: average={average}"
            )
        if not isinstance(beta, float):
            raise ValueError(
                "Invalid `beta` argument value. It should be a Python float. "
                f"Received: beta={beta} of type '{type(beta)}'"
            )
        if beta <= 0.0:
            raise ValueError(
                f"Invalid `beta` argument value. It should be > 0. Received: beta={beta}"
            )
        if threshold is not None and not isinstance(threshold, float):
            raise ValueError(
                "Invalid `threshold` argument value. It should be a Python float. "
                f"Received: threshold={threshold} of type '{type(threshold)}'"
            )
        self._core = _core.FBetaMetric(average, beta, threshold, self._dtype)
        self.average = average
        self.beta = beta
        self.threshold = threshold

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    false_negatives = variable("false_negatives")
    intermediate_weights = variable("intermediate_weights")

    @property
    def num_classes(self) -> int | None:
        """The class count fixed by the first update (None before)."""
        return self._core.num_classes

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "average": self.average,
            "beta": self.beta,
            "threshold": self.threshold,
        }


class F1Score(FBetaScore):
    """F1 score (``keras.metrics.F1Score``): the F-beta score with ``beta=1``.

    Args:
        average: ``None``, ``"micro"``, ``"macro"`` or ``"weighted"`` (see
            :class:`FBetaScore`).
        threshold: A float with ``0 < threshold <= 1``, or None (row maximum).
        name: Metric name.
        dtype: ``"float32"`` (default) or ``"float64"``.

    Example:
        >>> import numpy as np
        >>> metric = F1Score(threshold=0.5)
        >>> y_true = np.array([[1, 1, 1], [1, 0, 0], [1, 1, 0]], np.int32)
        >>> y_pred = np.array([[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]], np.float32)
        >>> metric.update_state(y_true, y_pred)
        >>> print(metric.result())
        [0.49999997 0.79999995 0.66666657]
    """

    _default_name = "f1_score"

    def __init__(
        self,
        average: str | None = None,
        threshold: float | None = None,
        name: str | None = "f1_score",
        dtype: Any = None,
    ) -> None:
        super().__init__(average=average, beta=1.0, threshold=threshold, name=name, dtype=dtype)

    def get_config(self) -> dict:
        config = super().get_config()
        del config["beta"]
        return config

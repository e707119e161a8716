"""Keras's confusion-matrix metrics, counted by ferrometrics' Rust core.

Each class is Keras's own class (constructor, argument checks and messages, ``get_config``,
attributes, variables and result formulas) with ``update_state`` and ``reset_state`` replaced:
a batch is counted on the host by a ``ferrometrics._core`` counter that keeps the exact float64
state, and the Keras variables are then set to that state in the metric dtype. So the variables
never stop counting at 2**24 the way float32 accumulators do, and every result Keras computes
from them (precision, AUC, ...) is the result of the exact state. The four counts, read eagerly,
return the exact float64 count itself.

Inputs are taken as Keras takes them: a label is positive when it is not 0, and predictions
outside [0, 1] are clipped on the evenly-spaced path and compared as given otherwise. NaN or
infinite values are refused (Keras's result for them depends on the backend).
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

import keras
import numpy as np

from .. import _core
from . import _host

__all__ = [
    "AUC",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "PrecisionAtRecall",
    "Recall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "TrueNegatives",
    "TruePositives",
]

_register = keras.saving.register_keras_serializable(package="ferrometrics")


def _counter_dtype(metric: keras.metrics.Metric) -> str:
    """The dtype the counter compares and computes in (float16/bfloat16 metrics: float32)."""
    return "float64" if metric.dtype == "float64" else "float32"


class _HostCounted:
    """What the thirteen classes share: counting on the host, variables set from the counter.

    A subclass sets ``self._counter`` (a ``ferrometrics._core`` metric) after Keras's
    ``__init__``, and may override ``_build_for`` (variables sized by the first batch) and
    ``_labels`` (how labels reach the counter).
    """

    _counter: Any
    variables: list

    def _start_counting(self, counter: Any) -> None:
        self._counter = counter
        self._counter_lock = threading.RLock()

    def _build_for(self, y_true: Any, y_pred: Any) -> None:
        """Creates variables sized by the first batch, as Keras's ``update_state`` does."""
        return None

    def _labels(self, y_true: np.ndarray) -> np.ndarray:
        """Keras's rule: a label is positive when it is not 0."""
        return y_true != 0

    @_host.plain_python
    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        self._build_for(y_true, y_pred)
        if _host.symbolic():
            return
        variables = self.variables
        specs = [(tuple(v.shape), keras.backend.standardize_dtype(v.dtype)) for v in variables]
        eager = _host.eager_outside_stateless_scope()
        with self._counter_lock if eager else contextlib.nullcontext():
            counted = _host.call(self._count_on_host, (y_true, y_pred, sample_weight), specs)
            for variable, value in zip(variables, counted):
                variable.assign(value)

    def _count_on_host(self, y_true: Any, y_pred: Any, sample_weight: Any) -> list[np.ndarray]:
        """Counts one batch (NumPy arrays) and returns the whole state, Keras's variables."""
        with self._counter_lock:
            self._counter.update(self._labels(np.asarray(y_true)), y_pred, sample_weight)
            return [values for _, values in self._counter.variables()]

    def reset_state(self) -> None:
        keras.metrics.Metric.reset_state(self)
        if not _host.symbolic():
            self._counter.reset()

    def _exact(self) -> list[np.ndarray] | None:
        """The counter's float64 state when the variables hold it (in the metric dtype), else
        None: variables assigned by other means, or values passed through a stateless scope,
        are results in their own right."""
        if not _host.eager_outside_stateless_scope():
            return None
        _host.wait_for_callbacks()
        exact = [values for _, values in self._counter.variables()]
        mirrors = [_host.to_numpy(v.value) for v in self.variables]
        if len(exact) != len(mirrors):
            return None
        for values, mirror in zip(exact, mirrors):
            if values.shape != mirror.shape:
                return None
            if not np.array_equal(values.astype(mirror.dtype), mirror):
                return None
        return exact


class _Count(_HostCounted):
    """The four counts: read eagerly, the exact float64 count."""

    def result(self) -> Any:
        exact = self._exact()
        if exact is None:
            return super().result()
        counts = exact[0]
        return counts[0] if len(self.thresholds) == 1 else counts


def _confusion_counter(metric: Any, kind: str) -> Any:
    given = metric.init_thresholds is not None  # else Keras's default: 0.5, or -1e10 with top_k
    return _core.ConfusionMetric(
        kind,
        [float(t) for t in metric.thresholds] if given else None,
        getattr(metric, "top_k", None),
        getattr(metric, "class_id", None),
        _counter_dtype(metric),
    )


@_register
class TruePositives(_Count, keras.metrics.TruePositives):
    """``keras.metrics.TruePositives``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)
        self._start_counting(_confusion_counter(self, "TruePositives"))


@_register
class TrueNegatives(_Count, keras.metrics.TrueNegatives):
    """``keras.metrics.TrueNegatives``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)
        self._start_counting(_confusion_counter(self, "TrueNegatives"))


@_register
class FalsePositives(_Count, keras.metrics.FalsePositives):
    """``keras.metrics.FalsePositives``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)
        self._start_counting(_confusion_counter(self, "FalsePositives"))


@_register
class FalseNegatives(_Count, keras.metrics.FalseNegatives):
    """``keras.metrics.FalseNegatives``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, thresholds: Any = None, name: str | None = None, dtype: Any = None):
        super().__init__(thresholds=thresholds, name=name, dtype=dtype)
        self._start_counting(_confusion_counter(self, "FalseNegatives"))


@_register
class Precision(_HostCounted, keras.metrics.Precision):
    """``keras.metrics.Precision``, counted exactly by ferrometrics' Rust core."""

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(
            thresholds=thresholds, top_k=top_k, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_confusion_counter(self, "Precision"))


@_register
class Recall(_HostCounted, keras.metrics.Recall):
    """``keras.metrics.Recall``, counted exactly by ferrometrics' Rust core."""

    def __init__(
        self,
        thresholds: Any = None,
        top_k: int | None = None,
        class_id: int | None = None,
        name: str | None = None,
        dtype: Any = None,
    ):
        super().__init__(
            thresholds=thresholds, top_k=top_k, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_confusion_counter(self, "Recall"))


def _operating_point_counter(metric: Any, kind: str) -> Any:
    return _core.OperatingPointMetric(
        kind,
        float(metric.value),
        int(metric.num_thresholds),
        metric.class_id,
        _counter_dtype(metric),
        check_range=False,
    )


@_register
class SensitivityAtSpecificity(_HostCounted, keras.metrics.SensitivityAtSpecificity):
    """``keras.metrics.SensitivityAtSpecificity``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, specificity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            specificity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_operating_point_counter(self, "SensitivityAtSpecificity"))


@_register
class SpecificityAtSensitivity(_HostCounted, keras.metrics.SpecificityAtSensitivity):
    """``keras.metrics.SpecificityAtSensitivity``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, sensitivity, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            sensitivity, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_operating_point_counter(self, "SpecificityAtSensitivity"))


@_register
class PrecisionAtRecall(_HostCounted, keras.metrics.PrecisionAtRecall):
    """``keras.metrics.PrecisionAtRecall``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, recall, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            recall, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_operating_point_counter(self, "PrecisionAtRecall"))


@_register
class RecallAtPrecision(_HostCounted, keras.metrics.RecallAtPrecision):
    """``keras.metrics.RecallAtPrecision``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, precision, num_thresholds=200, class_id=None, name=None, dtype=None):
        super().__init__(
            precision, num_thresholds=num_thresholds, class_id=class_id, name=name, dtype=dtype
        )
        self._start_counting(_operating_point_counter(self, "RecallAtPrecision"))


@_register
class AUC(_HostCounted, keras.metrics.AUC):
    """``keras.metrics.AUC``, counted exactly by ferrometrics' Rust core."""

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        super().__init__(
            num_thresholds=num_thresholds,
            curve=curve,
            summation_method=summation_method,
            name=name,
            dtype=dtype,
            thresholds=thresholds,
            multi_label=multi_label,
            num_labels=num_labels,
            label_weights=label_weights,
            from_logits=from_logits,
        )
        weights = self.label_weights
        self._start_counting(
            _core.AucMetric(
                0 if self._init_from_thresholds else int(self.num_thresholds),
                self.curve.value,
                self.summation_method.value,
                [float(t) for t in self.thresholds[1:-1]] if self._init_from_thresholds else None,
                bool(self.multi_label),
                self.num_labels,
                None if weights is None else _host.to_numpy(weights).tolist(),
                bool(self._from_logits),
                _counter_dtype(self),
                check_range=False,
            )
        )

    def _build_for(self, y_true: Any, y_pred: Any) -> None:
        if not self._built:
            self._build(_shape(y_pred))

    def get_config(self) -> dict:
        # Keras stores `label_weights` as a tensor, which a saved model cannot load back;
        # a list of floats loads (and is JSON).
        config = super().get_config()
        if config.get("label_weights") is not None:
            weights = _host.to_numpy(config["label_weights"])
            config["label_weights"] = np.asarray(weights, dtype=np.float64).tolist()
        return config


@_register
class FBetaScore(_HostCounted, keras.metrics.FBetaScore):
    """``keras.metrics.FBetaScore``, counted exactly by ferrometrics' Rust core.

    Labels must be 0 or 1 (Keras multiplies by them; the counter counts).
    """

    def __init__(self, average=None, beta=1.0, threshold=None, name="fbeta_score", dtype=None):
        super().__init__(average=average, beta=beta, threshold=threshold, name=name, dtype=dtype)
        self._start_counting(
            _core.FBetaMetric(self.average, self.beta, self.threshold, _counter_dtype(self))
        )

    def _build_for(self, y_true: Any, y_pred: Any) -> None:
        if not self._built:
            self._build(_shape(y_true), _shape(y_pred))

    def _labels(self, y_true: np.ndarray) -> np.ndarray:
        return y_true


@_register
class F1Score(FBetaScore, keras.metrics.F1Score):
    """``keras.metrics.F1Score``, counted exactly by ferrometrics' Rust core."""

    def __init__(self, average=None, threshold=None, name="f1_score", dtype=None):
        keras.metrics.F1Score.__init__(
            self, average=average, threshold=threshold, name=name, dtype=dtype
        )
        self._start_counting(
            _core.FBetaMetric(self.average, self.beta, self.threshold, _counter_dtype(self))
        )


def _shape(x: Any) -> tuple:
    """The shape of a tensor, array or nested list (a symbolic dimension stays None)."""
    return tuple(x.shape) if hasattr(x, "shape") else np.shape(x)

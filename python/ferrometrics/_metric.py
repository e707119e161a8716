"""What every ferrometrics metric shares: the Keras metric protocol around a core object.

A metric is a thin Python object holding a ``ferrometrics._core`` object, which
owns the configuration and the float64 state behind a lock. This module turns
Python arguments into the core's (dtype names, threshold lists) and adds the
Keras conveniences (``__call__``, ``get_config``/``from_config``, pickling,
``merge_state``). Keras's rules themselves live in the Rust core.
"""

from __future__ import annotations

import numbers
from typing import Any, ClassVar

import numpy as np


def dtype_name(dtype: Any) -> str | None:
    """The name of ``dtype`` ("float32", ...) for the core, which validates it."""
    if dtype is None or isinstance(dtype, str):
        return dtype
    try:
        return np.dtype(dtype).name
    except TypeError:
        return repr(dtype)


def threshold_list(thresholds: Any) -> list[float] | None:
    """``thresholds`` (None, a number or a sequence of numbers) as a list of floats."""
    if thresholds is None:
        return None
    if isinstance(thresholds, (numbers.Real, np.number)):  # bools too, as Keras takes them
        return [float(thresholds)]
    if isinstance(thresholds, (str, bytes)) or not hasattr(thresholds, "__iter__"):
        raise TypeError(
            "Argument `thresholds` must be a float or a list of floats. "
            f"Received: thresholds={thresholds!r}"
        )
    values = list(thresholds)
    if any(t is None for t in values):
        invalid = [t for t in values if t is None or not 0 <= t <= 1]
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    try:
        return [float(t) for t in values]
    except (TypeError, ValueError):
        raise TypeError(
            "Argument `thresholds` must be a float or a list of floats. "
            f"Received: thresholds={thresholds!r}"
        ) from None


def variable(name: str) -> property:
    """A read-only attribute for the metric variable ``name`` (a float64 array)."""

    def get(self: Metric) -> np.ndarray:
        values = dict(self._core.variables())
        if name not in values:
            # As in Keras: a variable sized by the data exists after the first update.
            raise AttributeError(f"`{name}` does not exist before the first update")
        return values[name]

    return property(get, doc=f"The ``{name}`` variable (float64 array).")


def _restore(cls: type[Metric], config: dict, state: Any) -> Metric:
    """Unpickles a metric: rebuild it from its config, then load its state."""
    metric = cls.from_config(config)
    metric._load_state(state)
    return metric


def flat_lists(variables: list) -> list[list[float]]:
    """Variables as flat lists of floats, the form the core loads."""
    return [np.asarray(v, dtype=np.float64).ravel().tolist() for v in variables]


class Metric:
    """Base of every ferrometrics metric: Keras's stateful-metric protocol.

    Subclasses set ``_core`` in ``__init__`` and define ``get_config``.
    """

    _default_name: ClassVar[str]
    _core: Any

    def __init__(self, name: str | None, dtype: Any) -> None:
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string. Received: name={name!r}")
        self.name = self._default_name if name is None else name
        self._dtype = dtype_name(dtype)

    @property
    def dtype(self) -> str:
        """The metric dtype, ``"float32"`` or ``"float64"``."""
        return self._dtype or "float32"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Accumulates one batch. All or nothing: a bad batch raises and leaves the state as it was.

        Args:
            y_true: Labels: 0/1 or False/True, any array-like.
            y_pred: Predictions, any real array-like of the same shape (a trailing
                dimension of 1 on either side is dropped).
            sample_weight: None, a scalar, or an array broadcastable to ``y_true``
                (a lower-rank array aligns with the leading axes).

        Raises:
            ValueError: bad values (labels other than 0/1, NaN/inf) or shapes.
            TypeError: arguments that are not arrays of real numbers.
        """
        self._core.update(y_true, y_pred, sample_weight)

    def result(self) -> Any:
        """The metric's value from all batches so far, in the metric dtype."""
        return self._core.result()

    def reset_state(self) -> None:
        """Clears the accumulated state."""
        self._core.reset()

    def __call__(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> Any:
        """Updates with one batch, then returns the cumulative result."""
        self.update_state(y_true, y_pred, sample_weight)
        return self.result()

    @property
    def variables(self) -> list[np.ndarray]:
        """The state as float64 arrays, in Keras's order (copies)."""
        return [values for _, values in self._core.variables()]

    def merge_state(self, metrics: Any) -> None:
        """Adds the state of other metrics of the same class and configuration.

        Args:
            metrics: A metric or an iterable of metrics (states computed
                elsewhere, e.g. on other machines and unpickled here).

        Raises:
            ValueError: a metric of another class or configuration; nothing is merged.
        """
        metrics = [metrics] if isinstance(metrics, Metric) else list(metrics)
        for other in metrics:
            if type(other) is not type(self):
                raise ValueError(
                    f"Cannot merge a {type(other).__name__} into a {type(self).__name__}: "
                    "metrics must be of the same class and configuration"
                )
        self._core.merge([other._core for other in metrics])

    def get_config(self) -> dict:
        """The constructor arguments, with Keras's keys."""
        raise NotImplementedError

    @classmethod
    def from_config(cls, config: dict) -> Metric:
        """A new metric built from ``get_config()``'s output."""
        return cls(**config)

    def _saved_state(self) -> Any:
        """What pickling stores besides the config (loaded by ``_load_state``)."""
        return self.variables

    def _load_state(self, state: Any) -> None:
        self._core.load(flat_lists(state))

    def __reduce__(self) -> tuple:
        return (_restore, (type(self), self.get_config(), self._saved_state()))

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

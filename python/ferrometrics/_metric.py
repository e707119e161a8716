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

_INT64_MAX = 2**63 - 1


def dtype_name(dtype: Any) -> str | None:
    """The name of ``dtype`` ("float32", ...) for the core, which validates it."""
    if dtype is None or isinstance(dtype, str):
        return dtype
    if isinstance(dtype, np.dtype) or dtype in (np.float32, np.float64):
        return np.dtype(dtype).name
    return repr(dtype)  # refused by the core with the value shown


def integer(name: str, value: Any, requirement: str = "an integer") -> int:
    """An integer argument for the core; bools, non-integers and values beyond int64 refused.

    A refused number is shown as Keras shows it (``str``: ``0.5`` for ``np.float64(0.5)``),
    anything else by its ``repr``.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        shown = value if isinstance(value, numbers.Number) else repr(value)
        raise ValueError(f"Argument `{name}` must be {requirement}. Received: {name}={shown}")
    if int(value) > _INT64_MAX:
        raise ValueError(f"Argument `{name}` is too large. Received: {name}={value}")
    if int(value) < -_INT64_MAX:
        raise ValueError(f"Argument `{name}` must be {requirement}. Received: {name}={value}")
    return int(value)


def optional_integer(name: str, value: Any, requirement: str = "an integer") -> int | None:
    return None if value is None else integer(name, value, requirement)


def threshold_list(thresholds: Any) -> list[float] | None:
    """``thresholds`` (None, a number, or a list/tuple/1-D array of numbers) as floats."""
    if thresholds is None:
        return None
    if isinstance(thresholds, (list, tuple)):
        values = list(thresholds)
    elif isinstance(thresholds, np.ndarray) and thresholds.ndim <= 1:
        values = thresholds.reshape(-1).tolist()
    else:
        values = [thresholds]  # one number; anything else is refused below
    try:
        floats = np.asarray(values) if values else np.zeros(0)
    except (ValueError, TypeError, OverflowError):  # ragged, or not numbers at all
        floats = np.zeros(0, dtype=object)
    if floats.dtype.kind not in "biuf" or floats.ndim != 1:  # find the odd one out
        for value in values:
            if value is not None and not isinstance(value, (numbers.Real, np.bool_)):
                raise TypeError(
                    "Argument `thresholds` must be a float or a list of floats. "
                    f"Received: thresholds={thresholds!r}"
                )
        try:
            floats = np.array([np.nan if t is None else t for t in values], dtype=np.float64)
        except OverflowError:  # an int beyond float64: out of range, said below
            floats = np.array([np.inf])
    floats = floats.astype(np.float64)
    if not ((floats >= 0) & (floats <= 1)).all():  # NaN and None fail too
        invalid = [t for t in values if t is None or not 0 <= t <= 1]
        raise ValueError(f"Threshold values must be in [0, 1]. Received: {invalid}")
    return floats.tolist()


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
    """Unpickles a metric: rebuild it from its config, then load its saved state.

    The core checks the state: a format newer than this version reads, or
    variables of the wrong number, shapes or values (NaN, inf), are refused.
    """
    metric = cls.from_config(config)
    metric._core.load(*_saved_parts(state))
    return metric


def _saved_parts(state: Any) -> tuple[Any, Any, Any]:
    """``(format, width, variables)`` of a saved state, in any format written so far.

    Format 1 is ``{"format": 1, "width": ..., "variables": [...]}``. Format 0
    (ferrometrics 0.1.0) wrote no number: the variables, or for the F-scores
    ``{"classes": ..., "variables": [...]}``.
    """
    if isinstance(state, dict) and "format" in state:
        return state["format"], state.get("width"), state.get("variables")
    if isinstance(state, dict):
        return 0, state.get("classes"), state.get("variables")
    return 0, None, state


def _qualified(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


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
        single = isinstance(metrics, Metric) or hasattr(metrics, "update_state")
        metrics = [metrics] if single else list(metrics)
        for other in metrics:
            if type(other) is not type(self):
                raise ValueError(
                    f"Cannot merge a {_qualified(type(other))} into a {_qualified(type(self))}: "
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

    @classmethod
    def _kind(cls) -> str:
        """The ferrometrics class this one is or derives from: the core's metric kind."""
        return next(c.__name__ for c in cls.__mro__ if c.__module__.startswith("ferrometrics."))

    def __reduce__(self) -> tuple:
        # Rebuilt from config and state; attributes a user set on the instance come along.
        attributes = {k: v for k, v in self.__dict__.items() if k != "_core"}
        return (_restore, (type(self), self.get_config(), self._core.saved()), attributes)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items())
        return f"{type(self).__name__}({args})"

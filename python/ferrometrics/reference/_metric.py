"""What every metric class of the reference does the same way (docs/semantics.md §1).

The four families (``_confusion``, ``_auc``, ``_operating_point`` and ``_fscore``) derive from
:class:`ReferenceMetric`, which holds the part of Keras's metric protocol that they all follow
alike: the ``name`` and ``dtype`` arguments, the float64 state and its read-only views,
``reset_state``, ``__call__``, ``merge_state``, ``get_config`` and ``from_config``. Each family
keeps only what is its own: its constructor's rules, how an update is counted and how the
result is computed. Pickling and copying are Python's defaults (everything is in the instance
dict).

It also holds two things several families share: ``CONFUSION_MATRIX_VARIABLES``, the variables
of AUC and the operating-point metrics, and :func:`divide_no_nan`, used by the result formulas of
three families.
"""

from __future__ import annotations

import enum

import numpy as np

from ._inputs import parse_dtype

__all__ = [
    "CONFUSION_MATRIX_VARIABLES",
    "ReferenceMetric",
    "divide_no_nan",
    "variable",
]

# Keras's variables for the full confusion matrix (AUC and the operating-point metrics), in
# Keras's order, with the count each one accumulates.
CONFUSION_MATRIX_VARIABLES = (
    ("true_positives", "tp"),
    ("false_positives", "fp"),
    ("true_negatives", "tn"),
    ("false_negatives", "fn"),
)


def _shown(value) -> str:
    """``value`` for a message: its repr, an enum member's by its value (``'PR'``)."""
    return repr(value.value if isinstance(value, enum.Enum) else value)


def divide_no_nan(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Returns ``numerator / denominator``, with 0 wherever the denominator is 0."""
    quotient = np.zeros_like(numerator)
    np.divide(numerator, denominator, out=quotient, where=denominator != 0)
    return quotient


def variable(name: str) -> property:
    """A read-only attribute giving a copy of the state variable ``name``.

    Callers get a copy, so they cannot change the state. A metric whose state is created by its
    first update (its shape depends on the data) has no variables before it, as in Keras:
    reading one then raises ``AttributeError``.
    """

    def get(self: ReferenceMetric) -> np.ndarray:
        if self._state is None:
            raise AttributeError(f"`{name}` does not exist yet: {self._unbuilt_reason}")
        return self._state[name].copy()

    return property(get, doc=f"The `{name}` variable (a float64 copy).")


def _qualified_name(cls: type) -> str:
    """The class's module and name, such as ``ferrometrics.reference._auc.AUC``."""
    return f"{cls.__module__}.{cls.__qualname__}"


class ReferenceMetric:
    """The base of every metric class: what all families do the same way.

    The state is ``self._state``: a dict from Keras variable name to float64 array, in Keras's
    order; the same shape for every variable. It is None while it does not exist yet: a
    multi-label AUC without ``num_labels`` and the F-scores create it at the first update,
    because its shape depends on the data. Every change replaces arrays rather than writing
    into them, so an update or merge that raises leaves the state as it was.

    A family sets these class attributes:

    - ``_default_name``: the metric name when ``name`` is None;
    - ``_variables``: pairs of Keras variable name and the key of the count it accumulates
      (such as ``("true_positives", "tp")``), in Keras's order;
    - ``_merge_attributes``: the attributes that must be equal to merge two metrics (a leading
      underscore is dropped in the error message);
    - ``_unbuilt_reason``: only where the state can be None, why a variable does not exist yet;

    and, where the first update fixes a size (labels or classes), overrides
    :meth:`_data_size` and :meth:`_data_size_mismatch` (and :meth:`_set_data_size` where that
    size is kept beside the state).

    Args:
        name: The metric name, a string; None gives ``_default_name``.
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype of comparisons and results.

    Raises:
        TypeError: if ``name`` is not a string.
        ValueError: for any other dtype.
    """

    _default_name: str
    _variables: tuple[tuple[str, str], ...]
    _merge_attributes: tuple[str, ...]
    _unbuilt_reason: str
    _state: dict[str, np.ndarray] | None

    def __init__(self, name, dtype):
        if name is not None and not isinstance(name, str):
            raise TypeError(f"Argument `name` must be a string. Received: name={name!r}")
        self.name = self._default_name if name is None else name
        self.dtype = parse_dtype(dtype)

    # -- State ------------------------------------------------------------------------------

    @property
    def variables(self) -> list[np.ndarray]:
        """Copies of the float64 state variables, in Keras order; empty while there is no
        state yet."""
        if self._state is None:
            return []
        return [value.copy() for value in self._state.values()]

    def reset_state(self) -> None:
        """Sets every state variable to zeros of the same shape.

        A state that does not exist yet stays so; one that exists keeps the label or class
        count fixed by earlier updates (as in Keras, whose variables keep their shape).
        """
        if self._state is not None:
            self._state = {name: np.zeros_like(value) for name, value in self._state.items()}

    def _zero_state(self, shape) -> dict[str, np.ndarray]:
        """A state of zeros, every variable of the given shape."""
        return {name: np.zeros(shape, dtype=np.float64) for name, _ in self._variables}

    def _add_counts(self, counts: dict) -> None:
        """Adds one batch's float64 counts (keyed as in ``_variables``) to the state.

        A state that does not exist yet is first created as zeros of the counts' shape.
        """
        old = self._state
        if old is None:
            first_count = counts[self._variables[0][1]]
            old = self._zero_state(first_count.shape)
        # np.asarray keeps the sums of 0-d counts (F-scores with average="micro") as arrays.
        self._state = {
            name: np.asarray(old[name] + counts[count]) for name, count in self._variables
        }

    def _state_in_dtype(self) -> dict[str, np.ndarray]:
        """The state cast to the metric dtype, keyed by count (``"tp"``, ...), as results use it."""
        return {count: self._state[name].astype(self.dtype) for name, count in self._variables}

    # -- The Keras protocol ----------------------------------------------------------------

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Validates and counts one batch, then adds it to the state (each family's own)."""
        raise NotImplementedError

    def result(self):
        """Returns the metric from the state (each family's own formulas)."""
        raise NotImplementedError

    def __call__(self, y_true, y_pred, sample_weight=None):
        """Updates the state with one batch, then returns the cumulative ``result()``."""
        self.update_state(y_true, y_pred, sample_weight=sample_weight)
        return self.result()

    def merge_state(self, metrics) -> None:
        """Adds the state of other metrics of the same class and configuration to this one.

        Every metric is checked before anything is added, so an incompatible one leaves this
        metric as it was. A metric without a state yet adds nothing; where the first update
        fixes a label or class count, the metrics that have one must agree on it, and a metric
        without a state adopts it.

        Args:
            metrics: One metric, or an iterable of metrics. Any object with an
                ``update_state`` method counts as one metric, so that one of another class
                (or of the fast package) is refused by name rather than iterated over.

        Raises:
            ValueError: if any metric is of another class, has another configuration (an
                attribute in ``_merge_attributes``) or another label or class count; then
                nothing is merged.
        """
        others = [metrics] if hasattr(metrics, "update_state") else list(metrics)
        size = self._data_size()
        for other in others:
            self._check_mergeable(other)
            other_size = other._data_size()
            if other_size is None:
                continue
            if size is not None and other_size != size:
                raise ValueError(self._data_size_mismatch(size, other_size))
            size = other_size

        states = [metric._state for metric in [self, *others] if metric._state is not None]
        if not states:  # no metric has a state yet: nothing to add
            return
        merged = {name: value.copy() for name, value in states[0].items()}
        for state in states[1:]:
            for name in merged:
                merged[name] += state[name]
        self._state = merged
        self._set_data_size(size)

    def _check_mergeable(self, other) -> None:
        if type(other) is not type(self):
            raise ValueError(
                f"Cannot merge a {_qualified_name(type(other))} into a "
                f"{_qualified_name(type(self))}: metrics must be of the same class and "
                "configuration"
            )
        for attribute in self._merge_attributes:
            mine, theirs = getattr(self, attribute), getattr(other, attribute)
            if mine != theirs:
                raise ValueError(
                    f"Cannot merge {type(self).__name__} metrics with different "
                    f"`{attribute.lstrip('_')}`: {_shown(mine)} and {_shown(theirs)}"
                )

    def _data_size(self) -> int | None:
        """The label or class count the first update fixed, if the family has one, else None."""
        return None

    def _set_data_size(self, size: int | None) -> None:
        """Records the label or class count a merge settled on (nothing to do by default)."""

    def _data_size_mismatch(self, mine: int, theirs: int) -> str:
        """The message refusing to merge metrics of different label or class counts."""
        raise NotImplementedError

    def get_config(self) -> dict:
        """Returns the constructor arguments (Keras 3 keys), so that ``from_config`` rebuilds."""
        return {"name": self.name, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config: dict):
        """Returns ``cls(**config)``."""
        return cls(**config)

"""``Sliced`` (docs/semantics.md §15), plainly: per group, the rows whose key equals it.

Keys are found row by row in Python and each group's rows are selected with a boolean
mask; each group's metric is a copy of the wrapped one updated with those rows alone.
"""

from __future__ import annotations

import copy
import math

import numpy as np


def _key(value):
    """A group value as a plain Python key (NumPy scalars unwrapped, NaN/None as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def _keys(groups):
    if isinstance(groups, tuple):
        columns = [_keys(g) for g in groups]
        if len({len(c) for c in columns}) != 1:
            raise ValueError("the arrays of a cross of `groups` must have one length")
        return list(zip(*columns))
    if hasattr(groups, "to_pylist"):  # pyarrow
        return [_key(v) for v in groups.to_pylist()]
    values = list(groups.tolist() if hasattr(groups, "tolist") else groups)
    return [_key(v) for v in values]


class Sliced:
    """One copy of ``metric`` per group value, each updated with its group's rows.

    Args:
        metric: The metric to compute per group (its configuration; its state is not used).

    Example:
        >>> from ferrometrics.reference import AUC
        >>> sliced = Sliced(AUC())
        >>> sliced.update_state([0, 1, 0, 1], [0.2, 0.8, 0.6, 0.4], groups=["a", "a", "b", "b"])
        >>> {k: float(v) for k, v in sliced.result().items()}
        {'a': 1.0, 'b': 0.0}
    """

    def __init__(self, metric) -> None:
        self._template = copy.deepcopy(metric)
        self._template.reset_state()
        self._metrics = {}

    def update_state(self, y_true, y_pred, sample_weight=None, groups=None) -> None:
        if groups is None:
            raise TypeError("Sliced.update_state needs `groups`")
        keys = _keys(groups)
        y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
        if y_true.ndim == 0 or len(y_true) != len(keys) or len(y_pred) != len(keys):
            raise ValueError("`groups` must have one value per row of `y_true` and `y_pred`")
        weights = None if sample_weight is None else np.asarray(sample_weight)
        per_row = weights is not None and weights.ndim > 0 and len(weights) == len(keys) != 1
        counted = {}
        for key in dict.fromkeys(keys):
            mask = np.array([k == key and type(k) is type(key) for k in keys], dtype=bool)
            part = copy.deepcopy(self._template)
            part.update_state(y_true[mask], y_pred[mask], weights[mask] if per_row else weights)
            counted[key] = part
        for key, part in counted.items():  # every group counted: now change the state
            self._metrics.setdefault(key, copy.deepcopy(self._template)).merge_state(part)

    def result(self):
        return {key: metric.result() for key, metric in self._metrics.items()}

    def reset_state(self) -> None:
        self._metrics = {}

    def merge_state(self, others) -> None:
        others = [others] if isinstance(others, Sliced) else list(others)
        for other in others:
            for key, metric in other._metrics.items():
                self._metrics.setdefault(key, copy.deepcopy(self._template)).merge_state(metric)

    def __getitem__(self, key):
        return self._metrics[key]

    def __len__(self) -> int:
        return len(self._metrics)

    def __iter__(self):
        return iter(list(self._metrics))

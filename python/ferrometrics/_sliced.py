"""``Sliced``: one metric per group of rows (per country, device, model version...).

Each batch's group values are coded into per-row ids once (``_groups.py``); the
ferrometrics metrics then count every group in one pass in Rust
(``_core.update_groups``), and any other metric with ``update_state`` and
``merge_state`` (such as ``ExactAUC``) is updated group by group from NumPy row
selections. See docs/semantics.md §15.
"""

from __future__ import annotations

import copy
import functools
import importlib
import threading
from collections.abc import Iterator
from typing import Any, Callable

import numpy as np

from . import _core
from ._groups import _python, encode
from ._metric import Metric


class Sliced:
    """A metric computed separately for every group of rows, in one pass.

    Evaluation rarely stops at one number: the same metric per country, per device,
    per model version, or per value of a protected attribute shows where a model
    does worse. ``Sliced(metric)`` keeps one copy of ``metric`` per group value; each
    copy equals ``metric`` updated with that group's rows alone. Groups appear as
    their values are seen, in the order they are first seen (values first seen in
    the same batch: ascending for numbers and bools, order of appearance otherwise).

    ``groups`` is one value per row: an array of ints, strings, bools or floats, a
    pandas Series or Categorical, a pyarrow (dictionary) array; or a tuple of such
    arrays for *crossed* groups, whose keys are tuples (``("FR", "mobile")``). Keys
    are plain Python values; a missing value (None, NaN, null) is the key ``None``.

    Every ferrometrics metric is counted for all groups in one parallel pass in
    Rust (the rows are partitioned by group once per batch); other metrics with
    ``update_state``/``merge_state``/``reset_state`` and pickling are updated group
    by group.

    Args:
        metric: The metric to compute per group, e.g. ``AUC()`` (its configuration
            is used; its state is not).

    Example:
        >>> import numpy as np, ferrometrics as fm
        >>> sliced = fm.Sliced(fm.AUC())
        >>> sliced.update_state(
        ...     [0, 1, 0, 1, 0, 1], [0.2, 0.8, 0.6, 0.4, 0.1, 0.9],
        ...     groups=["FR", "FR", "DE", "DE", "FR", "DE"])
        >>> {k: round(float(v), 3) for k, v in sliced.result().items()}
        {'FR': 1.0, 'DE': 0.5}
        >>> sliced["DE"].curve_points().tp[100], len(sliced)  # each group is an ordinary AUC
        (np.float64(1.0), 2)
    """

    def __init__(self, metric: Any) -> None:
        if isinstance(metric, type):
            raise TypeError(
                f"Sliced takes a metric object, not a class: pass {metric.__name__}(), "
                f"not {metric.__name__}"
            )
        for method in ("update_state", "result", "reset_state", "merge_state"):
            if not callable(getattr(metric, method, None)):
                raise TypeError(
                    f"Sliced needs a metric with `{method}`. Received: {type(metric).__name__}"
                )
        self._template = copy.deepcopy(metric)
        self._template.reset_state()  # keeps a built label or class count
        self._metrics: dict[Any, Any] = {}
        self._lock = threading.Lock()
        self._spawn = _spawner(self._template)

    @property
    def metric(self) -> Any:
        """The metric every group gets a copy of (without state)."""
        return self._template

    def update_state(
        self, y_true: Any, y_pred: Any, sample_weight: Any = None, groups: Any = None
    ) -> None:
        """Accumulates one batch, each row into the metric of its group.

        All or nothing: a bad batch (a bad label or prediction in any group, ``groups``
        of another length) raises the metric's own error and leaves every group as it
        was, and adds no group.

        Args:
            y_true, y_pred, sample_weight: As the metric's ``update_state`` takes them;
                rows are along the first axis.
            groups: One group value per row (an array, Series, Categorical, pyarrow
                array), or a tuple of such arrays for crossed groups.

        Raises:
            ValueError: bad values or shapes, ``groups`` that do not have one value per row.
            TypeError: a missing ``groups``, or arguments that are not arrays.
        """
        if groups is None:
            raise TypeError("Sliced.update_state needs `groups`: one group value per row")
        with self._lock:
            if _one_pass(self._template):
                self._update_one_pass(y_true, y_pred, sample_weight, groups)
                return
            ids, keys = encode(groups)
            metrics = [self._metrics.get(key) for key in keys]
            fresh = [self._spawn() if m is None else m for m in metrics]
            _update_each(fresh, ids, y_true, y_pred, sample_weight, self._spawn)
            for key, metric in zip(keys, fresh):
                self._metrics.setdefault(key, metric)

    def _update_one_pass(self, y_true: Any, y_pred: Any, sample_weight: Any, groups: Any) -> None:
        """The core counts every group in one pass; new groups join only if it succeeds."""
        ids, key_of = _group_ids(groups)
        created: dict[Any, Any] = {}

        def make(values: list[int]) -> list:
            cores = []
            for value in values:  # a loop over distinct groups, not rows
                key = key_of(value)
                metric = self._metrics.get(key, created.get(key))
                if metric is None:  # two ids with one key (None) share one metric
                    metric = created[key] = self._spawn()
                cores.append(metric._core)
            return cores

        _core.update_groups(self._template._core, ids, make, y_true, y_pred, sample_weight)
        self._metrics.update(created)

    def result(self) -> dict[Any, Any]:
        """``{group: that group's result}``, groups in the order first seen."""
        return {key: metric.result() for key, metric in self.items()}

    def reset_state(self) -> None:
        """Forgets every group (the configuration stays)."""
        with self._lock:
            self._metrics = {}

    def merge_state(self, others: Any) -> None:
        """Adds other sliced metrics: groups of either side, metrics of equal groups merged.

        All or nothing: if any group's metric refuses the merge (another metric class or
        configuration), a ``ValueError`` is raised and nothing changes.

        Args:
            others: A ``Sliced`` or an iterable of them.
        """
        others = [others] if isinstance(others, Sliced) else list(others)
        for other in others:
            if not isinstance(other, Sliced):
                raise ValueError(
                    f"Cannot merge a {type(other).__name__} into a Sliced: merge Sliced metrics"
                )
            self._spawn().merge_state(copy.deepcopy(other._template))  # class and config
        parts: dict[Any, list] = {}
        for other in others:
            for key, metric in other.items():
                parts.setdefault(key, []).append(metric)
        with self._lock:
            targets = {key: self._metrics.get(key) for key in parts}
            targets = {k: self._spawn() if m is None else m for k, m in targets.items()}
            # Tried on copies first, so that a refusal in any group changes nothing.
            for key, metric in targets.items():
                copy.deepcopy(metric).merge_state(parts[key])
            for key, metric in targets.items():
                metric.merge_state(parts[key])
                self._metrics.setdefault(key, metric)

    def __getitem__(self, key: Any) -> Any:
        """The metric of group ``key`` (an ordinary metric object)."""
        return self._metrics[key]

    def __contains__(self, key: Any) -> bool:
        return key in self._metrics

    def __len__(self) -> int:
        return len(self._metrics)

    def __iter__(self) -> Iterator[Any]:
        return iter(list(self._metrics))

    def keys(self) -> list:
        """The groups seen, in the order first seen."""
        return list(self._metrics)

    def items(self) -> list[tuple[Any, Any]]:
        """``(group, metric)`` pairs."""
        return list(self._metrics.items())

    def values(self) -> list:
        return list(self._metrics.values())

    def get_config(self) -> dict:
        """``{"metric": {"module", "class_name", "config"}}``: the wrapped metric's config."""
        cls = type(self._template)
        return {
            "metric": {
                "module": cls.__module__,
                "class_name": cls.__qualname__,
                "config": self._template.get_config(),
            }
        }

    @classmethod
    def from_config(cls, config: dict) -> Sliced:
        """A new, empty ``Sliced`` from ``get_config()``'s output."""
        spec = config["metric"]
        metric_cls: Any = importlib.import_module(spec["module"])
        for part in spec["class_name"].split("."):
            metric_cls = getattr(metric_cls, part)
        return cls(metric_cls.from_config(spec["config"]))

    def __getstate__(self) -> dict:
        return {"template": self._template, "groups": self.items()}

    def __setstate__(self, state: dict) -> None:
        self._template = state["template"]
        self._metrics = dict(state["groups"])
        self._lock = threading.Lock()
        self._spawn = _spawner(self._template)

    def __repr__(self) -> str:
        return f"Sliced({self._template!r}, groups={len(self)})"


def _spawner(template: Any) -> Callable[[], Any]:
    """A maker of new, empty metrics like ``template`` (configuration and built size).

    A ferrometrics metric is rebuilt from its config (much faster than a deep copy, which
    matters with thousands of groups) when that gives the same empty state; attributes a
    user set on the template come along. Anything else is deep-copied.
    """
    deep = functools.partial(copy.deepcopy, template)
    if not isinstance(template, Metric):
        return deep
    cls, config = type(template), template.get_config()
    try:
        probe = cls.from_config(config)
    except Exception:  # noqa: BLE001 - a subclass with other constructor arguments
        return deep
    if _one_pass(template) and _blank(probe) != _blank(template):
        return deep  # a label or class count the config does not carry
    extras = {k: v for k, v in template.__dict__.items() if k not in probe.__dict__}
    if not extras:
        return functools.partial(cls.from_config, config)

    def spawn() -> Any:
        metric = cls.from_config(config)
        metric.__dict__.update(copy.deepcopy(extras))
        return metric

    return spawn


def _blank(metric: Metric) -> tuple:
    saved = metric._core.saved()
    return saved["width"], [np.shape(v) for v in saved["variables"]]


def _one_pass(template: Any) -> bool:
    """Whether the core counts every group in one pass: a ferrometrics metric."""
    return isinstance(getattr(template, "_core", None), _core.Metric)


def _group_ids(groups: Any) -> tuple[np.ndarray, Callable[[int], Any]]:
    """int64 ids per row and the key of an id: integers pass as they are (the core finds
    their range), bools as 0/1; anything else is coded by ``encode``."""
    categorical = _categorical_codes(groups)
    if categorical is not None:
        return categorical
    array = groups if isinstance(groups, (np.ndarray, list)) else None
    if array is None and _is_numpy_backed(groups):
        array = groups.to_numpy()
    if array is not None:
        array = np.asarray(array)
        if array.ndim == 1 and array.dtype.kind in "iu" and array.dtype != np.uint64:
            return np.ascontiguousarray(array, dtype=np.int64), int
        if array.ndim == 1 and array.dtype.kind == "b":
            return array.astype(np.int64), bool
        if array.ndim == 1 and array.dtype.kind not in "OUSf":
            groups = array
    ids, keys = encode(groups)
    return ids, keys.__getitem__


def _categorical_codes(groups: Any) -> tuple[np.ndarray, Callable[[int], Any]] | None:
    """A pandas categorical's codes as ids (the core finds those present), or None."""
    values = getattr(groups, "cat", groups) if _is_pandas(groups) else None
    codes, categories = getattr(values, "codes", None), getattr(values, "categories", None)
    if codes is None or categories is None:
        return None
    names = [_python(c) for c in categories.tolist()]
    return np.asarray(codes, dtype=np.int64), lambda code: None if code < 0 else names[code]


def _is_pandas(groups: Any) -> bool:
    return type(groups).__module__.startswith("pandas")


def _is_numpy_backed(groups: Any) -> bool:
    """A pandas Series of a plain NumPy integer or bool dtype."""
    dtype = getattr(groups, "dtype", None)
    return (
        type(groups).__module__.startswith("pandas")
        and isinstance(dtype, np.dtype)
        and dtype.kind in "iub"
        and hasattr(groups, "to_numpy")
    )


def _update_each(
    metrics: list, ids: np.ndarray, y_true: Any, y_pred: Any, sample_weight: Any, spawn: Any
) -> None:
    """Any metric: each group's rows into a fresh metric, merged in once all are counted."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    rows = len(ids)
    if y_true.ndim == 0 or y_pred.ndim == 0 or rows != y_true.shape[0] or rows != y_pred.shape[0]:
        raise ValueError(
            "`groups` must have one value per row of `y_true` and `y_pred`. Received: "
            f"{rows} group values for y_true.shape={y_true.shape}, y_pred.shape={y_pred.shape}"
        )
    weights = None if sample_weight is None else np.asarray(sample_weight)
    per_row = weights is not None and weights.ndim > 0 and weights.shape[0] == rows != 1
    order = np.argsort(ids, kind="stable")
    bounds = np.concatenate(([0], np.cumsum(np.bincount(ids, minlength=len(metrics)))))
    counted = []
    for g in range(len(metrics)):
        picked = order[bounds[g] : bounds[g + 1]]
        part = spawn()
        w = weights[picked] if per_row else weights
        part.update_state(y_true[picked], y_pred[picked], w)
        counted.append(part)
    for metric, part in zip(metrics, counted):
        metric.merge_state(part)

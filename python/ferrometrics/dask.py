"""Evaluate metrics over Dask collections: count each partition, merge the states.

Confusion counts at fixed thresholds add exactly, so a metric over data spread across
workers is: a fresh copy of the metric per partition, ``merge_state`` up a tree, one
result. The answer is the same as one update over all the data (exactly so for integer
weights; float weights differ only in the order of additions).

Needs the ``dask`` extra: ``pip install "ferrometrics[dask]"``.
"""

from __future__ import annotations

import copy
import numbers
from collections.abc import Sequence
from typing import Any, TypeVar, overload

import numpy as np

from ._metric import Metric
from ._sliced import Sliced

try:
    import dask
    import dask.array as da
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError('ferrometrics.dask needs Dask: pip install "ferrometrics[dask]"') from error

__all__ = ["evaluate"]

M = TypeVar("M", bound="Metric | Sliced")
ArrayLike = Any

#: Partial states merged per task of the reduction tree.
SPLIT_EVERY = 8


@overload
def evaluate(
    metrics: M, y_true: ArrayLike, y_pred: ArrayLike, sample_weight: Any = None, groups: Any = None
) -> M: ...


@overload
def evaluate(
    metrics: Sequence[M],
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: Any = None,
    groups: Any = None,
) -> list[M]: ...


def evaluate(
    metrics: M | Sequence[M],
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: Any = None,
    groups: Any = None,
) -> M | list[M]:
    """Updates metrics with Dask arrays (or series), partition by partition.

    Every partition updates a fresh copy of each metric (one task, one pass over the data
    for all of them; columns of one dataframe are read together); the partial states are
    merged up a tree of ``merge_state`` calls on the workers; the metrics passed in then
    receive the combined state, added to whatever state they already hold. Runs on the
    scheduler Dask would use for ``compute()``: the local threads by default, or a
    ``distributed`` cluster when a client is active.

    Args:
        metrics: One ferrometrics metric or a sequence of them.
        y_true: Labels: a Dask array, Dask series, or anything ``numpy.asarray`` takes.
        y_pred: Predictions, paired with ``y_true`` by position. 2-D arrays (multi-label,
            F-scores) are split along rows only; blocks of unknown length are paired one
            to one when the inputs have as many, their lengths computed otherwise.
        sample_weight: None, a number (or 0-d array), one row that broadcasts, or an
            array with the same rows as ``y_true``.
        groups: For sliced metrics (``Sliced``, which ``metrics`` must then all be): one
            group value per row, as a Dask array or series (or anything ``numpy.asarray``
            takes), or a tuple of them for crossed groups. Split and paired like ``y_true``.

    Returns:
        The metric passed in (or the list of them), now holding the data's state.

    Raises:
        ValueError: rows that do not line up, or a bad value in any partition (the
            metric's own message, prefixed with the partition); the metrics passed in
            are then left unchanged.
        TypeError: something that is not a ferrometrics metric; with ``groups``, a metric
            that is not a ``Sliced``.

    Example:
        >>> import dask.array as da, numpy as np, ferrometrics as fm
        >>> from ferrometrics.dask import evaluate
        >>> y = da.from_array(np.array([0, 0, 1, 1] * 250), chunks=100)
        >>> p = da.from_array(np.array([0.1, 0.6, 0.4, 0.9] * 250), chunks=100)
        >>> auc, precision = evaluate([fm.AUC(), fm.Precision()], y, p)
        >>> float(auc.result()), float(precision.result())
        (0.75, 0.5)
    """
    single = isinstance(metrics, (Metric, Sliced))
    targets = _targets(metrics, sliced=groups is not None)
    if not targets:
        return []
    templates = [_fresh(metric) for metric in targets]
    group_inputs = [] if groups is None else list(groups) if isinstance(groups, tuple) else [groups]
    partials = _partials(
        templates, y_true, y_pred, _weight(sample_weight), group_inputs, isinstance(groups, tuple)
    )
    if not partials:
        return metrics if single else targets  # type: ignore[return-value]
    while len(partials) > 1:
        partials = [
            dask.delayed(_merge)(partials[i : i + SPLIT_EVERY])
            for i in range(0, len(partials), SPLIT_EVERY)
        ]
    (combined,) = dask.compute(partials[0])
    # All or nothing: every merge is tried on a copy before the caller's metrics change.
    for metric, state in zip(targets, combined):
        copy.deepcopy(metric).merge_state(state)
    for metric, state in zip(targets, combined):
        metric.merge_state(state)
    return metrics if single else targets  # type: ignore[return-value]


def _targets(metrics: Any, sliced: bool) -> list:
    if isinstance(metrics, type) and issubclass(metrics, (Metric, Sliced)):
        raise TypeError(
            f"evaluate takes metric objects, not classes: pass {metrics.__name__}(), "
            f"not {metrics.__name__}"
        )
    targets = [metrics] if isinstance(metrics, (Metric, Sliced)) else list(metrics)
    for metric in targets:
        if sliced and not isinstance(metric, Sliced):
            raise TypeError(
                "with `groups`, evaluate takes Sliced metrics (ferrometrics.Sliced(metric)). "
                f"Received: {type(metric).__name__}"
            )
        if not sliced and not isinstance(metric, Metric):
            raise TypeError(
                f"evaluate takes ferrometrics metrics. Received: {type(metric).__name__}"
                + (" (pass `groups` for a Sliced metric)" if isinstance(metric, Sliced) else "")
            )
    return targets


def _fresh(metric: Any) -> Any:
    """An empty metric of the same configuration and built shape (label or class count)."""
    empty = copy.deepcopy(metric)
    empty.reset_state()  # keeps a multi-label AUC's labels and an F-score's classes
    return empty


def _weight(sample_weight: Any) -> Any:
    """A 0-d Dask weight is a scalar: computed once, passed to every partition."""
    if isinstance(sample_weight, da.Array) and sample_weight.ndim == 0:
        return sample_weight.compute()
    return sample_weight


def _partials(
    templates: list, y_true: Any, y_pred: Any, weights: Any, groups: list, cross: bool
) -> list:
    """One delayed list of counted metrics per partition."""
    weighted = not _whole(weights)
    inputs = [("y_true", y_true), ("y_pred", y_pred)]
    if weighted:
        inputs.append(("sample_weight", weights))
    group_names = [f"groups[{i}]" if cross else "groups" for i in range(len(groups))]
    inputs += list(zip(group_names, groups))
    collections = [value for _, value in inputs if _is_dask(value)]
    if not collections:
        collections = [da.asarray(np.asarray(y_pred))]
        inputs[1] = ("y_pred", collections[0])
    # Columns of Dask dataframes: one map_partitions reads them together, once.
    if len(collections) == len(inputs) and all(_is_frame(c) for c in collections):
        if len({c.npartitions for c in collections}) == 1:
            frames = [v for _, v in inputs]
            return _frame_partials(templates, frames, weights, weighted, cross)
    return _array_partials(templates, inputs, weights, weighted, group_names, cross)


def _frame_partials(
    templates: list, frames: list, weights: Any, weighted: bool, cross: bool
) -> list:
    import pandas as pd

    def count(*blocks: Any, partition_info: Any = None) -> Any:
        number = partition_info["number"] if partition_info else None
        parts = list(blocks) if weighted else [*blocks[:2], weights, *blocks[2:]]
        counted = _count_partition(templates, number, None, *parts, cross=cross)
        return pd.Series([counted], dtype=object)

    import dask.dataframe as dd

    counted = dd.map_partitions(
        count, *frames, meta=pd.Series([], dtype=object), align_dataframes=False
    )
    return [dask.delayed(_first)(block) for block in counted.to_delayed()]


def _first(series: Any) -> Any:
    return series.iloc[0]


def _array_partials(
    templates: list, inputs: list, weights: Any, weighted: bool, group_names: list, cross: bool
) -> list:
    arrays = {name: _as_dask_array(value) for name, value in inputs if _is_dask(value)}
    arrays = {name: _rows_only(array, name) for name, array in arrays.items()}
    first = arrays.get("y_pred", next(iter(arrays.values())))
    blocks = {len(array.chunks[0]) for array in arrays.values()}
    # Blocks of unknown length pair up one to one when every input is a Dask array split
    # into as many blocks (each task checks the rows); anything else needs the lengths.
    pair_blocks = len(arrays) == len(inputs) and len(blocks) == 1 and _unknown(arrays)
    if not pair_blocks:
        arrays = {name: _known(array) for name, array in arrays.items()}
        first = arrays.get("y_pred", next(iter(arrays.values())))
        for name, value in inputs:
            if name not in arrays:
                arrays[name] = _split(value, name, first)
        arrays = {name: _aligned(array, first, name) for name, array in arrays.items()}
    rows = first.chunks[0]
    offsets = None if _unknown(arrays) else np.cumsum((0, *rows[:-1])).tolist()
    label_blocks, pred_blocks = _row_blocks(arrays["y_true"]), _row_blocks(arrays["y_pred"])
    weight_blocks = _row_blocks(arrays["sample_weight"]) if weighted else [weights] * len(rows)
    group_blocks = [_row_blocks(arrays[name]) for name in group_names]
    return [
        dask.delayed(_count_partition)(
            templates, number, None if offsets is None else offsets[number], *blocks, cross=cross
        )
        for number, blocks in enumerate(
            zip(label_blocks, pred_blocks, weight_blocks, *group_blocks)
        )
    ]


def _count_partition(
    templates: list,
    number: Any,
    offset: Any,
    y_true: Any,
    y_pred: Any,
    weights: Any,
    *groups: Any,
    cross: bool = False,
) -> list:
    where = "" if number is None else f"partition {number}"
    if offset is not None:
        where += f" (rows from {offset})"
    named = _blocks(y_true, y_pred, weights)
    named += [(f"groups[{i}]" if cross else "groups", g) for i, g in enumerate(groups)]
    rows = {name: len(block) for name, block in named}
    if len(set(rows.values())) > 1:
        raise ValueError(
            f"{where}: rows do not line up: "
            + ", ".join(f"{name} has {count}" for name, count in rows.items())
            + "; `y_true`, `y_pred`, `sample_weight` and `groups` must have the same number "
            "of rows"
        )
    by = {} if not groups else {"groups": tuple(groups) if cross else groups[0]}
    # Fresh metrics per task: on the threaded scheduler the templates are shared objects.
    metrics = [copy.deepcopy(template) for template in templates]
    for metric in metrics:
        try:
            metric.update_state(y_true, y_pred, weights, **by)
        except ValueError as error:
            raise ValueError(f"{where}: {error}" if where else str(error)) from None
    return metrics


def _blocks(y_true: Any, y_pred: Any, weights: Any) -> list:
    named = [("y_true", y_true), ("y_pred", y_pred)]
    if not _whole(weights):
        named.append(("sample_weight", weights))
    return named


def _merge(parts: list[list]) -> list:
    first, rest = parts[0], parts[1:]
    for index, metric in enumerate(first):
        metric.merge_state([other[index] for other in rest])
    return first


def _is_scalar(value: Any) -> bool:
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


def _whole(weights: Any) -> bool:
    """Weights every partition takes whole: none, a scalar, or one row that broadcasts."""
    if weights is None or _is_scalar(weights):
        return True
    return not _is_dask(weights) and np.shape(weights)[:1] == (1,)


def _is_frame(value: Any) -> bool:
    return hasattr(value, "to_dask_array") and hasattr(value, "npartitions")


def _is_dask(value: Any) -> bool:
    return isinstance(value, da.Array) or _is_frame(value)


def _as_dask_array(value: Any) -> Any:
    if isinstance(value, da.Array):
        return value
    # Optimise first: Dask may fuse partitions of a column projection, and the array must
    # be built from the graph that runs.
    return value.optimize().to_dask_array()


def _unknown(arrays: dict) -> bool:
    return any(np.isnan(array.shape[0]) for array in arrays.values())


def _known(array: Any) -> Any:
    """``array`` with its row lengths computed when Dask does not know them."""
    return array.compute_chunk_sizes() if np.isnan(array.shape[0]) else array


def _split(value: Any, name: str, like: Any) -> Any:
    """A NumPy input split into the row blocks of ``like``."""
    array = np.asarray(value)
    if array.ndim == 0:
        _zero_d(name, array)
    if array.shape[0] == like.shape[0]:
        return da.from_array(array, chunks=(like.chunks[0],) + array.shape[1:])
    return da.from_array(array)  # refused by _aligned with both shapes


def _zero_d(name: str, array: Any) -> Any:
    raise ValueError(f"`{name}` must have at least one dimension. Received: {array!r}")


def _rows_only(array: Any, name: str) -> Any:
    """One chunk across every axis but the first."""
    if array.ndim == 0:
        _zero_d(name, array)
    if array.ndim > 1 and any(len(c) > 1 for c in array.chunks[1:]):
        array = array.rechunk({axis: -1 for axis in range(1, array.ndim)})
    return array


def _aligned(array: Any, preds: Any, name: str) -> Any:
    """``array`` with the row chunks of the predictions."""
    if array.shape[0] != preds.shape[0]:
        raise ValueError(
            f"`{name}` and `y_pred` must have the same number of rows. Received: "
            f"{name}.shape={array.shape}, y_pred.shape={preds.shape}"
        )
    if array.chunks[0] != preds.chunks[0]:
        array = array.rechunk({0: preds.chunks[0]})
    return array


def _row_blocks(array: Any) -> list:
    return list(array.to_delayed().reshape(-1))

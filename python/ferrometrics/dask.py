"""Evaluate metrics over Dask collections: count each partition, merge the states.

Confusion counts at fixed thresholds add exactly, so a metric over data spread across
workers is: a fresh copy of the metric per partition, ``merge_state`` up a tree, one
result. The answer is the same as one update over all the data (exactly so for integer
weights; float weights differ only in the order of additions).

Needs the ``dask`` extra: ``pip install "ferrometrics[dask]"``.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any, TypeVar, overload

import numpy as np

from ._metric import Metric

try:
    import dask
    import dask.array as da
except ImportError as error:  # pragma: no cover - exercised only without the extra
    raise ImportError('ferrometrics.dask needs Dask: pip install "ferrometrics[dask]"') from error

__all__ = ["evaluate"]

M = TypeVar("M", bound=Metric)
ArrayLike = Any

#: Partial states merged per task of the reduction tree.
SPLIT_EVERY = 8


@overload
def evaluate(metrics: M, y_true: ArrayLike, y_pred: ArrayLike, sample_weight: Any = None) -> M: ...


@overload
def evaluate(
    metrics: Sequence[M], y_true: ArrayLike, y_pred: ArrayLike, sample_weight: Any = None
) -> list[M]: ...


def evaluate(
    metrics: M | Sequence[M],
    y_true: ArrayLike,
    y_pred: ArrayLike,
    sample_weight: Any = None,
) -> M | list[M]:
    """Updates metrics with Dask arrays (or series), partition by partition.

    Every partition updates a fresh copy of each metric (one pass over the data for all
    of them); the partial states are merged up a tree of ``merge_state`` calls on the
    workers; the metrics passed in then receive the combined state, added to whatever
    state they already hold. Runs on the scheduler Dask would use for ``compute()``: the
    local threads by default, or a ``distributed`` cluster when a client is active.

    Args:
        metrics: One ferrometrics metric or a sequence of them.
        y_true: Labels: a Dask array, Dask series, or anything ``numpy.asarray`` takes.
        y_pred: Predictions, row-aligned with ``y_true``. 2-D arrays (multi-label,
            F-scores) are split along rows only.
        sample_weight: None, a number, or an array with the same rows as ``y_true``.

    Returns:
        The metric passed in (or the list of them), now holding the data's state.

    Raises:
        ValueError: rows that do not line up, or a bad value in any partition (the
            metric's own message); the metrics passed in are then left unchanged.
        TypeError: something that is not a ferrometrics metric.

    Example:
        >>> import dask.array as da, numpy as np, ferrometrics as fm
        >>> from ferrometrics.dask import evaluate
        >>> y = da.from_array(np.array([0, 0, 1, 1] * 250), chunks=100)
        >>> p = da.from_array(np.array([0.1, 0.6, 0.4, 0.9] * 250), chunks=100)
        >>> auc, precision = evaluate([fm.AUC(), fm.Precision()], y, p)
        >>> float(auc.result()), float(precision.result())
        (0.75, 0.5)
    """
    single = isinstance(metrics, Metric)
    targets: list[Any] = [metrics] if single else list(metrics)  # type: ignore[list-item]
    for metric in targets:
        if not isinstance(metric, Metric):
            raise TypeError(
                f"evaluate takes ferrometrics metrics. Received: {type(metric).__name__}"
            )
    if not targets:
        return []
    weighted = sample_weight is not None and not _is_scalar(sample_weight)
    # Rows are split as the first Dask input is; NumPy inputs follow it.
    given = [_dask_or_none(y_pred), _dask_or_none(y_true)]
    given.append(_dask_or_none(sample_weight) if weighted else None)
    rows = next((a.chunks[0] for a in given if a is not None), None)
    y_pred, y_true = (v if d is None else d for v, d in zip((y_pred, y_true), given))
    preds = _rows_only(_as_dask_array(y_pred, "y_pred", rows))
    labels = _aligned(_as_dask_array(y_true, "y_true", preds.chunks[0]), preds, "y_true")
    weights: Any = sample_weight
    if weighted:
        weights = _aligned(
            _as_dask_array(
                given[2] if given[2] is not None else sample_weight,
                "sample_weight",
                preds.chunks[0],
            ),
            preds,
            "sample_weight",
        )
    fresh = [_fresh(metric) for metric in targets]
    partials = [
        dask.delayed(_count_partition)(fresh, label_block, pred_block, weight_block)
        for label_block, pred_block, weight_block in zip(
            _row_blocks(labels), _row_blocks(preds), _weight_blocks(weights, preds)
        )
    ]
    if not partials:
        return metrics if single else targets  # type: ignore[return-value]
    while len(partials) > 1:
        partials = [
            dask.delayed(_merge)(partials[i : i + SPLIT_EVERY])
            for i in range(0, len(partials), SPLIT_EVERY)
        ]
    (combined,) = dask.compute(partials[0])
    # Nothing above changed the caller's metrics; now add the data in one step each.
    for metric, state in zip(targets, combined):
        metric.merge_state([state])
    return metrics if single else targets  # type: ignore[return-value]


def _fresh(metric: Metric) -> Metric:
    return type(metric).from_config(metric.get_config())


def _count_partition(templates: list[Metric], y_true: Any, y_pred: Any, weights: Any) -> list:
    # Fresh metrics per task: on the threaded scheduler the templates are shared objects.
    metrics = [_fresh(template) for template in templates]
    for metric in metrics:
        metric.update_state(y_true, y_pred, weights)
    return metrics


def _merge(parts: list[list[Metric]]) -> list[Metric]:
    first, rest = parts[0], parts[1:]
    for index, metric in enumerate(first):
        metric.merge_state([other[index] for other in rest])
    return first


def _is_scalar(value: Any) -> bool:
    return isinstance(value, numbers.Number) or (isinstance(value, np.ndarray) and value.ndim == 0)


def _dask_or_none(value: Any) -> Any:
    if isinstance(value, da.Array):
        return value
    if hasattr(value, "to_dask_array"):  # a Dask series or single-column frame
        return value.to_dask_array(lengths=True)
    return None


def _as_dask_array(value: Any, name: str, rows: Any) -> Any:
    """``value`` as a Dask array; a NumPy one is split into ``rows`` if they fit."""
    array = _dask_or_none(value)
    if array is not None:
        return array
    array = np.asarray(value)
    if array.ndim == 0:
        raise ValueError(f"`{name}` must have at least one dimension. Received: {array!r}")
    fits = rows is not None and sum(rows) == array.shape[0]
    return da.from_array(array, chunks=(rows if fits else "auto",) + array.shape[1:])


def _rows_only(array: Any) -> Any:
    """One chunk across every axis but the first."""
    if array.ndim > 1 and any(len(c) > 1 for c in array.chunks[1:]):
        array = array.rechunk({axis: -1 for axis in range(1, array.ndim)})
    return array


def _aligned(array: Any, preds: Any, name: str) -> Any:
    """``array`` with the row chunks of the predictions."""
    if np.isnan(array.shape[0]) or np.isnan(preds.shape[0]):
        raise ValueError(f"`{name}` and `y_pred` need known lengths (use lengths=True)")
    if array.shape[0] != preds.shape[0]:
        raise ValueError(
            f"`{name}` and `y_pred` must have the same number of rows. Received: "
            f"{name}.shape={array.shape}, y_pred.shape={preds.shape}"
        )
    array = _rows_only(array)
    if array.chunks[0] != preds.chunks[0]:
        array = array.rechunk({0: preds.chunks[0]})
    return array


def _row_blocks(array: Any) -> list:
    return list(array.to_delayed().reshape(-1))


def _weight_blocks(weights: Any, preds: Any) -> list:
    if isinstance(weights, da.Array):
        return _row_blocks(weights)
    return [weights] * len(preds.chunks[0])

"""Production behaviour across EVERY class and configuration (issue 5).

One registry of metric configurations (every class, AUC's multi-label/logits/label-weight
forms, every F-score average) drives: input forms, no-copy intake, exact counts beyond
2**24, and the rule that a failing update leaves the state bit-identical (threads and fork:
test_concurrency.py; pickling, copying and merging: test_pickling_and_merging.py). Expected
values come from a sequential run, a single update over all the data, or
``ferrometrics.reference``.
"""

from __future__ import annotations

import inspect
import tracemalloc
from typing import Any, Callable

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from support import (
    CONFIGS,
    NAMES,
    assert_same_state,
    batch,
    state_bytes,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# ------------------------------------------------------------------------------ input forms


class ArrayLike:
    """A foreign tensor: only ``__array__``, as PyTorch/JAX CPU tensors offer."""

    def __init__(self, data: np.ndarray) -> None:
        self._data = data

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)


def forms(y_true: np.ndarray, y_pred: np.ndarray, w: np.ndarray) -> dict[str, tuple]:
    def strided(a: np.ndarray) -> np.ndarray:
        doubled = np.repeat(a, 2, axis=0)
        return doubled[::2]

    def fortran(a: np.ndarray) -> np.ndarray:
        return np.asfortranarray(a)

    def unaligned(a: np.ndarray) -> np.ndarray:
        raw = np.zeros(a.nbytes + 1, dtype=np.uint8)
        view = raw[1:].view(a.dtype).reshape(a.shape)
        view[...] = a
        assert not view.flags.aligned or a.dtype.itemsize == 1
        return view

    out = {
        "lists": (y_true.tolist(), y_pred.tolist(), w.tolist()),
        "unaligned": (unaligned(y_true), unaligned(y_pred), unaligned(w)),
        "bool_labels": (y_true.astype(bool), y_pred, w),
        "float16_predictions": (y_true, y_pred.astype(np.float16), w),
        "float64_everything": (y_true.astype(np.float64), y_pred.astype(np.float64), w),
        "big_endian": (y_true.astype(">f8"), y_pred.astype(">f4"), w.astype(">f8")),
        "non_contiguous": (strided(y_true), strided(y_pred), strided(w)),
        "reversed_views": (y_true[::-1][::-1], y_pred[::-1][::-1], w[::-1][::-1]),
        "fortran_order": (fortran(y_true), fortran(y_pred), w),
        "array_like_objects": (ArrayLike(y_true), ArrayLike(y_pred), ArrayLike(w)),
        "memoryviews": (memoryview(np.ascontiguousarray(y_true)), y_pred, w),
        "float32_weights": (y_true, y_pred, w.astype(np.float32)),
    }
    for dtype in ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"]:
        out[f"{dtype}_labels"] = (y_true.astype(dtype), y_pred, w)
        out[f"{dtype}_weights"] = (y_true, y_pred, w.astype(dtype))
    if y_true.ndim == 1:
        out["column_vectors"] = (y_true[:, None], y_pred[:, None], w)
        out["column_labels_only"] = (y_true[:, None], y_pred, w)
        out["column_weights"] = (y_true, y_pred, w[:, None])
    return out


FORM_NAMES = sorted(forms(np.zeros(2), np.zeros(2), np.zeros(2)))


COLUMN_NAMES = [name for name in NAMES if CONFIGS[name].data == "columns"]


@pytest.mark.parametrize("name", COLUMN_NAMES)
def test_row_weights_equal_the_same_weights_broadcast_to_every_element(name: str) -> None:
    # A big (N, 4) batch, counted in parallel segments: (N,) and (N, 1) weights are read
    # once per row, (N, 4) once per element. Integer weights: sums are exact in any order.
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, 60_000, seed=8)
    expected = config.make()
    expected.update_state(y_true, y_pred, np.repeat(w[:, None], 4, axis=1))
    for weights in (w, w[:, None], w.astype(np.float32), w[::-1].copy()[::-1]):
        metric = config.make()
        metric.update_state(y_true, y_pred, weights)
        assert_same_state(metric, expected)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("form", FORM_NAMES)
def test_every_input_form_gives_the_same_state(name: str, form: str) -> None:
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, 64, seed=4)
    if form == "float16_predictions":
        y_pred = y_pred.astype(np.float16).astype(np.float32)  # the same values either way
    expected = config.make()
    expected.update_state(y_true, y_pred, w)
    all_forms = forms(y_true, y_pred, w)
    if form not in all_forms:  # column forms exist for 1-D data only
        all_forms[form] = (y_true, y_pred, w)
    metric = config.make()
    metric.update_state(*all_forms[form])
    assert_same_state(metric, expected)


def test_torch_and_jax_tensors_when_installed() -> None:
    """Real foreign tensors go through ``__array__``; the duck-typed test covers the rest."""
    y_true = np.array([0, 1, 1, 0, 1], dtype=np.float32)
    y_pred = np.array([0.1, 0.8, 0.4, 0.6, 0.9], dtype=np.float32)
    expected = fm.AUC()
    expected.update_state(y_true, y_pred)
    tensors = [(ArrayLike(y_true), ArrayLike(y_pred))]
    try:
        import torch

        tensors.append((torch.from_numpy(y_true), torch.from_numpy(y_pred)))
    except ImportError:
        pass
    for pair in tensors:
        metric = fm.AUC()
        metric.update_state(*pair)
        assert_same_state(metric, expected)


@pytest.mark.parametrize("name", ["AUC", "Precision", "PrecisionAtRecall", "F1Score_macro"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_contiguous_inputs_are_read_in_place(name: str, dtype: str) -> None:
    """No allocation proportional to N for contiguous float32/float64 inputs."""
    config = CONFIGS[name]
    rows = 2_000_000 if config.data != "columns" else 500_000
    y_true, y_pred, w = batch(config, rows, seed=6)
    y_true, y_pred, w = y_true.astype(dtype), y_pred.astype(dtype), w.astype(dtype)
    metric = config.make()
    metric.update_state(y_true[:10], y_pred[:10], w[:10])
    tracemalloc.start()
    try:
        metric.update_state(y_true, y_pred, w)
        metric.result()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 1_000_000, f"{peak} bytes allocated for {y_pred.nbytes} bytes of predictions"


# ---------------------------------------------------------------------- exact large counts


@pytest.mark.parametrize(
    "make",
    [
        lambda: fm.AUC(num_thresholds=3),
        lambda: fm.RecallAtPrecision(0.5, num_thresholds=3),
        lambda: fm.F1Score(average="micro", threshold=0.5),
    ],
    ids=["AUC", "RecallAtPrecision", "F1Score_micro"],
)
def test_counts_stay_exact_beyond_2_to_the_24(make: Callable[[], Any]) -> None:
    """2**24 + 1 positives: float32 state (Keras 3) would stop counting at 2**24."""
    size = 2**24 + 1
    metric = make()
    if isinstance(metric, fm.F1Score):
        y = np.ones((size, 1), dtype=bool)
        metric.update_state(y, np.ones((size, 1), dtype=np.float32))
        true_positives = metric.variables[0]
        assert true_positives.dtype == np.float64
        assert true_positives.reshape(-1)[0] == 16777217.0
        return
    metric.update_state(np.ones(size, dtype=bool), np.ones(size, dtype=np.float32))
    true_positives = metric.variables[0]
    assert true_positives.dtype == np.float64
    assert true_positives.reshape(-1).max() == 16777217.0


# --------------------------------------------------------------- failing updates change nothing


@st.composite
def failing_updates(draw: Any) -> tuple:
    name = draw(st.sampled_from(NAMES))
    config = CONFIGS[name]
    rows = draw(st.integers(1, 40))
    y_true, y_pred, w = batch(config, rows, seed=draw(st.integers(0, 1000)))
    y_true, y_pred, w = y_true.copy(), y_pred.copy(), w.copy()
    kind = draw(
        st.sampled_from(
            ["label", "nan_pred", "inf_weight", "shape", "weight_shape", "text", "none", "complex"]
        )
    )
    index = draw(st.integers(0, y_true.size - 1))
    if kind == "label":
        y_true.flat[index] = draw(st.sampled_from([2.0, -1.0, 0.5, np.nan]))
    elif kind == "nan_pred":
        y_pred.flat[index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    elif kind == "inf_weight":
        w[index % rows] = draw(st.sampled_from([np.nan, np.inf]))
    elif kind == "shape":
        y_pred = np.concatenate([y_pred, y_pred[:1]])
    elif kind == "weight_shape":
        w = np.ones(rows + 1)
    elif kind == "text":
        y_pred = np.array(["x"] * rows)
    elif kind == "none":
        y_true = None
    else:
        y_pred = y_pred.astype(np.complex64)
    first = batch(config, draw(st.integers(0, 30)), seed=7)
    return name, first, (y_true, y_pred, w), kind, index


@settings(deadline=None)
@given(case=failing_updates())
def test_a_failing_update_leaves_the_state_bit_identical(case: tuple) -> None:
    name, first, bad, kind, index = case
    note(f"{name}, {kind} at {index}")
    config = CONFIGS[name]
    for module in (fm, ref):
        metric = config.make(module)
        metric.update_state(*first)
        before, result_before = state_bytes(metric), np.asarray(metric.result())
        with pytest.raises((ValueError, TypeError)):
            metric.update_state(*bad)
        assert state_bytes(metric) == before
        assert np.array_equal(np.asarray(metric.result()), result_before, equal_nan=True)


# ------------------------------------------------------------------------------ documentation


def public_objects() -> list[tuple[str, Any]]:
    found = []
    for module in (fm, ref):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


@pytest.mark.parametrize("qualified, obj", public_objects(), ids=[q for q, _ in public_objects()])
def test_every_public_class_and_function_has_a_runnable_example(qualified: str, obj: Any) -> None:
    """Google-style docstrings: Args/Returns where they apply, and a doctest example.

    The examples themselves run in test_doc_examples.py (doctest over both modules).
    """
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{qualified} has no docstring"
    assert ">>> " in doc, f"{qualified} has no runnable example"

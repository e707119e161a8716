"""Every accepted input form counts exactly like float32 NumPy input, on both implementations.

Lists and tuples, Python and NumPy scalars, every label/prediction/weight dtype (bool, integers,
float16/32/64, numeric object arrays), big-endian byte order, strided, reversed, transposed and
Fortran-ordered views, unaligned buffers, memoryviews, objects with ``__array__`` (and PyTorch
tensors when installed), column vectors, and every ``sample_weight`` form (scalar, per row,
``(N, 1)``, ``(1, C)``, per element): the counts are those of the hand-computed batch, or of
contiguous float32 input, exactly. Contiguous float32/float64 inputs are read in place, with
no allocation proportional to the batch.
"""

from __future__ import annotations

import tracemalloc
from typing import Any

import numpy as np
import pytest
from support import (
    COLUMN_NAMES,
    CONFIGS,
    EXPECTED_VARIABLES,
    IMPLEMENTATIONS,
    NAMES,
    THRESHOLDS,
    WEIGHTS,
    Y_PRED,
    Y_TRUE,
    as_f32,
    assert_same_state,
    assert_variables_equal,
    batch,
    two_column_data,
)

import ferrometrics as fm


class ArrayLike:
    """A foreign tensor: only ``__array__``, as PyTorch/JAX CPU tensors offer."""

    def __init__(self, data: Any) -> None:
        self._data = np.asarray(data)

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self._data if dtype is None else self._data.astype(dtype)


# ---------------------------------------------------------------------------------------------
# The hand-computed batch in every form
def interleaved(values, dtype) -> np.ndarray:
    """An array whose ``[::2]`` view is ``values`` (the odd slots hold junk)."""
    array = np.full(2 * len(values), 7, dtype=dtype)
    array[::2] = values
    return array


INTEGER_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]

# (id, y_true, y_pred, sample_weight): each must count exactly like the float32 arrays.
ACCEPTED_FORMS = [
    ("lists", Y_TRUE, Y_PRED, WEIGHTS),
    ("tuples", tuple(Y_TRUE), tuple(Y_PRED), tuple(WEIGHTS)),
    ("bool_labels", np.array(Y_TRUE, dtype=bool), as_f32(Y_PRED), as_f32(WEIGHTS)),
    ("python_bool_labels", [bool(v) for v in Y_TRUE], Y_PRED, WEIGHTS),
    *[
        (
            f"labels_{np.dtype(t).name}",
            np.array(Y_TRUE, dtype=t),
            as_f32(Y_PRED),
            np.array(WEIGHTS, dtype=t),
        )
        for t in INTEGER_DTYPES
    ],
    ("float16", np.array(Y_TRUE, np.float16), np.array(Y_PRED, np.float16), WEIGHTS),
    ("float64", np.array(Y_TRUE, np.float64), np.array(Y_PRED, np.float64), WEIGHTS),
    (
        "big_endian",
        np.array(Y_TRUE, ">i4"),
        as_f32(Y_PRED).astype(">f4"),
        np.array(WEIGHTS, ">f8"),
    ),
    (
        "big_endian_f8",
        np.array(Y_TRUE, ">f8"),
        np.array(Y_PRED, ">f8"),
        np.array(WEIGHTS, ">i8"),
    ),
    (
        "strided",
        interleaved(Y_TRUE, np.float32)[::2],
        interleaved(Y_PRED, np.float32)[::2],
        interleaved(WEIGHTS, np.float32)[::2],
    ),
    (
        "strided_bool",
        interleaved(Y_TRUE, bool)[::2],
        interleaved(Y_PRED, np.float64)[::2],
        interleaved(WEIGHTS, np.int16)[::2],
    ),
    (
        "reversed_twice",
        np.array(Y_TRUE[::-1], np.float32)[::-1],
        as_f32(Y_PRED[::-1])[::-1],
        as_f32(WEIGHTS[::-1])[::-1],
    ),
    ("column_labels", np.array(Y_TRUE)[:, None], as_f32(Y_PRED), as_f32(WEIGHTS)),
    ("column_predictions", as_f32(Y_TRUE), as_f32(Y_PRED)[:, None], as_f32(WEIGHTS)),
    ("column_weights", as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS)[:, None]),
    ("array_like", ArrayLike(Y_TRUE), ArrayLike(as_f32(Y_PRED)), ArrayLike(WEIGHTS)),
    (
        "memoryview",
        memoryview(np.array(Y_TRUE, dtype=np.int8)),
        memoryview(as_f32(Y_PRED)),
        memoryview(np.array(WEIGHTS, dtype=np.float64)),
    ),
]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall", "TrueNegatives"])
@pytest.mark.parametrize(
    "y_true, y_pred, sample_weight",
    [case[1:] for case in ACCEPTED_FORMS],
    ids=[case[0] for case in ACCEPTED_FORMS],
)
def test_accepted_input_forms(impl, class_name, y_true, y_pred, sample_weight) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state(y_true, y_pred, sample_weight)
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES[class_name])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("argument", ["y_true", "y_pred", "sample_weight"])
def test_numeric_object_arrays_are_accepted(impl, argument: str) -> None:
    """SPEC 2 refuses "object arrays that are not numeric": numeric ones are accepted."""
    batch = {"y_true": as_f32(Y_TRUE), "y_pred": as_f32(Y_PRED), "sample_weight": WEIGHTS}
    values = {"y_true": Y_TRUE, "y_pred": Y_PRED, "sample_weight": WEIGHTS}[argument]
    batch[argument] = np.array(values, dtype=object)
    metric = impl.Precision(thresholds=THRESHOLDS)
    metric.update_state(**batch)
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES["Precision"])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "layout", ["c_order", "fortran", "transposed", "strided_rows", "big_endian", "lists"]
)
def test_two_dimensional_layouts(impl, layout: str) -> None:
    y_true, y_pred, weights, expected = two_column_data()
    if layout == "fortran":
        y_true, y_pred = np.asfortranarray(y_true), np.asfortranarray(y_pred)
        assert not y_pred.flags.c_contiguous
    elif layout == "transposed":
        y_true, y_pred = np.ascontiguousarray(y_true.T).T, np.ascontiguousarray(y_pred.T).T
        assert not y_pred.flags.c_contiguous
    elif layout == "strided_rows":
        y_true = np.repeat(y_true, 2, axis=0)[::2]
        y_pred = np.repeat(y_pred, 3, axis=0)[::3]
        weights = np.repeat(weights, 2)[::2]
    elif layout == "big_endian":
        y_true, y_pred = y_true.astype(">i2"), y_pred.astype(">f4")
        weights = weights.astype(">f4")
    elif layout == "lists":
        y_true, y_pred, weights = y_true.tolist(), y_pred.tolist(), weights.tolist()
    metric = impl.Precision(top_k=1, class_id=1)
    metric.update_state(y_true, y_pred, weights)
    assert_variables_equal(metric.variables, expected)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("pred_dtype", [*INTEGER_DTYPES, bool])
def test_integer_and_bool_predictions(impl, pred_dtype) -> None:
    y_true = [1, 0, 1, 0, 1]
    y_pred = np.array([1, 1, 0, 0, 2 if pred_dtype is not bool else 1], dtype=pred_dtype)
    # Unsorted thresholds: the direct path (p > t, no clipping).
    metric = impl.Precision(thresholds=[0.5, 0.0, 1.0])
    metric.update_state(y_true, y_pred)
    # p > 0 and p > 0.5 at indices 0, 1, 4 (labels 1, 0, 1); p > 1 only for the 2 at index 4.
    if pred_dtype is bool:
        assert_variables_equal(metric.variables, [[2.0, 2.0, 0.0], [1.0, 1.0, 0.0]])
    else:
        assert_variables_equal(metric.variables, [[2.0, 2.0, 1.0], [1.0, 1.0, 0.0]])
    # Evenly spaced thresholds: the even path clips p to [0, 1], so the 2 is not above 1.0.
    metric = impl.Precision(thresholds=[0.0, 0.5, 1.0])
    metric.update_state(y_true, y_pred)
    assert_variables_equal(metric.variables, [[2.0, 2.0, 0.0], [1.0, 1.0, 0.0]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "y_true, y_pred, sample_weight",
    [
        (1, 0.875, None),
        (np.array(1), np.array(0.875, np.float32), None),
        (np.float32(1), np.float64(0.875), np.int8(3)),
        (True, 0.875, 3),
        ([1], [0.875], np.array(3.0)),
        (1, 0.875, [3]),
    ],
    ids=["python", "0d", "numpy_scalars", "bool_and_int", "0d_weight", "list_weight"],
)
def test_scalar_inputs(impl, y_true, y_pred, sample_weight) -> None:
    metric = impl.TruePositives(thresholds=THRESHOLDS)
    metric.update_state(y_true, y_pred, sample_weight)
    weight = 1.0 if sample_weight is None else 3.0
    assert_variables_equal(metric.variables, [[weight, weight, weight]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "sample_weight, expected",
    [
        (2, [[6.0], [4.0]]),
        (2.5, [[7.5], [5.0]]),
        ([1, 2], [[4.0], [3.0]]),  # (N,): whole rows
        ([[1], [2]], [[4.0], [3.0]]),  # (N, 1)
        ([[1, 2, 3], [4, 5, 6]], [[8.0], [7.0]]),  # (N, C)
        ([[1, 2, 3]], [[5.0], [4.0]]),  # (1, C)
    ],
    ids=["int", "float", "rows", "rows_column", "full", "one_row"],
)
def test_weight_broadcasting(impl, sample_weight, expected) -> None:
    """y (2, 3); p > 0.5 everywhere except at [1, 2]."""
    y_true = [[1, 0, 1], [1, 0, 0]]
    y_pred = [[0.9, 0.6, 0.7], [0.8, 0.9, 0.1]]
    # Positive predictions: (0,0) label 1, (0,1) label 0, (0,2) label 1, (1,0) label 1,
    # (1,1) label 0. So tp sums weights at (0,0), (0,2), (1,0); fp at (0,1), (1,1).
    metric = impl.Precision()
    metric.update_state(y_true, y_pred, sample_weight)
    assert_variables_equal(metric.variables, expected)


# ---------------------------------------------------------------------------------------------
# Every configuration of the registry, in every form


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

"""Precision, Recall and the four counts: the fast classes agree with the reference.

The reference (``ferrometrics.reference``) is the executable specification; every property here
feeds the same data to both implementations and compares ``result()`` and every state variable
within the documented tolerance (SPEC section 11), plus the result's dtype and its scalar-vs-array
form, over threshold lists of every shape (evenly spaced: Keras's bucket formula; otherwise
direct comparison), ``top_k``/``class_id``, 1-D to 3-D layouts, label/prediction dtypes and
sample-weight forms. Other properties check that the fast implementation counts exactly with
integer weights (one update equals the same data split into several updates, or into several
metrics pickled and merged), that big batches (the parallel path) match the reference exactly
in every input form, and within the tolerance with fractional weights.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import (
    ATOL,
    CONFUSION_CLASSES,
    PRECISION_RECALL,
    QUIRK_VALUES,
    RTOL,
    THRESHOLDS_200,
    Case,
    assert_result_close,
    assert_variables_close,
    build,
    row_slice,
    threshold_lists,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# The strategies below are wider than support's (N, C) ones: 3-D inputs, weights of shape
# (1, C), more label, prediction and weight dtypes, and predictions beyond [0, 1].

PRED_DTYPES = (
    np.float16,
    np.float32,
    np.float64,
    np.int8,
    np.int32,
    np.int64,
    np.uint8,
    np.bool_,
)
LABEL_DTYPES = (
    np.bool_,
    np.uint8,
    np.int8,
    np.int16,
    np.int32,
    np.int64,
    np.float16,
    np.float32,
    np.float64,
)
# Prediction values that sit on or next to the edges Keras's two counting paths care about.
EDGE_PREDICTIONS = (
    0.0,
    -0.0,
    1.0,
    0.5,
    -1e-7,
    1e-7,
    1.0 + 1e-7,
    float(np.nextafter(np.float32(1), np.float32(2))),
    float(np.nextafter(np.float32(0), np.float32(1))),  # the smallest float32 subnormal
    -1.5,
    2.0,
    -1e10,
    1e10,
)
# A few values drawn often, so that top_k meets ties (-0.0 and 0.0 are equal: a tie too).
TIE_PREDICTIONS = (0.0, -0.0, 0.5, 1.0)
# Largest |prediction| generated in each float dtype (finite after a cast to float32).
FLOAT_BOUND = {np.float16: 6e4, np.float32: 3e38, np.float64: 3e38}

WEIGHT_ELEMENTS = {
    # Integers and multiples of 1/8 are summed exactly in float64, in any order.
    "int": st.integers(-3, 5),
    "dyadic": st.integers(-16, 24).map(lambda k: k / 8),
    # Arbitrary floats only when non-negative, so that tp + fp cannot cancel to ~0.
    "positive": st.one_of(st.just(0.0), st.floats(1e-3, 10.0)),
}
WEIGHT_DTYPES = {
    "int": (np.int8, np.int32, np.int64),
    "dyadic": (np.float32, np.float64),
    "positive": (np.float32, np.float64),
}

# (y_true shape, y_pred shape, aligned shape) for N rows, C classes and M positions.
LAYOUTS = {
    "1d": lambda n, m, c: ((n,), (n,), (n,)),
    "col_pred": lambda n, m, c: ((n,), (n, 1), (n, 1)),  # Keras 3 expands (N,) to (N, 1)
    "col_true": lambda n, m, c: ((n, 1), (n,), (n, 1)),
    "2d": lambda n, m, c: ((n, c), (n, c), (n, c)),
    "2d_extra_true": lambda n, m, c: ((n, c, 1), (n, c), (n, c)),
    "2d_extra_pred": lambda n, m, c: ((n, c), (n, c, 1), (n, c)),
    "3d": lambda n, m, c: ((n, m, c), (n, m, c), (n, m, c)),
}

# Weight forms for an aligned shape of rank 1, 2 and 3 ("scalar" is a Python int or float).
WEIGHT_FORMS = {
    1: ("none", "scalar", "n", "n1"),
    2: ("none", "scalar", "n", "n1", "nc", "1c"),
    3: ("none", "scalar", "n", "n1", "nm", "nm1", "nmc", "11c"),
}


def weight_shape(form: str, aligned: tuple[int, ...]) -> tuple[int, ...]:
    """The shape of a ``sample_weight`` array of the given form, for labels of shape ``aligned``."""
    n = aligned[0]
    return {
        "n": (n,),
        "n1": (n, 1),
        "nc": aligned,
        "nmc": aligned,
        "1c": (1, aligned[-1]),
        "nm": aligned[:2],
        "nm1": aligned[:2] + (1,),
        "11c": (1, 1, aligned[-1]),
    }[form]


def prediction_pool(thresholds) -> list[float]:
    """Values to draw predictions from: the thresholds themselves plus the edge cases."""
    if thresholds is None:
        values = [0.5]
    elif isinstance(thresholds, (list, tuple)):
        values = [float(t) for t in thresholds]
    else:
        values = [float(thresholds)]
    values += [float(np.float32(t)) for t in values]
    return sorted(set(values)) + list(QUIRK_VALUES) + list(EDGE_PREDICTIONS)


def prediction_elements(pool: list[float], pred_dtype):
    if pred_dtype is np.bool_:
        return st.booleans()
    if np.issubdtype(pred_dtype, np.unsignedinteger):
        return st.integers(0, 3)
    if np.issubdtype(pred_dtype, np.integer):
        return st.integers(-3, 3)
    bound = FLOAT_BOUND[pred_dtype]
    return st.one_of(
        st.sampled_from([v for v in pool if abs(v) <= bound]),
        st.sampled_from(TIE_PREDICTIONS),  # frequent ties, for top_k
        st.floats(0.0, 1.0),
        st.floats(-2.0, 3.0),
        st.floats(-bound, bound),  # logits, including huge ones
    )


def draw_array(draw, shape, elements, dtype):
    values = draw(hnp.arrays(np.float64, shape, elements=elements))
    return values.astype(dtype)


def draw_weights(draw, form: str, aligned: tuple[int, ...], kind: str):
    if form == "none":
        return None
    elements = WEIGHT_ELEMENTS[kind]
    if form == "scalar":
        value = draw(elements)
        return int(value) if kind == "int" else float(value)
    dtype = draw(st.sampled_from(WEIGHT_DTYPES[kind]))
    return draw_array(draw, weight_shape(form, aligned), elements, dtype)


@st.composite
def cases(
    draw,
    class_names=CONFUSION_CLASSES,
    max_updates=3,
    weight_kinds=tuple(WEIGHT_ELEMENTS),
    force_top_k=False,
):
    """A random metric and 1..max_updates valid updates with the same layout."""
    class_name = draw(st.sampled_from(class_names))
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    m = draw(st.integers(1, 3))
    c = draw(st.integers(1, 5))
    rank = len(LAYOUTS[layout](1, m, c)[2])
    last_dim = LAYOUTS[layout](1, m, c)[2][-1]

    kwargs = {}
    thresholds = draw(threshold_lists())
    if thresholds is not None:
        kwargs["thresholds"] = thresholds
    dtype = draw(st.sampled_from([None, "float32", "float64"]))
    if dtype is not None:
        kwargs["dtype"] = dtype

    num_updates = draw(st.integers(1, max_updates))
    max_rows = 30 if rank == 1 else 12
    min_rows = 0
    if class_name in PRECISION_RECALL:
        if rank == 1:
            # A 1-D batch is one row for top_k: k may not exceed the batch size.
            if force_top_k or draw(st.booleans()):
                kwargs["top_k"] = draw(st.integers(1, 6))
                min_rows = kwargs["top_k"]
        else:
            if force_top_k or draw(st.booleans()):
                kwargs["top_k"] = draw(st.integers(1, last_dim))
            if draw(st.booleans()):
                kwargs["class_id"] = draw(st.integers(0, last_dim - 1))
        if "top_k" in kwargs and draw(st.booleans()):
            # With top_k and no thresholds the threshold is -1e10: every kept value counts.
            kwargs.pop("thresholds", None)
            thresholds = None

    weight_form = draw(st.sampled_from(WEIGHT_FORMS[rank]))
    weight_kind = draw(st.sampled_from(weight_kinds))
    pool = prediction_pool(thresholds)
    case = Case(class_name, kwargs, layout=layout, weight_form=weight_form)
    for _ in range(num_updates):
        n = draw(st.integers(min_rows, max_rows))
        true_shape, pred_shape, aligned = LAYOUTS[layout](n, m, c)
        label_dtype = draw(st.sampled_from(LABEL_DTYPES))
        pred_dtype = draw(st.sampled_from(PRED_DTYPES))
        y_true = draw_array(draw, true_shape, st.integers(0, 1), label_dtype)
        elements = prediction_elements(pool, pred_dtype)
        if pred_dtype in FLOAT_BOUND and draw(st.integers(0, 3)) == 0:
            elements = st.sampled_from(TIE_PREDICTIONS)  # a batch full of ties
        y_pred = draw_array(draw, pred_shape, elements, pred_dtype)
        weights = draw_weights(draw, weight_form, aligned, weight_kind)
        case.updates.append((y_true, y_pred, weights))
    return case


def assert_matches_reference(fast, reference) -> None:
    """Same result (value, dtype, scalar vs array) and same variables, within tolerance."""
    assert_result_close(fast, reference)
    assert_variables_close(fast, reference)


# ---------------------------------------------------------------------------------------------
# Fast == reference


@settings()
@given(case=cases())
def test_confusion_metrics_match_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = build(fm, case), build(ref, case)
    assert_matches_reference(fast, reference)  # before any update
    for y_true, y_pred, weights in case.updates:
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_matches_reference(fast, reference)


@settings()
@given(case=cases(max_updates=2), dtype=st.sampled_from(["float32", "float64"]))
def test_confusion_call_and_reset_match_reference(case: Case, dtype: str) -> None:
    """``__call__`` returns the cumulative result; ``reset_state`` starts afresh."""
    case.kwargs["dtype"] = dtype
    fast, reference = build(fm, case), build(ref, case)
    for y_true, y_pred, weights in case.updates:
        fast_value = fast(y_true, y_pred, weights)
        ref_value = reference(y_true, y_pred, weights)
        np.testing.assert_allclose(
            np.asarray(fast_value, np.float64), np.asarray(ref_value, np.float64), RTOL, ATOL
        )
        assert np.asarray(fast_value).dtype == np.dtype(dtype)
    fast.reset_state()
    reference.reset_state()
    assert all(not v.any() for v in fast.variables)
    y_true, y_pred, weights = case.updates[-1]
    fast.update_state(y_true, y_pred, weights)
    reference.update_state(y_true, y_pred, weights)
    assert_matches_reference(fast, reference)


@settings()
@given(case=cases(class_names=sorted(PRECISION_RECALL), force_top_k=True))
def test_top_k_matches_reference(case: Case) -> None:
    """Precision/Recall with top_k (and often class_id), where ties decide what is kept."""
    note(case.describe())
    fast, reference = build(fm, case), build(ref, case)
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_matches_reference(fast, reference)


# ---------------------------------------------------------------------------------------------
# Exact counting with integer weights: one update equals the same rows in several updates, and
# equals separate metrics (pickled and) merged


@settings()
@given(
    case=cases(max_updates=1, weight_kinds=("int",)),
    cuts=st.lists(st.integers(0, 30), max_size=3),
)
def test_split_and_merged_updates_are_exact(case: Case, cuts: list[int]) -> None:
    y_true, y_pred, weights = case.updates[0]
    if case.layout == "1d" and "top_k" in case.kwargs:
        case.kwargs.pop("top_k")  # a 1-D batch is one top_k row: splitting changes the answer
    n = y_true.shape[0]
    bounds = sorted({0, n, *(min(cut, n) for cut in cuts)})
    whole = build(fm, case)
    whole.update_state(y_true, y_pred, weights)
    parts = build(fm, case)
    pickled_parts = []  # one metric per part, pickled (as if computed elsewhere), then merged
    for start, stop in zip(bounds[:-1], bounds[1:]):
        rows = slice(start, stop)
        part = (y_true[rows], y_pred[rows], row_slice(weights, case.weight_form, rows))
        parts.update_state(*part)
        alone = build(fm, case)
        alone.update_state(*part)
        pickled_parts.append(pickle.dumps(alone))
    merged = build(fm, case)
    merged.merge_state([pickle.loads(data) for data in pickled_parts])
    for split, joined, single in zip(parts.variables, merged.variables, whole.variables):
        assert np.array_equal(split, single)
        assert np.array_equal(joined, single)
    assert np.array_equal(whole.result(), parts.result())
    assert np.array_equal(whole.result(), merged.result())


# ---------------------------------------------------------------------------------------------
# Big batches (the parallel path) against the reference, exactly, with integer weights


def reference_in_chunks(metric, y_true, y_pred, weights, chunk: int = 20_000):
    """Feeds the reference row chunks (it builds (N, T) matrices, too big for one batch)."""
    for start in range(0, y_true.shape[0], chunk):
        rows = slice(start, start + chunk)
        metric.update_state(y_true[rows], y_pred[rows], None if weights is None else weights[rows])


def big_predictions(rng, size: int, thresholds) -> np.ndarray:
    """Uniform predictions mixed with threshold values, float32 quirks and out-of-range values."""
    # Without +-1e10, and without -0.0 (top_k ranks -0.0 and 0.0 as a tie: a separate test).
    pool = [v for v in prediction_pool(thresholds) if abs(v) < 1e10 and str(v) != "-0.0"]
    uniform = rng.uniform(-0.2, 1.2, size)
    on_pool = rng.choice(pool, size)
    return np.where(rng.random(size) < 0.3, on_pool, uniform)


BIG_CASES = [
    ("Precision", {"thresholds": THRESHOLDS_200}, (400_000,)),
    ("Recall", {"thresholds": [0.7, 0.1, 0.5, 0.5, 0.0]}, (400_000,)),
    ("Precision", {"top_k": 2, "class_id": 1, "thresholds": [0.2, 0.6]}, (80_000, 4)),
    ("Recall", {"top_k": 3, "dtype": "float64"}, (80_000, 5)),
    ("TruePositives", {"thresholds": list(np.linspace(0, 1, 7))}, (100_000, 3)),
    ("TrueNegatives", {"thresholds": [i / 49 for i in range(50)]}, (300_001,)),
    ("FalsePositives", {"thresholds": 0.3, "dtype": "float64"}, (150_000, 2, 1)),
    ("FalseNegatives", {"thresholds": [0.9, 0.2, 0.2]}, (320_000,)),
    # A 1-D batch is one top_k row: the whole batch competes (with many ties).
    ("Precision", {"top_k": 1000}, (300_000,)),
    ("Recall", {"top_k": 7_777, "thresholds": [0.5, 0.9]}, (300_000,)),
]


@pytest.mark.parametrize(
    "seed, class_name, kwargs, shape",
    [(i, *c) for i, c in enumerate(BIG_CASES)],
    ids=[f"{c[0]}-{i}" for i, c in enumerate(BIG_CASES)],
)
def test_big_batch_matches_reference_exactly(
    seed: int, class_name: str, kwargs: dict, shape
) -> None:
    rng = np.random.default_rng(seed)
    size = int(np.prod(shape))
    y_true = rng.integers(0, 2, size).astype(np.float32).reshape(shape)
    y_pred = big_predictions(rng, size, kwargs.get("thresholds")).astype(np.float32).reshape(shape)
    weights = rng.integers(-2, 6, shape[0]).astype(np.float64)
    # 1-D top_k ranks the whole batch: the reference must see it in one piece.
    chunk = size if len(shape) == 1 and "top_k" in kwargs else 20_000

    fast = getattr(fm, class_name)(**kwargs)
    reference = getattr(ref, class_name)(**kwargs)
    for _ in range(2):  # twice, so the state carries over too
        fast.update_state(y_true, y_pred, weights)
        reference_in_chunks(reference, y_true, y_pred, weights, chunk)
    for actual, expected in zip(fast.variables, reference.variables):
        assert np.array_equal(actual, expected), (actual, expected)
    assert np.array_equal(fast.result(), reference.result())


def test_big_batch_float_weights_match_reference() -> None:
    """Non-integer weights on the parallel path: equal within the documented tolerance."""
    rng = np.random.default_rng(11)
    size = 500_000
    y_true = rng.random(size) < 0.3
    y_pred = big_predictions(rng, size, THRESHOLDS_200)
    weights = rng.uniform(0.0, 2.0, size)
    for class_name in CONFUSION_CLASSES:
        fast = getattr(fm, class_name)(thresholds=THRESHOLDS_200)
        reference = getattr(ref, class_name)(thresholds=THRESHOLDS_200)
        fast.update_state(y_true, y_pred, weights)
        reference_in_chunks(reference, y_true, y_pred, weights, 25_000)
        assert_matches_reference(fast, reference)


def big_forms(y_true: np.ndarray, y_pred: np.ndarray, weights: np.ndarray):
    """The same big batch in other dtypes, byte orders and layouts (name, y_true, y_pred, w)."""
    n, c = y_pred.shape
    yield "float64", y_true.astype(np.float64), y_pred.astype(np.float64), weights
    yield "bool_int8", y_true.astype(bool), y_pred, weights.astype(np.int8)
    yield "uint8_labels", y_true.astype(np.uint8), y_pred, weights.astype(np.int64)
    yield "big_endian", y_true.astype(">i4"), y_pred.astype(">f4"), weights.astype(">f8")
    yield "fortran", np.asfortranarray(y_true), np.asfortranarray(y_pred), weights
    wide_true = np.zeros((n, 2 * c), np.float32)
    wide_pred = np.zeros((n, 2 * c), np.float32)
    wide_true[:, ::2], wide_pred[:, ::2] = y_true, y_pred
    yield "strided_columns", wide_true[:, ::2], wide_pred[:, ::2], weights
    yield "strided_rows", np.repeat(y_true, 2, 0)[::2], np.repeat(y_pred, 2, 0)[::2], weights
    yield "column_weights", y_true, y_pred, weights[:, None]
    yield "lists", y_true.tolist(), y_pred.tolist(), weights.tolist()


@pytest.mark.parametrize(
    "class_name, kwargs",
    [
        ("Precision", {"thresholds": [i / 99 for i in range(100)]}),
        ("Recall", {"thresholds": [0.6, 0.3], "top_k": 2, "class_id": 2}),
        ("FalsePositives", {"thresholds": [0.5, 0.25]}),
    ],
)
def test_big_batch_input_forms(class_name: str, kwargs: dict) -> None:
    """Every input form counts exactly like contiguous float32 (and like the reference)."""
    rng = np.random.default_rng(5)
    shape = (100_000, 4)
    y_true = rng.integers(0, 2, shape).astype(np.float32)
    y_pred = rng.choice(np.arange(0, 101, dtype=np.float32) / 100, shape)  # exact in float32
    weights = rng.integers(-1, 5, shape[0]).astype(np.float32)
    base = getattr(fm, class_name)(**kwargs)
    base.update_state(y_true, y_pred, weights)
    reference = getattr(ref, class_name)(**kwargs)
    reference_in_chunks(reference, y_true, y_pred, weights)
    for actual, expected in zip(base.variables, reference.variables):
        assert np.array_equal(actual, expected)
    for name, form_true, form_pred, form_weights in big_forms(y_true, y_pred, weights):
        metric = getattr(fm, class_name)(**kwargs)
        metric.update_state(form_true, form_pred, form_weights)
        for actual, expected in zip(metric.variables, base.variables):
            assert np.array_equal(actual, expected), name

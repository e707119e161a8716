"""F1Score and FBetaScore: the fast classes agree with the pure-NumPy reference on random
inputs (SPEC section 8).

Every ``average``, ``beta`` and ``threshold``, predictions with row ties, all-zero rows,
negative values and values around the 1e-9 cut: results and state are compared within the
documented tolerance (SPEC section 11: rtol 2e-5, atol 2e-6), also through ``__call__`` and
after ``reset_state()``. Split updates, and merged, pickled and copied metrics (merged into a
metric that has no classes yet), count exactly (integer or dyadic weights). Worked examples are
in ``test_fscore.py``.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import (
    FSCORE_CLASSES,
    IMPLEMENTATION_BY_ID,
    WEIGHT_FORMS,
    Case,
    assert_close,
    assert_result_close,
    assert_variables_close,
    build,
    draw_weights,
    row_slice,
    same_array,
    split_bounds,
)

import ferrometrics as fm
from ferrometrics import reference as ref

FSCORE_PREDICTIONS = (
    0.0,
    -0.0,
    1.0,
    0.5,
    0.25,
    0.75,
    -0.5,
    -3.0,
    2.0,
    1e-9,
    -1e-9,
    2e-9,
    -2e-9,
    5e-10,
    1e-7,
    float(np.float32(1e-9)),
    float(np.nextafter(np.float32(1e-9), np.float32(1))),
)


@st.composite
def fscore_cases(draw, max_updates=3, weight_kinds=("int", "dyadic", "positive")):
    class_name = draw(st.sampled_from(FSCORE_CLASSES))
    average = draw(st.sampled_from([None, "micro", "macro", "weighted"]))
    kwargs = {}
    if average is not None or draw(st.booleans()):
        kwargs["average"] = average
    if class_name == "FBetaScore":
        kwargs["beta"] = draw(
            st.one_of(st.sampled_from([1.0, 2.0, 0.5, 1e-3, 10.0]), st.floats(0.01, 10.0))
        )
    threshold = draw(
        st.one_of(
            st.none(),
            st.sampled_from([0.5, 1.0, 0.25, 1e-7, 0.3]),
            st.floats(1e-6, 1.0),
        )
    )
    if threshold is not None or draw(st.booleans()):
        kwargs["threshold"] = threshold
    dtype = draw(st.sampled_from([None, "float32", "float64"]))
    if dtype is not None:
        kwargs["dtype"] = dtype
    columns = draw(st.integers(1, 5))
    weight_form = draw(st.sampled_from(WEIGHT_FORMS[2]))
    kinds = weight_kinds
    if average in (None, "micro"):  # no sum over classes: negative weights cannot cancel
        kinds = (*weight_kinds, "signed_int")
    weight_kind = draw(st.sampled_from(kinds))
    case = Case(class_name, kwargs, layout="2d", weight_form=weight_form)
    pool = list(FSCORE_PREDICTIONS)
    if threshold is not None:
        pool += [threshold, float(np.float32(threshold))]
    elements = st.one_of(st.sampled_from(pool), st.floats(-2.0, 2.0), st.floats(0.0, 1.0))
    for _ in range(draw(st.integers(1, max_updates))):
        n = draw(st.integers(0, 20))
        y_true = draw(hnp.arrays(np.int8, (n, columns), elements=st.integers(0, 1)))
        y_pred = draw(hnp.arrays(np.float64, (n, columns), elements=elements))
        if n and draw(st.booleans()):  # row ties and all-zero rows
            row = draw(st.integers(0, n - 1))
            y_pred[row] = draw(st.sampled_from([0.0, 0.5, 1.0, -1.0, 1e-9]))
            if columns > 1 and n > 1:
                other = draw(st.integers(0, n - 1))
                y_pred[other, : draw(st.integers(1, columns))] = y_pred[other].max()
        label_dtype = draw(st.sampled_from([np.bool_, np.int32, np.float32]))
        pred_dtype = draw(st.sampled_from([np.float32, np.float32, np.float64, np.float16]))
        weights = draw_weights(draw, weight_form, (n, columns), weight_kind)
        case.updates.append((y_true.astype(label_dtype), y_pred.astype(pred_dtype), weights))
    return case


@settings()
@given(case=fscore_cases())
def test_fscores_match_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = build(fm, case), build(ref, case)
    assert_result_close(fast, reference)  # before any update: 0.0, or an empty vector
    assert fast.variables == [] == reference.variables
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_variables_close(fast, reference)
        assert_result_close(fast, reference)
    assert fast.num_classes == reference.num_classes == case.updates[0][0].shape[1]


@settings()
@given(case=fscore_cases(max_updates=2))
def test_fscores_call_and_reset_match_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = build(fm, case), build(ref, case)
    for y_true, y_pred, weights in case.updates:
        fast_value = fast(y_true, y_pred, weights)
        ref_value = reference(y_true, y_pred, weights)
        assert np.asarray(fast_value).dtype == np.asarray(ref_value).dtype
        assert_close(fast_value, ref_value, "__call__")
        assert same_array(fast_value, fast.result())
    fast.reset_state()
    reference.reset_state()
    for metric in (fast, reference):
        assert all(not v.any() for v in metric.variables)
    y_true, y_pred, weights = case.updates[-1]
    fast.update_state(y_true, y_pred, weights)
    reference.update_state(y_true, y_pred, weights)
    assert_variables_close(fast, reference)
    assert_result_close(fast, reference)


@settings()
@given(
    case=fscore_cases(max_updates=1, weight_kinds=("int", "dyadic")),
    cuts=st.lists(st.integers(0, 20), max_size=3),
    impl=st.sampled_from(["fast", "reference"]),
)
def test_fscore_split_and_merge_are_exact(case: Case, cuts, impl: str) -> None:
    note(case.describe())
    module = IMPLEMENTATION_BY_ID[impl]
    y_true, y_pred, weights = case.updates[0]
    whole = build(module, case)
    whole.update_state(y_true, y_pred, weights)
    sequential = build(module, case)
    pickled = []
    for start, stop in split_bounds(y_true.shape[0], cuts):
        rows = slice(start, stop)
        part = (y_true[rows], y_pred[rows], row_slice(weights, case.weight_form, rows))
        sequential.update_state(*part)
        alone = build(module, case)
        alone.update_state(*part)
        pickled.append(pickle.dumps(alone))
    merged = build(module, case)  # no classes yet: takes them from the merged metrics
    merged.merge_state([pickle.loads(data) for data in pickled] + [build(module, case)])
    copied = copy.deepcopy(merged)
    for metric in (sequential, merged, copied):
        assert metric.num_classes == whole.num_classes
        assert len(metric.variables) == len(whole.variables) == 4
        for actual, expected in zip(metric.variables, whole.variables):
            assert actual.shape == expected.shape
            assert np.array_equal(actual, expected)
        assert same_array(metric.result(), whole.result())

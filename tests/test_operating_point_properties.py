"""PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity:
the fast classes agree with the pure-NumPy reference on random inputs (SPEC section 6).

Target values in [0, 1] (0 and 1 included), ``num_thresholds`` 1..300, ``class_id`` with 2-D
inputs, weights: results and state are compared within the documented tolerance (SPEC
section 11: rtol 2e-5, atol 2e-6), and ``operating_point()`` must be the same. On each
implementation, ``operating_point()`` is consistent: its value is ``result()``, its threshold is
one of ``m.thresholds`` (or NaN when nothing qualifies), and the constraint holds there,
recomputed from the variables in the metric dtype with the tie rule (best dependent value, then
highest constrained rate, then lowest threshold). Split updates, and merged, pickled and copied
metrics, count exactly (integer or dyadic weights). Worked examples are in
``test_operating_point.py``.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import (
    AT_CLASSES,
    AT_VALUE_NAMES,
    EDGE_PROBABILITIES,
    IMPLEMENTATION_BY_ID,
    LAYOUTS,
    QUIRK_VALUES,
    WEIGHT_ELEMENTS,
    WEIGHT_FORMS,
    Case,
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

# class name -> (constrained rate, maximised rate)
RATES = {
    "PrecisionAtRecall": ("recall", "precision"),
    "RecallAtPrecision": ("precision", "recall"),
    "SensitivityAtSpecificity": ("specificity", "recall"),
    "SpecificityAtSensitivity": ("recall", "specificity"),
}

# Mostly float32; float64, float16, integers (0/1) and booleans now and then.
AT_PRED_DTYPES = (np.float32, np.float32, np.float32, np.float64, np.float16, np.int32, np.bool_)


def at_predictions(num_thresholds: int):
    """Probabilities in [0, 1], often exactly on the thresholds (float32 and float64)."""
    last = max(num_thresholds - 1, 1)
    grid = st.integers(0, last).flatmap(
        lambda k: st.sampled_from([k / last, float(np.float32(k / last))])
    )
    return st.one_of(grid, st.sampled_from(QUIRK_VALUES + EDGE_PROBABILITIES), st.floats(0.0, 1.0))


@st.composite
def at_cases(draw, max_updates=3, weight_kinds=("int", "dyadic", "signed_int")):
    class_name = draw(st.sampled_from(AT_CLASSES))
    value = draw(
        st.one_of(
            st.sampled_from([0.0, 1.0, 0, 1, 0.5, 0.25, 0.75, 1 / 3, 2 / 3, 0.8, 1e-7]),
            st.floats(0.0, 1.0),
        )
    )
    kwargs = {AT_VALUE_NAMES[class_name]: value}
    num_thresholds = draw(
        st.one_of(st.just(200), st.sampled_from([1, 2, 3, 4]), st.integers(1, 300))
    )
    if num_thresholds != 200 or draw(st.booleans()):
        kwargs["num_thresholds"] = num_thresholds
    dtype = draw(st.sampled_from([None, "float32", "float64"]))
    if dtype is not None:
        kwargs["dtype"] = dtype
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    columns = draw(st.integers(1, 4)) if layout == "2d" else 1
    if layout != "1d" and draw(st.booleans()):
        kwargs["class_id"] = draw(st.integers(0, columns - 1))
    rank = len(LAYOUTS[layout](1, columns)[2])
    weight_form = draw(st.sampled_from(WEIGHT_FORMS[rank]))
    weight_kind = draw(st.sampled_from(weight_kinds))
    case = Case(class_name, kwargs, layout=layout, weight_form=weight_form)
    elements = at_predictions(num_thresholds)
    max_rows = 60 if rank == 1 else 15
    for _ in range(draw(st.integers(1, max_updates))):
        n = draw(st.integers(0, max_rows))
        true_shape, pred_shape, aligned = LAYOUTS[layout](n, columns)
        y_true = draw(hnp.arrays(np.int8, true_shape, elements=st.integers(0, 1)))
        if draw(st.integers(0, 5)) == 0:
            y_true[...] = draw(st.integers(0, 1))  # a single class
        label_dtype = draw(st.sampled_from([np.bool_, np.int32, np.float32, np.float64]))
        pred_dtype = draw(st.sampled_from(AT_PRED_DTYPES))
        pred_elements = elements if np.issubdtype(pred_dtype, np.floating) else st.integers(0, 1)
        values = draw(hnp.arrays(np.float64, pred_shape, elements=pred_elements))
        y_pred = values.astype(pred_dtype)
        weights = draw_weights(draw, weight_form, aligned, weight_kind)
        case.updates.append((y_true.astype(label_dtype), y_pred, weights))
    return case


def rates_from_variables(metric) -> dict:
    """The four rates at every threshold, from the variables cast to the metric dtype."""
    dtype = np.dtype(metric.dtype)
    tp, fp, tn, fn = (np.asarray(v).astype(dtype) for v in metric.variables)

    def dnn(numerator, denominator):
        out = np.zeros_like(numerator)
        with np.errstate(all="ignore"):
            np.divide(numerator, denominator, out=out, where=denominator != 0)
        return out

    return {
        "recall": dnn(tp, tp + fn),
        "specificity": dnn(tn, tn + fp),
        "precision": dnn(tp, tp + fp),
    }


def assert_operating_point_consistent(metric, class_name: str) -> None:
    """value == result(); the threshold is in m.thresholds or NaN; the constraint holds there."""
    dtype = np.dtype(metric.dtype)
    value, threshold = metric.operating_point()
    result = metric.result()
    assert isinstance(value, np.generic) and value.dtype == dtype
    assert isinstance(result, np.generic) and result.dtype == dtype
    assert same_array(value, result)
    assert isinstance(threshold, float)
    constrained, dependent = RATES[class_name]
    rates = rates_from_variables(metric)
    constraint, maximised = rates[constrained], rates[dependent]
    target = dtype.type(getattr(metric, AT_VALUE_NAMES[class_name]))
    feasible = np.flatnonzero(constraint >= target)
    if math.isnan(threshold):
        assert feasible.size == 0, "a threshold qualifies but operating_point() found none"
        assert value == 0.0
        return
    thresholds = list(metric.thresholds)
    assert threshold in thresholds
    index = thresholds.index(threshold)
    assert constraint[index] >= target  # the constraint holds, in the metric dtype
    assert same_array(maximised[index], value)  # the value is reached there
    # The tie rule: the largest value, then the highest constrained rate, then the lowest
    # threshold.
    best = maximised[feasible].max()
    assert value == best
    ties = feasible[maximised[feasible] == best]
    ties = ties[constraint[ties] == constraint[ties].max()]
    assert index == ties[0], (index, ties)


@settings()
@given(case=at_cases())
def test_operating_point_metrics_match_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = build(fm, case), build(ref, case)
    assert fast.thresholds == reference.thresholds
    assert_result_close(fast, reference)
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_variables_close(fast, reference)
        assert_result_close(fast, reference)
        # Exact weights: the states are identical, so the rates are too (same formulas in the
        # same dtype): the operating point must be the same threshold.
        fast_value, fast_threshold = fast.operating_point()
        ref_value, ref_threshold = reference.operating_point()
        assert same_array(fast_value, ref_value)
        assert fast_threshold == ref_threshold or (
            math.isnan(fast_threshold) and math.isnan(ref_threshold)
        ), (fast_threshold, ref_threshold)


@settings()
@given(
    case=at_cases(weight_kinds=tuple(WEIGHT_ELEMENTS)),
    impl=st.sampled_from(["fast", "reference"]),
)
def test_operating_point_is_consistent(case: Case, impl: str) -> None:
    note(case.describe())
    module = IMPLEMENTATION_BY_ID[impl]
    metric = build(module, case)
    assert_operating_point_consistent(metric, case.class_name)
    for update in case.updates:
        metric.update_state(*update)
        assert_operating_point_consistent(metric, case.class_name)


@settings()
@given(
    case=at_cases(max_updates=1),
    cuts=st.lists(st.integers(0, 60), max_size=3),
    impl=st.sampled_from(["fast", "reference"]),
)
def test_operating_point_split_and_merge_are_exact(case: Case, cuts, impl: str) -> None:
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
    merged = build(module, case)
    merged.merge_state([pickle.loads(data) for data in pickled])
    copied = copy.deepcopy(merged)
    for metric in (sequential, merged, copied):
        for actual, expected in zip(metric.variables, whole.variables):
            assert np.array_equal(actual, expected)
        assert same_array(metric.result(), whole.result())
        value, threshold = metric.operating_point()
        assert same_array(value, whole.operating_point()[0])
        assert same_array(threshold, whole.operating_point()[1])
    assert copied.get_config() == whole.get_config()

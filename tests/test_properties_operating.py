"""Property tests: operating-point metrics, F-scores and ``precision_recall_at_equal_thresholds``.

As in ``test_properties.py``, every property feeds the same data to the fast implementation
(``ferrometrics``) and to the pure-NumPy reference and compares results and state within the
documented tolerance (SPEC section 11: rtol 2e-5, atol 2e-6):

- ``PrecisionAtRecall``, ``RecallAtPrecision``, ``SensitivityAtSpecificity`` and
  ``SpecificityAtSensitivity`` (SPEC section 6): target values in [0, 1] (0 and 1 included),
  ``num_thresholds`` 1..300, ``class_id`` with 2-D inputs, weights; and ``operating_point()``:
  its value is ``result()``, its threshold is one of ``m.thresholds`` (or NaN when nothing
  qualifies), and the constraint holds there, recomputed from the variables in the metric dtype
  with the tie rule (best dependent value, then highest constrained rate, then lowest threshold);
- ``F1Score`` / ``FBetaScore`` (SPEC section 8): every ``average``, ``beta`` and ``threshold``,
  predictions with row ties, all-zero rows, negative values and values around the 1e-9 cut;
- ``precision_recall_at_equal_thresholds`` (SPEC section 9): float16/32/64 predictions, weights,
  ``num_thresholds`` 2..300, all seven arrays and their dtype.

Split updates, merged and pickled metrics must count exactly (integer or dyadic weights).
The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import copy
import math
import pickle
from dataclasses import dataclass, field

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ferrometrics as fm
from ferrometrics.reference import _equal_thresholds as ref_equal
from ferrometrics.reference import _fscore as ref_fscore
from ferrometrics.reference import _operating_point as ref_operating

RTOL = 2e-5
ATOL = 2e-6

AT_CLASSES = (
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
)
FSCORE_CLASSES = ("F1Score", "FBetaScore")
# class name -> (constrained rate, maximised rate)
RATES = {
    "PrecisionAtRecall": ("recall", "precision"),
    "RecallAtPrecision": ("precision", "recall"),
    "SensitivityAtSpecificity": ("specificity", "recall"),
    "SpecificityAtSensitivity": ("recall", "specificity"),
}
VALUE_NAMES = {
    "PrecisionAtRecall": "recall",
    "RecallAtPrecision": "precision",
    "SensitivityAtSpecificity": "specificity",
    "SpecificityAtSensitivity": "sensitivity",
}
DEFAULT_NAMES = {
    "PrecisionAtRecall": "precision_at_recall",
    "RecallAtPrecision": "recall_at_precision",
    "SensitivityAtSpecificity": "sensitivity_at_specificity",
    "SpecificityAtSensitivity": "specificity_at_sensitivity",
    "F1Score": "f1_score",
    "FBetaScore": "fbeta_score",
}
REFERENCE_MODULE = {
    **dict.fromkeys(AT_CLASSES, ref_operating),
    **dict.fromkeys(FSCORE_CLASSES, ref_fscore),
}

# SPEC section 3: with T = 200 evenly spaced thresholds, float32(k / 199) * 199 rounds above k.
QUIRK_VALUES = tuple(float(np.float32(k / 199)) for k in (31, 53, 62, 103, 106, 111, 119, 124))
EDGE_VALUES = (
    0.0,
    -0.0,
    1.0,
    0.5,
    1e-7,
    float(np.nextafter(np.float32(0), np.float32(1))),
    float(np.nextafter(np.float32(1), np.float32(0))),
)

WEIGHT_ELEMENTS = {
    # Integers and multiples of 1/8 are summed exactly in float64, in any order.
    "int": st.integers(0, 5),
    "signed_int": st.integers(-3, 5),
    "dyadic": st.integers(0, 24).map(lambda k: k / 8),
    # Arbitrary non-negative floats: sums agree only within the tolerance.
    "positive": st.one_of(st.just(0.0), st.floats(1e-3, 10.0)),
}
EXACT_WEIGHTS = ("int", "signed_int", "dyadic")

# (y_true shape, y_pred shape, aligned shape) for N rows and C columns.
LAYOUTS = {
    "1d": lambda n, c: ((n,), (n,), (n,)),
    "col_pred": lambda n, c: ((n,), (n, 1), (n, 1)),
    "col_true": lambda n, c: ((n, 1), (n,), (n, 1)),
    "2d": lambda n, c: ((n, c), (n, c), (n, c)),
}
WEIGHT_FORMS = {1: ("none", "scalar", "n", "n1"), 2: ("none", "scalar", "n", "n1", "nc")}


@dataclass
class Case:
    """A metric configuration and the updates to apply to it."""

    class_name: str
    kwargs: dict
    updates: list = field(default_factory=list)  # of (y_true, y_pred, sample_weight)
    layout: str = ""
    weight_form: str = ""

    def describe(self) -> str:
        return f"{self.class_name}(**{self.kwargs}), layout={self.layout}, w={self.weight_form}"


def draw_weights(draw, form: str, aligned: tuple[int, ...], kind: str):
    if form == "none":
        return None
    elements = WEIGHT_ELEMENTS[kind]
    if form == "scalar":
        value = draw(elements)
        return int(value) if kind.endswith("int") else float(value)
    shape = {"n": aligned[:1], "n1": (aligned[0], 1), "nc": aligned}[form]
    dtype = np.int64 if kind.endswith("int") else draw(st.sampled_from([np.float32, np.float64]))
    return draw(hnp.arrays(np.float64, shape, elements=elements)).astype(dtype)


def row_slice(value, form: str, rows: slice):
    """The part of ``sample_weight`` that goes with ``rows`` of the labels."""
    if value is None or form == "scalar":
        return value
    return value[rows]


def split_bounds(n: int, cuts: list[int]) -> list[tuple[int, int]]:
    bounds = sorted({0, n, *(min(cut, n) for cut in cuts)})
    if n == 0:
        return [(0, 0)]
    return list(zip(bounds[:-1], bounds[1:]))


def same_array(actual, expected) -> bool:
    """Bit-for-bit equal values of the same dtype (NaN equals NaN)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    return actual.dtype == expected.dtype and np.array_equal(actual, expected, equal_nan=True)


def assert_close(actual, expected, what: str) -> None:
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64),
        np.asarray(expected, dtype=np.float64),
        rtol=RTOL,
        atol=ATOL,
        err_msg=what,
    )


def assert_same_state(fast, reference) -> None:
    fast_vars, ref_vars = fast.variables, reference.variables
    assert len(fast_vars) == len(ref_vars)
    for index, (actual, expected) in enumerate(zip(fast_vars, ref_vars)):
        assert isinstance(actual, np.ndarray)
        assert actual.dtype == np.float64
        assert actual.shape == expected.shape, (index, actual.shape, expected.shape)
        assert_close(actual, expected, f"variable {index}")


def assert_same_result(fast, reference) -> None:
    """Same result: value, dtype, and scalar (NumPy scalar) or vector (ndarray) form."""
    dtype = np.dtype(reference.dtype)
    fast_result, ref_result = fast.result(), reference.result()
    for result in (fast_result, ref_result):
        assert np.asarray(result).dtype == dtype
    assert isinstance(fast_result, np.ndarray) == isinstance(ref_result, np.ndarray)
    assert isinstance(fast_result, np.generic) == isinstance(ref_result, np.generic)
    assert np.shape(fast_result) == np.shape(ref_result)
    assert_close(fast_result, ref_result, "result()")


# =============================================================================================
# The four operating-point metrics


# Mostly float32; float64, float16, integers (0/1) and booleans now and then.
AT_PRED_DTYPES = (np.float32, np.float32, np.float32, np.float64, np.float16, np.int32, np.bool_)


def at_predictions(num_thresholds: int):
    """Probabilities in [0, 1], often exactly on the thresholds (float32 and float64)."""
    last = max(num_thresholds - 1, 1)
    grid = st.integers(0, last).flatmap(
        lambda k: st.sampled_from([k / last, float(np.float32(k / last))])
    )
    return st.one_of(grid, st.sampled_from(QUIRK_VALUES + EDGE_VALUES), st.floats(0.0, 1.0))


@st.composite
def at_cases(draw, max_updates=3, weight_kinds=("int", "dyadic", "signed_int")):
    class_name = draw(st.sampled_from(AT_CLASSES))
    value = draw(
        st.one_of(
            st.sampled_from([0.0, 1.0, 0, 1, 0.5, 0.25, 0.75, 1 / 3, 2 / 3, 0.8, 1e-7]),
            st.floats(0.0, 1.0),
        )
    )
    kwargs = {VALUE_NAMES[class_name]: value}
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


def build(module, case: Case):
    return getattr(module, case.class_name)(**case.kwargs)


def reference_module(class_name: str):
    return REFERENCE_MODULE[class_name]


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
    target = dtype.type(getattr(metric, VALUE_NAMES[class_name]))
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
    fast, reference = build(fm, case), build(reference_module(case.class_name), case)
    assert fast.thresholds == reference.thresholds
    assert_same_result(fast, reference)
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_same_state(fast, reference)
        assert_same_result(fast, reference)
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
    module = fm if impl == "fast" else reference_module(case.class_name)
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
    module = fm if impl == "fast" else reference_module(case.class_name)
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


@pytest.mark.parametrize("module", [fm, ref_operating], ids=["fast", "reference"])
@pytest.mark.parametrize("class_name", AT_CLASSES)
def test_operating_point_config(module, class_name: str) -> None:
    cls = getattr(module, class_name)
    value_name = VALUE_NAMES[class_name]
    assert cls(0.5).get_config() == {
        "name": DEFAULT_NAMES[class_name],
        "dtype": "float32",
        "class_id": None,
        "num_thresholds": 200,
        value_name: 0.5,
    }
    metric = cls(**{value_name: 1}, num_thresholds=7, class_id=2, name="x", dtype="float64")
    config = metric.get_config()
    assert config == {
        "name": "x",
        "dtype": "float64",
        "class_id": 2,
        "num_thresholds": 7,
        value_name: 1,
    }
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config
    assert rebuilt.thresholds == metric.thresholds == [0.0, 1 / 6, 2 / 6, 3 / 6, 4 / 6, 5 / 6, 1.0]
    assert getattr(metric, value_name) == 1
    assert cls(0.5, num_thresholds=1).thresholds == [0.5]
    assert cls(0.5).name == DEFAULT_NAMES[class_name]
    clone = pickle.loads(pickle.dumps(metric))
    assert clone.get_config() == config


@pytest.mark.parametrize("module", [fm, ref_operating], ids=["fast", "reference"])
def test_operating_point_examples(module) -> None:
    """Worked by hand on the Keras doc data, T = 200 (thresholds i/199, p > t).

    y = [0, 0, 0, 1, 1], p = [0, 0.3, 0.8, 0.3, 0.8]. Thresholds below 0.3 (i <= 59): tp 2,
    fp 2, tn 1; from 0.3 to below 0.8 (60 <= i <= 159): tp 1, fp 1, tn 2; above: tp 0, fp 0.
    PrecisionAtRecall(0.5): recall >= 0.5 for i <= 159; precision is 0.5 everywhere there;
    the highest recall (1.0) is at i <= 59, the lowest threshold is 0.0.
    """
    metric = module.PrecisionAtRecall(0.5)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    value, threshold = metric.operating_point()
    assert value == np.float32(0.5)
    assert threshold == 0.0
    # SensitivityAtSpecificity(0.5): specificity >= 0.5 needs tn 2 of 3 (i >= 60); the best
    # sensitivity there is 0.5 (i <= 159); highest specificity among them: 2/3 everywhere, so
    # the lowest threshold, i = 60.
    metric = module.SensitivityAtSpecificity(0.5)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    assert metric.operating_point() == (np.float32(0.5), 60 / 199)
    # RecallAtPrecision(1.0): precision 1 is never reached (tp 0 above 0.8: precision 0).
    metric = module.RecallAtPrecision(1.0)
    metric.update_state([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8])
    value, threshold = metric.operating_point()
    assert value == 0.0 and math.isnan(threshold)


# =============================================================================================
# F1Score and FBetaScore

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
    fast, reference = build(fm, case), build(ref_fscore, case)
    assert_same_result(fast, reference)  # before any update: 0.0, or an empty vector
    assert fast.variables == [] == reference.variables
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_same_state(fast, reference)
        assert_same_result(fast, reference)
    assert fast.num_classes == reference.num_classes == case.updates[0][0].shape[1]


@settings()
@given(case=fscore_cases(max_updates=2))
def test_fscores_call_and_reset_match_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = build(fm, case), build(ref_fscore, case)
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
    assert_same_state(fast, reference)
    assert_same_result(fast, reference)


@pytest.mark.parametrize(
    "module",
    [
        pytest.param(fm, id="fast"),
        pytest.param(ref_fscore, id="reference"),
    ],
)
@pytest.mark.parametrize("average", [None, "micro", "macro"])
def test_fscore_reset_keeps_the_class_count(module, average) -> None:
    """As Keras 3: the first update builds the variables; reset_state() zeroes them in place.

    So after a reset the variables are zeros of the same shape, and the class count stays fixed.
    """
    metric = module.F1Score(average=average)
    metric.update_state([[1, 0, 0], [0, 1, 0]], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]])
    shapes = [v.shape for v in metric.variables]
    metric.reset_state()
    assert [v.shape for v in metric.variables] == shapes
    assert all(not v.any() for v in metric.variables)
    assert metric.num_classes == 3
    with pytest.raises(ValueError):
        metric.update_state([[1, 0]], [[0.9, 0.1]])


@settings()
@given(
    case=fscore_cases(max_updates=1, weight_kinds=("int", "dyadic")),
    cuts=st.lists(st.integers(0, 20), max_size=3),
    impl=st.sampled_from(["fast", "reference"]),
)
def test_fscore_split_and_merge_are_exact(case: Case, cuts, impl: str) -> None:
    note(case.describe())
    module = fm if impl == "fast" else ref_fscore
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


@pytest.mark.parametrize("module", [fm, ref_fscore], ids=["fast", "reference"])
def test_fscore_config(module) -> None:
    assert module.FBetaScore().get_config() == {
        "name": "fbeta_score",
        "dtype": "float32",
        "average": None,
        "beta": 1.0,
        "threshold": None,
    }
    assert module.F1Score().get_config() == {
        "name": "f1_score",
        "dtype": "float32",
        "average": None,
        "threshold": None,
    }
    for cls, kwargs in (
        (module.FBetaScore, {"average": "weighted", "beta": 0.5, "threshold": 0.3}),
        (module.F1Score, {"average": "micro", "threshold": 1.0, "name": "f", "dtype": "float64"}),
    ):
        metric = cls(**kwargs)
        config = metric.get_config()
        for key, value in kwargs.items():
            assert config[key] == value
        rebuilt = cls.from_config(config)
        assert type(rebuilt) is cls
        assert rebuilt.get_config() == config
        metric.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.4, 0.6]])
        clone = pickle.loads(pickle.dumps(metric))
        assert clone.get_config() == config
        for actual, expected in zip(clone.variables, metric.variables):
            assert np.array_equal(actual, expected)
        clone.update_state([[1, 1]], [[0.7, 0.1]])
        metric.update_state([[1, 1]], [[0.7, 0.1]])
        assert same_array(clone.result(), metric.result())


@pytest.mark.parametrize("module", [fm, ref_fscore], ids=["fast", "reference"])
def test_fscore_ties_zero_rows_and_negative_values(module) -> None:
    """threshold=None: every row maximum is positive (ties: all), unless it is 0 (|p| <= 1e-9).

    Rows: [0.5, 0.5, 0.1] -> columns 0, 1 positive; [0, 0, 0] -> none; [-1, -2, -1] -> columns
    0 and 2 (negative maxima are away from zero); [1e-9, 0, 0] -> none (not above 1e-9 in
    float32: float32(1e-9) itself).
    """
    y_true = [[1, 0, 0], [1, 1, 0], [0, 0, 1], [1, 0, 0]]
    y_pred = np.array([[0.5, 0.5, 0.1], [0, 0, 0], [-1, -2, -1], [1e-9, 0, 0]], dtype=np.float32)
    metric = module.FBetaScore()
    metric.update_state(y_true, y_pred)
    # Column 0: predicted rows 0, 2 (labels 1, 0): tp 1, fp 1; labels 1 at rows 0, 1, 3: fn 2.
    # Column 1: predicted row 0 (label 0): fp 1; label 1 at row 1: fn 1.
    # Column 2: predicted row 2 (label 1): tp 1.
    assert np.array_equal(metric.true_positives, [1.0, 0.0, 1.0])
    assert np.array_equal(metric.false_positives, [1.0, 1.0, 0.0])
    assert np.array_equal(metric.false_negatives, [2.0, 1.0, 0.0])
    assert np.array_equal(metric.intermediate_weights, [3.0, 1.0, 1.0])


# =============================================================================================
# precision_recall_at_equal_thresholds

FLOAT16_EPS = float(np.finfo(np.float16).eps)


@st.composite
def equal_threshold_cases(draw):
    num_thresholds = draw(st.one_of(st.just(201), st.sampled_from([2, 3]), st.integers(2, 300)))
    pred_dtype = draw(
        st.sampled_from([np.float16, np.float32, np.float64, np.float32, np.int64, np.bool_])
    )
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    columns = draw(st.integers(1, 4)) if layout == "2d" else 1
    n = draw(st.integers(0, 60 if layout != "2d" else 15))
    true_shape, pred_shape, aligned = LAYOUTS[layout](n, columns)
    last = num_thresholds - 1
    if np.issubdtype(pred_dtype, np.floating):
        elements = st.one_of(
            # On the grid k / (T - 1), exactly in the predictions' dtype and in float64.
            st.integers(0, last).flatmap(
                lambda k: st.sampled_from([k / last, float(pred_dtype(k / last))])
            ),
            st.sampled_from(QUIRK_VALUES + EDGE_VALUES),
            st.floats(0.0, 1.0),
        )
    else:
        elements = st.integers(0, 1)
    y_pred = draw(hnp.arrays(np.float64, pred_shape, elements=elements)).astype(pred_dtype)
    y_true = draw(hnp.arrays(np.int8, true_shape, elements=st.integers(0, 1)))
    y_true = y_true.astype(draw(st.sampled_from([np.bool_, np.int32, np.float32])))
    kinds = ("int", "signed_int", "dyadic") if pred_dtype is np.float16 else tuple(WEIGHT_ELEMENTS)
    rank = len(aligned)
    form = draw(st.sampled_from(WEIGHT_FORMS[rank]))
    weights = draw_weights(draw, form, aligned, draw(st.sampled_from(kinds)))
    kwargs = {}
    if num_thresholds != 201 or draw(st.booleans()):
        kwargs["num_thresholds"] = num_thresholds
    return y_true, y_pred, weights, kwargs


def assert_float16_rates_close(actual: np.ndarray, expected: np.ndarray, what: str) -> None:
    """float16 rates: equal within one float16 ulp.

    rtol 2e-5 is far below float16's resolution (eps = 2**-10 ~ 9.8e-4): both implementations
    count exactly in float64 (checked above), but SPEC section 9 does not fix the precision in
    which precision and recall are divided before the result is rounded to float16; rounding
    the float64 quotient once, or through float32 first (double rounding), can differ by one
    float16 ulp. So compare after casting to float16, allowing that one ulp.
    """
    assert actual.dtype == expected.dtype == np.float16
    a, e = actual.astype(np.float64), expected.astype(np.float64)
    same = a == e  # also the infinities of negative weights (-1 / 1e-7 overflows float16)
    finite = np.isfinite(a) & np.isfinite(e)
    with np.errstate(invalid="ignore", over="ignore"):
        ulp = np.spacing(np.maximum(np.abs(a), np.abs(e)).astype(np.float16)).astype(np.float64)
        close = finite & (np.abs(a - e) <= ulp)
    assert np.all(same | close), (what, actual, expected)


@settings()
@given(case=equal_threshold_cases())
def test_precision_recall_at_equal_thresholds_matches_reference(case) -> None:
    y_true, y_pred, weights, kwargs = case
    note(f"labels={y_true.tolist()}, predictions={y_pred!r}, weights={weights!r}, {kwargs}")
    fast = fm.precision_recall_at_equal_thresholds(y_true, y_pred, weights, **kwargs)
    reference = ref_equal.precision_recall_at_equal_thresholds(y_true, y_pred, weights, **kwargs)
    assert type(fast).__name__ == "PrecisionRecallData"
    assert (
        fast._fields
        == reference._fields
        == (
            "tp",
            "fp",
            "tn",
            "fn",
            "precision",
            "recall",
            "thresholds",
        )
    )
    num_thresholds = kwargs.get("num_thresholds", 201)
    expected_dtype = y_pred.dtype if y_pred.dtype.kind == "f" else np.dtype(np.float64)
    for name in fast._fields:
        actual, expected = getattr(fast, name), getattr(reference, name)
        assert isinstance(actual, np.ndarray), name
        assert actual.shape == expected.shape == (num_thresholds,), name
        assert actual.dtype == expected.dtype == expected_dtype, (name, actual.dtype)
    thresholds = np.linspace(0.0, 1.0, num_thresholds).astype(expected_dtype)
    assert np.array_equal(reference.thresholds, thresholds)
    if expected_dtype == np.float16:
        # Exact weights: float64 counts are exact, so the float16 casts are identical.
        for name in ("tp", "fp", "tn", "fn"):
            assert np.array_equal(getattr(fast, name), getattr(reference, name)), name
        for name in ("precision", "recall"):
            assert_float16_rates_close(getattr(fast, name), getattr(reference, name), name)
    else:
        for name in fast._fields:
            assert_close(getattr(fast, name), getattr(reference, name), name)


@pytest.mark.parametrize(
    "function",
    [fm.precision_recall_at_equal_thresholds, ref_equal.precision_recall_at_equal_thresholds],
    ids=["fast", "reference"],
)
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_equal_thresholds_inclusive_buckets(function, dtype) -> None:
    """SPEC 9: bucket floor(p * (T - 1)); counted at t_i when the bucket is >= i (inclusive).

    T = 5, thresholds [0, 0.25, 0.5, 0.75, 1]; p = [0, 0.25, 0.5, 1.0, 0.6] with labels
    [1, 0, 1, 1, 0]: buckets [0, 1, 2, 4, 2]. tp (labels 1: buckets 0, 2, 4) = [3, 2, 2, 1, 1];
    fp (buckets 1, 2) = [2, 2, 1, 0, 0]; tn = fp[0] - fp; fn = tp[0] - tp.
    """
    data = function([1, 0, 1, 1, 0], np.array([0, 0.25, 0.5, 1.0, 0.6], dtype), num_thresholds=5)
    assert np.array_equal(data.tp, np.array([3, 2, 2, 1, 1], dtype))
    assert np.array_equal(data.fp, np.array([2, 2, 1, 0, 0], dtype))
    assert np.array_equal(data.tn, np.array([0, 0, 1, 2, 2], dtype))
    assert np.array_equal(data.fn, np.array([0, 1, 1, 2, 2], dtype))
    assert np.array_equal(data.thresholds, np.array([0, 0.25, 0.5, 0.75, 1], dtype))
    expected_precision = np.array([3 / 5, 2 / 4, 2 / 3, 1.0, 1.0]).astype(dtype)
    np.testing.assert_allclose(data.precision, expected_precision, rtol=FLOAT16_EPS)
    assert data.precision.dtype == dtype
    # No data at all: 0 / max(1e-7, 0) = 0 everywhere.
    empty = function(np.zeros(0), np.zeros(0, dtype), num_thresholds=3)
    assert np.array_equal(empty.precision, np.zeros(3, dtype))

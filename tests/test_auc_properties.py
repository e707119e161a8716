"""AUC: the fast class agrees with the pure-NumPy reference on random inputs.

Every property feeds the same data to ``ferrometrics.AUC`` and ``ferrometrics.reference.AUC``
and compares ``result()``, every state variable, every array of ``curve_points()`` and
``interpolate_pr_auc()`` within the documented tolerance (SPEC section 11: rtol 2e-5,
atol 2e-6), over curve x summation method x multi_label (with and without ``num_labels``) x
``label_weights`` x sample-weight forms x user thresholds x ``num_thresholds`` x ``from_logits``
x dtype. Predictions are drawn often exactly on threshold values, including the float32 values
``float32(k / 199)`` that Keras's even path counts above threshold ``k`` (SPEC section 3).

Other properties check, on both implementations: that splitting a batch over several updates,
or over several metrics that are pickled and merged (also into an unbuilt multi-label AUC),
gives exactly the state of one update (integer weights); that a pickled or deep-copied AUC
continues exactly as the original; and that ``get_config`` agrees with the reference and
rebuilds the same metric. Worked examples are in ``test_auc.py``.

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
    EDGE_PROBABILITIES,
    LAYOUTS,
    QUIRK_VALUES,
    WEIGHT_FORMS,
    Case,
    assert_close,
    draw_weights,
    row_slice,
    same_array,
    split_bounds,
)

import ferrometrics as fm
from ferrometrics import reference as ref

CURVES = ("ROC", "PR", "PRGAIN", "roc", "pr", "prgain")
SUMMATIONS = ("interpolation", "minoring", "majoring", "Interpolation", "Minoring", "Majoring")

# Values in [0, 1] next to the edges of the even path's buckets and the epsilon end points.
EDGE_VALUES = (*EDGE_PROBABILITIES, 1.0 - 1e-7)
LOGIT_VALUES = (0.0, -0.0, 8.0, -8.0, 1e-6, -1e-6)
# Mostly float32; float64, float16, integers and booleans now and then.
PRED_DTYPES = (
    np.float32,
    np.float32,
    np.float32,
    np.float64,
    np.float64,
    np.float16,
    np.int64,
    np.uint8,
    np.bool_,
)

# Label weights: exact products with support's WEIGHT_ELEMENTS ("dyadic") or arbitrary ("float").
LABEL_WEIGHT_ELEMENTS = {
    "dyadic": st.sampled_from([0.0, 0.25, 0.5, 1.0, 2.0, 3.0]),
    "float": st.one_of(st.just(0.0), st.floats(0.0, 5.0)),
}


@st.composite
def user_thresholds(draw):
    """User threshold lists: unsorted, evenly spaced (even path), with duplicates, empty."""
    kind = draw(st.sampled_from(["list", "even", "even_shuffled", "even_float32", "ends", "dup"]))
    unit = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0, 1 / 3, 1e-7, 1 - 1e-7, *QUIRK_VALUES]),
        st.floats(0.0, 1.0),
    )
    if kind == "list":
        values = draw(st.lists(unit, min_size=0, max_size=8))
        return tuple(values) if draw(st.booleans()) else values
    n = draw(st.integers(3, 40))
    even = [k / (n - 1) for k in range(1, n - 1)]  # e.g. [0.25, 0.5, 0.75] for n = 5
    if kind == "even":
        return even
    if kind == "even_shuffled":
        return draw(st.permutations(even))
    if kind == "even_float32":  # within Keras's allclose tolerance: still the even path
        return np.asarray(even, dtype=np.float32).tolist()
    if kind == "ends":  # 0 and 1 given explicitly: [0, 0, ..., 1, 1] is not evenly spaced
        return [0.0, *even, 1.0]
    # "dup": an evenly spaced list with one value repeated (not even any more)
    index = draw(st.integers(0, len(even) - 1))
    return [*even, even[index]]


@st.composite
def auc_kwargs(draw, multi_label=None, exact_label_weights=False):
    """Constructor arguments, and the (layout, columns) the updates must use."""
    if multi_label is None:
        multi_label = draw(st.booleans())
    kwargs = {
        "curve": draw(st.sampled_from(CURVES)),
        "summation_method": draw(st.sampled_from(SUMMATIONS)),
    }
    if draw(st.integers(0, 2)) == 0:
        kwargs["thresholds"] = draw(user_thresholds())
    else:
        kwargs["num_thresholds"] = draw(
            st.one_of(st.just(200), st.integers(2, 300), st.sampled_from([2, 3, 4, 5]))
        )
    dtype = draw(st.sampled_from([None, "float32", "float64"]))
    if dtype is not None:
        kwargs["dtype"] = dtype
    if draw(st.booleans()):
        kwargs["from_logits"] = True

    layout = "2d" if multi_label else draw(st.sampled_from(sorted(LAYOUTS)))
    columns = draw(st.integers(1, 4)) if layout == "2d" else 1
    if multi_label:
        kwargs["multi_label"] = True
        if draw(st.booleans()):
            kwargs["num_labels"] = columns
    if draw(st.booleans()):
        elements = LABEL_WEIGHT_ELEMENTS["dyadic" if exact_label_weights else "float"]
        kwargs["label_weights"] = draw(st.lists(elements, min_size=columns, max_size=columns))
    return kwargs, layout, columns


def all_thresholds(kwargs: dict) -> list[float]:
    """The full threshold list as SPEC section 4 defines it (used to draw predictions)."""
    if "thresholds" in kwargs:
        return [-1e-7, *sorted(float(t) for t in kwargs["thresholds"]), 1 + 1e-7]
    count = kwargs["num_thresholds"]
    return [-1e-7] + [(i + 1) / (count - 1) for i in range(count - 2)] + [1 + 1e-7]


def logit_near(p: float, step: int) -> float:
    """``log(p / (1 - p))`` in float32, moved by ``step`` float32 steps."""
    logit = np.float32(np.log(p / (1 - p)))
    direction = np.float32(np.inf if step > 0 else -np.inf)
    return float(np.nextafter(logit, direction) if step else logit)


def prediction_elements(kwargs: dict):
    """Predictions: logits in [-8, 8], or probabilities drawn often exactly on thresholds."""
    thresholds = all_thresholds(kwargs)
    count = len(thresholds)
    if kwargs.get("from_logits"):
        # Logits whose sigmoid lands on (or one float32 step beside) a grid value k / (T - 1).
        near_grid = st.tuples(st.integers(1, max(count - 2, 1)), st.sampled_from([-1, 0, 1])).map(
            lambda kd: logit_near(kd[0] / (count - 1), kd[1])
        )
        options = [st.sampled_from(LOGIT_VALUES), st.floats(-8.0, 8.0)]
        return st.one_of(*options, near_grid) if count > 2 else st.one_of(*options)
    # The grid k / (T - 1) in float32 and float64: where the even path's buckets change.
    grid = st.integers(0, count - 1).flatmap(
        lambda k: st.sampled_from([k / (count - 1), float(np.float32(k / (count - 1)))])
    )
    interior = [t for t in thresholds if 0.0 <= t <= 1.0]
    on_thresholds = [*interior, *(float(np.float32(t)) for t in interior)]
    options = [grid, st.sampled_from(QUIRK_VALUES + EDGE_VALUES), st.floats(0.0, 1.0)]
    if on_thresholds:
        options.append(st.sampled_from(on_thresholds))
    return st.one_of(*options)


@st.composite
def auc_cases(draw, max_updates=3, weight_kinds=("int", "dyadic", "positive"), multi_label=None):
    """A random AUC and 1..max_updates valid updates with the same layout and columns."""
    exact = set(weight_kinds) <= {"int", "signed_int", "dyadic"}
    kwargs, layout, columns = draw(auc_kwargs(multi_label, exact_label_weights=exact))
    rank = len(LAYOUTS[layout](1, columns)[2])
    weight_form = draw(st.sampled_from(WEIGHT_FORMS[rank]))
    weight_kind = draw(st.sampled_from(weight_kinds))
    case = Case("AUC", kwargs, layout=layout, weight_form=weight_form)
    max_rows = 60 if rank == 1 else 15
    for _ in range(draw(st.integers(1, max_updates))):
        n = draw(st.integers(0, max_rows))
        true_shape, pred_shape, aligned = LAYOUTS[layout](n, columns)
        label_dtype = draw(st.sampled_from([np.bool_, np.int32, np.float32, np.float64]))
        pred_dtype = draw(st.sampled_from(PRED_DTYPES))
        y_true = draw(hnp.arrays(np.int8, true_shape, elements=st.integers(0, 1)))
        if draw(st.integers(0, 5)) == 0:  # often a single class in a batch
            y_true[...] = draw(st.integers(0, 1))
        elements = prediction_elements(kwargs)
        if not np.issubdtype(pred_dtype, np.floating):
            elements = st.integers(0, 1) if not kwargs.get("from_logits") else st.integers(-3, 3)
            if pred_dtype is np.uint8 or pred_dtype is np.bool_:
                elements = st.integers(0, 1)
        values = draw(hnp.arrays(np.float64, pred_shape, elements=elements))
        y_pred = values.astype(pred_dtype)
        weights = draw_weights(draw, weight_form, aligned, weight_kind)
        case.updates.append((y_true.astype(label_dtype), y_pred, weights))
    return case


def assert_same_scalar(actual, expected, dtype: np.dtype, what: str) -> None:
    for value in (actual, expected):
        assert isinstance(value, np.generic), (what, type(value))
        assert value.dtype == dtype, (what, value.dtype)
    assert_close(actual, expected, what)


def assert_same_auc(fast, reference) -> None:
    """Same result, interpolated PR AUC, variables and curve, within the tolerance."""
    dtype = np.dtype(reference.dtype)
    assert fast.dtype == reference.dtype
    assert fast.thresholds == reference.thresholds
    assert fast.num_thresholds == reference.num_thresholds == len(reference.thresholds)
    assert_same_scalar(fast.result(), reference.result(), dtype, "result()")
    assert_same_scalar(
        fast.interpolate_pr_auc(), reference.interpolate_pr_auc(), dtype, "interpolate_pr_auc()"
    )
    fast_vars, ref_vars = fast.variables, reference.variables
    assert len(fast_vars) == len(ref_vars)
    names = ("true_positives", "false_positives", "true_negatives", "false_negatives")
    for name, actual, expected in zip(names, fast_vars, ref_vars):
        assert isinstance(actual, np.ndarray)
        assert actual.dtype == np.float64
        assert actual.shape == expected.shape, (name, actual.shape, expected.shape)
        assert_close(actual, expected, name)
        assert np.array_equal(getattr(fast, name), actual)
    fast_curve, ref_curve = fast.curve_points(), reference.curve_points()
    assert type(fast_curve).__name__ == type(ref_curve).__name__ == "CurvePoints"
    assert fast_curve._fields == ref_curve._fields
    assert np.array_equal(fast_curve.thresholds, ref_curve.thresholds)
    assert fast_curve.thresholds.dtype == np.float64
    for name in ("tp", "fp", "tn", "fn", "precision", "recall", "fpr"):
        actual, expected = getattr(fast_curve, name), getattr(ref_curve, name)
        assert isinstance(actual, np.ndarray), name
        assert actual.shape == expected.shape, (name, actual.shape, expected.shape)
        assert actual.dtype == expected.dtype, (name, actual.dtype, expected.dtype)
        assert_close(actual, expected, f"curve_points().{name}")
    if fast_vars:
        assert np.array_equal(fast_curve.tp, fast_vars[0])
        assert np.array_equal(fast_curve.fn, fast_vars[3])


# ---------------------------------------------------------------------------------------------
# Fast == reference


@settings()
@given(case=auc_cases())
def test_auc_matches_reference(case: Case) -> None:
    note(case.describe())
    fast, reference = fm.AUC(**case.kwargs), ref.AUC(**case.kwargs)
    assert_same_auc(fast, reference)  # before any update
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_same_auc(fast, reference)


@settings()
@given(case=auc_cases(multi_label=True))
def test_multi_label_auc_matches_reference(case: Case) -> None:
    """The multi-label variant on its own, so that it gets its full share of examples."""
    note(case.describe())
    fast, reference = fm.AUC(**case.kwargs), ref.AUC(**case.kwargs)
    assert_same_auc(fast, reference)
    for y_true, y_pred, weights in case.updates:
        note(f"y_true={y_true.tolist()}, y_pred={y_pred.tolist()}, w={weights!r}")
        reference.update_state(y_true, y_pred, weights)
        fast.update_state(y_true, y_pred, weights)
        assert_same_auc(fast, reference)


@settings()
@given(case=auc_cases(max_updates=2))
def test_auc_call_and_reset_match_reference(case: Case) -> None:
    """``__call__`` returns the cumulative result; ``reset_state`` starts afresh."""
    note(case.describe())
    fast, reference = fm.AUC(**case.kwargs), ref.AUC(**case.kwargs)
    dtype = np.dtype(reference.dtype)
    for y_true, y_pred, weights in case.updates:
        fast_value = fast(y_true, y_pred, weights)
        ref_value = reference(y_true, y_pred, weights)
        assert_same_scalar(fast_value, ref_value, dtype, "__call__")
        # Negative or tiny label weights can make the result NaN: NaN must equal NaN here.
        assert np.array_equal(fast_value, fast.result(), equal_nan=True)
    fast.reset_state()
    reference.reset_state()
    assert all(not v.any() for v in fast.variables)
    assert [v.shape for v in fast.variables] == [v.shape for v in reference.variables]
    assert fast.result() == 0.0
    y_true, y_pred, weights = case.updates[-1]
    fast.update_state(y_true, y_pred, weights)
    reference.update_state(y_true, y_pred, weights)
    assert_same_auc(fast, reference)


# ---------------------------------------------------------------------------------------------
# Exact counting with integer weights: split updates, and pickled metrics merged


@settings()
@given(
    case=auc_cases(max_updates=1, weight_kinds=("signed_int", "dyadic")),
    cuts=st.lists(st.integers(0, 60), max_size=3),
    impl=st.sampled_from([fm.AUC, ref.AUC]),
)
def test_auc_split_and_merged_updates_are_exact(case: Case, cuts: list[int], impl) -> None:
    note(case.describe())
    y_true, y_pred, weights = case.updates[0]
    # With no rows, one empty part (it builds an unbuilt multi-label AUC, as `whole`).
    bounds = split_bounds(y_true.shape[0], cuts)
    whole = impl(**case.kwargs)
    whole.update_state(y_true, y_pred, weights)
    sequential = impl(**case.kwargs)
    pickled = []
    for start, stop in bounds:
        rows = slice(start, stop)
        part = (y_true[rows], y_pred[rows], row_slice(weights, case.weight_form, rows))
        sequential.update_state(*part)
        alone = impl(**case.kwargs)
        alone.update_state(*part)
        pickled.append(pickle.dumps(alone))
    # Merged into a fresh metric (an unbuilt one for multi_label without num_labels), with a
    # fresh (possibly unbuilt) metric among the merged ones too.
    merged = impl(**case.kwargs)
    merged.merge_state([pickle.loads(data) for data in pickled] + [impl(**case.kwargs)])
    for metric in (sequential, merged):
        assert len(metric.variables) == len(whole.variables) == 4
        for actual, expected in zip(metric.variables, whole.variables):
            assert actual.shape == expected.shape
            assert np.array_equal(actual, expected)
        assert same_array(metric.result(), whole.result())
        assert same_array(metric.interpolate_pr_auc(), whole.interpolate_pr_auc())


# ---------------------------------------------------------------------------------------------
# Pickling and copying


@settings()
@given(
    case=auc_cases(max_updates=3, weight_kinds=("signed_int", "dyadic")),
    how=st.sampled_from(["pickle", "deepcopy"]),
    impl=st.sampled_from([fm.AUC, ref.AUC]),
    at=st.integers(0, 3),
)
def test_auc_copy_continues_like_the_original(case: Case, how: str, impl, at: int) -> None:
    """A copy taken after ``at`` updates continues exactly as the original would."""
    note(case.describe())
    at = min(at, len(case.updates))
    original = impl(**case.kwargs)
    for update in case.updates[:at]:
        original.update_state(*update)
    before = original.variables
    clone = pickle.loads(pickle.dumps(original)) if how == "pickle" else copy.deepcopy(original)
    assert type(clone) is impl
    assert clone.get_config() == original.get_config()
    assert clone.thresholds == original.thresholds
    assert len(clone.variables) == len(before)
    for actual, wanted in zip(clone.variables, before):
        assert np.array_equal(actual, wanted)
    assert same_array(clone.result(), original.result())
    for update in case.updates[at:]:
        clone.update_state(*update)
    for actual, wanted in zip(original.variables, before):
        assert np.array_equal(actual, wanted)  # the original is independent of its copy
    for update in case.updates[at:]:
        original.update_state(*update)
    for actual, wanted in zip(clone.variables, original.variables):
        assert np.array_equal(actual, wanted)
    assert same_array(clone.result(), original.result())
    assert np.asarray(clone.result()).dtype == np.dtype(original.dtype)


# ---------------------------------------------------------------------------------------------
# get_config / from_config


@settings()
@given(kwargs_layout=auc_kwargs(), name=st.sampled_from([None, "my_auc"]))
def test_auc_config_matches_reference(kwargs_layout, name) -> None:
    kwargs, _, _ = kwargs_layout
    if name is not None:
        kwargs["name"] = name
    fast, reference = fm.AUC(**kwargs), ref.AUC(**kwargs)
    config = fast.get_config()
    assert config == reference.get_config()
    assert config["curve"] in ("ROC", "PR", "PRGAIN")
    assert config["summation_method"] in ("interpolation", "minoring", "majoring")
    assert fast.curve.value == reference.curve.value == config["curve"]
    assert fast.summation_method.value == reference.summation_method.value
    assert reference.summation_method.value == config["summation_method"]
    assert ("thresholds" in config) == ("thresholds" in kwargs)
    if "thresholds" in kwargs:
        assert config["thresholds"] == sorted(float(t) for t in kwargs["thresholds"])
    assert config["num_thresholds"] == len(fast.thresholds)
    assert fast.thresholds == all_thresholds(kwargs)
    rebuilt = fm.AUC.from_config(config)
    assert rebuilt.get_config() == config
    assert rebuilt.thresholds == fast.thresholds

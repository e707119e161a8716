"""``precision_recall_at_equal_thresholds``: the fast function agrees with the pure-NumPy
reference on random inputs (SPEC section 9).

float16/32/64 (and integer or boolean) predictions, often exactly on the grid ``k / (T - 1)``,
weights, ``num_thresholds`` 2..300: all seven arrays must have the same names, shape and dtype,
and equal values within the documented tolerance (SPEC section 11: rtol 2e-5, atol 2e-6);
float16 counts exactly, float16 rates within one float16 ulp. The worked example is in
``test_equal_thresholds.py``.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import (
    EDGE_PROBABILITIES,
    LAYOUTS,
    QUIRK_VALUES,
    WEIGHT_ELEMENTS,
    WEIGHT_FORMS,
    assert_close,
    draw_weights,
)

import ferrometrics as fm
from ferrometrics import reference as ref


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
            st.sampled_from(QUIRK_VALUES + EDGE_PROBABILITIES),
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
    reference = ref.precision_recall_at_equal_thresholds(y_true, y_pred, weights, **kwargs)
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

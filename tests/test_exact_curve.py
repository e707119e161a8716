"""``ExactCurve``: the table of weighted totals per distinct score, and sklearn's curves from it.

Run on ``ferrometrics.reference.ExactCurve`` and on ``ferrometrics._core.ExactCurve`` (the same
API). Degenerate tables (empty, no
positives, no negatives) give scikit-learn's arrays or NaN; updates split over several curves
and merged, or saved with ``state()`` and rebuilt with ``from_state``, give the table of one
update; and on random inputs every curve and score equals scikit-learn's private
``_binary_clf_curve`` counterparts (to ``rtol=1e-12``).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import sklearn.metrics
from hypothesis import given
from hypothesis import strategies as st

from ferrometrics import _core
from ferrometrics.reference import ExactCurve as ReferenceCurve

CORE_CURVE = _core.ExactCurve
CURVES = [pytest.param(ReferenceCurve, id="reference"), pytest.param(CORE_CURVE, id="fast")]
CURVE_BY_ID = {"reference": ReferenceCurve, "fast": CORE_CURVE}
RTOL = 1e-12


def assert_arrays_equal(ours, theirs) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert isinstance(a, np.ndarray) and a.dtype == np.float64
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=0)


def sklearn_quietly(function, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return function(*args, **kwargs)


@pytest.mark.parametrize("curve_class", CURVES)
def test_an_empty_curve(curve_class) -> None:
    curve = curve_class()
    assert len(curve) == 0 and curve.positive_total == 0 and curve.negative_total == 0
    assert all(a.shape == (0,) for a in curve.state())
    assert all(a.shape == (0,) for a in curve.binary_clf_curve())
    assert_arrays_equal(curve.roc_curve(), ([np.nan], [np.nan], [np.inf]))
    assert_arrays_equal(curve.precision_recall_curve(), ([1.0], [0.0], np.empty(0)))
    # No positives: ROC AUC undefined, average precision 0 (scikit-learn's score without them).
    assert np.isnan(curve.roc_auc()) and curve.average_precision() == 0.0


@pytest.mark.parametrize("curve_class", CURVES)
@pytest.mark.parametrize("label", [0, 1])
def test_one_class_only(curve_class, label: int) -> None:
    y_true = np.full(5, label)
    y_score = np.array([0.1, 0.5, 0.5, 0.7, 0.2])
    curve = curve_class()
    curve.update(y_true, y_score)
    for drop in (True, False):
        expected = sklearn_quietly(
            sklearn.metrics.roc_curve, y_true, y_score, pos_label=1, drop_intermediate=drop
        )
        assert_arrays_equal(curve.roc_curve(drop_intermediate=drop), expected)
        expected = sklearn_quietly(
            sklearn.metrics.precision_recall_curve, y_true, y_score, drop_intermediate=drop
        )
        assert_arrays_equal(curve.precision_recall_curve(drop_intermediate=drop), expected)
    assert np.isnan(curve.roc_auc()) and np.isnan(curve.roc_auc(0.5))
    assert curve.average_precision() == (1.0 if label else 0.0)


@pytest.mark.parametrize("curve_class", CURVES)
def test_the_table(curve_class) -> None:
    curve = curve_class()
    y_true = np.array([1.0, 0.0, 2.0, 1.0, 1.0, 0.0])  # 2.0 is a negative for pos_label 1
    curve.update(y_true, np.array([0.5, 0.5, 0.9, 0.1, 0.9, 0.3]), np.array([2, 1, 1, 0, 3, 1.0]))
    scores, pos, neg = curve.state()
    # The weight-0 sample's score (0.1) is no row.
    np.testing.assert_array_equal(scores, [0.9, 0.5, 0.3])
    np.testing.assert_array_equal(pos, [3.0, 2.0, 0.0])
    np.testing.assert_array_equal(neg, [1.0, 1.0, 1.0])
    assert len(curve) == 3 and curve.positive_total == 5.0 and curve.negative_total == 3.0
    fps, tps, thresholds = curve.binary_clf_curve()
    np.testing.assert_array_equal(fps, [1, 2, 3])
    np.testing.assert_array_equal(tps, [3, 5, 5])
    np.testing.assert_array_equal(thresholds, scores)
    curve.reset()
    assert len(curve) == 0


@pytest.mark.parametrize("curve_class", CURVES)
def test_labels_and_views(curve_class) -> None:
    base = np.array([[1, 9], [0, 9], [1, 9], [0, 9]], dtype=np.int32)
    scores = np.array([[0.3, 0.0], [0.1, 0.0], [0.2, 0.0], [0.25, 0.0]])
    strided = curve_class()
    strided.update(base[:, 0], scores[:, 0])
    as_bools = curve_class()
    as_bools.update(base[:, 0] == 1, scores[:, 0].copy(), pos_label=True)
    for a, b in zip(strided.state(), as_bools.state()):
        np.testing.assert_array_equal(a, b)
    assert strided.roc_auc() == 0.75


@pytest.mark.parametrize("curve_class", CURVES)
def test_merge_and_state(curve_class) -> None:
    rng = np.random.default_rng(7)
    y_true = rng.integers(0, 2, 200)
    y_score = rng.integers(0, 9, 200) / 8
    weight = rng.integers(0, 4, 200).astype(np.float64)
    whole = curve_class()
    whole.update(y_true, y_score, weight)
    merged = curve_class()
    for part in np.array_split(np.arange(200), 5):
        piece = curve_class()
        piece.update(y_true[part], y_score[part], weight[part])
        merged.merge(curve_class.from_state(*piece.state()))
    for a, b in zip(whole.state(), merged.state()):
        np.testing.assert_array_equal(a, b)
    assert merged.roc_auc() == whole.roc_auc()


@pytest.mark.parametrize("curve_class", CURVES)
def test_bad_arguments(curve_class) -> None:
    with pytest.raises(ValueError):
        curve_class.from_state([0.1, 0.5], [1.0, 0.0], [0.0, 1.0])  # not decreasing
    with pytest.raises(ValueError):
        curve_class().update(np.array([0, 1]), np.array([0.1, 0.2, 0.3]))
    with pytest.raises(ValueError):
        curve_class().update(np.array([0, 1]), np.array([0.1, np.nan]))
    curve = curve_class()
    curve.update(np.array([0, 1]), np.array([0.1, 0.2]))
    for max_fpr in (0, -0.5, 1.5):
        with pytest.raises(ValueError, match="Expected max_fpr in range"):
            curve.roc_auc(max_fpr)


@given(data=st.data())
def test_agrees_with_scikit_learn(data) -> None:
    implementation = data.draw(st.sampled_from([k for k, v in CURVE_BY_ID.items() if v]))
    curve_class = CURVE_BY_ID[implementation]
    n = data.draw(st.integers(1, 16), label="n")
    y_true = np.array(data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n)))
    alphabet = data.draw(st.sampled_from([[0.0, 1.0], [0.0, 0.25, 0.5, 1.0], [-1.0, 0.0, 2.5]]))
    y_score = np.array(data.draw(st.lists(st.sampled_from(alphabet), min_size=n, max_size=n)))
    weight = None
    if data.draw(st.booleans(), label="weighted"):
        values = st.sampled_from([0.0, 0.5, 1.0, 3.0])
        weight = np.array(data.draw(st.lists(values, min_size=n, max_size=n)))
        if not weight.any():
            return  # scikit-learn refuses all-zero weights
    cut = data.draw(st.integers(0, n), label="cut")
    curve = curve_class()
    curve.update(y_true[:cut], y_score[:cut], None if weight is None else weight[:cut])
    rest = curve_class()
    rest.update(y_true[cut:], y_score[cut:], None if weight is None else weight[cut:])
    curve.merge(rest)
    for drop in (True, False):
        expected = sklearn_quietly(
            sklearn.metrics.roc_curve, y_true, y_score, sample_weight=weight, drop_intermediate=drop
        )
        assert_arrays_equal(curve.roc_curve(drop_intermediate=drop), expected)
        expected = sklearn_quietly(
            sklearn.metrics.precision_recall_curve,
            y_true,
            y_score,
            sample_weight=weight,
            drop_intermediate=drop,
        )
        assert_arrays_equal(curve.precision_recall_curve(drop_intermediate=drop), expected)
    expected_ap = sklearn_quietly(
        sklearn.metrics.average_precision_score, y_true, y_score, sample_weight=weight
    )
    np.testing.assert_allclose(curve.average_precision(), expected_ap, rtol=RTOL, atol=0)
    if curve.positive_total > 0 and curve.negative_total > 0:
        for max_fpr in (None, 0.2, 0.5, 1.0):
            expected_auc = sklearn.metrics.roc_auc_score(
                y_true, y_score, sample_weight=weight, max_fpr=max_fpr
            )
            np.testing.assert_allclose(curve.roc_auc(max_fpr), expected_auc, rtol=RTOL, atol=0)
    else:
        assert np.isnan(curve.roc_auc())

"""``_core.ExactCurve``: every query against scikit-learn 1.9 (the oracle) and the NumPy reference.

scikit-learn's own functions are called on the whole data (``roc_curve``,
``precision_recall_curve``, ``confusion_matrix_at_thresholds``, ``roc_auc_score`` with and
without ``max_fpr``, ``average_precision_score``) and compared with the table's answers at rtol
1e-12. Scores come from small alphabets (many ties) or anywhere; weights are None, dyadic
(sums exact, so the same points are kept by ``drop_intermediate`` as scikit-learn's own
per-sample sums keep), or arbitrary positive floats (then only the scores, whose sums may round
differently, are compared). Data split into batches and merged in any order gives the state of
one update exactly; bad input leaves the state as it was; pickling round-trips.
"""

from __future__ import annotations

import pickle
import warnings

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from sklearn import metrics as sklearn_metrics

from ferrometrics import reference as ref
from ferrometrics._core import ExactCurve

RTOL = 1e-12
ALPHABETS = (
    np.array([0.0, 1.0]),
    np.array([-1.0, 0.0, 0.5, 1.0, 3.0]),
    np.linspace(0, 1, 11),
)
DYADIC_WEIGHTS = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 3.0])


@st.composite
def data(draw, weights=("none", "dyadic", "float")):
    n = draw(st.integers(1, 60))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    kind = draw(st.sampled_from(["alphabet", "any", "float32"]))
    if kind == "alphabet":
        scores = rng.choice(ALPHABETS[draw(st.integers(0, len(ALPHABETS) - 1))], n)
    elif kind == "any":
        scores = rng.normal(size=n)
    else:
        scores = rng.random(n).astype(np.float32)
    form = draw(st.sampled_from(weights))
    if form == "none":
        w = None
    elif form == "dyadic":
        w = rng.choice(DYADIC_WEIGHTS, n)
    else:
        w = rng.random(n) + 0.01
    note(f"labels={labels.tolist()} scores={scores.tolist()} weights={w}")
    return labels, scores, w, form


def kept(weights, n):
    return np.ones(n, bool) if weights is None else weights != 0


def assert_same(actual, expected):
    actual = np.asarray(actual, dtype=np.float64)
    expected = np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, (actual, expected)
    np.testing.assert_allclose(actual, expected, rtol=RTOL, atol=0)


def curve(labels, scores, weights=None):
    c = ExactCurve()
    c.update(labels, scores, weights)
    return c


@given(data())
def test_curves_equal_scikit_learn(case):
    labels, scores, weights, form = case
    mask = kept(weights, len(labels))
    if not mask.any():
        return
    c = curve(labels, scores, weights)
    exact_sums = form != "float"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _, fps, _, tps, thresholds = sklearn_metrics.confusion_matrix_at_thresholds(
            labels, scores, sample_weight=weights
        )
        expected = {
            "clf": (fps, tps, thresholds),
            "roc": sklearn_metrics.roc_curve(labels, scores, sample_weight=weights),
            "roc_all": sklearn_metrics.roc_curve(
                labels, scores, sample_weight=weights, drop_intermediate=False
            ),
            "pr": sklearn_metrics.precision_recall_curve(labels, scores, sample_weight=weights),
            "pr_drop": sklearn_metrics.precision_recall_curve(
                labels, scores, sample_weight=weights, drop_intermediate=True
            ),
        }
    actual = {
        "clf": c.binary_clf_curve(),
        "roc": c.roc_curve(),
        "roc_all": c.roc_curve(drop_intermediate=False),
        "pr": c.precision_recall_curve(),
        "pr_drop": c.precision_recall_curve(drop_intermediate=True),
    }
    for name in expected:
        # Float weights sum in another order: a point may be kept by one rounding only.
        if exact_sums or name in ("clf", "roc_all", "pr"):
            for a, e in zip(actual[name], expected[name]):
                assert_same(a, e)
    assert len(c) == len(np.unique(scores[mask]))


@given(data(), st.sampled_from([None, 1.0, 0.5, 0.25, 0.01, 0.999]))
def test_scores_equal_scikit_learn(case, max_fpr):
    labels, scores, weights, _ = case
    mask = kept(weights, len(labels))
    c = curve(labels, scores, weights)
    classes = set(labels[mask].tolist())
    if classes != {0, 1}:
        assert np.isnan(c.roc_auc(max_fpr))
        if mask.any():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                expected = sklearn_metrics.average_precision_score(
                    labels, scores, sample_weight=weights
                )
            assert_same(c.average_precision(), expected)
        return
    expected_auc = sklearn_metrics.roc_auc_score(
        labels, scores, sample_weight=weights, max_fpr=max_fpr
    )
    assert_same(c.roc_auc(max_fpr), expected_auc)
    expected_ap = sklearn_metrics.average_precision_score(labels, scores, sample_weight=weights)
    assert_same(c.average_precision(), expected_ap)


@given(data())
def test_reference_agrees(case):
    labels, scores, weights, _ = case
    c = curve(labels, scores, weights)
    r = ref.ExactCurve()
    r.update(labels, scores, weights)
    for a, e in zip(c.state(), r.state()):
        assert_same(a, e)
    for name in ("binary_clf_curve", "roc_curve", "precision_recall_curve"):
        for a, e in zip(getattr(c, name)(), getattr(r, name)()):
            assert_same(a, e)
    assert_same(c.average_precision(), r.average_precision())
    assert_same(c.roc_auc(), r.roc_auc())
    assert_same(c.roc_auc(0.3), r.roc_auc(0.3))


@given(data(weights=("none", "dyadic")), st.integers(1, 5), st.randoms())
def test_split_and_merge_in_any_order_is_one_update(case, parts, random):
    labels, scores, weights, _ = case
    whole = curve(labels, scores, weights)
    cuts = sorted(random.sample(range(len(labels) + 1), min(parts, len(labels) + 1)))
    bounds = [0, *cuts, len(labels)]
    pieces = []
    for a, b in zip(bounds, bounds[1:]):
        pieces.append(curve(labels[a:b], scores[a:b], None if weights is None else weights[a:b]))
    random.shuffle(pieces)
    # Merge as a random tree: pairs merged into each other until one is left.
    while len(pieces) > 1:
        i = random.randrange(len(pieces) - 1)
        pieces[i].merge(pieces.pop(i + 1))
    for a, e in zip(pieces[0].state(), whole.state()):
        assert np.array_equal(a, e)


@given(data())
def test_pickling_round_trips(case):
    labels, scores, weights, _ = case
    c = curve(labels, scores, weights)
    back = pickle.loads(pickle.dumps(c))
    for a, e in zip(back.state(), c.state()):
        assert np.array_equal(a, e)
    assert back.roc_auc() == c.roc_auc() or np.isnan(c.roc_auc())


def test_documented_example():
    # scikit-learn's docstring example: 0.8 (+), 0.4 (-), 0.35 (+), 0.1 (-).
    c = curve(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]))
    assert c.roc_auc() == 0.75
    fpr, tpr, thresholds = c.roc_curve()
    assert fpr.tolist() == [0.0, 0.0, 0.5, 0.5, 1.0]
    assert tpr.tolist() == [0.0, 0.5, 0.5, 1.0, 1.0]
    assert thresholds.tolist() == [np.inf, 0.8, 0.4, 0.35, 0.1]
    assert c.positive_total == 2.0 and c.negative_total == 2.0 and len(c) == 4


def test_pos_label_and_input_forms():
    labels = np.array([3, 7, 3, 7, 3])
    scores = np.array([0.9, 0.8, 0.7, 0.2, 0.1])
    c = curve(labels, scores)
    c3 = ExactCurve()
    c3.update(labels, scores, pos_label=3)
    expected = sklearn_metrics.roc_auc_score(labels == 3, scores)
    assert c3.roc_auc() == expected
    assert np.isnan(c.roc_auc())  # no label equals 1
    # A column of a C-contiguous matrix is read in place; other dtypes and lists work.
    matrix = np.stack([labels == 3, labels == 7], axis=1).astype(np.int8)
    column = ExactCurve()
    column.update(matrix[:, 0], np.stack([scores, -scores], axis=1)[:, 0])
    assert column.roc_auc() == expected
    for y in ([True, False, True, False, True], np.array([1, 0, 1, 0, 1], np.uint16)):
        for s in (scores.astype(np.float16), scores.tolist(), (scores * 10).astype(np.int64)):
            other = ExactCurve()
            other.update(y, s)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert other.roc_auc() == sklearn_metrics.roc_auc_score(y, np.asarray(s))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (([1, 0], [0.5, np.nan]), "`y_score` must contain finite numbers"),
        (([1, 0], [0.5, np.inf]), "inf at index 1"),
        (([1, np.nan], [0.5, 0.2]), "`y_true`"),
        (([1, 0], [0.5, 0.2], [1.0, np.nan]), "`sample_weight`"),
        (([1, 0], [0.5]), "same length"),
        (([1, 0], [0.5, 0.2], [1.0]), "same length"),
        (([[1, 0]], [0.5, 0.2]), "1-D"),
    ],
)
def test_bad_input_leaves_the_state_unchanged(args, message):
    c = curve(np.array([1, 0, 1]), np.array([0.3, 0.2, 0.1]))
    before = c.state()
    with pytest.raises(ValueError, match=message):
        c.update(*args)
    for a, e in zip(c.state(), before):
        assert np.array_equal(a, e)


def test_strict_labels_and_bad_arguments():
    c = ExactCurve()
    with pytest.raises(ValueError, match="only 0 and 1"):
        c.update([0, 2], [0.1, 0.2], binary_labels=True)
    with pytest.raises(ValueError, match="pos_label"):
        c.update([0, 1], [0.1, 0.2], pos_label=float("nan"))
    with pytest.raises(ValueError, match="max_fpr"):
        curve([0, 1], [0.1, 0.2]).roc_auc(0.0)
    with pytest.raises(ValueError, match="neither increasing nor decreasing"):
        curve([0, 0, 1], [0.9, 0.8, 0.1], [2.0, -1.0, 1.0]).roc_auc()
    assert len(c) == 0 and np.isnan(c.roc_auc())


@pytest.mark.parametrize(
    "state",
    [
        ([0.2, 0.5], [1.0, 0.0], [0.0, 1.0]),
        ([0.5, 0.5], [1.0, 0.0], [0.0, 1.0]),
        ([np.nan], [1.0], [0.0]),
        ([0.5], [np.inf], [0.0]),
        ([0.5], [1.0], []),
        ([[0.5]], [[1.0]], [[0.0]]),
    ],
)
def test_corrupt_states_are_refused(state):
    with pytest.raises(ValueError, match="Corrupt exact-curve state"):
        ExactCurve.from_state(*state)


def test_reset_and_merge_into_itself():
    c = curve([0, 1, 1], [0.1, 0.2, 0.2])
    c.merge(c)
    assert c.state()[1].tolist() == [4.0, 0.0]
    c.reset()
    assert len(c) == 0


def test_large_batch_equals_scikit_learn():
    # Large enough for the parallel build (parts, radix passes, parallel walk).
    rng = np.random.default_rng(5)
    n = 400_000
    labels = rng.integers(0, 2, n).astype(np.int8)
    scores = rng.random(n, dtype=np.float32)
    weights = rng.choice(DYADIC_WEIGHTS, n)
    for w in (None, weights):
        c = curve(labels, scores, w)
        assert_same(c.roc_auc(), sklearn_metrics.roc_auc_score(labels, scores, sample_weight=w))
        assert_same(
            c.average_precision(),
            sklearn_metrics.average_precision_score(labels, scores, sample_weight=w),
        )
        for a, e in zip(c.roc_curve(), sklearn_metrics.roc_curve(labels, scores, sample_weight=w)):
            assert_same(a, e)
    doubles = rng.normal(size=n)
    c = curve(labels, doubles)
    assert_same(c.roc_auc(0.2), sklearn_metrics.roc_auc_score(labels, doubles, max_fpr=0.2))

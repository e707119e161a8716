"""``ferrometrics.ExactAUC``: results equal scikit-learn 1.9 on all data seen; the metric protocol.

Properties feed the same batches to ``ExactAUC``, the NumPy reference and scikit-learn (on the
concatenated data) for ROC, partial ROC (``max_fpr``) and PR; split over metrics that are
pickled and merged; and check strict input validation (the state is unchanged on error),
configuration, ``curve_points`` and thread-safe concurrent updates.
"""

from __future__ import annotations

import pickle
import threading
import warnings

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from sklearn import metrics as sklearn_metrics

import ferrometrics as fm
from ferrometrics import reference as ref

RTOL = 1e-12
CONFIGS = (
    {"curve": "ROC"},
    {"curve": "PR"},
    {"curve": "roc", "max_fpr": 0.3},
    {"curve": "ROC", "max_fpr": 1.0},
)


def expected(config, labels, scores, weights):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if config["curve"].upper() == "PR":
            return sklearn_metrics.average_precision_score(labels, scores, sample_weight=weights)
        if len(np.unique(labels[weights != 0] if weights is not None else labels)) < 2:
            return np.nan
        return sklearn_metrics.roc_auc_score(
            labels, scores, sample_weight=weights, max_fpr=config.get("max_fpr")
        )


def assert_same(actual, wanted):
    np.testing.assert_allclose(np.float64(actual), np.float64(wanted), rtol=RTOL, atol=0)


@st.composite
def batches(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    count = draw(st.integers(1, 4))
    ties = draw(st.booleans())
    weighted = draw(st.sampled_from(["none", "dyadic", "float"]))
    out = []
    for _ in range(count):
        n = int(rng.integers(1, 30))
        labels = rng.integers(0, 2, n)
        scores = rng.integers(0, 6, n) / 5 if ties else rng.random(n).astype(np.float32)
        if weighted == "none":
            w = None
        elif weighted == "dyadic":
            w = rng.choice([0.0, 0.5, 1.0, 2.0], n)
        else:
            w = rng.random(n) + 0.01
        out.append((labels, scores, w))
    note(repr(out))
    return out


def concatenated(parts):
    labels = np.concatenate([p[0] for p in parts])
    scores = np.concatenate([np.asarray(p[1], np.float64) for p in parts])
    if all(p[2] is None for p in parts):
        return labels, scores, None
    weights = np.concatenate([np.ones(len(p[0])) if p[2] is None else p[2] for p in parts])
    return labels, scores, weights


@given(batches(), st.sampled_from(CONFIGS))
def test_result_equals_scikit_learn_and_the_reference(parts, config):
    metric = fm.ExactAUC(**config)
    reference = ref.ExactAUC(**config)
    for labels, scores, weights in parts:
        metric.update_state(labels, scores, weights)
        reference.update_state(labels, scores, weights)
    labels, scores, weights = concatenated(parts)
    if weights is not None and not (weights != 0).any():
        return
    assert_same(metric.result(), expected(config, labels, scores, weights))
    assert_same(metric.result(), reference.result())
    for a, e in zip(metric.variables, reference.variables):
        np.testing.assert_allclose(a, e, rtol=RTOL, atol=0)


@given(batches(), st.sampled_from(CONFIGS), st.randoms())
def test_pickled_and_merged_parts_equal_one_metric(parts, config, random):
    whole = fm.ExactAUC(**config)
    metrics = []
    for labels, scores, weights in parts:
        whole.update_state(labels, scores, weights)
        m = fm.ExactAUC(**config)
        m.update_state(labels, scores, weights)
        metrics.append(pickle.loads(pickle.dumps(m)))
    random.shuffle(metrics)
    metrics[0].merge_state(metrics[1:])
    for a, e in zip(metrics[0].variables, whole.variables):
        np.testing.assert_allclose(a, e, rtol=RTOL, atol=0)
    assert_same(metrics[0].result(), whole.result())


def test_worked_example():
    m = fm.ExactAUC()
    assert m(np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8])) == 0.75
    assert isinstance(m.result(), np.float64)
    assert fm.ExactAUC(dtype="float32")([1, 0], [0.9, 0.1]).dtype == np.float32
    points = m.curve_points()
    assert points.thresholds.tolist() == [0.1, 0.35, 0.4, 0.8]
    assert points.tp.tolist() == [2, 2, 1, 1] and points.fp.tolist() == [2, 1, 1, 0]
    assert points.tn.tolist() == [0, 1, 1, 2] and points.fn.tolist() == [0, 0, 1, 1]
    assert points.recall.tolist() == [1, 1, 0.5, 0.5] and points.fpr.tolist() == [1, 0.5, 0.5, 0]
    assert points.precision.tolist() == [0.5, 2 / 3, 0.5, 1.0]
    assert len(m) == 4
    m.reset_state()
    assert len(m) == 0 and np.isnan(m.result())
    assert fm.ExactAUC(curve="PR").result() == 0.0


def test_input_forms():
    # (N, 1) columns, bools, a scalar weight, lists.
    m = fm.ExactAUC()
    m.update_state(np.array([[True], [False], [True]]), np.array([[0.9], [0.3], [0.2]]), 2.0)
    assert m.result() == 0.5
    assert m.positive_totals.tolist() == [2.0, 0.0, 2.0]
    assert m.scores.tolist() == [0.9, 0.3, 0.2] and m.negative_totals.tolist() == [0, 2, 0]


@pytest.mark.parametrize(
    ("args", "error", "message"),
    [
        (([0, 2], [0.1, 0.2]), ValueError, "only 0 and 1"),
        (([0, 0.5], [0.1, 0.2]), ValueError, "only 0 and 1"),
        (([0, 1], [0.1, np.nan]), ValueError, "finite"),
        (([0, 1], [0.1, 0.2], [1, np.inf]), ValueError, "finite"),
        (([0, 1], [0.1]), ValueError, "same length"),
        (([0, 1], np.zeros((2, 2))), ValueError, "shape"),
        (([0, 1], ["a", "b"]), TypeError, "real numbers"),
    ],
)
def test_bad_batches_leave_the_state_unchanged(args, error, message):
    m = fm.ExactAUC()
    m.update_state([0, 1, 1], [0.2, 0.4, 0.1])
    before = m.variables
    with pytest.raises(error, match=message):
        m.update_state(*args)
    for a, e in zip(m.variables, before):
        assert np.array_equal(a, e)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"curve": "PRGAIN"}, "Invalid ExactAUC curve"),
        ({"curve": "PR", "max_fpr": 0.5}, "requires curve='ROC'"),
        ({"max_fpr": 0.0}, r"\(0, 1\]"),
        ({"max_fpr": 1.5}, r"\(0, 1\]"),
        ({"max_fpr": True}, "must be a number"),
        ({"dtype": "int32"}, "float32"),
    ],
)
def test_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fm.ExactAUC(**kwargs)


def test_config_round_trip_and_merge_rules():
    m = fm.ExactAUC(curve=fm.AUCCurve.ROC, max_fpr=0.5, name="pauc")
    config = m.get_config()
    assert config == {"name": "pauc", "dtype": "float64", "curve": "ROC", "max_fpr": 0.5}
    assert fm.ExactAUC.from_config(config).get_config() == config
    assert repr(m).startswith("ExactAUC(name='pauc'")
    with pytest.raises(ValueError, match="must be ExactAUC"):
        m.merge_state(fm.AUC())
    pr = fm.ExactAUC(curve="PR")
    pr.update_state([1, 0], [0.4, 0.6])
    m.merge_state(pr)  # the state does not depend on the configuration
    assert m.positive_totals.tolist() == [0.0, 1.0]


def test_unpickling_checks_the_state():
    m = fm.ExactAUC()
    m.update_state([0, 1], [0.1, 0.2])
    restore, (cls, config, state), attributes = m.__reduce__()
    with pytest.raises(ValueError, match="newer version"):
        restore(cls, config, {**state, "format": 99})
    with pytest.raises(ValueError, match="strictly decreasing"):
        restore(cls, config, {**state, "scores": state["scores"][::-1]})
    with pytest.raises(ValueError, match="Corrupt"):
        restore(cls, config, None)


def test_concurrent_updates_are_atomic():
    rng = np.random.default_rng(1)
    batches = [(rng.integers(0, 2, 50_000), rng.random(50_000)) for _ in range(8)]
    m = fm.ExactAUC()
    threads = [threading.Thread(target=m.update_state, args=b) for b in batches]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    labels = np.concatenate([b[0] for b in batches])
    scores = np.concatenate([b[1] for b in batches])
    assert_same(m.result(), sklearn_metrics.roc_auc_score(labels, scores))


def test_sliced_exact_auc_equals_scikit_learn_per_group_after_splits_merges_and_pickles() -> None:
    """``Sliced(ExactAUC())`` (the generic path: its state grows with the data) per group."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    rng = np.random.default_rng(11)
    n = 6000
    y = rng.random(n) < 0.3
    p = rng.integers(0, 50, n) / 50  # ties
    g = rng.integers(0, 7, n)
    for curve, oracle in (("ROC", roc_auc_score), ("PR", average_precision_score)):
        first, second = fm.Sliced(fm.ExactAUC(curve=curve)), fm.Sliced(fm.ExactAUC(curve=curve))
        first.update_state(y[:2500], p[:2500], groups=g[:2500])
        second.update_state(y[2500:], p[2500:], groups=g[2500:])
        merged = pickle.loads(pickle.dumps(first))
        merged.merge_state([second])
        got = merged.result()
        assert sorted(got) == list(range(7))
        for key, value in got.items():
            rows = g == key
            assert abs(float(value) - oracle(y[rows], p[rows])) <= 1e-12


def test_dask_evaluate_merges_exact_states_across_partitions() -> None:
    """``ferrometrics.dask.evaluate`` takes ``ExactAUC``: partitions' tables merged exactly."""
    import dask.array as da

    import ferrometrics.dask

    rng = np.random.default_rng(12)
    n = 50_000
    y = (rng.random(n) < 0.2).astype(np.int8)
    p = rng.integers(0, 1000, n).astype(np.float32) / 1000
    w = rng.integers(1, 4, n).astype(np.float64)
    metrics = [fm.ExactAUC(), fm.ExactAUC(curve="PR"), fm.ExactAUC(max_fpr=0.2)]
    ferrometrics.dask.evaluate(
        metrics, da.from_array(y, chunks=7_000), da.from_array(p, chunks=7_000), w
    )
    want = [
        sklearn_metrics.roc_auc_score(y, p, sample_weight=w),
        sklearn_metrics.average_precision_score(y, p, sample_weight=w),
        sklearn_metrics.roc_auc_score(y, p, sample_weight=w, max_fpr=0.2),
    ]
    for metric, expected in zip(metrics, want):
        assert abs(float(metric.result()) - expected) <= 1e-12 * abs(expected)

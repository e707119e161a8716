"""``Sliced`` (docs/semantics.md §15): one metric per group, counted in one pass.

- Every configuration of the registry: each group's state equals the metric updated with that
  group's rows alone (bit for bit), for one array and for crosses, with weights; and the
  reference ``Sliced`` agrees; the generic path (a metric the core does not count) too.
- Keys keep their Python type: ints, strings, bools, floats, None for missing values, tuples for
  crosses; pandas Series and Categoricals and pyarrow (dictionary) arrays are read as codes.
- All or nothing: a bad label, a NaN, ``groups`` of another length leave every group unchanged
  and add none, with the message the unsliced metric gives.
- ``s[group]`` is an ordinary metric (curves, operating points); merging, pickling and
  ``get_config``/``from_config``; large batches (parallel partition) are deterministic.
"""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
from support import CONFIGS, NAMES, assert_same_state, batch

import ferrometrics as fm
from ferrometrics import reference as ref


def per_group(config, y_true, y_pred, w, keys):
    """The metric updated with each group's rows alone: ``{key: metric}``."""
    out = {}
    for key in dict.fromkeys(keys):
        rows = np.array([k == key for k in keys])
        metric = config.make(fm)
        metric.update_state(y_true[rows], y_pred[rows], None if w is None else w[rows])
        out[key] = metric
    return out


@pytest.mark.parametrize("name", NAMES)
def test_each_group_equals_its_rows_alone(name):
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, 300, seed=1)
    rng = np.random.default_rng(2)
    groups = rng.choice(np.array(["a", "b", "c", "d"]), 300)
    sliced = fm.Sliced(config.make(fm))
    sliced.update_state(y_true, y_pred, w, groups=groups)
    expected = per_group(config, y_true, y_pred, w, groups.tolist())
    assert sorted(sliced) == sorted(expected)
    for key, metric in expected.items():
        assert type(sliced[key]) is type(metric)
        assert_same_state(sliced[key], metric)
    reference = ref.Sliced(config.make(ref))
    reference.update_state(y_true, y_pred, w, groups=groups)
    assert sorted(reference) == sorted(sliced)


@pytest.mark.parametrize("name", ["AUC", "F1Score_macro", "Precision_top_k"])
def test_the_generic_path_equals_the_one_pass(name):
    config = CONFIGS[name]
    y_true, y_pred, w = batch(config, 200, seed=3)
    groups = np.arange(200) % 7
    fast = fm.Sliced(config.make(fm))
    fast.update_state(y_true, y_pred, w, groups=groups)
    generic = fm.Sliced(config.make(ref))  # no core object: updated group by group
    generic.update_state(y_true, y_pred, w, groups=groups)
    assert list(fast) == list(generic) == list(range(7))
    for key in fast:
        np.testing.assert_allclose(
            np.asarray(fast[key].result(), np.float64),
            np.asarray(generic[key].result(), np.float64),
            rtol=2e-5,
            atol=2e-6,
        )


def test_crosses_have_tuple_keys():
    y = np.array([0, 1, 0, 1, 1, 0])
    p = np.array([0.2, 0.9, 0.4, 0.6, 0.3, 0.8])
    country = np.array(["FR", "FR", "DE", "FR", "DE", "DE"])
    device = [1, 1, 2, 2, 1, 1]
    sliced = fm.Sliced(fm.TruePositives())
    sliced.update_state(y, p, groups=(country, device))
    assert sorted(sliced) == [("DE", 1), ("DE", 2), ("FR", 1), ("FR", 2)]
    assert float(sliced["FR", 1].result()) == 1.0
    assert float(sliced["DE", 1].result()) == 0.0
    with pytest.raises(ValueError, match="one length"):
        sliced.update_state(y, p, groups=(country, device[:5]))


@pytest.mark.parametrize(
    "groups, keys",
    [
        (np.array([3, 1, 3, 1]), [1, 3]),
        (np.array([True, False, True, True]), [False, True]),
        (["x", "y", "x", "x"], ["x", "y"]),
        (np.array([1.5, np.nan, 1.5, 1.5]), [1.5, None]),
        (np.array([10**12, -5, -5, 10**12]), [-5, 10**12]),
    ],
)
def test_keys_keep_their_python_type(groups, keys):
    sliced = fm.Sliced(fm.TruePositives())
    sliced.update_state([1, 1, 0, 1], [0.9, 0.9, 0.9, 0.9], groups=groups)
    assert sorted(sliced, key=repr) == sorted(keys, key=repr)
    assert [type(k) for k in sorted(sliced, key=repr)] == [type(k) for k in sorted(keys, key=repr)]


def test_pandas_and_pyarrow_groups():
    import pandas as pd
    import pyarrow as pa

    y, p = [1, 0, 1, 1], [0.9, 0.8, 0.2, 0.7]
    forms = [
        pd.Series(["b", "a", "b", None]),
        pd.Series(["b", "a", "b", None], dtype="category"),
        pd.Categorical(["b", "a", "b", None], categories=["z", "a", "b"]),
        pa.array(["b", "a", "b", None]),
        pa.array(["b", "a", "b", None]).dictionary_encode(),
        pa.chunked_array([["b", "a"], ["b", None]]).dictionary_encode(),
    ]
    for groups in forms:
        sliced = fm.Sliced(fm.TruePositives())
        sliced.update_state(y, p, groups=groups)
        assert {k: float(v) for k, v in sliced.result().items()} == {
            "b": 1.0,
            "a": 0.0,
            None: 1.0,
        }, type(groups)


@pytest.mark.parametrize(
    "y_true, y_pred, groups, error",
    [
        ([0, 1, 2, 0], [0.1, 0.2, 0.3, 0.4], [0, 1, 9, 9], "index 2"),
        ([0, 1, 1, 0], [0.1, np.nan, 0.3, 0.4], [0, 1, 9, 9], "index 1"),
        ([0, 1, 1, 0], [0.1, 0.2, 0.3, 1.4], [0, 1, 9, 9], "index 3"),
        ([0, 1, 1, 0], [0.1, 0.2, 0.3, 0.4], [0, 1, 9], "one value per row"),
        ([0, 1, 1], [0.1, 0.2, 0.3, 0.4], [0, 1, 9, 9], "same shape"),
    ],
)
def test_a_bad_batch_changes_nothing(y_true, y_pred, groups, error):
    for module in (fm, ref):
        sliced = module.Sliced(module.AUC())
        sliced.update_state([0, 1], [0.3, 0.6], groups=[0, 1])
        before = {k: copy.deepcopy(sliced[k].variables) for k in sliced}
        with pytest.raises(ValueError, match=error if module is fm else None):
            sliced.update_state(y_true, y_pred, groups=groups)
        assert list(sliced) == [0, 1]
        for key, variables in before.items():
            for a, b in zip(sliced[key].variables, variables):
                assert np.array_equal(a, b)


def test_the_message_is_the_metrics_own():
    y, p = np.array([0, 1, 1, 0, 1]), np.array([0.1, 0.2, 0.3, 0.4, 5.0])
    with pytest.raises(ValueError) as plain:
        fm.AUC().update_state(y, p)
    with pytest.raises(ValueError) as sliced:
        fm.Sliced(fm.AUC()).update_state(y, p, groups=[1, 0, 1, 0, 1])
    assert str(sliced.value) == str(plain.value)


def test_groups_are_required_and_metrics_are_objects():
    with pytest.raises(TypeError, match="groups"):
        fm.Sliced(fm.AUC()).update_state([0, 1], [0.1, 0.9])
    with pytest.raises(TypeError, match="not a class"):
        fm.Sliced(fm.AUC)
    with pytest.raises(TypeError, match="update_state"):
        fm.Sliced(object())
    with pytest.raises(ValueError, match="1-D"):
        fm.Sliced(fm.AUC()).update_state([0, 1], [0.1, 0.9], groups=[[0], [1]])


def test_each_group_is_an_ordinary_metric():
    y_true, y_pred, w = batch(CONFIGS["AUC"], 400, seed=4)
    groups = np.arange(400) % 3
    sliced = fm.Sliced(fm.AUC(num_thresholds=50))
    sliced.update_state(y_true, y_pred, w, groups=groups)
    alone = fm.AUC(num_thresholds=50)
    alone.update_state(y_true[groups == 2], y_pred[groups == 2], w[groups == 2])
    assert np.array_equal(sliced[2].curve_points().tp, alone.curve_points().tp)
    assert len(sliced) == 3 and 2 in sliced and 5 not in sliced
    with pytest.raises(KeyError):
        sliced[5]


def test_merge_pickle_and_config():
    config = CONFIGS["F1Score_macro"]
    y_true, y_pred, w = batch(config, 120, seed=5)
    groups = np.array(["a", "b", "c"])[np.arange(120) % 3]
    whole = fm.Sliced(config.make(fm))
    whole.update_state(y_true, y_pred, w, groups=groups)
    first, second = fm.Sliced(config.make(fm)), fm.Sliced(config.make(fm))
    first.update_state(y_true[:50], y_pred[:50], w[:50], groups=groups[:50])
    second.update_state(y_true[50:], y_pred[50:], w[50:], groups=groups[50:])
    first.merge_state(pickle.loads(pickle.dumps(second)))
    assert sorted(first) == sorted(whole)
    for key in whole:
        assert_same_state(first[key], whole[key])
    restored = pickle.loads(pickle.dumps(whole))
    assert list(restored) == list(whole)
    for key in whole:
        assert_same_state(restored[key], whole[key])
    rebuilt = fm.Sliced.from_config(whole.get_config())
    assert len(rebuilt) == 0
    assert rebuilt.metric.get_config() == config.make(fm).get_config()
    whole.reset_state()
    assert len(whole) == 0


def test_merging_another_configuration_changes_nothing():
    a, b = fm.Sliced(fm.AUC()), fm.Sliced(fm.AUC(num_thresholds=7))
    a.update_state([0, 1], [0.2, 0.8], groups=[1, 1])
    b.update_state([0, 1], [0.2, 0.8], groups=[2, 2])
    before = a[1].variables
    with pytest.raises(ValueError):
        a.merge_state(b)
    assert list(a) == [1]
    assert all(np.array_equal(x, y) for x, y in zip(a[1].variables, before))
    with pytest.raises(ValueError):
        a.merge_state([fm.AUC()])


def test_large_batches_are_deterministic_and_exact():
    rng = np.random.default_rng(6)
    n = 300_000
    y = rng.integers(0, 2, n).astype(np.int8)
    p = rng.random(n, dtype=np.float32)
    w = rng.random(n).astype(np.float32)
    groups = rng.integers(0, 37, n)
    sliced = fm.Sliced(fm.AUC())
    sliced.update_state(y, p, w, groups=groups)
    again = fm.Sliced(fm.AUC())
    again.update_state(y, p, w, groups=groups)
    for key in (0, 17, 36):
        alone = fm.AUC()
        rows = groups == key
        alone.update_state(y[rows], p[rows], w[rows])
        assert_same_state(sliced[key], alone)
        assert_same_state(again[key], alone)


def test_broadcast_weights_and_columns():
    config = CONFIGS["AUC_multi_label"]
    y_true, y_pred, _ = batch(config, 60, seed=7)
    groups = np.arange(60) % 4
    weight_forms = (2.0, np.arange(4.0)[None], np.arange(60.0)[:, None], np.arange(240.0))
    for weights in weight_forms[:3] + (weight_forms[3].reshape(60, 4),):
        sliced = fm.Sliced(config.make(fm))
        sliced.update_state(y_true, y_pred, weights, groups=groups)
        for key in range(4):
            rows = groups == key
            alone = config.make(fm)
            w = np.asarray(weights)
            alone.update_state(
                y_true[rows], y_pred[rows], w[rows] if w.ndim and len(w) == 60 else w
            )
            assert_same_state(sliced[key], alone)


class TaggedAUC(fm.AUC):
    pass


def test_groups_are_made_like_the_wrapped_metric():
    tagged = TaggedAUC(num_thresholds=11)
    tagged.owner = "team-a"
    sliced = fm.Sliced(tagged)
    sliced.update_state([0, 1], [0.2, 0.7], groups=["x", "y"])
    assert type(sliced["x"]) is TaggedAUC and sliced["x"].owner == "team-a"
    assert sliced["x"].get_config() == tagged.get_config()
    built = fm.AUC(multi_label=True)
    built.update_state(np.zeros((2, 3)), np.zeros((2, 3)))  # 3 labels learnt from the data
    sliced = fm.Sliced(built)
    with pytest.raises(ValueError):
        sliced.update_state(np.zeros((2, 4)), np.zeros((2, 4)), groups=[0, 1])
    assert len(sliced) == 0
    sliced.update_state(np.ones((2, 3)), np.ones((2, 3)), groups=[0, 1])
    assert sliced[0].variables[0].shape == (200, 3)

"""Precision, Recall and the four counts worked by hand, on both implementations
(SPEC sections 1, 3 and 5).

Every test is parametrised over the fast package and the pure-NumPy reference. Expected numbers
are worked out by hand in the comments (the batch in ``support``) or come from the SPEC/Keras,
never from either implementation: counts and results, Keras 3's rank-one expansion, ``top_k``
ties, the float32 values Keras's even path counts above their threshold, ``get_config``/
``from_config``, names, variables, result types, ``__call__`` and ``reset_state()``.
Random inputs against the reference are in ``test_confusion_properties.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import (
    CONFUSION_CLASSES,
    COUNT_CLASSES,
    DEFAULT_NAMES,
    EXPECTED_VARIABLES,
    IMPLEMENTATIONS,
    QUIRK_KS,
    THRESHOLDS,
    VARIABLE_NAMES,
    WEIGHTS,
    Y_PRED,
    Y_TRUE,
    as_f32,
    assert_variables_equal,
)

# ---------------------------------------------------------------------------------------------
# Hand-computed baseline


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_hand_computed_counts(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state(as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS))
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES[class_name])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_hand_computed_results(impl) -> None:
    precision = impl.Precision(thresholds=THRESHOLDS)
    recall = impl.Recall(thresholds=THRESHOLDS)
    for metric in (precision, recall):
        metric.update_state(as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS))
    expected_precision = np.array([6 / 8, 4 / 5, 1 / 2], dtype=np.float32)
    expected_recall = np.array([6 / 9, 4 / 9, 1 / 9], dtype=np.float32)
    np.testing.assert_allclose(precision.result(), expected_precision, rtol=1e-6)
    np.testing.assert_allclose(recall.result(), expected_recall, rtol=1e-6)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_rank_one_expansion_allows_class_id_and_top_k(impl) -> None:
    """Keras 3: (N,) labels with (N, 1) predictions become (N, 1), so class_id=0 is valid."""
    y_true = [1, 0, 1, 1]
    y_pred = [[0.9], [0.8], [0.2], [0.6]]
    metric = impl.Precision(class_id=0)
    metric.update_state(y_true, y_pred)
    # p > 0.5 at rows 0, 1, 3: labels 1, 0, 1.
    assert_variables_equal(metric.variables, [[2.0], [1.0]])
    # (N, 1) labels with (N,) predictions: one column, so every prediction is its row's top 1;
    # with top_k and no thresholds the threshold is -1e10: tp 3, fn 0. (As a single 1-D row,
    # top_k=1 would keep only the 0.9 and give tp 1, fn 2.)
    metric = impl.Recall(top_k=1)
    metric.update_state(np.array(y_true)[:, None], [0.9, 0.8, 0.2, 0.6])
    assert_variables_equal(metric.variables, [[3.0], [0.0]])
    metric = impl.Recall(top_k=1)
    metric.update_state(y_true, [0.9, 0.8, 0.2, 0.6])
    assert_variables_equal(metric.variables, [[1.0], [2.0]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_top_k_ties_go_to_the_lowest_index(impl) -> None:
    """SPEC 3: ties keep the lowest index first. Equal values tie; so do -0.0 and 0.0."""
    metric = impl.Precision(top_k=1)
    metric.update_state([[1, 0], [1, 0], [0, 1]], as_f32([[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]]))
    # Every row keeps index 0: labels 1, 1, 0 -> tp 2, fp 1.
    assert_variables_equal(metric.variables, [[2.0], [1.0]])

    # -0.0 == 0.0 in IEEE arithmetic (and in tf.math.top_k's comparisons): a tie, so each row
    # keeps index 0 whatever the sign of its zero: labels 1, 1, 0 -> tp 2, fp 1.
    metric = impl.Precision(top_k=1)
    metric.update_state([[1, 0], [1, 0], [0, 1]], as_f32([[-0.0, 0.0], [-0.0, 0.0], [0.0, -0.0]]))
    assert_variables_equal(metric.variables, [[2.0], [1.0]])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_quirk_values_on_the_even_path(impl) -> None:
    """SPEC 3: with T = 200, float32(k/199) counts as above threshold k for these k."""
    thresholds = [i / 199 for i in range(200)]
    for k in QUIRK_KS:
        metric = impl.TruePositives(thresholds=thresholds)
        metric.update_state([1], np.array([k / 199], dtype=np.float32))
        counts = metric.result()
        # Positive at thresholds 0..k (k + 1 of them): the quirk adds threshold k itself.
        assert counts[: k + 1].tolist() == [1.0] * (k + 1), k
        assert counts[k + 1 :].tolist() == [0.0] * (199 - k), k
    # The same value on the direct path (one threshold moved) is not above threshold k.
    direct = list(thresholds)
    direct[1] = 0.004
    metric = impl.TruePositives(thresholds=direct)
    metric.update_state([1], np.array([31 / 199], dtype=np.float32))
    assert metric.result()[31] == 0.0


# ---------------------------------------------------------------------------------------------
# Config, names, variables, result types


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall"])
def test_precision_recall_config(impl, class_name: str) -> None:
    cls = getattr(impl, class_name)
    assert cls().get_config() == {
        "name": DEFAULT_NAMES[class_name],
        "dtype": "float32",
        "thresholds": None,
        "top_k": None,
        "class_id": None,
    }
    metric = cls(thresholds=[0.7, 0.2, 0.2], top_k=2, class_id=1, name="mine", dtype="float64")
    config = metric.get_config()
    assert config == {
        "name": "mine",
        "dtype": "float64",
        "thresholds": [0.7, 0.2, 0.2],
        "top_k": 2,
        "class_id": 1,
    }
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config
    assert cls(**config).get_config() == config
    assert rebuilt.thresholds == [0.7, 0.2, 0.2]
    assert cls(thresholds=0.3).get_config()["thresholds"] == 0.3


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", COUNT_CLASSES)
def test_count_config(impl, class_name: str) -> None:
    cls = getattr(impl, class_name)
    assert cls().get_config() == {
        "name": DEFAULT_NAMES[class_name],
        "dtype": "float32",
        "thresholds": None,
    }
    metric = cls(thresholds=[0.1, 0.9], name="n", dtype="float64")
    config = metric.get_config()
    assert config == {"name": "n", "dtype": "float64", "thresholds": [0.1, 0.9]}
    assert cls.from_config(config).get_config() == config
    assert type(cls.from_config(config)) is cls


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_default_names_and_thresholds(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)()
    assert metric.name == DEFAULT_NAMES[class_name]
    assert getattr(impl, class_name)(name="x").name == "x"
    assert list(metric.thresholds) == [0.5]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_top_k_default_threshold(impl) -> None:
    assert list(impl.Precision(top_k=2).thresholds) == [-1e10]
    assert list(impl.Recall(top_k=1, thresholds=[0.3]).thresholds) == [0.3]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_variables_are_float64_and_named(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state(as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS))
    variables = metric.variables
    assert isinstance(variables, list)
    expected = EXPECTED_VARIABLES[class_name]
    for name, value, wanted in zip(VARIABLE_NAMES[class_name], variables, expected):
        assert isinstance(value, np.ndarray)
        assert value.dtype == np.float64
        assert value.shape == (3,)
        attribute = getattr(metric, name)
        assert np.asarray(attribute).dtype == np.float64
        assert np.array_equal(attribute, wanted)
        assert np.array_equal(value, wanted)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_result_types(impl, class_name: str) -> None:
    cls = getattr(impl, class_name)
    one = cls(thresholds=0.5)
    one.update_state(Y_TRUE, Y_PRED)
    assert isinstance(one.result(), np.float32)
    assert np.ndim(one.result()) == 0
    float(one.result())  # usable as a Python number

    several = cls(thresholds=THRESHOLDS)
    several.update_state(Y_TRUE, Y_PRED)
    assert isinstance(several.result(), np.ndarray)
    assert several.result().dtype == np.float32
    assert several.result().shape == (3,)

    wide = cls(thresholds=0.5, dtype="float64")
    wide.update_state(Y_TRUE, Y_PRED)
    assert isinstance(wide.result(), np.float64)
    wide_several = cls(thresholds=THRESHOLDS, dtype="float64")
    assert wide_several.result().dtype == np.float64
    assert cls(thresholds=[0.5]).result().shape == ()  # a one-element list is a scalar too


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_result_values_and_equality(impl) -> None:
    metric = impl.Precision()
    metric.update_state([0, 1, 1, 1], [1, 0, 1, 1])
    assert metric.result() == np.float32(2 / 3)
    assert float(metric.result()) == pytest.approx(2 / 3, rel=1e-6)
    assert impl.Precision().result() == 0.0  # 0/0 is 0
    assert impl.Recall().result() == 0.0
    counts = impl.TruePositives()
    counts.update_state([1, 1, 0], [0.9, 0.8, 0.7], [0.5, 0.25, 1])
    assert counts.result() == 0.75


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_call_returns_the_cumulative_result(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    half = len(Y_TRUE) // 2
    metric(Y_TRUE[:half], Y_PRED[:half], WEIGHTS[:half])
    value = metric(Y_TRUE[half:], Y_PRED[half:], WEIGHTS[half:])
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES[class_name])
    assert np.array_equal(value, metric.result())
    assert np.asarray(value).dtype == np.float32


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_reset_state_zeroes_the_counts(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state(Y_TRUE, Y_PRED, WEIGHTS)
    metric.reset_state()
    assert_variables_equal(metric.variables, [[0.0] * 3] * len(VARIABLE_NAMES[class_name]))
    metric.update_state(Y_TRUE, Y_PRED, WEIGHTS)
    assert_variables_equal(metric.variables, EXPECTED_VARIABLES[class_name])


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_boolean_threshold_is_one_as_in_keras(impl) -> None:
    metric = impl.TruePositives(thresholds=True)
    assert metric.thresholds == [1.0]
    metric.update_state([1, 1], [0.5, 1.0])
    assert_variables_equal(metric.variables, [[0.0]])

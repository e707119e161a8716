"""Bad updates are refused, name what is wrong, and leave the metric exactly as it was.

SPEC sections 2, 4, 6, 8 and 9, on both implementations. Every bad update must raise the right
exception type (``ValueError`` for bad values and shapes, ``TypeError`` for what is not numeric),
with a message naming the argument (and the shapes, for shape errors), and leave the metric
exactly as it was: an update is all or nothing, also for a metric whose variables are not built
yet (a multi-label AUC without ``num_labels``, an F-score before its first update). Covered:

- tables of bad labels, predictions, weights, non-numeric values and shapes, for the confusion
  metrics and for AUC, the operating-point metrics and the F-scores (1-D and 2-D, built and
  fresh), and the same for ``precision_recall_at_equal_thresholds`` (no state: the exception);
- predictions outside [0, 1]: refused by AUC (without ``from_logits``) and the ``*At*``
  metrics, accepted (any finite value) by the confusion metrics, the F-scores and
  ``AUC(from_logits=True)``; negative and integer weights are accepted;
- shapes: ``top_k``/``class_id`` against the batch, multi-label rank, a label count that
  cannot change, the F-scores' 2-D inputs;
- Hypothesis properties: a failing update, its bad value anywhere, leaves the state
  bit-identical (confusion metrics with random threshold lists, and every configuration of the
  registry), also on a batch big enough for the parallel path.

Constructor arguments are in ``test_arguments.py``.
"""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from support import (
    AT_CLASSES,
    CONFIGS,
    CONFUSION_CLASSES,
    IMPLEMENTATIONS,
    NAMES,
    PRECISION_RECALL,
    PRED_1D,
    PRED_2D,
    THRESHOLDS,
    THRESHOLDS_200,
    TRUE_1D,
    TRUE_2D,
    WEIGHT_1D,
    WEIGHT_2D,
    WEIGHTS,
    Y_PRED,
    Y_TRUE,
    C,
    N,
    as_f32,
    assert_variables_equal,
    batch,
    copy_variables,
    state_bytes,
    threshold_lists,
    with_value,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# ---------------------------------------------------------------------------------------------
# Confusion metrics: bad inputs refused with a message naming the argument, state unchanged

GOOD_TRUE = np.array([1, 0, 1, 1], dtype=np.float32)
GOOD_PRED = np.array([0.9, 0.8, 0.2, 0.6], dtype=np.float32)
GOOD_WEIGHT = np.array([1, 2, 3, 4], dtype=np.float32)


# (id, y_true, y_pred, sample_weight, exception, words the message must contain)
BAD_INPUTS = [
    ("label_2", with_value(GOOD_TRUE, 1, 2), GOOD_PRED, None, ValueError, ["y_true"]),
    ("label_-1", with_value(GOOD_TRUE, 3, -1), GOOD_PRED, None, ValueError, ["y_true"]),
    ("label_0.3", with_value(GOOD_TRUE, 0, 0.3), GOOD_PRED, None, ValueError, ["y_true"]),
    ("label_nan", with_value(GOOD_TRUE, 2, np.nan), GOOD_PRED, None, ValueError, ["y_true"]),
    ("label_inf", with_value(GOOD_TRUE, 2, np.inf), GOOD_PRED, None, ValueError, ["y_true"]),
    ("label_int_2", np.array([0, 1, 2, 1]), GOOD_PRED, None, ValueError, ["y_true"]),
    ("pred_nan", GOOD_TRUE, with_value(GOOD_PRED, 0, np.nan), None, ValueError, ["y_pred"]),
    ("pred_inf", GOOD_TRUE, with_value(GOOD_PRED, 3, np.inf), None, ValueError, ["y_pred"]),
    ("pred_-inf", GOOD_TRUE, with_value(GOOD_PRED, 1, -np.inf), None, ValueError, ["y_pred"]),
    (
        "weight_nan",
        GOOD_TRUE,
        GOOD_PRED,
        with_value(GOOD_WEIGHT, 1, np.nan),
        ValueError,
        ["sample_weight"],
    ),
    (
        "weight_inf",
        GOOD_TRUE,
        GOOD_PRED,
        with_value(GOOD_WEIGHT, 3, np.inf),
        ValueError,
        ["sample_weight"],
    ),
    ("weight_scalar_nan", GOOD_TRUE, GOOD_PRED, math.nan, ValueError, ["sample_weight"]),
    ("true_str", "abc", GOOD_PRED, None, TypeError, ["y_true"]),
    ("pred_str", GOOD_TRUE, "abc", None, TypeError, ["y_pred"]),
    ("weight_str", GOOD_TRUE, GOOD_PRED, "abc", TypeError, ["sample_weight"]),
    ("true_none", None, GOOD_PRED, None, TypeError, ["y_true"]),
    ("pred_none", GOOD_TRUE, None, None, TypeError, ["y_pred"]),
    ("true_str_array", np.array(["1", "0", "1", "1"]), GOOD_PRED, None, TypeError, ["y_true"]),
    (
        "pred_bytes_array",
        GOOD_TRUE,
        np.array([b"1", b"0", b"1", b"1"]),
        None,
        TypeError,
        ["y_pred"],
    ),
    (
        "pred_object",
        GOOD_TRUE,
        np.array([object() for _ in range(N)], dtype=object),
        None,
        TypeError,
        ["y_pred"],
    ),
    (
        "pred_object_str",
        GOOD_TRUE,
        np.array([0.5, "x", 0.5, 0.5], dtype=object),
        None,
        TypeError,
        ["y_pred"],
    ),
    ("pred_list_none", GOOD_TRUE, [0.5, None, 0.5, 0.5], None, TypeError, ["y_pred"]),
    ("weight_list_none", GOOD_TRUE, GOOD_PRED, [1.0, None, 1.0, 1.0], TypeError, ["sample_weight"]),
    ("true_object", [object()] * N, GOOD_PRED, None, TypeError, ["y_true"]),
    ("shape", GOOD_TRUE, GOOD_PRED[:3], None, ValueError, ["y_true", "y_pred", "(4,)", "(3,)"]),
    (
        "rank",
        GOOD_TRUE,
        np.ones((4, 2), np.float32) / 2,
        None,
        ValueError,
        ["y_true", "y_pred", "(4,)", "(4, 2)"],
    ),
    (
        "rank_2x2",
        GOOD_TRUE.reshape(2, 2),
        GOOD_PRED,
        None,
        ValueError,
        ["y_true", "y_pred", "(2, 2)", "(4,)"],
    ),
    ("weight_shape", GOOD_TRUE, GOOD_PRED, GOOD_WEIGHT[:3], ValueError, ["sample_weight", "(3,)"]),
    (
        "weight_rank",
        GOOD_TRUE,
        GOOD_PRED,
        np.ones((4, 2)),
        ValueError,
        ["sample_weight", "(4, 2)"],
    ),
]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "FalseNegatives"])
@pytest.mark.parametrize(
    "y_true, y_pred, sample_weight, exception, words",
    [case[1:] for case in BAD_INPUTS],
    ids=[case[0] for case in BAD_INPUTS],
)
def test_bad_confusion_update_is_refused(
    impl, class_name, y_true, y_pred, sample_weight, exception, words
) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state(as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS))
    before = copy_variables(metric)
    with pytest.raises(exception) as error:
        metric.update_state(y_true, y_pred, sample_weight)
    message = str(error.value)
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"
    assert_variables_equal(metric.variables, before)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "kwargs, y_true, y_pred, word",
    [
        ({"class_id": 3}, np.zeros((2, 3)), np.zeros((2, 3)), "class_id"),
        ({"class_id": 0}, GOOD_TRUE, GOOD_PRED, "class_id"),  # 1-D predictions
        ({"top_k": 4}, np.zeros((2, 3)), np.zeros((2, 3)), "top_k"),
        ({"top_k": 5}, GOOD_TRUE, GOOD_PRED, "top_k"),  # a 1-D batch is one row of 4
        ({"top_k": 2, "class_id": 2}, np.zeros((2, 2)), np.zeros((2, 2)), "class_id"),
    ],
    ids=["class_id_range", "class_id_1d", "top_k_2d", "top_k_1d", "both"],
)
def test_bad_top_k_or_class_id_for_the_batch(impl, class_name, kwargs, y_true, y_pred, word):
    metric = getattr(impl, class_name)(**kwargs)
    good = np.array([[1, 0, 1, 0, 0, 1], [0, 1, 1, 1, 1, 0]], dtype=np.float32)
    metric.update_state(good, good / 2 + 0.1)
    before = copy_variables(metric)
    assert any(v.any() for v in before)
    with pytest.raises(ValueError, match=word):
        metric.update_state(y_true, y_pred)
    assert_variables_equal(metric.variables, before)


# ---------------------------------------------------------------------------------------------
# AUC, the operating-point metrics and the F-scores, by name: how to build each one. The 1-D
# ones get a valid first update from (TRUE_1D, PRED_1D, WEIGHT_1D); the 2-D ones from
# (TRUE_2D, PRED_2D, WEIGHT_2D), or none ("fresh": a multi-label AUC without num_labels and the
# F-scores are then not built yet).

ONE_D_METRICS = {
    "AUC": lambda impl: impl.AUC(num_thresholds=5),
    "AUC-PR-logits": lambda impl: impl.AUC(curve="PR", from_logits=True),
    "AUC-thresholds": lambda impl: impl.AUC(thresholds=[0.7, 0.3, 0.3]),
    **{name: (lambda impl, name=name: getattr(impl, name)(0.5)) for name in AT_CLASSES},
    "RecallAtPrecision-T1": lambda impl: impl.RecallAtPrecision(0.5, num_thresholds=1),
}
TWO_D_METRICS = {
    "AUC-multi_label": lambda impl: impl.AUC(num_thresholds=5, multi_label=True),
    "AUC-multi_label-num_labels": lambda impl: impl.AUC(multi_label=True, num_labels=C),
    "AUC-label_weights": lambda impl: impl.AUC(label_weights=[1.0, 0.0, 2.0]),
    "AUC-multi_label-label_weights": lambda impl: impl.AUC(
        multi_label=True, label_weights=[1.0, 0.0, 2.0]
    ),
    **{
        f"{name}-class_id": (lambda impl, name=name: getattr(impl, name)(0.5, class_id=1))
        for name in AT_CLASSES
    },
    "F1Score": lambda impl: impl.F1Score(),
    "F1Score-micro": lambda impl: impl.F1Score(average="micro", threshold=0.5),
    "FBetaScore": lambda impl: impl.FBetaScore(average="weighted", beta=2.0),
    "FBetaScore-macro": lambda impl: impl.FBetaScore(average="macro", beta=0.5, threshold=0.3),
}
UNBUILT = (
    "AUC-multi_label",
    "AUC-multi_label-label_weights",
    *(n for n in TWO_D_METRICS if "Score" in n),
)
RANGE_CHECKED = [name for name in TWO_D_METRICS if "Score" not in name]
FSCORES = [name for name in TWO_D_METRICS if "Score" in name]
LABEL_COUNT_FIXED = [
    "AUC-multi_label",
    "AUC-multi_label-num_labels",
    "AUC-multi_label-label_weights",
    "AUC-label_weights",
    *FSCORES,
]


def bit_snapshot(metric) -> tuple:
    """Every variable and the result, as (dtype, shape, bytes): a bit-for-bit snapshot."""
    values = [*metric.variables, np.asarray(metric.result())]
    return tuple((v.dtype.str, v.shape, v.tobytes()) for v in values)


def primed(factory, impl, first_update):
    """The metric ``factory`` builds from ``impl``, after ``first_update`` (unless None)."""
    metric = factory(impl)
    if first_update is not None:
        metric.update_state(*first_update)
    return metric


def assert_refused_unchanged(metric, exception, bad_update, message_words=()) -> str:
    before = bit_snapshot(metric)
    with pytest.raises(exception) as error:
        metric.update_state(*bad_update)
    assert bit_snapshot(metric) == before, "a refused update changed the state"
    message = str(error.value)
    for word in message_words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


def object_array(shape, last) -> np.ndarray:
    """An object array of ``shape`` holding 0.5 everywhere but ``last`` in its last element."""
    array = np.full(shape, 0.5, dtype=object)
    array.flat[-1] = last
    return array


# (id, y_true, y_pred, sample_weight, exception, words the message must contain)
def bad_updates(y_true, y_pred, weights, index):
    """The bad-input matrix for a valid batch; ``index`` is where a bad value is put."""
    n = y_true.shape[0]
    return [
        ("label_2", with_value(y_true, index, 2), y_pred, weights, ValueError, ["y_true"]),
        ("label_-1", with_value(y_true, index, -1), y_pred, weights, ValueError, ["y_true"]),
        ("label_0.5", with_value(y_true, index, 0.5), y_pred, weights, ValueError, ["y_true"]),
        ("label_nan", with_value(y_true, index, np.nan), y_pred, weights, ValueError, ["y_true"]),
        ("label_inf", with_value(y_true, index, np.inf), y_pred, weights, ValueError, ["y_true"]),
        ("label_int_2", y_true.astype(np.int64) * 2, y_pred, weights, ValueError, ["y_true"]),
        ("pred_nan", y_true, with_value(y_pred, index, np.nan), weights, ValueError, ["y_pred"]),
        ("pred_inf", y_true, with_value(y_pred, index, np.inf), weights, ValueError, ["y_pred"]),
        ("pred_-inf", y_true, with_value(y_pred, index, -np.inf), weights, ValueError, ["y_pred"]),
        ("weight_nan", y_true, y_pred, with_value(weights, 1, np.nan), ValueError, []),
        ("weight_inf", y_true, y_pred, with_value(weights, 2, np.inf), ValueError, []),
        ("weight_scalar_nan", y_true, y_pred, math.nan, ValueError, []),
        ("true_str", "abcd", y_pred, weights, TypeError, ["y_true"]),
        ("pred_str", y_true, "abcd", weights, TypeError, ["y_pred"]),
        ("weight_str", y_true, y_pred, "abcd", TypeError, ["sample_weight"]),
        ("true_none", None, y_pred, weights, TypeError, ["y_true"]),
        ("pred_none", y_true, None, weights, TypeError, ["y_pred"]),
        ("true_str_array", y_true.astype(int).astype(str), y_pred, weights, TypeError, []),
        ("pred_bytes_array", y_true, y_pred.astype("S8"), weights, TypeError, ["y_pred"]),
        ("pred_object", y_true, object_array(y_pred.shape, object()), weights, TypeError, []),
        ("pred_object_str", y_true, object_array(y_pred.shape, "x"), weights, TypeError, []),
        ("pred_object_none", y_true, object_array(y_pred.shape, None), weights, TypeError, []),
        ("true_object", object_array(y_true.shape, "1"), y_pred, weights, TypeError, []),
        ("weight_list_none", y_true, y_pred, [1.0] * (n - 1) + [None], TypeError, []),
        ("shape_rows", y_true, y_pred[:-1], weights, ValueError, ["y_true", "y_pred"]),
        ("shape_rank", y_true, np.stack([y_pred, y_pred], -1), weights, ValueError, ["y_pred"]),
        ("weight_shape", y_true, y_pred, weights[:-1], ValueError, ["sample_weight"]),
        ("weight_rank", y_true, y_pred, np.ones(y_pred.shape + (2,)), ValueError, []),
    ]


ONE_D_BAD = bad_updates(TRUE_1D, PRED_1D, WEIGHT_1D, 2)
TWO_D_BAD = bad_updates(TRUE_2D, PRED_2D, WEIGHT_2D, (2, 1))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("metric_name", sorted(ONE_D_METRICS))
@pytest.mark.parametrize(
    "y_true, y_pred, weights, exception, words",
    [case[1:] for case in ONE_D_BAD],
    ids=[case[0] for case in ONE_D_BAD],
)
def test_bad_update_1d(impl, metric_name, y_true, y_pred, weights, exception, words) -> None:
    metric = primed(ONE_D_METRICS[metric_name], impl, (TRUE_1D, PRED_1D, WEIGHT_1D))
    assert any(v.any() for v in metric.variables)
    assert_refused_unchanged(metric, exception, (y_true, y_pred, weights), words)


def two_d_cases():
    for name, y_true, y_pred, weights, exception, words in TWO_D_BAD:
        yield pytest.param(y_true, y_pred, weights, exception, words, id=name)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("built", [True, False], ids=["built", "fresh"])
@pytest.mark.parametrize("metric_name", sorted(TWO_D_METRICS))
@pytest.mark.parametrize("y_true, y_pred, weights, exception, words", list(two_d_cases()))
def test_bad_update_2d(impl, built, metric_name, y_true, y_pred, weights, exception, words):
    first_update = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, first_update)
    if not built and metric_name in UNBUILT:
        assert metric.variables == []
    assert_refused_unchanged(metric, exception, (y_true, y_pred, weights), words)
    if not built and metric_name in UNBUILT:
        assert metric.variables == []  # a refused first update builds nothing


# ---------------------------------------------------------------------------------------------
# Predictions outside [0, 1]: refused by AUC (without from_logits) and the *At* metrics,
# accepted (any finite value) by AUC(from_logits=True), the F-scores and the confusion metrics;
# negative and integer weights are accepted

OUT_OF_RANGE = [1.5, -0.1, 1.0000001, -1e-30, 2.0, 1e10]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("metric_name", ["AUC", "AUC-thresholds"])
def test_auc_refuses_out_of_range_predictions(impl, value, metric_name) -> None:
    metric = primed(ONE_D_METRICS[metric_name], impl, (TRUE_1D, PRED_1D, WEIGHT_1D))
    y_pred = with_value(PRED_1D, 3, value)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, y_pred, WEIGHT_1D))
    assert "from_logits" in message, message  # SPEC 2: suggest from_logits=True
    assert "y_pred" in message


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("metric_name", RANGE_CHECKED)
def test_2d_range_checked_metrics_refuse_out_of_range(impl, value, metric_name) -> None:
    for position in [(0, 0), (3, 1), (2, 2)]:  # also outside the class_id column
        metric = primed(TWO_D_METRICS[metric_name], impl, (TRUE_2D, PRED_2D, WEIGHT_2D))
        y_pred = with_value(PRED_2D, position, value)
        message = assert_refused_unchanged(metric, ValueError, (TRUE_2D, y_pred, WEIGHT_2D))
        assert "y_pred" in message
        if metric_name.startswith("AUC"):
            assert "from_logits" in message, message
        else:  # no `from_logits` argument to suggest
            assert "from_logits" not in message and "sigmoid" in message, message


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", AT_CLASSES)
def test_at_metrics_refuse_out_of_range(impl, value, name) -> None:
    metric = primed(ONE_D_METRICS[name], impl, (TRUE_1D, PRED_1D, WEIGHT_1D))
    y_pred = with_value(PRED_1D, 0, value)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, y_pred, WEIGHT_1D))
    assert "y_pred" in message and "[0, 1]" in message, message
    # They have no `from_logits` argument: the advice is a sigmoid only.
    assert "from_logits" not in message and "sigmoid" in message, message


@pytest.mark.parametrize("name", AT_CLASSES)
def test_at_metrics_out_of_range_message(name) -> None:
    metric = getattr(fm, name)(0.5)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, with_value(PRED_1D, 2, 1.5)))
    assert message == "`y_pred` must be in [0, 1]. Received: 1.5 at index 2. Apply a sigmoid first"


def test_auc_out_of_range_message() -> None:
    message = assert_refused_unchanged(fm.AUC(), ValueError, (TRUE_1D, with_value(PRED_1D, 2, 1.5)))
    assert message == (
        "`y_pred` must be in [0, 1]. Received: 1.5 at index 2. Pass `from_logits=True` for "
        "logits, or apply a sigmoid first"
    )


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_auc_from_logits_accepts_any_finite_value(impl) -> None:
    metric = impl.AUC(num_thresholds=3, from_logits=True)
    metric.update_state([0, 1, 1, 0], [-8.0, 8.0, 1e10, -3e38])
    # sigmoid: [~0.0003, ~0.9997, 1, 0]: above 0.5 exactly the two positives.
    assert metric.true_positives.tolist() == [2.0, 2.0, 0.0]
    assert metric.false_positives.tolist() == [2.0, 0.0, 0.0]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("metric_name", FSCORES)
def test_fscores_accept_any_finite_prediction(impl, metric_name) -> None:
    metric = TWO_D_METRICS[metric_name](impl)
    y_pred = PRED_2D * 20 - 10  # in [-10, 10]
    metric.update_state(TRUE_2D, y_pred, WEIGHT_2D)
    assert any(v.any() for v in metric.variables)
    metric.update_state(TRUE_2D, np.full((N, C), -3e38, np.float32))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_any_finite_prediction_is_accepted(impl, class_name: str) -> None:
    """Logits with thresholds=0 are documented Keras use: no range check for these classes."""
    metric = getattr(impl, class_name)(thresholds=0)
    metric.update_state([1, 0, 1, 0, 1], as_f32([-3.5, 2.0, 7.0, -1e30, 3e38]))
    # p > 0 at indices 1 (label 0), 2 and 4 (label 1): tp 2, fp 1, fn 1, tn 1.
    expected = {
        "Precision": [[2.0], [1.0]],
        "Recall": [[2.0], [1.0]],
        "TruePositives": [[2.0]],
        "TrueNegatives": [[1.0]],
        "FalsePositives": [[1.0]],
        "FalseNegatives": [[1.0]],
    }[class_name]
    assert_variables_equal(metric.variables, expected)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_negative_and_integer_weights_are_accepted(impl) -> None:
    metric = impl.TruePositives(thresholds=THRESHOLDS)
    metric.update_state(Y_TRUE, Y_PRED, np.array(WEIGHTS, dtype=np.int64) * -1)
    assert_variables_equal(metric.variables, [[-6.0, -4.0, -1.0]])


# ---------------------------------------------------------------------------------------------
# Shapes: multi_label rank, label counts, class_id, F-scores' 2-D inputs

MULTI_LABEL_RANK_1 = (
    "`y_pred` must have rank 2 when `multi_label=True`. Found rank 1. "
    "Full shape received for `y_pred`: (4,)"
)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "metric_name",
    ["AUC-multi_label", "AUC-multi_label-num_labels", "AUC-multi_label-label_weights"],
)
@pytest.mark.parametrize("built", [True, False], ids=["built", "fresh"])
def test_multi_label_needs_rank_2(impl, metric_name, built) -> None:
    first_update = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, first_update)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, PRED_1D, None))
    assert message == MULTI_LABEL_RANK_1
    # Rank 3, also with a trailing 1 (the rank is checked before shapes are aligned, as Keras).
    for true_shape, shape in [((2, 2, 3), (2, 2, 3)), ((2, 3, 1), (2, 3, 1)), ((2, 3), (2, 3, 1))]:
        message = assert_refused_unchanged(
            metric, ValueError, (np.zeros(true_shape), np.zeros(shape), None)
        )
        assert message == (
            "`y_pred` must have rank 2 when `multi_label=True`. Found rank 3. "
            f"Full shape received for `y_pred`: {shape}"
        )


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("metric_name", LABEL_COUNT_FIXED)
@pytest.mark.parametrize("columns", [1, 2, 4])
def test_label_count_cannot_change(impl, metric_name, columns) -> None:
    metric = primed(TWO_D_METRICS[metric_name], impl, (TRUE_2D, PRED_2D, WEIGHT_2D))
    y_true = np.resize(TRUE_2D, (N, columns))
    y_pred = np.resize(PRED_2D, (N, columns))
    assert_refused_unchanged(metric, ValueError, (y_true, y_pred, WEIGHT_2D))
    assert_refused_unchanged(metric, ValueError, (y_true[:1], y_pred[:1], None))
    metric.update_state(TRUE_2D[:1], PRED_2D[:1])  # the right count still works


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_num_labels_fixes_the_count_before_any_update(impl) -> None:
    metric = impl.AUC(multi_label=True, num_labels=2)
    assert [v.shape for v in metric.variables] == [(200, 2)] * 4
    assert_refused_unchanged(metric, ValueError, (TRUE_2D, PRED_2D, None))
    # label_weights of the wrong length for the batch: refused at update time.
    metric = impl.AUC(multi_label=True, label_weights=[1.0, 2.0])
    assert_refused_unchanged(metric, ValueError, (TRUE_2D, PRED_2D, None))
    assert metric.variables == []


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("name", AT_CLASSES)
def test_class_id_out_of_range_or_1d(impl, name) -> None:
    metric = getattr(impl, name)(0.5, class_id=3)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_2D, PRED_2D, WEIGHT_2D))
    assert "class_id" in message
    metric = primed(TWO_D_METRICS[f"{name}-class_id"], impl, (TRUE_2D, PRED_2D, WEIGHT_2D))
    message = assert_refused_unchanged(metric, ValueError, (TRUE_2D[:, :1], PRED_2D[:, :1], None))
    assert "class_id" in message
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, PRED_1D, WEIGHT_1D))
    assert "class_id" in message
    # (N,) labels with (N, 1) predictions are (N, 1): class_id 0 is valid, class_id 1 is not.
    column = getattr(impl, name)(0.5, class_id=0)
    column.update_state(TRUE_1D, PRED_1D[:, None])
    assert column.true_positives.any()
    assert_refused_unchanged(metric, ValueError, (TRUE_1D, PRED_1D[:, None], None))


CLASS_ID_1D = (
    "When class_id is provided, y_pred must be a 2D array with shape (num_samples, "
    "num_classes), found shape: {}"
)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("name", [*sorted(PRECISION_RECALL), *AT_CLASSES])
def test_class_id_with_1d_predictions_has_keras_message(impl, name) -> None:
    """Keras 3's message, with the shape after alignment as NumPy prints it."""
    cls = getattr(impl, name)
    metric = cls(0.5, class_id=2) if name in AT_CLASSES else cls(class_id=2)
    y_true, y_pred = np.array([0, 1, 1, 0, 1]), np.array([0.2, 0.9, 0.6, 0.4, 0.7])
    message = assert_refused_unchanged(metric, ValueError, (y_true, y_pred, None))
    assert message == CLASS_ID_1D.format("(5,)")
    # (N, 1) labels do not make 1-D predictions 2-D for the message: they align to (N, 1).
    message = assert_refused_unchanged(metric, ValueError, (y_true[:, None], y_pred, None))
    assert "class_id" in message and "found shape" not in message  # class 2 of one column
    message = assert_refused_unchanged(metric, ValueError, (np.float32(1), np.float32(0.5), None))
    assert message == CLASS_ID_1D.format("()")


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("metric_name", FSCORES)
@pytest.mark.parametrize("built", [True, False], ids=["built", "fresh"])
@pytest.mark.parametrize(
    "y_true, y_pred",
    [
        (TRUE_1D, PRED_1D),
        (TRUE_2D[:, :1].ravel(), PRED_2D[:, :1]),
        (TRUE_2D, PRED_2D.ravel()[:N]),
        (TRUE_2D[..., None], PRED_2D[..., None]),
        (np.float32(1), np.float32(0.5)),
    ],
    ids=["1d", "1d_true", "1d_pred", "3d", "0d"],
)
def test_fscores_need_2d_inputs(impl, metric_name, built, y_true, y_pred) -> None:
    first_update = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, first_update)
    assert_refused_unchanged(metric, ValueError, (y_true, y_pred, None))
    if not built:
        assert metric.variables == []


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_fscore_2d_message(impl) -> None:
    metric = impl.F1Score()
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, PRED_1D, None))
    assert message == (
        "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
        "shapes: y_pred.shape=(4,) and y_true.shape=(4,)."
    )


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "true_shape, pred_shape", [((4, 3), (4,)), ((4,), (4, 3)), ((4, 3), (4, 3, 2))]
)
def test_ranks_are_checked_before_shapes_align(impl, true_shape, pred_shape) -> None:
    """As Keras: the F-scores' 2-D rule and multi-label AUC's rank 2 come first, so shapes
    that also do not align get Keras's message."""
    y_true, y_pred = np.zeros(true_shape), np.full(pred_shape, 0.5)
    message = assert_refused_unchanged(impl.F1Score(), ValueError, (y_true, y_pred, None))
    assert message == (
        "FBetaScore expects 2D inputs with shape (batch_size, output_dim). Received input "
        f"shapes: y_pred.shape={pred_shape} and y_true.shape={true_shape}."
    )
    if len(pred_shape) != 2:
        metric = impl.AUC(multi_label=True)
        message = assert_refused_unchanged(metric, ValueError, (y_true, y_pred, None))
        assert message == (
            f"`y_pred` must have rank 2 when `multi_label=True`. Found rank {len(pred_shape)}. "
            f"Full shape received for `y_pred`: {pred_shape}"
        )


# ---------------------------------------------------------------------------------------------
# precision_recall_at_equal_thresholds: the same bad inputs (no state: just the exception)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "labels, predictions, weights, exception, words",
    [case[1:] for case in ONE_D_BAD] + [case[1:] for case in TWO_D_BAD],
    ids=[f"1d-{case[0]}" for case in ONE_D_BAD] + [f"2d-{case[0]}" for case in TWO_D_BAD],
)
def test_equal_thresholds_bad_inputs(impl, labels, predictions, weights, exception, words):
    with pytest.raises(exception):
        impl.precision_recall_at_equal_thresholds(labels, predictions, weights, num_thresholds=5)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
def test_equal_thresholds_refuses_out_of_range(impl, value) -> None:
    with pytest.raises(ValueError, match=re.escape("[0, 1]")) as error:
        impl.precision_recall_at_equal_thresholds(TRUE_1D, with_value(PRED_1D, 1, value))
    assert "from_logits" not in str(error.value) and "sigmoid" in str(error.value)


def test_equal_thresholds_out_of_range_message() -> None:
    with pytest.raises(ValueError) as error:
        fm.precision_recall_at_equal_thresholds(TRUE_1D, with_value(PRED_1D, 1, 1.5))
    assert str(error.value) == (
        "`predictions` must be in [0, 1]. Received: 1.5 at index 1. Apply a sigmoid first"
    )


# ---------------------------------------------------------------------------------------------
# A failing update leaves the state bit-identical: confusion metrics with random thresholds

BAD_KINDS = (
    "label",
    "prediction",
    "weight",
    "shape",
    "weight_shape",
    "class_id",
    "class_id_1d",
    "top_k",
    "not_numeric",
)


@st.composite
def confusion_failing_updates(draw):
    """A confusion metric, a valid update, and a bad update (whose bad value may sit anywhere)."""
    kind = draw(st.sampled_from(BAD_KINDS))
    n = draw(st.integers(1, 40))
    c = draw(st.integers(2, 5))
    kwargs = {}
    thresholds = draw(st.one_of(st.none(), threshold_lists()))
    if thresholds is not None:
        kwargs["thresholds"] = thresholds
    if kind in ("class_id", "class_id_1d"):
        class_name = draw(st.sampled_from(sorted(PRECISION_RECALL)))
        kwargs["class_id"] = draw(st.integers(0, c - 1))
    elif kind == "top_k":
        class_name = draw(st.sampled_from(sorted(PRECISION_RECALL)))
        kwargs["top_k"] = draw(st.integers(1, c))
    else:
        class_name = draw(st.sampled_from(CONFUSION_CLASSES))

    def valid_batch(shape):
        y_true = draw(hnp.arrays(np.float32, shape, elements=st.integers(0, 1)))
        y_pred = draw(hnp.arrays(np.float32, shape, elements=st.floats(-1, 2, width=32)))
        weights = draw(hnp.arrays(np.float32, shape[:1], elements=st.integers(0, 3)))
        return y_true, y_pred, weights

    good_shape = (n, c)
    first = valid_batch(good_shape)
    y_true, y_pred, weights = valid_batch(good_shape)
    bad_index = draw(st.integers(0, n * c - 1))
    if kind == "label":
        y_true = y_true.copy()
        y_true.flat[bad_index] = draw(st.sampled_from([2.0, -1.0, 0.3, np.nan, np.inf, -np.inf]))
    elif kind == "prediction":
        y_pred = y_pred.copy()
        y_pred.flat[bad_index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    elif kind == "weight":
        weights = weights.copy()
        weights[bad_index % n] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    elif kind == "shape":
        other = draw(st.sampled_from([(n + 1, c), (n, c + 1), (n, c, 2), (n * c,)]))
        y_pred = np.zeros(other, dtype=np.float32)
    elif kind == "weight_shape":
        weights = np.ones(draw(st.sampled_from([(n + 1,), (n, c + 1), (1, c + 1), (n, c, 2)])))
    elif kind == "class_id":
        c_small = kwargs["class_id"]  # class_id == last dimension: out of range
        y_true, y_pred, weights = y_true[:, :c_small], y_pred[:, :c_small], weights
    elif kind == "class_id_1d":
        y_true, y_pred, weights = y_true.ravel(), y_pred.ravel(), None
    elif kind == "top_k":
        smaller = kwargs["top_k"] - 1
        y_true, y_pred = y_true[:, :smaller], y_pred[:, :smaller]
    else:  # "not_numeric"
        position = draw(st.sampled_from(["y_true", "y_pred", "sample_weight"]))
        bad = draw(
            st.sampled_from(
                [
                    "abc",
                    None,
                    object(),
                    np.array(["0", "1"] * n)[:n],
                    np.array([0.5] * (n - 1) + ["x"], dtype=object),
                    np.array([object()] * n, dtype=object),
                    [0.5] * (n - 1) + [None],
                    [0.5] * (n - 1) + ["a"],
                ]
            )
        )
        if position == "sample_weight" and bad is None:
            bad = "abc"  # None is a valid sample_weight
        y_true, y_pred = y_true[:, 0], y_pred[:, 0]
        if position == "y_true":
            y_true = bad
        elif position == "y_pred":
            y_pred = bad
        else:
            weights = bad
    return class_name, kwargs, first, (y_true, y_pred, weights), kind


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@settings()
@given(failing=confusion_failing_updates())
def test_a_failing_confusion_update_leaves_the_state_unchanged(module, failing) -> None:
    class_name, kwargs, first, bad, kind = failing
    note(f"{class_name}({kwargs}), kind={kind}")
    metric = getattr(module, class_name)(**kwargs)
    metric.update_state(*first)
    before = metric.variables
    result_before = metric.result()
    with pytest.raises((ValueError, TypeError)):
        metric.update_state(*bad)
    after = metric.variables
    assert len(before) == len(after)
    for old, new in zip(before, after):
        assert np.array_equal(old, new)
    assert np.array_equal(metric.result(), result_before)


BIG_BAD = {
    "label_2": ("y_true", 2.0),
    "label_nan": ("y_true", np.nan),
    "prediction_nan": ("y_pred", np.nan),
    "prediction_-inf": ("y_pred", -np.inf),
    "weight_inf": ("sample_weight", np.inf),
}


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize("bad", sorted(BIG_BAD))
@pytest.mark.parametrize("class_name", ["Precision", "FalseNegatives"])
def test_a_failing_big_update_leaves_the_state_unchanged(module, bad: str, class_name: str) -> None:
    """The bad value is the very last element of a batch big enough for the parallel path."""
    rng = np.random.default_rng(7)
    size = 400_000
    y_true = rng.integers(0, 2, size).astype(np.float32)
    y_pred = rng.random(size, dtype=np.float32)
    weights = rng.integers(0, 4, size).astype(np.float32)
    metric = getattr(module, class_name)(thresholds=THRESHOLDS_200)
    metric.update_state(y_true[:1000], y_pred[:1000], weights[:1000])
    before = metric.variables
    assert any(v.any() for v in before)

    argument, value = BIG_BAD[bad]
    update = {"y_true": y_true, "y_pred": y_pred, "sample_weight": weights}
    update[argument] = update[argument].copy()
    update[argument][-1] = value
    with pytest.raises(ValueError, match=argument):
        metric.update_state(**update)
    for old, new in zip(before, metric.variables):
        assert np.array_equal(old, new)


# ---------------------------------------------------------------------------------------------
# A failing update leaves the state bit-identical: every configuration of the registry


@st.composite
def registry_failing_updates(draw: Any) -> tuple:
    name = draw(st.sampled_from(NAMES))
    config = CONFIGS[name]
    rows = draw(st.integers(1, 40))
    y_true, y_pred, w = batch(config, rows, seed=draw(st.integers(0, 1000)))
    y_true, y_pred, w = y_true.copy(), y_pred.copy(), w.copy()
    kind = draw(
        st.sampled_from(
            ["label", "nan_pred", "inf_weight", "shape", "weight_shape", "text", "none", "complex"]
        )
    )
    index = draw(st.integers(0, y_true.size - 1))
    if kind == "label":
        y_true.flat[index] = draw(st.sampled_from([2.0, -1.0, 0.5, np.nan]))
    elif kind == "nan_pred":
        y_pred.flat[index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    elif kind == "inf_weight":
        w[index % rows] = draw(st.sampled_from([np.nan, np.inf]))
    elif kind == "shape":
        y_pred = np.concatenate([y_pred, y_pred[:1]])
    elif kind == "weight_shape":
        w = np.ones(rows + 1)
    elif kind == "text":
        y_pred = np.array(["x"] * rows)
    elif kind == "none":
        y_true = None
    else:
        y_pred = y_pred.astype(np.complex64)
    first = batch(config, draw(st.integers(0, 30)), seed=7)
    return name, first, (y_true, y_pred, w), kind, index


@settings(deadline=None)
@given(case=registry_failing_updates())
def test_a_failing_update_of_any_configuration_leaves_the_state_bit_identical(case: tuple) -> None:
    name, first, bad, kind, index = case
    note(f"{name}, {kind} at {index}")
    config = CONFIGS[name]
    for module in (fm, ref):
        metric = config.make(module)
        metric.update_state(*first)
        before, result_before = state_bytes(metric), np.asarray(metric.result())
        with pytest.raises((ValueError, TypeError)):
            metric.update_state(*bad)
        assert state_bytes(metric) == before
        assert np.array_equal(np.asarray(metric.result()), result_before, equal_nan=True)

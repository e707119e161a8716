"""Bad inputs and bad arguments for AUC, the operating-point metrics, the F-scores and
``precision_recall_at_equal_thresholds`` (SPEC sections 2, 4, 6, 8 and 9), on both implementations.

Every bad update must raise the right exception type and leave the metric exactly as it was:
every variable and the result are compared bit for bit before and after (an update is all or
nothing), also for a metric whose variables are not built yet (a multi-label AUC without
``num_labels``, an F-score before its first update). Constructor errors carry Keras's exact
messages on the fast implementation (and on the reference, where the two agree); a
``num_thresholds`` too large to allocate is a ``ValueError``, checked in a subprocess with a
memory limit so that a regression cannot take the test run down with it.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import ferrometrics as fm
from ferrometrics.reference import _auc as ref_auc
from ferrometrics.reference import _equal_thresholds as ref_equal
from ferrometrics.reference import _fscore as ref_fscore
from ferrometrics.reference import _operating_point as ref_operating


class Reference:
    """The reference classes under the package's names (``ferrometrics.reference`` may not
    export them all yet)."""

    AUC = ref_auc.AUC
    PrecisionAtRecall = ref_operating.PrecisionAtRecall
    RecallAtPrecision = ref_operating.RecallAtPrecision
    SensitivityAtSpecificity = ref_operating.SensitivityAtSpecificity
    SpecificityAtSensitivity = ref_operating.SpecificityAtSensitivity
    F1Score = ref_fscore.F1Score
    FBetaScore = ref_fscore.FBetaScore
    precision_recall_at_equal_thresholds = staticmethod(
        ref_equal.precision_recall_at_equal_thresholds
    )


IMPLEMENTATIONS = [pytest.param(fm, id="fast"), pytest.param(Reference, id="reference")]
AT_CLASSES = (
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
)
AT_VALUE = {
    "PrecisionAtRecall": "recall",
    "RecallAtPrecision": "precision",
    "SensitivityAtSpecificity": "specificity",
    "SpecificityAtSensitivity": "sensitivity",
}

# ---------------------------------------------------------------------------------------------
# Metrics under test, by name: how to build each one. The 1-D ones get a valid first update
# from (TRUE_1D, PRED_1D, WEIGHT_1D); the 2-D ones from (TRUE_2D, PRED_2D, WEIGHT_2D), or none
# ("fresh": a multi-label AUC without num_labels and the F-scores are then not built yet).

N, C = 4, 3
TRUE_1D = np.array([0, 1, 1, 0], dtype=np.float32)
PRED_1D = np.array([0.1, 0.9, 0.4, 0.6], dtype=np.float32)
WEIGHT_1D = np.array([1, 2, 3, 4], dtype=np.float32)
TRUE_2D = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 1]], dtype=np.float32)
PRED_2D = np.array(
    [[0.2, 0.9, 0.4], [0.8, 0.1, 0.7], [0.6, 0.5, 0.0], [0.3, 0.25, 1.0]], dtype=np.float32
)
WEIGHT_2D = np.array([1, 2, 3, 4], dtype=np.float32)

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


def state(metric) -> tuple:
    """Every variable and the result, as (dtype, shape, bytes): a bit-for-bit snapshot."""
    values = [*metric.variables, np.asarray(metric.result())]
    return tuple((v.dtype.str, v.shape, v.tobytes()) for v in values)


def primed(factory, impl, batch):
    metric = factory(impl)
    if batch is not None:
        metric.update_state(*batch)
    return metric


def assert_refused_unchanged(metric, exception, bad_update, message_words=()) -> str:
    before = state(metric)
    with pytest.raises(exception) as error:
        metric.update_state(*bad_update)
    assert state(metric) == before, "a refused update changed the state"
    message = str(error.value)
    for word in message_words:
        assert word in message, f"{word!r} not in {message!r}"
    return message


def with_value(array: np.ndarray, index, value) -> np.ndarray:
    array = array.astype(np.float64)
    array[index] = value
    return array


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
    batch = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, batch)
    if not built and metric_name in UNBUILT:
        assert metric.variables == []
    assert_refused_unchanged(metric, exception, (y_true, y_pred, weights), words)
    if not built and metric_name in UNBUILT:
        assert metric.variables == []  # a refused first update builds nothing


# ---------------------------------------------------------------------------------------------
# Predictions outside [0, 1]: refused by AUC (without from_logits) and the *At* metrics,
# accepted by the F-scores

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


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("value", OUT_OF_RANGE)
@pytest.mark.parametrize("name", AT_CLASSES)
def test_at_metrics_refuse_out_of_range(impl, value, name) -> None:
    metric = primed(ONE_D_METRICS[name], impl, (TRUE_1D, PRED_1D, WEIGHT_1D))
    y_pred = with_value(PRED_1D, 0, value)
    message = assert_refused_unchanged(metric, ValueError, (TRUE_1D, y_pred, WEIGHT_1D))
    assert "y_pred" in message and "[0, 1]" in message, message


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
    batch = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, batch)
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
    batch = (TRUE_2D, PRED_2D, WEIGHT_2D) if built else None
    metric = primed(TWO_D_METRICS[metric_name], impl, batch)
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
    with pytest.raises(ValueError, match=re.escape("[0, 1]")):
        impl.precision_recall_at_equal_thresholds(TRUE_1D, with_value(PRED_1D, 1, value))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("num_thresholds", [1, 0, -5, 1.5, 2.0, True, None, "3"])
def test_equal_thresholds_bad_num_thresholds(impl, num_thresholds) -> None:
    with pytest.raises((ValueError, TypeError)):
        impl.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=num_thresholds)


def test_equal_thresholds_num_thresholds_message() -> None:
    message = "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1"
    with pytest.raises(ValueError, match=re.escape(message)):
        fm.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=1)
    with pytest.raises(ValueError, match=re.escape(message)):
        Reference.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=1)


# ---------------------------------------------------------------------------------------------
# Constructor arguments: Keras's messages

# (id, class name, kwargs, exception, exact message or None)
CONSTRUCTOR_ERRORS = [
    (
        "auc_num_thresholds_1",
        "AUC",
        {"num_thresholds": 1},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1",
    ),
    (
        "auc_num_thresholds_0",
        "AUC",
        {"num_thresholds": 0},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=0",
    ),
    (
        "auc_num_thresholds_-3",
        "AUC",
        {"num_thresholds": -3},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=-3",
    ),
    ("auc_num_thresholds_float", "AUC", {"num_thresholds": 1.5}, ValueError, None),
    ("auc_num_thresholds_bool", "AUC", {"num_thresholds": True}, ValueError, None),
    (
        "auc_curve",
        "AUC",
        {"curve": "foo"},
        ValueError,
        'Invalid AUC curve value: "foo". Expected values are ["PR", "ROC", "PRGAIN"]',
    ),
    (
        "auc_curve_mixed_case",
        "AUC",
        {"curve": "Roc"},
        ValueError,
        'Invalid AUC curve value: "Roc". Expected values are ["PR", "ROC", "PRGAIN"]',
    ),
    (
        "auc_summation",
        "AUC",
        {"summation_method": "foo"},
        ValueError,
        'Invalid AUC summation method value: "foo". '
        'Expected values are ["interpolation", "majoring", "minoring"]',
    ),
    (
        "auc_summation_upper",
        "AUC",
        {"summation_method": "MINORING"},
        ValueError,
        'Invalid AUC summation method value: "MINORING". '
        'Expected values are ["interpolation", "majoring", "minoring"]',
    ),
    (
        "auc_num_labels_without_multi_label",
        "AUC",
        {"num_labels": 3},
        ValueError,
        "`num_labels` is needed only when `multi_label` is True.",
    ),
    ("auc_num_labels_0", "AUC", {"multi_label": True, "num_labels": 0}, ValueError, None),
    ("auc_label_weights_negative", "AUC", {"label_weights": [1.0, -0.5]}, ValueError, None),
    ("auc_label_weights_nan", "AUC", {"label_weights": [math.nan]}, ValueError, None),
    ("auc_label_weights_inf", "AUC", {"label_weights": [1.0, math.inf]}, ValueError, None),
    (
        "auc_label_weights_negative_multi",
        "AUC",
        {"multi_label": True, "label_weights": [-1.0, 1.0]},
        ValueError,
        None,
    ),
    (
        "auc_label_weights_vs_num_labels",
        "AUC",
        {"multi_label": True, "num_labels": 3, "label_weights": [1.0, 2.0]},
        ValueError,
        None,
    ),
    ("auc_label_weights_str", "AUC", {"label_weights": ["a"]}, TypeError, None),
    (
        "auc_thresholds_range",
        "AUC",
        {"thresholds": [1.5]},
        ValueError,
        "Threshold values must be in [0, 1]. Received: [1.5]",
    ),
    ("auc_thresholds_negative", "AUC", {"thresholds": [0.5, -0.1]}, ValueError, None),
    ("auc_thresholds_nan", "AUC", {"thresholds": [0.5, math.nan]}, ValueError, None),
    ("auc_thresholds_str", "AUC", {"thresholds": ["a"]}, TypeError, None),
    ("auc_dtype", "AUC", {"dtype": "int32"}, ValueError, None),
    ("auc_dtype_float16", "AUC", {"dtype": "float16"}, ValueError, None),
    *[
        (
            f"{name}_value_1.5",
            name,
            {AT_VALUE[name]: 1.5},
            ValueError,
            f"Argument `{AT_VALUE[name]}` must be in the range [0, 1]. "
            f"Received: {AT_VALUE[name]}=1.5",
        )
        for name in AT_CLASSES
    ],
    *[
        (
            f"{name}_value_-0.25",
            name,
            {AT_VALUE[name]: -0.25},
            ValueError,
            f"Argument `{AT_VALUE[name]}` must be in the range [0, 1]. "
            f"Received: {AT_VALUE[name]}=-0.25",
        )
        for name in AT_CLASSES
    ],
    *[
        (f"{name}_value_nan", name, {AT_VALUE[name]: math.nan}, ValueError, None)
        for name in AT_CLASSES
    ],
    *[(f"{name}_value_str", name, {AT_VALUE[name]: "a"}, TypeError, None) for name in AT_CLASSES],
    *[
        (
            f"{name}_num_thresholds_0",
            name,
            {AT_VALUE[name]: 0.5, "num_thresholds": 0},
            ValueError,
            "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=0",
        )
        for name in AT_CLASSES
    ],
    (
        "PrecisionAtRecall_num_thresholds_-1",
        "PrecisionAtRecall",
        {"recall": 0.5, "num_thresholds": -1},
        ValueError,
        "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=-1",
    ),
    (
        "RecallAtPrecision_num_thresholds_float",
        "RecallAtPrecision",
        {"precision": 0.5, "num_thresholds": 2.5},
        ValueError,
        None,
    ),
    (
        "SensitivityAtSpecificity_class_id_-1",
        "SensitivityAtSpecificity",
        {"specificity": 0.5, "class_id": -1},
        ValueError,
        None,
    ),
    (
        "SpecificityAtSensitivity_dtype",
        "SpecificityAtSensitivity",
        {"sensitivity": 0.5, "dtype": "int8"},
        ValueError,
        None,
    ),
    *[
        (
            f"{name}_average",
            name,
            {"average": "foo"},
            ValueError,
            "Invalid `average` argument value. Expected one of: "
            "{None, 'micro', 'macro', 'weighted'}. Received: average=foo",
        )
        for name in ("F1Score", "FBetaScore")
    ],
    (
        "FBetaScore_beta_int",
        "FBetaScore",
        {"beta": 2},
        ValueError,
        "Invalid `beta` argument value. It should be a Python float. "
        "Received: beta=2 of type '<class 'int'>'",
    ),
    (
        "FBetaScore_beta_0",
        "FBetaScore",
        {"beta": 0.0},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=0.0",
    ),
    (
        "FBetaScore_beta_negative",
        "FBetaScore",
        {"beta": -1.0},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=-1.0",
    ),
    *[
        (
            f"{name}_threshold_int",
            name,
            {"threshold": 1},
            ValueError,
            "Invalid `threshold` argument value. It should be a Python float. "
            "Received: threshold=1 of type '<class 'int'>'",
        )
        for name in ("F1Score", "FBetaScore")
    ],
    *[
        (
            f"{name}_threshold_{value}",
            name,
            {"threshold": value},
            ValueError,
            "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
            f"Received: threshold={value}",
        )
        for name in ("F1Score", "FBetaScore")
        for value in (1.5, 0.0, -0.5)
    ],
    ("FBetaScore_threshold_nan", "FBetaScore", {"threshold": math.nan}, ValueError, None),
    ("F1Score_dtype", "F1Score", {"dtype": "float16"}, ValueError, None),
]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "class_name, kwargs, exception, message",
    [case[1:] for case in CONSTRUCTOR_ERRORS],
    ids=[case[0] for case in CONSTRUCTOR_ERRORS],
)
def test_constructor_errors(impl, class_name, kwargs, exception, message) -> None:
    cls = getattr(impl, class_name)
    if message is None:
        with pytest.raises(exception):
            cls(**kwargs)
    else:
        with pytest.raises(exception, match=f"^{re.escape(message)}$"):
            cls(**kwargs)


@pytest.mark.parametrize(
    "impl",
    [pytest.param(fm, id="fast"), pytest.param(Reference, id="reference")],
)
@pytest.mark.parametrize("name", AT_CLASSES)
def test_at_value_message_prints_the_value_as_given(impl, name) -> None:
    value = AT_VALUE[name]
    message = f"Argument `{value}` must be in the range [0, 1]. Received: {value}=2"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        getattr(impl, name)(**{value: 2})


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("name", AT_CLASSES)
@pytest.mark.parametrize("value", [0, 1, 0.0, 1.0, True, np.float32(0.5)])
def test_at_value_bounds_are_accepted(impl, name, value) -> None:
    metric = getattr(impl, name)(value, num_thresholds=1)
    assert metric.get_config()[AT_VALUE[name]] == value


# ---------------------------------------------------------------------------------------------
# A num_thresholds too large to allocate: ValueError, not a crash or MemoryError

HUGE_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    limit = 1 << 29  # 512 MiB of address space: a regression fails fast instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from ferrometrics.reference import _auc, _equal_thresholds, _operating_point
    import ferrometrics as fm
    impl = sys.argv[1]
    calls = {
        "AUC": lambda m: m.AUC(num_thresholds=10**12),
        "AUC-num_labels": lambda m: m.AUC(multi_label=True, num_labels=10**12),
        "PrecisionAtRecall": lambda m: m.PrecisionAtRecall(0.5, num_thresholds=10**12),
        "equal_thresholds": lambda m: m.precision_recall_at_equal_thresholds(
            [1], [0.5], num_thresholds=10**12),
    }
    class Reference:
        AUC = _auc.AUC
        PrecisionAtRecall = _operating_point.PrecisionAtRecall
        precision_recall_at_equal_thresholds = staticmethod(
            _equal_thresholds.precision_recall_at_equal_thresholds)
    module = fm if impl == "fast" else Reference
    try:
        calls[sys.argv[2]](module)
    except BaseException as error:
        print(type(error).__name__)
    else:
        print("accepted")
    """
)


@pytest.mark.parametrize(
    "impl",
    [pytest.param("fast", id="fast"), pytest.param("reference", id="reference")],
)
@pytest.mark.parametrize("call", ["AUC", "AUC-num_labels", "PrecisionAtRecall", "equal_thresholds"])
def test_huge_num_thresholds_is_a_value_error(impl, call) -> None:
    # One BLAS thread: its per-thread buffers must fit in the address-space limit.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    outcome = subprocess.run(
        [sys.executable, "-c", HUGE_SCRIPT, impl, call],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.stdout.strip() == "ValueError", outcome.stdout + outcome.stderr[-2000:]


@pytest.mark.parametrize("huge", [10**12, 2**63, 10**30])
def test_huge_num_thresholds_messages(huge) -> None:
    """In-process on the fast implementation (refused before anything is allocated)."""
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.AUC(num_thresholds=huge)
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.SensitivityAtSpecificity(0.5, num_thresholds=huge)
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.precision_recall_at_equal_thresholds([1], [0.5], num_thresholds=huge)
    with pytest.raises(ValueError):
        fm.AUC(multi_label=True, num_labels=huge)

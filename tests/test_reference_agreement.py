"""Cases where the reference once disagreed with the contract, run on both implementations.

Audits found inputs on which ``ferrometrics.reference`` raised another exception than the
contract (docs/semantics.md) and the fast package, or refused what they accept. Each test here
runs one such case on ``ferrometrics`` and on ``ferrometrics.reference`` and asserts the
contract: the exception type, a fragment of its message that both implementations share and,
for a refused update or merge, that the metric's state is exactly as it was.
"""

from __future__ import annotations

import numpy as np
import pytest

import ferrometrics as fm
from ferrometrics import reference as ref

IMPLEMENTATIONS = [pytest.param(fm, id="fast"), pytest.param(ref, id="reference")]

# A Python int that float64 cannot hold (its largest finite value is about 1.8e308).
TOO_LARGE = 10**400


def snapshot(metric) -> tuple[list[np.ndarray], np.ndarray]:
    """The metric's variables and result, copied, to compare after a refused call."""
    return [np.array(v, copy=True) for v in metric.variables], np.array(metric.result())


def assert_unchanged(metric, before: tuple[list[np.ndarray], np.ndarray]) -> None:
    """Asserts that the variables and the result equal ``before`` bit for bit."""
    variables, result = snapshot(metric)
    assert len(variables) == len(before[0])
    for now, then in zip(variables, before[0]):
        assert now.shape == then.shape and now.tobytes() == then.tobytes()
    assert result.tobytes() == before[1].tobytes()


# -- §2: Python ints beyond float64 are a ValueError, not an OverflowError -------------------

# (metric class, constructor arguments, a valid batch (y_true, y_pred) of that metric's shape).
OVERFLOW_METRICS = {
    "Precision": ("Precision", {}, ([1, 0], [0.7, 0.2])),
    "AUC": ("AUC", {}, ([1, 0], [0.7, 0.2])),
    "PrecisionAtRecall": ("PrecisionAtRecall", {"recall": 0.5}, ([1, 0], [0.7, 0.2])),
    "F1Score": ("F1Score", {}, ([[1, 0], [0, 1]], [[0.7, 0.2], [0.4, 0.6]])),
}


def with_too_large(values: list) -> list:
    """``values`` (a flat or nested list) with its first number replaced by ``10**400``."""
    if isinstance(values[0], list):
        return [with_too_large(values[0]), *values[1:]]
    return [TOO_LARGE, *values[1:]]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("metric", sorted(OVERFLOW_METRICS))
@pytest.mark.parametrize("argument", ["y_true", "y_pred", "sample_weight", "scalar sample_weight"])
def test_int_beyond_float64_in_an_update_is_a_value_error(impl, metric, argument):
    class_name, kwargs, (y_true, y_pred) = OVERFLOW_METRICS[metric]
    m = getattr(impl, class_name)(**kwargs)
    m.update_state(y_true, y_pred)
    before = snapshot(m)
    weights = [1] * len(y_true)
    bad = {
        "y_true": (with_too_large(y_true), y_pred, None),
        "y_pred": (y_true, with_too_large(y_pred), None),
        "sample_weight": (y_true, y_pred, with_too_large(weights)),
        "scalar sample_weight": (y_true, y_pred, TOO_LARGE),
    }[argument]
    with pytest.raises(ValueError, match="finite"):
        m.update_state(*bad)
    assert_unchanged(m, before)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("argument", ["labels", "predictions", "weights"])
def test_int_beyond_float64_in_equal_thresholds_is_a_value_error(impl, argument):
    inputs = {"labels": [1, 0], "predictions": [0.7, 0.2], "weights": [1, 1]}
    inputs[argument] = [TOO_LARGE, *inputs[argument][1:]]
    with pytest.raises(ValueError, match="finite"):
        impl.precision_recall_at_equal_thresholds(**inputs)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {"label_weights": [TOO_LARGE]},
        {"multi_label": True, "num_labels": 2, "label_weights": [1, TOO_LARGE]},
    ],
    ids=["label_weights", "multi_label label_weights"],
)
def test_int_beyond_float64_in_label_weights_is_a_value_error(impl, kwargs):
    with pytest.raises(ValueError, match="label_weights"):
        impl.AUC(**kwargs)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "AUC"])
@pytest.mark.parametrize("thresholds", [TOO_LARGE, [0.5, TOO_LARGE]], ids=["number", "list"])
def test_int_beyond_float64_in_thresholds_is_a_value_error(impl, class_name, thresholds):
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        getattr(impl, class_name)(thresholds=thresholds)


# -- §2: thresholds of rank 2 or more are a TypeError ---------------------------------------


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall", "TruePositives", "AUC"])
@pytest.mark.parametrize(
    "thresholds",
    [np.zeros((2, 2)), np.full((1, 1), 0.5), np.zeros((1, 1, 3)), [[0.1], [0.2]]],
    ids=["array (2, 2)", "array (1, 1)", "array (1, 1, 3)", "nested list"],
)
def test_thresholds_of_rank_two_are_a_type_error(impl, class_name, thresholds):
    with pytest.raises(TypeError, match="must be a float or a list of floats"):
        getattr(impl, class_name)(thresholds=thresholds)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "thresholds, expected",
    [(np.array(0.3), [0.3]), (np.array([0.3]), [0.3]), (np.array([0.7, 0.2]), [0.7, 0.2])],
    ids=["0-d array", "1-D array of one", "1-D array"],
)
def test_thresholds_of_rank_zero_or_one_are_accepted(impl, thresholds, expected):
    assert impl.Precision(thresholds=thresholds).thresholds == pytest.approx(expected)


# -- §2: a weight of one element, whatever its rank, is a scalar -----------------------------

# (metric class, constructor arguments, y_true, y_pred), each of a different rank.
WEIGHT_CASES = {
    "Precision 0-d": ("Precision", {}, 1, 0.7),
    "Precision (3,)": ("Precision", {}, [1, 0, 1], [0.7, 0.2, 0.4]),
    "Precision (0,)": ("Precision", {}, np.zeros(0), np.zeros(0)),
    "Recall top_k (2, 2)": ("Recall", {"top_k": 1}, [[1, 0], [0, 1]], [[0.7, 0.2], [0.4, 0.6]]),
    "AUC (3,)": ("AUC", {"num_thresholds": 5}, [1, 0, 1], [0.7, 0.2, 0.4]),
    "AUC multi_label (2, 2)": (
        "AUC",
        {"num_thresholds": 5, "multi_label": True},
        [[1, 0], [0, 1]],
        [[0.7, 0.2], [0.4, 0.6]],
    ),
    "PrecisionAtRecall (3,)": ("PrecisionAtRecall", {"recall": 0.5}, [1, 0, 1], [0.7, 0.2, 0.4]),
    "F1Score (2, 2)": ("F1Score", {"threshold": 0.5}, [[1, 0], [0, 1]], [[0.7, 0.2], [0.4, 0.6]]),
}


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("case", sorted(WEIGHT_CASES))
@pytest.mark.parametrize("weight_shape", [(1,), (1, 1), (1, 1, 1), (1, 1, 1, 1)])
def test_a_weight_of_one_element_is_a_scalar(impl, case, weight_shape):
    class_name, kwargs, y_true, y_pred = WEIGHT_CASES[case]
    with_scalar = getattr(impl, class_name)(**kwargs)
    with_scalar.update_state(y_true, y_pred, sample_weight=2.0)
    with_array = getattr(impl, class_name)(**kwargs)
    with_array.update_state(y_true, y_pred, sample_weight=np.full(weight_shape, 2.0))
    assert_unchanged(with_array, snapshot(with_scalar))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("weight_shape", [(1,), (1, 1, 1)])
def test_a_weight_of_one_element_is_a_scalar_in_equal_thresholds(impl, weight_shape):
    labels, predictions = [1, 0, 1], [0.7, 0.2, 0.4]
    expected = impl.precision_recall_at_equal_thresholds(labels, predictions, 2.0, 5)
    data = impl.precision_recall_at_equal_thresholds(
        labels, predictions, np.full(weight_shape, 2.0), 5
    )
    for field in ("tp", "fp", "tn", "fn"):
        np.testing.assert_array_equal(getattr(data, field), getattr(expected, field))


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("weight_shape", [(2, 1, 1), (1, 2, 1), (1, 1, 2)])
def test_a_weight_of_more_elements_and_higher_rank_is_refused(impl, weight_shape):
    m = impl.Precision()
    m.update_state([1, 0], [0.7, 0.2])
    before = snapshot(m)
    with pytest.raises(ValueError, match="cannot be broadcast to the shape of `y_true`"):
        m.update_state([1, 0], [0.7, 0.2], sample_weight=np.ones(weight_shape))
    assert_unchanged(m, before)


# -- §1: multi-label AUCs merge whether their label count was given or learnt -----------------


def multi_label_auc(impl, num_labels=None, batch_labels=None):
    """An ``AUC(multi_label=True)``, optionally given ``num_labels``, optionally updated once
    with a batch of ``batch_labels`` labels."""
    m = impl.AUC(num_thresholds=5, multi_label=True, num_labels=num_labels)
    if batch_labels is not None:
        y_true = np.eye(batch_labels)[np.arange(4) % batch_labels]
        y_pred = np.linspace(0.1, 0.9, 4 * batch_labels).reshape(4, batch_labels)
        m.update_state(y_true, y_pred)
    return m


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_a_given_label_count_merges_with_a_learnt_one(impl):
    given = multi_label_auc(impl, num_labels=3, batch_labels=3)
    learnt = multi_label_auc(impl, batch_labels=3)
    expected = [a + b for a, b in zip(given.variables, learnt.variables)]
    given.merge_state(learnt)
    for merged, want in zip(given.variables, expected):
        np.testing.assert_array_equal(merged, want)

    unbuilt = multi_label_auc(impl)
    unbuilt.merge_state(multi_label_auc(impl, num_labels=3))
    assert unbuilt.true_positives.shape == (5, 3)
    assert unbuilt.get_config()["num_labels"] is None


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "others",
    [
        lambda impl: multi_label_auc(impl, batch_labels=2),
        lambda impl: multi_label_auc(impl, num_labels=2),
        lambda impl: [multi_label_auc(impl, batch_labels=3), multi_label_auc(impl, batch_labels=2)],
    ],
    ids=["learnt", "given", "in a list after a good one"],
)
def test_auc_states_of_other_label_counts_are_not_merged(impl, others):
    m = multi_label_auc(impl, num_labels=3, batch_labels=3)
    before = snapshot(m)
    with pytest.raises(ValueError, match="3 and 2"):
        m.merge_state(others(impl))
    assert_unchanged(m, before)


# -- §1: merging a metric of another class is a ValueError naming both classes ----------------


def qualified_name(metric) -> str:
    return f"{type(metric).__module__}.{type(metric).__qualname__}"


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "make_other",
    [
        lambda impl: impl.Precision(),
        lambda impl: [impl.Precision()],
        lambda impl: [impl.AUC(num_thresholds=3), impl.Precision()],
        lambda impl: (ref if impl is fm else fm).AUC(),
    ],
    ids=["one", "in a list", "in a list after a good one", "the other implementation's"],
)
def test_merging_another_class_is_a_value_error_naming_both(impl, make_other):
    m = impl.AUC(num_thresholds=3)
    m.update_state([0, 1, 1], [0.2, 0.6, 0.9])
    before = snapshot(m)
    other = make_other(impl)
    stranger = other[-1] if isinstance(other, list) else other
    expected = (
        f"Cannot merge a {qualified_name(stranger)} into a {qualified_name(m)}: "
        "metrics must be of the same class and configuration"
    )
    with pytest.raises(ValueError, match=f"^{expected}$"):
        m.merge_state(other)
    assert_unchanged(m, before)

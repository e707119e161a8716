"""Inputs at the edges, for every class: no abort, no stray exception type, clear refusals.

Found by an audit acting as a hostile user, and by Keras 3's own edge behaviour: empty batches
(a no-op, also of absurd width), Python ints beyond float64, messages for degenerate shapes and
for ``precision_recall_at_equal_thresholds``' own argument names, an empty threshold list, and
an F-score whose first batch has no classes.
"""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from support import (
    CONFIGS,
    CONFUSION_CLASSES,
    IMPLEMENTATIONS,
    NAMES,
    THRESHOLDS,
    VARIABLE_NAMES,
    WEIGHTS,
    Y_PRED,
    Y_TRUE,
    as_f32,
    assert_variables_equal,
    copy_variables,
    state_bytes,
)

import ferrometrics as fm
from ferrometrics import reference as ref


def run_isolated(code: str) -> subprocess.CompletedProcess:
    """Runs ``code`` in a fresh interpreter: an abort there fails the test, not the run."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_an_empty_batch_is_a_no_op(impl, class_name: str) -> None:
    metric = getattr(impl, class_name)(thresholds=THRESHOLDS)
    metric.update_state([], [])
    assert_variables_equal(metric.variables, [[0.0] * 3] * len(VARIABLE_NAMES[class_name]))
    metric.update_state(as_f32(Y_TRUE), as_f32(Y_PRED), as_f32(WEIGHTS))
    before = copy_variables(metric)
    metric.update_state(np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros(0))
    metric.update_state(np.zeros((0, 3)), np.zeros((0, 3)), np.zeros((0,)))
    metric.update_state(np.zeros((0, 3)), np.zeros((0, 3)), 2.0)
    assert_variables_equal(metric.variables, before)


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_batch_of_enormous_width_is_a_no_op_or_a_value_error(name: str) -> None:
    # (0, 2**40) holds no data, but sizing a buffer by its width would ask for terabytes.
    config = CONFIGS[name]
    result = run_isolated(
        f"""
        import numpy as np, ferrometrics as fm
        m = fm.{config.class_name}(**{config.kwargs!r})
        empty = np.zeros((0, 2**40), np.float32)
        for weights in (None, np.zeros(0)):
            try:
                m.update_state(empty, empty, weights)
            except ValueError as error:
                print("refused:", error)
        print("alive")
        """
    )
    assert result.returncode == 0, result.stderr
    assert "alive" in result.stdout


def test_python_ints_beyond_float64_are_value_errors_and_change_nothing() -> None:
    m = fm.AUC()
    m.update_state([0, 1], [0.2, 0.8])
    before = state_bytes(m)
    for args in (([10**400, 0], [0.5, 0.5]), ([1, 0], [0.5, 0.5], [10**400, 1])):
        with pytest.raises(ValueError, match="finite"):
            m.update_state(*args)
    assert state_bytes(m) == before
    with pytest.raises(ValueError, match="finite"):
        fm.precision_recall_at_equal_thresholds([1, 0], [0.5, 0.5], weights=[10**400, 1])
    with pytest.raises(ValueError, match="label_weights"):
        fm.AUC(label_weights=[10**400])
    for module in (fm, ref):
        with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
            module.Precision(thresholds=[10**400])


def test_messages_show_the_real_shape_and_the_function_argument_names() -> None:
    with pytest.raises(ValueError, match=r"y_pred.shape=\(2, 0\)"):
        fm.AUC(multi_label=True).update_state(np.zeros((2, 0)), np.zeros((2, 0)))
    with pytest.raises(ValueError, match="multi-label state is too large"):
        fm.AUC(multi_label=True, num_labels=90_000)
    with pytest.raises(ValueError, match="`labels` must contain only 0 and 1") as bad_label:
        fm.precision_recall_at_equal_thresholds([2, 0], [0.5, 0.5])
    with pytest.raises(ValueError, match="`predictions` must be in") as bad_prediction:
        fm.precision_recall_at_equal_thresholds([1, 0], [1.5, 0.5])
    for error in (bad_label, bad_prediction):
        assert "y_true" not in str(error.value) and "from_logits" not in str(error.value)


EMPTY_THRESHOLD_CASES = [
    ("Precision", {}, [0, 1, 1], [0.2, 0.6, 0.9], None, 2),
    ("Recall", {}, [0, 1, 1], [0.2, 0.6, 0.9], [1.0, 2.0, 3.0], 2),
    ("TruePositives", {}, [[0, 1], [1, 1]], [[0.2, 0.6], [0.9, 0.1]], None, 1),
    ("FalseNegatives", {}, [0, 1, 1], [0.2, 0.6, 0.9], None, 1),
    ("Precision", {"top_k": 1}, [[0, 1], [1, 1]], [[0.2, 0.6], [0.9, 0.1]], None, 2),
    ("Recall", {"class_id": 1}, [[0, 1], [1, 1]], [[0.2, 0.6], [0.9, 0.1]], None, 2),
]


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    ("name", "kwargs", "y_true", "y_pred", "weights", "count"), EMPTY_THRESHOLD_CASES
)
def test_an_empty_threshold_list_gives_empty_variables_and_result(
    module, name, kwargs, y_true, y_pred, weights, count
) -> None:
    # Keras 3.15: `Precision(thresholds=[])` is valid; its variables have shape (0,) and
    # result() is a float32 vector of shape (0,), before and after updates.
    metric = getattr(module, name)(thresholds=[], **kwargs)
    metric.update_state(y_true, y_pred, weights)
    assert len(metric.variables) == count
    assert all(v.shape == (0,) for v in metric.variables)
    result = np.asarray(metric.result())
    assert result.shape == (0,) and result.dtype == np.float32
    assert metric.get_config()["thresholds"] == []
    clone = pickle.loads(pickle.dumps(metric))
    clone.merge_state([metric])
    assert np.asarray(clone.result()).shape == (0,)
    with pytest.raises(ValueError, match="y_true"):
        metric.update_state([[2, 0]], [[0.1, 0.2]])


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    ("average", "shape", "expected"),
    [(None, (0,), []), ("macro", (0,), np.nan), ("micro", (), 0.0), ("weighted", (0,), 0.0)],
)
def test_an_f_score_first_given_no_classes_is_built_with_none(module, average, shape, expected):
    # Keras 3.15: an (N, 0) first batch builds 0 classes; macro is then the mean of nothing
    # (NaN), micro and weighted are 0, None an empty vector; a later width is refused.
    metric = module.F1Score(average=average, threshold=0.5)
    metric.update_state(np.zeros((3, 0), np.float32), np.zeros((3, 0), np.float32))
    for copied in (metric, pickle.loads(pickle.dumps(metric)), copy.deepcopy(metric)):
        assert copied.num_classes == 0
        assert [v.shape for v in copied.variables] == [shape] * 4
        result = copied.result()
        assert result.dtype == np.float32
        np.testing.assert_array_equal(result, np.asarray(expected, np.float32))
    with pytest.raises(ValueError, match="0"):
        metric.update_state(np.zeros((3, 2), np.float32), np.zeros((3, 2), np.float32))
    assert metric.num_classes == 0

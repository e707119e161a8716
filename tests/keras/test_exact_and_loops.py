"""Exact counts, custom training loops and compiled steps, on the backend of this process.

- ``model.evaluate`` over 2**24 + 1 positive rows reports 16,777,217 true positives (Keras's
  own float32 variables stop at 16,777,216, checked alongside as the witness).
- An eager custom loop (``update_state`` on backend tensors) equals Keras's metrics; the
  compiled loops of each backend are in ``test_backend_<name>.py``.
- The Keras documentation examples, through ``ferrometrics.keras``; the module's own examples.
"""

from __future__ import annotations

import doctest

import keras
import numpy as np
import pytest
from support import ATOL, KERAS_EXAMPLES, RTOL, example_id, run_example

import ferrometrics.keras as fmk
from ferrometrics.keras import _metrics


def test_evaluate_counts_exactly_past_2_to_the_24() -> None:
    rows = 2**24 + 1
    ones = np.ones((rows, 1), np.float32)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Identity()])
    model.compile(
        loss="mse",
        metrics=[
            fmk.TruePositives(name="tp"),
            fmk.FalseNegatives(name="fn"),
            fmk.Precision(name="precision"),
            keras.metrics.TruePositives(name="keras_tp"),
        ],
    )
    logs = model.evaluate(ones, ones, batch_size=2**20, verbose=0, return_dict=True)
    assert logs["tp"] == 16_777_217
    assert logs["fn"] == 0
    assert logs["precision"] == 1
    assert logs["keras_tp"] == 16_777_216  # Keras's float32 accumulator stops here


def batches(seed: int = 0):
    rng = np.random.default_rng(seed)
    for _ in range(5):
        y_true = (rng.random((64, 3)) < 0.4).astype("float32")
        y_pred = rng.random((64, 3)).astype("float32")
        weights = rng.integers(0, 3, 64).astype("float32")
        yield y_true, y_pred, weights


def loop_metrics() -> list:
    return [
        fmk.AUC(multi_label=True),
        fmk.AUC(curve="PR"),
        fmk.Precision(thresholds=[0.3, 0.7]),
        fmk.Recall(class_id=1),
        fmk.TrueNegatives(),
        fmk.RecallAtPrecision(0.5),
        fmk.F1Score(average="macro", threshold=0.5),
        fmk.FBetaScore(beta=2.0),
    ]


def eager_results() -> list[np.ndarray]:
    metrics = loop_metrics()
    for y_true, y_pred, weights in batches():
        for metric in metrics:
            y, p, w = (keras.ops.convert_to_tensor(a) for a in (y_true, y_pred, weights))
            metric.update_state(y, p, sample_weight=w)
    return [np.asarray(keras.ops.convert_to_numpy(m.result())) for m in metrics]


def test_an_eager_custom_loop_equals_keras() -> None:
    ours = eager_results()
    theirs = []
    for metric in [
        keras.metrics.AUC(multi_label=True),
        keras.metrics.AUC(curve="PR"),
        keras.metrics.Precision(thresholds=[0.3, 0.7]),
        keras.metrics.Recall(class_id=1),
        keras.metrics.TrueNegatives(),
        keras.metrics.RecallAtPrecision(0.5),
        keras.metrics.F1Score(average="macro", threshold=0.5),
        keras.metrics.FBetaScore(beta=2.0),
    ]:
        for y_true, y_pred, weights in batches():
            metric.update_state(y_true, y_pred, sample_weight=weights)
        theirs.append(np.asarray(keras.ops.convert_to_numpy(metric.result())))
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a, b, rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("example", KERAS_EXAMPLES, ids=[example_id(e) for e in KERAS_EXAMPLES])
def test_keras_doc_examples(example) -> None:
    class_name, kwargs, _, expected = example
    metric = getattr(fmk, class_name)(**kwargs)
    run_example(metric, example)
    result = np.asarray(keras.ops.convert_to_numpy(metric.result()), dtype=np.float64)
    np.testing.assert_allclose(result, np.asarray(expected), rtol=RTOL, atol=ATOL)


@pytest.mark.parametrize("module", [fmk, _metrics], ids=lambda m: m.__name__)
def test_module_examples(module) -> None:
    outcome = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0
    if module is fmk:
        assert outcome.attempted > 0


def test_the_classes_are_keras_classes_with_keras_attributes() -> None:
    from keras.src.metrics import metrics_utils

    for name in fmk.__all__:
        assert issubclass(getattr(fmk, name), getattr(keras.metrics, name)), name
    auc = fmk.AUC(curve="pr", summation_method="majoring", from_logits=True)
    assert auc.curve is metrics_utils.AUCCurve.PR
    assert auc.summation_method is metrics_utils.AUCSummationMethod.MAJORING
    assert auc._from_logits is True
    assert [v.name for v in fmk.Precision().variables] == ["true_positives", "false_positives"]
    assert [v.name for v in fmk.F1Score(average="micro").variables] == []  # built by data

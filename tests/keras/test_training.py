"""``ferrometrics.keras`` inside Keras training, on the backend of this process.

Every class, in ``compile``/``fit`` (with validation)/``evaluate``, ``train_on_batch`` and
``test_on_batch``: the epoch logs equal those of the same ``keras.metrics`` classes on the same
model, data and initial weights (Keras's results within float32 rounding). With sample weights
and class weights, and on a two-output model. ``model.save`` then ``keras.models.load_model``
(no ``custom_objects``) restores the metrics, and ``evaluate`` gives the same values.
"""

from __future__ import annotations

import keras
import numpy as np
import pytest

import ferrometrics.keras as fmk

RTOL, ATOL = 1e-5, 1e-6
ROWS = 768

# name -> (class name, keyword arguments): binary outputs (N, 1).
BINARY = {
    "auc": ("AUC", {}),
    "pr_auc": ("AUC", {"curve": "PR", "num_thresholds": 50}),
    "prgain_auc": ("AUC", {"curve": "PRGAIN", "summation_method": "minoring"}),
    "auc_thresholds": ("AUC", {"thresholds": [0.2, 0.45, 0.7]}),
    "precision": ("Precision", {}),
    "recall": ("Recall", {"thresholds": [0.3, 0.6]}),
    "tp": ("TruePositives", {}),
    "tn": ("TrueNegatives", {"thresholds": [0.25, 0.5, 0.75]}),
    "fp": ("FalsePositives", {}),
    "fn": ("FalseNegatives", {}),
    "p_at_r": ("PrecisionAtRecall", {"recall": 0.6}),
    "r_at_p": ("RecallAtPrecision", {"precision": 0.55, "num_thresholds": 80}),
    "sens_at_spec": ("SensitivityAtSpecificity", {"specificity": 0.5}),
    "spec_at_sens": ("SpecificityAtSensitivity", {"sensitivity": 0.5}),
}
# name -> (class name, keyword arguments): three outputs (N, 3).
MULTI = {
    "auc_multi": ("AUC", {"multi_label": True}),
    "auc_weights": ("AUC", {"multi_label": True, "num_labels": 3, "label_weights": [1, 2, 0.5]}),
    "precision_c1": ("Precision", {"class_id": 1}),
    "recall_top2": ("Recall", {"top_k": 2}),
    "sens_c2": ("SensitivityAtSpecificity", {"specificity": 0.4, "class_id": 2}),
    "f1": ("F1Score", {"average": "macro", "threshold": 0.5}),
    "f1_rowmax": ("F1Score", {}),
    "fbeta": ("FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.4}),
    "fbeta_micro": ("FBetaScore", {"average": "micro", "threshold": 0.6}),
}


def make(module, specs: dict) -> list:
    return [getattr(module, cls)(name=name, **kwargs) for name, (cls, kwargs) in specs.items()]


def data(outputs: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.random((ROWS, 8)).astype("float32")
    signal = x[:, :outputs] + 0.4 * rng.random((ROWS, outputs))
    y = (signal > 0.75).astype("float32")
    weights = rng.integers(1, 4, ROWS).astype("float32")
    return x, y, weights


def model(outputs: int) -> keras.Model:
    keras.utils.set_random_seed(7)
    return keras.Sequential(
        [
            keras.Input((8,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(outputs, activation="sigmoid"),
        ]
    )


def assert_same_logs(ours: dict, theirs: dict) -> None:
    assert sorted(ours) == sorted(theirs)
    for key in theirs:
        np.testing.assert_allclose(ours[key], theirs[key], rtol=RTOL, atol=ATOL, err_msg=key)


def fit_both(specs: dict, outputs: int, **fit) -> tuple[dict, dict]:
    """The history of one epoch of training with validation, with each module's metrics."""
    x, y, weights = data(outputs)
    histories = []
    for module in (fmk, keras.metrics):
        net = model(outputs)
        net.compile("adam", "binary_crossentropy", metrics=make(module, specs))
        history = net.fit(x, y, batch_size=64, epochs=2, validation_split=0.25, verbose=0, **fit)
        histories.append(history.history)
    return histories[0], histories[1]


@pytest.mark.parametrize(
    "specs, outputs", [(BINARY, 1), (MULTI, 3)], ids=["binary-output", "three-outputs"]
)
def test_fit_logs_equal_keras_in_training_and_validation(specs: dict, outputs: int) -> None:
    ours, keras_logs = fit_both(specs, outputs)
    assert {f"val_{name}" for name in specs} <= set(ours)
    for key in keras_logs:
        if key.startswith("val_") or key.removeprefix("val_") not in {"tp", "tn", "fp", "fn"}:
            np.testing.assert_allclose(ours[key], keras_logs[key], rtol=RTOL, atol=ATOL)
    # Training counts: Keras's own on PyTorch log the validation values in their place (its
    # epoch logs keep references to the variables that validation then overwrites); the
    # training counts are checked against a count of the predictions in the test below.


def test_training_counts_are_the_counts_of_the_epochs_predictions() -> None:
    x, y, _ = data(1)
    net = model(1)
    metrics = make(fmk, {k: BINARY[k] for k in ("tp", "fp", "fn")})
    net.compile("sgd", "binary_crossentropy", metrics=metrics)
    net.optimizer.learning_rate = 0.0  # the same predictions all epoch long
    history = net.fit(x, y, batch_size=64, epochs=1, validation_split=0.25, verbose=0).history
    train = slice(0, int(ROWS * 0.75))
    predicted = np.asarray(net.predict(x[train], verbose=0)) > 0.5
    positive = y[train] == 1
    assert history["tp"] == [float(np.sum(predicted & positive))]
    assert history["fp"] == [float(np.sum(predicted & ~positive))]
    assert history["fn"] == [float(np.sum(~predicted & positive))]


@pytest.mark.parametrize(
    "specs, outputs", [(BINARY, 1), (MULTI, 3)], ids=["binary-output", "three-outputs"]
)
def test_sample_and_class_weights_as_keras_passes_them(specs: dict, outputs: int) -> None:
    x, y, weights = data(outputs, seed=1)
    results = []
    for module in (fmk, keras.metrics):
        net = model(outputs)
        net.compile("adam", "binary_crossentropy", weighted_metrics=make(module, specs), metrics=[])
        net.fit(x, y, sample_weight=weights, batch_size=128, epochs=1, verbose=0)
        results.append(net.evaluate(x, y, sample_weight=weights, verbose=0, return_dict=True))
    assert_same_logs(*results)
    if outputs == 1:  # class weights apply to single-output models
        results = []
        for module in (fmk, keras.metrics):
            net = model(1)
            net.compile("adam", "binary_crossentropy", weighted_metrics=make(module, specs))
            history = net.fit(
                x, y, class_weight={0: 1.0, 1: 3.0}, batch_size=128, epochs=1, verbose=0
            )
            results.append({k: v[-1] for k, v in history.history.items() if k != "loss"})
        assert_same_logs(*results)


def test_train_and_test_on_batch() -> None:
    x, y, _ = data(1, seed=2)
    results = []
    for module in (fmk, keras.metrics):
        net = model(1)
        net.compile("adam", "binary_crossentropy", metrics=make(module, BINARY))
        for start in range(0, 256, 64):
            net.train_on_batch(x[start : start + 64], y[start : start + 64])
        train_logs = net.train_on_batch(x[256:320], y[256:320], return_dict=True)
        test_logs = net.test_on_batch(x[320:448], y[320:448], return_dict=True)
        results.append((train_logs, test_logs))
    assert_same_logs(results[0][0], results[1][0])
    assert_same_logs(results[0][1], results[1][1])


def test_a_two_output_model() -> None:
    x, y, _ = data(3, seed=3)
    targets = {"first": y[:, :1], "rest": y[:, 1:]}
    results = []
    for module in (fmk, keras.metrics):
        keras.utils.set_random_seed(11)
        inputs = keras.Input((8,))
        hidden = keras.layers.Dense(8, activation="relu")(inputs)
        outputs = {
            "first": keras.layers.Dense(1, activation="sigmoid", name="first")(hidden),
            "rest": keras.layers.Dense(2, activation="sigmoid", name="rest")(hidden),
        }
        net = keras.Model(inputs, outputs)
        net.compile(
            "adam",
            {"first": "binary_crossentropy", "rest": "binary_crossentropy"},
            metrics={
                "first": [module.AUC(name="auc"), module.Precision(name="precision")],
                "rest": [module.AUC(multi_label=True, name="auc"), module.F1Score(name="f1")],
            },
        )
        net.fit(x, targets, batch_size=64, epochs=1, verbose=0)
        results.append(net.evaluate(x, targets, verbose=0, return_dict=True))
    assert_same_logs(*results)


@pytest.mark.parametrize(
    "specs, outputs", [(BINARY, 1), (MULTI, 3)], ids=["binary-output", "three-outputs"]
)
def test_save_and_load_restores_the_metrics(specs: dict, outputs: int, tmp_path) -> None:
    x, y, _ = data(outputs, seed=4)
    net = model(outputs)
    net.compile("adam", "binary_crossentropy", metrics=make(fmk, specs))
    net.fit(x, y, batch_size=64, epochs=1, verbose=0)
    before = net.evaluate(x, y, verbose=0, return_dict=True)
    path = tmp_path / "model.keras"
    net.save(path)
    loaded = keras.models.load_model(path)
    after = loaded.evaluate(x, y, verbose=0, return_dict=True)
    assert_same_logs(after, before)
    restored = {m.name: m for m in loaded.metrics[-1].metrics}  # the compiled metrics
    for name, (cls, kwargs) in specs.items():
        metric = restored[name]
        assert type(metric) is getattr(fmk, cls), name
        original = getattr(fmk, cls)(name=name, **kwargs).get_config()
        assert metric.get_config() == original, name

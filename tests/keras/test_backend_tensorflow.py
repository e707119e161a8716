"""TensorFlow only: updates inside ``tf.function`` equal eager ones; XLA is refused on the
first step with a message that says what to do."""

from __future__ import annotations

import keras
import numpy as np
import pytest
from test_exact_and_loops import batches, eager_results, loop_metrics

import ferrometrics.keras as fmk


def test_updates_inside_tf_function_equal_eager_ones() -> None:
    import tensorflow as tf

    metrics = loop_metrics()

    @tf.function
    def step(y_true, y_pred, weights):
        for metric in metrics:
            metric.update_state(y_true, y_pred, sample_weight=weights)

    for y_true, y_pred, weights in batches():
        step(tf.constant(y_true), tf.constant(y_pred), tf.constant(weights))
    for metric, expected in zip(metrics, eager_results()):
        np.testing.assert_array_equal(np.asarray(metric.result()), expected)


def test_tensorflow_xla_is_refused_with_what_to_do() -> None:
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy", metrics=[fmk.AUC()], jit_compile=True)
    x = np.random.default_rng(0).random((32, 3)).astype("float32")
    with pytest.raises(Exception, match="jit_compile=False"):
        model.fit(x, (x[:, :1] > 0.5).astype("float32"), epochs=1, verbose=0)

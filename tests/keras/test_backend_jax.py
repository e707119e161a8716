"""JAX only: updates under ``jax.jit`` through Keras's stateless API equal eager ones, and
once the variables are synced back, results read the exact state."""

from __future__ import annotations

import numpy as np
from test_exact_and_loops import batches, eager_results, loop_metrics


def test_stateless_updates_under_jax_jit_equal_eager_ones() -> None:
    import jax

    metrics = loop_metrics()
    for metric in metrics:  # build the variables sized by the data
        metric.update_state(*next(batches(1)))
        metric.reset_state()
    state = [[v.value for v in m.variables] for m in metrics]

    @jax.jit
    def step(state, y_true, y_pred, weights):
        return [
            m.stateless_update_state(s, y_true, y_pred, sample_weight=weights)
            for m, s in zip(metrics, state)
        ]

    for y_true, y_pred, weights in batches():
        state = step(state, y_true, y_pred, weights)
    results = [m.stateless_result(s) for m, s in zip(metrics, state)]
    for result, expected in zip(results, eager_results()):
        np.testing.assert_array_equal(np.asarray(result), expected)
    for metric, values in zip(metrics, state):  # after syncing, the exact state is read
        for variable, value in zip(metric.variables, values):
            variable.assign(value)
    for metric, expected in zip(metrics, eager_results()):
        np.testing.assert_array_equal(np.asarray(metric.result()), expected)

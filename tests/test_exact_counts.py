"""State is float64: counts stay exact beyond 2**24 (SPEC section 1, where ferrometrics
deliberately differs from Keras, whose float32 state stops counting at 2**24 = 16,777,216).

2**24 + 1 positives counted by TruePositives, AUC, RecallAtPrecision and F1Score(average="micro"):
the variables are float64 and hold 16,777,217 exactly; ``result()`` is in the metric dtype.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as np
import pytest

import ferrometrics as fm


def test_true_positives_count_exactly_beyond_2_to_the_24() -> None:
    size = 2**24 + 1
    y_true = np.ones(size, dtype=bool)
    y_pred = np.ones(size, dtype=np.float32)
    metric = fm.TruePositives()
    metric.update_state(y_true, y_pred)
    (accumulator,) = metric.variables
    assert accumulator.dtype == np.float64
    assert accumulator[0] == 16777217.0  # Keras 3's float32 state would stop at 16777216
    assert metric.result() == np.float32(16777217.0)  # result() is float32: 16777216
    wide = fm.TruePositives(dtype="float64")
    wide.update_state(y_true, y_pred)
    wide.update_state(y_true[:1], y_pred[:1])
    assert wide.result() == 16777218.0


@pytest.mark.parametrize(
    "make",
    [
        lambda: fm.AUC(num_thresholds=3),
        lambda: fm.RecallAtPrecision(0.5, num_thresholds=3),
        lambda: fm.F1Score(average="micro", threshold=0.5),
    ],
    ids=["AUC", "RecallAtPrecision", "F1Score_micro"],
)
def test_counts_stay_exact_beyond_2_to_the_24(make: Callable[[], Any]) -> None:
    """2**24 + 1 positives: float32 state (Keras 3) would stop counting at 2**24."""
    size = 2**24 + 1
    metric = make()
    if isinstance(metric, fm.F1Score):
        y = np.ones((size, 1), dtype=bool)
        metric.update_state(y, np.ones((size, 1), dtype=np.float32))
        true_positives = metric.variables[0]
        assert true_positives.dtype == np.float64
        assert true_positives.reshape(-1)[0] == 16777217.0
        return
    metric.update_state(np.ones(size, dtype=bool), np.ones(size, dtype=np.float32))
    true_positives = metric.variables[0]
    assert true_positives.dtype == np.float64
    assert true_positives.reshape(-1).max() == 16777217.0

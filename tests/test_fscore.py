"""F1Score and FBetaScore worked by hand, on both implementations (SPEC section 8).

The row-maximum rule with ties, all-zero rows and negative values; ``reset_state()`` keeps the
class count of the first update (as Keras 3); ``get_config``/``from_config`` and pickling.
Random inputs against the reference are in ``test_fscore_properties.py``.
"""

from __future__ import annotations

import pickle

import numpy as np
import pytest
from support import IMPLEMENTATIONS, same_array


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
def test_fscore_ties_zero_rows_and_negative_values(module) -> None:
    """threshold=None: every row maximum is positive (ties: all), unless it is 0 (|p| <= 1e-9).

    Rows: [0.5, 0.5, 0.1] -> columns 0, 1 positive; [0, 0, 0] -> none; [-1, -2, -1] -> columns
    0 and 2 (negative maxima are away from zero); [1e-9, 0, 0] -> none (not above 1e-9 in
    float32: float32(1e-9) itself).
    """
    y_true = [[1, 0, 0], [1, 1, 0], [0, 0, 1], [1, 0, 0]]
    y_pred = np.array([[0.5, 0.5, 0.1], [0, 0, 0], [-1, -2, -1], [1e-9, 0, 0]], dtype=np.float32)
    metric = module.FBetaScore()
    metric.update_state(y_true, y_pred)
    # Column 0: predicted rows 0, 2 (labels 1, 0): tp 1, fp 1; labels 1 at rows 0, 1, 3: fn 2.
    # Column 1: predicted row 0 (label 0): fp 1; label 1 at row 1: fn 1.
    # Column 2: predicted row 2 (label 1): tp 1.
    assert np.array_equal(metric.true_positives, [1.0, 0.0, 1.0])
    assert np.array_equal(metric.false_positives, [1.0, 1.0, 0.0])
    assert np.array_equal(metric.false_negatives, [2.0, 1.0, 0.0])
    assert np.array_equal(metric.intermediate_weights, [3.0, 1.0, 1.0])


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize("average", [None, "micro", "macro"])
def test_fscore_reset_keeps_the_class_count(module, average) -> None:
    """As Keras 3: the first update builds the variables; reset_state() zeroes them in place.

    So after a reset the variables are zeros of the same shape, and the class count stays fixed.
    """
    metric = module.F1Score(average=average)
    metric.update_state([[1, 0, 0], [0, 1, 0]], [[0.9, 0.1, 0.0], [0.2, 0.7, 0.1]])
    shapes = [v.shape for v in metric.variables]
    metric.reset_state()
    assert [v.shape for v in metric.variables] == shapes
    assert all(not v.any() for v in metric.variables)
    assert metric.num_classes == 3
    with pytest.raises(ValueError):
        metric.update_state([[1, 0]], [[0.9, 0.1]])


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
def test_fscore_config(module) -> None:
    assert module.FBetaScore().get_config() == {
        "name": "fbeta_score",
        "dtype": "float32",
        "average": None,
        "beta": 1.0,
        "threshold": None,
    }
    assert module.F1Score().get_config() == {
        "name": "f1_score",
        "dtype": "float32",
        "average": None,
        "threshold": None,
    }
    for cls, kwargs in (
        (module.FBetaScore, {"average": "weighted", "beta": 0.5, "threshold": 0.3}),
        (module.F1Score, {"average": "micro", "threshold": 1.0, "name": "f", "dtype": "float64"}),
    ):
        metric = cls(**kwargs)
        config = metric.get_config()
        for key, value in kwargs.items():
            assert config[key] == value
        rebuilt = cls.from_config(config)
        assert type(rebuilt) is cls
        assert rebuilt.get_config() == config
        metric.update_state([[1, 0], [0, 1]], [[0.9, 0.2], [0.4, 0.6]])
        clone = pickle.loads(pickle.dumps(metric))
        assert clone.get_config() == config
        for actual, expected in zip(clone.variables, metric.variables):
            assert np.array_equal(actual, expected)
        clone.update_state([[1, 1]], [[0.7, 0.1]])
        metric.update_state([[1, 1]], [[0.7, 0.1]])
        assert same_array(clone.result(), metric.result())

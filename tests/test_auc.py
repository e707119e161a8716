"""AUC worked by hand, on both implementations: Keras's values, thresholds and config.

Keras's values for single-class data and the SPEC section 4 test values (with the counts behind
them), the float32 values Keras's even path counts above their threshold (SPEC section 3), and
``get_config``/``from_config`` (defaults, canonical spellings, user thresholds).
Random inputs against the reference are in ``test_auc_properties.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import ATOL, QUIRK_KS, RTOL, each_implementation

AUC_CLASSES = each_implementation("AUC")

# ---------------------------------------------------------------------------------------------
# Keras's values: single-class data, the SPEC section 4 test values, the float32 quirk values


@pytest.mark.parametrize("cls", AUC_CLASSES)
@pytest.mark.parametrize("label", [0, 1])
@pytest.mark.parametrize("num_thresholds", [3, 200])
def test_auc_of_single_class_data(cls, label: int, num_thresholds: int) -> None:
    """Keras: with one class only, ROC AUC is 0.0; PR AUC (interpolation) is 1.0 for positives.

    Only positives: fp = tn = 0, so the false-positive rate is 0 everywhere and the ROC area
    is 0; precision is 1 wherever something is predicted positive, so the interpolated PR area
    is 1. Only negatives: recall is 0 everywhere (ROC 0) and tp is 0 (PR 0).
    """
    y_true = [label] * 5
    y_pred = np.array([0.1, 0.4, 0.5, 0.7, 0.95], dtype=np.float32)
    roc = cls(num_thresholds=num_thresholds)
    roc.update_state(y_true, y_pred)
    assert roc.result() == np.float32(0.0)
    pr = cls(num_thresholds=num_thresholds, curve="PR")
    pr.update_state(y_true, y_pred)
    assert pr.result() == np.float32(1.0 if label else 0.0)
    assert roc.interpolate_pr_auc() == pr.result()
    wide = cls(num_thresholds=num_thresholds, curve="PR", dtype="float64")
    wide.update_state(y_true, y_pred)
    assert wide.result() == np.float64(1.0 if label else 0.0)


@pytest.mark.parametrize("cls", AUC_CLASSES)
@pytest.mark.parametrize(
    "kwargs, expected",
    [
        ({}, 0.78571427),
        ({"summation_method": "minoring"}, 0.5714286),
        ({"curve": "PR"}, 0.91661298),
    ],
    ids=["roc_interpolation", "roc_minoring", "pr_interpolation"],
)
def test_auc_keras_test_values(cls, kwargs: dict, expected: float) -> None:
    """SPEC section 4: y=[0,0,1,1], p=[0,0.5,0.3,0.9], w=[1,2,3,4], T=3."""
    metric = cls(num_thresholds=3, **kwargs)
    metric.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 2, 3, 4])
    result = metric.result()
    assert isinstance(result, np.float32)
    np.testing.assert_allclose(float(result), expected, rtol=RTOL, atol=ATOL)
    # The counts behind it (thresholds [-1e-7, 0.5, 1 + 1e-7], p > t):
    #   t=-1e-7: every sample -> tp 3+4, fp 1+2; t=0.5: only 0.9 -> tp 4, fp 0; t=1+1e-7: none.
    assert np.array_equal(metric.true_positives, [7.0, 4.0, 0.0])
    assert np.array_equal(metric.false_positives, [3.0, 0.0, 0.0])
    assert np.array_equal(metric.true_negatives, [0.0, 3.0, 3.0])
    assert np.array_equal(metric.false_negatives, [0.0, 3.0, 7.0])


@pytest.mark.parametrize("cls", AUC_CLASSES)
def test_auc_quirk_values_count_above_their_threshold(cls) -> None:
    """SPEC section 3 on AUC's default T = 200: float32(k/199) is positive at threshold k."""
    for k in QUIRK_KS:
        metric = cls()
        metric.update_state([1], np.array([k / 199], dtype=np.float32))
        # Thresholds 0..k are below the prediction on the even path (k + 1 of them).
        expected = [1.0] * (k + 1) + [0.0] * (199 - k)
        assert metric.true_positives.tolist() == expected, k


# ---------------------------------------------------------------------------------------------
# get_config / from_config

DEFAULT_CONFIG = {
    "name": "auc",
    "dtype": "float32",
    "num_thresholds": 200,
    "curve": "ROC",
    "summation_method": "interpolation",
    "multi_label": False,
    "num_labels": None,
    "label_weights": None,
    "from_logits": False,
}


@pytest.mark.parametrize("cls", AUC_CLASSES)
def test_auc_default_config(cls) -> None:
    config = cls().get_config()
    assert config == DEFAULT_CONFIG
    assert "thresholds" not in config  # only when the user gave thresholds
    assert cls().name == "auc"


@pytest.mark.parametrize("cls", AUC_CLASSES)
@pytest.mark.parametrize(
    "kwargs, changes",
    [
        (
            {"curve": "pr", "summation_method": "Minoring"},
            {"curve": "PR", "summation_method": "minoring"},
        ),
        (
            {"curve": "prgain", "summation_method": "Majoring"},
            {"curve": "PRGAIN", "summation_method": "majoring"},
        ),
        (
            {"num_thresholds": 7, "name": "x", "dtype": "float64"},
            {"num_thresholds": 7, "name": "x", "dtype": "float64"},
        ),
        ({"dtype": np.float64}, {"dtype": "float64"}),
        ({"multi_label": True, "num_labels": 3}, {"multi_label": True, "num_labels": 3}),
        (
            {"multi_label": True, "label_weights": [0.5, 0.0]},
            {"multi_label": True, "label_weights": [0.5, 0.0]},
        ),
        ({"label_weights": [2, 1]}, {"label_weights": [2.0, 1.0]}),
        ({"from_logits": True}, {"from_logits": True}),
        ({"thresholds": [0.7, 0.2, 0.2]}, {"thresholds": [0.2, 0.2, 0.7], "num_thresholds": 5}),
        ({"thresholds": [0.5], "num_thresholds": 50}, {"thresholds": [0.5], "num_thresholds": 3}),
        ({"thresholds": (0.75, 0.25, 0.5)}, {"thresholds": [0.25, 0.5, 0.75], "num_thresholds": 5}),
        ({"thresholds": []}, {"thresholds": [], "num_thresholds": 2}),
    ],
)
def test_auc_config_and_round_trip(cls, kwargs: dict, changes: dict) -> None:
    metric = cls(**kwargs)
    config = metric.get_config()
    assert config == {**DEFAULT_CONFIG, **changes}
    rebuilt = cls.from_config(config)
    assert type(rebuilt) is cls
    assert rebuilt.get_config() == config
    assert cls(**config).get_config() == config
    assert rebuilt.thresholds == metric.thresholds
    assert rebuilt.num_thresholds == metric.num_thresholds

"""AUC worked by hand, on both implementations: Keras's values, thresholds, attributes, config.

Keras's values for single-class data and the SPEC section 4 test values (with the counts behind
them), the float32 values Keras's even path counts above their threshold (SPEC section 3),
Keras's attribute contract (``curve`` and ``summation_method`` are members of the ``AUCCurve``
and ``AUCSummationMethod`` enums, with ``from_str``), ``curve_points()``, and
``get_config``/``from_config`` (defaults, canonical spellings, user thresholds).
Random inputs against the reference are in ``test_auc_properties.py``.
"""

from __future__ import annotations

import json
import pickle
import re

import numpy as np
import pytest
from support import ATOL, IMPLEMENTATIONS, QUIRK_KS, RTOL, each_implementation

import ferrometrics as fm
from ferrometrics import reference as ref

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


# ---------------------------------------------------------------------------------------------
# Keras's attribute contract: `curve` and `summation_method` are enum members

# Keras 3's `metrics_utils.AUCCurve` and `AUCSummationMethod`: members in order, and values.
KERAS_CURVES = [("ROC", "ROC"), ("PR", "PR"), ("PRGAIN", "PRGAIN")]
KERAS_SUMMATION_METHODS = [
    ("INTERPOLATION", "interpolation"),
    ("MAJORING", "majoring"),
    ("MINORING", "minoring"),
]
# Every spelling Keras's `from_str` accepts, and the member it names.
CURVE_SPELLINGS = {
    "ROC": "ROC",
    "roc": "ROC",
    "PR": "PR",
    "pr": "PR",
    "PRGAIN": "PRGAIN",
    "prgain": "PRGAIN",
}
SUMMATION_SPELLINGS = {
    "interpolation": "INTERPOLATION",
    "Interpolation": "INTERPOLATION",
    "majoring": "MAJORING",
    "Majoring": "MAJORING",
    "minoring": "MINORING",
    "Minoring": "MINORING",
}
CURVE_MESSAGE = 'Invalid AUC curve value: "{}". Expected values are ["PR", "ROC", "PRGAIN"]'
SUMMATION_MESSAGE = (
    'Invalid AUC summation method value: "{}". '
    'Expected values are ["interpolation", "majoring", "minoring"]'
)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_the_enums_have_keras_members_and_values(impl) -> None:
    assert [(m.name, m.value) for m in impl.AUCCurve] == KERAS_CURVES
    assert [(m.name, m.value) for m in impl.AUCSummationMethod] == KERAS_SUMMATION_METHODS
    for member in [*impl.AUCCurve, *impl.AUCSummationMethod]:
        # str enums: equal to their value, hashed like it, written to JSON as it.
        assert isinstance(member, str)
        assert member == member.value and {member.value: 1}[member] == 1
        assert json.dumps(member) == f'"{member.value}"'
        assert type(member)(member.value) is member


def test_the_reference_defines_its_own_enums() -> None:
    assert ref.AUCCurve is not fm.AUCCurve
    assert ref.AUCSummationMethod is not fm.AUCSummationMethod
    assert ref.AUCCurve.__module__.startswith(ref.__name__)
    assert fm.AUCCurve.__module__.startswith(fm.__name__ + "._")
    assert ref.CurvePoints is not fm.CurvePoints


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("spelling, name", CURVE_SPELLINGS.items())
def test_curve_is_the_member_for_every_spelling(impl, spelling: str, name: str) -> None:
    member = impl.AUCCurve[name]
    assert impl.AUCCurve.from_str(spelling) is member
    metric = impl.AUC(curve=spelling)
    assert metric.curve is member
    assert metric.curve == name and metric.curve.value == name
    assert not callable(metric.curve)
    assert metric.get_config()["curve"] == name
    assert type(metric.get_config()["curve"]) is str


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("spelling, name", SUMMATION_SPELLINGS.items())
def test_summation_method_is_the_member_for_every_spelling(impl, spelling: str, name: str) -> None:
    member = impl.AUCSummationMethod[name]
    assert impl.AUCSummationMethod.from_str(spelling) is member
    metric = impl.AUC(summation_method=spelling)
    assert metric.summation_method is member
    assert metric.summation_method == name.lower() == metric.summation_method.value
    assert metric.get_config()["summation_method"] == name.lower()
    assert type(metric.get_config()["summation_method"]) is str


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_default_curve_and_summation_method(impl) -> None:
    metric = impl.AUC()
    assert metric.curve is impl.AUCCurve.ROC
    assert metric.summation_method is impl.AUCSummationMethod.INTERPOLATION


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("key", ["Roc", "Pr", "PRGain", "auc", "", None, 5])
def test_curve_from_str_refuses_with_keras_message(impl, key) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(CURVE_MESSAGE.format(key))}$"):
        impl.AUCCurve.from_str(key)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("key", ["MINORING", "INTERPOLATION", "trapezoid", "", None, 1])
def test_summation_method_from_str_refuses_with_keras_message(impl, key) -> None:
    with pytest.raises(ValueError, match=f"^{re.escape(SUMMATION_MESSAGE.format(key))}$"):
        impl.AUCSummationMethod.from_str(key)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("members_of", IMPLEMENTATIONS)
def test_members_are_accepted_as_arguments(impl, members_of) -> None:
    """As Keras, a member is taken as it is: the attributes of one AUC configure another, and
    the two implementations' members are interchangeable."""
    metric = impl.AUC(
        curve=members_of.AUCCurve.PRGAIN, summation_method=members_of.AUCSummationMethod.MAJORING
    )
    assert metric.curve is impl.AUCCurve.PRGAIN
    assert metric.summation_method is impl.AUCSummationMethod.MAJORING
    again = impl.AUC(curve=metric.curve, summation_method=metric.summation_method)
    assert again.get_config() == metric.get_config()
    assert again.get_config()["curve"] == "PRGAIN"


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_the_enum_attributes_survive_pickling(impl) -> None:
    metric = impl.AUC(curve="pr", summation_method="Minoring")
    metric.update_state([0, 1, 1], [0.2, 0.7, 0.4])
    loaded = pickle.loads(pickle.dumps(metric))
    assert loaded.curve is impl.AUCCurve.PR
    assert loaded.summation_method is impl.AUCSummationMethod.MINORING
    assert loaded.get_config() == metric.get_config()
    assert loaded.result() == metric.result()


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_the_renamed_api_is_gone(impl) -> None:
    assert not hasattr(impl, "AucCurve")
    assert not hasattr(impl.AUC(), "curve_name")
    assert {"AUCCurve", "AUCSummationMethod", "CurvePoints"} <= set(impl.__all__)


def test_the_enums_match_keras_when_installed() -> None:
    metrics_utils = pytest.importorskip("keras.src.metrics.metrics_utils")
    for ours, keras_enum in [
        (fm.AUCCurve, metrics_utils.AUCCurve),
        (fm.AUCSummationMethod, metrics_utils.AUCSummationMethod),
    ]:
        assert [(m.name, m.value) for m in ours] == [(m.name, m.value) for m in keras_enum]
        # Keras's members configure ours, by their value.
        for member in keras_enum:
            assert ours(member.value).value == member.value
    metric = fm.AUC(curve=metrics_utils.AUCCurve.PR)
    assert metric.curve is fm.AUCCurve.PR


# ---------------------------------------------------------------------------------------------
# curve_points(): the points behind the area (beyond Keras)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
def test_curve_points(impl) -> None:
    metric = impl.AUC(num_thresholds=3)
    metric.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
    points = metric.curve_points()
    assert type(points) is impl.CurvePoints
    assert points._fields == ("thresholds", "tp", "fp", "tn", "fn", "precision", "recall", "fpr")
    assert points.thresholds.tolist() == metric.thresholds
    assert points.tp.tolist() == [2.0, 1.0, 0.0]
    assert points.fp.tolist() == [2.0, 0.0, 0.0]
    assert points.tn.tolist() == [0.0, 2.0, 2.0]
    assert points.fn.tolist() == [0.0, 1.0, 2.0]
    assert points.recall.tolist() == [1.0, 0.5, 0.0]
    assert points.fpr.tolist() == [1.0, 0.0, 0.0]
    assert points.precision.tolist() == [0.5, 1.0, 0.0]
    assert points.precision.dtype == np.float32 and points.tp.dtype == np.float64

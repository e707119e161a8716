"""``ferrometrics.sklearn`` against scikit-learn itself, the oracle.

Every test calls one of the four functions of both ``ferrometrics.sklearn`` and
``sklearn.metrics`` with the same arguments and compares the outcomes (``sklearn_oracle``):
results to ``rtol=1e-12`` (``atol=0``, dtypes and shapes equal), errors by kind and message,
warnings by category and message.

- Worked cases: binary targets of every label type (ints, -1/1, floats, bools, strings, a
  column vector), ``pos_label``, ``max_fpr``, ``drop_intermediate``, weights (with zeros), one
  class only, and a list of bad inputs with scikit-learn's error for each.
- Hypothesis properties (small sizes, small score alphabets so that ties are common): binary,
  multi-label with every ``average``, multi-class ``ovr``/``ovo`` with and without ``labels``
  and weights, average precision of multi-class targets.
- The plumbing: every count goes through ``_sklearn_binary.curve_class()``, numeric labels and
  multi-label columns reach it without copies, and the module imports without scikit-learn.

The number of examples is set by the Hypothesis profile (``HYPOTHESIS_PROFILE``, see conftest).
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, note
from hypothesis import strategies as st
from sklearn_oracle import assert_same_outcome

import ferrometrics.sklearn as fsk
from ferrometrics import _sklearn_binary
from ferrometrics.reference import ExactCurve

CURVE_FUNCTIONS = ("roc_curve", "precision_recall_curve")
SCORE_FUNCTIONS = ("roc_auc_score", "average_precision_score")
MAX_FPRS = (None, 0.05, 0.3, 0.5, 0.75, 1.0, 1)
AVERAGES = (None, "micro", "macro", "weighted", "samples")

Y_SCORE = [0.1, 0.4, 0.35, 0.8, 0.4, 0.1, 0.9]
# Binary targets of every form scikit-learn accepts, with the label it counts as positive.
BINARY_TARGETS = {
    "ints": ([0, 0, 1, 1, 0, 1, 1], 1),
    "minus-one": ([-1, -1, 1, 1, -1, 1, 1], 1),
    "floats": ([0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0], 1.0),
    "bools": ([False, False, True, True, False, True, True], True),
    "strings": (["no", "no", "yes", "yes", "no", "yes", "yes"], "yes"),
    "other-ints": ([2, 2, 7, 7, 2, 7, 7], 7),
    "column": ([[0], [0], [1], [1], [0], [1], [1]], 1),
    "uint8": (np.array([0, 0, 1, 1, 0, 1, 1], dtype=np.uint8), 1),
    # One float64 apart from 2**62: distinct only as integers.
    "huge-ints": (np.array([0, 0, 1, 1, 0, 1, 1]) + 2**62, 2**62 + 1),
}
WEIGHTS = [1.0, 2.0, 0.0, 0.5, 3.0, 1.5, 0.0]


# --------------------------------------------------------------------------- worked binary cases


@pytest.mark.parametrize("target", BINARY_TARGETS)
@pytest.mark.parametrize("weighted", [False, True], ids=["unweighted", "weighted"])
def test_binary_targets(target: str, weighted: bool) -> None:
    y_true, positive = BINARY_TARGETS[target]
    weight = WEIGHTS if weighted else None
    for max_fpr in MAX_FPRS:
        assert_same_outcome("roc_auc_score", y_true, Y_SCORE, sample_weight=weight, max_fpr=max_fpr)
    for pos_label in (positive, None):
        assert_same_outcome(
            "average_precision_score",
            y_true,
            Y_SCORE,
            sample_weight=weight,
            **({} if pos_label is None else {"pos_label": pos_label}),
        )
        for name in CURVE_FUNCTIONS:
            for drop in (True, False):
                assert_same_outcome(
                    name,
                    y_true,
                    Y_SCORE,
                    pos_label=pos_label,
                    sample_weight=weight,
                    drop_intermediate=drop,
                )


@pytest.mark.parametrize(
    "y_score",
    [
        np.array(Y_SCORE, dtype=np.float32),
        np.array([1, 4, 3, 8, 4, 1, 9]),
        np.array([-3.5, 0.0, -0.0, 2.0, 0.0, -3.5, 1e300]),
        np.array(Y_SCORE)[::-1],  # a strided view
        [[s] for s in Y_SCORE],  # a column
    ],
    ids=["float32", "int64", "signed-zeros-and-huge", "strided", "column"],
)
def test_score_forms(y_score) -> None:
    y_true = BINARY_TARGETS["ints"][0]
    for name in (*SCORE_FUNCTIONS, *CURVE_FUNCTIONS):
        assert_same_outcome(name, y_true, y_score)


@pytest.mark.parametrize("label", [0, 1, 2])
def test_one_class_only(label: int) -> None:
    """scikit-learn 1.9 warns and returns NaN (ROC AUC) or 0 (average precision)."""
    y_true = [label] * 5
    y_score = [0.1, 0.2, 0.2, 0.7, 0.9]
    for name in (*SCORE_FUNCTIONS, *CURVE_FUNCTIONS):
        assert_same_outcome(name, y_true, y_score)
    # The weights are not even checked when there is one class.
    assert_same_outcome("roc_auc_score", y_true, y_score, sample_weight=[1.0, 2.0])


def test_weights_leave_one_class() -> None:
    """Both labels present, but the weights of all the positives (negatives) are zero."""
    y_true, y_score = [0, 1, 1, 0], [0.1, 0.3, 0.6, 0.8]
    for weight in ([1.0, 0.0, 0.0, 2.0], [0.0, 1.0, 3.0, 0.0]):
        for max_fpr in MAX_FPRS:
            assert_same_outcome(
                "roc_auc_score", y_true, y_score, sample_weight=weight, max_fpr=max_fpr
            )
        for name in (*CURVE_FUNCTIONS, "average_precision_score"):
            assert_same_outcome(name, y_true, y_score, sample_weight=weight)


@pytest.mark.parametrize(
    "weight",
    [[1.0, 1.0, -0.5, 1.0, 2.0], [1.0, 2.0, 1.0, -0.5, 2.0], [3.0, 1.0, 1.0, 1.0, -0.25]],
    ids=["fpr-goes-down", "tpr-goes-down", "still-monotonic"],
)
def test_negative_weights(weight: list) -> None:
    """scikit-learn accepts negative weights; its ``auc`` then fails when fpr goes down."""
    y_true, y_score = [0, 1, 0, 1, 1], [0.1, 0.2, 0.3, 0.4, 0.35]
    for max_fpr in MAX_FPRS:
        assert_same_outcome("roc_auc_score", y_true, y_score, sample_weight=weight, max_fpr=max_fpr)
    for name in (*CURVE_FUNCTIONS, "average_precision_score"):
        assert_same_outcome(name, y_true, y_score, sample_weight=weight)


def test_pos_label_of_a_multiclass_target() -> None:
    """The curves accept more than two labels when ``pos_label`` names the positive one."""
    y_true = ["cat", "dog", "eel", "dog", "cat", "eel"]
    y_score = [0.2, 0.9, 0.1, 0.6, 0.6, 0.3]
    for name in CURVE_FUNCTIONS:
        for pos_label in ("dog", "cat", "fox"):
            assert_same_outcome(name, y_true, y_score, pos_label=pos_label)


# --------------------------------------------------------------------------------- bad inputs

GOOD = {"y_true": [0, 1, 1, 0], "y_score": [0.1, 0.8, 0.3, 0.4]}
PROBABILITIES = [[0.2, 0.3, 0.5], [0.1, 0.8, 0.1], [0.6, 0.2, 0.2], [0.3, 0.3, 0.4]]
MULTICLASS = {"y_true": [0, 1, 2, 1], "y_score": PROBABILITIES}
MULTILABEL = {"y_true": [[0, 1], [1, 0], [1, 1], [0, 0]], "y_score": [[0.1, 0.2]] * 4}

BAD_INPUTS = [
    # name, arguments
    ("roc_auc_score", {"y_true": [0, 1], "y_score": [0.1, 0.2, 0.3]}),
    ("roc_curve", {"y_true": [0, 1], "y_score": [0.1, 0.2, 0.3]}),
    ("average_precision_score", {"y_true": [0, 1], "y_score": [0.1, 0.2, 0.3]}),
    ("roc_auc_score", {**GOOD, "y_score": [0.1, np.nan, 0.3, 0.4]}),
    ("roc_auc_score", {**GOOD, "y_score": [0.1, np.inf, 0.3, 0.4]}),
    ("roc_curve", {**GOOD, "y_score": [0.1, np.nan, 0.3, np.inf]}),
    ("precision_recall_curve", {**GOOD, "y_score": [0.1, -np.inf, 0.3, 0.4]}),
    ("average_precision_score", {**GOOD, "y_score": [np.nan, 0.2, 0.3, 0.4]}),
    ("roc_auc_score", {**GOOD, "y_score": ["a", "b", "c", "d"]}),
    ("roc_auc_score", {**GOOD, "y_true": [0, 1, np.nan, 0]}),
    ("roc_auc_score", {**GOOD, "y_true": [0.5, 1, 0, 0]}),
    ("average_precision_score", {**GOOD, "y_true": [0.5, 1, 0, 0]}),
    ("roc_curve", {**GOOD, "y_true": [0.5, 1, 0, 0]}),
    ("roc_curve", {**GOOD, "y_true": [0, 1, 2, 0]}),
    ("roc_curve", {**GOOD, "y_true": ["a", "b", "a", "b"]}),
    ("roc_curve", {**GOOD, "y_true": [1, 2, 1, 2]}),
    ("precision_recall_curve", {**GOOD, "y_true": ["a", "b", "a", "b"]}),
    ("roc_curve", {**GOOD, "y_score": [[0.1, 0.9]] * 4}),
    ("roc_auc_score", {**GOOD, "y_score": [[0.1, 0.9]] * 4}),
    ("roc_auc_score", {**GOOD, "y_true": [[[0, 1]]] * 4}),
    ("roc_auc_score", {"y_true": [], "y_score": []}),
    ("roc_auc_score", {**GOOD, "sample_weight": [1.0, 2.0]}),
    ("roc_auc_score", {**GOOD, "sample_weight": [[1.0, 2.0, 3.0, 4.0]]}),
    ("roc_curve", {**GOOD, "sample_weight": [[1.0, 2.0, 3.0, 4.0]]}),
    ("roc_curve", {**GOOD, "sample_weight": [1.0, np.nan, 1.0, 1.0]}),
    ("roc_curve", {**GOOD, "sample_weight": [0.0, 0.0, 0.0, 0.0]}),
    ("roc_auc_score", {**GOOD, "sample_weight": [0.0, 0.0, 0.0, 0.0]}),
    ("average_precision_score", {**GOOD, "pos_label": 2}),
    ("average_precision_score", {**GOOD, "y_true": ["a", "b", "a", "b"]}),
    ("average_precision_score", {**GOOD, "y_true": ["a", "b", "a", "b"], "pos_label": "c"}),
    ("average_precision_score", {**MULTILABEL, "pos_label": 0}),
    ("average_precision_score", {**MULTICLASS, "pos_label": 2}),
    # (as arrays: scikit-learn reads `y_score.shape` here, which a list lacks)
    ("average_precision_score", {**MULTICLASS, "y_score": np.full((4, 2), 0.5)}),
    ("average_precision_score", {**MULTICLASS, "y_score": np.full(4, 0.5)}),
    ("roc_auc_score", {**MULTILABEL, "y_score": [0.1, 0.2, 0.3, 0.4]}),
    ("roc_auc_score", {**MULTILABEL, "y_score": [[0.1, 0.2]] * 3}),
    ("roc_auc_score", {**MULTILABEL, "y_score": [[0.1, 0.2, 0.3]] * 4}),  # NumPy's IndexError
    ("roc_auc_score", {**MULTILABEL, "y_true": [[0, 2], [2, 0], [2, 2], [0, 0]]}),
    ("roc_auc_score", {**MULTILABEL, "y_true": [[2, 2], [2, 2], [2, 2], [2, 2]]}),
    ("roc_auc_score", {**MULTILABEL, "average": "micro", "y_score": [[0.1, 0.2, 0.3]] * 4}),
    ("roc_auc_score", {**MULTILABEL, "sample_weight": [0.0, 0.0, 0.0, 0.0]}),
    ("roc_auc_score", {**MULTILABEL, "average": "weighted", "sample_weight": [0, 0, 0, 0.0]}),
    ("roc_auc_score", {**MULTILABEL, "average": "weighted", "y_true": [[0, 0]] * 4}),
    ("roc_auc_score", MULTICLASS),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "y_score": [0.1, 0.2, 0.3, 0.4]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "y_score": [[0.2, 0.3, 0.6]] * 4}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "y_score": [[0.5, 0.5]] * 4}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "max_fpr": 0.5}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "average": "samples"}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovo", "average": "micro"}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovo", "average": None}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovo", "sample_weight": [1, 1, 1, 1]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "labels": [0, 1, 1]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "labels": [0, 2, 1]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "labels": [0, 1, 2, 3]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "labels": [0, 1, 3]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovo", "labels": [[0, 1, 2]]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "y_true": [0, 1, 2]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovo", "y_true": [0, 1, 2]}),
    ("roc_auc_score", {**MULTICLASS, "multi_class": "ovr", "y_true": [0, 1, 1, 0]}),
    ("roc_auc_score", {**GOOD, "y_true": np.array([0, None, 1, 0], dtype=object)}),
    ("roc_auc_score", {**MULTILABEL, "y_true": [[0, 1], [2, 0], [1, 1], [0, 0]]}),
    ("average_precision_score", {**MULTILABEL, "y_true": [[0, 1], [2, 0], [1, 1], [0, 0]]}),
    ("roc_auc_score", {**MULTILABEL, "y_true": [[0, 0.5], [1, 0], [1, 1], [0, 0]]}),
    ("roc_curve", {**GOOD, "y_true": [[0, 1], [1, 0], [1, 1], [0, 0]]}),
    ("roc_curve", {**GOOD, "y_true": [b"a", b"b", b"a", b"b"], "pos_label": "a"}),
    ("roc_curve", {**GOOD, "y_true": [0, 1, 1, 0], "pos_label": "1"}),
    # Parameter validation (InvalidParameterError: a ValueError and a TypeError).
    ("roc_auc_score", {**GOOD, "y_true": 1}),
    ("roc_auc_score", {**GOOD, "y_true": "ab"}),
    ("roc_auc_score", {**GOOD, "average": "bad"}),
    ("average_precision_score", {**GOOD, "average": "ovr"}),
    ("roc_auc_score", {**GOOD, "max_fpr": 0}),
    ("roc_auc_score", {**GOOD, "max_fpr": 1.5}),
    ("roc_auc_score", {**GOOD, "max_fpr": np.nan}),
    ("roc_auc_score", {**GOOD, "max_fpr": "0.5"}),
    ("roc_auc_score", {**GOOD, "multi_class": "ova"}),
    ("roc_auc_score", {**GOOD, "sample_weight": 3}),
    ("roc_auc_score", {**GOOD, "labels": 3}),
    ("roc_curve", {**GOOD, "pos_label": [1]}),
    ("precision_recall_curve", {**GOOD, "drop_intermediate": 1}),
    ("roc_curve", {**GOOD, "drop_intermediate": "yes"}),
    ("average_precision_score", {**GOOD, "pos_label": None}),
]


@pytest.mark.parametrize(
    "name, arguments", BAD_INPUTS, ids=[f"{i}-{name}" for i, (name, _) in enumerate(BAD_INPUTS)]
)
def test_bad_inputs(name: str, arguments: dict) -> None:
    """The same error (kind and message) or, where scikit-learn accepts, the same result."""
    assert_same_outcome(name, **arguments)


def test_parameter_errors_are_value_and_type_errors() -> None:
    with pytest.raises(fsk.InvalidParameterError) as raised:
        fsk.roc_auc_score([0, 1], [0.1, 0.2], average="bad")
    assert isinstance(raised.value, ValueError) and isinstance(raised.value, TypeError)
    assert issubclass(fsk.UndefinedMetricWarning, UserWarning)


# ------------------------------------------------------------------------ Hypothesis properties

SCORE_ALPHABETS = {
    "tiny": [0.0, 0.5, 1.0],
    "quarters": [0.0, 0.25, 0.5, 0.75, 1.0],
    "decision": [-2.0, -0.5, -0.0, 0.0, 0.3, 1.0, 7.5],
}
WEIGHT_VALUES = [0.0, 0.5, 1.0, 2.0, 3.25]
LABEL_SETS = {
    "ints": [0, 1],
    "minus-one": [-1, 1],
    "bools": [False, True],
    "strings": ["neg", "pos"],
    "floats": [0.0, 1.0],
    "other-ints": [3, 8],
}


@st.composite
def scores(draw, shape) -> np.ndarray:
    alphabet = SCORE_ALPHABETS[draw(st.sampled_from(sorted(SCORE_ALPHABETS)))]
    size = int(np.prod(shape))
    values = draw(st.lists(st.sampled_from(alphabet), min_size=size, max_size=size))
    return np.array(values, dtype=np.float64).reshape(shape)


@st.composite
def weights(draw, n: int):
    if draw(st.booleans()):
        return None
    return np.array(draw(st.lists(st.sampled_from(WEIGHT_VALUES), min_size=n, max_size=n)))


@given(data=st.data())
def test_binary_property(data) -> None:
    n = data.draw(st.integers(1, 12), label="n")
    label_set = LABEL_SETS[data.draw(st.sampled_from(sorted(LABEL_SETS)), label="labels")]
    codes = data.draw(st.lists(st.integers(0, 1), min_size=n, max_size=n), label="codes")
    y_true = np.array(label_set)[codes]
    y_score = data.draw(scores((n,)), label="y_score")
    weight = data.draw(weights(n), label="weight")
    pos_label = data.draw(st.sampled_from(label_set), label="pos_label")
    max_fpr = data.draw(st.sampled_from(MAX_FPRS), label="max_fpr")
    drop = data.draw(st.booleans(), label="drop_intermediate")
    common = {"sample_weight": weight}
    assert_same_outcome("roc_auc_score", y_true, y_score, max_fpr=max_fpr, **common)
    assert_same_outcome("average_precision_score", y_true, y_score, pos_label=pos_label, **common)
    for name in CURVE_FUNCTIONS:
        assert_same_outcome(
            name, y_true, y_score, pos_label=pos_label, drop_intermediate=drop, **common
        )


@given(data=st.data())
def test_multilabel_property(data) -> None:
    n = data.draw(st.integers(1, 8), label="n")
    width = data.draw(st.integers(2, 4), label="labels")
    values = data.draw(st.sampled_from([(0, 1), (0, 1), (-1, 1), (0, 2)]), label="values")
    codes = data.draw(st.lists(st.integers(0, 1), min_size=n * width, max_size=n * width))
    y_true = np.array(values)[np.array(codes, dtype=np.intp).reshape(n, width)]
    if data.draw(st.booleans(), label="float labels"):
        y_true = y_true.astype(np.float64)
    y_score = data.draw(scores((n, width)), label="y_score")
    if data.draw(st.booleans(), label="fortran order"):
        y_score = np.asfortranarray(y_score)
    weight = data.draw(weights(n), label="weight")
    average = data.draw(st.sampled_from(AVERAGES), label="average")
    max_fpr = data.draw(st.sampled_from(MAX_FPRS), label="max_fpr")
    note(f"y_true={y_true.tolist()}")
    assert_same_outcome(
        "roc_auc_score", y_true, y_score, average=average, sample_weight=weight, max_fpr=max_fpr
    )
    assert_same_outcome(
        "average_precision_score", y_true, y_score, average=average, sample_weight=weight
    )


@st.composite
def probabilities(draw, n: int, width: int) -> np.ndarray:
    counts = draw(st.lists(st.integers(0, 3), min_size=n * width, max_size=n * width))
    counts = np.array(counts, dtype=np.float64).reshape(n, width) + (np.arange(width) == 0)
    return counts / counts.sum(axis=1, keepdims=True)


@given(data=st.data())
def test_multiclass_property(data) -> None:
    n = data.draw(st.integers(1, 12), label="n")
    n_classes = data.draw(st.integers(3, 4), label="classes")
    with_labels = data.draw(st.booleans(), label="labels given")
    # With `labels`, y_score has a column for a class y_true may lack.
    width = n_classes + 1 if with_labels else n_classes
    names = data.draw(st.sampled_from(["ints", "strings", "offset"]), label="names")
    alphabet = {
        "ints": np.arange(width),
        "strings": np.array([f"c{k}" for k in range(width)]),
        "offset": np.arange(width) * 3 - 2,
    }[names]
    codes = data.draw(st.lists(st.integers(0, n_classes - 1), min_size=n, max_size=n))
    y_true = alphabet[codes]
    y_score = data.draw(probabilities(n, width), label="y_score")
    labels = alphabet if with_labels else None
    multi_class = data.draw(st.sampled_from(["ovr", "ovo"]), label="multi_class")
    averages = ("micro", "macro", "weighted", None) if multi_class == "ovr" else ("macro",)
    average = data.draw(st.sampled_from((*averages, "weighted")), label="average")
    weight = data.draw(weights(n), label="weight") if multi_class == "ovr" else None
    assert_same_outcome(
        "roc_auc_score",
        y_true,
        y_score,
        multi_class=multi_class,
        average=average,
        labels=labels,
        sample_weight=weight,
    )
    if not with_labels:
        ap_average = data.draw(st.sampled_from(AVERAGES), label="AP average")
        assert_same_outcome(
            "average_precision_score", y_true, y_score, average=ap_average, sample_weight=weight
        )


def test_many_weighted_rows() -> None:
    """Float weights summed per distinct score, not per sample: still within ``rtol=1e-12``."""
    rng = np.random.default_rng(5)
    n = 20_000
    y_true, y_score = rng.integers(0, 2, n), rng.random(n).round(3)
    weight = rng.random(n) * 10
    for max_fpr in (None, 0.1, 0.5):
        assert_same_outcome("roc_auc_score", y_true, y_score, sample_weight=weight, max_fpr=max_fpr)
    for name in (*CURVE_FUNCTIONS, "average_precision_score"):
        assert_same_outcome(name, y_true, y_score, sample_weight=weight)
    y_true, y_score = rng.integers(0, 2, (n // 4, 4)), rng.random((n // 4, 4)).round(2)
    for average in ("micro", "macro", "weighted"):
        for name in SCORE_FUNCTIONS:
            assert_same_outcome(
                name, y_true, y_score, sample_weight=weight[: n // 4], average=average
            )


# --------------------------------------------------------------------------------- the plumbing


class RecordingCurve(ExactCurve):
    """The reference curve, remembering what each update received."""

    updates: list = []

    def update(self, y_true, y_score, sample_weight=None, pos_label=1.0) -> None:
        RecordingCurve.updates.append((y_true, y_score, sample_weight, pos_label))
        super().update(y_true, y_score, sample_weight=sample_weight, pos_label=pos_label)


@pytest.fixture
def recording(monkeypatch) -> list:
    RecordingCurve.updates = []
    monkeypatch.setattr(_sklearn_binary, "curve_class", lambda: RecordingCurve)
    return RecordingCurve.updates


def test_every_function_counts_through_curve_class(recording: list) -> None:
    y_true, y_score = np.array([0, 1, 1, 0]), np.array([0.1, 0.8, 0.3, 0.4])
    fsk.roc_auc_score(y_true, y_score)
    fsk.average_precision_score(y_true, y_score)
    fsk.roc_curve(y_true, y_score)
    fsk.precision_recall_curve(y_true, y_score)
    fsk.roc_auc_score([0, 1, 2, 1], PROBABILITIES, multi_class="ovo")
    assert len(recording) == 4 + 3 * 2


def test_numeric_labels_and_scores_pass_without_copies(recording: list) -> None:
    y_true = np.array([0, 1, 1, 0, 1])
    y_score = np.array([0.1, 0.8, 0.3, 0.4, 0.3])
    fsk.roc_auc_score(y_true, y_score)
    labels, passed_scores, _, pos_label = recording[-1]
    assert labels is y_true and passed_scores is y_score and pos_label == 1.0


def test_multilabel_columns_are_views(recording: list) -> None:
    y_true = np.array([[0, 1], [1, 0], [1, 1], [0, 1]])
    y_score = np.array([[0.1, 0.2], [0.3, 0.4], [0.5, 0.5], [0.7, 0.1]])
    for average in ("macro", "micro"):
        recording.clear()
        fsk.roc_auc_score(y_true, y_score, average=average)
        assert len(recording) == 2
        for labels, passed_scores, _, _ in recording:
            assert np.shares_memory(labels, y_true) and np.shares_memory(passed_scores, y_score)


def test_no_scikit_learn_at_run_time() -> None:
    """``ferrometrics.sklearn`` imports and runs with scikit-learn unimportable."""
    code = (
        "import sys; sys.modules['sklearn'] = None\n"
        "from ferrometrics.sklearn import roc_auc_score\n"
        "assert roc_auc_score([0, 1, 1], [0.2, 0.6, 0.4]) == 1.0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)

"""Helpers shared by the test modules: each rule in one place.

Imported as ``from support import ...`` (pytest puts ``tests/`` on ``sys.path``, next to
``conftest.py``). What lives here:

- where the test data is (``DATA_DIR``), and the tolerances (``RTOL``, ``ATOL``);
- the two implementations under test, as pytest params with ids ``fast`` and ``reference``;
- the configuration registry (every class, AUC's multi-label/logits/label-weight forms, every
  F-score average) with its batch builder and bit-for-bit state comparisons;
- names and facts from the SPEC the tests rely on (class families, default names, the float32
  values Keras's even path counts above their threshold);
- comparisons of the fast implementation with the reference, within the tolerance;
- Hypothesis building blocks: the confusion metrics' threshold lists, and the (N, C) layouts,
  weights and cases shared by the AUC, operating-point, F-score and
  ``precision_recall_at_equal_thresholds`` properties;
- the hand-computed confusion-metric batch, and the small batches validation tests start from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import ferrometrics as fm
from ferrometrics import reference as ref

# ------------------------------------------------------------------------------ data, tolerance

DATA_DIR = Path(__file__).parent / "data"

# SPEC section 11: the documented tolerance, for comparisons with Keras and with the reference.
RTOL = 2e-5
ATOL = 2e-6

# ---------------------------------------------------------------------------- implementations

# The fast package and the pure-NumPy reference, under the same public names.
IMPLEMENTATIONS = [pytest.param(fm, id="fast"), pytest.param(ref, id="reference")]
# By id, for Hypothesis tests that draw the implementation.
IMPLEMENTATION_BY_ID = {"fast": fm, "reference": ref}


def each_implementation(name: str) -> list:
    """``IMPLEMENTATIONS``' ``name`` (a class or function), as params ``fast``/``reference``."""
    return [
        pytest.param(getattr(fm, name), id="fast"),
        pytest.param(getattr(ref, name), id="reference"),
    ]


# ------------------------------------------------------------------------ classes and names

CONFUSION_CLASSES = (
    "Precision",
    "Recall",
    "TruePositives",
    "TrueNegatives",
    "FalsePositives",
    "FalseNegatives",
)
COUNT_CLASSES = ("TruePositives", "TrueNegatives", "FalsePositives", "FalseNegatives")
PRECISION_RECALL = frozenset({"Precision", "Recall"})
AT_CLASSES = (
    "PrecisionAtRecall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
)
FSCORE_CLASSES = ("F1Score", "FBetaScore")
# The constructor argument that holds each operating-point metric's target value.
AT_VALUE_NAMES = {
    "PrecisionAtRecall": "recall",
    "RecallAtPrecision": "precision",
    "SensitivityAtSpecificity": "specificity",
    "SpecificityAtSensitivity": "sensitivity",
}
DEFAULT_NAMES = {
    "Precision": "precision",
    "Recall": "recall",
    "TruePositives": "true_positives",
    "TrueNegatives": "true_negatives",
    "FalsePositives": "false_positives",
    "FalseNegatives": "false_negatives",
    "PrecisionAtRecall": "precision_at_recall",
    "RecallAtPrecision": "recall_at_precision",
    "SensitivityAtSpecificity": "sensitivity_at_specificity",
    "SpecificityAtSensitivity": "specificity_at_sensitivity",
    "F1Score": "f1_score",
    "FBetaScore": "fbeta_score",
}

# SPEC section 3: with T = 200 evenly spaced thresholds, float32(k / 199) * 199 rounds above k.
QUIRK_KS = (31, 53, 62, 103, 106, 111, 119, 124)
QUIRK_VALUES = tuple(float(np.float32(k / 199)) for k in QUIRK_KS)
THRESHOLDS_200 = [i / 199 for i in range(200)]

# -------------------------------------------------------------- the configuration registry


@dataclass(frozen=True)
class Config:
    """A metric configuration and the kind of data it takes."""

    class_name: str
    kwargs: dict
    # "binary": (N,) labels and probabilities; "logits": (N,) labels and logits;
    # "columns": (N, 4) labels and probabilities.
    data: str = "binary"

    def make(self, module: Any = fm) -> Any:
        return getattr(module, self.class_name)(**self.kwargs)


CONFIGS = {
    "AUC": Config("AUC", {}),
    "AUC_PR_minoring": Config("AUC", {"curve": "PR", "summation_method": "minoring"}),
    "AUC_PRGAIN_thresholds": Config("AUC", {"curve": "PRGAIN", "thresholds": [0.2, 0.5, 0.7]}),
    "AUC_logits": Config("AUC", {"from_logits": True}, "logits"),
    "AUC_multi_label": Config("AUC", {"multi_label": True}, "columns"),
    "AUC_label_weights": Config(
        "AUC", {"multi_label": True, "num_labels": 4, "label_weights": [1, 2, 0, 1]}, "columns"
    ),
    "Precision": Config("Precision", {}),
    "Precision_top_k": Config("Precision", {"top_k": 2, "class_id": 1}, "columns"),
    "Recall": Config("Recall", {"thresholds": [0.1, 0.5, 0.9]}),
    "TruePositives": Config("TruePositives", {}),
    "TrueNegatives": Config("TrueNegatives", {"thresholds": [0.3, 0.6]}),
    "FalsePositives": Config("FalsePositives", {}, "columns"),
    "FalseNegatives": Config("FalseNegatives", {}),
    "PrecisionAtRecall": Config("PrecisionAtRecall", {"recall": 0.6}),
    "RecallAtPrecision": Config("RecallAtPrecision", {"precision": 0.7, "num_thresholds": 50}),
    "SensitivityAtSpecificity": Config("SensitivityAtSpecificity", {"specificity": 0.5}),
    "SpecificityAtSensitivity": Config(
        "SpecificityAtSensitivity", {"sensitivity": 0.5, "class_id": 2}, "columns"
    ),
    "F1Score_none": Config("F1Score", {}, "columns"),
    "F1Score_micro": Config("F1Score", {"average": "micro", "threshold": 0.5}, "columns"),
    "F1Score_macro": Config("F1Score", {"average": "macro", "threshold": 0.4}, "columns"),
    "FBetaScore_weighted": Config(
        "FBetaScore", {"average": "weighted", "beta": 2.0, "threshold": 0.6}, "columns"
    ),
}
NAMES = sorted(CONFIGS)
COLUMN_NAMES = [name for name in NAMES if CONFIGS[name].data == "columns"]


def batch(config: Config, rows: int, seed: int, weights: bool = True) -> tuple:
    """Labels, predictions and integer weights (sums are exact in any order)."""
    rng = np.random.default_rng(seed)
    shape = (rows, 4) if config.data == "columns" else (rows,)
    y_true = rng.integers(0, 2, shape).astype(np.float32)
    if config.data == "logits":
        y_pred = rng.normal(0, 3, shape).astype(np.float32)
    else:
        y_pred = rng.random(shape, dtype=np.float32)
        y_pred[rng.random(shape) < 0.05] = 0.5  # on a threshold
    w = rng.integers(0, 4, rows).astype(np.float64) if weights else None
    return y_true, y_pred, w


def state_bytes(metric: Any) -> list[bytes]:
    """The variables as raw bytes: equal means bit-identical."""
    return [np.ascontiguousarray(v).tobytes() for v in metric.variables]


def assert_same_state(a: Any, b: Any) -> None:
    """The same variables: same shapes, equal values."""
    va, vb = a.variables, b.variables
    assert [v.shape for v in va] == [v.shape for v in vb]
    for x, y in zip(va, vb):
        assert np.array_equal(x, y), (x, y)


def assert_same_result(a: Any, b: Any) -> None:
    """The same result: same dtype, equal values (NaN equals NaN)."""
    ra, rb = np.asarray(a.result()), np.asarray(b.result())
    assert ra.dtype == rb.dtype and np.array_equal(ra, rb, equal_nan=True), (ra, rb)


# -------------------------------------------------------- the fast package vs the reference


def same_array(actual: Any, expected: Any) -> bool:
    """Bit-for-bit equal values of the same dtype (NaN equals NaN)."""
    actual, expected = np.asarray(actual), np.asarray(expected)
    return actual.dtype == expected.dtype and np.array_equal(actual, expected, equal_nan=True)


def assert_close(actual: Any, expected: Any, what: str) -> None:
    """Equal within the documented tolerance, compared in float64."""
    np.testing.assert_allclose(
        np.asarray(actual, dtype=np.float64),
        np.asarray(expected, dtype=np.float64),
        rtol=RTOL,
        atol=ATOL,
        err_msg=what,
    )


def assert_result_close(fast: Any, reference: Any) -> None:
    """Same result: value, dtype, and scalar (NumPy scalar) or vector (ndarray) form."""
    dtype = np.dtype(reference.dtype)
    fast_result, ref_result = fast.result(), reference.result()
    for result in (fast_result, ref_result):
        assert np.asarray(result).dtype == dtype
    assert isinstance(fast_result, np.ndarray) == isinstance(ref_result, np.ndarray)
    assert isinstance(fast_result, np.generic) == isinstance(ref_result, np.generic)
    assert np.shape(fast_result) == np.shape(ref_result)
    assert_close(fast_result, ref_result, "result()")


def assert_variables_close(fast: Any, reference: Any) -> None:
    """The same number of variables, float64 arrays of the same shapes, values within tolerance."""
    fast_vars, ref_vars = fast.variables, reference.variables
    assert len(fast_vars) == len(ref_vars)
    for index, (actual, expected) in enumerate(zip(fast_vars, ref_vars)):
        assert isinstance(actual, np.ndarray)
        assert actual.dtype == np.float64
        assert actual.shape == expected.shape, (index, actual.shape, expected.shape)
        assert_close(actual, expected, f"variable {index}")


# ----------------------------------------------------- Hypothesis: updates of (N, C) inputs


@dataclass
class Case:
    """A metric configuration and the updates to apply to it."""

    class_name: str
    kwargs: dict
    updates: list = field(default_factory=list)  # of (y_true, y_pred, sample_weight)
    layout: str = ""
    weight_form: str = ""

    def describe(self) -> str:
        return f"{self.class_name}(**{self.kwargs}), layout={self.layout}, w={self.weight_form}"


def build(module: Any, case: Case) -> Any:
    """A fresh metric of the case's configuration from ``module`` (``fm`` or ``ref``)."""
    return getattr(module, case.class_name)(**case.kwargs)


# Values in [0, 1] next to the edges of the even path's buckets and the epsilon end points.
EDGE_PROBABILITIES = (
    0.0,
    -0.0,
    1.0,
    0.5,
    1e-7,
    float(np.nextafter(np.float32(0), np.float32(1))),  # the smallest float32 subnormal
    float(np.nextafter(np.float32(1), np.float32(0))),  # the largest float32 below 1
)

# Sample-weight elements. Integers and multiples of 1/8 are summed exactly in float64 in any
# order; arbitrary non-negative floats only agree within the tolerance.
WEIGHT_ELEMENTS = {
    "int": st.integers(0, 5),
    "signed_int": st.integers(-3, 5),
    "dyadic": st.integers(0, 24).map(lambda k: k / 8),
    "positive": st.one_of(st.just(0.0), st.floats(1e-3, 10.0)),
}

# (y_true shape, y_pred shape, aligned shape) for N rows and C columns.
LAYOUTS = {
    "1d": lambda n, c: ((n,), (n,), (n,)),
    "col_pred": lambda n, c: ((n,), (n, 1), (n, 1)),  # Keras 3 expands (N,) to (N, 1)
    "col_true": lambda n, c: ((n, 1), (n,), (n, 1)),
    "2d": lambda n, c: ((n, c), (n, c), (n, c)),
}
# Weight forms for an aligned shape of rank 1 and 2 ("scalar" is a Python int or float).
WEIGHT_FORMS = {1: ("none", "scalar", "n", "n1"), 2: ("none", "scalar", "n", "n1", "nc")}


def draw_weights(draw: Any, form: str, aligned: tuple[int, ...], kind: str) -> Any:
    """A ``sample_weight`` of ``form`` for labels of shape ``aligned``, elements of ``kind``."""
    if form == "none":
        return None
    elements = WEIGHT_ELEMENTS[kind]
    if form == "scalar":
        value = draw(elements)
        return int(value) if kind.endswith("int") else float(value)
    shape = {"n": aligned[:1], "n1": (aligned[0], 1), "nc": aligned}[form]
    dtype = np.int64 if kind.endswith("int") else draw(st.sampled_from([np.float32, np.float64]))
    return draw(hnp.arrays(np.float64, shape, elements=elements)).astype(dtype)


def row_slice(value: Any, form: str, rows: slice) -> Any:
    """The part of ``sample_weight`` that goes with ``rows`` of the labels."""
    if value is None or form in ("scalar", "1c", "11c"):  # the same for every row
        return value
    return value[rows]


def split_bounds(n: int, cuts: list[int]) -> list[tuple[int, int]]:
    """``(start, stop)`` of the parts that ``cuts`` make of ``n`` rows (one empty part if 0)."""
    bounds = sorted({0, n, *(min(cut, n) for cut in cuts)})
    if n == 0:
        return [(0, 0)]
    return list(zip(bounds[:-1], bounds[1:]))


@st.composite
def threshold_lists(draw: Any) -> Any:
    """Confusion-metric thresholds: None, a float, or a list in every shape that matters for
    the path Keras chooses (evenly spaced: the bucket formula; otherwise direct comparison)."""
    kind = draw(
        st.sampled_from(
            ["none", "float", "list", "linspace", "ratio", "t200", "float32_grid", "perturbed"]
        )
    )
    unit = st.one_of(
        st.sampled_from([0.0, 0.25, 0.5, 0.7, 1.0, 1 / 3, 1e-7, 1 - 1e-7]),
        st.floats(0.0, 1.0),
    )
    if kind == "none":
        return None
    if kind == "float":
        return draw(unit)
    if kind == "list":  # unsorted, often with duplicates; sometimes a tuple
        values = draw(st.lists(unit, min_size=1, max_size=8))
        return tuple(values) if draw(st.booleans()) else values
    if kind == "t200":
        return list(THRESHOLDS_200)
    n = draw(st.integers(3, 300))
    if kind == "linspace":
        return list(np.linspace(0, 1, n))
    if kind == "ratio":
        return [i / (n - 1) for i in range(n)]
    if kind == "float32_grid":  # within Keras's allclose tolerance: still the even path
        return np.linspace(0, 1, n).astype(np.float32).tolist()
    # "perturbed": one inner threshold moved by 1e-3, so the list takes the direct path.
    values = list(np.linspace(0, 1, n))
    index = draw(st.integers(1, n - 2))
    values[index] = min(1.0, values[index] + 1e-3)
    return values


# ------------------------------------------------------- the hand-computed confusion batch

# A small batch with predictions on the thresholds (all values are exact in float16).
THRESHOLDS = [0.25, 0.5, 0.75]
Y_TRUE = [0, 1, 1, 0, 1, 0, 1, 1]
Y_PRED = [0.125, 0.625, 0.875, 0.375, 0.25, 1.0, 0.5, 0.75]
WEIGHTS = [1, 2, 1, 1, 3, 1, 2, 1]
# Worked out by hand (a prediction counts at t when p > t, strictly):
#   t=0.25: positive at indices 1 2 3 5 6 7 -> tp = 2+1+2+1 = 6, fp = 1+1 = 2
#   t=0.5:  positive at indices 1 2 5 7     -> tp = 2+1+1 = 4,   fp = 1
#   t=0.75: positive at indices 2 5         -> tp = 1,           fp = 1
#   positive weight 2+1+3+2+1 = 9, negative weight 1+1+1 = 3
EXPECTED_COUNTS = {
    "tp": [6.0, 4.0, 1.0],
    "fp": [2.0, 1.0, 1.0],
    "fn": [3.0, 5.0, 8.0],
    "tn": [1.0, 2.0, 2.0],
}
EXPECTED_VARIABLES = {
    "Precision": [EXPECTED_COUNTS["tp"], EXPECTED_COUNTS["fp"]],
    "Recall": [EXPECTED_COUNTS["tp"], EXPECTED_COUNTS["fn"]],
    "TruePositives": [EXPECTED_COUNTS["tp"]],
    "TrueNegatives": [EXPECTED_COUNTS["tn"]],
    "FalsePositives": [EXPECTED_COUNTS["fp"]],
    "FalseNegatives": [EXPECTED_COUNTS["fn"]],
}
VARIABLE_NAMES = {
    "Precision": ("true_positives", "false_positives"),
    "Recall": ("true_positives", "false_negatives"),
    "TruePositives": ("accumulator",),
    "TrueNegatives": ("accumulator",),
    "FalsePositives": ("accumulator",),
    "FalseNegatives": ("accumulator",),
}


def as_f32(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.float32)


def copy_variables(metric: Any) -> list[np.ndarray]:
    """Copies of the variables, to compare with later."""
    return [np.array(v, copy=True) for v in metric.variables]


def assert_variables_equal(actual: list[np.ndarray], expected: list) -> None:
    """float64 variables equal to ``expected`` (lists or arrays), one by one."""
    assert len(actual) == len(expected)
    for a, e in zip(actual, expected):
        assert np.asarray(a).dtype == np.float64
        assert np.array_equal(a, np.asarray(e, dtype=np.float64)), (a, e)


def two_column_data() -> tuple:
    """A (4, 2) batch with its hand-computed Precision(top_k=1, class_id=1) counts."""
    y_true = np.array([[1, 0], [0, 1], [1, 1], [0, 1]], dtype=np.float32)
    y_pred = np.array([[0.2, 0.7], [0.9, 0.8], [0.1, 0.6], [0.3, 0.4]], dtype=np.float32)
    weights = np.array([1, 2, 3, 4], dtype=np.float32)
    # Top-1 per row keeps column 1 in rows 0, 2, 3 (column 0 in row 1). Column 1 there:
    # row 0 label 0 (fp 1), row 2 label 1 (tp 3), row 3 label 1 (tp 4): tp 7, fp 1.
    return y_true, y_pred, weights, [[7.0], [1.0]]


# ----------------------------------------------- small valid batches for validation tests

N, C = 4, 3
TRUE_1D = np.array([0, 1, 1, 0], dtype=np.float32)
PRED_1D = np.array([0.1, 0.9, 0.4, 0.6], dtype=np.float32)
WEIGHT_1D = np.array([1, 2, 3, 4], dtype=np.float32)
TRUE_2D = np.array([[0, 1, 1], [1, 0, 1], [1, 1, 0], [0, 0, 1]], dtype=np.float32)
PRED_2D = np.array(
    [[0.2, 0.9, 0.4], [0.8, 0.1, 0.7], [0.6, 0.5, 0.0], [0.3, 0.25, 1.0]], dtype=np.float32
)
WEIGHT_2D = np.array([1, 2, 3, 4], dtype=np.float32)


def with_value(array: np.ndarray, index: Any, value: Any) -> np.ndarray:
    """A float64 copy of ``array`` with ``value`` at ``index``."""
    array = array.astype(np.float64)
    array[index] = value
    return array


# ------------------------------------------------------------------ Keras's doc examples

# The Keras 3 doc examples: (class, kwargs, (y_true, y_pred, sample_weight), result).
# Each example starts from a fresh metric ("reset_state" in the docs); values as Keras prints.
# The first argument of the operating-point classes is positional in the docs (POSITIONAL);
# the F-score examples are 2-D: the docs build int32 labels and float32 predictions from the
# nested lists (TWO_D_DTYPES) and print a vector.
F_TRUE = [[1, 1, 1], [1, 0, 0], [1, 1, 0]]
F_PRED = [[0.2, 0.6, 0.7], [0.2, 0.6, 0.6], [0.6, 0.8, 0.0]]
KERAS_EXAMPLES = [
    ("Precision", {}, ([0, 1, 1, 1], [1, 0, 1, 1], None), 0.6666667),
    ("Precision", {}, ([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]), 1.0),
    ("Precision", {"top_k": 2}, ([0, 0, 1, 1], [1, 1, 1, 1], None), 0.0),
    ("Precision", {"top_k": 4}, ([0, 0, 1, 1], [1, 1, 1, 1], None), 0.5),
    ("Recall", {}, ([0, 1, 1, 1], [1, 0, 1, 1], None), 0.6666667),
    ("Recall", {}, ([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]), 1.0),
    ("TruePositives", {}, ([0, 1, 1, 1], [1, 0, 1, 1], None), 2.0),
    ("TruePositives", {}, ([0, 1, 1, 1], [1, 0, 1, 1], [0, 0, 1, 0]), 1.0),
    ("TrueNegatives", {}, ([0, 1, 0, 0], [1, 1, 0, 0], None), 2.0),
    ("TrueNegatives", {}, ([0, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0]), 1.0),
    ("FalsePositives", {}, ([0, 1, 0, 0], [0, 0, 1, 1], None), 2.0),
    ("FalsePositives", {}, ([0, 1, 0, 0], [0, 0, 1, 1], [0, 0, 1, 0]), 1.0),
    ("FalseNegatives", {}, ([0, 1, 1, 1], [0, 1, 0, 0], None), 2.0),
    ("FalseNegatives", {}, ([0, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0]), 1.0),
    ("AUC", {"num_thresholds": 3}, ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], None), 0.75),
    ("AUC", {"num_thresholds": 3}, ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]), 1.0),
    ("PrecisionAtRecall", {"recall": 0.5}, ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], None), 0.5),
    (
        "PrecisionAtRecall",
        {"recall": 0.5},
        ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [2, 2, 2, 1, 1]),
        0.33333333,
    ),
    ("RecallAtPrecision", {"precision": 0.8}, ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], None), 0.5),
    (
        "RecallAtPrecision",
        {"precision": 0.8},
        ([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 0, 0, 1]),
        1.0,
    ),
    (
        "SensitivityAtSpecificity",
        {"specificity": 0.5},
        ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], None),
        0.5,
    ),
    (
        "SensitivityAtSpecificity",
        {"specificity": 0.5},
        ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 1]),
        0.333333,
    ),
    (
        "SpecificityAtSensitivity",
        {"sensitivity": 0.5},
        ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], None),
        0.66666667,
    ),
    (
        "SpecificityAtSensitivity",
        {"sensitivity": 0.5},
        ([0, 0, 0, 1, 1], [0, 0.3, 0.8, 0.3, 0.8], [1, 1, 2, 2, 2]),
        0.5,
    ),
    ("F1Score", {"threshold": 0.5}, (F_TRUE, F_PRED, None), [0.5, 0.8, 0.6666667]),
    (
        "FBetaScore",
        {"beta": 2.0, "threshold": 0.5},
        (F_TRUE, F_PRED, None),
        [0.3846154, 0.90909094, 0.8333334],
    ),
]
# The first constructor argument, written positionally in the docs.
POSITIONAL = {
    "PrecisionAtRecall": "recall",
    "RecallAtPrecision": "precision",
    "SensitivityAtSpecificity": "specificity",
    "SpecificityAtSensitivity": "sensitivity",
}
TWO_D_DTYPES = (np.int32, np.float32)


def is_two_d(example) -> bool:
    _, _, (y_true, _, _), _ = example
    return isinstance(y_true[0], list)


def example_id(example) -> str:
    class_name, kwargs, (_, _, weights), _ = example
    args = ",".join(f"{k}={v}" for k, v in kwargs.items())
    return f"{class_name}({args}){'-weighted' if weights is not None else ''}"


def run_example(metric, example) -> None:
    _, _, (y_true, y_pred, sample_weight), _ = example
    if is_two_d(example):
        y_true, y_pred = np.array(y_true, TWO_D_DTYPES[0]), np.array(y_pred, TWO_D_DTYPES[1])
    if sample_weight is None:
        metric.update_state(y_true, y_pred)
    else:
        metric.update_state(y_true, y_pred, sample_weight=sample_weight)

"""Constructor arguments of every class (and ``num_thresholds`` of
``precision_recall_at_equal_thresholds``): refused with Keras's messages, or accepted.

On both implementations: thresholds out of [0, 1], NaN or of the wrong type; dtypes; ``top_k``
and ``class_id`` (also of the wrong kind, or beyond int64); AUC's curve, summation method,
``num_labels`` and ``label_weights``; the operating-point metrics' target value and
``num_thresholds``; the F-scores' ``average``, ``beta`` and ``threshold``. Constructor errors
carry Keras's exact messages on both implementations. A ``num_thresholds`` too large to
allocate is a ``ValueError``, checked in a subprocess with a memory limit so that a regression
cannot take the test run down with it. Bad updates are in ``test_input_validation.py``.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from support import (
    AT_CLASSES,
    AT_VALUE_NAMES,
    CONFUSION_CLASSES,
    IMPLEMENTATIONS,
    PRED_1D,
    TRUE_1D,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# ---------------------------------------------------------------------------------------------
# Thresholds, dtypes, top_k and class_id


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
def test_threshold_out_of_range_message(impl, class_name: str) -> None:
    cls = getattr(impl, class_name)
    with pytest.raises(ValueError) as error:
        cls(thresholds=[1.5])
    assert str(error.value) == "Threshold values must be in [0, 1]. Received: [1.5]"
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        cls(thresholds=[0.5, -0.1])
    with pytest.raises(ValueError, match=r"Threshold values must be in \[0, 1\]"):
        cls(thresholds=1.5)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
@pytest.mark.parametrize("thresholds", [math.nan, [0.5, math.nan], (math.nan,)])
def test_nan_threshold_is_refused(impl, class_name: str, thresholds) -> None:
    with pytest.raises(ValueError):
        getattr(impl, class_name)(thresholds=thresholds)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
@pytest.mark.parametrize("dtype", ["int32", "float16", "bfloat16", "foo", np.int32])
def test_bad_dtype_is_refused(impl, class_name: str, dtype) -> None:
    with pytest.raises(ValueError):
        getattr(impl, class_name)(dtype=dtype)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
@pytest.mark.parametrize("dtype", ["float32", "float64", np.float32, np.float64, None])
def test_good_dtype_is_accepted(impl, class_name: str, dtype) -> None:
    metric = getattr(impl, class_name)(dtype=dtype)
    expected = "float32" if dtype is None else np.dtype(dtype).name
    assert metric.dtype == expected
    assert np.asarray(metric.result()).dtype == np.dtype(expected)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", ["Precision", "Recall"])
@pytest.mark.parametrize(
    "kwargs",
    [{"top_k": 0}, {"top_k": -1}, {"top_k": True}, {"class_id": -1}, {"class_id": True}],
    ids=["top_k=0", "top_k=-1", "top_k=True", "class_id=-1", "class_id=True"],
)
def test_bad_top_k_and_class_id(impl, class_name: str, kwargs: dict) -> None:
    (argument,) = kwargs
    with pytest.raises(ValueError, match=argument):
        getattr(impl, class_name)(**kwargs)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("class_name", CONFUSION_CLASSES)
@pytest.mark.parametrize("thresholds", ["abc", b"abc", ["a", 0.5], object()])
def test_thresholds_of_the_wrong_type(impl, class_name: str, thresholds) -> None:
    with pytest.raises(TypeError):
        getattr(impl, class_name)(thresholds=thresholds)


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize("arg", ["top_k", "class_id"])
@pytest.mark.parametrize("value", [1.5, 1.0, "1", True])
def test_integer_arguments_of_the_wrong_kind_name_the_argument(module, arg, value) -> None:
    with pytest.raises((ValueError, TypeError), match=f"`{arg}`"):
        module.Precision(**{arg: value})


@pytest.mark.parametrize("arg, value", [("class_id", 2**63), ("top_k", 10**30)])
def test_integers_beyond_int64_are_refused_with_the_value_given(arg: str, value: int) -> None:
    with pytest.raises(ValueError, match=f"{arg}={value}"):
        fm.Recall(**{arg: value})
    with pytest.raises(ValueError, match=f"num_thresholds={-(10**30)}"):
        fm.AUC(num_thresholds=-(10**30))


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "thresholds",
    [["0.5"], {0.5}, {0.5: 1}, (t for t in [0.5]), iter([0.5]), "0.5", object()],
    ids=["str-in-list", "set", "dict", "generator", "iterator", "str", "object"],
)
def test_thresholds_of_the_wrong_kind_are_type_errors(module, thresholds) -> None:
    with pytest.raises(TypeError, match="hreshold"):
        module.Precision(thresholds=thresholds)


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
def test_threshold_arrays_are_taken_like_lists(module) -> None:
    assert module.Precision(thresholds=np.array(0.3)).thresholds == [0.3]
    assert module.Recall(thresholds=np.array([0.2, 0.7])).thresholds == [0.2, 0.7]


@pytest.mark.parametrize("module", IMPLEMENTATIONS)
def test_a_python_type_is_not_a_dtype(module) -> None:
    with pytest.raises(ValueError, match="dtype"):
        module.AUC(dtype=float)
    assert module.AUC(dtype=np.float64).dtype == "float64"
    assert module.AUC(dtype=np.dtype("float32")).dtype == "float32"


# ---------------------------------------------------------------------------------------------
# precision_recall_at_equal_thresholds: num_thresholds


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("num_thresholds", [1, 0, -5, 1.5, 2.0, True, None, "3"])
def test_equal_thresholds_bad_num_thresholds(impl, num_thresholds) -> None:
    with pytest.raises((ValueError, TypeError)):
        impl.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=num_thresholds)


def test_equal_thresholds_num_thresholds_message() -> None:
    message = "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1"
    with pytest.raises(ValueError, match=re.escape(message)):
        fm.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=1)
    with pytest.raises(ValueError, match=re.escape(message)):
        ref.precision_recall_at_equal_thresholds(TRUE_1D, PRED_1D, num_thresholds=1)


# ---------------------------------------------------------------------------------------------
# Constructor arguments: Keras's messages

# (id, class name, kwargs, exception, exact message or None)
CONSTRUCTOR_ERRORS = [
    (
        "auc_num_thresholds_1",
        "AUC",
        {"num_thresholds": 1},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1",
    ),
    (
        "auc_num_thresholds_0",
        "AUC",
        {"num_thresholds": 0},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=0",
    ),
    (
        "auc_num_thresholds_-3",
        "AUC",
        {"num_thresholds": -3},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=-3",
    ),
    ("auc_num_thresholds_float", "AUC", {"num_thresholds": 1.5}, ValueError, None),
    ("auc_num_thresholds_bool", "AUC", {"num_thresholds": True}, ValueError, None),
    (
        "auc_curve",
        "AUC",
        {"curve": "foo"},
        ValueError,
        'Invalid AUC curve value: "foo". Expected values are ["PR", "ROC", "PRGAIN"]',
    ),
    (
        "auc_curve_mixed_case",
        "AUC",
        {"curve": "Roc"},
        ValueError,
        'Invalid AUC curve value: "Roc". Expected values are ["PR", "ROC", "PRGAIN"]',
    ),
    (
        "auc_summation",
        "AUC",
        {"summation_method": "foo"},
        ValueError,
        'Invalid AUC summation method value: "foo". '
        'Expected values are ["interpolation", "majoring", "minoring"]',
    ),
    (
        "auc_summation_upper",
        "AUC",
        {"summation_method": "MINORING"},
        ValueError,
        'Invalid AUC summation method value: "MINORING". '
        'Expected values are ["interpolation", "majoring", "minoring"]',
    ),
    (
        "auc_num_labels_without_multi_label",
        "AUC",
        {"num_labels": 3},
        ValueError,
        "`num_labels` is needed only when `multi_label` is True.",
    ),
    ("auc_num_labels_0", "AUC", {"multi_label": True, "num_labels": 0}, ValueError, None),
    ("auc_label_weights_negative", "AUC", {"label_weights": [1.0, -0.5]}, ValueError, None),
    ("auc_label_weights_nan", "AUC", {"label_weights": [math.nan]}, ValueError, None),
    ("auc_label_weights_inf", "AUC", {"label_weights": [1.0, math.inf]}, ValueError, None),
    (
        "auc_label_weights_negative_multi",
        "AUC",
        {"multi_label": True, "label_weights": [-1.0, 1.0]},
        ValueError,
        None,
    ),
    (
        "auc_label_weights_vs_num_labels",
        "AUC",
        {"multi_label": True, "num_labels": 3, "label_weights": [1.0, 2.0]},
        ValueError,
        None,
    ),
    ("auc_label_weights_str", "AUC", {"label_weights": ["a"]}, TypeError, None),
    (
        "auc_thresholds_range",
        "AUC",
        {"thresholds": [1.5]},
        ValueError,
        "Threshold values must be in [0, 1]. Received: [1.5]",
    ),
    ("auc_thresholds_negative", "AUC", {"thresholds": [0.5, -0.1]}, ValueError, None),
    ("auc_thresholds_nan", "AUC", {"thresholds": [0.5, math.nan]}, ValueError, None),
    ("auc_thresholds_str", "AUC", {"thresholds": ["a"]}, TypeError, None),
    ("auc_dtype", "AUC", {"dtype": "int32"}, ValueError, None),
    ("auc_dtype_float16", "AUC", {"dtype": "float16"}, ValueError, None),
    *[
        (
            f"{name}_value_1.5",
            name,
            {AT_VALUE_NAMES[name]: 1.5},
            ValueError,
            f"Argument `{AT_VALUE_NAMES[name]}` must be in the range [0, 1]. "
            f"Received: {AT_VALUE_NAMES[name]}=1.5",
        )
        for name in AT_CLASSES
    ],
    *[
        (
            f"{name}_value_-0.25",
            name,
            {AT_VALUE_NAMES[name]: -0.25},
            ValueError,
            f"Argument `{AT_VALUE_NAMES[name]}` must be in the range [0, 1]. "
            f"Received: {AT_VALUE_NAMES[name]}=-0.25",
        )
        for name in AT_CLASSES
    ],
    *[
        (f"{name}_value_nan", name, {AT_VALUE_NAMES[name]: math.nan}, ValueError, None)
        for name in AT_CLASSES
    ],
    *[
        (f"{name}_value_str", name, {AT_VALUE_NAMES[name]: "a"}, TypeError, None)
        for name in AT_CLASSES
    ],
    *[
        (
            f"{name}_num_thresholds_0",
            name,
            {AT_VALUE_NAMES[name]: 0.5, "num_thresholds": 0},
            ValueError,
            "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=0",
        )
        for name in AT_CLASSES
    ],
    (
        "PrecisionAtRecall_num_thresholds_-1",
        "PrecisionAtRecall",
        {"recall": 0.5, "num_thresholds": -1},
        ValueError,
        "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=-1",
    ),
    (
        "RecallAtPrecision_num_thresholds_float",
        "RecallAtPrecision",
        {"precision": 0.5, "num_thresholds": 2.5},
        ValueError,
        None,
    ),
    (
        "SensitivityAtSpecificity_class_id_-1",
        "SensitivityAtSpecificity",
        {"specificity": 0.5, "class_id": -1},
        ValueError,
        None,
    ),
    (
        "SpecificityAtSensitivity_dtype",
        "SpecificityAtSensitivity",
        {"sensitivity": 0.5, "dtype": "int8"},
        ValueError,
        None,
    ),
    *[
        (
            f"{name}_average",
            name,
            {"average": "foo"},
            ValueError,
            "Invalid `average` argument value. Expected one of: "
            "{None, 'micro', 'macro', 'weighted'}. Received: average=foo",
        )
        for name in ("F1Score", "FBetaScore")
    ],
    (
        "FBetaScore_beta_int",
        "FBetaScore",
        {"beta": 2},
        ValueError,
        "Invalid `beta` argument value. It should be a Python float. "
        "Received: beta=2 of type '<class 'int'>'",
    ),
    (
        "FBetaScore_beta_0",
        "FBetaScore",
        {"beta": 0.0},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=0.0",
    ),
    (
        "FBetaScore_beta_negative",
        "FBetaScore",
        {"beta": -1.0},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=-1.0",
    ),
    *[
        (
            f"{name}_threshold_int",
            name,
            {"threshold": 1},
            ValueError,
            "Invalid `threshold` argument value. It should be a Python float. "
            "Received: threshold=1 of type '<class 'int'>'",
        )
        for name in ("F1Score", "FBetaScore")
    ],
    *[
        (
            f"{name}_threshold_{value}",
            name,
            {"threshold": value},
            ValueError,
            "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
            f"Received: threshold={value}",
        )
        for name in ("F1Score", "FBetaScore")
        for value in (1.5, 0.0, -0.5)
    ],
    ("FBetaScore_threshold_nan", "FBetaScore", {"threshold": math.nan}, ValueError, None),
    # Several bad arguments: Keras's first check is reported (average, beta's type, beta > 0,
    # threshold's type, its range); a NaN or infinite beta, which Keras lets through, is
    # refused after them.
    (
        "FBetaScore_average_before_beta",
        "FBetaScore",
        {"average": "foo", "beta": 2},
        ValueError,
        "Invalid `average` argument value. Expected one of: "
        "{None, 'micro', 'macro', 'weighted'}. Received: average=foo",
    ),
    (
        "FBetaScore_beta_before_threshold",
        "FBetaScore",
        {"beta": -1.0, "threshold": 5},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=-1.0",
    ),
    (
        "FBetaScore_infinite_beta_then_threshold_type",
        "FBetaScore",
        {"beta": math.inf, "threshold": 5},
        ValueError,
        "Invalid `threshold` argument value. It should be a Python float. "
        "Received: threshold=5 of type '<class 'int'>'",
    ),
    (
        "FBetaScore_nan_beta_then_threshold_range",
        "FBetaScore",
        {"beta": math.nan, "threshold": 2.0},
        ValueError,
        "Invalid `threshold` argument value. It should verify 0 < threshold <= 1. "
        "Received: threshold=2.0",
    ),
    (
        "FBetaScore_beta_inf",
        "FBetaScore",
        {"beta": math.inf},
        ValueError,
        "Invalid `beta` argument value. It should be > 0. Received: beta=inf",
    ),
    # NumPy numbers are shown as Keras shows them (str), not by their repr.
    (
        "auc_num_thresholds_numpy_float",
        "AUC",
        {"num_thresholds": np.float64(0.5)},
        ValueError,
        "Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=0.5",
    ),
    (
        "PrecisionAtRecall_num_thresholds_numpy_float",
        "PrecisionAtRecall",
        {"recall": 0.5, "num_thresholds": np.float64(-0.5)},
        ValueError,
        "Argument `num_thresholds` must be an integer > 0. Received: num_thresholds=-0.5",
    ),
    ("F1Score_dtype", "F1Score", {"dtype": "float16"}, ValueError, None),
]


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize(
    "class_name, kwargs, exception, message",
    [case[1:] for case in CONSTRUCTOR_ERRORS],
    ids=[case[0] for case in CONSTRUCTOR_ERRORS],
)
def test_constructor_errors(impl, class_name, kwargs, exception, message) -> None:
    cls = getattr(impl, class_name)
    if message is None:
        with pytest.raises(exception):
            cls(**kwargs)
    else:
        with pytest.raises(exception, match=f"^{re.escape(message)}$"):
            cls(**kwargs)


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("name", AT_CLASSES)
def test_at_value_message_prints_the_value_as_given(impl, name) -> None:
    value = AT_VALUE_NAMES[name]
    message = f"Argument `{value}` must be in the range [0, 1]. Received: {value}=2"
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        getattr(impl, name)(**{value: 2})


@pytest.mark.parametrize("impl", IMPLEMENTATIONS)
@pytest.mark.parametrize("name", AT_CLASSES)
@pytest.mark.parametrize("value", [0, 1, 0.0, 1.0, True, np.float32(0.5)])
def test_at_value_bounds_are_accepted(impl, name, value) -> None:
    metric = getattr(impl, name)(value, num_thresholds=1)
    assert metric.get_config()[AT_VALUE_NAMES[name]] == value


# ---------------------------------------------------------------------------------------------
# A num_thresholds too large to allocate: ValueError, not a crash or MemoryError

HUGE_SCRIPT = textwrap.dedent(
    """
    import resource, sys
    limit = 1 << 29  # 512 MiB of address space: a regression fails fast instead of swapping
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import ferrometrics as fm
    from ferrometrics import reference as ref
    impl = sys.argv[1]
    calls = {
        "AUC": lambda m: m.AUC(num_thresholds=10**12),
        "AUC-num_labels": lambda m: m.AUC(multi_label=True, num_labels=10**12),
        "PrecisionAtRecall": lambda m: m.PrecisionAtRecall(0.5, num_thresholds=10**12),
        "equal_thresholds": lambda m: m.precision_recall_at_equal_thresholds(
            [1], [0.5], num_thresholds=10**12),
    }
    module = fm if impl == "fast" else ref
    try:
        calls[sys.argv[2]](module)
    except BaseException as error:
        print(type(error).__name__)
    else:
        print("accepted")
    """
)


@pytest.mark.parametrize(
    "impl",
    [pytest.param("fast", id="fast"), pytest.param("reference", id="reference")],
)
@pytest.mark.parametrize("call", ["AUC", "AUC-num_labels", "PrecisionAtRecall", "equal_thresholds"])
def test_huge_num_thresholds_is_a_value_error(impl, call) -> None:
    # One BLAS thread: its per-thread buffers must fit in the address-space limit.
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    outcome = subprocess.run(
        [sys.executable, "-c", HUGE_SCRIPT, impl, call],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert outcome.returncode == 0, outcome.stderr[-2000:]
    assert outcome.stdout.strip() == "ValueError", outcome.stdout + outcome.stderr[-2000:]


@pytest.mark.parametrize("huge", [10**12, 2**63, 10**30])
def test_huge_num_thresholds_messages(huge) -> None:
    """In-process on the fast implementation (refused before anything is allocated)."""
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.AUC(num_thresholds=huge)
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.SensitivityAtSpecificity(0.5, num_thresholds=huge)
    with pytest.raises(ValueError, match="num_thresholds"):
        fm.precision_recall_at_equal_thresholds([1], [0.5], num_thresholds=huge)
    with pytest.raises(ValueError):
        fm.AUC(multi_label=True, num_labels=huge)

"""Input checks of ``ferrometrics.sklearn``: scikit-learn's target types, shapes and messages.

Re-implements, for NumPy arrays and array-likes (no sparse matrices), what scikit-learn 1.9's
ranking metrics do to their inputs: ``type_of_target``, ``check_array``, ``column_or_1d``,
``check_consistent_length``, ``_check_sample_weight`` and ``_check_pos_label_consistency``, with
their error messages. Distinct labels are found without sorting when there are at most two
(the common binary case): a min, a max and two counts in bounded blocks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

__all__ = [
    "Target",
    "as_array",
    "assert_all_finite",
    "check_2d",
    "check_consistent_length",
    "check_numeric",
    "check_pos_label_consistency",
    "check_sample_weight",
    "column_or_1d",
    "distinct_values",
    "type_of_target",
]

# Rows of a block when counting a value without an O(N) temporary.
_BLOCK_ELEMENTS = 1 << 20


class Target(NamedTuple):
    """What ``type_of_target`` found: the kind, the array, its sorted distinct labels."""

    kind: str  # "binary", "multiclass", "multilabel-indicator", "continuous", ... or "unknown"
    values: np.ndarray
    classes: np.ndarray | None  # None for "unknown" and "continuous" kinds


def as_array(y) -> np.ndarray:
    """``y`` as a NumPy array (no copy for an array); ragged nested lists become objects."""
    try:
        return np.asarray(y)
    except ValueError:
        return np.asarray(y, dtype=object) if not isinstance(y, np.ndarray) else y


def _count_equal(y: np.ndarray, value) -> int:
    rows_per_block = max(1, _BLOCK_ELEMENTS // max(1, y.size // max(1, y.shape[0])))
    return sum(
        int(np.count_nonzero(y[start : start + rows_per_block] == value))
        for start in range(0, y.shape[0], rows_per_block)
    )


def distinct_values(y: np.ndarray) -> np.ndarray:
    """The sorted distinct values of ``y`` (NumPy's ``unique``; faster for one or two)."""
    if y.size and y.dtype.kind in "biuf":
        low, high = y.min(), y.max()
        if low == high:
            return np.array([low], dtype=y.dtype)
        # Integers one apart have nothing between them: no need to count.
        consecutive = y.dtype.kind in "biu" and int(high) - int(low) == 1
        if consecutive or _count_equal(y, low) + _count_equal(y, high) == y.size:
            return np.array([low, high], dtype=y.dtype)
        if y.dtype.kind in "iu" and low >= 0 and int(high) < max(_BLOCK_ELEMENTS, y.size):
            # Class indices: count them rather than sort them.
            present = np.flatnonzero(np.bincount(y.reshape(-1).astype(np.intp, copy=False)))
            return present.astype(y.dtype)
    return np.unique(y)


def _finite_message(y: np.ndarray, input_name: str) -> str | None:
    # scikit-learn's wording; NaN is reported before infinity.
    if y.dtype.kind != "f":
        return None
    if y.size == 0 or (np.isfinite(y.min()) and np.isfinite(y.max())):  # no O(N) temporary
        return None
    name = f"{input_name} " if input_name else ""
    if np.isnan(y).any():
        return f"Input {name}contains NaN."
    if np.isinf(y).any():
        return f"Input {name}contains infinity or a value too large for {y.dtype!r}."
    return None


def assert_all_finite(y: np.ndarray, input_name: str = "") -> None:
    """Raise scikit-learn's ValueError if a float ``y`` holds NaN or infinity."""
    message = _finite_message(y, input_name)
    if message is not None:
        raise ValueError(message)


def _is_integral(classes: np.ndarray) -> bool:
    with np.errstate(invalid="ignore"):
        return bool(np.all(classes.astype(np.int64).astype(classes.dtype) == classes))


def type_of_target(y, input_name: str = "") -> Target:
    """scikit-learn's ``type_of_target``, returning the array and its labels as well."""
    if not ((isinstance(y, Sequence) or hasattr(y, "__array__")) and not isinstance(y, str)):
        raise ValueError(f"Expected array-like (array or non-string sequence), got {y!r}")
    values = as_array(y)
    if values.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{values}\n")
    if values.ndim == 2 and values.shape[1] > 1:
        classes = distinct_values(values)
        integral = values.dtype.kind in "biu" or (
            values.dtype.kind == "f" and _is_integral(classes)
        )
        if classes.shape[0] < 3 and integral:
            return Target("multilabel-indicator", values, classes)
    if values.ndim >= 1 and values.shape[0] > 0:
        first = values.flat[0] if values.ndim == 1 else values[0]
        if isinstance(first, bytes):
            raise TypeError(
                "Support for labels represented as bytes is not supported. Convert "
                "the labels to a string or integer format."
            )
        if isinstance(first, Sequence) and not isinstance(first, str):
            raise ValueError(
                "You appear to be using a legacy multi-label data representation. Sequence of "
                "sequences are no longer supported; use a binary array or sparse matrix "
                "instead - the MultiLabelBinarizer transformer can convert to this format."
            )
    if values.ndim not in (1, 2):
        return Target("unknown", values, None)
    if min(values.shape) == 0:
        return Target("binary" if values.ndim == 1 else "unknown", values, values.reshape(-1))
    if values.dtype == object and not isinstance(values.flat[0], str):
        return Target("unknown", values, None)
    suffix = "-multioutput" if values.ndim == 2 and values.shape[1] > 1 else ""
    classes = distinct_values(values)
    if values.dtype.kind == "f" and not _is_integral(classes):
        assert_all_finite(values, input_name)
        return Target("continuous" + suffix, values, None)
    if classes.shape[0] > 2 or suffix:
        return Target("multiclass" + suffix, values, classes)
    return Target("binary", values, classes)


def check_consistent_length(*arrays) -> None:
    """All the given arrays (None skipped) have one number of samples (first dimension)."""
    lengths = [len(a) for a in arrays if a is not None]
    if len(set(lengths)) > 1:
        raise ValueError(f"Found input variables with inconsistent numbers of samples: {lengths!r}")


def column_or_1d(y: np.ndarray) -> np.ndarray:
    """``y`` as a 1-D array: a column ``(n, 1)`` is raveled (a view), other 2-D shapes raise."""
    if y.ndim == 1:
        return y
    if y.ndim == 2 and y.shape[1] == 1:
        return y[:, 0]
    raise ValueError(f"y should be a 1d array, got an array of shape {y.shape} instead.")


def check_numeric(y, *, ensure_2d: bool = False, input_name: str = "") -> np.ndarray:
    """scikit-learn's ``check_array(y, ensure_2d=...)`` for scores: numbers, finite, 1-D or 2-D."""
    array = as_array(y)
    if array.dtype.kind == "c":
        raise ValueError(f"Complex data not supported\n{array}\n")
    if array.dtype.kind in "USV":
        raise ValueError(
            "dtype='numeric' is not compatible with arrays of bytes/strings."
            "Convert your data to numeric values explicitly instead."
        )
    if array.dtype == object:
        array = array.astype(np.float64)
    if ensure_2d:
        check_2d(array)
    if array.ndim >= 3:
        raise ValueError(f"Found array with dim {array.ndim}, while dim <= 2 is required.")
    check_not_empty(array)
    assert_all_finite(array, input_name)
    return array


def check_2d(array: np.ndarray) -> None:
    """scikit-learn's ``check_array`` error for a 1-D array where a matrix is expected."""
    if array.ndim == 1:
        raise ValueError(
            f"Expected 2D array, got 1D array instead:\narray={array}.\n"
            "Reshape your data either using array.reshape(-1, 1) if your data has a single "
            "feature or array.reshape(1, -1) if it contains a single sample."
        )


def check_not_empty(array: np.ndarray) -> None:
    """scikit-learn's ``check_array`` minimum: one sample and, for 2-D, one feature."""
    if array.ndim >= 1 and array.shape[0] < 1:
        raise ValueError(
            f"Found array with 0 sample(s) (shape={array.shape}) while a minimum of 1 is required."
        )
    if array.ndim == 2 and array.shape[1] < 1:
        raise ValueError(
            f"Found array with 0 feature(s) (shape={array.shape}) while a minimum of 1 is required."
        )


def check_sample_weight(sample_weight: np.ndarray, n_samples: int) -> np.ndarray:
    """scikit-learn's ``_check_sample_weight``: float, finite, ``(n_samples,)``, not all zero."""
    weight = as_array(sample_weight)
    if weight.dtype not in (np.float64, np.float32):
        weight = weight.astype(np.float64)
    if weight.ndim != 1:
        raise ValueError(
            f"Sample weights must be 1D array or scalar, got {weight.ndim}D array. Expected "
            f"either a scalar value or a 1D array of length {n_samples}."
        )
    if weight.shape != (n_samples,):
        raise ValueError(f"sample_weight.shape == {weight.shape}, expected {(n_samples,)}!")
    assert_all_finite(weight, "sample_weight")
    if not np.any(weight):
        raise ValueError("Sample weights must contain at least one non-zero number.")
    return weight


def check_pos_label_consistency(pos_label, classes: np.ndarray):
    """``pos_label``, or 1 when it is None and the labels are {0, 1}, {-1, 1} or one of them."""
    if pos_label is not None:
        return pos_label
    allowed = ([0, 1], [-1, 1], [0], [-1], [1])
    if classes.dtype.kind in "OUS" or not any(
        classes.shape[0] == len(a) and bool(np.all(classes == np.array(a))) for a in allowed
    ):
        listed = ", ".join(repr(c) for c in classes.tolist())
        raise ValueError(
            f"y_true takes value in {{{listed}}} and pos_label is not specified: either make "
            "y_true take value in {0, 1} or {-1, 1} or pass pos_label explicitly."
        )
    return 1

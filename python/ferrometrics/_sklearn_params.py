"""Argument checks of ``ferrometrics.sklearn``: scikit-learn's ``validate_params`` rules.

Each check raises :class:`InvalidParameterError` (a ``ValueError`` and a ``TypeError``) with
scikit-learn's message: "The 'average' parameter of roc_auc_score must be ... Got 'x' instead."
"""

from __future__ import annotations

import math
from numbers import Real

import numpy as np

from ._sklearn_errors import InvalidParameterError

__all__ = [
    "check_array_like",
    "check_bool",
    "check_max_fpr",
    "check_option",
    "check_pos_label",
]


def _reject(name: str, function: str, expected: str, value) -> InvalidParameterError:
    return InvalidParameterError(
        f"The {name!r} parameter of {function} must be {expected}. Got {value!r} instead."
    )


def _is_array_like(value) -> bool:
    # scikit-learn's `_is_arraylike_not_scalar`: a string is a scalar.
    has_length = hasattr(value, "__len__") or hasattr(value, "shape")
    return (has_length or hasattr(value, "__array__")) and not np.isscalar(value)


def check_array_like(value, name: str, function: str, *, optional: bool = False) -> None:
    """``value`` is an array-like (or None when ``optional``)."""
    if optional and value is None:
        return
    if not _is_array_like(value):
        raise _reject(
            name, function, "an array-like or None" if optional else "an array-like", value
        )


def check_option(value, name: str, function: str, options: tuple, *, optional: bool) -> None:
    """``value`` is one of the strings ``options`` (or None when ``optional``)."""
    if optional and value is None:
        return
    if not (isinstance(value, str) and value in options):
        listed = "{" + ", ".join(repr(o) for o in options) + "}"
        expected = f"a str among {listed}" + (" or None" if optional else "")
        raise _reject(name, function, expected, value)


def check_max_fpr(value, function: str) -> None:
    """``max_fpr`` is None or a real number in (0, 1]."""
    if value is None:
        return
    if not (isinstance(value, Real) and not math.isnan(value) and 0 < value <= 1):
        raise _reject("max_fpr", function, "a float in the range (0.0, 1.0] or None", value)


def check_pos_label(value, function: str, *, optional: bool) -> None:
    """``pos_label`` is a real number, a string or a bool (or None when ``optional``)."""
    if optional and value is None:
        return
    if not isinstance(value, (Real, str, bool, np.bool_)):
        kinds = "an instance of 'float', an instance of 'str'"
        if optional:
            expected = f"{kinds}, an instance of 'bool' or an instance of 'numpy.bool' or None"
        else:
            expected = f"{kinds} or an instance of 'bool' or an instance of 'numpy.bool'"
        raise _reject("pos_label", function, expected, value)


def check_bool(value, name: str, function: str) -> None:
    """``value`` is a bool (Python's or NumPy's; not an integer)."""
    if not isinstance(value, (bool, np.bool_)):
        raise _reject(name, function, "an instance of 'bool' or an instance of 'numpy.bool'", value)

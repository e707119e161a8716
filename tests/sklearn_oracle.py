"""Calling ``ferrometrics.sklearn`` and scikit-learn alike, and comparing what they did.

``outcome(function, *args, **kwargs)`` records what one call did: its result, or its exception
(kind and message), and the warnings it emitted. ``assert_same_outcome(name, ...)`` calls the
function ``name`` of both modules with the same arguments and compares the two outcomes:

- results: same structure, same dtypes and shapes, floats equal to ``rtol=1e-12`` with
  ``atol=0`` (NaN equal to NaN);
- exceptions: both raise, ours is an instance of every builtin class theirs is
  (``ValueError``, ``TypeError``, ...), with the same message (the sets of options in a
  parameter error are compared as sets: scikit-learn prints a Python set, in hash order);
- warnings: the same messages in the same order, of the same category (by name, since
  scikit-learn's ``UndefinedMetricWarning`` cannot be ours). NumPy ``RuntimeWarning``s are left
  out: scikit-learn's own conversions emit some (e.g. casting NaN labels to int) that are no
  part of its contract.
"""

from __future__ import annotations

import builtins
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import sklearn.metrics

import ferrometrics.sklearn

RTOL = 1e-12

_BUILTIN_EXCEPTIONS = tuple(
    value
    for value in vars(builtins).values()
    if isinstance(value, type) and issubclass(value, Exception) and value is not Exception
)


@dataclass
class Outcome:
    """What one call did."""

    result: Any = None
    error: BaseException | None = None
    warnings: list = field(default_factory=list)  # (category name, message)


def outcome(function, *args, **kwargs) -> Outcome:
    """Call ``function`` and record its result or exception and its warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            done = Outcome(result=function(*args, **kwargs))
        except Exception as error:  # recorded, to compare
            done = Outcome(error=error)
    done.warnings = [
        (w.category.__name__, str(w.message))
        for w in caught
        if not issubclass(w.category, RuntimeWarning)
    ]
    return done


def _normalise_message(message: str) -> str:
    # "{'micro', 'macro'}": scikit-learn prints a set, in an order that depends on the hash seed.
    def sort_set(match: re.Match) -> str:
        items = sorted(item.strip() for item in match.group(1).split(","))
        return "{" + ", ".join(items) + "}"

    return re.sub(r"\{('[^}]*')\}", sort_set, message)


def assert_same_result(ours, theirs, path: str = "result") -> None:
    """Equal structure, dtypes and values (floats to ``RTOL``, NaN equal to NaN)."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs), path
        for index, (a, b) in enumerate(zip(ours, theirs)):
            assert_same_result(a, b, f"{path}[{index}]")
        return
    if isinstance(theirs, np.ndarray):
        assert isinstance(ours, np.ndarray), f"{path}: {type(ours)} is not an array"
        assert ours.dtype == theirs.dtype, f"{path}: dtype {ours.dtype} != {theirs.dtype}"
        assert ours.shape == theirs.shape, f"{path}: shape {ours.shape} != {theirs.shape}"
        np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=0, err_msg=path)
        return
    assert type(ours) is type(theirs), f"{path}: type {type(ours)} != {type(theirs)}"
    np.testing.assert_allclose(ours, theirs, rtol=RTOL, atol=0, err_msg=path)


def assert_same_outcome(name: str, *args, **kwargs) -> Outcome:
    """Call ``name`` from both modules with the same arguments; compare; return ours."""
    theirs = outcome(getattr(sklearn.metrics, name), *args, **kwargs)
    ours = outcome(getattr(ferrometrics.sklearn, name), *args, **kwargs)
    if theirs.error is not None:
        assert ours.error is not None, f"{name}: scikit-learn raised {theirs.error!r}, we did not"
        kinds = [k for k in _BUILTIN_EXCEPTIONS if isinstance(theirs.error, k)]
        missing = [k.__name__ for k in kinds if not isinstance(ours.error, k)]
        assert not missing, f"{name}: {ours.error!r} is not a {missing} like {theirs.error!r}"
        assert _normalise_message(str(ours.error)) == _normalise_message(str(theirs.error))
    else:
        assert ours.error is None, f"{name}: we raised {ours.error!r}, scikit-learn did not"
        assert_same_result(ours.result, theirs.result, name)
    assert ours.warnings == theirs.warnings, name
    return ours

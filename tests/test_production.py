"""Production behaviour across EVERY class and configuration (issue 5).

One registry of metric configurations (every class, AUC's multi-label/logits/label-weight
forms, every F-score average) drives the rule that a failing update leaves the state
bit-identical. Moved out so far: threads and fork (test_concurrency.py); pickling, copying and
merging (test_pickling_and_merging.py); input forms and no-copy intake (test_input_forms.py);
exact counts beyond 2**24 (test_exact_counts.py).
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
import pytest
from hypothesis import given, note, settings
from hypothesis import strategies as st
from support import (
    CONFIGS,
    NAMES,
    batch,
    state_bytes,
)

import ferrometrics as fm
from ferrometrics import reference as ref

# --------------------------------------------------------------- failing updates change nothing


@st.composite
def failing_updates(draw: Any) -> tuple:
    name = draw(st.sampled_from(NAMES))
    config = CONFIGS[name]
    rows = draw(st.integers(1, 40))
    y_true, y_pred, w = batch(config, rows, seed=draw(st.integers(0, 1000)))
    y_true, y_pred, w = y_true.copy(), y_pred.copy(), w.copy()
    kind = draw(
        st.sampled_from(
            ["label", "nan_pred", "inf_weight", "shape", "weight_shape", "text", "none", "complex"]
        )
    )
    index = draw(st.integers(0, y_true.size - 1))
    if kind == "label":
        y_true.flat[index] = draw(st.sampled_from([2.0, -1.0, 0.5, np.nan]))
    elif kind == "nan_pred":
        y_pred.flat[index] = draw(st.sampled_from([np.nan, np.inf, -np.inf]))
    elif kind == "inf_weight":
        w[index % rows] = draw(st.sampled_from([np.nan, np.inf]))
    elif kind == "shape":
        y_pred = np.concatenate([y_pred, y_pred[:1]])
    elif kind == "weight_shape":
        w = np.ones(rows + 1)
    elif kind == "text":
        y_pred = np.array(["x"] * rows)
    elif kind == "none":
        y_true = None
    else:
        y_pred = y_pred.astype(np.complex64)
    first = batch(config, draw(st.integers(0, 30)), seed=7)
    return name, first, (y_true, y_pred, w), kind, index


@settings(deadline=None)
@given(case=failing_updates())
def test_a_failing_update_leaves_the_state_bit_identical(case: tuple) -> None:
    name, first, bad, kind, index = case
    note(f"{name}, {kind} at {index}")
    config = CONFIGS[name]
    for module in (fm, ref):
        metric = config.make(module)
        metric.update_state(*first)
        before, result_before = state_bytes(metric), np.asarray(metric.result())
        with pytest.raises((ValueError, TypeError)):
            metric.update_state(*bad)
        assert state_bytes(metric) == before
        assert np.array_equal(np.asarray(metric.result()), result_before, equal_nan=True)


# ------------------------------------------------------------------------------ documentation


def public_objects() -> list[tuple[str, Any]]:
    found = []
    for module in (fm, ref):
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isclass(obj) or inspect.isfunction(obj):
                found.append((f"{module.__name__}.{name}", obj))
    return found


@pytest.mark.parametrize("qualified, obj", public_objects(), ids=[q for q, _ in public_objects()])
def test_every_public_class_and_function_has_a_runnable_example(qualified: str, obj: Any) -> None:
    """Google-style docstrings: Args/Returns where they apply, and a doctest example.

    The examples themselves run in test_doc_examples.py (doctest over both modules).
    """
    doc = inspect.getdoc(obj) or ""
    assert doc.strip(), f"{qualified} has no docstring"
    assert ">>> " in doc, f"{qualified} has no runnable example"

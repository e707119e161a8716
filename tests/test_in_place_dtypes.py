"""Every label dtype and float16 predictions are read in place, and count as float32 does."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import ferrometrics as fm

LABEL_DTYPES = [
    "bool",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "uint16",
    "uint32",
    "uint64",
    "float16",
    "float32",
    "float64",
]
ROWS = 300_000  # several parallel segments


def inputs(seed: int = 3) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = (rng.random(ROWS) < 0.3).astype(np.float32)
    p = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0.0, 1.0).astype(np.float16)
    # Every float16 in [0, 1], subnormals included, and the ends.
    p[: 15361 * 2 : 2] = np.arange(15361, dtype=np.uint16).view(np.float16)
    return y, p


def state(metric) -> list[np.ndarray]:
    return [np.asarray(v) for v in metric.variables]


@pytest.mark.parametrize("label_dtype", LABEL_DTYPES)
@pytest.mark.parametrize("make", [fm.AUC, lambda: fm.AUC(thresholds=[0.1, 0.25, 0.5]), fm.Recall])
def test_counts_equal_float32_inputs(label_dtype: str, make) -> None:
    y, p = inputs()
    w = np.linspace(0, 2, ROWS, dtype=np.float32)
    expected = make()
    expected.update_state(y, p.astype(np.float32), w)
    metric = make()
    metric.update_state(y.astype(label_dtype), p, w)
    for got, want in zip(state(metric), state(expected)):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("label_dtype", LABEL_DTYPES)
@pytest.mark.parametrize("pred_dtype", ["float16", "float32"])
def test_read_in_place(label_dtype: str, pred_dtype: str) -> None:
    """No allocation proportional to N."""
    y, p = inputs(4)
    y, p = y.astype(label_dtype), p.astype(pred_dtype)
    metric = fm.AUC()
    metric.update_state(y[:10], p[:10])
    tracemalloc.start()
    try:
        metric.update_state(y, p)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100_000, f"{peak} bytes allocated for {y.nbytes} bytes of labels"


@pytest.mark.parametrize("label_dtype", ["int16", "uint16", "uint32", "uint64", "float16"])
def test_bad_labels_of_the_new_dtypes_are_located(label_dtype: str) -> None:
    y = np.zeros(100_000, dtype=label_dtype)
    y[54_321] = 2
    metric = fm.AUC()
    with pytest.raises(ValueError, match=r"Received: 2\.0 at index 54321"):
        metric.update_state(y, np.zeros(100_000, dtype=np.float16))
    assert not np.asarray(metric.variables[0]).any()

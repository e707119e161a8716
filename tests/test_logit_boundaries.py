"""`from_logits=True`: large batches count logits against thresholds mapped into logit space
once; small batches take a sigmoid of every element. Both must count the same, bit for bit
(the Rust tests compare the two rankers on and around every step, and on every float32)."""

from __future__ import annotations

import numpy as np
import pytest

import ferrometrics as fm

SMALL = 100  # rows per update below the boundary path's size: the element-wise sigmoid


def near_steps(dtype: type, thresholds: np.ndarray, ulps: int, rng: np.random.Generator):
    """Logits within `ulps` ULPs of each threshold's logit, plus a spread of ordinary ones."""
    t = np.clip(thresholds, 1e-12, 1 - 1e-12)
    centres = np.log(t / (1 - t)).astype(dtype)
    steps = np.arange(-ulps, ulps + 1)
    values = []
    for c in centres:
        bits = np.array([c], dtype=dtype).view(np.int32 if dtype == np.float32 else np.int64)
        # Ordered steps on either side (positive and negative floats both move with the bits).
        around = (bits[0] + steps * (1 if c >= 0 else -1)).astype(bits.dtype)
        values.append(around.view(dtype))
    values.append(rng.normal(0, 4, 20_000).astype(dtype))
    values.append(np.array([0.0, -0.0, 17.0, 20.0, -88.0, -104.0, 40.0, -750.0], dtype=dtype))
    x = np.concatenate(values)
    return x[np.isfinite(x)]


def both_ways(metric_args: dict, y: np.ndarray, x: np.ndarray) -> tuple[list, list]:
    fast = fm.AUC(from_logits=True, **metric_args)
    fast.update_state(y, x)
    slow = fm.AUC(from_logits=True, **metric_args)
    for start in range(0, len(x), SMALL):
        slow.update_state(y[start : start + SMALL], x[start : start + SMALL])
    return [np.asarray(v) for v in fast.variables], [np.asarray(v) for v in slow.variables]


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("input_dtype", [np.float32, np.float64])
@pytest.mark.parametrize("thresholds", [None, "uneven", "few", "ends"])
def test_large_batches_count_as_the_elementwise_sigmoid(dtype, input_dtype, thresholds):
    rng = np.random.default_rng(19)
    if thresholds is None:
        args: dict = {}
        t = np.arange(1, 199) / 199
    elif thresholds == "uneven":
        t = np.sort(rng.random(300))
        args = {"thresholds": list(t)}
    elif thresholds == "few":
        t = np.array([0.1, 0.5, 0.5, 0.9])
        args = {"thresholds": list(t)}
    else:
        t = np.array([0.0, 1e-30, 1e-7, 0.5, 1 - 1e-7, 1.0] + list(rng.random(20) ** 8))
        args = {"thresholds": list(t)}
    x = near_steps(input_dtype, t, 40, rng)
    y = (rng.random(len(x)) < 0.4).astype(np.float32)
    fast, slow = both_ways({**args, "dtype": dtype}, y, x)
    for f, s in zip(fast, slow):
        np.testing.assert_array_equal(f, s)


def test_multi_label_and_weights_too():
    rng = np.random.default_rng(7)
    x = rng.normal(0, 3, (20_000, 3)).astype(np.float32)
    y = (rng.random((20_000, 3)) < 0.5).astype(np.int8)
    w = rng.random(20_000).astype(np.float32)
    fast = fm.AUC(from_logits=True, multi_label=True)
    fast.update_state(y, x, w)
    slow = fm.AUC(from_logits=True, multi_label=True)
    for start in range(0, len(x), SMALL):
        part = slice(start, start + SMALL)
        slow.update_state(y[part], x[part], w[part])
    for f, s in zip(fast.variables, slow.variables):
        np.testing.assert_array_equal(np.asarray(f), np.asarray(s))


def test_a_bad_logit_is_still_reported_by_index():
    x = np.zeros(50_000, dtype=np.float32)
    x[31_337] = np.inf
    m = fm.AUC(from_logits=True)
    with pytest.raises(ValueError, match="must be finite. Received: inf at index 31337"):
        m.update_state(np.zeros(50_000), x)
    assert float(np.asarray(m.variables[0]).sum()) == 0.0

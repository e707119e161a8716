"""``precision_recall_at_equal_thresholds`` worked by hand, on both implementations
(SPEC section 9): inclusive buckets ``floor(p * (T - 1))``, counts, rates and their dtype, and no
data at all. Random inputs against the reference are in ``test_equal_thresholds_properties.py``.
"""

from __future__ import annotations

import numpy as np
import pytest
from support import each_implementation

FLOAT16_EPS = float(np.finfo(np.float16).eps)


@pytest.mark.parametrize("function", each_implementation("precision_recall_at_equal_thresholds"))
@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_equal_thresholds_inclusive_buckets(function, dtype) -> None:
    """SPEC 9: bucket floor(p * (T - 1)); counted at t_i when the bucket is >= i (inclusive).

    T = 5, thresholds [0, 0.25, 0.5, 0.75, 1]; p = [0, 0.25, 0.5, 1.0, 0.6] with labels
    [1, 0, 1, 1, 0]: buckets [0, 1, 2, 4, 2]. tp (labels 1: buckets 0, 2, 4) = [3, 2, 2, 1, 1];
    fp (buckets 1, 2) = [2, 2, 1, 0, 0]; tn = fp[0] - fp; fn = tp[0] - tp.
    """
    data = function([1, 0, 1, 1, 0], np.array([0, 0.25, 0.5, 1.0, 0.6], dtype), num_thresholds=5)
    assert np.array_equal(data.tp, np.array([3, 2, 2, 1, 1], dtype))
    assert np.array_equal(data.fp, np.array([2, 2, 1, 0, 0], dtype))
    assert np.array_equal(data.tn, np.array([0, 0, 1, 2, 2], dtype))
    assert np.array_equal(data.fn, np.array([0, 1, 1, 2, 2], dtype))
    assert np.array_equal(data.thresholds, np.array([0, 0.25, 0.5, 0.75, 1], dtype))
    expected_precision = np.array([3 / 5, 2 / 4, 2 / 3, 1.0, 1.0]).astype(dtype)
    np.testing.assert_allclose(data.precision, expected_precision, rtol=FLOAT16_EPS)
    assert data.precision.dtype == dtype
    # No data at all: 0 / max(1e-7, 0) = 0 everywhere.
    empty = function(np.zeros(0), np.zeros(0, dtype), num_thresholds=3)
    assert np.array_equal(empty.precision, np.zeros(3, dtype))

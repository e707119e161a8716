"""``ferrometrics._sklearn_inputs``: target types and labels as scikit-learn's ``type_of_target``.

The public functions' agreement with scikit-learn is tested in ``test_sklearn_api.py``; here the
target-type detection, which decides every path, is compared with scikit-learn's directly on
random targets of every form (1-D and 2-D; bools, small and large integers, integral and
fractional floats, strings), and the distinct labels with NumPy's ``unique``.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.utils.multiclass import type_of_target as sklearn_type_of_target

from ferrometrics._sklearn_inputs import distinct_values, type_of_target

ALPHABETS = {
    "bools": [False, True],
    "binary ints": [0, 1],
    "small ints": [0, 1, 2, 3],
    "signed ints": [-3, -1, 0, 2],
    "large ints": [0, 2**40, 2**62],
    "integral floats": [0.0, 1.0, 2.0],
    "binary floats": [0.0, 1.0],
    "fractions": [0.0, 0.5, 1.0],
    "strings": ["a", "b", "c"],
    "two strings": ["no", "yes"],
}


@given(data=st.data())
def test_type_of_target_is_scikit_learns(data) -> None:
    alphabet = ALPHABETS[data.draw(st.sampled_from(sorted(ALPHABETS)), label="alphabet")]
    shape = data.draw(
        st.sampled_from([(0,), (1,), (5,), (9,), (4, 1), (4, 2), (6, 3), (1, 3)]), label="shape"
    )
    size = int(np.prod(shape))
    values = data.draw(st.lists(st.sampled_from(alphabet), min_size=size, max_size=size))
    dtype = data.draw(st.sampled_from([None, np.uint8, np.int32]), label="dtype")
    y = np.array(values).reshape(shape)
    if dtype is not None and y.dtype.kind in "biu" and y.size and y.min() >= 0 and y.max() < 256:
        y = y.astype(dtype)
    ours = type_of_target(y)
    assert ours.kind == sklearn_type_of_target(y)
    if ours.classes is not None and y.size:
        np.testing.assert_array_equal(ours.classes, np.unique(y))


@pytest.mark.parametrize(
    "y",
    [
        np.array([3, 3, 3]),
        np.array([1, 0, 1, 1], dtype=bool),
        np.array([5, 9, 5]),
        np.array([0.0, 0.5, 0.0]),
        np.array([np.nan, 1.0]),
        np.arange(10).reshape(5, 2),
        np.array([7, 2, 9, 2, 7]),
        np.array([-4, 2, 9]),
        np.array(["b", "a", "b"]),
    ],
)
def test_distinct_values_are_numpys_unique(y) -> None:
    found = distinct_values(y)
    np.testing.assert_array_equal(found, np.unique(y))
    assert found.dtype == y.dtype

"""Group values to per-row group ids, once per batch and vectorised.

``encode(groups)`` returns ``(ids, keys)``: an int64 array with one id per row and the
list of distinct keys, ``keys[id]``. Keys are Python values (int, str, bool, float,
bytes; ``None`` for a missing value), tuples of them for a cross. Integers and bools are
coded by counting when their range is small, strings and other objects by pandas'
hash-based ``factorize`` (``numpy.unique`` without pandas), categoricals (pandas,
pyarrow dictionaries) from their codes. Python only loops over distinct keys.
"""

from __future__ import annotations

from typing import Any

import numpy as np

#: Integer ranges up to this many times the rows (plus a floor) are coded by counting.
_DENSE_RANGE_PER_ROW = 4
_DENSE_RANGE_FLOOR = 1 << 16


def encode(groups: Any) -> tuple[np.ndarray, list]:
    """Per-row ids and the distinct keys of ``groups`` (one array, or a tuple: a cross)."""
    if isinstance(groups, tuple):
        if not groups:
            raise ValueError("`groups` must be an array or a non-empty tuple of arrays")
        return _cross([_one(g) for g in groups])
    return _one(groups)


def _cross(parts: list[tuple[np.ndarray, list]]) -> tuple[np.ndarray, list]:
    lengths = {len(ids) for ids, _ in parts}
    if len(lengths) > 1:
        raise ValueError(
            "the arrays of a cross of `groups` must have one length. Received lengths: "
            + ", ".join(str(len(ids)) for ids, _ in parts)
        )
    sizes = [max(len(keys), 1) for _, keys in parts]
    if float(np.prod(sizes, dtype=np.float64)) < 2**62:
        combined = np.zeros(len(parts[0][0]), dtype=np.int64)
        for (ids, _), size in zip(parts, sizes):
            combined *= size
            combined += ids
        ids, present = _dense(combined)
        digits = []
        for size in reversed(sizes):
            digits.append(present % size)
            present = present // size
        digits.reverse()
    else:  # too many combinations for one int64 code: unique rows instead
        stacked = np.stack([ids for ids, _ in parts], axis=1)
        present_rows, ids = np.unique(stacked, axis=0, return_inverse=True)
        digits = list(present_rows.T)
    columns = [[keys[d] for d in digit.tolist()] for (_, keys), digit in zip(parts, digits)]
    return ids.reshape(-1).astype(np.int64, copy=False), list(zip(*columns))


def _one(values: Any) -> tuple[np.ndarray, list]:
    arrow = _arrow(values)
    if arrow is not None:
        return arrow
    categories = getattr(values, "cat", None)  # a categorical pandas Series
    if categories is not None and hasattr(categories, "codes"):
        return _categorical(np.asarray(categories.codes), list(categories.categories))
    if hasattr(values, "codes") and hasattr(values, "categories"):  # pandas Categorical
        return _categorical(np.asarray(values.codes), list(values.categories))
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(
            f"`groups` must be 1-D (one value per row). Received an array of shape {array.shape}"
        )
    if array.dtype.kind == "b":
        ids, present = _dense(array.view(np.uint8))
        return ids, [bool(v) for v in present.tolist()]
    if array.dtype.kind in "iu":
        ids, present = _dense(array)
        return ids, present.tolist()
    return _factorize(values if _is_pandas(values) else array)


def _dense(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids ``0..k`` of integer codes in ascending order of value, and the values present."""
    if codes.size == 0:
        return np.zeros(0, dtype=np.int64), codes.astype(np.int64)
    low, high = int(codes.min()), int(codes.max())
    if high - low <= max(_DENSE_RANGE_PER_ROW * codes.size, _DENSE_RANGE_FLOOR):
        shifted = codes.astype(np.int64) - low if low != 0 or codes.dtype != np.int64 else codes
        counts = np.bincount(shifted, minlength=high - low + 1)
        present = np.flatnonzero(counts)
        if len(present) == high - low + 1:  # every value present: the shifted codes are ids
            return shifted, present + low
        lookup = np.zeros(high - low + 1, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        return lookup[shifted], present + low
    present, ids = np.unique(codes, return_inverse=True)
    return ids.reshape(-1).astype(np.int64, copy=False), present


def _categorical(codes: np.ndarray, categories: list) -> tuple[np.ndarray, list]:
    """Codes into ``categories``, -1 for a missing value (key ``None``); only those present."""
    ids, present = _dense(codes)
    return ids, [None if c < 0 else _python(categories[c]) for c in present.tolist()]


def _factorize(values: Any) -> tuple[np.ndarray, list]:
    try:
        import pandas as pd
    except ImportError:
        array = np.asarray(values)
        try:
            present, ids = np.unique(array, return_inverse=True)
        except TypeError as error:
            raise TypeError(f"`groups` values cannot be compared: {error}") from None
        return ids.reshape(-1).astype(np.int64, copy=False), [_python(v) for v in present]
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = [_python(v) for v in np.asarray(uniques, dtype=object).tolist()]
    codes = np.asarray(codes, dtype=np.int64)
    if (codes < 0).any():  # missing values: one more key, None
        codes = np.where(codes < 0, len(keys), codes)
        keys.append(None)
    return codes, keys


def _arrow(values: Any) -> tuple[np.ndarray, list] | None:
    """A pyarrow array or chunked array (dictionary-encoded ones from their indices)."""
    module = type(values).__module__
    if not module.startswith("pyarrow"):
        return None
    import pyarrow as pa

    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks() if values.num_chunks != 1 else values.chunk(0)
    if pa.types.is_dictionary(values.type):
        indices = values.indices.fill_null(-1).to_numpy(zero_copy_only=False)
        return _categorical(np.asarray(indices), values.dictionary.to_pylist())
    if pa.types.is_integer(values.type) and values.null_count == 0:
        return _one(values.to_numpy(zero_copy_only=False))
    return _factorize(values.to_pandas())


def _is_pandas(values: Any) -> bool:
    return type(values).__module__.startswith("pandas")


def _python(value: Any) -> Any:
    """A key as a plain Python value (NumPy scalars unwrapped; NaN and NA as None)."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and value != value):
        return None
    if type(value).__name__ in ("NAType", "NaTType"):
        return None
    return value

"""Input conversion, validation, shape alignment and weight broadcasting (docs/semantics.md §2).

Everything here turns the user's ``(y_true, y_pred, sample_weight)`` into one flat batch of
``(labels, predictions, weights)`` that the counting code can use without further checks. Nothing
here touches metric state, so a bad input can never leave a metric half updated.

It also holds the checks of constructor arguments that several modules share:
:func:`parse_dtype`, :func:`is_integer` and :func:`check_optional_int`.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

# Keras's stand-in for minus infinity: predictions dropped by `top_k` are set to this value.
NEG_INF = -1e10

# NumPy dtype kinds that hold real numbers: bool, signed int, unsigned int, float.
_REAL_KINDS = "biuf"


@dataclass(frozen=True)
class Batch:
    """One validated update, flattened to one entry per (sample, class) pair.

    Attributes:
        labels: 1-D bool array, True where the label is 1.
        predictions: 1-D array in the metric dtype.
        weights: 1-D float64 array of the same length.
    """

    labels: np.ndarray
    predictions: np.ndarray
    weights: np.ndarray


def parse_dtype(dtype) -> str:
    """Returns the metric dtype name, ``"float32"`` (the default) or ``"float64"``.

    Args:
        dtype: None, ``"float32"``, ``"float64"``, ``np.float32``, ``np.float64`` or an
            equivalent ``np.dtype``.

    Raises:
        ValueError: for any other value.
    """
    if dtype is None:
        return "float32"
    if isinstance(dtype, str):
        name = dtype
    elif isinstance(dtype, np.dtype) or dtype is np.float32 or dtype is np.float64:
        name = np.dtype(dtype).name
    else:
        name = None
    if name in ("float32", "float64"):
        return name
    raise ValueError(
        f"Argument `dtype` must be 'float32' or 'float64' (or None). Received: dtype={dtype!r}"
    )


def is_integer(value) -> bool:
    """True for an integer argument: a Python or NumPy integer, but not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, (bool, np.bool_))


def check_optional_int(value, argument: str, minimum: int):
    """Returns ``value`` as an int (or None), refusing non-integers and values below ``minimum``."""
    if value is None:
        return None
    if not is_integer(value) or value < minimum:
        raise ValueError(
            f"Argument `{argument}` must be an integer >= {minimum}. Received: {argument}={value!r}"
        )
    return int(value)


def prepare_batch(
    y_true, y_pred, sample_weight, dtype: str, top_k: int | None = None, class_id: int | None = None
) -> Batch:
    """Validates one update and returns it as a flat :class:`Batch`.

    The order follows Keras: cast predictions to the metric dtype, align the shapes of
    ``y_true`` and ``y_pred``, broadcast the weights, apply ``top_k``, then keep column
    ``class_id``.

    Args:
        y_true: Labels, 0/1 or False/True, any real dtype.
        y_pred: Predictions, any finite real values.
        sample_weight: None, a scalar, or an array (see :func:`broadcast_weights`).
        dtype: The metric dtype name.
        top_k: Optional number of largest predictions to keep along the last axis.
        class_id: Optional column of the last axis to keep.

    Returns:
        The validated batch.

    Raises:
        TypeError: if an argument is not an array of real numbers.
        ValueError: for bad values or shapes.
    """
    labels = as_real_array(y_true, "y_true")
    predictions = as_real_array(y_pred, "y_pred")
    weights = None if sample_weight is None else as_real_array(sample_weight, "sample_weight")

    check_labels(labels)
    predictions = cast_predictions(predictions, dtype)
    if weights is not None:
        # Weights stay float64 like the state; Keras would round them to float32 first.
        weights = weights.astype(np.float64)
        check_finite(weights, weights, "sample_weight")

    labels, predictions = align_shapes(labels, predictions)
    weights = broadcast_weights(weights, labels.shape)

    if top_k is not None:
        predictions = keep_top_k(predictions, top_k)
    if class_id is not None:
        labels, predictions, weights = select_class(labels, predictions, weights, class_id)

    return Batch(
        labels=(labels == 1).ravel(),
        predictions=predictions.ravel(),
        weights=weights.ravel(),
    )


def as_real_array(value, argument: str) -> np.ndarray:
    """Converts ``value`` to a NumPy array with a real (bool, int or float) dtype.

    Args:
        value: Anything ``np.asarray`` accepts: scalars, (nested) lists, arrays, objects with
            ``__array__``. Object arrays are accepted when every element is a real number.
        argument: The argument name used in error messages.

    Raises:
        TypeError: for None, strings, complex numbers and other non-real objects.
        ValueError: for ragged nested lists, and for numbers float64 cannot hold (``10**400``).
    """
    if value is None or isinstance(value, (str, bytes)):
        raise TypeError(
            f"`{argument}` must be an array of real numbers. Received: {value!r} "
            f"of type {type(value).__name__}"
        )
    try:
        array = np.asarray(value)
    except ValueError as error:  # ragged nested sequences
        raise ValueError(f"`{argument}` could not be converted to an array: {error}") from error
    if array.dtype.kind == "O":
        return _object_array_as_float(array, argument)
    if array.dtype.kind == "c":
        raise TypeError(
            f"`{argument}` must be real, not complex. Received an array of dtype {array.dtype}"
        )
    if array.dtype.kind not in _REAL_KINDS:
        raise TypeError(
            f"`{argument}` must be an array of real numbers. "
            f"Received an array of dtype {array.dtype}"
        )
    return array


def _object_array_as_float(array: np.ndarray, argument: str) -> np.ndarray:
    """Converts an object array whose elements are all real numbers to float64.

    Raises:
        TypeError: for an element that is not a real number.
        ValueError: for a number float64 cannot hold, such as the Python int ``10**400``
            (docs/semantics.md §2: a bad value, not an ``OverflowError``).
    """
    values = np.empty(array.shape, dtype=np.float64)
    for index, element in np.ndenumerate(array):
        is_real = isinstance(element, (numbers.Real, np.bool_))
        if not is_real or isinstance(element, (str, bytes)):
            raise TypeError(
                f"`{argument}` must contain only real numbers. "
                f"Received an element {element!r} of type {type(element).__name__}"
            )
        try:
            values[index] = float(element)
        except OverflowError:
            raise ValueError(
                f"`{argument}` must contain only finite values (in float64). "
                f"Received a number too large for float64 at index {index}"
            ) from None
    return values


def check_labels(labels: np.ndarray, argument: str = "y_true") -> None:
    """Refuses labels other than 0, 1, False, True (this also catches NaN and infinity).

    Keras treats any non-zero label as positive; docs/semantics.md §2 makes this an error instead.
    """
    is_binary = (labels == 0) | (labels == 1)
    if not np.all(is_binary):
        bad_values = labels[~is_binary]
        raise ValueError(
            f"`{argument}` must contain only binary labels (0/1 or False/True). "
            f"Received {bad_values.size} other value(s), the first is {bad_values[0].item()!r}"
        )


def cast_predictions(predictions: np.ndarray, dtype: str) -> np.ndarray:
    """Casts predictions to the metric dtype and refuses NaN and infinity.

    The check runs after the cast so that a float64 value too large for float32 is refused
    too, rather than silently becoming infinity.
    """
    with np.errstate(over="ignore"):  # overflow is reported just below, with the value
        cast = predictions.astype(dtype)
    check_finite(cast, predictions, "y_pred")
    return cast


def check_finite(values: np.ndarray, original: np.ndarray, argument: str) -> None:
    """Refuses NaN and infinity in ``values``, naming the matching element of ``original``.

    Args:
        values: The array as it will be used (after any cast).
        original: The array as the user gave it, for the message.
        argument: The argument name used in the message.
    """
    is_finite = np.isfinite(values)
    if not np.all(is_finite):
        index = tuple(int(i) for i in np.argwhere(~is_finite)[0])
        raise ValueError(
            f"`{argument}` must contain only finite values (in {values.dtype}). "
            f"Received {original[index].item()!r} at index {index}"
        )


def check_unit_interval(values: np.ndarray, argument: str, hint: str) -> None:
    """Refuses values outside [0, 1] (docs/semantics.md §2: Keras would silently clip them).

    Args:
        values: The array as it will be used, already cast and checked to be finite.
        argument: The argument name used in the message.
        hint: A sentence appended to the message, saying what to do instead.

    Raises:
        ValueError: naming the first value outside [0, 1] and its index.
    """
    is_outside = (values < 0) | (values > 1)
    if np.any(is_outside):
        index = tuple(int(i) for i in np.argwhere(is_outside)[0])
        raise ValueError(
            f"`{argument}` must be in [0, 1]. Received: {values[index].item()!r} at index "
            f"{index}. {hint}"
        )


def align_shapes(labels: np.ndarray, predictions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Keras 3's ``squeeze_or_expand_to_same_rank``, then requires equal shapes.

    When the ranks differ by one and the higher-rank array ends in an axis of length 1, the
    lower-rank array gains that axis if it is 1-D (``(N,)`` with ``(N, 1)`` becomes ``(N, 1)``:
    one prediction per row, which matters for ``top_k`` and ``class_id``); otherwise the
    higher-rank array loses it.

    Raises:
        ValueError: if the shapes still differ, naming both shapes.
    """
    if labels.ndim == predictions.ndim + 1 and labels.shape[-1] == 1:
        if predictions.ndim == 1:
            predictions = predictions[:, None]
        else:
            labels = labels[..., 0]
    elif predictions.ndim == labels.ndim + 1 and predictions.shape[-1] == 1:
        if labels.ndim == 1:
            labels = labels[:, None]
        else:
            predictions = predictions[..., 0]
    if labels.shape != predictions.shape:
        raise ValueError(
            "`y_true` and `y_pred` must have the same shape. "
            f"Received: y_true.shape={labels.shape}, y_pred.shape={predictions.shape}"
        )
    return labels, predictions


def broadcast_weights(weights: np.ndarray | None, shape: tuple[int, ...]) -> np.ndarray:
    """Returns float64 sample weights of exactly ``shape`` (the aligned shape of ``y_true``).

    Rules (as Keras for the common cases):

    - None: every weight is 1.
    - A scalar, or an array of one element whatever its rank (such as shape ``(1, 1, 1)``):
      that weight for every element.
    - An array of the same rank: NumPy broadcasting.
    - A lower rank: the weights align with the *leading* axes, so shape ``(N,)`` with labels of
      shape ``(N, C)`` weighs whole rows. (NumPy would align trailing axes instead.)
    - One rank more, with a last axis of length 1: that axis is dropped, so ``(N, 1)`` weights
      go with labels of shape ``(N,)``.

    Raises:
        ValueError: when the weights do not fit, naming both shapes.
    """
    if weights is None:
        return np.ones(shape, dtype=np.float64)
    if weights.size == 1:
        return np.full(shape, weights.item(), dtype=np.float64)
    aligned = weights
    if aligned.ndim == len(shape) + 1 and aligned.shape[-1] == 1:
        aligned = aligned[..., 0]
    if aligned.ndim < len(shape):
        aligned = aligned.reshape(aligned.shape + (1,) * (len(shape) - aligned.ndim))
    try:
        return np.broadcast_to(aligned, shape).astype(np.float64)
    except ValueError:
        raise ValueError(
            f"`sample_weight` of shape {weights.shape} cannot be broadcast to the shape of "
            f"`y_true` and `y_pred` {shape}"
        ) from None


def keep_top_k(predictions: np.ndarray, k: int) -> np.ndarray:
    """Keeps the ``k`` largest predictions along the last axis and sets the others to -1e10.

    Ties go to the lowest index, as in ``tf.math.top_k``. A 1-D input is a single row, so the
    whole batch competes.

    Raises:
        ValueError: if ``predictions`` is a scalar or ``k`` exceeds the last dimension.
    """
    if predictions.ndim == 0 or k > predictions.shape[-1]:
        raise ValueError(
            "Argument `top_k` must not exceed the last dimension of `y_pred`. "
            f"Received: top_k={k}, y_pred.shape={predictions.shape}"
        )
    # A stable sort of the negated values lists the largest first, lowest index first on ties.
    largest_first = np.argsort(-predictions, axis=-1, kind="stable")
    is_kept = np.zeros(predictions.shape, dtype=bool)
    np.put_along_axis(is_kept, largest_first[..., :k], True, axis=-1)
    return np.where(is_kept, predictions, predictions.dtype.type(NEG_INF))


def select_class(
    labels: np.ndarray, predictions: np.ndarray, weights: np.ndarray, class_id: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Keeps column ``class_id`` of the last axis of labels, predictions and weights.

    Raises:
        ValueError: if the inputs have rank < 2 (Keras's message, with the aligned shape) or
            ``class_id`` is not a valid column.
    """
    if predictions.ndim < 2:
        raise ValueError(
            "When class_id is provided, y_pred must be a 2D array with shape "
            f"(num_samples, num_classes), found shape: {predictions.shape}"
        )
    num_classes = predictions.shape[-1]
    if not 0 <= class_id < num_classes:
        raise ValueError(
            f"Argument `class_id` must be in [0, {num_classes}) (the last dimension of "
            f"`y_pred`). Received: class_id={class_id}, y_pred.shape={predictions.shape}"
        )
    return labels[..., class_id], predictions[..., class_id], weights[..., class_id]

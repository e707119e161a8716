"""AUC, the area under the ROC, PR or PR-gain curve, in plain NumPy (docs/semantics.md §4).

``AUC`` keeps the full confusion matrix (``tp``, ``fp``, ``tn``, ``fn``) at ``T`` fixed thresholds
and approximates the area under a curve through those ``T`` points by a Riemann sum (or, for the
PR curve with ``summation_method="interpolation"``, by Davis & Goadrich's closed form).

Thresholds (as Keras): ``[-1e-7, 1/(T-1), ..., (T-2)/(T-1), 1 + 1e-7]`` by default; user thresholds
are sorted and the two epsilon end points are added. The end points lie just outside [0, 1] so
that every prediction in [0, 1] is positive at the first threshold and none at the last. Counting
takes Keras's even path (with epsilon ends: a prediction of 0 falls in bucket 0) for the default
thresholds and for user lists that are evenly spaced once 0 and 1 are added, the direct path
``p > dtype(t)`` otherwise.

Without ``multi_label`` every element of the input is one data point; with it, each column of a
rank-2 input is a label with its own curve, and the per-label areas are averaged.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

import numpy as np

from ._inputs import (
    align_shapes,
    as_real_array,
    broadcast_weights,
    cast_predictions,
    check_finite,
    check_labels,
    check_unit_interval,
    is_integer,
)
from ._metric import CONFUSION_MATRIX_VARIABLES, ReferenceMetric, divide_no_nan, variable
from ._thresholds import (
    confusion_counts,
    is_evenly_spaced,
    parse_thresholds,
    positive_by_bucket,
    positive_by_comparison,
)

__all__ = ["AUC", "AUCCurve", "AUCSummationMethod", "CurvePoints", "auc_thresholds", "sigmoid"]

# Keras's `backend.epsilon()`: the end thresholds sit this far outside [0, 1].
EPSILON = 1e-7

_RANGE_HINT = "Pass `from_logits=True` for logits, or apply a sigmoid first."


class AUCCurve(str, enum.Enum):
    """The curve an :class:`AUC` integrates: Keras's ``AUCCurve`` (``AUC.curve`` is a member).

    A ``str`` enum, so that a member equals its value (``AUCCurve.PR == "PR"``) and is written
    to JSON as that value. Defined here independently of ``ferrometrics.AUCCurve`` (the
    reference never imports the fast package), with the same members and values.

    Example:
        >>> m = AUC(curve="pr")
        >>> m.curve
        <AUCCurve.PR: 'PR'>
        >>> m.curve == "PR", m.curve.value, AUCCurve.from_str("ROC") is AUCCurve.ROC
        (True, 'PR', True)
    """

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key) -> AUCCurve:
        """Keras's ``AUCCurve.from_str``: the member for ``"roc"``/``"ROC"``, ``"pr"``/``"PR"``
        or ``"prgain"``/``"PRGAIN"``.

        Raises:
            ValueError: for any other key, with Keras's message.

        Example:
            >>> AUCCurve.from_str("prgain")
            <AUCCurve.PRGAIN: 'PRGAIN'>
            >>> AUCCurve.from_str("Roc")
            Traceback (most recent call last):
            ValueError: Invalid AUC curve value: "Roc". Expected values are ["PR", "ROC", "PRGAIN"]
        """
        if key in ("pr", "PR"):
            return AUCCurve.PR
        elif key in ("roc", "ROC"):
            return AUCCurve.ROC
        elif key in ("prgain", "PRGAIN"):
            return AUCCurve.PRGAIN
        else:
            raise ValueError(
                f'Invalid AUC curve value: "{key}". Expected values are ["PR", "ROC", "PRGAIN"]'
            )


class AUCSummationMethod(str, enum.Enum):
    """How an :class:`AUC` sums the areas between thresholds: Keras's ``AUCSummationMethod``
    (``AUC.summation_method`` is a member).

    ``INTERPOLATION``: the mean of the two heights of an interval (for PR, Davis & Goadrich's
    interpolation); ``MINORING``: the smaller; ``MAJORING``: the larger. A ``str`` enum, as
    :class:`AUCCurve`.

    Example:
        >>> m = AUC(summation_method="Majoring")
        >>> m.summation_method
        <AUCSummationMethod.MAJORING: 'majoring'>
        >>> m.summation_method == "majoring", m.summation_method.value
        (True, 'majoring')
    """

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key) -> AUCSummationMethod:
        """Keras's ``AUCSummationMethod.from_str``: the member for its lower-case value or that
        value capitalised (``"interpolation"`` or ``"Interpolation"``, ...).

        Raises:
            ValueError: for any other key, with Keras's message.

        Example:
            >>> AUCSummationMethod.from_str("Minoring")
            <AUCSummationMethod.MINORING: 'minoring'>
        """
        if key in ("interpolation", "Interpolation"):
            return AUCSummationMethod.INTERPOLATION
        elif key in ("majoring", "Majoring"):
            return AUCSummationMethod.MAJORING
        elif key in ("minoring", "Minoring"):
            return AUCSummationMethod.MINORING
        else:
            raise ValueError(
                f'Invalid AUC summation method value: "{key}". '
                'Expected values are ["interpolation", "majoring", "minoring"]'
            )


class CurvePoints(NamedTuple):
    """The points behind an AUC, one per threshold, lowest threshold first.

    Count arrays have shape ``(T,)``, or ``(T, L)`` for a multi-label AUC (``(T, 0)`` before
    a multi-label AUC without ``num_labels`` has seen data). Rates are in the metric dtype,
    computed from the counts cast to it; a rate whose denominator is 0 is 0.

    Attributes:
        thresholds: ``(T,)`` float64 thresholds, including the epsilon end points.
        tp: True positives (float64).
        fp: False positives (float64).
        tn: True negatives (float64).
        fn: False negatives (float64).
        precision: ``tp / (tp + fp)``.
        recall: ``tp / (tp + fn)`` (the true positive rate).
        fpr: ``fp / (fp + tn)`` (the false positive rate).

    Example:
        >>> m = AUC(num_thresholds=3)  # thresholds -1e-7, 0.5, 1 + 1e-7
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.6, 0.4, 0.9])
        >>> curve = m.curve_points()
        >>> curve.tp.tolist(), curve.fp.tolist()
        ([2.0, 1.0, 0.0], [2.0, 1.0, 0.0])
        >>> curve.recall.tolist()
        [1.0, 0.5, 0.0]
    """

    thresholds: np.ndarray
    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    precision: np.ndarray
    recall: np.ndarray
    fpr: np.ndarray


# Bound on thresholds x labels (as in the fast implementation): larger states are refused with
# a ValueError instead of exhausting memory.
MAX_STATE_ELEMENTS = 2**24


def _check_state_size(num_thresholds: int, labels: int) -> None:
    if num_thresholds * labels > MAX_STATE_ELEMENTS:
        raise ValueError(
            f"Argument `num_thresholds` is too large: {num_thresholds} thresholds x {labels} "
            f"labels exceeds the supported {MAX_STATE_ELEMENTS} state entries"
        )


def auc_thresholds(num_thresholds, thresholds=None) -> tuple[list[float], bool]:
    """Keras's AUC thresholds and whether Keras counts them on the even path.

    Args:
        num_thresholds: The number of thresholds ``T`` (an integer > 1), used only when
            ``thresholds`` is None.
        thresholds: None, or user thresholds in [0, 1] (a number or a list); they are sorted,
            duplicates are kept, and ``T = len(thresholds) + 2``.

    Returns:
        ``(values, evenly_spaced)``: the ``T`` thresholds as Python floats, ascending, with the
        end points ``-1e-7`` and ``1 + 1e-7``; and True when Keras takes the even path (always
        for the default thresholds; for user thresholds when ``[0.0] + sorted + [1.0]`` is
        evenly spaced).

    Raises:
        ValueError: for ``num_thresholds`` not an integer > 1, or
            thresholds outside [0, 1] or NaN.
        TypeError: for thresholds that are not real numbers.

    Example:
        >>> auc_thresholds(3)
        ([-1e-07, 0.5, 1.0000001], True)
        >>> auc_thresholds(200, thresholds=[0.75, 0.25, 0.5])
        ([-1e-07, 0.25, 0.5, 0.75, 1.0000001], True)
        >>> auc_thresholds(200, thresholds=[0.3])
        ([-1e-07, 0.3, 1.0000001], False)
    """
    if thresholds is None:
        if not is_integer(num_thresholds) or num_thresholds <= 1:
            raise ValueError(
                "Argument `num_thresholds` must be an integer > 1. "
                f"Received: num_thresholds={num_thresholds}"
            )
        count = int(num_thresholds)
        _check_state_size(count, 1)
        interior = [(i + 1) / (count - 1) for i in range(count - 2)]
        evenly_spaced = True
    else:
        # An empty list is valid here (as in Keras): just the two end points.
        empty = isinstance(thresholds, (list, tuple)) and len(thresholds) == 0
        interior = [] if empty else sorted(parse_thresholds(thresholds, default=0.5))
        evenly_spaced = is_evenly_spaced([0.0] + interior + [1.0])
    return [0.0 - EPSILON] + interior + [1.0 + EPSILON], evenly_spaced


def sigmoid(logits: np.ndarray) -> np.ndarray:
    """The logistic function, computed in float64 and rounded once to the dtype of ``logits``.

    Example:
        >>> sigmoid(np.array([0.0, 2.0, -800.0], dtype=np.float32))
        array([0.5      , 0.8807971, 0.       ], dtype=float32)
    """
    values = logits.astype(np.float64)
    with np.errstate(over="ignore"):  # exp(800) is inf and 1 / inf is the correct 0
        probabilities = 1.0 / (1.0 + np.exp(-values))
    return probabilities.astype(logits.dtype)


def _parse_choice(value, kind, message: str):
    """Returns the member of ``kind`` (:class:`AUCCurve` or :class:`AUCSummationMethod`) that
    ``value`` names: an enum member (of ``kind``, or Keras's enum of that name) by its value, or
    a string ``kind.from_str`` accepts.

    Raises:
        ValueError: ``message`` for anything else (``from_str``'s message for strings).
    """
    if isinstance(value, enum.Enum):
        value = value.value
    if not isinstance(value, str):
        raise ValueError(message)
    return kind.from_str(value)


def _parse_num_labels(num_labels, multi_label: bool):
    """Returns ``num_labels`` as an int (or None), refusing it without ``multi_label``."""
    if num_labels is None:
        return None
    if not multi_label:
        raise ValueError("`num_labels` is needed only when `multi_label` is True.")
    if not is_integer(num_labels) or num_labels <= 0:
        raise ValueError(
            f"Argument `num_labels` must be a positive integer. Received: num_labels={num_labels!r}"
        )
    return int(num_labels)


def _parse_label_weights(label_weights, num_labels) -> list[float] | None:
    """Returns ``label_weights`` as a list of floats, refusing anything that cannot weigh labels.

    Raises:
        TypeError: if the weights are not real numbers.
        ValueError: if they are not a non-empty 1-D list of finite, non-negative values, or
            do not have ``num_labels`` values.
    """
    if label_weights is None:
        return None
    weights = as_real_array(label_weights, "label_weights").astype(np.float64)
    if weights.ndim != 1 or weights.size == 0:
        raise ValueError(
            "`label_weights` must be a non-empty 1-D list of weights. "
            f"Received: label_weights with shape {weights.shape}"
        )
    if not np.all(np.isfinite(weights) & (weights >= 0)):
        raise ValueError(
            "`label_weights` must be finite and non-negative. "
            f"Received: label_weights={weights.tolist()}"
        )
    if num_labels is not None and weights.size != num_labels:
        raise ValueError(
            "`label_weights` must have `num_labels` values. "
            f"Received: {weights.size} values, num_labels={num_labels}"
        )
    return weights.tolist()


def _dnn_scalar(numerator, denominator):
    """``numerator / denominator`` for NumPy scalars, 0 when the denominator is 0."""
    return numerator / denominator if denominator != 0 else numerator * 0


def _riemann_areas(state: dict, curve: str, summation_method: str) -> np.ndarray:
    """Per-label areas by a Riemann sum over the thresholds (axis 0), in the state's dtype.

    Args:
        state: ``"tp"``, ``"fp"``, ``"tn"``, ``"fn"`` arrays of shape ``(T,)`` or ``(T, L)``,
            already in the metric dtype.
        curve: An :class:`AUCCurve` (or its value: ``"ROC"``, ``"PR"`` or ``"PRGAIN"``).
        summation_method: An :class:`AUCSummationMethod` (or ``"interpolation"``,
            ``"minoring"`` or ``"majoring"``).

    Returns:
        A scalar (``(T,)`` state) or an ``(L,)`` array.
    """
    tp, fp, tn, fn = state["tp"], state["fp"], state["tn"], state["fn"]
    one = tp.dtype.type(1)
    recall = divide_no_nan(tp, tp + fn)
    if curve == "ROC":
        x, y = divide_no_nan(fp, fp + tn), recall
    elif curve == "PR":
        x, y = recall, divide_no_nan(tp, tp + fp)
    else:  # PRGAIN (Flach & Kull), with Keras's fixes for tp == 0 and negative recall gain.
        scaling = divide_no_nan(tp + fn, tn + fp)
        recall_gain = one - scaling * divide_no_nan(fn, tp)
        precision_gain = one - scaling * divide_no_nan(fp, tp)
        recall_gain = np.where(tp == 0, tp.dtype.type(0), recall_gain)
        precision_gain = np.where(tp == 0, one, precision_gain)
        x, y = np.maximum(recall_gain, tp.dtype.type(0)), precision_gain

    # Index 0 is the lowest threshold: A = [:-1] (left point), B = [1:] (right point).
    if summation_method == "interpolation":
        heights = (y[:-1] + y[1:]) / tp.dtype.type(2)
    elif summation_method == "minoring":
        heights = np.minimum(y[:-1], y[1:])
    else:  # majoring
        heights = np.maximum(y[:-1], y[1:])
    return np.sum((x[:-1] - x[1:]) * heights, axis=0)


def _interpolated_pr_areas(state: dict) -> np.ndarray:
    """Per-label PR areas by Davis & Goadrich's interpolation (Keras's closed form).

    Between adjacent thresholds A (lower) and B, ``tp`` and ``p = tp + fp`` vary linearly, so
    precision ``tp / p`` is integrated exactly:
    ``slope * (dtp + intercept * log(p_A / p_B)) / (tp_B + fn_B)`` with ``slope = dtp / dp``
    and ``intercept = tp_B - slope * p_B``.

    Args:
        state: As for :func:`_riemann_areas`.

    Returns:
        A scalar (``(T,)`` state) or an ``(L,)`` array.
    """
    tp, fp, fn = state["tp"], state["fp"], state["fn"]
    zero = tp.dtype.type(0)
    p = tp + fp
    dtp = tp[:-1] - tp[1:]
    dp = p[:-1] - p[1:]
    slope = divide_no_nan(dtp, np.maximum(dp, zero))
    intercept = tp[1:] - slope * p[1:]
    safe_p_ratio = np.where(
        (p[:-1] > 0) & (p[1:] > 0),
        divide_no_nan(p[:-1], np.maximum(p[1:], zero)),
        tp.dtype.type(1),
    )
    increments = divide_no_nan(
        slope * (dtp + intercept * np.log(safe_p_ratio)),
        np.maximum(tp[1:] + fn[1:], zero),
    )
    return np.sum(increments, axis=0)


class AUC(ReferenceMetric):
    """Approximates the AUC (area under the curve) of the ROC, PR or PR-gain curve.

    The confusion matrix is accumulated at ``num_thresholds`` thresholds; the area under the
    curve through those points is then approximated by a Riemann sum. For the ROC curve
    ``x = fp / (fp + tn)`` and ``y = recall = tp / (tp + fn)``; for PR ``x = recall`` and
    ``y = precision = tp / (tp + fp)``; for PRGAIN Flach & Kull's recall and precision gains.
    ``summation_method="interpolation"`` uses the mean of adjacent heights (for PR, Davis &
    Goadrich's interpolation, see :meth:`interpolate_pr_auc`); ``"minoring"`` the smaller and
    ``"majoring"`` the larger, giving lower and upper bounds.

    Predictions must be probabilities in [0, 1] (Keras would silently clip others), or logits
    with ``from_logits=True``. Labels must be 0/1 or False/True. The state is kept in float64;
    ``result()`` casts it to the metric dtype and computes in that dtype.

    Args:
        num_thresholds: The number of thresholds, an integer > 1 (default 200), ignored when
            ``thresholds`` is given.
        curve: ``"ROC"`` (default), ``"PR"`` or ``"PRGAIN"`` (or lower case), or an
            :class:`AUCCurve` member.
        summation_method: ``"interpolation"`` (default), ``"minoring"`` or ``"majoring"``
            (or capitalised), or an :class:`AUCSummationMethod` member.
        name: Metric name, default ``"auc"``.
        dtype: ``"float32"`` (default) or ``"float64"``; comparisons and the result use it.
        thresholds: Optional list of thresholds in [0, 1]; they are sorted, and the end points
            ``-1e-7`` and ``1 + 1e-7`` are added, so ``num_thresholds = len(thresholds) + 2``.
        multi_label: If True, inputs have shape ``(N, L)``, each of the L labels gets its own
            curve and the result averages the L areas. If False, all elements are pooled.
        num_labels: The number of labels L, only with ``multi_label``. If None, the state is
            created at the first update.
        label_weights: Optional non-negative weights, one per label (column of the last axis).
            With ``multi_label`` they weight the per-label areas in the average; otherwise they
            multiply the sample weights of their column.
        from_logits: If True, predictions are logits and go through a sigmoid (computed in
            float64 and rounded to the metric dtype) before counting.

    Attributes:
        thresholds: The ``num_thresholds`` thresholds, Python floats, ascending.
        num_thresholds: Their number T.
        curve: The :class:`AUCCurve` member, whatever spelling was passed (as Keras).
        summation_method: The :class:`AUCSummationMethod` member (as Keras).

    Raises:
        ValueError: for invalid arguments, with Keras's messages.

    Example:
        Keras's documentation example: thresholds ``[-1e-7, 0.5, 1 + 1e-7]``,
        ``tp = [2, 1, 0]``, ``fp = [2, 0, 0]``, ``fn = [0, 1, 2]``, ``tn = [0, 2, 2]``,
        ``recall = [1, 0.5, 0]``, ``fp_rate = [1, 0, 0]``, so
        ``auc = ((1 + 0.5) / 2) * (1 - 0) + ((0.5 + 0) / 2) * (0 - 0) = 0.75``:

        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> m.thresholds
        [-1e-07, 0.5, 1.0000001]
        >>> print(m.true_positives, m.false_positives, m.false_negatives, m.true_negatives)
        [2. 1. 0.] [2. 0. 0.] [0. 1. 2.] [0. 2. 2.]
        >>> print(m.result())
        0.75
        >>> m.reset_state()
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
        >>> print(m.result())
        1.0

        Keras's test values, with weights ``[1, 2, 3, 4]``:

        >>> y_true, y_pred, weights = [0, 0, 1, 1], [0, 0.5, 0.3, 0.9], [1, 2, 3, 4]
        >>> print(AUC(num_thresholds=3)(y_true, y_pred, sample_weight=weights))
        0.78571427
        >>> m = AUC(num_thresholds=3, summation_method="minoring")
        >>> print(m(y_true, y_pred, sample_weight=weights))
        0.5714286
        >>> m = AUC(num_thresholds=3, curve="PR")
        >>> print(m(y_true, y_pred, sample_weight=weights))
        0.916613

        Multi-label data: one curve per column, areas averaged:

        >>> m = AUC(num_thresholds=3, multi_label=True)
        >>> m.variables
        []
        >>> m.update_state([[0, 1], [1, 0], [1, 1]], [[0.2, 0.9], [0.8, 0.1], [0.7, 0.4]])
        >>> print(m.true_positives)
        [[2. 2.]
         [2. 1.]
         [0. 0.]]
        >>> print(m.result())
        0.875

        Logits go through a sigmoid first:

        >>> m = AUC(num_thresholds=3, from_logits=True)
        >>> m.update_state([0, 0, 1, 1], [-3.0, 0.5, -0.5, 2.0])
        >>> print(m.result())
        0.5
    """

    _default_name = "auc"
    _variables = CONFUSION_MATRIX_VARIABLES
    # The counting configuration (docs/semantics.md §1). Not `num_labels`: a label count given
    # or learnt counts alike, and merge_state compares the label counts of the states instead.
    _merge_attributes = (
        "_thresholds",
        "curve",
        "summation_method",
        "multi_label",
        "label_weights",
        "from_logits",
        "dtype",
    )
    _unbuilt_reason = (
        "a multi-label AUC without `num_labels` creates its variables at the first update"
    )

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    true_negatives = variable("true_negatives")
    false_negatives = variable("false_negatives")

    def __init__(
        self,
        num_thresholds=200,
        curve="ROC",
        summation_method="interpolation",
        name=None,
        dtype=None,
        thresholds=None,
        multi_label=False,
        num_labels=None,
        label_weights=None,
        from_logits=False,
    ):
        # Validation order as Keras: thresholds, curve, summation method, dtype, num_labels.
        self._thresholds, self._evenly_spaced = auc_thresholds(num_thresholds, thresholds)
        self._user_thresholds = thresholds is not None
        self.curve = _parse_choice(
            curve,
            AUCCurve,
            f'Invalid AUC curve value: "{curve}". Expected values are ["PR", "ROC", "PRGAIN"]',
        )
        self.summation_method = _parse_choice(
            summation_method,
            AUCSummationMethod,
            f'Invalid AUC summation method value: "{summation_method}". '
            'Expected values are ["interpolation", "majoring", "minoring"]',
        )
        super().__init__(name, dtype)
        self.multi_label = bool(multi_label)
        self.num_labels = _parse_num_labels(num_labels, self.multi_label)
        _check_state_size(len(self._thresholds), self.num_labels or 1)
        self.label_weights = _parse_label_weights(label_weights, self.num_labels)
        self.from_logits = bool(from_logits)
        self.num_thresholds = len(self._thresholds)
        # None until a multi-label AUC without `num_labels` sees its first batch.
        self._state = None
        if not self.multi_label:
            self._state = self._zero_state(self.num_thresholds)
        elif self.num_labels is not None:
            self._state = self._zero_state((self.num_thresholds, self.num_labels))

    @property
    def thresholds(self) -> list[float]:
        """The thresholds, Python floats, ascending, including the epsilon end points."""
        return list(self._thresholds)

    def _data_size(self):
        """The number of labels L of a built multi-label state, else None."""
        if self._state is None or not self.multi_label:
            return None
        return self._state["true_positives"].shape[1]

    def _data_size_mismatch(self, mine: int, theirs: int) -> str:
        return (
            f"Cannot merge multi-label AUC metrics with different label counts: {mine} and {theirs}"
        )

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        """Accumulates the confusion-matrix counts of one batch.

        The batch is validated and counted completely before the state changes, so an invalid
        batch leaves the metric as it was.

        Args:
            y_true: Labels, 0/1 or False/True, same shape as ``y_pred`` (up to a trailing
                axis of length 1).
            y_pred: Probabilities in [0, 1], or finite logits with ``from_logits=True``. With
                ``multi_label``, shape ``(N, L)``.
            sample_weight: Optional weights: a scalar, an array broadcastable to ``y_true``,
                or an array aligned with its leading axes (such as one weight per row).

        Raises:
            TypeError: if an input is not an array of real numbers.
            ValueError: for non-binary labels, non-finite values, predictions outside [0, 1]
                (without ``from_logits``), incompatible shapes, or a label count that differs
                from ``num_labels``, the first update's, or the length of ``label_weights``.
        """
        labels = as_real_array(y_true, "y_true")
        predictions = as_real_array(y_pred, "y_pred")
        weights = None if sample_weight is None else as_real_array(sample_weight, "sample_weight")
        if self.multi_label and predictions.ndim != 2:
            raise ValueError(
                "`y_pred` must have rank 2 when `multi_label=True`. "
                f"Found rank {predictions.ndim}. "
                f"Full shape received for `y_pred`: {predictions.shape}"
            )

        check_labels(labels)
        predictions = cast_predictions(predictions, self.dtype)
        if self.from_logits:
            predictions = sigmoid(predictions)
        else:
            check_unit_interval(predictions, "y_pred", _RANGE_HINT)
        if weights is not None:
            # Weights stay float64 like the state; Keras would round them to float32 first.
            weights = weights.astype(np.float64)
            check_finite(weights, weights, "sample_weight")

        labels, predictions = align_shapes(labels, predictions)
        weights = broadcast_weights(weights, labels.shape)
        is_positive = labels == 1

        if self.multi_label:
            counts = self._count_multi_label(is_positive, predictions, weights)
        else:
            weights = self._apply_label_weights(weights)
            counts = self._count(is_positive.ravel(), predictions.ravel(), weights.ravel())
        self._add_counts(counts)

    def _apply_label_weights(self, weights: np.ndarray) -> np.ndarray:
        """Multiplies ``label_weights`` into the sample weights of their column (last axis).

        A 0-D or 1-D input is a single column. An empty batch is left alone.
        """
        if self.label_weights is None or weights.size == 0:
            return weights
        num_columns = weights.shape[-1] if weights.ndim >= 2 else 1
        if len(self.label_weights) != num_columns:
            raise ValueError(
                f"`label_weights` has {len(self.label_weights)} values but `y_pred` has "
                f"{num_columns} columns (its last dimension). Received: y_pred.shape="
                f"{weights.shape}"
            )
        return weights * np.asarray(self.label_weights, dtype=np.float64)

    def _count_multi_label(
        self, is_positive: np.ndarray, predictions: np.ndarray, weights: np.ndarray
    ) -> dict:
        """Counts each column of ``(N, L)`` inputs separately: ``(T, L)`` arrays.

        Raises:
            ValueError: if L is 0 or differs from the built state or from ``label_weights``.
        """
        num_labels = predictions.shape[1]
        if num_labels == 0:
            raise ValueError(
                "`y_pred` must have at least one label column when `multi_label=True`. "
                f"Received: y_pred.shape={predictions.shape}"
            )
        built = self._data_size()
        if built is not None and num_labels != built:
            raise ValueError(
                f"`y_pred` has {num_labels} labels but this multi-label AUC holds {built} "
                f"(fixed by `num_labels` or the first update). "
                f"Received: y_pred.shape={predictions.shape}"
            )
        if self.label_weights is not None and len(self.label_weights) != num_labels:
            raise ValueError(
                f"`label_weights` has {len(self.label_weights)} values but `y_pred` has "
                f"{num_labels} labels"
            )
        per_label = [
            self._count(is_positive[:, label], predictions[:, label], weights[:, label])
            for label in range(num_labels)
        ]
        return {
            count: np.stack([counts[count] for counts in per_label], axis=1)
            for count in ("tp", "fp", "tn", "fn")
        }

    def _count(self, is_positive: np.ndarray, predictions: np.ndarray, weights: np.ndarray):
        """Weighted ``tp``, ``fp``, ``tn``, ``fn`` per threshold of flat inputs, on Keras's path."""
        if self._evenly_spaced:
            # The end thresholds always carry epsilon, so a prediction of 0 lands in bucket 0.
            positive = positive_by_bucket(predictions, self.num_thresholds, with_epsilon=True)
        else:
            positive = positive_by_comparison(predictions, self._thresholds)
        return confusion_counts(is_positive, positive, weights)

    def _average(self, areas):
        """The result from the per-label areas: the area itself, or the (weighted) mean."""
        scalar = np.dtype(self.dtype).type
        if not self.multi_label:
            return scalar(areas)
        if self.label_weights is None:
            return scalar(np.mean(areas))
        label_weights = np.asarray(self.label_weights, dtype=self.dtype)
        return scalar(_dnn_scalar(np.sum(areas * label_weights), np.sum(label_weights)))

    def result(self):
        """Returns the AUC, a NumPy scalar of the metric dtype (0.0 before any data).

        The float64 state is cast to the metric dtype and all arithmetic runs in that dtype.
        PR with ``"interpolation"`` is :meth:`interpolate_pr_auc`.
        """
        if self._state is None:
            return np.dtype(self.dtype).type(0.0)
        if self.curve == AUCCurve.PR and self.summation_method == AUCSummationMethod.INTERPOLATION:
            return self.interpolate_pr_auc()
        areas = _riemann_areas(self._state_in_dtype(), self.curve, self.summation_method)
        return self._average(areas)

    def interpolate_pr_auc(self):
        """Returns the area under the PR curve by Davis & Goadrich's interpolation.

        Whatever ``curve`` and ``summation_method`` are, this is what ``result()`` gives for
        ``curve="PR"`` with ``"interpolation"``. Precision ``tp / p`` (``p = tp + fp``) is
        not linear between thresholds, but ``tp`` and ``p`` are modelled as linear, so within
        an interval ``[A, B]`` with ``slope = dtp / dp`` and ``intercept = tp_B - slope * p_B``
        the area is ``slope * (dtp + intercept * log(p_A / p_B)) / (tp_B + fn_B)`` (Keras's
        closed form; where ``p_A`` or ``p_B`` is 0 the log term is 0).

        Returns:
            A NumPy scalar of the metric dtype (0.0 before any data).

        Example:
            >>> m = AUC(num_thresholds=3)
            >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 2, 3, 4])
            >>> print(m.interpolate_pr_auc())
            0.916613
        """
        if self._state is None:
            return np.dtype(self.dtype).type(0.0)
        return self._average(_interpolated_pr_areas(self._state_in_dtype()))

    def curve_points(self) -> CurvePoints:
        """Returns the curve's points: thresholds, counts, precision, recall and fpr.

        Beyond Keras. Index 0 is the lowest threshold (``-1e-7``).

        Example:
            >>> m = AUC(num_thresholds=3)
            >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
            >>> c = m.curve_points()
            >>> print(c.thresholds, c.recall, c.fpr, c.precision)
            [-1.0000000e-07  5.0000000e-01  1.0000001e+00] [1.  0.5 0. ] [1. 0. 0.] [0.5 1.  0. ]
        """
        thresholds = np.asarray(self._thresholds, dtype=np.float64)
        if self._state is None:
            empty = np.zeros((self.num_thresholds, 0), dtype=np.float64)
            state = {count: empty for count in ("tp", "fp", "tn", "fn")}
        else:
            state = {count: self._state[name].copy() for name, count in self._variables}
        tp, fp, tn, fn = (state[count].astype(self.dtype) for count in ("tp", "fp", "tn", "fn"))
        return CurvePoints(
            thresholds=thresholds,
            tp=state["tp"],
            fp=state["fp"],
            tn=state["tn"],
            fn=state["fn"],
            precision=divide_no_nan(tp, tp + fp),
            recall=divide_no_nan(tp, tp + fn),
            fpr=divide_no_nan(fp, fp + tn),
        )

    def get_config(self) -> dict:
        """Returns the constructor arguments (Keras 3 keys), so that ``from_config`` rebuilds.

        ``thresholds`` (the sorted interior thresholds) is present only when the user gave
        thresholds; ``num_thresholds`` is then ignored by the constructor.

        Example:
            >>> config = AUC(thresholds=[0.7, 0.2], curve="pr").get_config()
            >>> config  # doctest: +NORMALIZE_WHITESPACE
            {'name': 'auc', 'dtype': 'float32', 'num_thresholds': 4, 'curve': 'PR',
             'summation_method': 'interpolation', 'multi_label': False, 'num_labels': None,
             'label_weights': None, 'from_logits': False, 'thresholds': [0.2, 0.7]}
        """
        config = {
            **super().get_config(),
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else list(self.label_weights),
            "from_logits": self.from_logits,
        }
        if self._user_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config

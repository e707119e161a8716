"""scikit-learn's ranking metrics, exact and fast: a drop-in for four ``sklearn.metrics`` functions.

``from ferrometrics.sklearn import roc_auc_score`` (or ``average_precision_score``,
``roc_curve``, ``precision_recall_curve``) in place of ``from sklearn.metrics import ...``: the
same signatures and defaults, the same results (to float64 rounding), the same errors
(``ValueError``, ``TypeError``) and warnings for the same inputs, as scikit-learn 1.9.
scikit-learn itself is not needed.

Each binary problem is counted once into an exact curve: for every distinct score, the weighted
number of positives and negatives with that score (docs/semantics.md §13). The ROC area, the
average precision and the curves are read off that table.

Terms used below:

- *binary* ``y_true``: a 1-D array with at most two distinct labels (numbers, strings or bools);
- *multi-class* ``y_true``: a 1-D array with three or more labels;
- *multi-label* ``y_true``: a 2-D indicator matrix ``(n_samples, n_labels)`` of two values
  (0/1, or -1/1), each column one binary problem;
- *scores* ``y_score``: higher means more likely positive (probabilities or decision values).

Differences from scikit-learn 1.9, all on inputs it mishandles or on the last bits of a sum:

- where scikit-learn fails with an ``AttributeError`` (a list ``y_score`` for a multi-class
  ``average_precision_score``) or a broadcasting error (empty inputs to the curves), a
  ``ValueError`` here says what is wrong;
- with negative sample weights, scikit-learn's error for a ROC curve that goes back prints the
  curve, whose ``-0.`` may print as ``0.`` here;
- weighted totals are summed per distinct score, then cumulated (scikit-learn cumulates per
  sample): weighted results agree to float64 rounding, not always to the last bit.
"""

from __future__ import annotations

import numpy as np

from ._sklearn_average import CodeColumns, IndicatorColumns, average_binary_score
from ._sklearn_average import average_ovo_score as _average_ovo_score
from ._sklearn_binary import (
    average_precision_metric,
    binary_curve,
    roc_auc_metric,
    warn_curve_classes,
    warn_no_positives,
)
from ._sklearn_errors import InvalidParameterError, UndefinedMetricWarning
from ._sklearn_inputs import (
    as_array,
    check_not_empty,
    check_numeric,
    check_pos_label_consistency,
    column_or_1d,
    type_of_target,
)
from ._sklearn_params import (
    check_array_like,
    check_bool,
    check_max_fpr,
    check_option,
    check_pos_label,
)

__all__ = [
    "InvalidParameterError",
    "UndefinedMetricWarning",
    "average_precision_score",
    "precision_recall_curve",
    "roc_auc_score",
    "roc_curve",
]

_AVERAGES = ("macro", "weighted", "samples", "micro")


def roc_auc_score(
    y_true,
    y_score,
    *,
    average="macro",
    sample_weight=None,
    max_fpr=None,
    multi_class="raise",
    labels=None,
):
    """Area under the ROC curve (true positive rate against false positive rate).

    The probability that a random positive scores above a random negative (ties count half),
    computed exactly from the scores: the trapezoidal area through the ROC points at every
    distinct score.

    Args:
        y_true: True labels, shape ``(n_samples,)`` for binary and multi-class targets (in a
            binary target the greater label is the positive class), or a multi-label indicator
            matrix ``(n_samples, n_labels)``.
        y_score: Scores, shape ``(n_samples,)`` for a binary target (the score of the greater
            label), ``(n_samples, n_classes)`` of probabilities summing to 1 for a multi-class
            target (columns in the order of ``labels``, or of the sorted labels of ``y_true``),
            ``(n_samples, n_labels)`` for a multi-label target.
        average: How per-label areas are combined (multi-label and multi-class targets only):
            ``"macro"`` their mean; ``"weighted"`` their mean weighted by each label's
            (weighted) number of positives; ``"micro"`` one area over every element of the
            indicator matrix; ``"samples"`` the mean of per-sample areas (multi-label only);
            None: the per-label areas as an array. Multi-class accepts ``"macro"``,
            ``"weighted"``, and with ``multi_class="ovr"`` also ``"micro"`` and None.
        sample_weight: Weights of the samples, shape ``(n_samples,)``; None weighs all by 1.
        max_fpr: If given in (0, 1), the area over false positive rates in ``[0, max_fpr]``
            only, standardised (McClish 1989) so that a random ranking gives 0.5 and a perfect
            one 1. Binary and multi-label targets only.
        multi_class: For a multi-class target, ``"ovr"`` (each class against all others, then
            averaged) or ``"ovo"`` (Hand & Till 2001: the mean over pairs of classes, without
            sample weights). The default ``"raise"`` raises for a multi-class target.
        labels: Multi-class only: the sorted labels that the columns of ``y_score`` stand for
            (default: the labels found in ``y_true``).

    Returns:
        A float; an array of per-label areas when ``average`` is None. NaN (with an
        :class:`UndefinedMetricWarning`) when a binary problem has only one class.

    Raises:
        ValueError: Inconsistent lengths or shapes, NaN or infinite scores, a target type
            that is not supported, multi-class probabilities not summing to 1, bad ``labels``.
        InvalidParameterError: An argument of the wrong type or value (a ``ValueError`` and a
            ``TypeError``).

    Example:
        >>> roc_auc_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.75
    """
    _check_roc_auc_arguments(y_true, y_score, average, sample_weight, max_fpr, multi_class, labels)
    target = type_of_target(y_true, input_name="y_true")
    y_true = target.values
    if y_true.ndim >= 3:
        raise ValueError(f"Found array with dim {y_true.ndim}, while dim <= 2 is required.")
    check_not_empty(y_true)
    y_score = check_numeric(y_score)
    if sample_weight is not None:
        sample_weight = column_or_1d(as_array(sample_weight))

    if target.kind == "multiclass" or (
        target.kind == "binary" and y_score.ndim == 2 and y_score.shape[1] > 2
    ):
        if max_fpr is not None and max_fpr != 1.0:
            raise ValueError(
                "Partial AUC computation not available in multiclass setting, 'max_fpr' must "
                f"be set to `None`, received `max_fpr={max_fpr}` instead"
            )
        if multi_class == "raise":
            raise ValueError("multi_class must be in ('ovo', 'ovr')")
        return _multiclass_roc_auc(target, y_score, labels, multi_class, average, sample_weight)
    metric = roc_auc_metric(max_fpr)
    if target.kind == "binary":
        # scikit-learn binarises y_true: the greater of two labels is the positive class.
        positive = target.classes[-1]
        triples = [(y_true, y_score, positive)]
        return metric(triples, sample_weight, target.classes, scores_checked=True)
    if target.kind != "multilabel-indicator":
        raise ValueError(f"{target.kind} format is not supported")
    columns = IndicatorColumns(y_true, target.classes)
    return average_binary_score(
        metric, columns, y_score, average, sample_weight, scores_checked=True
    )


def _check_roc_auc_arguments(y_true, y_score, average, sample_weight, max_fpr, multi_class, labels):
    name = "roc_auc_score"
    check_array_like(y_true, "y_true", name)
    check_array_like(y_score, "y_score", name)
    check_option(average, "average", name, _AVERAGES, optional=True)
    check_array_like(sample_weight, "sample_weight", name, optional=True)
    check_max_fpr(max_fpr, name)
    check_option(multi_class, "multi_class", name, ("raise", "ovr", "ovo"), optional=False)
    check_array_like(labels, "labels", name, optional=True)


def _multiclass_roc_auc(target, y_score, labels, multi_class, average, sample_weight):
    """scikit-learn's ``_multiclass_roc_auc_score``: its checks, then ovr or ovo."""
    if y_score.ndim != 2:
        raise ValueError(
            "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` contains "
            f"multiple classes. Got `y_score.shape={y_score.shape}`."
        )
    if not _rows_sum_to_one(y_score):
        raise ValueError(
            "Target scores need to be probabilities for multiclass roc_auc, i.e. they should "
            "sum up to 1.0 over classes"
        )
    options = ("macro", "weighted", None)
    if multi_class == "ovr":
        options = ("micro", *options)
    if average not in options:
        raise ValueError(f"average must be one of {options} for multiclass problems")
    if average is None and multi_class == "ovo":
        raise NotImplementedError("average=None is not implemented for multi_class='ovo'.")
    classes = _multiclass_labels(target, labels, y_score.shape[1])
    codes = _class_indices(column_or_1d(target.values), classes)
    metric = roc_auc_metric(None)
    if multi_class == "ovo":
        if sample_weight is not None:
            raise ValueError(
                "sample_weight is not supported for multiclass one-vs-one ROC AUC, "
                "'sample_weight' must be None in this case."
            )
        return _average_ovo_score(metric, codes, y_score, average)
    columns = CodeColumns(codes, classes.shape[0])
    return average_binary_score(
        metric, columns, y_score, average, sample_weight, scores_checked=True
    )


def _rows_sum_to_one(y_score: np.ndarray) -> bool:
    """scikit-learn's ``np.allclose(1, y_score.sum(axis=1))``, in blocks of rows.

    Row sums as a product with ones: far faster than NumPy's reduction over a short axis (the
    rounding may differ in the last bit, which a 1e-5 tolerance cannot notice).
    """
    rows = max(1, (1 << 16) // max(1, y_score.shape[1]))
    ones = np.ones(y_score.shape[1], dtype=np.result_type(y_score.dtype, np.float64))
    return all(
        np.allclose(1, y_score[start : start + rows] @ ones)
        for start in range(0, y_score.shape[0], rows)
    )


def _multiclass_labels(target, labels, n_columns: int) -> np.ndarray:
    """The classes the columns of ``y_score`` stand for, checked as scikit-learn does."""
    if labels is None:
        if target.classes.shape[0] != n_columns:
            raise ValueError(
                "Number of classes in y_true not equal to the number of columns in 'y_score'"
            )
        return target.classes
    labels = column_or_1d(as_array(labels))
    classes = np.unique(labels)
    if classes.shape[0] != labels.shape[0]:
        raise ValueError("Parameter 'labels' must be unique")
    if not np.array_equal(classes, labels):
        raise ValueError("Parameter 'labels' must be ordered")
    if classes.shape[0] != n_columns:
        raise ValueError(
            f"Number of given labels, {classes.shape[0]}, not equal to the number of columns "
            f"in 'y_score', {n_columns}"
        )
    if np.setdiff1d(target.classes, classes).shape[0]:
        raise ValueError("'y_true' contains labels not in parameter 'labels'")
    return classes


def _class_indices(y_true: np.ndarray, classes: np.ndarray) -> np.ndarray:
    """The index in ``classes`` (sorted) of each label; ``y_true`` itself when it is one."""
    if y_true.dtype.kind in "iu" and np.array_equal(classes, np.arange(classes.shape[0])):
        return y_true.astype(np.intp, copy=False)
    return np.searchsorted(classes, y_true)


def average_precision_score(y_true, y_score, *, average="macro", pos_label=1, sample_weight=None):
    """Average precision: the precision at each threshold weighted by the recall it adds.

    ``AP = sum_n (R_n - R_{n-1}) P_n`` over the distinct scores in decreasing order, where
    ``P_n`` and ``R_n`` are the precision and recall of predicting positive every sample that
    scores at least the n-th threshold. Not interpolated (unlike a trapezoidal area under the
    precision-recall curve, which can be optimistic).

    Args:
        y_true: True labels: binary ``(n_samples,)``, multi-class ``(n_samples,)`` (each class
            against the rest), or a multi-label indicator matrix ``(n_samples, n_labels)``.
        y_score: Scores, ``(n_samples,)`` for a binary target (the score of ``pos_label``),
            ``(n_samples, n_classes)`` (columns in the sorted order of the labels) or
            ``(n_samples, n_labels)``.
        average: How per-label values are combined (multi-label and multi-class targets):
            ``"macro"`` their mean; ``"weighted"`` their mean weighted by each label's
            (weighted) number of positives; ``"micro"`` one value over every element of the
            indicator matrix; ``"samples"`` the mean of per-sample values; None: the per-label
            values as an array.
        pos_label: The positive label of a binary target (int, float, bool or str). Must be 1
            (the default) for multi-label and multi-class targets.
        sample_weight: Weights of the samples, shape ``(n_samples,)``; None weighs all by 1.

    Returns:
        A float (an array of per-label values when ``average`` is None); 0.0, with a
        ``UserWarning``, for a problem without positives.

    Raises:
        ValueError: ``pos_label`` not among two labels, inconsistent lengths or shapes, NaN or
            infinite scores, a target type that is not supported.
        InvalidParameterError: An argument of the wrong type or value.

    Example:
        >>> average_precision_score([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        0.8333333333333333
    """
    name = "average_precision_score"
    check_array_like(y_true, "y_true", name)
    check_array_like(y_score, "y_score", name)
    check_option(average, "average", name, _AVERAGES, optional=True)
    check_pos_label(pos_label, name, optional=False)
    check_array_like(sample_weight, "sample_weight", name, optional=True)
    if sample_weight is not None:
        sample_weight = column_or_1d(as_array(sample_weight))
    y_score = as_array(y_score)

    target = type_of_target(y_true, input_name="y_true")
    present = target.classes
    if target.kind == "binary":
        if present.shape[0] == 2 and not _contains(present, pos_label):
            raise ValueError(
                f"pos_label={pos_label} is not a valid label. It should be one of {present}"
            )
        triples = [(target.values, y_score, pos_label)]
        return average_precision_metric(triples, sample_weight, present)
    if target.kind == "multilabel-indicator":
        if pos_label != 1:
            raise ValueError(_FIXED_POS_LABEL.format(kind=target.kind))
        columns = IndicatorColumns(target.values, present)
    elif target.kind == "multiclass":
        if pos_label != 1:
            raise ValueError(_FIXED_POS_LABEL.format(kind=target.kind))
        y_true = column_or_1d(target.values)
        if y_score.shape != (y_true.shape[0], present.shape[0]):
            raise ValueError(
                "`y_score` needs to be of shape `(n_samples, n_classes)`, since `y_true` "
                f"contains multiple classes. Got `y_score.shape={y_score.shape}`."
            )
        columns = CodeColumns(_class_indices(y_true, present), present.shape[0])
    else:
        raise ValueError(f"{target.kind} format is not supported")
    return average_binary_score(average_precision_metric, columns, y_score, average, sample_weight)


_FIXED_POS_LABEL = (
    "Parameter pos_label is fixed to 1 for {kind} y_true. Do not set pos_label or set "
    "pos_label to 1."
)


def _contains(labels: np.ndarray, label) -> bool:
    # NumPy's `label in labels`: False when the types cannot be compared.
    return bool(np.any(np.asarray(labels == label)))


def roc_curve(y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=True):
    """The ROC curve of a binary problem: false and true positive rates at every threshold.

    Args:
        y_true: True labels, shape ``(n_samples,)``: two labels, or more with ``pos_label``.
        y_score: Scores, shape ``(n_samples,)``: higher means more likely positive.
        pos_label: The positive label (int, float, bool or str). None means 1, allowed only
            when the labels are {0, 1} or {-1, 1} (or one of those).
        sample_weight: Weights of the samples, shape ``(n_samples,)``; None weighs all by 1.
            Samples of weight 0 are left out (their scores are no thresholds).
        drop_intermediate: Leave out the thresholds whose point lies on a straight line
            between its neighbours (the curve and its area are unchanged).

    Returns:
        ``(fpr, tpr, thresholds)``, float64 arrays of one length. ``thresholds`` decrease: the
        first is ``inf`` (nothing predicted positive: the point (0, 0)), then the distinct
        scores. ``fpr[i]`` (``tpr[i]``) is the weighted share of negatives (positives) that
        score at least ``thresholds[i]``. Without negatives (positives) ``fpr`` (``tpr``) is
        all NaN, with an :class:`UndefinedMetricWarning`.

    Example:
        >>> fpr, tpr, thresholds = roc_curve([1, 1, 2, 2], [0.1, 0.4, 0.35, 0.8], pos_label=2)
        >>> fpr, tpr, thresholds
        (array([0. , 0. , 0.5, 0.5, 1. ]), array([0. , 0.5, 0.5, 1. , 1. ]), array([ inf, 0.8 , 0.4 , 0.35, 0.1 ]))
    """  # noqa: E501
    curve, _ = _curve_of("roc_curve", y_true, y_score, pos_label, sample_weight, drop_intermediate)
    fpr, tpr, thresholds = curve.roc_curve(drop_intermediate=bool(drop_intermediate))
    warn_curve_classes(curve)
    return fpr, tpr, thresholds


def precision_recall_curve(
    y_true, y_score, *, pos_label=None, sample_weight=None, drop_intermediate=False
):
    """Precision and recall of a binary problem at every threshold.

    Args:
        y_true: True labels, shape ``(n_samples,)``: two labels, or more with ``pos_label``.
        y_score: Scores, shape ``(n_samples,)``: higher means more likely positive.
        pos_label: The positive label (int, float, bool or str). None means 1, allowed only
            when the labels are {0, 1} or {-1, 1} (or one of those).
        sample_weight: Weights of the samples, shape ``(n_samples,)``; None weighs all by 1.
            Samples of weight 0 are left out (their scores are no thresholds).
        drop_intermediate: Keep only the first and last of the thresholds that share one
            recall (the points a plot of the curve needs).

    Returns:
        ``(precision, recall, thresholds)``. ``thresholds`` are the distinct scores,
        increasing (in the dtype of ``y_score``); ``precision[i]`` and ``recall[i]`` are those
        of predicting positive every sample scoring at least ``thresholds[i]``, and the last
        elements, precision 1 and recall 0, have no threshold. Without positives recall is 1
        everywhere (with a ``UserWarning``).

    Example:
        >>> precision, recall, thresholds = precision_recall_curve(
        ...     [0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> precision, recall, thresholds
        (array([0.5       , 0.66666667, 0.5       , 1.        , 1.        ]), array([1. , 1. , 0.5, 0.5, 0. ]), array([0.1 , 0.35, 0.4 , 0.8 ]))
    """  # noqa: E501
    curve, score_dtype = _curve_of(
        "precision_recall_curve", y_true, y_score, pos_label, sample_weight, drop_intermediate
    )
    precision, recall, thresholds = curve.precision_recall_curve(
        drop_intermediate=bool(drop_intermediate)
    )
    warn_no_positives(curve)
    if score_dtype.kind in "biuf" and score_dtype != thresholds.dtype:
        thresholds = thresholds.astype(score_dtype)  # exact: they are values of y_score
    return precision, recall, thresholds


def _curve_of(name, y_true, y_score, pos_label, sample_weight, drop_intermediate):
    """The checks of scikit-learn's ``confusion_matrix_at_thresholds``, then the curve."""
    check_array_like(y_true, "y_true", name)
    check_array_like(y_score, "y_score", name)
    check_pos_label(pos_label, name, optional=True)
    check_array_like(sample_weight, "sample_weight", name, optional=True)
    check_bool(drop_intermediate, "drop_intermediate", name)
    target = type_of_target(y_true, input_name="y_true")
    if not (target.kind == "binary" or (target.kind == "multiclass" and pos_label is not None)):
        raise ValueError(f"{target.kind} format is not supported")
    pos_label = check_pos_label_consistency(pos_label, target.classes)
    y_score = as_array(y_score)
    weight = None if sample_weight is None else as_array(sample_weight)
    return binary_curve([(target.values, y_score, pos_label)], weight), y_score.dtype

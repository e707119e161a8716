"""AUC, as in ``keras.metrics.AUC``, its curve and summation types, and the curve behind it."""

from __future__ import annotations

import enum
from typing import Any, NamedTuple

import numpy as np

from . import _core
from ._metric import Metric, integer, optional_integer, threshold_list, variable


class AUCCurve(str, enum.Enum):
    """The curve an :class:`AUC` integrates: Keras's ``AUCCurve`` (``AUC.curve`` is a member).

    A ``str`` enum: a member equals its value (``AUCCurve.PR == "PR"``) and is written to JSON
    as that value.

    Example:
        >>> AUC(curve="pr").curve
        <AUCCurve.PR: 'PR'>
        >>> AUC(curve="pr").curve == "PR", AUCCurve.from_str("roc").value
        (True, 'ROC')
    """

    ROC = "ROC"
    PR = "PR"
    PRGAIN = "PRGAIN"

    @staticmethod
    def from_str(key: Any) -> AUCCurve:
        """The member for ``key``, as Keras: ``"roc"``/``"ROC"``, ``"pr"``/``"PR"``,
        ``"prgain"``/``"PRGAIN"``.

        Raises:
            ValueError: for any other key (Keras's message).

        Example:
            >>> AUCCurve.from_str("prgain")
            <AUCCurve.PRGAIN: 'PRGAIN'>
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

    ``INTERPOLATION`` uses trapezoids (for PR, Davis & Goadrich's interpolation), ``MINORING``
    the lower and ``MAJORING`` the upper of the two heights. A ``str`` enum, like
    :class:`AUCCurve`.

    Example:
        >>> AUC(summation_method="Minoring").summation_method
        <AUCSummationMethod.MINORING: 'minoring'>
        >>> AUCSummationMethod.from_str("majoring") == "majoring"
        True
    """

    INTERPOLATION = "interpolation"
    MAJORING = "majoring"
    MINORING = "minoring"

    @staticmethod
    def from_str(key: Any) -> AUCSummationMethod:
        """The member for ``key``, as Keras: the lower-case value or it capitalised
        (``"interpolation"`` or ``"Interpolation"``, ...).

        Raises:
            ValueError: for any other key (Keras's message).

        Example:
            >>> AUCSummationMethod.from_str("Interpolation")
            <AUCSummationMethod.INTERPOLATION: 'interpolation'>
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


def _spelling(choice: Any) -> str:
    """A curve or summation method argument as the string the core parses: an enum member
    (ours, or Keras's) by its value, anything else by ``str``."""
    return choice.value if isinstance(choice, enum.Enum) else str(choice)


class CurvePoints(NamedTuple):
    """The curve behind an AUC, one point per threshold (lowest threshold first).

    Counts are float64; the rates are in the metric dtype. For a multi-label AUC
    every array but ``thresholds`` has shape ``(num_thresholds, num_labels)``.

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
    """The thresholds, including the end points just outside [0, 1]."""
    tp: np.ndarray
    fp: np.ndarray
    tn: np.ndarray
    fn: np.ndarray
    precision: np.ndarray
    """``tp / (tp + fp)`` (0 where nothing is predicted positive)."""
    recall: np.ndarray
    """The true-positive rate ``tp / (tp + fn)`` (0 without positives)."""
    fpr: np.ndarray
    """The false-positive rate ``fp / (fp + tn)`` (0 without negatives)."""


def _label_weights(label_weights: Any) -> list[float] | None:
    if label_weights is None:
        return None
    try:
        weights = np.asarray(label_weights, dtype=np.float64)
    except OverflowError:
        raise ValueError(
            f"Argument `label_weights` must be finite. Received: label_weights={label_weights!r}"
        ) from None
    except (TypeError, ValueError):
        raise TypeError(
            "Argument `label_weights` must be a list of numbers. "
            f"Received: label_weights={label_weights!r}"
        ) from None
    if weights.ndim != 1:
        raise ValueError(
            "Argument `label_weights` must be one-dimensional. "
            f"Received: label_weights with shape {weights.shape}"
        )
    return weights.tolist()


class AUC(Metric):
    """Approximate area under the ROC, PR or PR-gain curve (``keras.metrics.AUC``).

    Predictions are counted into weighted true/false positives and negatives
    at ``num_thresholds`` thresholds; the curve through those points is
    integrated with a Riemann sum (or, for PR with ``interpolation``, Davis &
    Goadrich's exact interpolation). The result equals Keras's; the counts are
    kept in float64, so they stay exact beyond 2**24 samples.

    Args:
        num_thresholds: Number of thresholds (> 1), evenly spaced: ``0 - 1e-7``,
            ``1/(T-1)``, ..., ``1 + 1e-7``. Ignored when ``thresholds`` is given.
        curve: ``"ROC"`` (default), ``"PR"`` or ``"PRGAIN"`` (lower case works too), or an
            :class:`AUCCurve` member.
        summation_method: ``"interpolation"`` (default, trapezoids), ``"minoring"``
            (left/lower heights) or ``"majoring"`` (upper heights), capitalised too, or an
            :class:`AUCSummationMethod` member.
        name: Metric name (default ``"auc"``).
        dtype: ``"float32"`` (default) or ``"float64"``: the dtype predictions are
            compared and the result computed in.
        thresholds: Optional list of thresholds in [0, 1] to use instead; they are
            sorted and the end points ``-1e-7`` and ``1 + 1e-7`` are added.
        multi_label: With ``(N, L)`` inputs, compute one AUC per label and average
            them (instead of pooling all labels into one curve).
        num_labels: Number of labels with ``multi_label``; if omitted it is taken
            from the first batch.
        label_weights: Non-negative weights per label: averaging weights with
            ``multi_label``, otherwise multiplied into the sample weights of each
            column.
        from_logits: Predictions are logits: a sigmoid is applied first. Without
            it predictions must lie in [0, 1].

    Attributes:
        curve: The :class:`AUCCurve` member, whatever spelling was passed (as Keras).
        summation_method: The :class:`AUCSummationMethod` member (as Keras).

    Raises:
        ValueError: for an invalid argument (Keras's messages).

    Example:
        >>> m = AUC(num_thresholds=3)
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9])
        >>> # thresholds are [0 - 1e-7, 0.5, 1 + 1e-7]
        >>> # tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2], tn = [0, 2, 2]
        >>> print(m.result())
        0.75
        >>> m.reset_state()
        >>> m.update_state([0, 0, 1, 1], [0, 0.5, 0.3, 0.9], sample_weight=[1, 0, 0, 1])
        >>> print(m.result())
        1.0
        >>> c = m.curve_points()
        >>> print(c.recall, c.fpr)
        [1. 1. 0.] [1. 0. 0.]
        >>> m.curve, m.summation_method.value
        (<AUCCurve.ROC: 'ROC'>, 'interpolation')
    """

    _default_name = "auc"

    def __init__(
        self,
        num_thresholds: int = 200,
        curve: str | AUCCurve = "ROC",
        summation_method: str | AUCSummationMethod = "interpolation",
        name: str | None = None,
        dtype: Any = None,
        thresholds: Any = None,
        multi_label: bool = False,
        num_labels: int | None = None,
        label_weights: Any = None,
        from_logits: bool = False,
    ) -> None:
        super().__init__(name, dtype)
        user_thresholds = threshold_list(thresholds)
        count = (
            0
            if user_thresholds is not None
            else integer("num_thresholds", num_thresholds, "an integer > 1")
        )
        weights = _label_weights(label_weights)
        self._core = _core.AucMetric(
            count,
            _spelling(curve),
            _spelling(summation_method),
            user_thresholds,
            bool(multi_label),
            optional_integer("num_labels", num_labels),
            weights,
            bool(from_logits),
            self._dtype,
        )
        self._user_thresholds = user_thresholds is not None
        # The core accepted the spellings: Keras's members for them.
        self.curve = AUCCurve.from_str(_spelling(curve))
        self.summation_method = AUCSummationMethod.from_str(_spelling(summation_method))
        self.multi_label = bool(multi_label)
        self.num_labels = num_labels
        self.label_weights = None if weights is None else np.asarray(weights, dtype=np.float64)
        self.from_logits = bool(from_logits)

    true_positives = variable("true_positives")
    false_positives = variable("false_positives")
    true_negatives = variable("true_negatives")
    false_negatives = variable("false_negatives")

    @property
    def thresholds(self) -> list[float]:
        """All ``num_thresholds`` thresholds, ascending, with the end points."""
        return self._core.thresholds

    @property
    def num_thresholds(self) -> int:
        return len(self._core.thresholds)

    def interpolate_pr_auc(self) -> Any:
        """The PR AUC by Davis & Goadrich's interpolation, whatever ``curve`` is.

        Between two thresholds precision is not linear in recall; this integrates
        the exact interpolated curve: ``sum(dTP / dP * (dTP + intercept * log(P_i /
        P_{i+1})) / (TP + FN))`` over adjacent thresholds.

        Returns:
            A NumPy scalar in the metric dtype.
        """
        return self._core.interpolate_pr_auc()

    def curve_points(self) -> CurvePoints:
        """The points behind the AUC: counts and rates at every threshold (beyond Keras).

        Returns:
            A :class:`CurvePoints` (lowest threshold first), for plotting or export.
        """
        tp, fp, tn, fn, precision, recall, fpr = self._core.curve()
        return CurvePoints(
            np.asarray(self.thresholds, dtype=np.float64), tp, fp, tn, fn, precision, recall, fpr
        )

    def __setstate__(self, attributes: dict) -> None:
        # Unpickling: the config already rebuilt `curve` and `summation_method` as members;
        # pickles of 0.1.0 carry them as strings (`curve_name`, `summation_method`).
        stale = ("curve", "curve_name", "summation_method")
        self.__dict__.update({k: v for k, v in attributes.items() if k not in stale})

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "dtype": self.dtype,
            "num_thresholds": self.num_thresholds,
            "curve": self.curve.value,
            "summation_method": self.summation_method.value,
            "multi_label": self.multi_label,
            "num_labels": self.num_labels,
            "label_weights": None if self.label_weights is None else self.label_weights.tolist(),
            "from_logits": self.from_logits,
        }
        if self._user_thresholds:
            config["thresholds"] = self.thresholds[1:-1]
        return config

"""ExactAUC: scikit-learn's exact ROC AUC and average precision as a mergeable metric."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from . import _core
from ._auc import AUCCurve, CurvePoints
from ._metric import Metric, _qualified

EXACT_STATE_FORMAT = 1
"""The saved-state format of :class:`ExactAUC` written by this version."""


def _curve(curve: Any) -> AUCCurve:
    """``"ROC"``/``"roc"``, ``"PR"``/``"pr"`` or an :class:`AUCCurve` member (not PRGAIN)."""
    value = curve.value if isinstance(curve, AUCCurve) else curve
    if value in ("roc", "ROC"):
        return AUCCurve.ROC
    if value in ("pr", "PR"):
        return AUCCurve.PR
    raise ValueError(f'Invalid ExactAUC curve value: "{value}". Expected values are ["ROC", "PR"]')


def _max_fpr(max_fpr: Any, curve: AUCCurve) -> float | None:
    if max_fpr is None:
        return None
    if isinstance(max_fpr, bool) or not isinstance(max_fpr, numbers.Real):
        raise ValueError(f"Argument `max_fpr` must be a number in (0, 1]. Received: {max_fpr!r}")
    if not 0 < float(max_fpr) <= 1:
        raise ValueError(f"Argument `max_fpr` must be in (0, 1]. Received: max_fpr={max_fpr}")
    if curve is not AUCCurve.ROC:
        raise ValueError(
            "Argument `max_fpr` (a partial ROC AUC) requires curve='ROC'. "
            f"Received: curve='{curve.value}', max_fpr={max_fpr}"
        )
    return float(max_fpr)


def _column(values: Any, name: str) -> Any:
    """``values`` as a 1-D array: a ``(N, 1)`` array's column is a view, not a copy."""
    if values is None:
        return None
    array = np.asarray(values)
    if array.ndim == 2 and array.shape[1] == 1:
        return array[:, 0]
    if array.ndim > 1:
        raise ValueError(
            f"`{name}` must be 1-D or of shape (N, 1). Received: an array of shape {array.shape}"
        )
    return array


def _restore(cls: type[ExactAUC], config: dict, state: Any) -> ExactAUC:
    """Unpickles an :class:`ExactAUC`: rebuild from config, then load the checked state."""
    if not isinstance(state, dict) or not isinstance(state.get("format"), int):
        raise ValueError("Corrupt exact-curve state: not a saved ExactAUC state")
    if state["format"] > EXACT_STATE_FORMAT:
        raise ValueError(
            f"Cannot load an ExactAUC state in format {state['format']}: this version of "
            f"ferrometrics reads formats up to {EXACT_STATE_FORMAT} (it was written by a newer "
            "version)"
        )
    metric = cls.from_config(config)
    metric._core = _core.ExactCurve.from_state(
        state.get("scores"), state.get("positive_totals"), state.get("negative_totals")
    )
    return metric


class ExactAUC(Metric):
    """Exact area under the ROC curve, or average precision, from all data seen (scikit-learn's).

    Unlike :class:`AUC`, which counts predictions at fixed thresholds and so approximates the
    curve, this metric keeps, for every distinct prediction, the weighted totals of positives
    and negatives seen with it: the curve through every distinct prediction is exact, and the
    result equals ``sklearn.metrics.roc_auc_score`` (or ``average_precision_score``) computed on
    all batches at once. Ties between a positive and a negative count half. States merge
    exactly (across threads, processes or machines), and updates are built in parallel in Rust
    with the GIL released.

    The state grows with the number of distinct predictions (24 bytes each): round predictions
    (e.g. to float16 or a few decimals) to bound it when exactness beyond that does not matter.

    Args:
        curve: ``"ROC"`` (default): ROC AUC, the probability that a random positive scores above
            a random negative. ``"PR"``: average precision, ``sum_n (R_n - R_{n-1}) P_n`` over
            the distinct predictions from the highest down (precision ``P_n`` and recall ``R_n``
            at each), without interpolation. Lower case, or an :class:`AUCCurve` member, works
            too.
        max_fpr: With ROC only: the partial AUC up to this false-positive rate in (0, 1],
            standardised by McClish's correction (0.5 for a random ranking, 1 for a perfect
            one), as scikit-learn's ``max_fpr``.
        name: Metric name (default ``"exact_auc"``).
        dtype: The dtype of the result, ``"float64"`` (default) or ``"float32"``; the state and
            the arithmetic are float64 either way.

    Inputs: labels 0/1 or False/True; predictions any finite real numbers (probabilities,
    logits or scores: only their order matters), 1-D or of shape ``(N, 1)``; sample weights
    finite, one per sample (or a scalar). Samples of weight 0 are left out.

    The result is NaN for ROC until both classes have a positive total weight; average
    precision is 0 without positives (both as scikit-learn, which also warns).

    Example:
        >>> m = ExactAUC()
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> float(m.result())  # 3 of the 4 (positive, negative) pairs are ranked right
        0.75
        >>> pr = ExactAUC(curve="PR")
        >>> pr.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(pr.result()), 6)  # recall 1/2 at precision 1, then 1 at 2/3
        0.833333
        >>> m.curve_points().thresholds.tolist()
        [0.1, 0.35, 0.4, 0.8]
    """

    _default_name = "exact_auc"

    def __init__(
        self,
        curve: str | AUCCurve = "ROC",
        max_fpr: float | None = None,
        name: str | None = None,
        dtype: Any = None,
    ) -> None:
        super().__init__(name, dtype)
        if self._dtype not in (None, "float32", "float64"):
            raise ValueError(
                f"Argument `dtype` must be 'float32' or 'float64'. Received: dtype={dtype!r}"
            )
        self.curve = _curve(curve)
        self.max_fpr = _max_fpr(max_fpr, self.curve)
        self._core = _core.ExactCurve()

    @property
    def dtype(self) -> str:
        """The result dtype, ``"float64"`` unless ``"float32"`` was asked for."""
        return self._dtype or "float64"

    def update_state(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None:
        """Adds one batch. All or nothing: a bad batch raises and leaves the state as it was.

        Args:
            y_true: Labels 0/1 or False/True, shape ``(N,)`` or ``(N, 1)``.
            y_pred: Finite predictions of the same length.
            sample_weight: None, a scalar, or finite weights of the same length.

        Raises:
            ValueError: labels other than 0/1, non-finite values, or lengths that differ.
            TypeError: arguments that are not arrays of real numbers.
        """
        labels = _column(y_true, "y_true")
        scores = _column(y_pred, "y_pred")
        weights = _column(sample_weight, "sample_weight")
        if weights is not None and weights.ndim == 0 and labels is not None:
            weights = np.broadcast_to(weights, np.shape(labels))
        self._core.update(labels, scores, weights, 1.0, binary_labels=True)

    def result(self) -> Any:
        """ROC AUC (or partial AUC) or average precision of all data so far, as scikit-learn."""
        if self.curve is AUCCurve.ROC:
            value = self._core.roc_auc(self.max_fpr)
        else:
            value = self._core.average_precision()
        return np.dtype(self.dtype).type(value)

    def reset_state(self) -> None:
        """Forgets all data."""
        self._core.reset()

    @property
    def variables(self) -> list[np.ndarray]:
        """``[scores, positive_totals, negative_totals]`` (float64 copies, scores decreasing)."""
        return list(self._core.state())

    @property
    def scores(self) -> np.ndarray:
        """The distinct predictions seen, decreasing (float64; a float32 input widened exactly)."""
        return self._core.state()[0]

    @property
    def positive_totals(self) -> np.ndarray:
        """The weighted total of the positives at each of :attr:`scores`."""
        return self._core.state()[1]

    @property
    def negative_totals(self) -> np.ndarray:
        """The weighted total of the negatives at each of :attr:`scores`."""
        return self._core.state()[2]

    def merge_state(self, metrics: Any) -> None:
        """Adds the states of other :class:`ExactAUC` metrics (any ``curve`` and ``max_fpr``:
        the state does not depend on them).

        Args:
            metrics: An ExactAUC or an iterable of them.

        Raises:
            ValueError: a metric of another class; nothing is merged.
        """
        single = isinstance(metrics, Metric) or hasattr(metrics, "update_state")
        metrics = [metrics] if single else list(metrics)
        for other in metrics:
            if not isinstance(other, ExactAUC):
                raise ValueError(
                    f"Cannot merge a {_qualified(type(other))} into a {_qualified(type(self))}: "
                    "metrics must be ExactAUC"
                )
        for other in metrics:
            self._core.merge(other._core)

    def curve_points(self) -> CurvePoints:
        """The curve behind the result: counts and rates at every distinct prediction.

        Returns:
            A :class:`CurvePoints`, lowest threshold first, one point per distinct prediction:
            ``tp``/``fp`` are the weighted positives/negatives predicted at or above the
            threshold, ``tn``/``fn`` the rest; ``precision`` is 0 where nothing is predicted
            positive, ``recall`` 0 without positives, ``fpr`` 0 without negatives (float64).
        """
        fps, tps, thresholds = (a[::-1] for a in self._core.binary_clf_curve())
        positives = self._core.positive_total
        negatives = self._core.negative_total
        tn, fn = negatives - fps, positives - tps

        def ratio(numerator: np.ndarray, denominator: Any) -> np.ndarray:
            out = np.zeros_like(numerator)
            denominator = np.broadcast_to(denominator, numerator.shape)
            np.divide(numerator, denominator, out=out, where=denominator != 0)
            return out

        return CurvePoints(
            np.ascontiguousarray(thresholds),
            np.ascontiguousarray(tps),
            np.ascontiguousarray(fps),
            tn,
            fn,
            ratio(tps, tps + fps),
            ratio(tps, positives),
            ratio(fps, negatives),
        )

    def variance(self) -> float:
        """DeLong's variance of the ROC AUC of the data seen (see :mod:`ferrometrics.stats`).

        Computed from the state alone, so a metric updated in parts and merged gives the
        variance of all the rows. NaN with a total weight of 1 or less in a class.

        Raises:
            ValueError: the metric is not the full ROC AUC (``curve="PR"`` or ``max_fpr``).

        Example:
            >>> m = ExactAUC()
            >>> m.update_state([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
            >>> round(m.variance(), 6)
            0.024691
        """
        auc, s10, s01, n_pos, n_neg = self._delong()
        return s10 / n_pos + s01 / n_neg

    def confidence_interval(self, confidence_level: float = 0.95) -> Any:
        """DeLong's confidence interval of the ROC AUC of the data seen: the
        :class:`ferrometrics.stats.AUCInterval` that :func:`ferrometrics.stats.roc_auc_ci`
        gives for the same rows, however they were split and merged.

        Args:
            confidence_level: Coverage of the interval, in (0, 1).

        Raises:
            ValueError: ``curve="PR"`` or ``max_fpr`` (DeLong covers the full ROC AUC), a
                class absent, or a bad ``confidence_level``.

        Example:
            >>> m = ExactAUC()
            >>> m.update_state([0, 0, 1, 1, 0, 1], [0.1, 0.4, 0.35, 0.8, 0.2, 0.9])
            >>> r = m.confidence_interval()
            >>> round(r.auc, 4), round(r.low, 4), round(r.high, 4)
            (0.8889, 0.5809, 1.0)
        """
        from . import stats

        self._delong()  # refuses PR and partial AUCs
        return stats.interval_from_curve(self._core, confidence_level)

    def _delong(self) -> tuple[float, float, float, float, float]:
        if self.curve != AUCCurve.ROC or self.max_fpr is not None:
            raise ValueError(
                "DeLong's variance is that of the full ROC AUC: it needs curve='ROC' and "
                f"max_fpr=None. Received: curve={self.curve.value!r}, max_fpr={self.max_fpr}"
            )
        return self._core.delong()

    def __len__(self) -> int:
        """The number of distinct predictions in the state."""
        return len(self._core)

    def __reduce__(self) -> tuple:
        scores, positives, negatives = self._core.state()
        state = {
            "format": EXACT_STATE_FORMAT,
            "scores": scores,
            "positive_totals": positives,
            "negative_totals": negatives,
        }
        attributes = {k: v for k, v in self.__dict__.items() if k != "_core"}
        return (_restore, (type(self), self.get_config(), state), attributes)

    def __setstate__(self, attributes: dict) -> None:
        # The config already rebuilt `curve` and `max_fpr`; the state is loaded.
        stale = ("curve", "max_fpr", "_core")
        self.__dict__.update({k: v for k, v in attributes.items() if k not in stale})

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "curve": self.curve.value,
            "max_fpr": self.max_fpr,
        }

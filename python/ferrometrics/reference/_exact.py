"""ExactAUC in plain NumPy (docs/semantics.md §13), on the reference ``ExactCurve``.

The state is the table of ``_exact_curve.py``: the distinct scores (decreasing) and the weighted
totals of positives and negatives seen with each; the result is its ROC AUC (or McClish's
partial AUC) or its average precision, as scikit-learn computes them.
"""

from __future__ import annotations

import numpy as np

from ._exact_curve import ExactCurve

__all__ = ["ExactAUC"]


class ExactAUC:
    """The reference of :class:`ferrometrics.ExactAUC`: ROC AUC or average precision.

    Example:
        >>> m = ExactAUC(curve="PR")
        >>> m.update_state([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])
        >>> round(float(m.result()), 6)
        0.833333
    """

    def __init__(self, curve="ROC", max_fpr=None, name=None, dtype=None) -> None:
        self.curve = {"roc": "ROC", "pr": "PR"}.get(str(getattr(curve, "value", curve)).lower())
        if self.curve is None:
            raise ValueError(f"Invalid ExactAUC curve value: {curve!r}")
        if max_fpr is not None and not (0 < max_fpr <= 1 and self.curve == "ROC"):
            raise ValueError("`max_fpr` must be in (0, 1], with curve='ROC'")
        self.max_fpr = None if max_fpr is None else float(max_fpr)
        self.name = name or "exact_auc"
        self.dtype = dtype or "float64"
        self._table = ExactCurve()

    def update_state(self, y_true, y_pred, sample_weight=None) -> None:
        labels = np.asarray(y_true, dtype=np.float64).reshape(-1)
        if not np.isin(labels, [0.0, 1.0]).all():
            raise ValueError("`y_true` must contain only 0 and 1")
        if sample_weight is not None and np.ndim(sample_weight) == 0:
            sample_weight = np.full(labels.shape, float(sample_weight))
        self._table.update(labels, y_pred, sample_weight)

    def result(self):
        if self.curve == "ROC":
            value = self._table.roc_auc(self.max_fpr)
        else:
            value = self._table.average_precision()
        return np.dtype(self.dtype).type(value)

    def reset_state(self) -> None:
        self._table = ExactCurve()

    def merge_state(self, metrics) -> None:
        for other in [metrics] if isinstance(metrics, ExactAUC) else list(metrics):
            self._table.merge(other._table)

    @property
    def variables(self) -> list[np.ndarray]:
        return [values.copy() for values in self._table.state()]

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "dtype": self.dtype,
            "curve": self.curve,
            "max_fpr": self.max_fpr,
        }

    @classmethod
    def from_config(cls, config: dict) -> ExactAUC:
        return cls(**config)

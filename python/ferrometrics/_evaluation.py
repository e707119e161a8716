"""The command's report: the metrics a scored file is evaluated with, fed chunk by chunk."""

from __future__ import annotations

from typing import Any

import numpy as np

DEFAULT_THRESHOLDS = 200


class BadValue(ValueError):
    """A value the metrics refuse, located by its data row (1-based) and column."""


class PairMetrics:
    """Every metric of the report for one label/score pair."""

    def __init__(self, module: Any, num_thresholds: int, exact: bool = False) -> None:
        t = num_thresholds
        self.metrics = {
            "roc_auc": module.AUC(num_thresholds=t),
            "pr_auc": module.AUC(num_thresholds=t, curve="PR"),
            "prgain_auc": module.AUC(num_thresholds=t, curve="PRGAIN"),
            "precision": module.Precision(),
            "recall": module.Recall(),
            "f1": module.F1Score(threshold=0.5),
            "tp": module.TruePositives(),
            "fp": module.FalsePositives(),
            "tn": module.TrueNegatives(),
            "fn": module.FalseNegatives(),
            "recall_at_precision_0.9": module.RecallAtPrecision(0.9, num_thresholds=t),
            "precision_at_recall_0.9": module.PrecisionAtRecall(0.9, num_thresholds=t),
            "sensitivity_at_specificity_0.95": module.SensitivityAtSpecificity(
                0.95, num_thresholds=t
            ),
        }
        if exact:  # scikit-learn's numbers, from every distinct score
            self.metrics["roc_auc_exact"] = module.ExactAUC()
            self.metrics["average_precision"] = module.ExactAUC(curve="PR")

    @classmethod
    def of(cls, metrics: dict[str, Any]) -> PairMetrics:
        """The report over metrics that already hold their state (one slice's, say)."""
        pair = cls.__new__(cls)
        pair.metrics = metrics
        return pair

    def update(self, labels: np.ndarray, scores: np.ndarray, weights: Any) -> None:
        for name, metric in self.metrics.items():
            if name == "f1":  # F-scores take (N, classes)
                column_weights = weights
                metric.update_state(labels[:, None], scores[:, None], column_weights)
            else:
                metric.update_state(labels, scores, weights)

    def results(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, metric in self.metrics.items():
            value = np.asarray(metric.result(), dtype=np.float64).reshape(-1)
            out[name] = float(value[0]) if value.size else 0.0
        for name in ("tp", "fp", "tn", "fn"):
            # The float64 state, not result() (float32): counts stay exact beyond 2**24.
            out[name] = _number(float(self.metrics[name].accumulator[0]))
        curve = self.metrics["roc_auc"].curve_points()
        tp, fp, fn = curve.tp, curve.fp, curve.fn
        denominator = 2 * tp + fp + fn
        f1 = np.divide(2 * tp, denominator, out=np.zeros_like(tp), where=denominator > 0)
        best = int(np.argmax(f1))  # the lowest threshold among ties
        out["f1_best"] = float(f1[best])
        out["f1_best_threshold"] = float(curve.thresholds[best])
        return out

    def curve_points(self, name: str) -> Any:
        return self.metrics[name].curve_points()


def _number(value: float) -> float | int:
    """Counts print as integers when they are whole numbers (no weights)."""
    return int(value) if float(value).is_integer() else value


class Evaluation:
    """The report over one or more label/score pairs (several pairs: multi-label)."""

    def __init__(
        self, pairs: list[str], num_thresholds: int, module: Any, exact: bool = False
    ) -> None:
        self.pairs = pairs
        self.per_pair = [PairMetrics(module, num_thresholds, exact) for _ in pairs]
        self.multi_label = (
            {
                "roc_auc": module.AUC(num_thresholds=num_thresholds, multi_label=True),
                "pr_auc": module.AUC(num_thresholds=num_thresholds, curve="PR", multi_label=True),
            }
            if len(pairs) > 1
            else {}
        )
        self.rows = 0

    def update(
        self,
        labels: list[np.ndarray],
        scores: list[np.ndarray],
        weights: np.ndarray | None,
        first_row: int,
        columns: list[tuple[str, str]],
        weight_column: str | None,
    ) -> None:
        """Adds one chunk; ``first_row`` is the 1-based data row of its first element."""
        if weights is not None:
            check(weights, "weight", first_row, weight_column or "", finite_only=True)
        for (label_col, score_col), y, p in zip(columns, labels, scores):
            check(y, "label", first_row, label_col)
            check(p, "score", first_row, score_col)
        for pair, y, p in zip(self.per_pair, labels, scores):
            pair.update(y, p, weights)
        if self.multi_label:
            y_all, p_all = np.column_stack(labels), np.column_stack(scores)
            for metric in self.multi_label.values():
                metric.update_state(y_all, p_all, weights)
        self.rows += len(labels[0]) if labels else 0

    def results(self) -> dict[str, Any]:
        if len(self.pairs) == 1:
            return {**self.per_pair[0].results(), "rows": self.rows}
        return {
            "rows": self.rows,
            "labels": {pair: m.results() for pair, m in zip(self.pairs, self.per_pair)},
            "multi_label": {
                name: float(metric.result()) for name, metric in self.multi_label.items()
            },
        }


def check(values: np.ndarray, what: str, first_row: int, column: str, finite_only=False) -> None:
    """Raises ``BadValue`` at the first label not 0/1, or score not finite in [0, 1]."""
    if what == "label":
        bad = ~((values == 0) | (values == 1))
        rule = "must be 0 or 1"
    elif finite_only:
        bad = ~np.isfinite(values)
        rule = "must be a finite number"
    else:
        bad = ~((values >= 0) & (values <= 1))  # NaN fails both
        rule = "must be a probability in [0, 1]"
    if bad.any():
        index = int(np.argmax(bad))
        raise BadValue(
            f"row {first_row + index}: {what} {values[index].item()!r} in column {column!r} {rule}"
        )

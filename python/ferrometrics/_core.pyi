"""Type stubs of the compiled extension ``ferrometrics._core`` (checked by mypy.stubtest in CI)."""

from collections.abc import Callable, Sequence
from typing import Any, final

import numpy as np
import numpy.typing as npt
from typing_extensions import disjoint_base

__all__ = [
    "STATE_FORMAT",
    "AucMetric",
    "ConfusionMetric",
    "ExactCurve",
    "FBetaMetric",
    "Metric",
    "OperatingPointMetric",
    "__version__",
    "_fork_prepare",
    "_fork_release",
    "precision_recall_at_equal_thresholds",
    "update_groups",
]

__version__: str
STATE_FORMAT: int

@disjoint_base
class Metric:
    """The shared methods of every metric's core object (thread-safe; updates are atomic)."""

    def update(self, y_true: Any, y_pred: Any, sample_weight: Any = None) -> None: ...
    def result(self) -> Any: ...
    def variables(self) -> list[tuple[str, npt.NDArray[np.float64]]]: ...
    def saved(self) -> dict[str, Any]: ...
    def load(self, format: Any, width: Any, variables: Any) -> None: ...
    def reset(self) -> None: ...
    def merge(self, others: Sequence[Metric]) -> None: ...

@final
class ConfusionMetric(Metric):
    """Precision, Recall and the four counts."""

    def __new__(
        cls,
        kind: str,
        thresholds: Sequence[float] | None = None,
        top_k: int | None = None,
        class_id: int | None = None,
        dtype: str | None = None,
    ) -> ConfusionMetric: ...
    @property
    def thresholds(self) -> list[float]: ...

@final
class AucMetric(Metric):
    """AUC, and the curve behind it."""

    def __new__(
        cls,
        num_thresholds: int,
        curve: str,
        summation_method: str,
        thresholds: Sequence[float] | None,
        multi_label: bool,
        num_labels: int | None,
        label_weights: Sequence[float] | None,
        from_logits: bool,
        dtype: str | None,
        check_range: bool = True,
    ) -> AucMetric: ...
    def interpolate_pr_auc(self) -> Any: ...
    def curve(self) -> list[npt.NDArray[Any]]: ...
    @property
    def thresholds(self) -> list[float]: ...

@final
class OperatingPointMetric(Metric):
    """SensitivityAtSpecificity, SpecificityAtSensitivity, PrecisionAtRecall, RecallAtPrecision."""

    def __new__(
        cls,
        kind: str,
        value: float,
        num_thresholds: int,
        class_id: int | None = None,
        dtype: str | None = None,
        check_range: bool = True,
    ) -> OperatingPointMetric: ...
    def operating_point(self) -> tuple[Any, float | None]: ...
    @property
    def thresholds(self) -> list[float]: ...

@final
class FBetaMetric(Metric):
    """F1Score and FBetaScore."""

    def __new__(
        cls,
        average: str | None = None,
        beta: float = 1.0,
        threshold: float | None = None,
        dtype: str | None = None,
    ) -> FBetaMetric: ...
    @property
    def num_classes(self) -> int | None: ...

@final
class ExactCurve:
    """Exact ROC and precision-recall curves of a binary problem, built batch by batch.

    The state is, per distinct score, the weighted totals of positives and negatives.
    """

    def __new__(cls) -> ExactCurve: ...
    def update(
        self,
        y_true: Any,
        y_score: Any,
        sample_weight: Any = None,
        pos_label: float = 1.0,
        *,
        binary_labels: bool = False,
    ) -> None: ...
    def merge(self, other: ExactCurve) -> None: ...
    def reset(self) -> None: ...
    def __len__(self) -> int: ...
    @property
    def positive_total(self) -> float: ...
    @property
    def negative_total(self) -> float: ...
    def state(
        self,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    @staticmethod
    def from_state(scores: Any, positive_totals: Any, negative_totals: Any) -> ExactCurve: ...
    def __reduce__(self) -> tuple[Any, ...]: ...
    def roc_auc(self, max_fpr: float | None = None) -> float: ...
    def average_precision(self) -> float: ...
    def delong(self) -> tuple[float, float, float, float, float]: ...
    def binary_clf_curve(
        self,
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    def roc_curve(
        self, drop_intermediate: bool = True
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...
    def precision_recall_curve(
        self, drop_intermediate: bool = False
    ) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]: ...

def precision_recall_at_equal_thresholds(
    labels: Any, predictions: Any, weights: Any = None, num_thresholds: int = 201
) -> tuple[list[npt.NDArray[np.float64]], str]: ...
def _fork_prepare() -> None:
    """Before ``os.fork()``: holds every metric's state lock and the pool lock."""

def _fork_release() -> None:
    """After ``os.fork()``, in parent and child: releases what ``_fork_prepare`` holds."""

def update_groups(
    template: Metric,
    groups: npt.NDArray[np.int64],
    make: Callable[[list[int]], list[Metric]],
    y_true: Any,
    y_pred: Any,
    sample_weight: Any = None,
) -> None:
    """Counts one batch per group id; ``make(ids)`` gives the metric of each id present."""

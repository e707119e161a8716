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

"""Pure-NumPy reference implementation of ferrometrics: the executable specification.

This package re-implements Keras 3's confusion-matrix metrics as plainly as possible, so that it
can be read next to ``docs/semantics.md`` and used as the test oracle for the fast Rust
implementation in ``ferrometrics``. It depends only on NumPy and the standard library and never
imports ``ferrometrics._core``; clarity wins over speed (counting builds an ``(N, T)`` matrix).

Modules:
    _inputs: input conversion, validation, shape alignment, weight broadcasting, ``top_k`` and
        ``class_id`` selection, and the constructor-argument checks several modules share
        (docs/semantics.md §2).
    _thresholds: threshold parsing, the ``num_thresholds`` rule, Keras's even-spacing test, and
        the two counting paths (docs/semantics.md §3).
    _metric: ``ReferenceMetric``, the base of every metric class: the ``name`` and ``dtype``
        arguments, the state and its copies, ``reset_state``, ``__call__``, ``merge_state``,
        ``get_config`` and ``from_config`` (docs/semantics.md §1).
    _confusion: Precision, Recall and the four counts (docs/semantics.md §5).
    _auc: AUC (docs/semantics.md §4).
    _operating_point: the four ``*At*`` metrics (docs/semantics.md §6).
    _fscore: F1Score and FBetaScore (docs/semantics.md §8).
    _equal_thresholds: ``precision_recall_at_equal_thresholds`` (docs/semantics.md §9).
    _sliced: ``Sliced``, one metric per group of rows (docs/semantics.md §15).
    _exact_curve: ``ExactCurve``, the exact ROC and precision-recall curves of a binary
        classifier as scikit-learn computes them (docs/semantics.md §13).
    _exact: ``ExactAUC``, the stateful metric on an ``ExactCurve`` (docs/semantics.md §13).

Example:
    >>> m = Precision(thresholds=[0.3, 0.7])
    >>> m.update_state([0, 1, 1, 0], [0.6, 0.8, 0.4, 0.2])
    >>> print(m.result())
    [0.6666667 1.       ]
"""

from ._auc import AUC, AUCCurve, AUCSummationMethod, CurvePoints
from ._confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from ._equal_thresholds import PrecisionRecallData, precision_recall_at_equal_thresholds
from ._exact import ExactAUC
from ._exact_curve import ExactCurve
from ._fscore import F1Score, FBetaScore
from ._operating_point import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from ._sliced import Sliced

__all__ = [
    "AUC",
    "AUCCurve",
    "AUCSummationMethod",
    "CurvePoints",
    "ExactAUC",
    "ExactCurve",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "PrecisionAtRecall",
    "PrecisionRecallData",
    "Recall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "Sliced",
    "SpecificityAtSensitivity",
    "TrueNegatives",
    "TruePositives",
    "precision_recall_at_equal_thresholds",
]

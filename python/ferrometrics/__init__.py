"""ferrometrics: Keras's confusion-matrix classification metrics with a parallel Rust core.

The classes behave like ``keras.metrics.*`` (same constructors, same numbers) and
work with NumPy arrays, lists, or any object with ``__array__`` (PyTorch, JAX
CPU tensors), without TensorFlow. State is float64, updates are atomic and
thread-safe, and large batches are counted in parallel with the GIL released.

``ferrometrics.reference`` holds an independent pure-NumPy implementation of
the same classes: the executable specification the fast one is tested against.
"""

from . import _fork, reference
from ._auc import AUC, AUCCurve, AUCSummationMethod, CurvePoints
from ._confusion import (
    FalseNegatives,
    FalsePositives,
    Precision,
    Recall,
    TrueNegatives,
    TruePositives,
)
from ._core import __version__
from ._equal_thresholds import PrecisionRecallData, precision_recall_at_equal_thresholds
from ._exact import ExactAUC
from ._fscore import F1Score, FBetaScore
from ._operating_point import (
    PrecisionAtRecall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
)
from ._sliced import Sliced

_fork.register()

__all__ = [
    "AUC",
    "AUCCurve",
    "AUCSummationMethod",
    "CurvePoints",
    "ExactAUC",
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
    "__version__",
    "precision_recall_at_equal_thresholds",
    "reference",
]

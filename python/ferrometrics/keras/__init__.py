"""Keras's confusion-matrix metrics for ``model.compile``, counted exactly by ferrometrics.

``ferrometrics.keras.AUC`` (and the twelve others) *is* ``keras.metrics.AUC``: the same
constructor, checks, messages, ``get_config``, attributes, variables and result formulas, so
code and saved models written for Keras work unchanged. The counting is done by the Rust core
on the host, in float64: counts stay exact to 2**53 on every backend (TensorFlow, JAX, PyTorch),
where Keras's float32 variables stop at 2**24, and a large epoch costs no more than Keras's own
metrics. Use them in ``compile``/``fit``/``evaluate``/``train_on_batch``/``test_on_batch`` or
in a custom training loop; TensorFlow graphs and ``jax.jit`` are supported, TensorFlow's XLA
(``jit_compile=True``) is not (compile with ``jit_compile=False``).

Importing this module registers the classes with Keras's serialization, so a model saved with
them loads with ``keras.models.load_model`` without ``custom_objects``.

Example:
    >>> import keras
    >>> import ferrometrics.keras as fmk
    >>> model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(1, "sigmoid")])
    >>> model.compile("adam", "binary_crossentropy", metrics=[fmk.AUC(), fmk.Precision()])
"""

try:
    import keras
except ImportError as error:  # pragma: no cover - depends on the environment
    raise ImportError(
        "ferrometrics.keras needs Keras 3 and a backend: pip install 'ferrometrics[keras]' "
        "(and one of tensorflow, jax or torch)"
    ) from error

if int(keras.__version__.split(".")[0]) < 3:  # pragma: no cover - depends on the environment
    raise ImportError(
        f"ferrometrics.keras needs Keras 3, found Keras {keras.__version__}: "
        "pip install 'ferrometrics[keras]'"
    )

from ._metrics import (  # noqa: E402
    AUC,
    F1Score,
    FalseNegatives,
    FalsePositives,
    FBetaScore,
    Precision,
    PrecisionAtRecall,
    Recall,
    RecallAtPrecision,
    SensitivityAtSpecificity,
    SpecificityAtSensitivity,
    TrueNegatives,
    TruePositives,
)

__all__ = [
    "AUC",
    "F1Score",
    "FBetaScore",
    "FalseNegatives",
    "FalsePositives",
    "Precision",
    "PrecisionAtRecall",
    "Recall",
    "RecallAtPrecision",
    "SensitivityAtSpecificity",
    "SpecificityAtSensitivity",
    "TrueNegatives",
    "TruePositives",
]

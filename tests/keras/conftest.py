"""The Keras training-loop tests: run with ``KERAS_BACKEND`` set, one backend per process."""

from __future__ import annotations

import os

import keras

# Tests of one backend's compiled loops: collected on that backend only.
collect_ignore = [
    f"test_backend_{name}.py"
    for name in ("tensorflow", "jax")
    if name != os.environ.get("KERAS_BACKEND")
]


def pytest_report_header() -> str:
    return f"keras {keras.__version__}, backend {keras.backend.backend()}"


def pytest_configure() -> None:
    wanted = os.environ["KERAS_BACKEND"]
    assert keras.backend.backend() == wanted, (keras.backend.backend(), wanted)

"""``ferrometrics.keras`` on every Keras backend, each in its own process.

Keras fixes its backend when it is first imported, so ``tests/keras`` runs once per backend
(TensorFlow, JAX, PyTorch) in a subprocess with ``KERAS_BACKEND`` set; this test fails with the
subprocess's report when any of its tests fails. Also: without Keras, importing
``ferrometrics.keras`` raises an ImportError that names the extra to install.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

KERAS_TESTS = Path(__file__).parent / "keras"


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_keras_training_loops_on_each_backend(backend: str) -> None:
    env = {**os.environ, "KERAS_BACKEND": backend, "TF_CPP_MIN_LOG_LEVEL": "2"}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(KERAS_TESTS)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=1800)
    report = done.stdout[-30000:] + done.stderr[-5000:]
    assert done.returncode == 0, report
    summary = done.stdout.strip().splitlines()[-1]
    assert " passed" in summary and "failed" not in summary and "skipped" not in summary, report


def test_importing_without_keras_names_the_extra() -> None:
    script = textwrap.dedent(
        """
        import sys
        sys.modules["keras"] = None  # as if Keras were not installed
        try:
            import ferrometrics.keras
        except ImportError as error:
            print(error)
        else:
            raise SystemExit("imported without Keras")
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "pip install 'ferrometrics[keras]'" in done.stdout

"""Shared test configuration: the Hypothesis profiles.

Hypothesis profiles are chosen with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (default): 200 random examples per property, for quick local runs;
- ``ci``: 1000 examples per property, as run by CI, derandomized: the same examples on every
  run, so a red CI run is caused by a change, never by the luck of the draw;
- ``ci-random``: the ``ci`` budget with random examples (``dev``, ``ci-random`` and
  ``thorough`` draw afresh on every run);
- ``thorough``: 10000 random examples per property, for long local runs that look for new
  failing cases.

Everything the tests read is in ``tests/data`` (see its README).
"""

from __future__ import annotations

import importlib.util
import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=1000,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# The CI budget drawn afresh: what ``ci`` would test with another seed.
settings.register_profile("ci-random", settings.get_profile("ci"), derandomize=False)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("thorough", max_examples=10000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))

# The Keras training-loop tests run once per backend, each in its own process
# (``test_keras_backends.py`` starts them with ``KERAS_BACKEND`` set): Keras fixes its backend
# when it is first imported.
collect_ignore = [] if os.environ.get("KERAS_BACKEND") else ["keras"]
# scikit-learn (and SciPy, which it brings), the oracles of the exact curves and of
# ``ferrometrics.stats``, are installed by the test extra from Python 3.11 on (scikit-learn 1.9
# needs it); README's test command runs on such a Python.
if importlib.util.find_spec("sklearn") is None:
    collect_ignore += [
        "test_sklearn_api.py",
        "test_sklearn_inputs.py",
        "test_exact_curve.py",
        "test_exact_table.py",
        "test_exact_auc.py",
        "test_stats_delong.py",
        "test_distributions.py",
    ]

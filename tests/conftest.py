"""Shared test configuration: Hypothesis profiles and the location of the shared data.

Hypothesis profiles are chosen with the ``HYPOTHESIS_PROFILE`` environment variable:

- ``dev`` (default): 200 random examples per property, for quick local runs;
- ``ci``: 1000 examples per property, as run by CI, derandomized: the same examples on every
  run, so a red CI run is caused by a change, never by the luck of the draw;
- ``ci-random``: the ``ci`` budget with random examples (``dev``, ``ci-random`` and
  ``thorough`` draw afresh on every run);
- ``thorough``: 10000 random examples per property, for long local runs that look for new
  failing cases.

The shared directory (golden data, Keras documentation, SPEC) is ``<repository>/../shared``;
set ``FERROMETRICS_SHARED`` to use another location.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
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


def shared_path() -> Path:
    """The shared directory: ``$FERROMETRICS_SHARED``, else ``<repository>/../shared``."""
    override = os.environ.get("FERROMETRICS_SHARED")
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared directory; fails (never skips) when it does not exist."""
    path = shared_path()
    if not path.is_dir():
        pytest.fail(f"shared directory not found: {path} (set FERROMETRICS_SHARED)")
    return path

"""The normal and Student t distributions behind ``ferrometrics.stats``, against SciPy's."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats as scipy_stats

from ferrometrics import _distributions as d


def test_normal_cdf_keeps_its_relative_precision_in_the_tails() -> None:
    for x in np.linspace(-37.0, 8.0, 2001):
        expected = scipy_stats.norm.cdf(x)
        assert abs(d.normal_cdf(x) - expected) <= 1e-12 * expected


def test_normal_quantile() -> None:
    for p in np.linspace(1e-12, 1 - 1e-12, 2001):
        assert abs(d.normal_quantile(p) - scipy_stats.norm.ppf(p)) <= 1e-13


@pytest.mark.parametrize("low, high, rtol", [(0.5, 50, 1e-12), (50, 1e3, 1e-12), (1e3, 1e5, 1e-10)])
def test_student_t_cdf(low: float, high: float, rtol: float) -> None:
    """The p-values of the unpaired test: tails of t with fractional degrees of freedom.

    Precision drops slowly with the degrees of freedom (the continued fraction runs longer):
    1e-12 up to 1,000, 1e-10 up to 100,000 (the unpaired test's df is about the row count).
    """
    rng = np.random.default_rng(7)
    for _ in range(3000):
        df = float(rng.uniform(low, high))
        t = float(rng.normal() * rng.choice([1e-4, 0.1, 1.0, 5.0, 30.0]))
        expected = scipy_stats.t.cdf(-abs(t), df)
        # (1e-300: SciPy underflows to 0 where a subnormal is left here.)
        assert abs(d.student_t_cdf(-abs(t), df) - expected) <= rtol * expected + 1e-300
        # The upper half is 1 - (the lower tail): the same absolute error.
        upper = d.student_t_cdf(abs(t), df)
        assert abs(upper - scipy_stats.t.cdf(abs(t), df)) <= rtol * expected + 1e-16


def test_student_t_quantile() -> None:
    rng = np.random.default_rng(8)
    for _ in range(500):
        df, p = float(rng.uniform(0.5, 1000)), float(rng.uniform(0.001, 0.999))
        expected = scipy_stats.t.ppf(p, df)
        assert abs(d.student_t_quantile(p, df) - expected) <= 1e-12 * max(1.0, abs(expected))


def test_edges() -> None:
    assert np.isnan(d.student_t_cdf(float("nan"), 3.0))
    assert np.isnan(d.student_t_cdf(1.0, float("nan")))
    assert d.student_t_cdf(-float("inf"), 3.0) == 0.0
    assert d.student_t_cdf(0.0, 3.0) == 0.5
    assert d.student_t_cdf(1.5, float("inf")) == d.normal_cdf(1.5)

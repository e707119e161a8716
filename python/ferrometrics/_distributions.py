"""The normal and Student t distributions the interval and test functions need.

Standard library only (no SciPy dependency). Tail probabilities are computed directly, not as
``1 - cdf``, so small p-values keep their relative precision, as R's ``pnorm``/``pt`` do.
"""

from __future__ import annotations

import math
from statistics import NormalDist

_STANDARD = NormalDist()
_SQRT2 = math.sqrt(2.0)


def normal_cdf(x: float) -> float:
    """P(Z <= x) for a standard normal Z, accurate in both tails (``erfc``)."""
    return 0.5 * math.erfc(-x / _SQRT2)


def normal_quantile(p: float) -> float:
    """The x with P(Z <= x) = p (Wichura's AS 241, the algorithm of R's ``qnorm``)."""
    return _STANDARD.inv_cdf(p)


def student_t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with ``df`` degrees of freedom (df > 0, may be fractional)."""
    if math.isnan(t) or math.isnan(df) or df <= 0:
        return math.nan
    if math.isinf(df):
        return normal_cdf(t)
    if math.isinf(t):
        return 0.0 if t < 0 else 1.0
    # P(|T| >= |t|) = I_x(df/2, 1/2) with x = df / (df + t^2); 1 - x is computed on its own,
    # not by subtraction, which would lose its digits when t is small and df large.
    x, y = df / (df + t * t), t * t / (df + t * t)
    both_tails = _regularized_beta_half(0.5 * df, x, y)
    return 0.5 * both_tails if t < 0 else 1.0 - 0.5 * both_tails


def student_t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, found by bisection on the distribution function."""
    if not 0.0 < p < 1.0 or math.isnan(df) or df <= 0:
        return math.nan
    if math.isinf(df):
        return normal_quantile(p)
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return -student_t_quantile(1.0 - p, df)
    low, high = 0.0, 1.0
    while student_t_cdf(high, df) < p:  # the upper tail is at least Cauchy-light
        low, high = high, high * 2.0
    for _ in range(200):
        middle = 0.5 * (low + high)
        if middle in (low, high):
            break
        if student_t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
    return 0.5 * (low + high)


def _regularized_beta_half(a: float, x: float, y: float) -> float:
    """I_x(a, 1/2) with y = 1 - x, by the continued fraction where it converges fast (Lentz)."""
    if x <= 0.0:
        return 0.0
    if y <= 0.0:
        return 1.0
    # log(x^a y^(1/2) / B(a, 1/2)), with log(x) from y when x is near 1.
    log_x = math.log1p(-y) if y < 0.5 else math.log(x)
    log_front = _log_gamma_ratio_half(a) - math.lgamma(0.5) + a * log_x + 0.5 * math.log(y)
    if x < (a + 1.0) / (a + 2.5):
        return math.exp(log_front) * _beta_fraction(a, 0.5, x) / a
    return 1.0 - math.exp(log_front) * _beta_fraction(0.5, a, y) / 0.5


def _log_gamma_ratio_half(a: float) -> float:
    """log(Gamma(a + 1/2) / Gamma(a)), without the cancellation of two large log-gammas."""
    if a < 20.0:
        return math.lgamma(a + 0.5) - math.lgamma(a)
    # Stirling's series for both log-gammas, subtracted term by term (error < 1e-16 here).
    series = 0.0
    for k, coefficient in enumerate((1 / 12, -1 / 360, 1 / 1260, -1 / 1680)):
        power = 2 * k + 1
        series += coefficient * ((a + 0.5) ** -power - a**-power)
    return a * math.log1p(0.5 / a) + 0.5 * math.log(a) - 0.5 + series


def _beta_fraction(a: float, b: float, x: float) -> float:
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 100_000):
        # The even then the odd step of the continued fraction.
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1.0) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1.0)),
        ):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            step = c * d
            fraction *= step
        if abs(step - 1.0) < 1e-16:
            break
    return fraction

"""Quantiles of the F distribution, for the Feldt confidence interval of alpha.

Only the standard library: the regularised incomplete beta function by its continued
fraction (evaluated with the modified Lentz method), and the quantile by bisection on
it, which is slow by numerical standards but exact to double precision and needed only
a few times per report.
"""

from __future__ import annotations

import math

__all__ = ["f_quantile", "incomplete_beta"]

_TINY = 1e-300
_EPS = 1e-15


def _continued_fraction(a: float, b: float, x: float) -> float:
    # The continued fraction for I_x(a, b), accurate for x < (a + 1) / (a + b + 2).
    c = 1.0
    d = 1.0 - (a + b) * x / (a + 1.0)
    d = 1.0 / (d if abs(d) > _TINY else _TINY)
    result = d
    for m in range(1, 100_000):
        # the even step
        even = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        d = 1.0 + even * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + even / c
        c = c if abs(c) > _TINY else _TINY
        result *= d * c
        # the odd step
        odd = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1.0 + odd * d
        d = 1.0 / (d if abs(d) > _TINY else _TINY)
        c = 1.0 + odd / c
        c = c if abs(c) > _TINY else _TINY
        step = d * c
        result *= step
        if abs(step - 1.0) < _EPS:
            return result
    raise ArithmeticError(f"incomplete beta did not converge for a={a}, b={b}, x={x}")


def incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b).

    Example:
        >>> round(incomplete_beta(2.0, 3.0, 0.4), 10)  # 1 - (0.6**4 + 4 * 0.4 * 0.6**3)
        0.5248
    """
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (
        math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    )
    front = math.exp(log_front)
    if x < (a + 1.0) / (a + b + 2.0):
        return front * _continued_fraction(a, b, x) / a
    return 1.0 - front * _continued_fraction(b, a, 1.0 - x) / b


def f_quantile(p: float, df1: float, df2: float) -> float:
    """The ``p`` quantile of the F distribution with ``df1`` and ``df2`` degrees of freedom.

    Example:
        >>> round(f_quantile(0.95, 5, 10), 4)  # the textbook table value is 3.33
        3.3258
    """
    if not 0.0 < p < 1.0:
        raise ValueError(f"p must be between 0 and 1, not {p}")
    a, b = df1 / 2.0, df2 / 2.0
    low, high = 0.0, 1.0
    # I_x(a, b) rises with x from 0 to 1: bisect for the x where it reaches p.
    for _ in range(200):
        middle = (low + high) / 2.0
        if middle in (low, high):
            break
        if incomplete_beta(a, b, middle) < p:
            low = middle
        else:
            high = middle
    x = (low + high) / 2.0
    return df2 * x / (df1 * (1.0 - x))

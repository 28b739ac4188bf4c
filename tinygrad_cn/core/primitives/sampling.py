"""Random valid inputs for a row's ``sample(rng)``: the test suite checks every row of the table
on them (values against NumPy, reverse and forward mode against central differences). Values
keep away from kinks, ties and the edges of a domain, by at least 0.05."""
from __future__ import annotations

import numpy as np

__all__ = ["shape", "pair", "reals", "away", "distinct"]


def shape(rng, min_dims: int = 0, max_dims: int = 3, max_side: int = 3) -> tuple:
    return tuple(int(n) for n in rng.integers(1, max_side + 1, size=rng.integers(min_dims, max_dims + 1)))


def pair(rng, min_dims: int = 0) -> tuple:
    """Two shapes that broadcast against each other (some axes of size 1, some missing)."""
    full = shape(rng, min_dims)
    a = tuple(1 if rng.random() < 0.3 else n for n in full)
    b = tuple(1 if rng.random() < 0.3 else n for n in full)[int(rng.integers(0, len(full) + 1)):]
    return a, b


def reals(rng, shp, lo: float = -2.0, hi: float = 2.0) -> np.ndarray:
    return rng.uniform(lo, hi, size=shp)


def away(rng, shp, lo: float = 0.5, hi: float = 2.0) -> np.ndarray:
    """|x| in [lo, hi], either sign: away from 0 (a kink, a pole)."""
    return rng.uniform(lo, hi, size=shp) * rng.choice([-1.0, 1.0], size=shp)


def distinct(rng, shp, offset: float = 0.0) -> np.ndarray:
    """Distinct values k/10 + offset: no two tie (max, min), and two such arrays with offsets 0
    and 0.05 never tie either (maximum, minimum)."""
    n = int(np.prod(shp, dtype=int))
    return (rng.permutation(np.arange(-20, 21))[:n] / 10 + offset).reshape(shp)

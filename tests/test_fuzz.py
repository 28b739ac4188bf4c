"""Differential fuzzing: random compositions of the primitives, reverse mode against forward mode
against central differences (NNDL eq. 5.59), at orders 1 and 2, across broadcasting and 0-d
shapes. Every op used is smooth on the values it meets (denominators kept ≥ 1, logs of values ≥ 1)."""
import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import tinygrad_cn as tg
from tinygrad_cn.core.primitives import sampling as S

UNARY = [
    lambda a: tg.sin(a), lambda a: tg.tanh(a), lambda a: tg.sigmoid(a), lambda a: tg.softplus(a),
    lambda a: tg.exp(0.3 * a), lambda a: tg.log(1 + a * a), lambda a: tg.sqrt(1 + a * a), lambda a: -a,
    lambda a: a ** 2, lambda a: a ** 3, lambda a: a.T, lambda a: tg.cos(a) * 0.5,
]
BINARY = [
    lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / (1 + b * b),
    lambda a, b: (1 + a * a) ** (0.5 * tg.sigmoid(b)),
]


def _reduce(rng, a):
    if a.ndim == 0:
        return a.sum(axis=0)
    axes = tuple(int(i) for i in rng.choice(a.ndim, size=rng.integers(1, a.ndim + 1), replace=False))
    keep = bool(rng.integers(0, 2))
    return [a.sum(axis=axes, keepdims=keep), a.mean(axis=axes, keepdims=keep),
            a.logsumexp(axis=axes, keepdims=keep)][int(rng.integers(0, 3))]


def _program(seed):
    """f(x, y) of ~6 random ops on two inputs whose shapes broadcast (0-d included)."""
    rng = np.random.default_rng(seed)
    sx, sy = S.pair(rng)
    steps = [(int(rng.integers(0, 3)), int(rng.integers(0, 12)), int(rng.integers(0, 5)), int(rng.integers(0, 2**31)))
             for _ in range(6)]

    def f(x, y):
        vals = [x, y]
        for kind, u, b, s in steps:
            a = vals[-1]
            if kind == 0:
                vals.append(UNARY[u](a))
            elif kind == 1:
                other = vals[int(np.random.default_rng(s).integers(0, len(vals)))]
                try:
                    vals.append(BINARY[b](a, other))
                except tg.ShapeError:          # a transpose can make shapes stop broadcasting
                    vals.append(BINARY[b](a, a))
            else:
                vals.append(_reduce(np.random.default_rng(s), a))
        return vals[-1] + 0 * vals[0].sum() + 0 * vals[1].sum()     # depends on both inputs
    return f, S.reals(rng, sx, -1.5, 1.5), S.reals(rng, sy, -1.5, 1.5)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1))
def test_random_compositions_agree_three_ways_to_order_2(seed):
    f, x, y = _program(seed)
    tg.check_grad(f, x, y, order=2, atol=1e-5, rtol=1e-4)

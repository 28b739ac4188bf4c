"""Non-differentiable primitives: comparisons, and the masks and signs that other rows' rules use.

They are recorded like any op (so a recorded program stays valid when the input values change)
but pass no gradient: their outputs are piecewise constant.
"""
import numpy as np

from ..primitive import Notation, Primitive
from . import sampling as S

__all__ = ["less", "less_equal", "greater", "greater_equal", "equal", "not_equal", "sign", "step",
           "choose_first", "extremum_share", "stop_gradient"]


def _nondiff(name, forward, notation, sample):
    return Primitive(name, forward, notation=notation, sample=sample, differentiable=False)


def _pair_sample(rng):
    a, b = S.pair(rng)
    return (S.distinct(rng, a), S.distinct(rng, b, 0.05)), {}


def _compare(name, npfn, mark):
    return _nondiff(name, npfn, Notation(mark, f"{{0}} {mark} {{1}}", f"{{0}} {mark} {{1}}", 0), _pair_sample)


less = _compare("less", np.less, "<")
less_equal = _compare("less_equal", np.less_equal, "≤")
greater = _compare("greater", np.greater, ">")
greater_equal = _compare("greater_equal", np.greater_equal, "≥")
equal = _compare("equal", np.equal, "==")
not_equal = _compare("not_equal", np.not_equal, "≠")


def _unary_sample(rng):
    return (S.away(rng, S.shape(rng)),), {}


sign = _nondiff("sign", np.sign, Notation("sgn", "sgn({0})"), _unary_sample)

# Heaviside step with step(0) = 0, in x's dtype: relu's derivative
step = _nondiff("step", lambda a: (a > 0).astype(a.dtype), Notation("H", "H({0})"), _unary_sample)


def _choose_first_np(a, b, larger):
    """1 where ``a`` is chosen (a > b for maximum, a < b for minimum), 0.5 at a tie, else 0."""
    wins = np.greater(a, b) if larger else np.less(a, b)
    m = wins.astype(np.result_type(a.dtype, b.dtype, np.float16))
    m += 0.5 * (a == b)
    return m


choose_first = _nondiff("choose_first", _choose_first_np, Notation("1[a wins]", "choose({0}, {1})"),
                        lambda rng: (_pair_sample(rng)[0], {"larger": bool(rng.integers(0, 2))}))


def _share_np(a, o, axes, keepdims):
    """1/(number of ties) where ``a`` attains the reduced extremum ``o``, else 0."""
    kept = o if keepdims else np.expand_dims(o, axes)
    hit = (a == kept).astype(a.dtype)
    return hit / np.sum(hit, axis=axes, keepdims=True)


def _share_sample(rng):
    a = S.distinct(rng, S.shape(rng, 1))
    return (a, np.max(a, axis=0)), {"axes": (0,), "keepdims": False}


extremum_share = _nondiff("extremum_share", _share_np, Notation("share", "share({0}, {1})"), _share_sample)

# the identity, passing no gradient: a shift that a rule must not differentiate through
stop_gradient = _nondiff("stop_gradient", lambda a: a, Notation("sg", "sg({0})"), _unary_sample)

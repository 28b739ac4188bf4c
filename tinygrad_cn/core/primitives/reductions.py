"""Reductions over axes (sum, max, min, logsumexp) and matmul. ``axes`` is a sorted tuple of
valid axes (the public functions check it); ties of max/min split the gradient evenly."""
import numpy as np

from ..primitive import Notation, Primitive
from ..tensor import Tensor
from . import sampling as S
from .elementwise import exp
from .masks import extremum_share, stop_gradient
from .shapes import broadcast_to, reshape, transpose

__all__ = ["sum", "max", "min", "logsumexp", "matmul", "kept"]


def kept(x, axes, shape):
    """``x``, reduced over ``axes`` from ``shape``, reshaped to the keepdims shape (1 on those axes)."""
    if x.ndim == len(shape):             # reduced with keepdims (or over no axis): already that shape
        return x
    k = tuple(1 if i in axes else n for i, n in enumerate(shape))
    return x if x.shape == k else reshape(x, shape=k)


def _back(g, a, axes):
    return broadcast_to(kept(g, axes, a.shape), shape=a.shape)


def _reduce_sample(values=S.reals):
    def sample(rng):
        shp = S.shape(rng, 1)
        axes = tuple(sorted(int(i) for i in rng.choice(len(shp), size=rng.integers(1, len(shp) + 1),
                                                       replace=False)))
        return (values(rng, shp),), {"axes": axes, "keepdims": bool(rng.integers(0, 2))}
    return sample


# the ufuncs' reduce methods themselves (what np.sum, np.max call on an array, without their wrappers)
sum = Primitive("sum", lambda a, axes, keepdims: np.add.reduce(a, axis=axes, keepdims=keepdims),
                vjp=(lambda g, o, a, axes, keepdims: _back(g, a, axes),), linear=True,
                notation=Notation("Σ", "Σ {0}", "sum({0})"), sample=_reduce_sample(), array_rules=True)


def _near_tie(eps, a, axes, keepdims, larger):
    """Entries of ``a`` within ``eps`` of their slice's extremum, where another entry is too: a tie."""
    best = np.max(a, axis=axes, keepdims=True) if larger else np.min(a, axis=axes, keepdims=True)
    close = np.abs(a - best) <= eps
    return close & (np.sum(close, axis=axes, keepdims=True) > 1)


def _extremum(name, reduce, symbol):
    return Primitive(name, lambda a, axes, keepdims: reduce(a, axis=axes, keepdims=keepdims),
                     vjp=(lambda g, o, a, axes, keepdims:
                          _back(g, a, axes) * extremum_share(a, o, axes=axes, keepdims=keepdims),),
                     jvp=(lambda t, o, a, axes, keepdims:
                          sum(t * extremum_share(a, o, axes=axes, keepdims=keepdims), axes=axes, keepdims=keepdims),),
                     notation=Notation(symbol), sample=_reduce_sample(S.distinct), smooth=False,
                     convention=f"tied {name}ima share the gradient evenly",
                     kink=lambda eps, a, axes, keepdims: _near_tie(eps, a, axes, keepdims, name == "max"),
                     array_rules=True)


max = _extremum("max", np.maximum.reduce, "max")
min = _extremum("min", np.minimum.reduce, "min")


def _logsumexp_np(a, axes, keepdims):
    m = np.maximum.reduce(a, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.add.reduce(np.exp(a - m), axis=axes, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axes)


def _softmax_of(a, axes):
    """softmax of ``a`` over ``axes`` (logsumexp's derivative), shifted by the max m, which passes
    no gradient: a − m is exact where a − logsumexp(a) would round (a ≈ 1000)."""
    e = exp(a - stop_gradient(max(a, axes=axes, keepdims=True)))
    return e / sum(e, axes=axes, keepdims=True)


logsumexp = Primitive("logsumexp", _logsumexp_np,
                      vjp=(lambda g, o, a, axes, keepdims: kept(g, axes, a.shape) * _softmax_of(a, axes),),
                      jvp=(lambda t, o, a, axes, keepdims:
                           sum(t * _softmax_of(a, axes), axes=axes, keepdims=keepdims),),
                      notation=Notation("logΣexp", None, "logsumexp({0})"), sample=_reduce_sample(),
                      array_rules=True)


def _swap(x):
    return transpose(x, axes=(1, 0) if x.ndim == 2 else tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def _as_matrices(g, a, b):
    """NumPy's promotion of a vector operand: a (k,) → (1, k), b (k,) → (k, 1), and the cotangent
    reshaped to the product of those matrices. Two matrices (a layer's X @ Wᵀ) pass through as they are."""
    if a.ndim == 2 and b.ndim == 2:
        return a, b, g
    a2 = a if a.ndim > 1 else reshape(a, shape=(1,) + a.shape)
    b2 = b if b.ndim > 1 else reshape(b, shape=b.shape + (1,))
    shape = np.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]) + (a2.shape[-2], b2.shape[-1])
    return a2, b2, g if g.shape == shape else reshape(g, shape=shape)


def _matmul_vjp_a(g, o, a, b):
    a2, b2, g2 = _as_matrices(g, a, b)
    ga = g2 @ _swap(b2)
    return ga if a.ndim > 1 else reshape(ga, shape=ga.shape[:-2] + ga.shape[-1:])


def _matmul_vjp_b(g, o, a, b):
    a2, b2, g2 = _as_matrices(g, a, b)
    # aᵀg, laid out like b: when b is a transposed view (the W.T of X @ W.T + b), (gᵀa)ᵀ gives W's
    # gradient in W's own row-major layout, which the optimiser's update reads ~5× faster
    layout = (b._data if isinstance(b, Tensor) else b).flags   # the layout, not the values: no read to watch
    if b.ndim == 2 and layout.f_contiguous and not layout.c_contiguous:
        return _swap(_swap(g2) @ a2)
    gb = _swap(a2) @ g2
    return gb if b.ndim > 1 else reshape(gb, shape=gb.shape[:-1])


def _matmul_sample(rng):
    n, k, m = (int(v) for v in rng.integers(1, 4, size=3))
    a_shape = [(k,), (n, k), S.shape(rng, 1, 1) + (n, k)][int(rng.integers(0, 3))]
    b_shape = [(k,), (k, m)][int(rng.integers(0, 2))]
    return (S.reals(rng, a_shape), S.reals(rng, b_shape)), {}


def _matmul_np(a, b):
    """a @ b with NumPy's rules, a vector operand promoted to a matrix and the added axis dropped
    afterwards, so a vector takes the same (matrix) kernel as the rest of the engine."""
    out = np.matmul(a if a.ndim > 1 else a[None], b if b.ndim > 1 else b[:, None])
    if b.ndim == 1:
        out = out[..., 0]
    return out if a.ndim > 1 else out[..., 0, :] if b.ndim > 1 else out[..., 0]


# a @ b for matrices, batches of matrices and vectors
matmul = Primitive("matmul", _matmul_np, vjp=(_matmul_vjp_a, _matmul_vjp_b),
                   jvp=(lambda t, o, a, b: matmul(t, b), lambda t, o, a, b: matmul(a, t)),
                   notation=Notation("@", "{0} {1}", "{0} @ {1}", 2), sample=_matmul_sample, array_rules=True)

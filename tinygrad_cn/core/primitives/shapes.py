"""Linear primitives that move, copy or sum entries: reshape, transpose, broadcast_to and its
adjoint sum_to (the one place where broadcasting is undone), getitem and its adjoint
scatter_add, concatenate, identity. Each unary one states only its transpose (``linear=True``)."""
import numpy as np

from ..primitive import Notation, Primitive, per_input
from . import sampling as S

__all__ = ["reshape", "transpose", "broadcast_to", "sum_to", "getitem", "scatter_add", "concatenate",
           "identity", "inverse_permutation"]


def _sample_reshape(rng):
    shp = S.shape(rng)
    return (S.reals(rng, shp),), {"shape": (int(np.prod(shp, dtype=int)),)}


# reshape and transpose call the array's own methods (np.reshape and np.transpose do, after a wrapper)
reshape = Primitive("reshape", lambda a, shape: a.reshape(shape),
                    vjp=(lambda g, o, a, shape: reshape(g, shape=a.shape),), linear=True, array_rules=True,
                    notation=Notation("reshape", "reshape({0})"), sample=_sample_reshape)


def inverse_permutation(perm):
    """The axes that undo ``perm``: inv[perm[i]] = i, i.e. the positions of 0, 1, ... in ``perm``."""
    return tuple(sorted(range(len(perm)), key=perm.__getitem__))


def _sample_transpose(rng):
    shp = S.shape(rng)
    return (S.reals(rng, shp),), {"axes": tuple(int(i) for i in rng.permutation(len(shp)))}


transpose = Primitive("transpose", lambda a, axes: a.transpose(axes),
                      vjp=(lambda g, o, a, axes: transpose(g, axes=inverse_permutation(axes)),), linear=True,
                      notation=Notation("ᵀ", "{0}ᵀ", "{0}.T"), sample=_sample_transpose, array_rules=True)


def _sample_broadcast(rng):
    small = S.pair(rng)[0]
    full = tuple(n if n != 1 else int(rng.integers(1, 4)) for n in small)
    return (S.reals(rng, small),), {"shape": (2,) + full}


broadcast_to = Primitive("broadcast_to", lambda a, shape: np.broadcast_to(a, shape),
                         vjp=(lambda g, o, a, shape: sum_to(g, shape=a.shape),), linear=True, array_rules=True,
                         notation=Notation("broadcast", "broadcast({0})"), sample=_sample_broadcast)


def _sum_to_np(a, shape):
    lead = a.ndim - len(shape)
    if lead and shape and a.shape[lead:] == shape:   # only leading axes (a bias's gradient): no reshape
        return np.add.reduce(a, axis=tuple(range(lead)))
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and a.shape[i + lead] != 1)
    s = np.add.reduce(a, axis=axes, keepdims=True) if axes else a
    return s.reshape(shape)


def _sample_sum_to(rng):
    (a,), p = _sample_broadcast(rng)
    return (S.reals(rng, p["shape"]),), {"shape": a.shape}


sum_to = Primitive("sum_to", _sum_to_np, vjp=(lambda g, o, a, shape: broadcast_to(g, shape=a.shape),),
                   linear=True, array_rules=True, notation=Notation("Σ→", "sum_to({0})"), sample=_sample_sum_to)


def _scatter_add_np(g, index, shape):
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, index, g)   # repeated indices add up
    return out


def _sample_getitem(rng):
    shp = S.shape(rng, 1)
    index = (rng.integers(0, shp[0], size=4),)         # repeated indices: their gradients add up
    return (S.reals(rng, shp),), {"index": index}


getitem = Primitive("getitem", lambda a, index: a[index],
                    vjp=(lambda g, o, a, index: scatter_add(g, index=index, shape=a.shape),), linear=True,
                    notation=Notation("[ ]", "{0}[·]", "{0}[...]"), sample=_sample_getitem, array_rules=True)


def _sample_scatter(rng):
    (a,), p = _sample_getitem(rng)
    return (S.reals(rng, a[p["index"]].shape),), {"index": p["index"], "shape": a.shape}


scatter_add = Primitive("scatter_add", _scatter_add_np,
                        vjp=(lambda g, o, a, index, shape: getitem(g, index=index),), linear=True, array_rules=True,
                        notation=Notation("scatter+", "scatter_add({0})"), sample=_sample_scatter)


def _concat_piece(i, g, o, *xs, axis):
    start = sum(x.shape[axis] for x in xs[:i])
    index = (slice(None),) * (axis % g.ndim) + (slice(start, start + xs[i].shape[axis]),)
    return getitem(g, index=index)


def _concat_tangent(i, t, o, *xs, axis):
    zeros = [np.zeros(x.shape, t.dtype) for x in xs]
    return concatenate(*[t if j == i else z for j, z in enumerate(zeros)], axis=axis)


def _sample_concat(rng):
    shp = S.shape(rng, 1)
    other = (int(rng.integers(1, 4)),) + shp[1:]
    return (S.reals(rng, shp), S.reals(rng, other)), {"axis": 0}


concatenate = Primitive("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis),
                        vjp=per_input(_concat_piece), jvp=per_input(_concat_tangent),
                        notation=Notation("concat"), sample=_sample_concat, array_rules=True)

identity = Primitive("identity", lambda a: a, vjp=(lambda g, o, a: g,), linear=True, array_rules=True,
                     notation=Notation("=", "{0}", "{0}"),
                     sample=lambda rng: ((S.reals(rng, S.shape(rng)),), {}))

"""Every op as a public function, in one namespace (``tg.exp``, ``tg.sum``, ...): the elementwise
rows of the primitive table as they are (each coerces numbers, lists, arrays and Tensors alike),
the functions whose arguments need more (axes, shapes, indices, vectors in matmul), and the
composites built from primitives (mean, softmax, log_softmax, squeeze, unsqueeze, stack).

Axes are checked as NumPy checks them: an integer in [−ndim, ndim), not repeated; a 0-d tensor
takes axis 0 or −1 (as PyTorch does), meaning no axis at all.
"""
from __future__ import annotations

import builtins
import math
import operator

import numpy as np

from . import primitives as P
from .errors import AxisError, ShapeError
from .primitives import (
    abs,
    add,
    cos,
    div,
    equal,
    exp,
    greater,
    greater_equal,
    identity,
    less,
    less_equal,
    log,
    maximum,
    minimum,
    mul,
    neg,
    not_equal,
    pow,
    relu,
    sigmoid,
    sin,
    softplus,
    sqrt,
    stop_gradient,
    sub,
    tanh,
)
from .tensor import Tensor, as_tensor

__all__ = ["abs", "add", "cos", "div", "equal", "exp", "greater", "greater_equal", "identity", "less",
           "less_equal", "log", "maximum", "minimum", "mul", "neg", "not_equal", "pow", "relu", "sigmoid", "sin",
           "softplus", "sqrt", "stop_gradient", "sub", "tanh",
           "sum", "mean", "max", "min", "logsumexp", "softmax", "log_softmax", "reshape", "transpose",
           "permute", "broadcast_to", "sum_to", "squeeze", "unsqueeze", "getitem", "concatenate", "cat",
           "stack", "matmul", "where", "normalize_axes"]


def _axis_int(a, who):
    if isinstance(a, (bool, np.bool_)) or not isinstance(a, (int, np.integer)):
        raise AxisError(f"{who}: an axis must be an integer, got {a!r} ({type(a).__name__})")
    return operator.index(a)


def normalize_axes(axis, ndim: int, who: str, extra: int = 0) -> tuple:
    """``axis`` (None, an integer or a sequence of them) as a sorted tuple of axes in
    [0, ndim + extra). A 0-d tensor takes 0 or −1 as "no axis" (returns ())."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if not isinstance(axis, (tuple, list)) else tuple(axis)
    n = builtins.max(ndim + extra, 1)      # a 0-d tensor has one virtual axis: 0 or -1
    out = []
    for a in axes:
        a = _axis_int(a, who)
        if not -n <= a < n:
            where = "a 0-d tensor (only 0 or -1)" if ndim + extra == 0 else \
                f"a tensor with {ndim} dimension(s); valid axes are {-n} to {n - 1}"
            raise AxisError(f"{who}: axis {a} is out of range for {where}")
        out.append(a % n)
    if len(set(out)) != len(out):
        raise AxisError(f"{who}: axis {axis!r} repeats an axis; give each axis once")
    if ndim + extra == 0:
        return ()
    return tuple(sorted(out))


def _reduce(prim, x, axis, keepdims):
    x = as_tensor(x)
    return prim(x, axes=normalize_axes(axis, x.ndim, prim.name), keepdims=bool(keepdims))


def sum(x, axis=None, keepdims: bool = False) -> Tensor:
    """Σ over ``axis`` (all axes by default)."""
    return _reduce(P.sum, x, axis, keepdims)


def max(x, axis=None, keepdims: bool = False) -> Tensor:
    """Max over ``axis``; tied maxima share the gradient evenly."""
    return _reduce(P.max, x, axis, keepdims)


def min(x, axis=None, keepdims: bool = False) -> Tensor:
    """Min over ``axis``; tied minima share the gradient evenly."""
    return _reduce(P.min, x, axis, keepdims)


def logsumexp(x, axis=None, keepdims: bool = False) -> Tensor:
    """log Σ exp(x), computed stably (the max is subtracted first); its gradient is softmax."""
    return _reduce(P.logsumexp, x, axis, keepdims)


def mean(x, axis=None, keepdims: bool = False) -> Tensor:
    x = as_tensor(x)
    axes = normalize_axes(axis, x.ndim, "mean")
    return P.sum(x, axes=axes, keepdims=bool(keepdims)) / math.prod(x.shape[i] for i in axes)


def log_softmax(x, axis: int = -1) -> Tensor:
    """x − logsumexp(x): log of softmax (NNDL eq. 5.34), finite for logits of any size."""
    x = as_tensor(x)
    return x - logsumexp(x, axis, keepdims=True)


def softmax(x, axis: int = -1) -> Tensor:
    return P.exp(log_softmax(x, axis))


def reshape(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
    known = math.prod(n for n in shape if n != -1)
    fits = (known == x.size) if -1 not in shape else (known > 0 and x.size % known == 0)
    if not fits or shape.count(-1) > 1 or builtins.min(shape, default=0) < -1:
        raise ShapeError(f"reshape: cannot reshape {x.shape} ({x.size} elements) to {shape}; the "
                         "number of elements must stay the same (at most one -1)")
    if -1 in shape:
        shape = tuple(x.size // known if n == -1 else n for n in shape)
    return x if shape == x.shape else P.reshape(x, shape=shape)


def transpose(x, axes=None) -> Tensor:
    """Permute the axes (reverse them by default, as ``.T``)."""
    x = as_tensor(x)
    if axes is None:
        perm = tuple(reversed(range(x.ndim)))
    else:
        perm = tuple(_axis_int(a, "transpose") for a in axes)
        if len(perm) != x.ndim:
            raise AxisError(f"transpose: {tuple(axes)} does not name each of the {x.ndim} axes of shape "
                            f"{x.shape} once")
        perm = tuple(a % x.ndim if -x.ndim <= a < x.ndim else a for a in perm)
        if builtins.sorted(perm) != list(range(x.ndim)):
            raise AxisError(f"transpose: {tuple(axes)} is not a permutation of the {x.ndim} axes of shape "
                            f"{x.shape} (valid axes: {-x.ndim} to {x.ndim - 1}, each once)")
    return P.transpose(x, axes=perm)


permute = transpose


def broadcast_to(x, shape) -> Tensor:
    x = as_tensor(x)
    shape = tuple(shape)
    return x if x.shape == shape else P.broadcast_to(x, shape=shape)


def sum_to(x, shape) -> Tensor:
    """Sum ``x`` down to ``shape`` (the adjoint of broadcast_to)."""
    shape = tuple(shape)
    return x if x.shape == shape else P.sum_to(x, shape=shape)


def squeeze(x, axis=None) -> Tensor:
    x = as_tensor(x)
    axes = [i for i, n in enumerate(x.shape) if n == 1] if axis is None else normalize_axes(axis, x.ndim, "squeeze")
    bad = [i for i in axes if x.shape[i] != 1]
    if bad:
        raise ShapeError(f"squeeze: axis {bad[0]} of shape {x.shape} has size {x.shape[bad[0]]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def unsqueeze(x, axis: int) -> Tensor:
    x = as_tensor(x)
    (axis,) = normalize_axes(axis, x.ndim, "unsqueeze", extra=1)
    return reshape(x, x.shape[:axis] + (1,) + x.shape[axis:])


def _plain_index(index):
    """The index as a tuple, Tensors as arrays, and every array copied: changing the caller's
    index array later cannot change the recorded op."""
    index = index if isinstance(index, tuple) else (index,)
    return tuple(np.array(i.data if isinstance(i, Tensor) else i) if isinstance(i, (Tensor, np.ndarray, list))
                 else i for i in index)


def getitem(x, index) -> Tensor:
    """``x[index]``: slices, integers, integer arrays, boolean masks; repeated indices add up their
    gradients (scatter-add)."""
    x = as_tensor(x)
    index = _plain_index(index)
    try:
        return P.getitem(x, index=index)      # an index that does not fit fails before anything is recorded
    except IndexError as e:
        raise IndexError(f"getitem: index {index!r} does not fit shape {x.shape}: {e}") from None


def concatenate(xs, axis: int = 0) -> Tensor:
    xs = [as_tensor(x) for x in xs]
    if not xs:
        raise ValueError("concatenate: needs at least one tensor")
    (axis,) = normalize_axes(axis, xs[0].ndim, "concatenate") or (0,)
    return P.concatenate(*xs, axis=axis)


cat = concatenate


def stack(xs, axis: int = 0) -> Tensor:
    xs = [as_tensor(x) for x in xs]
    shapes = {x.shape for x in xs}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors must have the same shape, got {builtins.sorted(shapes)}")
    return concatenate([unsqueeze(x, axis) for x in xs], axis)


def where(cond, a, b) -> Tensor:
    """``a`` where ``cond`` holds, else ``b``; the gradient flows to the branch that was chosen."""
    cond = as_tensor(cond)
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}; "
                        "compare first, e.g. where(x > 0, x, 0)")
    return P.where(cond, a, b)


def matmul(a, b) -> Tensor:
    """``a @ b`` for vectors, matrices and batches of matrices (NumPy's rules)."""
    a, b = as_tensor(a), as_tensor(b)
    if a.ndim == 0 or b.ndim == 0:
        raise ShapeError(f"matmul: operands must have at least 1 dimension, got shapes {a.shape} and "
                         f"{b.shape}; use * to multiply by a scalar")
    k = 0 if b.ndim == 1 else b.ndim - 2
    if a.shape[-1] != b.shape[k]:
        fixes = []
        if a.ndim >= 2 and a.shape[-2] == b.shape[k]:
            fixes.append("a.T @ b")
        if b.ndim >= 2 and a.shape[-1] == b.shape[-1]:
            fixes.append("a @ b.T")
        hint = f"; {' or '.join(fixes)} would fit (transpose one of them?)" if fixes else ""
        raise ShapeError(f"matmul: shapes {a.shape} and {b.shape} do not fit: the last axis of the first "
                         f"({a.shape[-1]}) must equal axis {k} of the second ({b.shape[k]}){hint}")
    return P.matmul(a, b)

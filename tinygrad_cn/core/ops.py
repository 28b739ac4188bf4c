"""The primitives: for each, its NumPy forward, its vjp rule and its jvp rule, in one table.

A rule takes one input's share: ``vjp[i](g, out, *inputs, **kw)`` is the cotangent that the output
cotangent ``g`` sends to input ``i`` (NNDL eqs. 5.75–5.79: ∂f/∂h_{k-1} = ∂f/∂h_k · ∂h_k/∂h_{k-1}),
and ``jvp[i](t, out, *inputs, **kw)`` is the tangent that input ``i``'s tangent ``t`` adds to the
output (eqs. 5.69–5.74: ∂h_k/∂w = ∂h_k/∂h_{k-1} · ∂h_{k-1}/∂w). Rules are written with Tensor ops,
so the sweeps can record them and derivatives of derivatives work. A rule may return a cotangent
of the broadcast shape: the reverse sweep sums it back to the input's shape in one place
(``sum_to``), the forward sweep broadcasts tangents to the output's shape.

Conventions where a function has no derivative: relu'(0) = 0, abs'(0) = 0, maximum/minimum give
half to each side of a tie, max/min reductions split the gradient evenly among tied entries.

Composites (sigmoid is a primitive for stability; relu, softmax, log_softmax, mean, ... are built
from primitives) follow the table.
"""
import builtins
import math

import numpy as np

from .errors import ShapeError
from .tensor import Tensor, apply, as_tensor

PRIMITIVES = {}


class Primitive:
    """An elementary op: ``forward`` on ndarrays, and per-input ``vjp`` and ``jvp`` rules."""

    __slots__ = ("name", "forward", "vjp", "jvp")

    def __init__(self, name, forward, vjp, jvp):
        self.name, self.forward, self.vjp, self.jvp = name, forward, vjp, jvp
        PRIMITIVES[name] = self

    def __call__(self, *inputs, **kw):
        return apply(self, inputs, kw)

    def __repr__(self):
        return f"<primitive {self.name}>"


class _PerInput:
    """The rule for input ``i`` of a variadic primitive: ``rule[i](...) == fn(i, ...)``."""

    def __init__(self, fn):
        self.fn = fn

    def __getitem__(self, i):
        return lambda *args, **kw: self.fn(i, *args, **kw)


def _const(arr):
    """A constant (never differentiated): masks, signs, zeros."""
    return Tensor._make(np.asarray(arr))


def _zero(like):
    return _const(np.zeros((), like.dtype))


def _unary(name, forward, dfdx):
    """A primitive whose derivative is ``dfdx(out, a)``: vjp g·f'(a), jvp f'(a)·t."""
    return Primitive(name, forward,
                     vjp=(lambda g, out, a: g * dfdx(out, a),),
                     jvp=(lambda t, out, a: t * dfdx(out, a),))


# ---- elementwise arithmetic (broadcasting) ----------------------------------------------------
_add = Primitive("add", np.add, vjp=(lambda g, o, a, b: g, lambda g, o, a, b: g),
                 jvp=(lambda t, o, a, b: t, lambda t, o, a, b: t))
_sub = Primitive("sub", np.subtract, vjp=(lambda g, o, a, b: g, lambda g, o, a, b: -g),
                 jvp=(lambda t, o, a, b: t, lambda t, o, a, b: -t))
_mul = Primitive("mul", np.multiply, vjp=(lambda g, o, a, b: g * b, lambda g, o, a, b: g * a),
                 jvp=(lambda t, o, a, b: t * b, lambda t, o, a, b: a * t))
_div = Primitive("div", np.divide, vjp=(lambda g, o, a, b: g / b, lambda g, o, a, b: -g * o / b),
                 jvp=(lambda t, o, a, b: t / b, lambda t, o, a, b: -t * o / b))
_neg = Primitive("neg", np.negative, vjp=(lambda g, o, a: -g,), jvp=(lambda t, o, a: -t,))
# d(a^b)/da = b a^(b-1); d(a^b)/db = a^b ln a (asked for only when the exponent requires grad)
_pow = Primitive("pow", np.power,
                 vjp=(lambda g, o, a, b: g * b * a ** (b - 1), lambda g, o, a, b: g * o * log(a)),
                 jvp=(lambda t, o, a, b: t * b * a ** (b - 1), lambda t, o, a, b: t * o * log(a)))

exp = _unary("exp", np.exp, lambda out, a: out)
log = _unary("log", np.log, lambda out, a: 1 / a)
sqrt = _unary("sqrt", np.sqrt, lambda out, a: 0.5 / out)
sin = _unary("sin", np.sin, lambda out, a: cos(a))
cos = _unary("cos", np.cos, lambda out, a: -sin(a))
tanh = _unary("tanh", np.tanh, lambda out, a: 1 - out * out)            # NNDL eq. 5.82
abs = _unary("abs", np.abs, lambda out, a: _const(np.sign(a.data)))     # abs'(0) = 0


def _sigmoid_np(a):
    e = np.exp(-np.abs(a))                      # never overflows: σ(±1000) is exact 1 or 0
    return np.where(a >= 0, 1, e) / (1 + e)


# logistic σ(x) = 1/(1+e^{-x}), σ' = σ(1-σ) = σ(x)σ(-x) (NNDL eqs. 5.4, 5.81). The second form keeps
# the slope positive until |x| > 745, where 1-σ already rounds to 0 at x > 36.7 (log σ' stays finite)
sigmoid = _unary("sigmoid", _sigmoid_np, lambda out, a: out * sigmoid(-a))
# softplus(x) = log(1+e^x) (NNDL eq. 5.22), computed as logaddexp(0, x); softplus' = σ
softplus = _unary("softplus", lambda a: np.logaddexp(0, a), lambda out, a: sigmoid(a))


# relu(x) = max(0, x) (NNDL eq. 5.17); relu'(0) = 0. Its own primitive: np.maximum is ~15× faster
# than np.where on a random sign pattern, and relu is the hot path of every ReLU network
_relu = _unary("relu", lambda a: np.maximum(a, 0), lambda out, a: _const((a.data > 0).astype(a.dtype)))


def _tie_mask(a, b, first_wins):
    """1 where ``a`` is chosen, 0.5 at ties, 0 elsewhere (in the broadcast shape)."""
    m = first_wins(a.data, b.data).astype(np.result_type(a.dtype, b.dtype, np.float16))
    m += 0.5 * (a.data == b.data)
    return _const(m)


def _selector(name, forward, first_wins):
    return Primitive(name, forward,
                     vjp=(lambda g, o, a, b: g * _tie_mask(a, b, first_wins),
                          lambda g, o, a, b: g * (1 - _tie_mask(a, b, first_wins))),
                     jvp=(lambda t, o, a, b: t * _tie_mask(a, b, first_wins),
                          lambda t, o, a, b: t * (1 - _tie_mask(a, b, first_wins))))


_maximum = _selector("maximum", np.maximum, np.greater)
_minimum = _selector("minimum", np.minimum, np.less)

# where(cond, a, b): cond is a constant boolean array (kw), not an input
_where = Primitive("where", lambda a, b, cond: np.where(cond, a, b),
                   vjp=(lambda g, o, a, b, cond: where(cond, g, _zero(g)),
                        lambda g, o, a, b, cond: where(cond, _zero(g), g)),
                   jvp=(lambda t, o, a, b, cond: where(cond, t, _zero(t)),
                        lambda t, o, a, b, cond: where(cond, _zero(t), t)))

# ---- linear algebra -----------------------------------------------------------------------------
def _swap(x):
    return _transpose(x, axes=tuple(range(x.ndim - 2)) + (x.ndim - 1, x.ndim - 2))


def _matmul_vjp_b(g, o, a, b):
    # aᵀg, laid out like b: when b is a transposed view (the W.T of X @ W.T + b), (gᵀa)ᵀ gives W's
    # gradient in W's own row-major layout, which the optimiser's update reads ~5× faster
    if b.ndim == 2 and b.data.flags.f_contiguous and not b.data.flags.c_contiguous:
        return _swap(_swap(g) @ a)
    return _swap(a) @ g


_matmul = Primitive("matmul", np.matmul,
                    vjp=(lambda g, o, a, b: g @ _swap(b), _matmul_vjp_b),
                    jvp=(lambda t, o, a, b: t @ b, lambda t, o, a, b: a @ t))


# ---- reductions ---------------------------------------------------------------------------------
def _axes(axis, ndim):
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    return tuple(builtins.sorted(a % ndim for a in axes))


def _kept(x, axes, shape):
    """Reshape ``x``, reduced over ``axes`` from ``shape``, to the keepdims shape (1 on those axes)."""
    kept = tuple(1 if i in axes else n for i, n in enumerate(shape))
    return x if x.shape == kept else reshape(x, kept)


_sum = Primitive("sum", lambda a, axes, keepdims: np.sum(a, axis=axes, keepdims=keepdims),
                 vjp=(lambda g, o, a, axes, keepdims: broadcast_to(_kept(g, axes, a.shape), a.shape),),
                 jvp=(lambda t, o, a, axes, keepdims: sum(t, axes, keepdims),))


def _argmax_share(a, o, axes):
    """Where the max (min) is attained, 1/(number of ties): the gradient is split among ties."""
    hit = (a.data == _kept(o, axes, a.shape).data).astype(a.dtype)
    return _const(hit / np.sum(hit, axis=axes, keepdims=True))


def _extremum(name, reduce):
    return Primitive(name, lambda a, axes, keepdims: reduce(a, axis=axes, keepdims=keepdims),
                     vjp=(lambda g, o, a, axes, keepdims:
                          broadcast_to(_kept(g, axes, a.shape), a.shape) * _argmax_share(a, o, axes),),
                     jvp=(lambda t, o, a, axes, keepdims:
                          sum(t * _argmax_share(a, o, axes), axes, keepdims),))


_max = _extremum("max", np.max)
_min = _extremum("min", np.min)


def _logsumexp_np(a, axes, keepdims):
    m = np.max(a, axis=axes, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    out = np.log(np.sum(np.exp(a - m), axis=axes, keepdims=True)) + m
    return out if keepdims else np.squeeze(out, axis=axes)


def _softmax_of(a, o, axes):
    """softmax of ``a`` over ``axes`` (logsumexp's derivative). Shifted by the constant max m, not
    by logsumexp itself: a − m is exact where a − logsumexp(a) would round (a ≈ 1000)."""
    e = exp(a - _const(np.max(a.data, axis=axes, keepdims=True)))
    return e / sum(e, axes, keepdims=True)


_logsumexp = Primitive("logsumexp", _logsumexp_np,
                       vjp=(lambda g, o, a, axes, keepdims: _kept(g, axes, a.shape) * _softmax_of(a, o, axes),),
                       jvp=(lambda t, o, a, axes, keepdims: sum(t * _softmax_of(a, o, axes), axes, keepdims),))

# ---- shape ----------------------------------------------------------------------------------------
_reshape = Primitive("reshape", lambda a, shape: np.reshape(a, shape),
                     vjp=(lambda g, o, a, shape: reshape(g, a.shape),),
                     jvp=(lambda t, o, a, shape: reshape(t, shape),))
_transpose = Primitive("transpose", lambda a, axes: np.transpose(a, axes),
                       vjp=(lambda g, o, a, axes: _transpose(g, axes=_inverse(axes)),),
                       jvp=(lambda t, o, a, axes: transpose(t, axes),))
def _inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return tuple(inv)


_broadcast_to = Primitive("broadcast_to", lambda a, shape: np.broadcast_to(a, shape),
                          vjp=(lambda g, o, a, shape: sum_to(g, a.shape),),
                          jvp=(lambda t, o, a, shape: broadcast_to(t, shape),))


def _sum_to_np(a, shape):
    lead = a.ndim - len(shape)
    axes = tuple(range(lead)) + tuple(i + lead for i, n in enumerate(shape) if n == 1 and a.shape[i + lead] != 1)
    s = np.sum(a, axis=axes, keepdims=True) if axes else a
    return s.reshape(shape)


# sum_to is broadcast_to's adjoint: it undoes broadcasting, the one place that does
_sum_to = Primitive("sum_to", _sum_to_np,
                    vjp=(lambda g, o, a, shape: broadcast_to(g, a.shape),),
                    jvp=(lambda t, o, a, shape: sum_to(t, shape),))


def _scatter_add_np(g, index, shape):
    out = np.zeros(shape, dtype=g.dtype)
    np.add.at(out, index, g)   # repeated indices add up
    return out


_getitem = Primitive("getitem", lambda a, index: a[index],
                     vjp=(lambda g, o, a, index: _scatter_add(g, index=index, shape=a.shape),),
                     jvp=(lambda t, o, a, index: _getitem(t, index=index),))
_scatter_add = Primitive("scatter_add", _scatter_add_np,
                         vjp=(lambda g, o, a, index, shape: _getitem(g, index=index),),
                         jvp=(lambda t, o, a, index, shape: _scatter_add(t, index=index, shape=shape),))


def _concat_piece(i, g, inputs, axis):
    start = builtins.sum(x.shape[axis] for x in inputs[:i])
    index = (slice(None),) * (axis % g.ndim) + (slice(start, start + inputs[i].shape[axis]),)
    return _getitem(g, index=index)


_concatenate = Primitive("concatenate", lambda *xs, axis: np.concatenate(xs, axis=axis),
                         vjp=_PerInput(lambda i, g, o, *xs, axis: _concat_piece(i, g, xs, axis)),
                         jvp=_PerInput(lambda i, t, o, *xs, axis: concatenate(
                             [t if j == i else _const(np.zeros(x.shape, t.dtype)) for j, x in enumerate(xs)],
                             axis)))

_identity = Primitive("identity", lambda a: a, vjp=(lambda g, o, a: g,), jvp=(lambda t, o, a: t,))


# ==== the public functions (what Tensor's operators and methods call) =========================
def _binary(prim, a, b):
    if not isinstance(a, Tensor):
        a = as_tensor(a, like=b)
    if not isinstance(b, Tensor):
        b = as_tensor(b, like=a)
    return prim(a, b)


def add(a, b): return _binary(_add, a, b)
def sub(a, b): return _binary(_sub, a, b)
def mul(a, b): return _binary(_mul, a, b)
def div(a, b): return _binary(_div, a, b)
def pow(a, b): return _binary(_pow, a, b)
def neg(a): return _neg(as_tensor(a))


def maximum(a, b):
    """Elementwise max; at a tie each side gets half the gradient."""
    return _binary(_maximum, a, b)


def minimum(a, b):
    """Elementwise min; at a tie each side gets half the gradient."""
    return _binary(_minimum, a, b)


def where(cond, a, b):
    """``a`` where ``cond`` holds, else ``b``; the gradient flows to the branch that was chosen."""
    cond = cond.data if isinstance(cond, Tensor) else np.asarray(cond)
    if cond.dtype != bool:
        raise TypeError(f"where: the condition must be boolean, got dtype {cond.dtype}; "
                        "compare first, e.g. where(x > 0, x, 0)")
    if not isinstance(a, Tensor):
        a = as_tensor(a, like=b if isinstance(b, Tensor) else None)
    b = as_tensor(b, like=a)
    return _where(a, b, cond=cond)


def _compare(npfn):
    def compare(a, b):
        a = as_tensor(a)
        b = as_tensor(b, like=a)
        try:
            return Tensor._make(npfn(a.data, b.data))
        except ValueError as e:
            raise ShapeError(f"{npfn.__name__}: shapes {a.shape} and {b.shape} do not broadcast: {e}") from None
    compare.__name__ = npfn.__name__
    compare.__doc__ = f"Elementwise {npfn.__name__} (a boolean tensor, no gradient)."
    return compare


less, less_equal, greater, greater_equal, equal, not_equal = map(
    _compare, (np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal))


def matmul(a, b):
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
    if a.ndim >= 2 and b.ndim >= 2:
        return _matmul(a, b)
    # vectors: promote to matrices, multiply, drop the added axis (as NumPy does)
    a2 = unsqueeze(a, 0) if a.ndim == 1 else a
    b2 = unsqueeze(b, 1) if b.ndim == 1 else b
    out = _matmul(a2, b2)
    drop = ([out.ndim - 2] if a.ndim == 1 else []) + ([out.ndim - 1] if b.ndim == 1 else [])
    return squeeze(out, tuple(drop))


def sum(x, axis=None, keepdims=False):
    x = as_tensor(x)
    return _sum(x, axes=_axes(axis, x.ndim), keepdims=keepdims)


def mean(x, axis=None, keepdims=False):
    x = as_tensor(x)
    axes = _axes(axis, x.ndim)
    count = math.prod(x.shape[i] for i in axes)
    return sum(x, axes, keepdims) / count


def max(x, axis=None, keepdims=False):
    """Max over ``axis``; tied maxima share the gradient evenly."""
    x = as_tensor(x)
    return _max(x, axes=_axes(axis, x.ndim), keepdims=keepdims)


def min(x, axis=None, keepdims=False):
    """Min over ``axis``; tied minima share the gradient evenly."""
    x = as_tensor(x)
    return _min(x, axes=_axes(axis, x.ndim), keepdims=keepdims)


def logsumexp(x, axis=None, keepdims=False):
    """log Σ exp(x), computed stably (the max is subtracted first); its gradient is softmax."""
    x = as_tensor(x)
    return _logsumexp(x, axes=_axes(axis, x.ndim), keepdims=keepdims)


def log_softmax(x, axis=-1):
    """x − logsumexp(x): log of softmax (NNDL eq. 5.34), finite for logits of any size."""
    return x - logsumexp(x, axis, keepdims=True)


def softmax(x, axis=-1):
    return exp(log_softmax(x, axis))


def relu(x):
    """max(0, x) (NNDL eq. 5.17), with relu'(0) = 0."""
    return _relu(as_tensor(x))


def reshape(x, shape):
    x = as_tensor(x)
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(n) for n in shape)
    known = math.prod(n for n in shape if n != -1)
    fits = (known == x.size) if -1 not in shape else (known > 0 and x.size % known == 0)
    if not fits or shape.count(-1) > 1 or builtins.min(shape, default=0) < -1:
        raise ShapeError(f"reshape: cannot reshape {x.shape} ({x.size} elements) to {shape}; the "
                         "number of elements must stay the same (at most one -1)")
    return _reshape(x, shape=shape)


def transpose(x, axes=None):
    """Permute the axes (reverse them by default, as ``.T``)."""
    x = as_tensor(x)
    axes = tuple(reversed(range(x.ndim))) if axes is None else tuple(int(a) % builtins.max(x.ndim, 1) for a in axes)
    if builtins.sorted(axes) != list(range(x.ndim)):
        raise ShapeError(f"transpose: {axes} is not a permutation of the {x.ndim} axes of shape {x.shape}")
    return _transpose(x, axes=axes)


permute = transpose


def broadcast_to(x, shape):
    x = as_tensor(x)
    shape = tuple(shape)
    return x if x.shape == shape else _broadcast_to(x, shape=shape)


def sum_to(x, shape):
    """Sum ``x`` down to ``shape`` (the adjoint of broadcast_to)."""
    shape = tuple(shape)
    return x if x.shape == shape else _sum_to(x, shape=shape)


def squeeze(x, axis=None):
    x = as_tensor(x)
    axes = [i for i, n in enumerate(x.shape) if n == 1] if axis is None else _axes(axis, x.ndim)
    bad = [i for i in axes if x.shape[i] != 1]
    if bad:
        raise ShapeError(f"squeeze: axis {bad[0]} of shape {x.shape} has size {x.shape[bad[0]]}, not 1")
    return reshape(x, tuple(n for i, n in enumerate(x.shape) if i not in axes))


def unsqueeze(x, axis):
    x = as_tensor(x)
    axis = axis % (x.ndim + 1)
    return reshape(x, x.shape[:axis] + (1,) + x.shape[axis:])


def _plain_index(index):
    """Tensors in an index become arrays; the index becomes a tuple."""
    index = index if isinstance(index, tuple) else (index,)
    return tuple(i.data if isinstance(i, Tensor) else i for i in index)


def getitem(x, index):
    """``x[index]``: slices, integers, integer arrays, boolean masks; repeated indices add up their
    gradients (scatter-add)."""
    index = _plain_index(index)
    try:
        x.data[index]
    except IndexError as e:
        raise IndexError(f"getitem: index {index!r} does not fit shape {x.shape}: {e}") from None
    return _getitem(x, index=index)


def concatenate(xs, axis=0):
    xs = [as_tensor(x) for x in xs]
    if not xs:
        raise ValueError("concatenate: needs at least one tensor")
    return _concatenate(*xs, axis=axis)


cat = concatenate


def stack(xs, axis=0):
    xs = [as_tensor(x) for x in xs]
    shapes = {x.shape for x in xs}
    if len(shapes) > 1:
        raise ShapeError(f"stack: all tensors must have the same shape, got {builtins.sorted(shapes)}")
    return concatenate([unsqueeze(x, axis) for x in xs], axis)


def identity(x):
    return _identity(as_tensor(x))

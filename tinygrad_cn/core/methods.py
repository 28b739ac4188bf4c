"""Tensor's operators and methods (PyTorch's names), bound from the primitive table, the public
functions and the sweeps; and how NumPy's functions treat a Tensor.

NumPy interop: ``np.asarray(t)`` is the tensor's array. A NumPy ufunc or reduction on Tensors
(``np.exp(t)``, ``np.maximum(t, 0)``, ``np.sum(t)``) is dispatched to the primitive of the same
meaning and recorded, as HIPS autograd's wrapped NumPy does. Any other NumPy function computes a
plain array from the values when no argument requires grad, and raises TypeError when one does
(its gradient would be lost silently).
"""
import numpy as np

from . import ops as F
from . import primitives as P
from .graph import current_mode
from .sweeps import backward
from .tensor import Tensor

__all__ = ["UFUNCS", "ARRAY_FUNCTIONS", "METHODS"]

UFUNCS = {np.add: P.add, np.subtract: P.sub, np.multiply: P.mul, np.divide: P.div, np.negative: P.neg,
          np.power: P.pow, np.exp: P.exp, np.log: P.log, np.sqrt: P.sqrt, np.sin: P.sin, np.cos: P.cos,
          np.tanh: P.tanh, np.absolute: P.abs, np.maximum: P.maximum, np.minimum: P.minimum,
          np.matmul: F.matmul, np.less: P.less, np.less_equal: P.less_equal, np.greater: P.greater,
          np.greater_equal: P.greater_equal, np.equal: P.equal, np.not_equal: P.not_equal}


def _reduction(fn):
    def call(a, axis=None, dtype=None, out=None, keepdims=False, **kw):
        if dtype is not None or out is not None or kw:
            raise TypeError(f"np.{fn.__name__} on a Tensor: dtype=, out= and other NumPy options are not "
                            f"supported; call tg.{fn.__name__}(t, axis, keepdims)")
        return fn(a, axis, keepdims)
    return call


ARRAY_FUNCTIONS = {np.sum: _reduction(F.sum), np.mean: _reduction(F.mean), np.max: _reduction(F.max),
                   np.min: _reduction(F.min), np.amax: _reduction(F.max), np.amin: _reduction(F.min),
                   np.transpose: lambda a, axes=None: F.transpose(a, axes),
                   np.reshape: lambda a, shape=None, **kw: F.reshape(a, kw.get("newshape", shape)),
                   np.concatenate: lambda xs, axis=0: F.concatenate(xs, axis),
                   np.stack: lambda xs, axis=0: F.stack(xs, axis), np.where: F.where}


def _plain(x):
    if isinstance(x, Tensor):
        return x.data
    if isinstance(x, (list, tuple)):
        return type(x)(_plain(v) for v in x)
    return x


def _needs_grad(args):
    return any(_needs_grad(a) if isinstance(a, (list, tuple)) else isinstance(a, Tensor) and a.requires_grad
               for a in args)


def _unrecorded(name, args, kwargs, call):
    if _needs_grad(list(args) + list(kwargs.values())):
        raise TypeError(f"np.{name} on a Tensor that requires grad: tinygrad_cn cannot record it, so its "
                        "gradient would be lost; use the tg function of the same meaning (tg.exp, tg.sum, "
                        "tg.maximum, ...; see tg.PRIMITIVES), or np." + name + "(t.numpy()) for a value only")
    return call(*_plain(list(args)), **{k: _plain(v) for k, v in kwargs.items()})


def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
    fn = UFUNCS.get(ufunc)
    if fn is not None and method == "__call__" and not kwargs:
        return fn(*inputs)
    return _unrecorded(f"{ufunc.__name__}{'' if method == '__call__' else '.' + method}", inputs, kwargs,
                       getattr(ufunc, method))


def __array_function__(self, func, types, args, kwargs):
    fn = ARRAY_FUNCTIONS.get(func)
    if fn is not None:
        return fn(*args, **kwargs)
    return _unrecorded(func.__name__, args, kwargs, func)


def _axes_arg(args):
    """``t.permute(1, 0)`` and ``t.permute((1, 0))`` alike (also reshape, transpose)."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def _detach(t: Tensor) -> Tensor:
    """The same values, cut from the graph: a leaf that shares ``t``'s array. While ``tg.jit``
    traces, a recorded ``stop_gradient`` instead, so the compiled program reads the new values."""
    if current_mode().everything:
        out = P.stop_gradient(t)
        out.name = t.name
        return out
    return Tensor.wrap(t.data, False, t.name)


def _methods():
    ops = {
        "__add__": P.add.call, "__radd__": lambda s, o, _call=P.add.call: _call(o, s),
        "__sub__": P.sub.call, "__rsub__": lambda s, o, _call=P.sub.call: _call(o, s),
        "__mul__": P.mul.call, "__rmul__": lambda s, o, _call=P.mul.call: _call(o, s),
        "__truediv__": P.div.call, "__rtruediv__": lambda s, o, _call=P.div.call: _call(o, s),
        "__pow__": P.pow.call, "__rpow__": lambda s, o, _call=P.pow.call: _call(o, s),
        "__matmul__": lambda s, o: F.matmul(s, o), "__rmatmul__": lambda s, o: F.matmul(o, s),
        "__neg__": P.neg.call, "__abs__": P.abs.call, "__getitem__": F.getitem,
        "__lt__": P.less.call, "__le__": P.less_equal.call,
        "__gt__": P.greater.call, "__ge__": P.greater_equal.call,
        "__eq__": P.equal.call, "__ne__": P.not_equal.call,
        "__array_ufunc__": __array_ufunc__, "__array_function__": __array_function__,
        "backward": backward, "detach": _detach,
        "sum": lambda s, axis=None, keepdims=False: F.sum(s, axis, keepdims),
        "mean": lambda s, axis=None, keepdims=False: F.mean(s, axis, keepdims),
        "max": lambda s, axis=None, keepdims=False: F.max(s, axis, keepdims),
        "min": lambda s, axis=None, keepdims=False: F.min(s, axis, keepdims),
        "logsumexp": lambda s, axis=None, keepdims=False: F.logsumexp(s, axis, keepdims),
        "softmax": lambda s, axis=-1: F.softmax(s, axis),
        "log_softmax": lambda s, axis=-1: F.log_softmax(s, axis),
        "reshape": lambda s, *shape: F.reshape(s, _axes_arg(shape)),
        "transpose": lambda s, *axes: F.transpose(s, _axes_arg(axes) or None),
        "permute": lambda s, *axes: F.transpose(s, _axes_arg(axes)),
        "broadcast_to": lambda s, shape: F.broadcast_to(s, shape),
        "squeeze": lambda s, axis=None: F.squeeze(s, axis),
        "unsqueeze": lambda s, axis: F.unsqueeze(s, axis),
        "T": property(lambda s: F.transpose(s)),
    }
    for name in ("exp", "log", "sqrt", "sin", "cos", "tanh", "abs", "sigmoid", "relu", "softplus"):
        ops[name] = P.PRIMITIVES[name].call
    return ops


METHODS = _methods()
for _name, _fn in METHODS.items():
    setattr(Tensor, _name, _fn)
Tensor.__hash__ = object.__hash__        # __eq__ is elementwise; a tensor hashes by identity

"""Tensor: an n-d NumPy array that records the elementary op that made it.

Every op result that depends on a tensor with ``requires_grad=True`` remembers its primitive, its
inputs and the op's static parameters: that record is the computation graph (NNDL fig. 5.8,
eq. 5.62; published: §4.5.3) that the sweeps in ``autodiff`` walk. Nothing is recorded under
``no_grad()`` or when no input requires grad.
"""
import contextlib

import numpy as np

from .errors import AnomalyError, ShapeError


class _Mode:
    grad_enabled = True
    anomaly = False


def is_grad_enabled():
    return _Mode.grad_enabled


@contextlib.contextmanager
def _grad_mode(enabled):
    prev, _Mode.grad_enabled = _Mode.grad_enabled, enabled
    try:
        yield
    finally:
        _Mode.grad_enabled = prev


def no_grad():
    """Context manager: ops inside record nothing (as ``torch.no_grad``)."""
    return _grad_mode(False)


def enable_grad():
    """Context manager: ops inside record again, even within ``no_grad()``."""
    return _grad_mode(True)


@contextlib.contextmanager
def detect_anomaly():
    """Opt-in check: raise ``AnomalyError`` naming the first op whose value or gradient is NaN/inf
    although its inputs were finite."""
    prev, _Mode.anomaly = _Mode.anomaly, True
    try:
        yield
    finally:
        _Mode.anomaly = prev


_KIND_ERRORS = {
    "c": "complex numbers are not supported",
    "O": "object arrays are not supported (ragged lists or Python objects?)",
    "U": "strings are not numbers",
    "S": "bytes are not numbers",
    "M": "datetimes are not supported",
    "m": "timedeltas are not supported",
    "V": "structured arrays are not supported",
}


def _checked_array(data, dtype):
    try:
        arr = np.array(data, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Tensor: cannot make a numeric array from {type(data).__name__}: {e}") from None
    if arr.dtype.kind in _KIND_ERRORS:
        raise TypeError(f"Tensor: data of dtype {arr.dtype}: {_KIND_ERRORS[arr.dtype.kind]}; "
                        "pass real numbers (float64 by default, or dtype=np.float32)")
    if dtype is None and not isinstance(data, (np.ndarray, np.generic)) and arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)  # Python numbers and lists are float64, as in the textbook
    return arr


class Tensor:
    """An n-d array that records the op that made it (a node of the computation graph).

    ``Tensor(data, requires_grad=False, name=None, dtype=None)``: Python numbers and lists become
    float64; NumPy arrays keep their dtype (float32 stays float32). Only floating tensors can
    require grad.
    """

    __slots__ = ("data", "grad", "requires_grad", "name", "tangent", "prim", "inputs", "params",
                 "_retains_grad", "__weakref__")
    __array_ufunc__ = None  # ndarray (op) Tensor defers to Tensor's reflected operators

    def __init__(self, data, requires_grad=False, name=None, dtype=None):
        if isinstance(data, Tensor):
            data = data.data
        arr = _checked_array(data, dtype)
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"Tensor: a {arr.dtype} tensor cannot require grad (gradients need real "
                            "numbers); create it with dtype=np.float64, e.g. Tensor(x, dtype='float64', "
                            "requires_grad=True)")
        self._init(arr, bool(requires_grad), name)

    def _init(self, arr, requires_grad, name=None):
        self.data = arr
        self.grad = None
        self.requires_grad = requires_grad
        self.name = name
        self.tangent = None
        self.prim = None
        self.inputs = ()
        self.params = None
        self._retains_grad = False

    @classmethod
    def _make(cls, arr, requires_grad=False, name=None):
        """Wrap an ndarray without checks or copies (the hot path)."""
        t = object.__new__(cls)
        t._init(arr, requires_grad, name)
        return t

    # ---- attributes -------------------------------------------------------------------------
    shape = property(lambda self: self.data.shape)
    dtype = property(lambda self: self.data.dtype)
    ndim = property(lambda self: self.data.ndim)
    size = property(lambda self: self.data.size)
    op = property(lambda self: None if self.prim is None else self.prim.name,
                  doc="Name of the primitive that made this tensor (None for a leaf).")
    is_leaf = property(lambda self: self.prim is None)

    def numpy(self):
        return self.data

    def item(self):
        return self.data.item()

    def detach(self):
        """The same values, cut from the graph."""
        return Tensor._make(self.data, False, self.name)

    def named(self, name):
        """Set the name shown in tables and graphs (e.g. ``h1``) and return self, for chaining."""
        self.name = name
        return self

    def retain_grad(self):
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        self._retains_grad = True
        return self

    def zero_grad(self):
        self.grad = None

    def backward(self, gradient=None, retain_graph=None, create_graph=False):
        """Reverse-mode sweep from this tensor (NNDL eqs. 5.75–5.79); see ``autodiff.backward``."""
        from .autodiff import backward
        backward(self, gradient, retain_graph, create_graph)

    def __repr__(self):
        body = np.array2string(self.data, separator=", ", threshold=20, edgeitems=2, precision=6,
                               prefix="Tensor(")
        extras = []
        if self.name is not None:
            extras.append(f"name={self.name!r}")
        if self.ndim > 0:
            extras.append(f"shape={self.shape}")
        if self.dtype != np.float64:
            extras.append(f"dtype={self.dtype}")
        if self.prim is not None:
            extras.append(f"op={self.prim.name!r}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"Tensor({body}{''.join(', ' + e for e in extras)})"

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __bool__(self):
        return bool(self.data)

    def __float__(self):
        return float(self.data)

    def __int__(self):
        return int(self.data)

    __hash__ = object.__hash__

    # ---- operators: each calls a primitive or composite in ops -------------------------------
    def __add__(self, other): return _ops.add(self, other)
    def __radd__(self, other): return _ops.add(other, self)
    def __sub__(self, other): return _ops.sub(self, other)
    def __rsub__(self, other): return _ops.sub(other, self)
    def __mul__(self, other): return _ops.mul(self, other)
    def __rmul__(self, other): return _ops.mul(other, self)
    def __truediv__(self, other): return _ops.div(self, other)
    def __rtruediv__(self, other): return _ops.div(other, self)
    def __pow__(self, other): return _ops.pow(self, other)
    def __rpow__(self, other): return _ops.pow(other, self)
    def __matmul__(self, other): return _ops.matmul(self, other)
    def __rmatmul__(self, other): return _ops.matmul(other, self)
    def __neg__(self): return _ops.neg(self)
    def __abs__(self): return _ops.abs(self)
    def __getitem__(self, index): return _ops.getitem(self, index)
    def __lt__(self, other): return _ops.less(self, other)
    def __le__(self, other): return _ops.less_equal(self, other)
    def __gt__(self, other): return _ops.greater(self, other)
    def __ge__(self, other): return _ops.greater_equal(self, other)
    def __eq__(self, other): return _ops.equal(self, other)
    def __ne__(self, other): return _ops.not_equal(self, other)

    # ---- methods (PyTorch names) ---------------------------------------------------------------
    def exp(self): return _ops.exp(self)
    def log(self): return _ops.log(self)
    def sqrt(self): return _ops.sqrt(self)
    def sin(self): return _ops.sin(self)
    def cos(self): return _ops.cos(self)
    def tanh(self): return _ops.tanh(self)
    def abs(self): return _ops.abs(self)
    def sigmoid(self): return _ops.sigmoid(self)
    def relu(self): return _ops.relu(self)
    def softplus(self): return _ops.softplus(self)
    def sum(self, axis=None, keepdims=False): return _ops.sum(self, axis, keepdims)
    def mean(self, axis=None, keepdims=False): return _ops.mean(self, axis, keepdims)
    def max(self, axis=None, keepdims=False): return _ops.max(self, axis, keepdims)
    def min(self, axis=None, keepdims=False): return _ops.min(self, axis, keepdims)
    def logsumexp(self, axis=None, keepdims=False): return _ops.logsumexp(self, axis, keepdims)
    def softmax(self, axis=-1): return _ops.softmax(self, axis)
    def log_softmax(self, axis=-1): return _ops.log_softmax(self, axis)
    def reshape(self, *shape): return _ops.reshape(self, _axes_arg(shape))
    def transpose(self, *axes): return _ops.transpose(self, _axes_arg(axes) or None)
    def permute(self, *axes): return _ops.transpose(self, _axes_arg(axes))
    def broadcast_to(self, shape): return _ops.broadcast_to(self, shape)
    def squeeze(self, axis=None): return _ops.squeeze(self, axis)
    def unsqueeze(self, axis): return _ops.unsqueeze(self, axis)
    T = property(lambda self: _ops.transpose(self))


def _axes_arg(args):
    """``t.permute(1, 0)`` and ``t.permute((1, 0))`` alike (also reshape, transpose)."""
    return tuple(args[0]) if len(args) == 1 and isinstance(args[0], (tuple, list)) else args


def as_tensor(x, like=None):
    """``x`` as a Tensor; a Python number takes the floating dtype of ``like`` (so float32 stays
    float32)."""
    if isinstance(x, Tensor):
        return x
    if like is not None and like.dtype.kind == "f" and isinstance(x, (int, float)) \
            and not isinstance(x, bool):
        return Tensor._make(np.asarray(x, dtype=like.dtype))
    return Tensor(x)


def apply(op, inputs, kw):
    """Run primitive ``op`` forward on Tensors ``inputs``; record the node when it needs a gradient.

    On a shape error nothing is recorded and no tensor changes.
    """
    try:
        data = op.forward(*[t.data for t in inputs], **kw)
    except ValueError as e:
        shapes = ", ".join(str(t.shape) for t in inputs)
        raise ShapeError(f"{op.name}: input shapes {shapes} do not fit: {e}. Broadcasting aligns the "
                         "trailing dimensions, which must be equal or 1; reshape, unsqueeze or "
                         "transpose an input so they do.") from None
    if _Mode.anomaly:
        _check_finite(op.name, "value", data, [t.data for t in inputs])
    if _Mode.grad_enabled:
        for t in inputs:
            if t.requires_grad:
                out = Tensor._make(data, True)
                out.prim, out.inputs, out.params = op, inputs, kw
                return out
    return Tensor._make(data)


def _check_finite(opname, what, value, inputs):
    if np.all(np.isfinite(value)) or not all(np.all(np.isfinite(x)) for x in inputs):
        return
    bad = "NaN" if np.any(np.isnan(value)) else "inf"
    raise AnomalyError(f"detect_anomaly: {opname} produced {bad} in its {what} from finite inputs "
                       f"(shapes {', '.join(str(np.shape(x)) for x in inputs)}); look at this op's "
                       "inputs (log of 0? division by 0? exp of a large number?)")


from . import ops as _ops  # noqa: E402  (ops builds on Tensor; Tensor's methods call ops)

"""Tensor: an n-d NumPy array that can be a node of the computation graph.

A tensor made by a primitive that needs a gradient records the primitive (``prim``), its input
tensors (``inputs``) and its static parameters (``params``): that record is the computation graph
(NNDL fig. 5.8, eq. 5.62; published §4.5.3). ``graph`` records; ``sweeps`` and ``transforms``
walk it. Operators and methods (``+``, ``@``, ``exp``, ``sum``, ``backward``, ...) are bound to
the class by ``core.methods`` from the primitive table, so this module imports nothing above it.
"""
from __future__ import annotations

import contextlib
import contextvars
import itertools
import warnings
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import numpy as np

__all__ = ["Tensor", "as_array", "as_tensor", "last_write", "make_node", "watch_reads"]

_KIND_ERRORS = {
    "c": "complex numbers are not supported",
    "O": "object arrays are not supported (ragged lists or Python objects?)",
    "U": "strings are not numbers",
    "S": "bytes are not numbers",
    "M": "datetimes are not supported",
    "m": "timedeltas are not supported",
    "V": "structured arrays are not supported",
}

_seq = itertools.count(1)   # creation order: node numbers follow it (``graph.node_names``)
_next_seq = _seq.__next__
_new = object.__new__
_last_write = 0             # the stamp of the latest ``.data`` assignment (``last_write``)
_READ_WATCH: contextvars.ContextVar[Callable | None] = contextvars.ContextVar("tinygrad_cn_value_reads", default=None)


@contextlib.contextmanager
def watch_reads(callback: Callable) -> Iterator[None]:
    """Within the block (this thread only), ``callback(tensor, how, value)`` hears every read of a
    tensor's values into Python: ``bool(t)``, ``float(t)``, ``t.item()``, ``t.numpy()``, ... (how
    is the method's name). The compiler uses it to notice control flow that depends on values."""
    token = _READ_WATCH.set(callback)
    try:
        yield
    finally:
        _READ_WATCH.reset(token)


def _read(t, how, value):
    watch = _READ_WATCH.get()
    if watch is not None:
        watch(t, how, value)
    return value


def as_array(data, dtype=None, who="Tensor") -> np.ndarray:
    """``data`` as a real NumPy array (a copy): Python numbers and lists become float64, NumPy
    arrays keep their dtype. Complex, object, string and date data raise TypeError."""
    if isinstance(data, Tensor):
        data = _read(data, "Tensor", data._data)   # a read of its values (tg.jit guards it)
    try:
        arr = np.array(data, dtype=dtype)
    except (TypeError, ValueError) as e:
        raise TypeError(f"{who}: cannot make a numeric array from {type(data).__name__}: {e}") from None
    if arr.dtype.kind in _KIND_ERRORS:
        raise TypeError(f"{who}: data of dtype {arr.dtype}: {_KIND_ERRORS[arr.dtype.kind]}; "
                        "pass real numbers (float64 by default, or dtype=np.float32)")
    if dtype is None and not isinstance(data, (np.ndarray, np.generic)) and arr.dtype.kind in "iu":
        arr = arr.astype(np.float64)  # Python numbers and lists are float64, as in the textbook
    return arr


class Tensor:
    """An n-d array that records the op that made it (a node of the computation graph).

    ``Tensor(data, requires_grad=False, name=None, dtype=None)``: Python numbers and lists become
    float64; NumPy arrays keep their dtype (float32 stays float32). Only floating tensors can
    require grad. ``Tensor(t)`` of a tensor copies its values and starts a new leaf.
    """

    __slots__ = ("_data", "grad", "requires_grad", "name", "tangent", "prim", "inputs", "params",
                 "seq", "written", "swept", "retains_grad", "__weakref__")
    __array_priority__ = 1000

    def __init__(self, data, requires_grad: bool = False, name: str | None = None, dtype=None):
        if isinstance(data, Tensor) and data.requires_grad:
            warnings.warn("Tensor(t): t requires grad; the new tensor is a copy of its values, a new leaf "
                          "cut from t's graph (gradients will not reach t). Use t itself to stay in the "
                          "graph, or t.detach() for the values without a copy", stacklevel=2)
        arr = as_array(data, dtype)
        if requires_grad and arr.dtype.kind != "f":
            raise TypeError(f"Tensor: a {arr.dtype} tensor cannot require grad (gradients need real "
                            "numbers); create it with dtype=np.float64, e.g. Tensor(x, dtype='float64', "
                            "requires_grad=True)")
        self._init(arr, bool(requires_grad), name)

    def _init(self, arr, requires_grad, name=None, prim=None, inputs=(), params=None):
        self._data, self.grad, self.requires_grad, self.name, self.tangent = arr, None, requires_grad, name, None
        self.prim, self.inputs, self.params, self.seq = prim, inputs, params, _next_seq()
        self.written, self.swept, self.retains_grad = 0, False, False

    @classmethod
    def wrap(cls, arr: np.ndarray, requires_grad: bool = False, name: str | None = None) -> Tensor:
        """A tensor around ``arr`` itself, without checks or copies (the engine's hot path)."""
        t = _new(cls)
        t._init(arr, requires_grad, name)
        return t

    # ---- attributes -------------------------------------------------------------------------
    def _set_data(self, value):
        global _last_write
        self._data = value if isinstance(value, np.ndarray) else as_array(value, who="Tensor.data")
        self.written = _last_write = _next_seq()

    def _get_data(self):
        watch = _READ_WATCH.get()
        if watch is not None:
            watch(self, "data", self._data)
        return self._data

    data = property(_get_data, _set_data, doc="""The values (an ndarray). Reading them is heard by
        ``watch_reads`` (``tg.jit`` guards a value its trace read). Assigning (``t.data = a``,
        ``t.data -= a``) stamps the tensor as written, so a later sweep over a graph that recorded it
        raises MutationError instead of using stale values (writing into a slice, ``t.data[0] = 1``,
        is not seen).""")

    shape = property(lambda self: self._data.shape)
    dtype = property(lambda self: self._data.dtype)
    ndim = property(lambda self: self._data.ndim)
    size = property(lambda self: self._data.size)
    op = property(lambda self: None if self.prim is None else self.prim.name,
                  doc="Name of the primitive that made this tensor (None for a leaf).")
    is_leaf = property(lambda self: self.prim is None)

    def numpy(self) -> np.ndarray:
        return _read(self, "numpy", self._data)

    def item(self) -> float:
        return _read(self, "item", self._data.item())

    def tolist(self):
        return _read(self, "tolist", self._data.tolist())

    def named(self, name: str) -> Tensor:
        """Set the name shown in tables and graphs (e.g. ``h1``) and return self, for chaining."""
        self.name = name
        return self

    def retain_grad(self) -> Tensor:
        """Keep ``.grad`` on this non-leaf tensor after backward (leaves always keep it)."""
        self.retains_grad = True
        return self

    def zero_grad(self) -> None:
        self.grad = None

    def __repr__(self):
        shown = self._data + 0.0 if self._data.dtype.kind == "f" else self._data   # −0 printed as 0
        body = np.array2string(np.asarray(shown), separator=", ", threshold=20, edgeitems=2, precision=6,
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

    # ---- Python and NumPy interop -----------------------------------------------------------
    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d tensor; use t.item() for its value")
        return (self[i] for i in range(self.shape[0]))

    def _one(self, who):
        if self.size != 1:
            raise TypeError(f"{who}: only a one-element tensor converts to a Python number, this one has "
                            f"shape {self.shape}; use t.numpy() or t.tolist()")
        return self._data.item()

    def __bool__(self):
        return _read(self, "__bool__", bool(self._data))

    def __float__(self):
        return _read(self, "__float__", float(self._one("float()")))

    def __int__(self):
        return _read(self, "__int__", int(self._one("int()")))

    def __index__(self):
        if self.dtype.kind not in "iu":
            raise TypeError(f"a {self.dtype} tensor cannot be used as an index; use int(t)")
        return _read(self, "__index__", int(self._one("index")))

    def __format__(self, spec):
        return _read(self, "__format__", format(self._one("format()"), spec)) if spec else repr(self)

    def __round__(self, ndigits=None):
        return _read(self, "__round__", round(self._one("round()"), ndigits))

    def __array__(self, dtype=None, copy=None):
        if copy is False and dtype is not None and np.dtype(dtype) != self.dtype:
            raise ValueError("Tensor.__array__: a copy is needed to change the dtype")
        arr = self._data if dtype is None else self._data.astype(dtype, copy=False)
        return _read(self, "__array__", arr.copy() if copy else arr)

    __hash__ = object.__hash__

    if TYPE_CHECKING:   # bound by core.methods from the primitive table; declared here for type checkers
        def __add__(self, other) -> Tensor: ...
        def __radd__(self, other) -> Tensor: ...
        def __sub__(self, other) -> Tensor: ...
        def __rsub__(self, other) -> Tensor: ...
        def __mul__(self, other) -> Tensor: ...
        def __rmul__(self, other) -> Tensor: ...
        def __truediv__(self, other) -> Tensor: ...
        def __rtruediv__(self, other) -> Tensor: ...
        def __pow__(self, other) -> Tensor: ...
        def __rpow__(self, other) -> Tensor: ...
        def __matmul__(self, other) -> Tensor: ...
        def __rmatmul__(self, other) -> Tensor: ...
        def __neg__(self) -> Tensor: ...
        def __abs__(self) -> Tensor: ...
        def __getitem__(self, index) -> Tensor: ...
        def __lt__(self, other) -> Tensor: ...
        def __le__(self, other) -> Tensor: ...
        def __gt__(self, other) -> Tensor: ...
        def __ge__(self, other) -> Tensor: ...
        def __eq__(self, other) -> Tensor: ...  # type: ignore[override]
        def __ne__(self, other) -> Tensor: ...  # type: ignore[override]
        def exp(self) -> Tensor: ...
        def log(self) -> Tensor: ...
        def sqrt(self) -> Tensor: ...
        def sin(self) -> Tensor: ...
        def cos(self) -> Tensor: ...
        def tanh(self) -> Tensor: ...
        def abs(self) -> Tensor: ...
        def sigmoid(self) -> Tensor: ...
        def relu(self) -> Tensor: ...
        def softplus(self) -> Tensor: ...
        def sum(self, axis=None, keepdims: bool = False) -> Tensor: ...
        def mean(self, axis=None, keepdims: bool = False) -> Tensor: ...
        def max(self, axis=None, keepdims: bool = False) -> Tensor: ...
        def min(self, axis=None, keepdims: bool = False) -> Tensor: ...
        def logsumexp(self, axis=None, keepdims: bool = False) -> Tensor: ...
        def softmax(self, axis: int = -1) -> Tensor: ...
        def log_softmax(self, axis: int = -1) -> Tensor: ...
        def reshape(self, *shape) -> Tensor: ...
        def transpose(self, *axes) -> Tensor: ...
        def permute(self, *axes) -> Tensor: ...
        def broadcast_to(self, shape) -> Tensor: ...
        def squeeze(self, axis=None) -> Tensor: ...
        def unsqueeze(self, axis: int) -> Tensor: ...
        def detach(self) -> Tensor: ...
        def backward(self, gradient=None, retain_graph: bool | None = None, create_graph: bool = False) -> None: ...
        @property
        def T(self) -> Tensor: ...


def last_write() -> int:
    """The ``written`` stamp of the latest ``.data`` assignment to any tensor (0: none yet). A node
    with a larger ``seq`` was recorded after it, so none of its values has changed since."""
    return _last_write


def make_node(data, requires_grad: bool, prim, inputs: tuple, params) -> Tensor:
    """The tensor holding ``data`` that ``prim`` computed from ``inputs`` (a graph node), or with
    ``prim`` None a plain tensor: the engine's hot path, no checks, no copy."""
    t = _new(Tensor)
    t._init(data, requires_grad, None, prim, inputs, params)
    return t


def as_tensor(x, dtype: np.dtype | None = None) -> Tensor:
    """``x`` as a Tensor: a Tensor is returned as it is; a Python number becomes a NumPy scalar of
    ``dtype`` (a floating dtype; float64 by default), no array, no copy; lists and arrays are checked
    as by ``Tensor(x)``."""
    if isinstance(x, Tensor):
        return x
    if isinstance(x, (float, int)) and not isinstance(x, bool):
        return make_node((dtype or _FLOAT64).type(x), False, None, (), None)
    return Tensor(x)


_FLOAT64 = np.dtype(np.float64)

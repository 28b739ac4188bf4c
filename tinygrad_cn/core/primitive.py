"""A primitive is one row of the table: everything the engine knows about one elementary op.

- ``forward(*arrays, **params)``: its NumPy value;
- ``vjp[i](g, out, *inputs, **params)``: the cotangent that the output's cotangent ``g`` sends to
  input ``i`` (reverse mode, NNDL eqs. 5.75–5.79: ∂f/∂h_j = ∂f/∂h_k · ∂h_k/∂h_j);
- ``jvp[i](t, out, *inputs, **params)``: the tangent that input ``i``'s tangent ``t`` adds to the
  output (forward mode, eqs. 5.69–5.74: ∂h_k/∂w = ∂h_k/∂h_j · ∂h_j/∂w);
- ``notation``: how drawings, step tables and symbolic expressions write it;
- ``sample(rng)``: valid random inputs, from which the test suite checks the row.

Rules are written with Tensor ops, so a sweep can record them and derivatives of derivatives work.
They never read ``.data`` to build a value-dependent constant: masks and signs are themselves
(non-differentiable) primitives, so a recorded program stays valid for new input values. A rule
may return a cotangent of the broadcast shape; the reverse sweep sums it back (``sum_to``).
A linear primitive (``linear=True``) states only its transpose (the vjp); its jvp is the primitive
itself applied to the tangent, as JAX's ``deflinear`` and autograd's ``def_linear`` do.

``Primitive(...)`` is public: a row defined in user code is drawn, tabulated and checked like the
engine's own (tutorial 03 defines one).
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import ShapeError
from .graph import current_mode, record
from .tensor import Tensor, as_tensor

__all__ = ["Primitive", "Notation", "PRIMITIVES", "caller", "per_input"]

PRIMITIVES: dict = {}


@dataclass(frozen=True)
class Notation:
    """How an op is written. ``symbol``: the op's mark in a drawing ("×", "σ"); ``infix``: the
    textbook's form with ``{0}``, ``{1}`` for the inputs ("{0} · {1}"; None: a function call,
    "symbol(a, b)"); ``code``: a
    plain-text formula ("{0}*{1}"); ``prec``: how tightly the form binds (1: + −, 2: · /, 3: unary
    −, 4: power, 5: a function call or an atom); ``assoc``: which operand may stand unparenthesised
    at equal precedence ("both" for + and ·, "left" for − and /, "right" for a power)."""
    symbol: str
    infix: str | None = None
    code: str | None = None
    prec: int = 5
    assoc: str = "both"

    def write(self, args: Sequence[str], precs: Sequence[int] = (), code: bool = False) -> str:
        """The form with ``args`` filled in, each parenthesised where its precedence (``precs``,
        default: atoms) binds less tightly than this op needs."""
        form = self.code if code and self.code is not None else self.infix
        if form is None:                                   # a function call, any number of inputs
            return f"{self.symbol}({', '.join(args)})"
        if self.prec < 5:
            precs = list(precs) + [5] * (len(args) - len(precs))
            args = [f"({a})" if p < self.prec or (p == self.prec and (
                (i > 0 and self.assoc == "left") or (i == 0 and self.assoc == "right"))) else a
                for i, (a, p) in enumerate(zip(args, precs))]
        return form.format(*args)


def per_input(rule: Callable) -> Callable:
    """The rules of a variadic primitive: ``per_input(fn)[i](...) == fn(i, ...)``."""
    class _PerInput:
        def __getitem__(self, i):
            return lambda *args, **kw: rule(i, *args, **kw)
    return _PerInput()


class Primitive:
    """One row of the primitive table (see the module docstring).

    ``vjp`` and ``jvp`` hold one rule per input (``None`` for an input that gets no gradient, e.g.
    ``where``'s condition), or ``per_input(fn)`` for a variadic op. ``differentiable=False`` makes
    a recorded op that passes no gradient (comparisons, masks). ``convention`` says what the rules
    do where the function has no derivative (e.g. "relu'(0) = 0"); ``kink(eps, *arrays, **params)``
    says which inputs sit on or within ``eps`` of such a point (a bool, or a bool array per input
    entry), so ``check_grad`` can name the convention there. ``smooth=False`` keeps the row out of
    the second-order checks. ``array_rules=True`` declares that the rules (vjp and jvp) use only
    operators, ``.shape``/``.ndim`` and the table's primitives, so ``backward()`` and ``jvp`` (when
    they record nothing) may run them on the bare arrays instead of tensors: the same NumPy calls
    without a tensor per op (the package's rows do; the table test holds the two ways bit for bit
    equal). A taken ``name`` raises ValueError."""

    __slots__ = ("name", "forward", "vjp", "jvp", "notation", "sample", "differentiable", "linear",
                 "convention", "kink", "smooth", "array_rules", "call", "__weakref__")

    def __init__(self, name: str, forward: Callable, vjp=None, jvp=None, *, notation: Notation | None = None,
                 sample: Callable | None = None, linear: bool = False, differentiable: bool = True,
                 convention: str | None = None, kink: Callable | None = None, smooth: bool = True,
                 array_rules: bool = False):
        if name in PRIMITIVES:
            raise ValueError(f"Primitive: the name {name!r} is taken (by {PRIMITIVES[name]!r}); give the new "
                             "primitive another name")
        if differentiable and vjp is None:
            raise ValueError(f"Primitive {name!r}: give vjp rules (one per input), or differentiable=False")
        if linear:
            if jvp is not None:
                raise ValueError(f"Primitive {name!r}: a linear primitive states only its vjp (its transpose); "
                                 "its jvp is the primitive itself applied to the tangent")
            jvp = (lambda t, out, a, **params: self(t, **params),)
        if differentiable and jvp is None:
            raise ValueError(f"Primitive {name!r}: give jvp rules (one per input), or linear=True")
        self.name, self.forward, self.vjp, self.jvp = name, forward, vjp, jvp
        self.notation = notation or Notation(name)
        self.sample, self.linear, self.differentiable = sample, linear, differentiable
        self.convention, self.kink, self.smooth, self.array_rules = convention, kink, smooth, array_rules
        self.call = caller(self)
        PRIMITIVES[name] = self

    def __call__(self, *inputs, **params) -> Tensor:
        """Apply to numbers, lists, arrays or Tensors alike (see ``caller``)."""
        return self.call(*inputs, **params)

    def __repr__(self):
        return f"<primitive {self.name}>"


# NumPy's arithmetic ufuncs called through Python's operators: the same ufunc on arrays, and
# NumPy's scalar arithmetic (~10× faster, the same IEEE result) on the NumPy scalars that ops on
# 0-d tensors produce
_OPERATOR_FORMS = {np.add: operator.add, np.subtract: operator.sub, np.multiply: operator.mul,
                   np.true_divide: operator.truediv, np.negative: operator.neg}


def _coerce(inputs) -> tuple:
    """``inputs`` as Tensors; a number takes the floating dtype of the first floating Tensor."""
    dtype = None
    for t in inputs:
        if isinstance(t, Tensor) and t._data.dtype.kind == "f":
            dtype = t._data.dtype
            break
    return tuple([t if isinstance(t, Tensor) else as_tensor(t, dtype) for t in inputs])


def caller(prim: Primitive) -> Callable[..., Tensor]:
    """The function that applies ``prim`` (also bound as Tensor's operator): inputs may be numbers,
    lists, arrays or Tensors alike (one coercion for every primitive: a Python number takes the
    floating dtype of the first floating Tensor input); runs the NumPy forward and records the node
    if it needs a gradient. On a shape error nothing is recorded and no tensor changes. Every eager
    op costs one call of it: Tensor inputs skip the coercion, one or two inputs skip the list. While
    a sweep runs rules on bare arrays (``Mode.arrays``), it returns the forward's array:
    a Python number then meets the array as NumPy's weak scalar, which takes the array's dtype, as
    the coercion would."""
    forward = _OPERATOR_FORMS.get(prim.forward, prim.forward)

    def call(*inputs, **params):
        for x in inputs:
            if not isinstance(x, Tensor):
                if current_mode().arrays:
                    return forward(*inputs, **params)
                inputs = _coerce(inputs)
                break
        try:
            if len(inputs) == 2:
                a, b = inputs
                data = forward(a._data, b._data, **params)
            elif len(inputs) == 1:
                data = forward(inputs[0]._data, **params)
            else:
                data = forward(*[t._data for t in inputs], **params)
        except ValueError as e:
            shapes = ", ".join(str(t.shape) for t in inputs)
            raise ShapeError(f"{prim.name}: input shapes {shapes} do not fit: {e}. Broadcasting aligns the "
                             "trailing dimensions, which must be equal or 1; reshape, unsqueeze or "
                             "transpose an input so they do.") from None
        return record(prim, inputs, params, data)
    call.__name__ = call.__qualname__ = prim.name
    return call

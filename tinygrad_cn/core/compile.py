"""``jit``: a function of Tensors traced once into its recorded program, then run as straight-line
NumPy (the gradient as a program; NNDL §5.4, published §4.5: the reverse sweep written out).

``g = jit(f, wrt=(0, 1))`` records ``f`` on the first call's arguments, records the reverse sweep
too (``create_graph``: the backward is itself a list of primitive applications), and emits every
recorded primitive's NumPy ``forward`` as a line of Python (``codegen.build``). ``g(*args)``
returns ``(f(*args), gradients)`` as ``value_and_grad(f, wrt)`` does; ``g.jvp(primals, tangents)``
compiles forward mode; with ``wrt=None`` it compiles the forward pass alone. Programs are cached
per argument shapes and dtypes; ``g.source`` is the Python, ``g.show()`` the textbook's lines.

What is read at call time, and what is not (the compiled function never gives a stale answer
where the tracer can see the dependence; it retraces instead):

- arguments: a new shape or dtype compiles a new program;
- tensors ``f`` closes over (parameters): their current ``.data`` is read on every call, so
  in-place updates and ``p.data = ...`` are seen; a new shape retraces. Rebinding the name to a
  new Tensor object is not seen (the program holds the old object): make a new ``jit``;
- a value read into Python during the trace (``if loss > 0``, ``float(t)``, ``t.item()``,
  ``t.numpy()``, ``t.data``, ``Tensor(t)``) is recorded as a guard: when a later call reads a
  different value, the function is retraced. Class labels are such a read
  (``F.cross_entropy(logits, labels)``): new labels retrace; a one-hot target passed as an
  argument does not. ``detach()`` while tracing is a recorded ``stop_gradient``, and a transform
  called inside ``f`` reads its tensors through recorded ops, so neither needs a guard. What the
  tracer cannot see: random numbers drawn in Python (a dropout mask) become constants.

How tracing works: while tracing, every primitive application is recorded
(``graph.record_everything``, not only those with an input that requires grad), so masks, and
what is computed from masks, from arguments that need no gradient or from closed-over tensors,
are lines of the program rather than constants; and Tensor's value reads are heard
(``tensor.watch_reads``). Both hold in the tracing thread's context only. Every
floating argument requires grad while tracing, so ``tg.grad`` inside ``f`` records its sweep
(grad of grad compiles); a ``jit`` called inside another's trace runs inline.

The name: ``jit``, as JAX names the same contract (trace once per shapes and dtypes, cache, run
the result), and not ``compile``, Python's builtin that ``from tinygrad_cn import *`` would shadow.
"""
from __future__ import annotations

import contextlib
import contextvars
import inspect
import warnings

import numpy as np

from .codegen import Retrace, build
from .graph import enable_grad, record_everything, toposort
from .sweeps import forward_sweep, reverse_sweep
from .tensor import Tensor, as_array, watch_reads
from .transforms import jvp, value_and_grad

__all__ = ["jit", "Jit"]

_TRACE = contextvars.ContextVar("tinygrad_cn_jit_trace", default=None)
RETRACE_WARNING = 8     # retraces for one shape before a warning says the program depends on values


class _Trace:
    def __init__(self):
        self.start = Tensor.wrap(np.empty(0)).seq
        self.args: dict = {}
        self.guards: list = []

    def watches(self, t) -> bool:
        return t.prim is not None or id(t) in self.args or t.seq < self.start

    def read(self, t, how, value):
        """A value of ``t`` read into Python while tracing: the program holds only if it reads the same."""
        if self.watches(t):
            self.guards.append((t, "bool", bool(value)) if how == "__bool__" else
                               (t, "value", np.array(t._data, copy=True)))


@contextlib.contextmanager
def _tracing(trace):
    """Record every op (``graph.record_everything``) and hear every value read (``watch_reads``),
    in this thread only, while ``f`` runs."""
    token = _TRACE.set(trace)
    try:
        with enable_grad(), record_everything(), watch_reads(trace.read):
            yield trace
    finally:
        _TRACE.reset(token)


def _untraced(*arrays):
    raise Retrace("nothing compiled yet")


def _array_of(a, k):
    if isinstance(a, Tensor):
        return a.data
    if isinstance(a, np.ndarray):
        return a
    return as_array(a, who=f"jit: argument {k}")


class Jit:
    """A compiled function (see the module docstring); made by ``jit(f, wrt)``."""

    def __init__(self, f, wrt=None):
        if not callable(f):
            raise TypeError(f"jit: f must be a function of Tensors, got {type(f).__name__}")
        self.f, self.wrt = f, wrt
        items = () if wrt is None else (wrt,) if isinstance(wrt, (int, Tensor)) else tuple(wrt)
        for w in items:
            if isinstance(w, Tensor):
                if w.dtype.kind != "f" or not w.requires_grad:
                    raise TypeError(f"jit: wrt holds a {w.dtype} tensor that does not require grad; gradients are "
                                    "taken with respect to floating tensors made with requires_grad=True (a "
                                    "Parameter is)")
            elif not isinstance(w, int) or isinstance(w, bool):
                raise TypeError(f"jit: wrt takes argument positions (int) and tensors, got {w!r}")
        self._wrt = items
        try:
            self._names = [p.name for p in inspect.signature(f).parameters.values()
                           if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
        except (TypeError, ValueError):
            self._names = []
        self._cache: dict = {}
        self._retraces: dict = {}
        self.program = None
        self._fn = _untraced
        self.__name__ = getattr(f, "__name__", "f")

    def __repr__(self):
        return f"<tg.jit of {self.__name__}, wrt={self.wrt!r}, {len(self._cache)} program(s)>"

    # ---- calling ----------------------------------------------------------------------------
    def __call__(self, *args):
        """``f(*args)``, and with ``wrt`` the gradients: ``(value, grad)`` as ``value_and_grad``."""
        if _TRACE.get() is not None:          # inside another jit's trace: be part of its program
            return self._inline(args)
        arrays = [a.data if type(a) is Tensor else _array_of(a, k) for k, a in enumerate(args)]
        try:
            outs = self._fn(*arrays)
        except Retrace:
            outs = self._run("grad" if self._wrt else "value", arrays)
        if not self._wrt:
            return Tensor.wrap(outs[0])
        grads = tuple(Tensor.wrap(g) for g in outs[1:])
        return Tensor.wrap(outs[0]), grads[0] if isinstance(self.wrt, (int, Tensor)) else grads

    def _inline(self, args):
        if not self._wrt:
            return self.f(*args)
        if not all(isinstance(w, int) for w in self._wrt):
            raise TypeError(f"jit({self.__name__}) called inside another jit's trace with wrt tensors: call "
                            "the function itself there, or take gradients with tg.value_and_grad")
        nums = self.wrt if isinstance(self.wrt, int) else tuple(self._wrt)
        return value_and_grad(self.f, nums)(*args)

    def numpy(self, *arrays):
        """The compiled program itself: NumPy arrays in (the arguments), a tuple of arrays out
        (the value, then the gradients); no Tensor is made (the fast path)."""
        try:
            return self._fn(*arrays)
        except Retrace:
            return self._run("grad" if self._wrt else "value", arrays)

    def jvp(self, primals, tangents):
        """``(f(*primals), ∂f/∂primals · tangents)``, forward mode (NNDL eqs. 5.69–5.74), compiled."""
        primals, tangents = list(primals), list(tangents)
        if len(primals) != len(tangents):
            raise ValueError(f"jit.jvp: got {len(primals)} primal(s) but {len(tangents)} tangent(s); give one "
                             "tangent per primal, of the same shape")
        if _TRACE.get() is not None:
            return jvp(self.f, primals, tangents)
        arrays = [_array_of(a, k) for k, a in enumerate(primals + tangents)]
        for k, (p, t) in enumerate(zip(arrays, arrays[len(primals):])):
            if p.shape != t.shape:
                raise ValueError(f"jit.jvp: tangent {k} has shape {t.shape} but primal {k} has shape {p.shape}")
        out, tangent = self._run("jvp", arrays)
        return Tensor.wrap(out), Tensor.wrap(tangent)

    def _run(self, mode, arrays):
        """Run the program cached for these shapes (compiling it first if there is none, or if
        a guard fails: a retrace)."""
        if not all(isinstance(a, (np.ndarray, np.generic)) for a in arrays):
            raise TypeError(f"jit({self.__name__}).numpy: pass NumPy arrays, got "
                            f"{', '.join(type(a).__name__ for a in arrays)}")
        key = (mode, tuple((np.shape(a), np.asarray(a).dtype) for a in arrays))
        prog = self._cache.get(key)
        if prog is not None:
            try:
                return self._use(mode, prog)(*arrays)
            except Retrace:
                self._note_retrace(key)
        prog = self._cache[key] = self._trace(mode, [np.asarray(a) for a in arrays])
        return self._use(mode, prog)(*arrays)

    def _use(self, mode, prog):
        self.program = (mode, prog)
        if mode != "jvp":
            self._fn = prog.fn
        return prog.fn

    def _note_retrace(self, key):
        n = self._retraces[key] = self._retraces.get(key, 0) + 1
        if n == RETRACE_WARNING:
            warnings.warn(f"jit({self.__name__}): retraced {n} times for the same shapes, because a value that "
                          "Python branched on (if t > 0, float(t), t.item()) or an argument read through .data "
                          "changed; the answers are right, but each retrace costs a full trace. Compile the "
                          "part of f that does not depend on values.", stacklevel=4)

    # ---- tracing ----------------------------------------------------------------------------
    def _trace(self, mode, arrays):
        nargs = len(arrays) // 2 if mode == "jvp" else len(arrays)
        wrt_args = {w % nargs if -nargs <= w < nargs else self._bad_wrt(w, nargs)
                    for w in self._wrt if isinstance(w, int)}
        with _tracing(_Trace()) as trace:
            leaves = []
            for k, a in enumerate(arrays[:nargs]):
                # every floating argument requires grad while tracing, so that a transform that f
                # calls (tg.grad inside f) records its sweep instead of copying the values
                grad = a.dtype.kind == "f"
                if k in wrt_args and a.dtype.kind != "f":
                    raise TypeError(f"jit: argument {k} has dtype {a.dtype}: only floating arrays can be "
                                    "differentiated; pass it as floats (e.g. x.astype(float))")
                name = self._names[k] if k < len(self._names) else f"x{k + 1}"
                leaves.append(Tensor.wrap(a, grad, name))
            for t in self._wrt:
                if isinstance(t, Tensor) and any(t is a for a in arrays):
                    raise ValueError("jit: a tensor in wrt is also passed as an argument; give its position in wrt")
            trace.args.update((id(t), k) for k, t in enumerate(leaves))
            y = self.f(*leaves)
            if not isinstance(y, Tensor):
                raise TypeError(f"jit({self.__name__}): the function must return one Tensor, got "
                                f"{type(y).__name__}; return a Tensor (tuples and numbers cannot be compiled)")
            back_start = Tensor.wrap(np.empty(0)).seq
            guards = list(trace.guards)
            if mode == "grad":
                outputs, derived, args = self._backward(y, leaves, trace)
            elif mode == "jvp":
                tangents = [Tensor.wrap(t, False, f"d{leaf.name}") for t, leaf in zip(arrays[nargs:], leaves)]
                trace.args.update((id(t), nargs + k) for k, t in enumerate(tangents))
                outputs, derived = self._forward_mode(y, leaves, tangents)
                args = leaves + tangents
            else:
                outputs, derived, args = [y], [], leaves
        label = (lambda n: f"∂{y.name or 'f'}/∂{n}") if mode == "grad" else (lambda n: f"d{n}")
        return build(outputs, args, trace.start, back_start, guards, derived, label,
                     "g_" if mode == "grad" else "d_", y.name or "f")

    def _bad_wrt(self, w, nargs):
        raise ValueError(f"jit({self.__name__}): wrt position {w} is out of range for {nargs} argument(s)")

    def _backward(self, y, leaves, trace):
        if y.size != 1:
            raise ValueError(f"jit({self.__name__}): gradients need a scalar output, got shape {y.shape}; reduce "
                             "it first (e.g. return loss.sum())")
        targets = [leaves[w % len(leaves)] if isinstance(w, int) else w for w in self._wrt]
        cot = {}
        if y.requires_grad:
            ids = {id(t) for t in targets}
            order = toposort([y], stop=ids, swept_ok=True)
            seed = Tensor.wrap(np.ones(y.shape, y.dtype))
            cot = reverse_sweep(order, {id(y): seed}, create_graph=True, stop=ids)
            derived = [(n, cot[id(n)]) for n in reversed(order) if id(n) in cot and n is not y]
        else:
            derived = []
        grads = [cot[id(t)] if id(t) in cot else Tensor.wrap(np.zeros(t.shape, t.dtype)) for t in targets]
        return [y, *grads], derived, leaves

    @staticmethod
    def _forward_mode(y, leaves, tangents):
        order = toposort([y], swept_ok=True)
        tan = forward_sweep(order, {id(x): t for x, t in zip(leaves, tangents) if x.requires_grad},
                            create_graph=True)
        t = tan.get(id(y))
        t = Tensor.wrap(np.zeros(y.shape, y.dtype)) if t is None else t
        return [y, t], [(n, tan[id(n)]) for n in order if n.prim is not None and id(n) in tan]

    # ---- reading the program ----------------------------------------------------------------
    def _last(self):
        if self.program is None:
            raise RuntimeError(f"jit({self.__name__}): nothing is compiled yet; call it once (it compiles on the "
                               "first call with each new shape)")
        return self.program[1]

    @property
    def source(self) -> str:
        """The Python source of the program the last call ran."""
        return self._last().source

    @property
    def text(self) -> str:
        """The last call's program in the textbook's notation (h1 = w · x, ∂f/∂h5 = ...)."""
        return self._last().text

    def show(self) -> None:
        print(self.text)


def jit(f, wrt=None) -> Jit:
    """Compile ``f`` (a function of Tensors returning one Tensor) to straight-line NumPy.

    ``wrt``: None (the value only), an argument position, a tensor ``f`` closes over, or a tuple
    or list of them; then a call returns ``(value, gradient)`` (a tuple of gradients for a tuple
    or list), as ``value_and_grad``. See the module docstring for what is traced and when it is
    retraced."""
    return Jit(f, wrt)

"""A recorded program as straight-line NumPy source (``tg.jit``'s back end), and the same program
in the textbook's notation.

``build`` takes the outputs of a traced function (its value, and the gradients or tangents that a
recorded sweep made of primitive applications) and writes one line per primitive application:
``h2 = _add(h1, b)``, the row's own NumPy ``forward``, so nothing is written twice. On the way:

- dead code is never written (only what the outputs and guards depend on is visited);
- values that depend on no input (the sweep's seed of ones, −1 · seed, ...) are folded into
  constants when traced, and a product with a constant 1 (x · 1 = x, bit for bit) is x itself;
- forward values are plain variables that the backward lines read (h6 in ∂f/∂h5 = −∂f/∂h6 · h6 / h5);
- an elementwise ufunc writes into an input buffer that nothing reads afterwards (``out=``), so
  a cotangent accumulates in place and ``X @ W.T + b`` adds b into the product's buffer;
- σ(z) and its slope σ′(z) (the forward's and the backward's) are written inline and share
  exp(−|z|) and 1 + exp(−|z|); a matrix product is ``a @ b``, a full transpose ``.T``.

Every rewrite is exact: the program computes the rows' numbers bit for bit.

Inputs are of three kinds: arguments (checked for shape and dtype on every call), tensors the
function closed over (their current ``.data`` is read on every call) and literals (constants).
"""
from __future__ import annotations

import functools
import keyword

import numpy as np

from . import primitives as P
from .graph import node_names, toposort
from .rewrites import fresh, is_ufunc, literal, rewrite, shares_logistic
from .tensor import Tensor

__all__ = ["Program", "Retrace", "build"]


class Retrace(Exception):
    """Raised by a generated program when its inputs or a guard differ from the traced ones."""


class Program:
    """A compiled program: ``fn(*arrays)`` returns a tuple of arrays; ``source`` is the Python it
    runs; ``text`` the same program in the textbook's notation (``show()`` prints it)."""

    __slots__ = ("fn", "source", "text", "lines")

    def __init__(self, fn, source, text, lines):
        self.fn, self.source, self.text, self.lines = fn, source, text, lines

    def show(self) -> None:
        print(self.text)


def _value_text(t: Tensor):
    """A constant whose entries are all equal, as the number (the 1 of h5 = h4 + 1); else None."""
    flat = np.ravel(t.data)
    if flat.size and flat.dtype.kind in "fiub" and np.all(flat == flat[0]):
        return f"{flat[0].item() + 0:.6g}".replace("-", "−") if flat.dtype.kind != "b" else str(bool(flat[0]))
    return None


# Python's operators on NumPy values are these ufuncs (with a fast path for NumPy scalars, which
# is what the textbook's scalar example computes on); ** is left out, as ndarray.__pow__ may
# call np.square or np.sqrt instead of np.power
_OPERATORS = {np.add: "{0} + {1}", np.subtract: "{0} - {1}", np.multiply: "{0} * {1}", np.true_divide: "{0} / {1}",
              np.negative: "-{0}", np.matmul: "{0} @ {1}"}


def _fast_form(n, x, scalar):
    """A shape primitive with the traced shapes known, as a NumPy method or reduction (the same
    numbers as the row's forward, without its Python-level checks), or None. A sum over axes
    of length 1 is ``0 + x``, which is what NumPy's sum computes there (−0.0 becomes 0.0), or
    ``x`` itself when x is a square (never −0.0); ``scalar(0, dtype)`` names that 0."""
    prim, p = n.prim, n.params
    if prim is P.transpose:
        return f"{x}.T" if p["axes"] == tuple(range(n.ndim))[::-1] else f"{x}.transpose({p['axes']!r})"
    if prim is P.reshape:
        return f"{x}.reshape({p['shape']!r})"
    src = n.inputs[0]
    if src.dtype.kind != "f" or prim not in (P.sum, P.sum_to):
        return None
    if prim is P.sum:
        axes = p["axes"]
    else:
        lead = src.ndim - len(p["shape"])
        axes = tuple(range(lead)) + tuple(i + lead for i, k in enumerate(p["shape"]) if k == 1 and
                                          src.shape[i + lead] != 1)
        if not axes:
            return f"{x}.reshape({p['shape']!r})"
    if axes and all(src.shape[a] == 1 for a in axes):
        square = src.prim is P.mul and src.inputs[0] is src.inputs[1]
        return f"{x}.reshape({n.shape!r})" if square else f"({x}.reshape({n.shape!r}) + {scalar(0, src.dtype)})"
    if prim is P.sum:
        return f"_add_reduce({x}, axis={axes!r}, keepdims={p['keepdims']!r})"
    dropped = tuple(k for i, k in enumerate(src.shape) if i not in axes)
    keep = dropped != p["shape"]
    out = f"_add_reduce({x}, axis={axes!r}, keepdims={keep})"
    kept = tuple(1 if i in axes else k for i, k in enumerate(src.shape)) if keep else dropped
    return out if kept == p["shape"] else f"{out}.reshape({p['shape']!r})"


def build(outputs, args, start: int, back_start: int, guards=(), derived=(), label=None, prefix="g_",
          out_name: str = "f") -> Program:
    """Compile ``outputs`` (tensors recorded from the leaves ``args``) into a ``Program``.

    ``start``: the first ``seq`` of the trace (older tensors are closed over); ``back_start``: the
    first ``seq`` of the recorded sweep (its lines are written as adjoints or tangents);
    ``guards``: (tensor, kind, expected) reads that Python branched on (kind "bool" or "value");
    ``derived``: (forward node, its cotangent or tangent) pairs, named ``label(name)`` in the text
    and ``prefix + name`` in the source; ``out_name``: the output's name when it has none."""
    arg_ids = {id(a): k for k, a in enumerate(args)}
    names = node_names(list(outputs) + [g[0] for g in guards] + list(args))
    if outputs[0].name is None:
        names[id(outputs[0])] = out_name

    def program(outs, guards):      # what the outputs and guards depend on; arguments and older tensors are leaves
        return toposort(list(outs) + [g[0] for g in guards], stop=arg_ids, constants=True, swept_ok=True, since=start)
    def is_input(n):
        return id(n) in arg_ids or n.seq < start
    sub = rewrite(program(outputs, guards), lambda n: n.prim is None or is_input(n), is_input)
    for old_id, new in list(sub.items()):
        names.setdefault(id(new), names.get(old_id, "?"))
    outputs = [sub.get(id(o), o) for o in outputs]
    guards = [(sub.get(id(t), t), how, v) for t, how, v in guards]
    derived = [(x, sub.get(id(c), c)) for x, c in derived]
    w = _Writer(names, label, prefix)
    w.inputs(program(outputs, guards), args, start, guards)
    w.lines(outputs, back_start, derived)
    return w.program(args, outputs, prefix)


class _Writer:
    """Writes a program: the generated module's globals (``bind``), the variables' names (``py``),
    their textbook forms (``disp``, with precedence ``prec``) and the lines."""

    def __init__(self, names, label, prefix):
        self.names, self.label, self.prefix = names, label, prefix
        self.ns = {"Retrace": Retrace, "np": np, "_add_reduce": np.add.reduce, "_exp": np.exp,
                   "_copysign": np.copysign, "_reciprocal": np.reciprocal, "_maximum": np.maximum}
        self.scalars, self.shared = {}, {}
        self.used, self.bound = set(self.ns), {}
        self.kind, self.py, self.disp, self.prec, self.guard_at = {}, {}, {}, {}, {}
        self.head, self.seen, self.body, self.text_fwd, self.text_back = [], [], [], [], []

    def bind(self, value, stem):
        """A global name for ``value`` (one per object: each row's forward is bound once)."""
        if id(value) not in self.bound:
            k = 0
            while f"_{stem}{k}" in self.ns:
                k += 1
            self.ns[f"_{stem}{k}"] = value
            self.bound[id(value)] = f"_{stem}{k}"
        return self.bound[id(value)]

    def ident(self, text, fallback):
        """``text`` as a fresh variable name if it is one, else ``fallback`` (numbered if taken)."""
        for cand in (text, fallback):
            if cand.isidentifier() and not keyword.iskeyword(cand) and not cand.startswith("_") \
                    and cand not in self.used:
                self.used.add(cand)
                return cand
        k = 1
        while f"{fallback}_{k}" in self.used:
            k += 1
        self.used.add(f"{fallback}_{k}")
        return f"{fallback}_{k}"

    def inputs(self, order, args, start, guards):
        """Sort the leaves: arguments, closed-over tensors (read on every call), constants (with
        what depends on nothing else, folded); check shapes and dtypes; guard values read."""
        self.order, self.checked = order, list(args)
        self.position = {id(n): p for p, n in enumerate(order)}
        for t, how, expected in guards:
            self.guard_at.setdefault(id(t), []).append((how, expected))
        names, kind, py = self.names, self.kind, self.py
        for k, a in enumerate(args):
            kind[id(a)], py[id(a)] = "arg", self.ident(names[id(a)], f"a{k}")
            if id(a) not in self.position:    # no line reads it: f may have read it as .data
                self.seen.append(f"    if not np.array_equal({py[id(a)]}, {self.bind(a.data.copy(), 'seen')}):\n"
                                 f"        raise Retrace('argument {k} was read by value, not by a recorded op')")
        for n in order:
            key = id(n)
            if key in kind:
                pass
            elif n.seq < start:
                kind[key], py[key] = "ext", self.ident(names.get(key, ""), f"c{len(self.ns)}")
                self.head.append(f"    {py[key]} = {self.bind(n, 'c')}.data")
                self.checked.append(n)
            elif n.prim is None or all(kind[id(i)] == "const" for i in n.inputs):
                value = np.asarray(n.data)[()] if np.ndim(n.data) == 0 else n.data   # a NumPy scalar: fast
                kind[key], py[key] = "const", self.bind(value, "k")
            else:
                kind[key] = "node"
                continue
            self.disp[key] = (_value_text(n) if kind[key] == "const" else None) or names.get(key, py[key])
            self.prec[key] = 5
            if kind[key] != "const":
                self.seen.extend(_guard_lines(py[key], self.guard_at.get(key, ()), self.bind))
        now = ", ".join(f"{py[id(t)]}.shape, {py[id(t)]}.dtype" for t in self.checked)
        if self.checked:       # one comparison of tuples: identical dtypes compare by identity, fast
            traced = tuple(v for t in self.checked for v in (t.shape, t.dtype))
            self.head.append(f"    if ({now}) != {self.bind(traced, 'traced')}:\n"
                             "        raise Retrace('an argument or a closed-over tensor changed shape or dtype')")

    def lines(self, outputs, back_start, derived):
        """One line per computed node, in order; the textbook text beside it."""
        kind, consumers, last_use = self.kind, {}, {}
        for n in self.order:
            if kind[id(n)] == "node":
                for i in n.inputs:
                    consumers.setdefault(id(i), []).append(n)
                    last_use[id(i)] = self.position[id(n)]
        derived_of = {}
        for x, c in derived:
            derived_of.setdefault(id(c), self.names.get(id(x), "?"))
        outs = {id(o) for o in outputs}
        count = 0
        for n in self.order:
            if kind[id(n)] != "node":
                continue
            count += 1
            out = _inplace_target(n, self.position, consumers, last_use, kind, outs, self.guard_at)
            single = id(n) not in outs and id(n) not in self.guard_at and len(consumers.get(id(n), ())) == 1
            self.line(n, count, n.seq >= back_start, derived_of.get(id(n)), out, single)
        for x, c in derived:                  # ∂f/∂h4 = ∂f/∂h5 where h5 = h4 + 1 passed it on
            lab = self.label(self.names.get(id(x), "?"))
            if self.kind.get(id(c)) and self.disp.get(id(c)) != lab:
                self.text_back.append(f"{lab} = {self.disp[id(c)]}")

    def line(self, n, count, back, stem, out, single):
        key, prim, py, disp = id(n), n.prim, self.py, self.disp
        if stem is not None:                 # a cotangent (tangent) of a forward node: ∂f/∂h5
            py[key], disp[key] = self.ident(self.prefix + stem, f"{self.prefix}{count}"), self.label(stem)
        elif back:
            py[key] = disp[key] = self.ident("", f"t{count}")
        else:
            name = self.names.get(key, f"v{count}")
            py[key], disp[key] = self.ident(name, f"v{count}"), name
        if shares_logistic(n):
            call = self.sigmoids(n)
        else:
            call = _fast_form(n, py[id(n.inputs[0])], self.scalar) if len(n.inputs) == 1 else None
        # the row's forward, or the ufunc it calls: _matmul_np is np.matmul for matrices
        fwd = np.matmul if prim is P.matmul and min(i.ndim for i in n.inputs) >= 2 else prim.forward
        if call is None and out is None and not n.params and _OPERATORS.get(fwd):
            call = _OPERATORS[fwd].format(*(py[id(i)] for i in n.inputs))
        if call is None:
            argv = [py[id(i)] for i in n.inputs]
            argv += [f"{p}={literal(v) or self.bind(v, 'q')}" for p, v in (n.params or {}).items()]
            argv += [f"out={py[id(out)]}"] if out is not None else []
            call = f"{self.bind(prim.forward, prim.name if prim.name.isidentifier() else 'p')}({', '.join(argv)})"
        form = prim.notation.write([disp[id(i)] for i in n.inputs], [self.prec[id(i)] for i in n.inputs])
        self.body.append(f"    {py[key]} = {call}    # {disp[key]} = {form}")
        if back and stem is None and single:
            disp[key], self.prec[key] = form, prim.notation.prec      # used once: written inside its use
        else:
            (self.text_back if back else self.text_fwd).append(f"{disp[key]} = {form}")
            self.prec[key] = 5
        self.body.extend(_guard_lines(py[key], self.guard_at.get(key, ()), self.bind))

    def scalar(self, value, dtype):
        """A global NumPy scalar ``value`` of ``dtype`` (as exact as Python's literal, and cheaper
        for NumPy to read)."""
        key = (value, dtype)
        if key not in self.scalars:
            self.scalars[key] = self.bind(dtype.type(value), {0: "zero", 1: "one", -1: "minus_one"}[value])
        return self.scalars[key]

    def sigmoids(self, n):
        """σ(z) and σ′(z) = σ(z)σ(−z) (NNDL eq. 5.81) of one z as NumPy lines that share
        e = exp(−|z|), d = 1 + e, p = 1/d = σ(|z|) and q = e/d = σ(−|z|), written once, at the
        first of them: σ′ = p·q, and σ = p where z ≥ 0 else q, taken as max(q, ±p) with p's sign
        set to z's (q ≥ 0 > −p; at z = ±0, p = q). Bit for bit the rows' ``where(z ≥ 0, 1, e)/d``
        and ``(1/d)·(e/d)``, NaNs included: −|z| is copysign(z, −1), 1/d is NumPy's reciprocal."""
        z = n.inputs[0]
        x = self.py[id(z)]
        if id(z) not in self.shared:
            e, d, p, q = (self.ident("", f"{c}_{x}") for c in ("e", "den", "p", "q"))   # d_ names tangents
            self.body += [f"    {e} = _exp(_copysign({x}, {self.scalar(-1, z.dtype)}))    # e = exp(−|{x}|)",
                          f"    {d} = {self.scalar(1, z.dtype)} + {e}    # 1 + e",
                          f"    {p} = _reciprocal({d})    # σ(|{x}|)", f"    {q} = {e} / {d}    # σ(−|{x}|)"]
            self.shared[id(z)] = p, q
        p, q = self.shared[id(z)]
        return f"{p} * {q}" if n.prim is P.sigmoid_slope else f"_maximum({q}, _copysign({p}, {x}))"

    def program(self, args, outputs, prefix):
        rets = [f"{self.py[id(o)]}.copy()" if self.kind[id(o)] == "const" else self.py[id(o)] for o in outputs]
        src = "\n".join([f"def program({', '.join(self.py[id(a)] for a in args)}):", *self.head, *self.seen,
                         *self.body, f"    return ({', '.join(rets)},)"]) + "\n"
        exec(_compiled(src), self.ns)
        back = ["# backward" if prefix == "g_" else "# tangents", *self.text_back] if self.text_back else []
        return Program(self.ns["program"], src, "\n".join(["# forward", *self.text_fwd, *back]), len(self.body))


@functools.lru_cache(maxsize=256)
def _compiled(src: str):
    """Python's bytecode for a program's source, kept: a new jit of the same function on the same
    shapes (a new run of an experiment) writes the same source."""
    return compile(src, "<tg.jit program>", "exec")


def _guard_lines(var, reads, bind):
    """Lines that raise Retrace when ``var`` differs from what Python read of it while tracing."""
    lines = []
    for how, expected in reads:
        test = (f"bool({var}) is not {expected!r}" if how == "bool" else
                f"not np.array_equal({var}, {bind(expected, 'seen')})")
        lines.append(f"    if {test}:\n        raise Retrace('a value that Python branched on changed')")
    return lines


def _inplace_target(n, position, consumers, last_use, kind, outs, guard_at):
    """An input of the elementwise ufunc node ``n`` whose buffer ``n`` may overwrite: a fresh
    array (a ufunc's or matmul's) of ``n``'s shape and dtype that only ufuncs read (so no view of
    it exists) and that nothing reads after ``n``."""
    if not is_ufunc(n) or n.ndim == 0:
        return None
    p = position[id(n)]
    for i in n.inputs:
        key = id(i)
        if (kind.get(key) == "node" and fresh(i) and key not in outs and key not in guard_at
                and i.shape == n.shape and i.dtype == n.dtype and last_use.get(key) == p
                and all(fresh(c) for c in consumers.get(key, ()))):
            return i
    return None
